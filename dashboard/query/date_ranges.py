"""Quick activity-date ranges for the sidebar: common spans ending on the data's as-of day, and
the term of the contract or package in view, each a (from, to) pair of days.

They are counted from the dataset's as-of day, not from today, so that a demo or a dataset
imported some days ago shows its last 30 days rather than an empty stretch after it. A link
keeps the days themselves: it opens the same dates after the next import, when "the last 30
days" have moved on.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from dashboard.language import N_, _

Span = tuple[date | None, date | None]

EVERY = "every"  # no dates picked: every date
PICKED = "picked"  # dates that are none of the ranges

# each range's name as the sidebar offers it, in English: _() where shown
LABELS = {
    EVERY: N_("Every date"),
    "30d": N_("Last 30 days"),
    "90d": N_("Last 90 days"),
    "12m": N_("Last 12 months"),
    "quarter": N_("This quarter"),
    "last-quarter": N_("Last quarter"),
    "year": N_("This year"),
    "last-year": N_("Last year"),
    "contract": N_("The contract's term"),
    "package": N_("The package's term"),
    PICKED: N_("Dates picked below"),
}


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _year_back(day: date) -> date:
    """The day a year before `day`, 28 February for a 29 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def ranges(
    as_of: date, contract: Span | None = None, package: Span | None = None
) -> dict[str, Span]:
    """Every quick range, by name, in the order offered: the spans up to `as_of` (both days
    counted), then the term of the contract and of the package in view, where there is one."""
    quarter = _quarter_start(as_of)
    last_quarter = _quarter_start(quarter - timedelta(days=1))
    spans: dict[str, Span] = {
        EVERY: (None, None),
        "30d": (as_of - timedelta(days=29), as_of),
        "90d": (as_of - timedelta(days=89), as_of),
        "12m": (_year_back(as_of) + timedelta(days=1), as_of),
        "quarter": (quarter, as_of),
        "last-quarter": (last_quarter, quarter - timedelta(days=1)),
        "year": (date(as_of.year, 1, 1), as_of),
        "last-year": (date(as_of.year - 1, 1, 1), date(as_of.year - 1, 12, 31)),
    }
    if contract:
        spans["contract"] = contract
    if package:
        spans["package"] = package
    return spans


def term(frame: pl.DataFrame, id_column: str, picked: str | None) -> Span | None:
    """The start and end of the contract or package picked among `frame`'s rows (the contract
    or package filter's choices), or of the only one there is; None when there is no one."""
    rows = frame.filter(pl.col(id_column) == picked) if picked else frame
    if rows.height != 1:
        return None
    return rows.item(0, "start_date"), rows.item(0, "end_date")


def matching(spans: dict[str, Span], picked: Span) -> str:
    """The name of the first range that is exactly the days `picked`, or PICKED."""
    return next((name for name, span in spans.items() if span == picked), PICKED)


def named(as_of: date, picked: Span) -> str | None:
    """The days `picked` in words, in the run's language ("last 90 days", "this quarter"), when
    they are one of the spans up to `as_of`; None for every date, for a term, or for days of no
    range."""
    name = matching(ranges(as_of), picked)
    return None if name in (EVERY, PICKED) else _(LABELS[name]).lower()
