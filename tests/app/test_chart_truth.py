"""Charts that tell the truth at a glance, and tables written as the charts and pages write.

Months on a time axis with the empty ones drawn as 0; no plot too short to read; status colours
apart from category colours; use past the purchased quantity in the warning colour with its
amount; one way of writing amounts, counts, shares and days, in charts and in grids (what a
download holds stays whole). Expected figures are worked out by hand from the frames written
here, or from tests/fixtures/tiny/ANSWERS.md.
"""

import csv
import io
import json
import re
from datetime import date

import polars as pl
import pyarrow as pa
import vl_convert

from dashboard.app import chart_specs, charts, pages, tables

SUPPORT = pages.by_path("support").file

JAN, FEB, MAR = date(2032, 1, 1), date(2032, 2, 1), date(2032, 3, 1)  # a year no other test draws


def _rows(spec: dict, view: dict | None = None) -> list[dict]:
    """The rows `view` of `spec` (the spec itself by default) draws."""
    return spec["datasets"][(view or spec)["data"]["name"]]


def _hex_colours(part: object) -> set[str]:
    """Every colour written in `part` of a spec (scales' ranges, marks' colours), in upper case."""
    return {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", json.dumps(part))}


# 1. months on a time axis, the empty ones drawn as 0


def test_a_month_with_nothing_is_on_the_axis_at_zero():
    # January and March only: 5 reactive hours in January, 3 reactive and 2 advisory in March
    frame = pl.DataFrame(
        {
            "month": [JAN, MAR, MAR],
            "category": ["reactive", "reactive", "advisory"],
            "unit": ["hours"] * 3,
            "amount": [5.0, 3.0, 2.0],
        }
    )
    spec = charts.monthly_consumption(frame).spec()
    assert spec["encoding"]["x"]["type"] == "temporal"
    assert spec["encoding"]["x"]["timeUnit"] == "yearmonth"
    drawn = {(r["month"][:7], r["category"]): r["amount"] for r in _rows(spec)}
    assert drawn == {
        ("2032-01", "reactive"): 5.0,
        ("2032-01", "advisory"): 0.0,
        ("2032-02", "reactive"): 0.0,  # February, when nothing happened: there, at 0
        ("2032-02", "advisory"): 0.0,
        ("2032-03", "reactive"): 3.0,
        ("2032-03", "advisory"): 2.0,
    }


def test_support_and_enrollments_by_month_draw_every_month_too():
    support = pl.DataFrame(
        {"month": [JAN, MAR], "status": ["Reactive support"] * 2, "hours": [1.5, 4.0]}
    )
    spec = charts.monthly_by_status(support, "hours", "hours", kind="Support").spec()
    assert spec["encoding"]["x"]["type"] == "temporal"
    assert [(r["month"][:7], r["hours"]) for r in _rows(spec)] == [
        ("2032-01", 1.5),
        ("2032-02", 0.0),
        ("2032-03", 4.0),
    ]
    # enrollments are counted: 2 completed in January, 1 cancelled in March
    enrolled = pl.DataFrame(
        {"month": [JAN, MAR], "status": ["Completed", "Cancelled"], "enrollments": [2, 1]}
    )
    spec = charts.monthly_by_status(enrolled, "enrollments", "enrollments").spec()
    drawn = {(r["month"][:7], r["status"]): r["enrollments"] for r in _rows(spec)}
    assert drawn == {
        ("2032-01", "Completed"): 2,
        ("2032-01", "Cancelled"): 0,
        ("2032-02", "Completed"): 0,
        ("2032-02", "Cancelled"): 0,
        ("2032-03", "Completed"): 0,
        ("2032-03", "Cancelled"): 1,
    }


def test_the_support_page_sends_every_month_and_type_with_the_empty_ones_at_zero(app):
    """W2's support requests (tests/fixtures/tiny/cases.csv): K5 reactive, 20 Apr 2026, 12
    hours; K6 reactive, 5 May, 4 hours; K9 advisory, 15 Jun, 0.5 hours."""
    at = app(**{"as": "u-cadmin", "ws": "W2", "status": "all"})
    at.switch_page(SUPPORT).run()
    assert not at.exception
    [monthly] = [c for c in at.get("vega_lite_chart") if "Support" in c.proto.spec]
    assert json.loads(monthly.proto.spec)["encoding"]["x"]["type"] == "temporal"
    drawn = {
        (str(row["month"])[:7], row["status"]): row["hours"]
        for d in monthly.proto.datasets
        for row in pa.ipc.open_stream(d.data.data).read_all().to_pylist()
    }
    assert drawn == {
        ("2026-04", "Reactive support"): 12,
        ("2026-04", "Advisory support"): 0,
        ("2026-05", "Reactive support"): 4,
        ("2026-05", "Advisory support"): 0,
        ("2026-06", "Reactive support"): 0,
        ("2026-06", "Advisory support"): 0.5,
    }


# 2. no plot too short to read


def _one_row_bars() -> pl.DataFrame:
    return pl.DataFrame(
        {"category": ["reactive"], "unit": ["hours"], "purchased": [10.0], "used": [4.0],
         "scheduled": [0.0], "remaining": [6.0]}
    )  # fmt: skip


def test_no_chart_is_drawn_under_the_minimum_height():
    """One bar was 40 pixels of plot; a month chart, fitted to its height with its legend and
    axis, drew its bars about 50 pixels high. Each chart's height is now its plot's (fitted to
    the width only), and never under 160."""
    assert chart_specs.MIN_HEIGHT == 160
    months = pl.DataFrame(
        {"month": [JAN], "category": ["reactive"], "unit": ["hours"], "amount": [1.0]}
    )
    counted = pl.DataFrame({"label": ["No entitlement"], "cases": [3]})
    terms = pl.DataFrame(
        {"label": ["K1 · Support"], "start_date": [JAN], "end_date": [MAR], "state": ["active"],
         "days_left": [30]}
    )  # fmt: skip
    line = pl.DataFrame({"day": [JAN, FEB], "used": [0.0, 2.0], "series": ["Used"] * 2})
    balances = pl.DataFrame(
        {"date": [JAN], "balance": [10.0], "label": ["Credits A"], "redemptions": [0],
         "quantity": [0.0]}
    )  # fmt: skip
    specs = {
        "bars": charts.consumption_bars(_one_row_bars()).spec(),
        "months": charts.monthly_consumption(months).spec(),
        "counts": charts.counts(counted, "label", "cases", "support requests").spec(),
        "timeline": charts.timeline(terms, FEB).spec(),
        "burn-down": charts.burn_down(line, line.head(0), 10.0, "hours").spec(),
    }
    for name, spec in specs.items():
        assert spec["height"] >= 160, name
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}, name
    plots = charts.balance(balances).spec()["vconcat"]
    assert [plot["height"] for plot in plots] == [160]


