"""The data contract's rules that the pages state in words, defined once for Python.

The SQL defines each once too, as a macro of queries/_derived.sql that every query reads
(`expiring_soon_days()` and so on); tests/test_rules.py checks that the two agree. A page that
says "90 days" or "20%" reads it from here, so that its text cannot drift from the figures.
"""

from __future__ import annotations

# A contract or package is expiring soon when it ends within this many days of the as-of day
# (0 <= days_left <= EXPIRING_SOON_DAYS).
EXPIRING_SOON_DAYS = 90
# The renewal forecast's burn rate: what was used per day over this many days up to the as-of
# day (or since the package started, when that is shorter).
BURN_WINDOW_DAYS = 90
# The renewal forecast says "will leave unused" when more than this share of what was purchased
# is projected to be left at expiry.
UNUSED_SHARE = 0.2
# The renewal forecast's band: an 80% range of the burn rate (the mean daily use less and plus
# BAND_Z standard errors), drawn only with at least BAND_LEAST_DAYS days of history.
BAND_SHARE = 0.8
BAND_Z = 1.2816
BAND_LEAST_DAYS = 30
# A case of one of these services is an additional case (reason `special_service`).
SPECIAL_SERVICE_CODES = ("SU", "DSA", "X85", "REC")
