"""Every chart the pages draw is a valid Vega-Lite spec, and the one Altair builds from its rows.

Pages draw charts unchecked (charts.draw, for speed), from a spec Altair built once for the
chart's shape with the rows put in (chart_specs.Sketch); this is where they are checked against the
schema and against the chart Altair builds directly, with the data the hand-made dataset gives
each page.
"""

import json
import re

import pytest

from dashboard.app import chart_specs, charts, pages

NO_CHARTS = {"proof-of-delivery", "contacts", "data", "manage-access"}  # by url path
PARAMS = {
    "customers": {"as": "am-ann"},  # an account manager's page: C1 and C2 side by side
    "add-ons": {"contract": "K-A"},
    "renewal": {"status": "all"},
    "credits": {"status": "all"},
}
PAGES = [
    (page.file, PARAMS.get(page.url_path, {}))
    for page in pages.PAGES
    if page.url_path not in NO_CHARTS
]


@pytest.mark.parametrize(("page", "params"), PAGES)
def test_every_chart_on_the_page_is_valid_vega_lite(app, monkeypatch, page, params):
    drawn: list[chart_specs.Recipe] = []
    original = charts.draw

    def draw(chart, place=None, **options):
        drawn.append(chart)
        return original(chart, place, **options)

    monkeypatch.setattr(charts, "draw", draw)
    at = app(**{"as": "u-cadmin", **params})
    at.switch_page(page).run()
    assert not at.exception
    assert drawn, f"{page} drew no chart"
    for recipe in drawn:
        spec = recipe.chart().to_dict(validate=True)  # raises on what Vega-Lite would not take
        assert "config" not in spec or "continuousWidth" not in spec["config"].get("view", {})
        assert _views_numbered(recipe.spec()) == _views_numbered(spec)


def _views_numbered(spec: dict) -> str:
    """`spec` as JSON with its views numbered in order. Altair names a layer that holds a
    selection after a digest of its data; a shape's spec names it after the placeholder, and
    Streamlit numbers them anyway (view_1, view_2...) before they are sent."""
    text = json.dumps(spec, sort_keys=True)
    names = dict.fromkeys(re.findall(r"view_[0-9a-f_]+", text))
    for number, name in enumerate(names, start=1):
        text = text.replace(f'"{name}"', f'"view #{number}"')
    return text


def test_a_chart_is_drawn_again_only_when_what_it_shows_changes(monkeypatch):
    from datetime import date

    import polars as pl

    built: list[str] = []
    original = chart_specs.Recipe.sketch

    def sketch(self):
        built.append(self.builder)
        return original(self)

    monkeypatch.setattr(chart_specs.Recipe, "sketch", sketch)
    months = [date(2031, 1, 1), date(2031, 2, 1)]  # a year no other test draws

    def monthly(amounts, unit="hours"):
        frame = pl.DataFrame(
            {"month": months, "category": ["reactive"] * 2, "unit": [unit] * 2, "amount": amounts}
        )
        return charts.monthly_consumption(frame)

    first = monthly([1.5, 2.0]).drawable()
    again = monthly([1.5, 2.0]).drawable()  # equal frames, built anew: no new chart
    assert built == ["monthly_consumption"] and again == first
    moved = monthly([1.5, 2.25]).drawable()  # one value moved: drawn again, with it
    assert built == ["monthly_consumption"] * 2 and moved != first
    assert monthly([1.5, 2.25], unit="seats").drawable() != moved  # another column value
    assert len(built) == 3
    chart_specs.forget_specs()  # as the benchmark does before its reruns with nothing cached
    assert monthly([1.5, 2.0]).drawable() == first  # the same spec, built once more
    assert len(built) == 4


