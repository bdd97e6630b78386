"""The demo-data generator: a realistic support estate, the same for the same arguments.

Start at seed.generator.generate; seed/README.md names the demo users and what each can see.
"""
