"""Every page as each kind of user, through Streamlit's AppTest, over the hand-made dataset."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import pages
from dashboard.ingest import data_home
from tests.app.conftest import APP, charts, metrics, plain, texts

ABOUT_THE_DATA = pages.by_path("data").file
ADD_ONS = pages.by_path("add-ons").file
CONTACTS = pages.by_path("contacts").file
EDUCATION = pages.by_path("education").file
ENTERPRISE = pages.by_path("start").file
PROOF = pages.by_path("proof-of-delivery").file
RENEWAL = pages.by_path("renewal").file
SUPPORT = pages.by_path("support").file


@pytest.mark.parametrize(
    ("user", "contracts", "hidden"),
    [
        ("u-cadmin", "3", None),  # K-A, K-B and the unmapped K-NULL
        ("u-wsadmin", "1", None),
        ("u-act", "2", "10 hidden by your permissions"),
        ("u-train", "1", "2 hidden by your permissions"),
        ("u-contact", "1", "1 hidden by your permissions"),
        ("u-gadmin", "1", None),
    ],
)
def test_enterprise_page_per_role(app, user, contracts, hidden):
    at = app(**{"as": user})
    assert not at.exception
    assert at.title[0].value == "Enterprise-wide"
    assert metrics(at)["Active contracts"] == contracts
    caption = next(c.value for c in at.caption if "opened in the date range" in c.value)
    if hidden:
        assert hidden in caption
    else:
        assert "hidden" not in caption


def test_customer_admin_sees_the_enterprise_figures(app):
    at = app(**{"as": "u-cadmin"})
    # hours: advisory 14 + proactive 24 + reactive 53.5 = 91.5 used, less E-UNL's 6 with no
    # purchased quantity: 85.5 of 20 + 40 + 140 = 200, 42.75%; no hours over
    assert metrics(at)["Enterprise hours used"] == "43%"
    hours = next(m for m in at.metric if m.label == "Enterprise hours used")
    assert not hours.delta and "85.5 of 200" in hours.help and "6 more on" in hours.help
    assert "10 support requests opened" in texts(at)
    assert metrics(at)["Packages expiring soon"] == "2"  # P-A2 and P-B1
    contracts = at.dataframe[0].value
    assert list(contracts["contract_number"]) == ["CN-200", "CN-100", "CN-400"]
    assert list(contracts["days_left"]) == [77, 184, 184]
    # E-UNL's 6 advisory hours have no purchased quantity: drawn after the purchased mark
    assert "use on entitlements with no limit comes after it" in texts(at)
    assert "no limit" not in texts(app(**{"as": "u-gadmin"}))  # Globex has none


def test_enterprise_hours_name_the_overage_another_contracts_remaining_would_hide(
    monkeypatch, tmp_path
):
    from tests import enterprise_overage as case

    monkeypatch.setenv(data_home.ENV_VAR, str(case.imported(tmp_path)))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["as"] = "u-admin"
    at.run()
    assert not at.exception
    hours = next(m for m in at.metric if m.label == "Enterprise hours used")
    # proactive 45 + reactive 200 - 10 with no limit + advisory 4 - 4 with no limit = 235 of
    # 70 + 300 = 370 purchased: 63.5%; 10 proactive + 50 reactive hours over
    assert case.ADMIN_HOURS == {"used": 235, "purchased": 370, "overage": 60}
    assert hours.value == "64%"
    assert hours.delta == "60 hours over"
    assert "235 of 370" in hours.help and "60 hours used or scheduled past" in hours.help
    assert "overage past an entitlement's own purchase" in texts(at)
    found = charts(at)
    # every unit's bars are one chart, a panel each (see tests/app/test_enterprise_charts.py)
    bars = [panel for spec, _ in found for panel in spec.get("vconcat", []) if "layer" in panel]
    legends = [b["layer"][0]["encoding"]["color"].get("legend") for b in bars]
    assert any(legend and "Overage" in legend["values"] for legend in legends)


def test_other_customer_sees_nothing_of_acme(app):
    at = app(**{"as": "u-gadmin"})
    shown = "\n".join(df.value.to_csv() for df in at.dataframe) + texts(at)
    assert "Acme" not in shown and "CN-100" not in shown
    assert "Globex" in shown


@pytest.mark.parametrize("user", ["u-none", "u-viewonly"])
def test_no_access_page_says_why_and_who_can_grant(app, user):
    at = app(**{"as": user})
    assert not at.exception
    assert at.title[0].value == "No access to Customer Activity"
    assert "can open the dashboard in no workspace" in plain(at.error[0].value)
    page = texts(at)
    assert "Cara Admin" in page and "Walt Wsadmin" in page
    assert not at.metric and not at.dataframe  # nothing else


def test_no_access_page_names_the_person_and_the_role_in_words(app):
    at = app(**{"as": "u-none"})
    assert "Nora None can open the dashboard in no workspace" in plain(at.error[0].value)
    page = texts(at)
    assert "Customer activity role" in page
    assert "u-none" not in page and "customer_activity" not in page


def test_yes_or_no_columns_read_as_text_not_checkboxes(app):
    at = app(**{"as": "u-cadmin"})
    contracts = at.dataframe[0]
    soon = dict(zip(contracts.value["contract_number"], contracts.value["expiring_soon"],
                    strict=True))  # fmt: skip
    assert soon == {"CN-200": "Yes", "CN-100": "", "CN-400": ""}
    config = json.loads(contracts.proto.columns)
    assert "checkbox" not in json.dumps(config)


def test_chart_click_filters_the_table_below(app):
    at = app(**{"as": "u-cadmin"})
    below = at.dataframe[1].value
    assert len(below) == 11  # every consumable entitlement of the active enterprise packages
    at.session_state["category_0_units"] = {"selection": {"pick": [{"category": "reactive"}]}}
    at.run()
    assert not at.exception
    below = at.dataframe[1].value
    assert sorted(below["entitlement"]) == [
        "Lab reactive support",
        "Reactive support",
        "Unassigned reactive",
    ]
    assert [b.label for b in at.button] == ["Clear selection"]
    assert linked(at, "pick-category") == ["reactive"]  # a copied link opens the same
    at.button[0].click().run()
    assert len(at.dataframe[1].value) == 11
    assert "pick-category" not in at.query_params


def linked(at, name: str) -> list[str]:
    """The values of `name` in the page's link."""
    values = at.query_params[name]
    return values if isinstance(values, list) else [values]


