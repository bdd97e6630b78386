"""The alerts query (queries/alerts.sql, queries/layer/90_alerts.sql): every rule, held to
answers worked out by hand, on the tiny fixture ("Alerts" in tests/fixtures/tiny/ANSWERS.md)
and on a small dataset of this file's own for the rules and edges the fixture does not reach.

The small dataset, as of 2026-06-30 (days left counted from then):
- Customer S1 (workspace S1W1; s1-admin its admin, s1-user with customer_activity in S1W1,
  who sees only the cases they are the primary contact of).
  Contracts, all from 2026-01-01, mapped to S1W1 but S1KU (mapped to none):
  S1K0 ends 06-30 (0 days) -> contract_ends_30 since 05-31; S1K30 07-30 (30) -> _30 since
  06-30; S1K31 07-31 (31) -> _60 since 06-01; S1K60 08-29 (60) -> _60 since 06-30; S1K90
  09-28 (90) -> _90 since 06-30; S1K91 09-29 (91) -> none; S1KREN 07-15 (15), renewed by
  the upcoming S1KNEXT -> none; S1KEND ended 06-29 -> none; S1KU 07-20 (20) -> _30 since 06-20,
  for the admin only (s1-user cannot see a contract mapped to no workspace); S1KLONG 12-31.
  Packages of S1KLONG, from 2026-01-01: PLONG 12-31 (184 days); P30 07-30 -> package_ends_30
  since 06-30; P61 08-30 (61) -> package_ends_90 since 06-01; P90 09-28 (90) -> _90 since
  06-30; PEXP ended 06-29 and PUP (07-01..07-20, upcoming) -> none; PREN of the renewed
  S1KREN, 07-15 (15) -> package_ends_30 since 06-15 (a package alerts whether or not its
  contract is renewed).
  Entitlements of PLONG: E90 10 hours, cases of 5 h (02-01) and 4 h (03-01): 9 of 10, 90%
  -> used_90 since 03-01; its forecast: 1 left, nothing used in the window (after 04-01),
  1 unused is not over 2 -> on track. E89 100 hours, 89.5 used: 89% -> nothing. E100 4
  advisory hours, 2 h on 06-10 and 06-20: 100% -> used_100 since 06-20, and none left ->
  runs_out_before_end. EUNL (no purchased quantity), a 50 h case on 06-28: nothing. EBEN a
  benefit with a delivery of 5: nothing. EZERO 0 credits purchased, 1 delivered: no share
  alert (purchased must be above 0), but the forecast says it runs out (-1 left) ->
  runs_out_before_end. ERUN 20 proactive hours, 10 delivered on 06-01: 50%, 10 left at 10/90
  a day runs out about 90 days on, before 12-31 -> runs_out_before_end.
  EUNUSED 100 hours on P61 with nothing used: 100 forecast unused, over 20, 61 days left ->
  unused_over_20; EUNUSED90 the same on P90, 90 days left, not under 90 -> nothing. EOLD on
  the expired PEXP, 2 of 2 credits delivered: nothing (its package is not active).
  Cases of no contract in S1W1: KA1 06-24 00:00 and KA2 06-30 23:59:59 (s1-admin's), KA3
  06-23 23:59:59 (out of the 7 days), KA4 06-27 (s1-user's): additional_cases_7d counts 3 for
  s1-admin since 06-24, 1 for s1-user since 06-27.
  s1-admin: high 7 (used_100 E100, runs_out E100, EZERO, ERUN, contract_ends_30 S1K0, S1K30,
  S1KU), medium 7 (used_90 E90, unused_over_20 EUNUSED, contract_ends_60 S1K31, S1K60,
  package_ends_30 P30, PREN, additional_cases_7d), low 3 (contract_ends_90 S1K90,
  package_ends_90 P61, P90): 17. s1-user: the same less S1KU, 16.
- Customer S2 (s2-admin): S2K1 and its package S2P1 end 07-10 (10 days): contract_ends_30 and
  package_ends_30, since 06-10.
- Customer S3 (s3-admin): S3K1 ends 07-05: contract_ends_30.
- Account manager am-x serves S1 and S2 (assignments open-ended), and served S3 until 06-29.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from dashboard.ingest.data_home import current_dataset
from dashboard.ingest.schema import TABLES
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.sql.small_datasets import imported

AS_OF = date(2026, 6, 30)
# id: (customer, workspace, start, end, renews)
CONTRACTS = {
    "S1K0": ("S1", "S1W1", "2026-01-01", "2026-06-30", None),
    "S1K30": ("S1", "S1W1", "2026-01-01", "2026-07-30", None),
    "S1K31": ("S1", "S1W1", "2026-01-01", "2026-07-31", None),
    "S1K60": ("S1", "S1W1", "2026-01-01", "2026-08-29", None),
    "S1K90": ("S1", "S1W1", "2026-01-01", "2026-09-28", None),
    "S1K91": ("S1", "S1W1", "2026-01-01", "2026-09-29", None),
    "S1KREN": ("S1", "S1W1", "2026-01-01", "2026-07-15", None),
    "S1KNEXT": ("S1", "S1W1", "2026-07-16", "2027-07-15", "S1KREN"),
    "S1KEND": ("S1", "S1W1", "2025-07-01", "2026-06-29", None),
    "S1KU": ("S1", None, "2026-01-01", "2026-07-20", None),
    "S1KLONG": ("S1", "S1W1", "2026-01-01", "2026-12-31", None),
    "S2K1": ("S2", "S2W1", "2026-01-01", "2026-07-10", None),
    "S3K1": ("S3", "S3W1", "2026-01-01", "2026-07-05", None),
}
# id: (contract, start, end)
PACKAGES = {
    "PLONG": ("S1KLONG", "2026-01-01", "2026-12-31"),
    "P30": ("S1KLONG", "2026-01-01", "2026-07-30"),
    "P61": ("S1KLONG", "2026-01-01", "2026-08-30"),
    "P90": ("S1KLONG", "2026-01-01", "2026-09-28"),
    "PEXP": ("S1KLONG", "2026-01-01", "2026-06-29"),
    "PUP": ("S1KLONG", "2026-07-01", "2026-07-20"),
    "PREN": ("S1KREN", "2026-01-01", "2026-07-15"),
    "S2P1": ("S2K1", "2026-01-01", "2026-07-10"),
}
# id: (package, category, kind, unit, purchased)
ENTITLEMENTS = {
    "E90": ("PLONG", "reactive", "consumable", "hours", 10),
    "E89": ("PLONG", "reactive", "consumable", "hours", 100),
    "E100": ("PLONG", "advisory", "consumable", "hours", 4),
    "EUNL": ("PLONG", "advisory", "consumable", "hours", None),
    "EBEN": ("PLONG", "proactive", "benefit", "hours", None),
    "EZERO": ("PLONG", "credits", "consumable", "credits", 0),
    "ERUN": ("PLONG", "proactive", "consumable", "hours", 20),
    "EUNUSED": ("P61", "reactive", "consumable", "hours", 100),
    "EUNUSED90": ("P90", "reactive", "consumable", "hours", 100),
    "EOLD": ("PEXP", "credits", "consumable", "credits", 2),
}
# id: (contract, entitlement, created_at, primary contact, hours)
CASES = {
    "C90A": ("S1KLONG", "E90", "2026-02-01T09:00:00Z", "s1-admin", 5),
    "C90B": ("S1KLONG", "E90", "2026-03-01T09:00:00Z", "s1-admin", 4),
    "C89": ("S1KLONG", "E89", "2026-02-01T09:00:00Z", "s1-admin", 89.5),
    "C100A": ("S1KLONG", "E100", "2026-06-10T09:00:00Z", "s1-admin", 2),
    "C100B": ("S1KLONG", "E100", "2026-06-20T09:00:00Z", "s1-admin", 2),
    "CUNL": ("S1KLONG", "EUNL", "2026-06-28T09:00:00Z", "s1-admin", 50),
    "KA1": (None, None, "2026-06-24T00:00:00Z", "s1-admin", 1),
    "KA2": (None, None, "2026-06-30T23:59:59Z", "s1-admin", 1),
    "KA3": (None, None, "2026-06-23T23:59:59Z", "s1-admin", 1),
    "KA4": (None, None, "2026-06-27T10:00:00Z", "s1-user", 1),
}
# id: (entitlement, date, quantity)
DELIVERIES = {
    "DBEN": ("EBEN", "2026-06-01", 5),
    "DZERO": ("EZERO", "2026-05-01", 1),
    "DRUN": ("ERUN", "2026-06-01", 10),
    "DOLD": ("EOLD", "2026-03-01", 2),
}


def rows_of_tables() -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {t.name: [] for t in TABLES if not t.optional}
    rows["customers"] = [{"customer_id": c, "name": f"Customer {c}"} for c in ("S1", "S2", "S3")]
    rows["workspaces"] = [
        {"workspace_id": f"{c}W1", "customer_id": c, "name": f"{c} main"}
        for c in ("S1", "S2", "S3")
    ]
    rows["users"] = [
        {"user_id": f"{c.lower()}-admin", "customer_id": c, "display_name": f"Admin of {c}",
         "email": f"admin@{c.lower()}.example", "is_customer_admin": True}
        for c in ("S1", "S2", "S3")
    ] + [
        {"user_id": "s1-user", "customer_id": "S1", "display_name": "User of S1",
         "email": "user@s1.example", "is_customer_admin": False},
    ]  # fmt: skip
    rows["role_grants"] = [
        {"user_id": "s1-user", "workspace_id": "S1W1", "role": "customer_activity"}
    ]
    rows["contracts"] = [
        {"contract_id": k, "customer_id": c, "workspace_id": w, "contract_number": f"N-{k}",
         "name": f"Contract {k}", "start_date": start, "end_date": end,
         "renews_contract_id": renews}
        for k, (c, w, start, end, renews) in CONTRACTS.items()
    ]  # fmt: skip
    rows["packages"] = [
        {"package_id": p, "contract_id": k, "name": f"Package {p}", "scope": "enterprise",
         "start_date": start, "end_date": end}
        for p, (k, start, end) in PACKAGES.items()
    ]  # fmt: skip
    rows["entitlements"] = [
        {"entitlement_id": e, "package_id": p, "category": category, "name": f"Entitlement {e}",
         "description": e, "kind": kind, "unit": unit, "purchased": purchased,
         "action_url": None}
        for e, (p, category, kind, unit, purchased) in ENTITLEMENTS.items()
    ]  # fmt: skip
    rows["cases"] = [
        {"case_id": c, "workspace_id": "S1W1", "contract_id": k, "entitlement_id": e,
         "title": f"Case {c}", "case_type": "advisory" if e in ("E100", "EUNL") else "reactive",
         "service_code": "STD", "severity": "B", "status": "closed", "created_at": created,
         "closed_at": None, "primary_contact_id": contact, "hours": hours}
        for c, (k, e, created, contact, hours) in CASES.items()
    ]  # fmt: skip
    rows["deliveries"] = [
        {"delivery_id": d, "entitlement_id": e, "date": day, "title": f"Delivery {d}",
         "quantity": quantity, "hours_delivered": None, "status": "delivered",
         "delivered_by": None}
        for d, (e, day, quantity) in DELIVERIES.items()
    ]  # fmt: skip
    rows["account_managers"] = [
        {"user_id": "am-x", "display_name": "Xan Manager", "email": "xan@provider.example"}
    ]
    rows["account_assignments"] = [
        {"user_id": "am-x", "customer_id": "S1", "start_date": "2026-01-01", "end_date": None},
        {"user_id": "am-x", "customer_id": "S2", "start_date": "2026-01-01", "end_date": None},
        {"user_id": "am-x", "customer_id": "S3", "start_date": "2026-01-01",
         "end_date": "2026-06-29"},
    ]  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Dataset:
    home = imported(rows_of_tables(), tmp_path_factory.mktemp("alerts"), AS_OF)
    return Dataset(current_dataset(home))


def item_of(row: dict) -> tuple[str, str]:
    """An alert as (kind, what it is about): the entitlement, else the package, else the
    contract, else the customer."""
    about = row["entitlement_id"] or row["package_id"] or row["contract_id"] or row["customer_id"]
    return row["alert_kind"], about


def by_item(frame: pl.DataFrame) -> dict[tuple[str, str], dict]:
    """Each alert's row by (kind, what it is about); an alert found twice fails."""
    rows = {}
    for row in frame.iter_rows(named=True):
        assert item_of(row) not in rows, f"{item_of(row)} twice"
        rows[item_of(row)] = row
    return rows


