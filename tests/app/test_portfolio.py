"""My customers, an account manager's portfolio, through Streamlit's AppTest over the hand-made
dataset. am-ann serves C1 Acme Corporation and C2 Globex on the as-of day 2026-06-30; the
figures are tests/fixtures/tiny/ANSWERS.md's "Portfolio of am-ann", worked out by hand."""

import csv
import io

import pyarrow as pa
import pytest

from dashboard.app import pages
from tests.app.conftest import metrics, texts

PORTFOLIO = pages.PORTFOLIO.file
ENTERPRISE = pages.HOME.file
# the data contract's `portfolio` columns, in its order
CONTRACT_COLUMNS = [
    "customer_id", "customer_name", "active_contracts", "next_contract_end", "days_left",
    "enterprise_hours_purchased", "enterprise_hours_used", "enterprise_hours_utilisation",
    "overdrawn_entitlements", "packages_expiring_soon", "will_run_out", "additional_cases_90d",
]  # fmt: skip


def test_an_account_manager_of_several_customers_starts_on_my_customers(app):
    at = app(**{"as": "am-ann"})  # the root, as a bookmark opens it
    assert not at.exception
    assert at.title[0].value == "My customers"
    assert "the 2 customers you serve" in texts(at)
    assert not at.warning  # nothing was dropped on the way


def test_the_table_holds_each_customer_soonest_renewal_first(app):
    at = app(**{"as": "am-ann"})
    table = at.dataframe[0].value
    # C1's earliest end not renewed is K-B's 2026-09-15 (77 days), C2's K-G's 2026-12-31 (184)
    assert list(table["customer_name"]) == ["Acme Corporation", "Globex"]
    assert [str(day) for day in table["next_contract_end"]] == ["2026-09-15", "2026-12-31"]
    assert list(table["days_left"]) == [77, 184]
    assert list(table["active_contracts"]) == [3, 1]  # K-A, K-B, K-NULL; K-G
    # hours: C1 14 + 24 + 53.5 used of 20 + 40 + 140; C2 7 of 25
    assert list(table["enterprise_hours_used"]) == [91.5, 7]
    assert list(table["enterprise_hours_purchased"]) == [200, 25]
    # (91.5 - 6 used with no limit) / 200 = 42.75%; 7 / 25 = 28%, shown as whole percents
    assert list(table["enterprise_hours_utilisation"]) == [43, 28]
    assert list(table["will_run_out"]) == [5, 0]  # E-PRO, E-EDU, E-ASM, E-WS, E-BEDU
    assert list(table["overdrawn_entitlements"]) == [3, 0]  # E-ASM, E-WS, E-BEDU
    assert list(table["packages_expiring_soon"]) == [2, 0]  # P-A2 and P-B1
    assert list(table["additional_cases_90d"]) == [4, 1]  # K5, K6, K8, K9; K20
    assert list(table["outlook"]) == [
        "5 will run out · 3 overdrawn · 2 packages ending",
        "On track",
    ]


def test_the_headline_figures_count_customers(app):
    at = app(**{"as": "am-ann"})
    assert metrics(at) == {
        "Customers": "2",
        "Renewals within 90 days": "1",  # Acme's in 77 days; Globex's in 184
        "At risk": "1",  # Acme: 5 will run out, 3 overdrawn; Globex neither
        "Additional cases, last 90 days": "5",  # 4 of Acme's and 1 of Globex's
    }


def chart_rows(at) -> list[list[dict]]:
    """The rows of each dataset sent with the page's charts, chart by chart."""
    return [
        [pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in chart.proto.datasets]
        for chart in at.get("vega_lite_chart")
    ]


