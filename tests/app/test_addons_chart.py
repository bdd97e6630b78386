"""Add-on packages draw each package's consumption in one view, every unit a panel of it: each
Vega view costs the browser tens of milliseconds to draw."""

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import pages
from dashboard.ingest import data_home
from dashboard.ingest.importer import import_dataset
from tests.app.conftest import APP
from tests.conftest import FIXTURE, FIXTURE_AS_OF

ADD_ONS = pages.by_path("add-ons").file


@pytest.fixture(scope="module")
def add_on_of_two_units(tmp_path_factory):
    """The hand-made dataset, plus 4 course seats in the add-on P-A2 (K-A), E-XS, none taken:
    P-A2 then holds hours (E-WS, 16) and seats (E-XS, 4); P-A3 credits only (E-OC, 5)."""
    base = tmp_path_factory.mktemp("add-on-units")
    src = base / "src"
    shutil.copytree(FIXTURE, src)
    with (src / "entitlements.csv").open("a", encoding="utf-8") as out:
        out.write("E-XS,P-A2,education,Add-on seats,Extra course seats,consumable,seats,4,\n")
    import_dataset(src, base / "home", FIXTURE_AS_OF)
    return base / "home"


def _x_titles(spec: dict) -> list[str]:
    """The unit on the x axis of each panel of a chart, top to bottom."""
    panels = spec.get("vconcat", [spec])
    return [panel["layer"][0]["encoding"]["x"]["title"] for panel in panels]


def test_each_add_on_is_one_view_of_every_unit_it_holds(add_on_of_two_units, monkeypatch):
    monkeypatch.setenv(data_home.ENV_VAR, str(add_on_of_two_units))
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in {"as": "u-cadmin", "contract": "K-A", "status": "all"}.items():
        at.query_params[key] = value
    at.run().switch_page(ADD_ONS).run()
    assert not at.exception
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    # two add-ons, one view each (three views before: P-A2's hours and seats apart)
    assert sorted(_x_titles(spec) for spec in specs) == [["credits"], ["hours", "seats"]]
