"""How numbers and dates are written, one way everywhere and as the reader's language writes
them: on pages, in tables, on charts, in the meeting pack and in headers meant for people.
Hours and other amounts with at most one decimal, counts with thousands separators,
percentages whole; "1,234.5" and "14 Dec 2026" in English, "1 234,5" and "14 grudnia 2026" in
Polish. Built on Babel (CLDR's data for each language), for the language this run speaks
(dashboard.language).

Each rule is given in the forms its readers need: a Python function for text, a d3 format and a
Vega format locale for charts, a Streamlit column format for tables and an Excel number format
for workbooks. CSV files are not written through here: they stay machine-readable in every
language (a dot for decimals, ISO dates)."""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from dashboard.language import DEFAULT, _, current, ngettext

# d3-format and d3-time-format strings, as Vega-Lite's axes and tooltips take them; the
# separators and month names are the language's, from its Vega format locale (vega_locale)
D3_AMOUNT = ",.1~f"  # 1,234.5 and 12 (the ~ drops a trailing .0)
D3_COUNT = ",d"
D3_PERCENT = ".0%"
D3_DAY = "%-d %b %Y"  # 14 Dec 2026; 14 gru 2026
D3_MONTH = "%b %Y"  # Dec 2026, on an axis
D3_MONTH_LONG = "%B %Y"  # December 2026, in a tooltip; grudzień 2026

# Streamlit column formats (momentJS for days; sprintf-js or the browser's Intl for numbers).
# Amounts are rounded to one decimal before a table shows them (dashboard/app/tables.py) and shown
# "localized", as the browser writes them in the language the page told it
# (dashboard/app/page_language.py): Streamlit draws table cells in the browser, and its own
# number formats know no other separators than "," and ".".
COLUMN_AMOUNT = "localized"

# Excel number formats. The separators in them are placeholders: Excel shows a workbook's
# numbers with those of the reader's own settings.
XLSX_AMOUNT = "#,##0.0"
XLSX_COUNT = "#,##0"
XLSX_PERCENT = "0%"
XLSX_RATE = "#,##0.00"  # a rate a day, as `rate` writes it

# The English forms are this product's own house style; every other language writes a day as
# its CLDR "long" date (23 listopada 2026) and in tables and workbooks as its "short" one.
_DAY_PATTERN = {"en": "d MMM y"}
_COLUMN_DAY = {"en": "D MMM YYYY"}
_XLSX_DAY = {"en": "d mmm yyyy"}
_AMOUNT_PATTERN = "#,##0.#"  # grouped from the thousands whatever CLDR's minimum grouping
_RATE_PATTERN = "#,##0.##"


def _locale(code: str | None = None) -> Locale:
    return _locale_of(code or current())


@functools.cache
def _locale_of(code: str) -> Locale:
    return Locale.parse(code)


def amount(value: float | None) -> str:
    """An amount (hours, credits, seats) as people write it: 12, 39.5, 1,250 (1 250 in
    Polish); None -> `—`."""
    if value is None:
        return "—"
    return format_decimal(round(value, 1), format=_AMOUNT_PATTERN, locale=_locale())


def rate(value: float) -> str:
    """A rate as people write it: 19,660.18, 2.5, 0.01 (at most two decimals)."""
    return format_decimal(round(value, 2), format=_RATE_PATTERN, locale=_locale())


def number(n: int) -> str:
    """A count: 1,049 (1 049 in Polish)."""
    return format_decimal(n, format="#,##0", locale=_locale())


def count(n: int, singular: str, plural: str) -> str:
    """`n` with its noun in the form the language gives that number, from a message with
    `{n}` in it: count(3, "{n} support request", "{n} support requests"); Polish has three
    forms (1 zgłoszenie, 3 zgłoszenia, 5 zgłoszeń)."""
    return ngettext(singular, plural, n).format(n=number(n))


def percent(share: float | None) -> str:
    """A share as a whole percentage: 0.4543 -> `45%`; None (no base to take it of) -> `—`."""
    if share is None:
        return "—"
    return format_decimal(round(share * 100), format="#,##0", locale=_locale()) + _percent_sign()