def test_a_link_with_a_pick_opens_the_drill_down_with_a_way_to_clear_it(app):
    at = app(**{"as": "u-cadmin", "pick-category": ["advisory", "nonsense"]})
    assert not at.exception
    # E-ADV and the unlimited E-UNL, both of P-A1
    assert sorted(at.dataframe[1].value["entitlement"]) == ["Advisory chat", "Advisory support"]
    assert linked(at, "pick-category") == ["advisory"]  # what is not on the chart: dropped
    [hours] = [s for s, _ in charts(at) if "hours" in json.dumps(s)][:1]
    assert '"value": [{"category": "advisory"}]' in json.dumps(hours)  # drawn selected
    assert [b.label for b in at.button] == ["Clear selection"]
    at.button[0].click().run()
    assert len(at.dataframe[1].value) == 11
    assert "pick-category" not in at.query_params


def test_charts_get_aggregated_rows_only(app):
    at = app(**{"as": "u-cadmin"})
    found = charts(at)
    assert len(found) == 2  # every unit's consumption bars in one, every unit's months in one
    for spec, rows in found:
        assert 0 < max(rows) <= 100  # tens of aggregated rows, never raw events
        assert len(json.dumps(spec)) < 100_000


def test_a_link_with_filters_opens_that_view(app):
    at = app(**{"as": "u-cadmin", "ws": "W2"})
    assert not at.exception
    assert metrics(at)["Active contracts"] == "1"  # K-B only; K-NULL needs no workspace picked
    assert at.session_state["f_ws"] == ["W2"]


def test_a_link_with_values_the_viewer_may_not_see_drops_them_with_a_notice(app):
    at = app(**{"as": "u-wsadmin", "ws": ["W1", "W3"], "contract": "K-NULL", "status": "bogus",
                "from": "2026-13-01"})  # fmt: skip
    assert not at.exception
    notices = plain(" ".join(w.value for w in at.warning))
    assert "W3" in notices and "K" in notices and "bogus" in notices and "2026" in notices
    assert metrics(at)["Active contracts"] == "1"
    assert at.session_state["f_ws"] == ["W1"]
    assert at.session_state["f_contract"] == ""
    assert at.session_state["f_status"] == "active"