def worked(frame: pl.DataFrame) -> dict[tuple[str, str], tuple]:
    """Each alert's severity and since, by (kind, what it is about)."""
    return {key: (row["severity"], row["since"]) for key, row in by_item(frame).items()}


S1_ADMIN = {
    ("used_100", "E100"): ("high", date(2026, 6, 20)),
    ("runs_out_before_end", "E100"): ("high", None),
    ("runs_out_before_end", "EZERO"): ("high", None),
    ("runs_out_before_end", "ERUN"): ("high", None),
    ("contract_ends_30", "S1K0"): ("high", date(2026, 5, 31)),
    ("contract_ends_30", "S1K30"): ("high", date(2026, 6, 30)),
    ("contract_ends_30", "S1KU"): ("high", date(2026, 6, 20)),
    ("used_90", "E90"): ("medium", date(2026, 3, 1)),
    ("unused_over_20", "EUNUSED"): ("medium", None),
    ("contract_ends_60", "S1K31"): ("medium", date(2026, 6, 1)),
    ("contract_ends_60", "S1K60"): ("medium", date(2026, 6, 30)),
    ("package_ends_30", "P30"): ("medium", date(2026, 6, 30)),
    ("package_ends_30", "PREN"): ("medium", date(2026, 6, 15)),
    ("additional_cases_7d", "S1"): ("medium", date(2026, 6, 24)),
    ("contract_ends_90", "S1K90"): ("low", date(2026, 6, 30)),
    ("package_ends_90", "P61"): ("low", date(2026, 6, 1)),
    ("package_ends_90", "P90"): ("low", date(2026, 6, 30)),
}
S2_ADMIN = {
    ("contract_ends_30", "S2K1"): ("high", date(2026, 6, 10)),
    ("package_ends_30", "S2P1"): ("medium", date(2026, 6, 10)),
}