def _bars(count: int) -> pl.DataFrame:
    labels = [f"E{n}" for n in range(count)]
    return pl.DataFrame(
        {"label": labels, "category": ["reactive"] * count, "unit": ["hours"] * count,
         "purchased": [10.0] * count, "used": [1.0] * count, "scheduled": [0.0] * count,
         "remaining": [9.0] * count}
    )  # fmt: skip


def test_many_bars_are_as_far_apart_as_before_and_few_fill_the_minimum():
    # 40 pixels a bar: three bars (120) are drawn 160 high, four (160) and six 40 a bar
    heights = {
        count: charts.consumption_bars(_bars(count), label="label").spec()["height"]
        for count in (1, 3, 4, 6)
    }
    assert heights == {1: 160, 3: 160, 4: {"step": 40}, 6: {"step": 40}}
    for count in (1, 6):  # each bar as thick, however many share the plot
        spec = charts.consumption_bars(_bars(count), label="label").spec()
        assert spec["layer"][0]["mark"]["height"] == 28


# 3. status colours apart from category colours


def _status_specs() -> list[dict]:
    """Charts in status colours: bars with every segment, and a burn-down past its purchase."""
    bars = pl.DataFrame(
        {"category": ["reactive", "advisory"], "unit": ["hours"] * 2, "purchased": [10.0, 5.0],
         "used": [12.0, 6.0], "scheduled": [1.0, 0.0], "remaining": [-3.0, 1.0],
         "used_without_limit": [0.0, 2.0], "scheduled_without_limit": [0.0, 0.0]}
    )  # fmt: skip
    actual = pl.DataFrame({"day": [JAN, FEB], "used": [0.0, 12.0], "series": ["Used"] * 2})
    ahead = pl.DataFrame({"day": [FEB, MAR], "used": [12.0, 15.0], "series": ["Projected"] * 2})
    return [
        charts.consumption_bars(bars).spec(),
        charts.burn_down(actual, ahead, 10.0, "hours").spec(),
    ]