def test_the_charts_show_every_active_contract_and_each_customers_hours(app):
    at = app(**{"as": "am-ann"})
    timeline, hours = chart_rows(at)
    (terms,) = [rows for rows in timeline if rows and "renewal" in rows[0]]
    # the active contracts, each labelled with its customer (K-OLD ended, K-UP starts on
    # 08-01); only K-B, 77 days left, ends within 90 days
    labels = {v for row in terms for v in row.values() if isinstance(v, str) and " · " in v}
    assert labels == {
        "Acme Corporation · CN-200",
        "Acme Corporation · CN-100",
        "Acme Corporation · CN-400",
        "Globex · GX-1",
    }
    assert sorted((r["days_left"], r["renewal"]) for r in terms) == [
        (77, "Ends soon, not renewed"),
        (184, "Not renewed"),
        (184, "Not renewed"),
        (184, "Not renewed"),
    ]
    (bars,) = [rows for rows in hours if rows and "measure" in rows[0]]
    segments = {(r["shown"], r["measure"]): r["amount"] for r in bars}
    # Acme: 91.5 used, 6 of them on E-UNL with no purchased quantity, drawn past the mark
    assert segments[("Acme Corporation", "Used")] == 85.5
    assert segments[("Acme Corporation", "No limit")] == 6
    assert segments[("Globex", "Used")] == 7
    for customer, purchased in (("Acme Corporation", 200), ("Globex", 25)):
        within = ("Used", "Scheduled", "Remaining")  # up to the purchased mark, none over
        assert sum(segments[(customer, m)] for m in within) == purchased, customer
        assert (customer, "Overage") not in segments


def test_the_download_holds_the_contracts_columns_and_rows(app, downloads):
    at = app(**{"as": "am-ann"})
    assert not at.exception
    (name,) = [n for n in downloads if n.startswith("portfolio")]
    text = downloads[name]().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == CONTRACT_COLUMNS
    assert rows[1:] == [
        ["C1", "Acme Corporation", "3", "2026-09-15", "77", "200.0", "91.5", "0.4275", "3", "2",
         "5", "4"],
        ["C2", "Globex", "1", "2026-12-31", "184", "25.0", "7.0", "0.28", "0", "0", "0", "1"],
    ]  # fmt: skip


def test_the_download_is_every_customer_whatever_the_sidebar_picks(app, downloads):
    # Globex picked, with its workspace, every package and a start day: none narrows the table
    at = app(**{"as": "am-ann", "customer": "C2", "ws": "W3", "status": "all",
                "from": "2026-04-01"})  # fmt: skip
    at.switch_page(PORTFOLIO).run()
    assert not at.exception
    (name,) = [n for n in downloads if n.startswith("portfolio")]
    assert name == "portfolio_all-workspaces_active_as-of-2026-06-30.csv"
    text = downloads[name]().decode("utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(text, newline=""))] == [
        "customer_id", "C1", "C2"
    ]  # fmt: skip


def test_a_row_opens_that_customers_enterprise_wide_page_and_coming_back_opens_none(app):
    at = app(**{"as": "am-ann"})
    at.session_state["portfolio-0"] = {"selection": {"rows": [1], "columns": []}}  # Globex
    at.run()
    assert not at.exception
    assert at.title[0].value == "Enterprise-wide"
    assert at.query_params["customer"] == "C2"
    assert at.selectbox(key="f_customer").value == "C2"
    assert "· Globex ·" in texts(at)
    assert metrics(at)["Active contracts"] == "1"  # K-G
    at.switch_page(PORTFOLIO).run()  # back through the navigation
    assert not at.exception
    assert at.title[0].value == "My customers"  # not sent on to Globex again
    assert at.dataframe[0].value.shape[0] == 2


def test_my_customers_is_in_no_customer_users_navigation(monkeypatch, app, navigations):
    built = navigations
    for user in ("u-cadmin", "u-act", "u-gadmin"):
        built.clear()
        at = app(**{"as": user})
        assert not at.exception
        assert at.title[0].value == "Enterprise-wide"
        paths = {page.url_path for sections in built for entries in sections.values()
                 for page in entries}  # fmt: skip
        assert "customers" not in paths and "start" not in paths and "" in paths
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(PORTFOLIO)
    built.clear()
    at = app(**{"as": "am-ann"})
    assert "customers" in {p.url_path for s in built for e in s.values() for p in e}


def test_an_account_manager_serving_one_customer_starts_on_its_enterprise_wide_page(app):
    # am-dee's Globex assignment ends on the as-of day, still active; Acme's starts the day after
    at = app(**{"as": "am-dee"})
    assert at.title[0].value == "Enterprise-wide"
    at.switch_page(PORTFOLIO).run()
    assert at.title[0].value == "My customers"
    table = at.dataframe[0].value
    assert list(table["customer_name"]) == ["Globex"]
    assert metrics(at)["Customers"] == "1"
    assert metrics(at)["Renewals within 90 days"] == "0"  # 184 days