def test_a_chart_in_one_unit_draws_only_that_units_rows():
    from datetime import date

    import polars as pl

    frame = pl.DataFrame(
        {
            "month": [date(2031, 1, 1), date(2031, 2, 1), date(2031, 1, 1)],
            "category": ["reactive", "reactive", "education"],
            "unit": ["hours", "hours", "seats"],
            "amount": [1.5, 2.0, 7.0],
        }
    )
    hours = charts.monthly_consumption(frame, unit="hours").spec()
    seats = charts.monthly_consumption(frame, unit="seats").spec()
    (hour_rows,) = hours["datasets"].values()
    (seat_rows,) = seats["datasets"].values()
    assert [row["amount"] for row in hour_rows] == [1.5, 2.0]
    # the seats chart spans the months of the whole frame, as the hours chart beside it does:
    # nothing in February is 0 seats
    assert [(row["month"][:7], row["amount"]) for row in seat_rows] == [
        ("2031-01", 7.0),
        ("2031-02", 0.0),
    ]
    assert {row["category"] for row in seat_rows} == {"education"}
    assert hours["encoding"]["y"]["title"] == "hours" and seats["encoding"]["y"]["title"] == "seats"

    entitlements = pl.DataFrame(
        {
            "category": ["reactive", "education"],
            "unit": ["hours", "seats"],
            "purchased": [100.0, 10.0],
            "used": [40.0, 12.0],
            "scheduled": [10.0, 0.0],
            "remaining": [50.0, -2.0],
        }
    )
    bars = charts.consumption_bars(entitlements, unit="seats").spec()
    shown = {row["category"] for rows in bars["datasets"].values() for row in rows}
    assert shown == {"education"}  # the hours row is in no layer
    assert bars["layer"][0]["encoding"]["x"]["title"] == "seats"


def test_a_charts_rows_go_to_the_browser_as_they_are():
    import polars as pl
    import pyarrow as pa

    frame = pl.DataFrame(
        {
            "category": ["reactive", "education", "credits"],
            "unit": ["hours"] * 3,
            "purchased": [100.0, None, 12.0],  # no purchased quantity: no tick, not a zero
            "used": [40.0, 3.0, 12.0],
            "scheduled": [10.0, 0.0, 0.0],
            "remaining": [50.0, None, 0.0],
        }
    )
    recipe = charts.consumption_bars(frame)
    spec, drawn = recipe.spec(), recipe.drawable()
    assert spec["datasets"].keys() == drawn["datasets"].keys()
    for name, rows in spec["datasets"].items():
        sent = pa.ipc.open_stream(drawn["datasets"][name]).read_all().to_pylist()
        assert sent == rows  # the same rows and values, None where one is missing
    ticks = [rows for rows in spec["datasets"].values() if len(rows) == 2]
    assert ticks and {row["category"] for row in ticks[0]} == {"reactive", "credits"}


def test_a_bar_reaches_its_purchased_mark_and_overage_and_use_with_no_limit_go_past_it():
    import polars as pl

    frame = pl.DataFrame(
        {
            "category": ["advisory", "reactive", "education"],
            "unit": ["hours", "hours", "seats"],
            "purchased": [20.0, 100.0, 50.0],
            # advisory: 8 against its 20 hours, and 6 on an entitlement with no limit
            "used": [14.0, 110.0, 58.0],
            "scheduled": [0.0, 0.0, 0.0],
            "remaining": [12.0, -10.0, 15.0],
            "used_without_limit": [6.0, 0.0, 23.0],
            "scheduled_without_limit": [0.0, 0.0, 0.0],
        }
    )
    spec = charts.consumption_bars(frame, unit="hours").spec()
    bars = spec["datasets"][spec["layer"][0]["data"]["name"]]
    segments = {(r["category"], r["measure"]): r["amount"] for r in bars}
    assert segments == {
        ("advisory", "Used"): 8,
        ("advisory", "Scheduled"): 0,
        ("advisory", "Remaining"): 12,  # 8 + 12 = 20, the purchased mark
        ("advisory", "No limit"): 6,
        # 110 used of 100, no overage given: a remaining below zero is the overage, so 100 up to
        # the purchased mark and 10 past it; nothing remains, nothing without a limit
        ("reactive", "Used"): 100,
        ("reactive", "Scheduled"): 0,
        ("reactive", "Remaining"): 0,
        ("reactive", "Overage"): 10,
    }
    legend = spec["layer"][0]["encoding"]["color"]["legend"]["values"]
    assert legend == ["Used", "Scheduled", "Remaining", "Overage", "No limit"]
    plain = frame.drop("used_without_limit", "scheduled_without_limit").with_columns(
        used=pl.Series([8.0, 110.0, 35.0])
    )
    spec = charts.consumption_bars(plain, unit="seats").spec()
    bars = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert {r["measure"]: r["amount"] for r in bars} == {
        "Used": 35,
        "Scheduled": 0,
        "Remaining": 15,
    }
    assert spec["layer"][0]["encoding"]["color"]["legend"]["values"] == [
        "Used",
        "Scheduled",
        "Remaining",
        "Overage",  # the hours chart of the same frame draws reactive's
    ]