def test_an_unknown_viewer_in_the_link_is_dropped_with_a_notice(app):
    at = app(**{"as": "<script>alert(1)</script>"})
    assert not at.exception
    # the first demo user instead: am-ann, an account manager of two customers, whose start
    # is My customers; the notice said before being sent there is said there
    assert at.title[0].value == "My customers"
    assert at.query_params["as"] == "am-ann"
    notices = [plain(w.value) for w in at.warning]
    assert len(notices) == 1 and "there is no user “<script>alert(1)</script>”" in notices[0]


def test_add_on_page_one_contract_at_a_time(app):
    at = app(**{"as": "u-cadmin", "status": "all"})
    at.switch_page(ADD_ONS).run()
    assert not at.exception
    assert "one contract at a time" in texts(at)
    at = app(**{"as": "u-cadmin", "status": "all", "contract": "K-A"})
    at.switch_page(ADD_ONS).run()
    page = texts(at)
    assert "Workshop add-on" in page and "Spring credits add-on" in page
    assert "Expiring soon" in page and "31 days left" in page and "Expired 91 days ago" in page
    grid = at.dataframe[0].value
    assert sorted(grid["name"]) == ["Spring credits", "Workshops"]
    assert set(grid["kind"]) == {"Consumable"}  # in words, as the data contract's consumable
    assert list(grid.loc[grid["name"] == "Workshops", "remaining"]) == [-4]


def test_one_contract_pages_show_the_only_contract_of_the_selection_without_a_pick(app):
    # Gina's customer has one contract, GX-1: Proof of delivery shows it straight away
    at = app(**{"as": "u-gadmin"})
    at.switch_page(PROOF).run()
    assert not at.exception
    page = texts(at)
    assert "one contract at a time" not in page
    assert "Everything booked against GX-1 · Globex Premier, the only contract in this" in page
    items = at.dataframe[1].value  # K20, 7 hours under Globex Enterprise
    assert list(zip(items["reference"], items["quantity"], items["package_name"], strict=True)) == [
        ("K20", 7, "Globex Enterprise")
    ]
    # the sidebar still says all contracts, and so does the link
    assert at.selectbox(key="f_contract").value == ""
    assert "contract" not in at.query_params
    at.switch_page(ADD_ONS).run()
    page = texts(at)
    assert "Add-on packages of GX-1 · Globex Premier, the only contract in this selection" in page
    assert "This contract has no add-on package" in page
    # W1 holds two contracts, CN-100 and CN-090 (expired): the page asks which
    at = app(**{"as": "u-cadmin", "ws": "W1"})
    at.switch_page(PROOF).run()
    assert "one contract at a time" in texts(at)


def test_add_on_page_benefits_listed_not_charted(app):
    at = app(**{"as": "u-cadmin", "status": "all", "contract": "K-A", "package": "P-A1"})
    at.switch_page(ADD_ONS).run()
    assert "no add-on package" in texts(at)  # P-A1 is the enterprise package


def test_date_range_narrows_activity_not_totals(app):
    whole = app(**{"as": "u-cadmin"})
    spring = app(**{"as": "u-cadmin", "from": "2026-04-01", "to": "2026-05-31"})
    whole_term = "Enterprise hours used (whole term, whatever the dates)"  # and says so
    assert metrics(spring)[whole_term] == metrics(whole)["Enterprise hours used"]
    caption = next(c.value for c in spring.caption if "opened in the date range" in c.value)
    assert caption.startswith("4 support requests")


def _opened(at) -> str:
    return next(c.value for c in at.caption if "opened in the date range" in c.value)