def _percent_sign() -> str:
    """The percent sign as the language sets it after a number (`45%`; in some, `45 %`)."""
    pattern = _locale().percent_formats[None].pattern
    return pattern[pattern.rindex("0") + 1 :].replace("'", "") or "%"


def day(value: date | datetime | str | None) -> str:
    """A day as people write it: `14 Dec 2026`, `14 grudnia 2026`; None -> `—`."""
    if value is None:
        return "—"
    when = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    if isinstance(when, datetime):
        when = when.date()
    code = current()
    return format_date(when, _DAY_PATTERN.get(code, "long"), locale=_locale(code))


def days(first: date | None, last: date | None) -> str:
    """A range of days: `1 Jan 2026 – 30 Jun 2026`, `from 1 Jan 2026`, `until 30 Jun 2026`."""
    if first and last:
        return f"{day(first)} – {day(last)}"
    if first:
        return _("from {day}").format(day=day(first))
    return _("until {day}").format(day=day(last)) if last else _("every date")


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


def column_count() -> str:
    """A table's count column: grouped in English; "localized" otherwise (see COLUMN_AMOUNT)."""
    return "%,d" if current() == DEFAULT else "localized"


def column_day() -> str:
    """A table's day column, as momentJS formats it: `14 Dec 2026`; `14.12.2026`."""
    code = current()
    return _COLUMN_DAY.get(code) or _converted(_short_date(code), _MOMENT)


def column_moment() -> str:
    """A table's time column: `14 Dec 2026, 09:30`; `14.12.2026, 09:30`."""
    return f"{column_day()}, HH:mm"


def xlsx_day() -> str:
    """A workbook's day cells: `14 Dec 2026`; `14.12.2026`."""
    code = current()
    return _XLSX_DAY.get(code) or _converted(_short_date(code), _EXCEL)


def xlsx_moment() -> str:
    """A workbook's time cells, in UTC (Excel's times have no zone)."""
    return f'{xlsx_day()}, hh:mm "UTC"'


def _short_date(code: str) -> str:
    return _locale(code).date_formats["short"].pattern


# CLDR's date pattern letters, and what momentJS and Excel write for each run of them
_MOMENT = {"d": "D", "dd": "DD", "M": "M", "MM": "MM", "y": "YYYY", "yy": "YY", "yyyy": "YYYY"}
_EXCEL = {"d": "d", "dd": "dd", "M": "m", "MM": "mm", "y": "yyyy", "yy": "yy", "yyyy": "yyyy"}


def _converted(pattern: str, letters: dict[str, str]) -> str:
    """A CLDR short date pattern (`dd.MM.y`) in another format's letters (`DD.MM.YYYY`)."""
    return re.sub(r"d+|M+|y+", lambda run: letters.get(run[0], run[0]), pattern)


def vega_locale(code: str | None = None) -> dict:
    """The language's number and time format locale for Vega (d3-format's and
    d3-time-format's definitions), so that charts write numbers and dates as the text does."""
    return _vega_locale(code or current())


@functools.cache
def _vega_locale(code: str) -> dict:
    where = _locale(code)
    symbols = where.number_symbols.get("latn", where.number_symbols)
    months = where.months["stand-alone"]  # "listopad 2026", not the genitive "listopada"
    short_months = where.months["format"]["abbreviated"]
    weekdays = where.days["stand-alone"]
    order = [6, 0, 1, 2, 3, 4, 5]  # d3 starts the week on Sunday, CLDR on Monday
    return {
        "number": {
            "decimal": symbols["decimal"],
            "thousands": symbols["group"],
            "grouping": [3],
            "currency": ["", ""],
            "percent": _percent_sign() if code == current() else "%",
        },
        "time": {
            "dateTime": "%x, %X",
            "date": "%d.%m.%Y" if code != DEFAULT else "%-m/%-d/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": [weekdays["wide"][n] for n in order],
            "shortDays": [weekdays["abbreviated"][n] for n in order],
            "months": [months["wide"][n].capitalize() for n in range(1, 13)]
            if code == DEFAULT
            else [months["wide"][n] for n in range(1, 13)],
            "shortMonths": [short_months[n].rstrip(".") for n in range(1, 13)],
        },
    }
