"""Enterprise-wide draws its consumption as two views, not one per unit: every unit's bars
against purchased one above the other in one chart with one click selection, and every unit's
months in another. Expected figures are worked out by hand from tests/fixtures/tiny: the
customer admin's active enterprise packages on 30 Jun 2026 are P-A1, P-B1 and P-N1, and their
monthly use is listed in tests/sql/test_activity.py."""

import json

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from dashboard.ingest import data_home
from tests.app.conftest import APP, texts

CLICKS = "category_0_units"  # the consumption chart's key: its selection, as Streamlit keeps it


def drawn(at) -> list[tuple[dict, dict[str, list[dict]]]]:
    """Each chart's spec, with the rows of each of its datasets by name."""
    return [
        (
            json.loads(element.proto.spec),
            {
                d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist()
                for d in element.proto.datasets
            },
        )
        for element in at.get("vega_lite_chart")
    ]


def layer_rows(layer: dict, datasets: dict) -> list[dict]:
    return datasets[layer["data"]["name"]]


def test_the_page_draws_two_views_one_of_bars_and_one_of_months(app):
    at = app(**{"as": "u-cadmin"})
    assert not at.exception
    assert len(drawn(at)) == 2  # before: one per unit of each, 5 and 4


def test_every_units_bars_against_purchased_in_one_chart(app):
    at = app(**{"as": "u-cadmin"})
    (bars, datasets), _months = drawn(at)
    panels = bars["vconcat"]
    # hours first, then the other units by name: seats are the education entitlements'
    assert [p["layer"][0]["encoding"]["x"]["title"] for p in panels] == [
        "hours",
        "assessments",
        "contacts",
        "credits",
        "seats",
    ]
    purchased = [
        {r["shown"]: r["purchased"] for r in layer_rows(p["layer"][1], datasets)} for p in panels
    ]
    assert purchased == [
        # E-REA 100 + E-BREA 30 + E-NREA 10; E-ADV 20 (E-UNL has no limit); E-PRO 40
        {"Reactive support": 140, "Advisory support": 20, "Proactive services": 40},
        {"On-demand assessments": 2},  # E-ASM
        {"Named contacts": 3},  # E-CON
        {"Proactive credits": 10},  # E-CRD (the credits of P-A3 and P-B2 are add-ons)
        {"On-demand education": 7},  # E-EDU 5 + E-BEDU 2
    ]
    assert bars["resolve"]["scale"]["x"] == "independent"  # each unit on an axis of its own
    # one selection over every unit's bars
    [pick] = bars["params"]
    assert pick["name"] == "pick"
    assert pick["views"] == [p["layer"][0]["name"] for p in panels]


def test_every_units_months_in_one_chart_on_one_time_axis(app):
    at = app(**{"as": "u-cadmin"})
    _bars, (months, datasets) = drawn(at)
    panels = months["vconcat"]
    assert [p["encoding"]["y"]["title"] for p in panels] == [
        "hours",
        "assessments",
        "credits",
        "seats",
    ]
    totals = []
    for panel in panels:
        by_month: dict[str, float] = {}
        for row in layer_rows(panel, datasets):
            by_month[row["month"][:7]] = by_month.get(row["month"][:7], 0) + row["amount"]
        totals.append(by_month)
    assert totals == [
        # reactive 10 + proactive 8; advisory 8; reactive 12; reactive 29.5 + proactive 16;
        # reactive 2 + advisory 6
        {"2026-02": 18, "2026-03": 8, "2026-04": 12, "2026-05": 45.5, "2026-06": 8},
        {"2026-02": 1, "2026-03": 0, "2026-04": 0, "2026-05": 0, "2026-06": 1},
        {"2026-02": 0, "2026-03": 4, "2026-04": 0, "2026-05": 0, "2026-06": 0},
        {"2026-02": 1, "2026-03": 3, "2026-04": 1, "2026-05": 1, "2026-06": 0},
    ]
    assert months["resolve"]["scale"] == {"x": "shared", "y": "independent", "color": "shared"}
    # each unit under a legend of the categories it draws
    assert months["resolve"]["legend"] == {"color": "independent"}
    legends = [p["encoding"]["color"]["legend"]["values"] for p in panels]
    assert legends == [["reactive", "advisory", "proactive"], ["assessments"], ["credits"],
                       ["education"]]  # fmt: skip


def test_a_click_on_any_units_bar_lists_its_entitlements(app):
    at = app(**{"as": "u-cadmin"})
    at.session_state[CLICKS] = {"selection": {"pick": [{"category": "education"}]}}
    at.run()
    assert not at.exception
    assert sorted(at.dataframe[1].value["entitlement"]) == ["Lab education", "On-demand education"]
    # then a bar of another unit too: both listed
    at.session_state[CLICKS] = {
        "selection": {"pick": [{"category": "education"}, {"category": "reactive"}]}
    }
    at.run()
    assert sorted(at.dataframe[1].value["entitlement"]) == [
        "Lab education",
        "Lab reactive support",
        "On-demand education",
        "Reactive support",
        "Unassigned reactive",
    ]
    assert "Entitlements: On-demand education, Reactive support" in texts(at)
    assert at.query_params["pick-category"] == ["education", "reactive"]
    at.button[0].click().run()  # Clear selection
    assert len(at.dataframe[1].value) == 11


def test_a_link_with_a_pick_draws_it_selected_on_the_one_chart(app):
    at = app(**{"as": "u-cadmin", "pick-category": ["advisory", "nonsense"]})
    assert not at.exception
    (bars, _), _months = drawn(at)
    assert bars["params"][0]["value"] == [{"category": "advisory"}]


def test_the_overage_legend_entry_is_on_the_one_chart(monkeypatch, tmp_path):
    from tests import enterprise_overage as case

    monkeypatch.setenv(data_home.ENV_VAR, str(case.imported(tmp_path)))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["as"] = "u-admin"
    at.run()
    assert not at.exception
    (bars, _), *_ = drawn(at)
    legend = bars["vconcat"][0]["layer"][0]["encoding"]["color"]["legend"]
    assert "Overage" in legend["values"]
