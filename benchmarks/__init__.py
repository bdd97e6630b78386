"""The performance benchmark: `make bench` (or `python -m benchmarks`). See benchmarks/README.md."""