def _enterprise_hours():
    """Enterprise-wide's hours for tests/enterprise_overage.py's customer admin: reactive 300
    purchased, 160 left on one contract and 50 over on the other, 10 more used on an entitlement
    with no limit; proactive 70 purchased, 10 left on one and 10 over on the other, 25
    scheduled; advisory only on an entitlement with no limit."""
    import polars as pl

    return pl.DataFrame(
        {
            "category": ["reactive", "proactive", "advisory"],
            "unit": ["hours"] * 3,
            "purchased": [300.0, 70.0, None],
            "used": [200.0, 45.0, 4.0],
            "scheduled": [0.0, 25.0, 0.0],
            "remaining": [160.0, 10.0, None],
            "utilisation": [190 / 300, 45 / 70, None],
            "overage": [50.0, 10.0, 0.0],
            "used_without_limit": [10.0, 0.0, 4.0],
            "scheduled_without_limit": [0.0, 0.0, 0.0],
        }
    )


def test_overage_is_a_segment_past_the_purchased_mark_in_the_warning_colour_with_its_amount():
    import vl_convert

    spec = charts.consumption_bars(_enterprise_hours(), unit="hours").spec()
    bars = spec["datasets"][spec["layer"][0]["data"]["name"]]
    segments = {(r["category"], r["measure"]): r["amount"] for r in bars}
    assert segments == {
        # used within the purchase 200 - 10 (no limit) - 50 (over) = 140, + remaining 160 = 300,
        # the purchased mark; then the 50 over, then the 10 with no limit: 360 in all
        ("reactive", "Used"): 140,
        ("reactive", "Scheduled"): 0,
        ("reactive", "Remaining"): 160,
        ("reactive", "Overage"): 50,
        ("reactive", "No limit"): 10,
        # the 10 over taken off scheduled: 45 used + 25 - 10 scheduled + 10 remaining = 70,
        # the purchased mark; then the 10 over: 80 in all
        ("proactive", "Used"): 45,
        ("proactive", "Scheduled"): 15,
        ("proactive", "Remaining"): 10,
        ("proactive", "Overage"): 10,
        # no purchased quantity: all 4 with no limit, nothing over
        ("advisory", "Used"): 0,
        ("advisory", "Scheduled"): 0,
        ("advisory", "Remaining"): None,
        ("advisory", "No limit"): 4,
    }
    colour = spec["layer"][0]["encoding"]["color"]
    scale = dict(zip(colour["scale"]["domain"], colour["scale"]["range"], strict=True))
    assert scale["Overage"] == charts.OVERAGE == "#D55E00"  # vermillion, apart from scheduled's
    assert colour["legend"]["values"] == ["Used", "Scheduled", "Remaining", "Overage", "No limit"]
    notes = spec["datasets"][spec["layer"][2]["data"]["name"]]
    assert [(r["category"], r["over_by"]) for r in notes] == [("reactive", 50), ("proactive", 10)]
    assert spec["layer"][2]["mark"]["color"] == charts.OVERAGE
    # drawn: each overage bar in the warning colour, and its note with its amount at the end of
    # the bar (reactive's at 360, proactive's at 80), in the warning colour too
    svg = vl_convert.vegalite_to_svg(json.dumps({**spec, "width": 600}))
    for category, over in (("Reactive support", 50), ("Proactive services", 10)):
        bar = re.search(rf'<path aria-label="[^"]*shown: {category}; measure: Overage;[^>]*>', svg)
        assert bar and 'fill="#D55E00"' in bar.group(0), category
        note = re.search(rf'<text aria-label="end: [0-9]+; shown: {category}; note: over by '
                         rf'{over}"[^>]*>over by {over}</text>', svg)  # fmt: skip
        assert note and 'fill="#D55E00"' in note.group(0), category
    assert "end: 360; shown: Reactive support" in svg and "end: 80; shown: Proactive" in svg
    assert "Advisory support; note" not in svg