# The small dataset: every rule and its edges


def test_a_customer_admin_gets_every_alert_worked_out_by_hand(small):
    found = small.run("alerts", "s1-admin")
    assert found.height == len(S1_ADMIN)  # one alert per item and rule, nothing twice
    assert worked(found) == S1_ADMIN


def test_each_share_alerts_once_at_the_higher_share_reached(small):
    found = set(by_item(small.run("alerts", "s1-admin")))
    assert ("used_90", "E100") not in found  # 100% reached: used_100 only
    assert not {item for _, item in found} & {"E89", "EUNUSED90", "EOLD", "EUNL", "EBEN"}
    # purchased 0: no share of it, but the forecast still says it runs out
    assert {kind for kind, item in found if item == "EZERO"} == {"runs_out_before_end"}


def test_the_figures_say_what_triggered_each_alert(small):
    figures = {k: row["figure"] for k, row in by_item(small.run("alerts", "s1-admin")).items()}
    assert figures["used_90", "E90"] == "9 of 10 hours used (90%)"
    assert figures["used_100", "E100"] == "4 of 4 hours used (100%)"
    assert figures["runs_out_before_end", "E100"] == (
        "none left, scheduled included; package ends 31 Dec 2026"
    )
    assert figures["runs_out_before_end", "EZERO"] == (
        "1 credits over what was purchased, scheduled included; package ends 31 Dec 2026"
    )
    assert figures["unused_over_20", "EUNUSED"] == (
        "100 of 100 hours forecast unused (100%); package ends 30 Aug 2026, 61 days"
    )
    assert figures["contract_ends_30", "S1K0"] == "ends 30 Jun 2026, 0 days"
    assert figures["additional_cases_7d", "S1"] == (
        "3 additional cases raised 24 Jun 2026 to 30 Jun 2026"
    )


