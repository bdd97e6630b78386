"""The Alerts page through Streamlit's AppTest over the hand-made dataset (as of 2026-06-30);
the alerts are tests/fixtures/tiny/ANSWERS.md's "Alerts", worked out by hand: for Acme (C1)
7 high (E-ASM and E-BEDU used up; E-PRO, E-EDU, E-ASM, E-WS and E-BEDU will run out),
1 medium (E-BREA will leave 25% unused with 77 days left), 3 low (K-B and P-B1 end within 90
days, P-A2 within 60); none for Globex (C2)."""

import csv
import io

from dashboard.app import pages
from dashboard.app.views import alerts as page
from tests.app.conftest import metrics, texts

ALERTS = pages.by_path("alerts").file
# the rows' kinds in words, newest risk first (high: the used-up ones by the day they were
# used up, newest first, then those forecast to run out, whose day is not known, fewest days
# left first; low: by the day each came within its threshold, newest first)
C1_ORDER = [
    ("High", "Used 100% or more", "On-demand assessments"),  # since 2026-06-01
    ("High", "Used 100% or more", "Lab education"),  # since 2026-03-11
    ("High", "Will run out before its end", "Workshops"),  # P-A2, 31 days
    ("High", "Will run out before its end", "Lab education"),  # P-B1, 77 days
    ("High", "Will run out before its end", "On-demand assessments"),  # P-A1, 184 days
    ("High", "Will run out before its end", "On-demand education"),
    ("High", "Will run out before its end", "Proactive services"),
    ("Medium", "Will leave over 20% unused", "Lab reactive support"),
    ("Low", "Contract ends within 90 days", None),  # K-B, since 2026-06-17
    ("Low", "Package ends within 90 days", None),  # P-B1, since 2026-06-17
    ("Low", "Package ends within 60 days", None),  # P-A2, since 2026-06-01
]


def opened(app, **params):
    at = app(**params)
    at.switch_page(ALERTS).run()
    assert not at.exception
    assert at.title[0].value == "Alerts"
    return at


def test_a_customer_admin_sees_every_alert_newest_risk_first(app):
    at = opened(app, **{"as": "u-cadmin"})
    assert metrics(at) == {"High": "7", "Medium": "1", "Low": "3"}
    table = at.dataframe[0].value
    assert "customer_name" not in table.columns  # one customer: theirs
    rows = list(zip(table["severity"], table["alert"], table["entitlement"], strict=True))
    assert [(s, a, e if isinstance(e, str) else None) for s, a, e in rows] == C1_ORDER
    assert "Acme Corporation, all your workspaces" in texts(at)


def test_each_row_links_to_the_page_that_explains_it_with_its_filters(app):
    at = opened(app, **{"as": "u-cadmin"})
    table = at.dataframe[0].value
    assert list(table["url"])[0] == "renewal?contract=K-A&package=P-A1&as=u-cadmin"
    assert list(table["url"])[8] == "renewal?contract=K-B&as=u-cadmin"  # K-B ends
    assert set(table["explained_on"]) == {"Renewal planning"}


def test_an_account_manager_with_a_customer_picked_gets_its_alerts_and_links_to_it(app):
    at = opened(app, **{"as": "am-ann", "customer": "C1"})
    assert metrics(at)["High"] == "7"
    table = at.dataframe[0].value
    assert "customer_name" not in table.columns  # the one picked, said above the table
    assert "Acme Corporation, every workspace" in texts(at)
    assert list(table["url"])[0] == "renewal?contract=K-A&package=P-A1&as=am-ann&customer=C1"
    # Globex: nothing needs attention
    at = opened(app, **{"as": "am-ann", "customer": "C2"})
    assert metrics(at) == {"High": "0", "Medium": "0", "Low": "0"}
    assert "Nothing needs attention" in at.success[0].value


def test_an_account_manager_with_no_customer_picked_gets_every_customers_alerts(app):
    at = opened(app, **{"as": "am-ann"})
    assert metrics(at) == {"High": "7", "Medium": "1", "Low": "3", "Customers with alerts": "1"}
    assert set(at.dataframe[0].value["customer_name"]) == {"Acme Corporation"}  # C2 has none
    assert "every customer you serve (2)" in texts(at)


def test_nothing_needs_attention(app):
    at = opened(app, **{"as": "u-gadmin"})
    assert metrics(at) == {"High": "0", "Medium": "0", "Low": "0"}
    assert "Nothing needs attention" in at.success[0].value
    assert not at.dataframe


def test_the_alerts_can_be_narrowed_to_kinds(app):
    at = opened(app, **{"as": "u-cadmin"})
    at.session_state["alert_kinds"] = ["Package ends within 90 days", "Used 100% or more"]
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["alert"]) == [
        "Used 100% or more",
        "Used 100% or more",
        "Package ends within 90 days",
    ]
    assert "3 alerts of 11 listed." in texts(at)


def test_the_download_holds_the_query_columns_and_whole_links(app, downloads):
    at = opened(app, **{"as": "am-ann", "customer": "C1"})
    (name,) = [n for n in downloads if n.startswith("alerts")]
    assert name == "alerts_C1_all-workspaces_active_as-of-2026-06-30.csv"
    rows = list(csv.DictReader(io.StringIO(downloads[name]().decode("utf-8-sig"))))
    assert len(rows) == 11
    first = rows[0]
    assert (first["severity"], first["alert_kind"], first["entitlement_id"]) == (
        "high",
        "used_100",
        "E-ASM",
    )
    assert first["figure"] == "3 of 2 assessments used (150%)"
    assert first["since"] == "2026-06-01"
    assert first["link"] == "renewal?contract=K-A&package=P-A1&as=am-ann&customer=C1"
    assert [r["alert_kind"] for r in rows].count("runs_out_before_end") == 5
    assert not {r["entitlement_id"] for r in rows} & {"E-BEN", "E-UNL"}
    assert at.title[0].value == "Alerts"


def test_the_pages_thresholds_agree_with_the_sql(tiny):
    cursor = tiny._con.cursor()
    try:
        found = cursor.execute(
            "SELECT nearly_used_share(), alert_ending_days(), recent_case_days()"
        ).fetchone()
    finally:
        cursor.close()
    assert (float(found[0]), tuple(found[1]), found[2]) == (
        page.NEARLY_USED_SHARE,
        page.ALERT_ENDING_DAYS,
        page.RECENT_CASE_DAYS,
    )


def test_a_kind_in_words():
    assert page.kind_words("used_90") == "Used 90% or more"
    assert page.kind_words("contract_ends_30") == "Contract ends within 30 days"
    assert page.kind_words("unused_over_20") == "Will leave over 20% unused"
    assert page.kind_words("additional_cases_7d") == "Additional cases, last 7 days"
    assert page.kind_words("runs_out_before_end") == "Will run out before its end"