def _entitlements(used: list[float], remaining: list[float]):
    import polars as pl

    return pl.DataFrame(
        {
            "category": ["reactive", "advisory"],
            "unit": ["hours", "hours"],
            "purchased": [100.0, 20.0],
            "used": used,
            "scheduled": [0.0, 0.0],
            "remaining": remaining,
        }
    )


def test_charts_of_one_shape_are_built_by_altair_once_and_show_each_their_own_rows():
    layouts: list[tuple] = []
    original = charts._consumption_bars

    def layout(*rows, **shape):
        layouts.append(tuple(sorted(shape.items())))
        return original(*rows, **shape)

    chart_specs._skeleton.cache_clear()
    chart_specs.forget_specs()
    try:
        charts._consumption_bars = layout
        # reactive 40 of 100 (60 left), advisory 5 of 20 (15 left)
        first = charts.consumption_bars(_entitlements([40.0, 5.0], [60.0, 15.0]))
        # another workspace's: reactive 70 of 100, advisory 25 of 20 (over by 5)
        second = charts.consumption_bars(_entitlements([70.0, 25.0], [30.0, -5.0]))
        # a third: reactive 60 of 100, advisory 22 of 20 (over by 2, a note as long)
        third = charts.consumption_bars(_entitlements([60.0, 22.0], [40.0, -2.0]))
        first_spec, second_spec = first.spec(), second.spec()
        third.spec()
        # two shapes: hours, the category, the legend's three segments, and room for a note
        # "over by N" in the second and third
        assert len(layouts) == 2
        charts.consumption_bars(_entitlements([1.0, 1.0], [99.0, 19.0]), legend=False).spec()
        assert len(layouts) == 3 and dict(layouts[2])["legend"] is None  # another shape
    finally:
        charts._consumption_bars = original
        chart_specs._skeleton.cache_clear()

    def segments(spec):
        bars = spec["datasets"][spec["layer"][0]["data"]["name"]]
        return {(r["category"], r["measure"]): r["amount"] for r in bars}

    assert segments(first_spec)[("reactive", "Used")] == 40
    assert segments(first_spec)[("advisory", "Remaining")] == 15
    assert segments(second_spec)[("reactive", "Used")] == 70
    assert segments(second_spec)[("advisory", "Remaining")] == 0  # over: nothing left
    notes = second_spec["datasets"][second_spec["layer"][2]["data"]["name"]]
    assert [(r["category"], r["remaining"]) for r in notes] == [("advisory", -5.0)]
    for recipe, spec in ((first, first_spec), (second, second_spec)):
        assert _views_numbered(spec) == _views_numbered(recipe.chart().to_dict(validate=True))


def test_an_overage_note_keeps_one_small_margin_whatever_its_length():
    """The chart fits an "over by N" note in its width itself; the margin right of the plot is
    for the few pixels the browser draws it wider than measured. Room for the whole note
    counted it twice: on a phone, the customer admin's Support chart (over by 70,910.3) had no
    width left for its bars."""
    long = charts.consumption_bars(_entitlements([71_010.3, 5.0], [-70_910.3, 15.0])).spec()
    short = charts.consumption_bars(_entitlements([70.0, 25.0], [30.0, -5.0])).spec()
    none = charts.consumption_bars(_entitlements([40.0, 5.0], [60.0, 15.0])).spec()
    assert long["padding"]["right"] == short["padding"]["right"] == 24
    assert none["padding"]["right"] == 5