def test_the_app_words_each_figure_from_its_parts_as_the_query_does(small):
    """What triggered an alert, written by the app from the figure_ columns
    (dashboard/text.py alert_figure): in English, the query's own `figure` for every alert;
    in Polish, the same figures as Polish writes them."""
    from dashboard.language import speaking
    from dashboard.text import alert_figure

    alerts = small.run("alerts", "s1-admin")
    for alert in alerts.iter_rows(named=True):
        assert alert_figure(alert) == alert["figure"], alert["alert_kind"]
    found = by_item(alerts)
    with speaking("pl"):
        polish = {key: alert_figure(row) for key, row in found.items()}
    assert polish["used_90", "E90"] == "wykorzystano 9 z 10 (godziny, 90%)"
    assert polish["runs_out_before_end", "EZERO"] == (
        "przekroczono zakup o 1 (kredyty), wliczając zaplanowane; pakiet kończy się 31 grudnia 2026"
    )
    assert polish["contract_ends_30", "S1K0"] == "kończy się 30 czerwca 2026, za 0 dni"
    assert polish["additional_cases_7d", "S1"] == (
        "3 dodatkowe sprawy zgłoszone od 24 czerwca 2026 do 30 czerwca 2026"
    )


def test_newest_risk_first(small):
    found = small.run("alerts", "s1-admin")
    ranks = found.get_column("severity_rank").to_list()
    assert ranks == sorted(ranks) and set(ranks) == {1, 2, 3}
    assert found.get_column("severity").unique(maintain_order=True).to_list() == [
        "high",
        "medium",
        "low",
    ]
    for rank in (1, 2, 3):
        days = found.filter(pl.col("severity_rank") == rank).get_column("since").to_list()
        known = [d for d in days if d is not None]
        assert known == sorted(known, reverse=True)  # newest first
        assert days == known + [None] * (len(days) - len(known))  # unknown last
    # first of all: S1K30 came within 30 days on the as-of day
    assert item_of(found.row(0, named=True)) == ("contract_ends_30", "S1K30")


