"""dashboard/formats.py: how numbers and days are written, with expectations written by hand;
and its d3 formats, as Vega draws them on a chart, writing what its functions write."""

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from dashboard import formats


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (1234.56, "1,234.6"),
        (12.0, "12"),
        (39.5, "39.5"),
        (1_250, "1,250"),
        (0, "0"),
        (-3.5, "-3.5"),
        (70_910.25, "70,910.2"),  # one decimal at most (.25 is exact: halves go to even)
        (2.96, "3"),  # rounded to 3.0, written without its .0
        (None, "—"),
    ],
)
def test_an_amount_has_at_most_one_decimal_and_thousands_separators(value, written):
    assert formats.amount(value) == written


@pytest.mark.parametrize(
    ("value", "written"),
    [(19_660.18, "19,660.18"), (2.5, "2.5"), (0.01, "0.01"), (3.0, "3"), (1.466, "1.47")],
)
def test_a_rate_has_at_most_two_decimals(value, written):
    assert formats.rate(value) == written


def test_counts_have_thousands_separators_and_their_noun():
    assert formats.number(1049) == "1,049"
    assert formats.number(7) == "7"
    request = ("{n} support request", "{n} support requests")
    assert formats.count(1, *request) == "1 support request"
    assert formats.count(3, *request) == "3 support requests"
    assert formats.count(0, *request) == "0 support requests"
    assert formats.count(2, "{n} delivery", "{n} deliveries") == "2 deliveries"
    assert formats.count(1, "{n} delivery", "{n} deliveries") == "1 delivery"
    assert formats.count(1049, "{n} item", "{n} items") == "1,049 items"


def test_a_share_is_a_whole_percentage():
    assert formats.percent(0.4543) == "45%"
    assert formats.percent(0.4275) == "43%"
    assert formats.percent(1.5) == "150%"
    assert formats.percent(0) == "0%"
    assert formats.percent(-0.125) == "-12%"  # 12.5 to the even 12
    assert formats.percent(None) == "—"


def test_a_day_is_written_day_month_year():
    assert formats.day(date(2026, 12, 14)) == "14 Dec 2026"
    assert formats.day(date(2026, 1, 5)) == "5 Jan 2026"  # no leading zero
    assert formats.day("2026-06-30") == "30 Jun 2026"
    assert formats.day("2026-03-01T23:00:00+00:00") == "1 Mar 2026"  # the date written
    assert formats.day(datetime(2026, 9, 15, 8, 0)) == "15 Sep 2026"
    assert formats.day(None) == "—"


def test_a_range_of_days():
    first, last = date(2026, 1, 1), date(2026, 6, 30)
    assert formats.days(first, last) == "1 Jan 2026 – 30 Jun 2026"
    assert formats.days(first, None) == "from 1 Jan 2026"
    assert formats.days(None, last) == "until 30 Jun 2026"
    assert formats.days(None, None) == "every date"


def test_a_moment_is_written_in_utc():
    assert formats.moment("2026-12-14T09:30:00+00:00") == "14 Dec 2026, 09:30 UTC"
    assert formats.moment("2026-12-14T10:30:00+01:00") == "14 Dec 2026, 09:30 UTC"
    # two in the morning in a zone two hours ahead is still the day before in UTC
    assert formats.moment("2026-12-15T01:00:00+02:00") == "14 Dec 2026, 23:00 UTC"
    assert formats.moment("2026-12-14T09:30:00") == "14 Dec 2026, 09:30 UTC"  # no zone: UTC
    ahead = timezone(timedelta(hours=5, minutes=30))
    assert formats.moment(datetime(2026, 5, 10, 9, 0, tzinfo=ahead)) == "10 May 2026, 03:30 UTC"
    assert formats.moment(datetime(2026, 5, 10, 7, 0, tzinfo=UTC)) == "10 May 2026, 07:00 UTC"
    assert formats.moment(None) is None


def _drawn(texts: dict[str, str]) -> dict[str, str]:
    """What Vega writes for each expression of `texts`, drawn as text marks on a chart."""
    import vl_convert

    names = list(texts)
    spec = {
        "data": {"values": [{"name": name} for name in names]},
        "transform": [
            {"calculate": " : ".join(f"datum.name == '{n}' ? {texts[n]}" for n in names) + " : ''",
             "as": "shown"}
        ],
        "mark": "text",
        "encoding": {"y": {"field": "name", "type": "nominal"}, "text": {"field": "shown"}},
    }  # fmt: skip
    svg = vl_convert.vegalite_to_svg(json.dumps(spec))
    found = re.findall(r'aria-label="name: ([^;"]+); shown: ([^"]*)"', svg)
    return dict(found)


def test_the_d3_formats_write_on_a_chart_what_the_functions_write_on_a_page():
    drawn = _drawn(
        {
            "amount": f"format(1234.56, '{formats.D3_AMOUNT}')",
            "whole": f"format(12, '{formats.D3_AMOUNT}')",
            "count": f"format(1049, '{formats.D3_COUNT}')",
            "share": f"format(0.4543, '{formats.D3_PERCENT}')",
            # 14 December 2026 (months count from 0), in UTC as the server writes days
            "day": f"utcFormat(datetime(2026, 11, 14), '{formats.D3_DAY}')",
            "early": f"utcFormat(datetime(2026, 0, 5), '{formats.D3_DAY}')",
            "month": f"utcFormat(datetime(2026, 11, 1), '{formats.D3_MONTH}')",
            "long": f"utcFormat(datetime(2026, 11, 1), '{formats.D3_MONTH_LONG}')",
        }
    )
    assert drawn == {
        "amount": "1,234.6",
        "whole": "12",
        "count": "1,049",
        "share": "45%",
        "day": "14 Dec 2026",
        "early": "5 Jan 2026",
        "month": "Dec 2026",
        "long": "December 2026",
    }
    # and the functions write the same
    assert (formats.amount(1234.56), formats.amount(12.0)) == (drawn["amount"], drawn["whole"])
    assert (formats.number(1049), formats.percent(0.4543)) == (drawn["count"], drawn["share"])
    assert formats.day(date(2026, 12, 14)) == drawn["day"]
    assert formats.day(date(2026, 1, 5)) == drawn["early"]
