"""How numbers and dates are written, one way everywhere: on pages, in tables, on charts, in
the meeting pack and in headers meant for people. Hours and other amounts with at most one
decimal, counts with thousands separators, percentages whole, days as "14 Dec 2026".

Each rule is given in the forms its readers need: a Python function for text, a d3 format for
Vega charts, a Streamlit column format for tables and an Excel number format for workbooks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# d3-format and d3-time-format strings, as Vega-Lite's axes and tooltips take them
D3_AMOUNT = ",.1~f"  # 1,234.5 and 12 (the ~ drops a trailing .0)
D3_COUNT = ",d"
D3_PERCENT = ".0%"
D3_DAY = "%-d %b %Y"  # 14 Dec 2026
D3_MONTH = "%b %Y"  # Dec 2026, on an axis
D3_MONTH_LONG = "%B %Y"  # December 2026, in a tooltip

# Streamlit column formats (momentJS for days; sprintf-js for numbers). Amounts are rounded to
# one decimal before they are shown (see `amounts_rounded`) and shown "localized": 1,234.5, 12.
COLUMN_AMOUNT = "localized"
COLUMN_COUNT = "%,d"
COLUMN_DAY = "D MMM YYYY"
COLUMN_MOMENT = "D MMM YYYY, HH:mm"

# Excel number formats
XLSX_AMOUNT = "#,##0.0"
XLSX_COUNT = "#,##0"
XLSX_PERCENT = "0%"
XLSX_DAY = "d mmm yyyy"
XLSX_MOMENT = 'd mmm yyyy, hh:mm "UTC"'  # a workbook's times are in UTC (Excel's have no zone)
XLSX_RATE = "#,##0.00"  # a rate a day, as `rate` writes it


def amount(value: float | None) -> str:
    """An amount (hours, credits, seats) as people write it: 12, 39.5, 1,250."""
    if value is None:
        return "—"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def rate(value: float) -> str:
    """A rate as people write it: 19,660.18, 2.5, 0.01 (at most two decimals)."""
    text = f"{value:,.2f}".rstrip("0")
    return text.rstrip(".")


def number(n: int) -> str:
    """A count: 1,049."""
    return f"{n:,}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`1 support request`, `3 support requests`, `1,049 items`."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def percent(share: float | None) -> str:
    """A share as a whole percentage: 0.4543 -> `45%`; None (no base to take it of) -> `—`."""
    return "—" if share is None else f"{share:.0%}"


def day(value: date | datetime | str | None) -> str:
    """A day as people write it: `14 Dec 2026`; None -> `—`."""
    if value is None:
        return "—"
    when = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def days(first: date | None, last: date | None) -> str:
    """A range of days: `1 Jan 2026 – 30 Jun 2026`, `from 1 Jan 2026`, `until 30 Jun 2026`."""
    if first and last:
        return f"{day(first)} – {day(last)}"
    if first:
        return f"from {day(first)}"
    return f"until {day(last)}" if last else "every date"


def moment(value: str | datetime | None, zone: str | None = None) -> str | None:
    """A time as people read it, in the reader's time zone when it is known (the browser's,
    `st.context.timezone`), else in UTC: `2026-12-14T09:30:00+00:00` -> `14 Dec 2026, 10:30
    CET` or `14 Dec 2026, 09:30 UTC`. A time without a zone is taken as UTC."""
    if value is None:
        return None
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when
    try:
        local = when.astimezone(ZoneInfo(zone)) if zone else None
    except (ZoneInfoNotFoundError, ValueError):  # a name the browser sent that we cannot place
        local = None
    if local is None:
        return f"{day(when.astimezone(UTC))}, {when.astimezone(UTC):%H:%M} UTC"
    return f"{day(local)}, {local:%H:%M} {local.tzname()}"