def test_each_alert_links_to_the_page_that_explains_it(small):
    found = by_item(small.run("alerts", "s1-admin"))
    links = {key: (row["page"], row["link"]) for key, row in found.items()}
    assert links["used_90", "E90"] == ("renewal", "contract=S1KLONG&package=PLONG")
    assert links["contract_ends_30", "S1K0"] == ("renewal", "contract=S1K0")
    assert links["package_ends_90", "P61"] == ("renewal", "contract=S1KLONG&package=P61")
    assert links["additional_cases_7d", "S1"] == (
        "additional-cases",
        "from=2026-06-24&to=2026-06-30",
    )


def test_a_user_who_sees_fewer_cases_and_contracts_gets_fewer_alerts(small):
    found = small.run("alerts", "s1-user")
    expected = {k: v for k, v in S1_ADMIN.items() if k != ("contract_ends_30", "S1KU")}
    expected["additional_cases_7d", "S1"] = ("medium", date(2026, 6, 27))  # KA4 only
    assert worked(found) == expected
    row = found.filter(pl.col("alert_kind") == "additional_cases_7d").row(0, named=True)
    assert row["figure"] == "1 additional case raised 24 Jun 2026 to 30 Jun 2026"


def test_a_customer_user_never_sees_another_customers_alerts(small):
    assert worked(small.run("alerts", "s2-admin")) == S2_ADMIN
    assert set(small.run("alerts", "s3-admin").get_column("customer_id")) == {"S3"}
    # a customer filter of an account manager's in their link changes nothing
    asked = small.run("alerts", "s2-admin", Filters(customer="S1"))
    assert worked(asked) == S2_ADMIN