def _category_specs() -> list[dict]:
    """Charts in category colours: consumption by month of every category, support by month."""
    categories = list(charts.CATEGORY_PALETTE)
    months = pl.DataFrame(
        {"month": [JAN] * len(categories), "category": categories,
         "unit": ["hours"] * len(categories), "amount": [1.0] * len(categories)}
    )  # fmt: skip
    support = pl.DataFrame(
        {"month": [JAN, JAN], "status": ["Reactive support", "Advisory support"],
         "hours": [1.0, 2.0]}
    )  # fmt: skip
    return [
        charts.monthly_consumption(months).spec(),
        charts.monthly_by_status(support, "hours", "hours", kind="Support").spec(),
    ]


def test_status_colours_and_category_colours_share_none():
    status = set().union(*(_hex_colours(s) for s in _status_specs()))
    category = set().union(*(_hex_colours(s) for s in _category_specs()))
    # the meanings the brief names, each in its colour
    assert {"#0072B2", "#56B4E9", "#D9D9D9", "#D55E00"} <= status
    assert len(category) >= 7  # a colour for each of the seven categories
    assert not status & category
    palettes = {c.upper() for c in charts.STATUS_PALETTE}
    assert not palettes & {c.upper() for c in charts.CATEGORY_PALETTE.values()}


def test_charts_of_no_purchase_use_no_status_colour():
    """A credit balance, cases counted per reason and packages' terms are neither used,
    scheduled, remaining nor over: drawn in blue (used) and with the as-of day in vermillion
    (the warning), they said what they did not mean."""
    balances = pl.DataFrame(
        {"date": [JAN, FEB], "balance": [10.0, 8.0], "label": ["Credits A"] * 2,
         "redemptions": [0, 1], "quantity": [0.0, 2.0]}
    )  # fmt: skip
    counted = pl.DataFrame({"label": ["No entitlement"], "cases": [3]})
    terms = pl.DataFrame(
        {"label": ["K1", "K2", "K3"], "start_date": [JAN] * 3, "end_date": [MAR] * 3,
         "state": ["active", "upcoming", "expired"], "days_left": [30, 60, -1]}
    )  # fmt: skip
    meanings = {"#0072B2", "#56B4E9", "#D9D9D9", "#D55E00"}
    for spec in (
        charts.balance(balances).spec(),
        charts.counts(counted, "label", "cases", "support requests").spec(),
        charts.timeline(terms, FEB).spec(),
    ):
        assert _hex_colours(spec) and not _hex_colours(spec) & meanings


def test_a_bars_segments_are_in_their_status_colours():
    spec = _status_specs()[0]
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours == {
        "Used": "#0072B2",
        "Scheduled": "#56B4E9",
        "Remaining": "#D9D9D9",
        "Overage": "#D55E00",
        "No limit": charts.WITHOUT_LIMIT,
    }