def test_layers_showing_equal_rows_share_one_dataset_as_altair_makes_them():
    # both rows over their purchase: the purchased marks and the overage notes show the same rows
    recipe = charts.consumption_bars(_entitlements([110.0, 26.0], [-10.0, -6.0]))
    spec = recipe.spec()
    purchased, over = (spec["layer"][i]["data"]["name"] for i in (1, 2))
    assert purchased == over and len(spec["datasets"]) == 2
    assert [r["remaining"] for r in spec["datasets"][over]] == [-10.0, -6.0]
    assert _views_numbered(spec) == _views_numbered(recipe.chart().to_dict(validate=True))


def test_a_charts_own_frames_are_its_data_and_the_as_of_day_is_one_of_them():
    from datetime import date

    import polars as pl

    terms = pl.DataFrame(
        {
            "label": ["K1 · Support"],
            "start_date": [date(2030, 1, 1)],
            "end_date": [date(2030, 12, 31)],
            "state": ["active"],
            "days_left": [200],
        }
    )
    june, july = (
        charts.timeline(terms, day).spec() for day in (date(2030, 6, 14), date(2030, 7, 1))
    )
    rule = [spec["datasets"][spec["layer"][1]["data"]["name"]] for spec in (june, july)]
    assert rule == [[{"day": "2030-06-14T00:00:00"}], [{"day": "2030-07-01T00:00:00"}]]


def _axes(spec: dict, channel: str) -> list[dict]:
    """The axis of `channel` in every view of `spec` that gives one."""
    views = [spec, *spec.get("layer", [])]
    return [
        v["encoding"][channel].get("axis", {}) for v in views if channel in v.get("encoding", {})
    ]


def test_whole_units_tick_whole_numbers_and_hours_do_not():
    import polars as pl

    def bars(unit):
        frame = pl.DataFrame(
            {"label": ["A"], "category": ["assessments"], "unit": [unit], "purchased": [3.0],
             "used": [4.0], "scheduled": [0.0], "remaining": [-1.0]}
        )  # fmt: skip
        return charts.consumption_bars(frame, label="label", unit=unit).spec()

    for unit in ("assessments", "seats", "contacts"):
        assert {"tickMinStep": 1, "format": ",d"} in _axes(bars(unit), "x"), unit
    assert all("tickMinStep" not in axis for axis in _axes(bars("hours"), "x"))


def test_credit_balances_are_drawn_one_plot_each_on_one_time_axis():
    """Two entitlements with close balances drawn on one plot hid each other."""
    from datetime import date

    import polars as pl

    frame = pl.DataFrame(
        {
            "date": [date(2026, 1, 1), date(2026, 2, 1), date(2026, 1, 1), date(2026, 2, 1)],
            "balance": [10.0, 8.0, 10.0, 8.5],
            "label": ["Credits B", "Credits B", "Credits A", "Credits A"],
            "redemptions": [0, 1, 0, 1],
            "quantity": [0.0, 2.0, 0.0, 1.5],
        }
    )
    spec = charts.balance(frame).spec()
    plots = spec["vconcat"]
    assert [p["title"]["text"] for p in plots] == ["Credits A", "Credits B"]  # by name
    filters = [p["transform"][0]["filter"] for p in plots]
    assert filters == ["(datum.label === 'Credits A')", "(datum.label === 'Credits B')"]
    assert spec["resolve"]["scale"] == {"x": "shared", "y": "independent"}
    # the dates are written under the last plot only
    labelled = [p["encoding"]["x"]["axis"].get("labels", True) for p in plots]
    assert labelled == [False, True]