def test_a_quick_range_sets_the_dates_and_the_link(app):
    from datetime import date

    at = app(**{"as": "u-cadmin"})  # the tiny dataset is as of 2026-06-30
    assert at.selectbox(key="f_range").value == "every"
    assert "The contract's term" not in at.selectbox(key="f_range").options  # three contracts
    at.selectbox(key="f_range").set_value("90d").run()
    assert not at.exception
    assert at.date_input(key="f_from").value == date(2026, 4, 2)  # 89 days before, and the day
    assert at.date_input(key="f_to").value == date(2026, 6, 30)
    assert at.query_params["from"] == "2026-04-02" and at.query_params["to"] == "2026-06-30"
    assert _opened(at).startswith("6 support requests")  # K2, K5, K6, K8, K9, K10: not K4
    at.selectbox(key="f_range").set_value("quarter").run()
    assert at.date_input(key="f_from").value == date(2026, 4, 1)
    assert _opened(at).startswith("7 support requests")  # and K4, opened on 1 April
    at.selectbox(key="f_range").set_value("every").run()
    assert at.date_input(key="f_from").value is None and "from" not in at.query_params
    assert _opened(at).startswith("10 support requests")


def test_days_picked_by_hand_show_as_the_range_they_are(app):
    from datetime import date

    at = app(**{"as": "u-cadmin", "from": "2026-04-02", "to": "2026-06-30"})
    assert at.selectbox(key="f_range").value == "90d"  # a link opens with its range named
    assert "activity 2 Apr 2026 – 30 Jun 2026 (last 90 days)." in texts(at)  # under the title
    at.date_input(key="f_from").set_value(date(2026, 4, 3)).run()
    assert at.selectbox(key="f_range").value == "picked"
    assert "activity 3 Apr 2026 – 30 Jun 2026." in texts(at)
    assert at.selectbox(key="f_range").options[-1] == "Dates picked below"
    at.date_input(key="f_from").set_value(date(2026, 4, 2)).run()
    assert at.selectbox(key="f_range").value == "90d"
    assert "Dates picked below" not in at.selectbox(key="f_range").options


def test_the_term_of_the_contract_or_package_in_view_is_a_range(app):
    from datetime import date

    at = app(**{"as": "u-cadmin", "contract": "K-B", "package": "P-B2", "status": "all"})
    at.selectbox(key="f_range").set_value("contract").run()
    assert not at.exception
    assert (at.date_input(key="f_from").value, at.date_input(key="f_to").value) == (
        date(2026, 3, 1), date(2026, 9, 15)
    )  # fmt: skip
    at.selectbox(key="f_range").set_value("package").run()
    assert (at.date_input(key="f_from").value, at.date_input(key="f_to").value) == (
        date(2026, 5, 1), date(2026, 10, 31)
    )  # fmt: skip
    # CN-090 ran through 2025, the same days as last year: the range picked stays named
    at = app(**{"as": "u-cadmin", "contract": "K-OLD", "status": "all"})
    at.selectbox(key="f_range").set_value("contract").run()
    assert at.date_input(key="f_from").value == date(2025, 1, 1)
    assert at.selectbox(key="f_range").value == "contract"
    # Globex has one contract: its term is offered without a pick
    at = app(**{"as": "u-gadmin"})
    at.selectbox(key="f_range").set_value("contract").run()
    assert at.date_input(key="f_to").value == date(2026, 12, 31)


def test_a_new_dataset_is_picked_up_without_a_restart(monkeypatch, tmp_path):
    """Results are cached per dataset version: a re-import shows at the next rerun."""
    import shutil

    from dashboard.ingest.importer import import_dataset
    from tests.conftest import FIXTURE, FIXTURE_AS_OF

    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    home = tmp_path / "home"
    import_dataset(src, home, FIXTURE_AS_OF)
    monkeypatch.setenv(data_home.ENV_VAR, str(home))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["as"] = "u-gadmin"
    at.run()
    assert metrics(at)["Enterprise hours used"] == "28%"  # 7 of 25
    entitlements = (src / "entitlements.csv").read_text()
    (src / "entitlements.csv").write_text(entitlements.replace("hours,25,", "hours,50,"))
    import_dataset(src, home, FIXTURE_AS_OF)
    at.run()
    assert not at.exception
    assert metrics(at)["Enterprise hours used"] == "14%"  # 7 of 50