def test_an_account_manager_gets_exactly_their_customers_alerts(small):
    every = small.run("alerts", "am-x")  # no customer picked: every customer they serve
    assert set(every.get_column("customer_id")) == {"S1", "S2"}  # not S3, no longer served
    assert worked(every) == {**S1_ADMIN, **S2_ADMIN}
    assert set(every.get_column("customer_name")) == {"Customer S1", "Customer S2"}
    assert worked(small.run("alerts", "am-x", Filters(customer="S2"))) == S2_ADMIN
    assert small.run("alerts", "am-x", Filters(customer="S3")).is_empty()


def test_the_filters_narrow_the_alerts(small):
    one = small.run("alerts", "s1-admin", Filters(contract="S1K0"))
    assert set(by_item(one)) == {("contract_ends_30", "S1K0")}


# The tiny fixture (tests/fixtures/tiny/ANSWERS.md, "Alerts")

TINY_C1 = {
    ("used_100", "E-ASM"): ("high", date(2026, 6, 1)),
    ("used_100", "E-BEDU"): ("high", date(2026, 3, 11)),
    ("runs_out_before_end", "E-PRO"): ("high", None),
    ("runs_out_before_end", "E-EDU"): ("high", None),
    ("runs_out_before_end", "E-ASM"): ("high", None),
    ("runs_out_before_end", "E-WS"): ("high", None),
    ("runs_out_before_end", "E-BEDU"): ("high", None),
    ("unused_over_20", "E-BREA"): ("medium", None),
    ("contract_ends_90", "K-B"): ("low", date(2026, 6, 17)),
    ("package_ends_90", "P-B1"): ("low", date(2026, 6, 17)),
    ("package_ends_60", "P-A2"): ("low", date(2026, 6, 1)),
}


def test_tiny_a_customer_admin(tiny):
    found = tiny.run("alerts", "u-cadmin")
    assert worked(found) == TINY_C1
    assert found.height == len(TINY_C1)
    unused = found.filter(pl.col("alert_kind") == "unused_over_20").row(0, named=True)
    assert unused["figure"] == (
        "7.7 of 30 hours forecast unused (25%); package ends 15 Sep 2026, 77 days"
    )


def test_tiny_the_benefit_and_the_unlimited_entitlement_never_alert(tiny):
    for user in ("u-cadmin", "am-ann"):
        items = {item for _, item in by_item(tiny.run("alerts", user))}
        assert not items & {"E-BEN", "E-UNL"}
        # nor E-OC, used up on a package that has expired
        assert "E-OC" not in items


def test_tiny_users_of_one_workspace(tiny):
    production = {k: v for k, v in TINY_C1.items() if k[1] in ("E-PRO", "E-EDU", "E-ASM",
                                                                "E-WS", "P-A2")}  # fmt: skip
    assert worked(tiny.run("alerts", "u-wsadmin")) == production  # W1: K-A's
    lab = {k: v for k, v in TINY_C1.items() if k not in production}
    assert worked(tiny.run("alerts", "u-contact")) == lab  # W2: K-B's
    assert tiny.run("alerts", "u-gadmin").is_empty()  # Globex: nothing needs attention


def test_tiny_account_managers(tiny):
    assert worked(tiny.run("alerts", "am-ann")) == TINY_C1  # C1's; C2 has none
    assert set(tiny.run("alerts", "am-ann").get_column("customer_id")) == {"C1"}
    assert tiny.run("alerts", "am-ann", Filters(customer="C2")).is_empty()
    assert tiny.run("alerts", "am-dee").is_empty()  # C2 only
    assert tiny.run("alerts", "am-bo").is_empty()  # no customer on the day
