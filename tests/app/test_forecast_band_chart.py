"""The burn-down draws the forecast band (issue 34, item 3): a shaded area between the
projection at the slow and the fast end of the burn rate's range, under the lines, with a legend
entry and a tooltip; and the Renewal planning page draws it from the renewal forecast."""

from __future__ import annotations

from datetime import date

import polars as pl
import pyarrow as pa

from dashboard.app import charts
from tests.app.conftest import texts
from tests.app.test_detail_views import RENEWAL, view

FEB, MAR = date(2032, 2, 1), date(2032, 3, 1)


def _rows(spec: dict, view: dict) -> list[dict]:
    return spec["datasets"][view["data"]["name"]]


def test_the_band_is_an_area_under_the_lines_with_its_legend_and_tooltip():
    actual = pl.DataFrame({"day": [FEB], "used": [4.0], "series": ["Used"]})
    ahead = pl.DataFrame({"day": [FEB, MAR], "used": [4.0, 9.0], "series": ["Projected"] * 2})
    band = pl.DataFrame(
        {"day": [FEB, MAR], "low": [4.0, 6.0], "high": [4.0, 12.0],
         "runs_out": ["24 Feb – 1 Apr 2032"] * 2, "per_day": ["0.07 – 0.28 hours"] * 2}
    )  # fmt: skip
    spec = charts.burn_down(actual, ahead, 10.0, "hours", band).spec()
    area = spec["layer"][0]  # first: drawn under the lines
    assert area["mark"]["type"] == "area"
    assert (area["encoding"]["y"]["field"], area["encoding"]["y2"]["field"]) == ("low", "high")
    assert [(r["low"], r["high"]) for r in _rows(spec, area)] == [(4.0, 4.0), (6.0, 12.0)]
    fill = area["encoding"]["fill"]
    assert fill["scale"] == {"domain": ["80% range"], "range": [charts.USED]}
    assert fill["legend"]["orient"] == "top"
    said = {t["title"]: t["field"] for t in area["encoding"]["tooltip"]}
    assert said == {"Range": "name", "Runs out": "runs_out", "Used per day": "per_day"}
    assert _rows(spec, area)[0]["runs_out"] == "24 Feb – 1 Apr 2032"


def test_without_a_band_the_area_has_no_rows():
    actual = pl.DataFrame({"day": [FEB], "used": [4.0], "series": ["Used"]})
    ahead = pl.DataFrame({"day": [FEB, MAR], "used": [4.0, 9.0], "series": ["Projected"] * 2})
    spec = charts.burn_down(actual, ahead, 10.0, "hours").spec()
    assert spec["layer"][0]["mark"]["type"] == "area"
    assert _rows(spec, spec["layer"][0]) == []


def _band_table(at) -> dict:
    """The band's rows the burn-down was sent (an empty frame is not sent at all)."""
    burn = at.get("vega_lite_chart")[-1].proto
    tables = [pa.ipc.open_stream(d.data.data).read_all() for d in burn.datasets]
    band = [t for t in tables if "runs_out" in t.column_names]
    return band[0].to_pydict() if band else {"runs_out": []}


def test_the_page_draws_the_band_of_the_entitlement_picked(app):
    """E-REA (tests/fixtures/tiny/ANSWERS.md, Forecast band): 39.5 used, nothing scheduled,
    184 days left, the rate between 0 and 0.694706 a day: the band from 39.5 on 30 Jun to
    39.5 and 39.5 + 0.694706 × 184 = 167.33 on 31 Dec 2026; it runs out on 26 Sep 2026 at the
    earliest, maybe never."""
    at = view(app, RENEWAL, "u-cadmin")
    at.selectbox(key="burn_pick").set_value("E-REA").run()
    assert not at.exception
    band = _band_table(at)
    assert band["low"] == [39.5, 39.5]
    assert band["high"][0] == 39.5 and abs(band["high"][1] - 167.33) < 0.01
    assert band["runs_out"] == ["26 Sep 2026 or later"] * 2
    shown = texts(at)
    assert "The shaded range: 0 to 0.69 hours a day, at which it runs out: 26 Sep 2026" in shown
    assert "80% range of the pace" in shown and "1.28 standard errors" in shown
    risks = at.dataframe[0].value
    between = dict(zip(risks["name"], risks["runs_out_between"], strict=True))
    assert between["Reactive support"] == "26 Sep 2026 or later"
    assert between["Proactive services"] == "10 Jul 2026 or later"  # E-PRO


def test_an_entitlement_without_a_band_says_why(app):
    at = view(app, RENEWAL, "u-cadmin")
    at.selectbox(key="burn_pick").set_value("E-ADV").run()  # nothing used since March
    assert _band_table(at)["runs_out"] == []
    assert "No range: nothing used in the window." in texts(at)