# What each fixture user may see of the contracts (by number): CN-100 K-A and CN-090 K-OLD are
# mapped to W1, CN-200 K-B and CN-300 K-UP to W2, CN-400 K-NULL to none, GX-1 is Globex's.
CONTRACTS_SEEN = {
    "u-cadmin": {"CN-100", "CN-090", "CN-200", "CN-300", "CN-400"},
    "u-wsadmin": {"CN-100", "CN-090"},
    "u-act": {"CN-100", "CN-090", "CN-200", "CN-300"},
    "u-viewall": {"CN-100", "CN-090"},
    "u-train": {"CN-200", "CN-300"},
    "u-group": {"CN-100", "CN-090"},
    "u-shared": {"CN-100", "CN-090"},
    "u-contact": {"CN-200", "CN-300"},
    "u-gadmin": {"GX-1"},
}
ALL_CONTRACTS = set().union(*CONTRACTS_SEEN.values())
PAGES = [ENTERPRISE, ADD_ONS, ABOUT_THE_DATA]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("user", sorted(CONTRACTS_SEEN))
def test_every_page_as_every_role_shows_only_what_they_may_see(app, user, page):
    at = app(**{"as": user, "status": "all"})
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error
    shown = "\n".join(df.value.to_csv() for df in at.dataframe) + texts(at)
    shown += "\n".join(str(s.options) for s in at.selectbox)
    forbidden = ALL_CONTRACTS - CONTRACTS_SEEN[user]
    assert not {number for number in forbidden if number in shown}
    if page == ADD_ONS:  # the contract picker offers exactly the contracts they may see
        pickers = [s for s in at.selectbox if s.label == "Contract" and "addon" in (s.key or "")]
        if len(CONTRACTS_SEEN[user]) == 1:  # no pick: the page shows the only one
            assert not pickers
            assert f"Add-on packages of {next(iter(CONTRACTS_SEEN[user]))} · " in shown
        else:
            assert {o.split(" · ")[0] for o in pickers[0].options} == CONTRACTS_SEEN[user]


def test_moving_the_dates_reruns_only_the_queries_that_read_dates(app, monkeypatch):
    from datetime import date

    from dashboard.app import results
    from dashboard.query import sql_files
    from dashboard.query.dataset import Dataset

    ran: list[str] = []
    original = Dataset.run

    def run(self, name, *args, **kwargs):
        ran.append(name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(Dataset, "run", run)
    results.forget_results()  # other tests may have filled it
    at = app(**{"as": "u-cadmin"})
    assert "enterprise_consumption" in ran  # the first run fills the cache
    ran.clear()
    at.date_input(key="f_from").set_value(date(2026, 3, 1)).run()
    assert not at.exception
    assert ran, "a new date range reruns something"
    assert "monthly_consumption" in ran  # reads the dates
    for name in ran:
        assert "date_from" in sql_files.load(name).parameters, name
    assert "enterprise_consumption" not in ran  # whole term: the dates do not change it


def test_pages_the_filters_do_not_change_grey_them_out_and_keep_them(app):
    at = app(**{"as": "u-cadmin", "ws": "W2"})
    at.switch_page(ABOUT_THE_DATA).run()
    assert not at.exception
    assert at.multiselect(key="f_ws").disabled and at.multiselect(key="f_ws").value == ["W2"]
    assert at.date_input(key="f_from").disabled and at.selectbox(key="f_range").disabled
    assert "This page does not use the filters" in texts(at)
    at.switch_page(SUPPORT).run()
    assert not at.multiselect(key="f_ws").disabled
    assert at.session_state["f_ws"] == ["W2"]
    assert "This page does not use the filters" not in texts(at)


def _metric_rows(node) -> list:
    """The blocks that hold the page's figures (st.metric), one per row of them."""
    rows = []
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", None) == "metric" and node not in rows:
            rows.append(node)
        rows += [r for r in _metric_rows(child) if r not in rows]
    return rows


FIGURE_PAGES = [
    ENTERPRISE,
    SUPPORT,
    RENEWAL,
    CONTACTS,
    EDUCATION,
    ABOUT_THE_DATA,
]


@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_headline_figures_wrap_onto_a_new_line_rather_than_cut_short(app, page):
    """In columns, a quarter of a laptop's page (the sidebar open) cut "Soonest contract end"
    to "Soonest contra…" and "193,722.5" to "193,72…"; a wrapping row moves a figure down."""
    at = app(**{"as": "u-cadmin", "status": "all"})
    at.switch_page(page).run()
    rows = _metric_rows(at._tree)
    assert rows, "the page shows no figures"
    for row in rows:
        layout = row.proto.flex_container
        assert layout.direction == layout.Direction.HORIZONTAL
        assert layout.wrap