def test_support_by_month_is_in_the_colours_of_its_categories():
    spec = _category_specs()[1]
    scale = spec["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["Reactive support"] == charts.CATEGORY_PALETTE["reactive"]
    assert colours["Advisory support"] == charts.CATEGORY_PALETTE["advisory"]


# 4. use past the purchased quantity in the warning colour, with its amount


def _past_layers(spec: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """The rows of the burn-down's lines past purchased (to date, projected) and its notes."""
    drawn = [_rows(spec, view) for view in spec["layer"]]
    return drawn[5], drawn[6], drawn[7]  # after the forecast band (layer 0)


def test_the_burn_down_draws_use_past_purchased_in_the_warning_colour_with_its_amount():
    # 10 purchased; 6 used by 1 Feb, 12 by 15 Feb: past it on 15 Feb by 2. At that pace, 17 by
    # 1 Mar: projected past it by 7
    actual = pl.DataFrame(
        {"day": [JAN, FEB, date(2032, 2, 15)], "used": [0.0, 6.0, 12.0], "series": ["Used"] * 3}
    )
    ahead = pl.DataFrame(
        {"day": [date(2032, 2, 15), MAR], "used": [12.0, 17.0], "series": ["Projected"] * 2}
    )
    spec = charts.burn_down(actual, ahead, 10.0, "hours").spec()
    used_past, projected_past, notes = _past_layers(spec)
    # from the purchased line, on the day of the step up, to 12
    assert [(r["day"][:10], r["used"], r["over_by"]) for r in used_past] == [
        ("2032-02-15", 10.0, 0.0),
        ("2032-02-15", 12.0, 2.0),
    ]
    assert [(r["day"][:10], r["used"]) for r in projected_past] == [
        ("2032-02-15", 12.0),
        ("2032-03-01", 17.0),
    ]
    assert [r["note"] for r in notes] == ["over by 2", "over by 7 at this rate"]
    for view in spec["layer"][5:]:
        assert view["mark"]["color"] == charts.OVERAGE == "#D55E00"
    # drawn: a line and the notes in vermillion
    svg = vl_convert.vegalite_to_svg(json.dumps({**spec, "width": 600}))
    assert re.search(r'<path[^>]*stroke="#D55E00"', svg)
    for note in ("over by 2", "over by 7 at this rate"):
        assert re.search(rf'<text[^>]*fill="#D55E00"[^>]*>{note}</text>', svg), note


def test_a_projection_goes_past_purchased_where_it_crosses_it():
    # 8 used of 10 on 1 Feb, 18 projected by 2 Mar (29 days later): 10 is a fifth of the way,
    # 5.8 days, the nearest day 7 Feb
    actual = pl.DataFrame({"day": [JAN, FEB], "used": [0.0, 8.0], "series": ["Used"] * 2})
    ahead = pl.DataFrame(
        {"day": [FEB, date(2032, 3, 2)], "used": [8.0, 18.0], "series": ["Projected"] * 2}
    )
    spec = charts.burn_down(actual, ahead, 10.0, "hours").spec()
    used_past, projected_past, notes = _past_layers(spec)
    assert used_past == []  # within the purchase to date
    assert [(r["day"][:10], r["used"]) for r in projected_past] == [
        ("2032-02-07", 10.0),
        ("2032-03-02", 18.0),
    ]
    assert [r["note"] for r in notes] == ["over by 8 at this rate"]


def test_a_burn_down_within_its_purchase_has_nothing_in_the_warning_colour():
    actual = pl.DataFrame({"day": [JAN, FEB], "used": [0.0, 4.0], "series": ["Used"] * 2})
    ahead = pl.DataFrame({"day": [FEB, MAR], "used": [4.0, 9.5], "series": ["Projected"] * 2})
    spec = charts.burn_down(actual, ahead, 10.0, "hours").spec()
    assert _past_layers(spec) == ([], [], [])
    svg = vl_convert.vegalite_to_svg(json.dumps({**spec, "width": 600}))
    assert "#D55E00" not in svg.upper() and "over by" not in svg


# 5. one way of writing numbers and days


def _formats(spec: dict) -> list[str]:
    return re.findall(r'"format": "([^"]*)"', json.dumps(spec))


def test_charts_write_days_months_amounts_and_counts_one_way():
    terms = pl.DataFrame(
        {"label": ["K1 · Support"], "start_date": [JAN], "end_date": [MAR], "state": ["active"],
         "days_left": [30]}
    )  # fmt: skip
    timeline = charts.timeline(terms, FEB).spec()
    assert set(_formats(timeline)) == {"%b %Y", "%-d %b %Y", ",d"}  # month axis; days; count
    counted = pl.DataFrame({"label": ["No entitlement"], "cases": [3]})
    assert set(_formats(charts.counts(counted, "label", "cases", "cases").spec())) == {",d"}
    every = [*_status_specs(), *_category_specs(), timeline]
    for spec in every:
        assert "%Y-%m-%d" not in json.dumps(spec)
        assert ",.1~f" in _formats(spec) or ",d" in _formats(spec)
    # seats are counted: a count on their axis and in their tooltips
    seats = _one_row_bars().with_columns(unit=pl.lit("seats"), category=pl.lit("education"))
    seat_formats = _formats(charts.consumption_bars(seats).spec())
    assert seat_formats and set(seat_formats) == {",d"}


# 6. grids: written as the charts write, the download kept whole


def _config(element) -> dict:
    return json.loads(element.proto.columns)


def test_a_grid_shows_whole_percentages_rounded_amounts_and_no_checkbox(monkeypatch):
    from streamlit.testing.v1 import AppTest

    def page():
        from datetime import date, datetime

        import polars as pl

        from dashboard.app import tables

        tables.grid(
            pl.DataFrame(
                {
                    "used": [1234.56, 2.04],
                    "utilisation": [0.4543, 2 / 3],
                    "days_left": [1049, 3],
                    "end_date": [date(2026, 12, 14), None],
                    "created_at": [datetime(2026, 12, 14, 9, 30), None],
                    "expiring_soon": [True, False],
                    "pace": [-0.125, None],
                }
            )
        )

    at = AppTest.from_function(page).run()
    assert not at.exception
    [shown] = at.dataframe
    values = shown.value
    assert list(values["used"]) == [1234.6, 2.0]
    assert list(values["utilisation"]) == [45, 67]
    assert list(values["expiring_soon"]) == ["Yes", ""]
    assert values["pace"][0] == -12 and values["pace"].isna()[1]
    config = _config(shown)
    formats = {name: column.get("type_config", {}).get("format") for name, column in
               config.items()}  # fmt: skip
    assert formats["used"] == "localized"
    assert formats["utilisation"] == formats["pace"] == "%d%%"
    assert formats["days_left"] == "%,d"
    assert formats["end_date"] == "D MMM YYYY"
    assert formats["created_at"] == "D MMM YYYY, HH:mm"
    assert all(column.get("type_config", {}).get("type") != "checkbox" for column in
               config.values())  # fmt: skip


def test_columns_without_a_format_of_their_own_are_written_as_the_rest():
    assert tables._default("rows", pl.Int64)["type_config"]["format"] == "%,d"
    assert tables._default("balance_after", pl.Float64)["type_config"]["format"] == "localized"
    assert tables._default("booked_on", pl.Date)["type_config"]["format"] == "D MMM YYYY"
    opened = tables._default("opened", pl.Datetime("us", "UTC"))
    assert opened["type_config"]["format"] == "D MMM YYYY, HH:mm"


def test_the_enterprise_grid_shows_whole_percentages_and_its_download_keeps_the_shares(
    app, downloads
):
    """E-CON: 2 of 3 contacts used, 2/3 (ANSWERS.md); E-ASM: 3 of 2 assessments, 1.5."""
    at = app(**{"as": "u-cadmin"})
    assert not at.exception
    [table] = [d.value for d in at.dataframe if "utilisation" in d.value.columns]
    shown = dict(zip(table["entitlement"], table["utilisation"], strict=True))
    assert shown["Named contacts"] == 67 and shown["On-demand assessments"] == 150
    [name] = [n for n in downloads if n.startswith("enterprise_entitlements")]
    rows = list(csv.DictReader(io.StringIO(downloads[name]().decode("utf-8-sig"))))
    kept = {row["entitlement"]: row["utilisation"] for row in rows}
    assert float(kept["Named contacts"]) == 2 / 3  # the whole share, not the shown 67
    assert float(kept["On-demand assessments"]) == 1.5
