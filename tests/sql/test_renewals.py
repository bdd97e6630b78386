"""Renewal status and lapsed workspaces ("Derived figures" in DATA_MODEL.md) against a small
dataset made here, as of 2026-06-30, with answers worked out by hand.

Acme (C1) has six workspaces: WP (Production), WX (Other), WL (Old Lab), WU (Upcoming), WE
(Empty) and WS (Secret). u-admin is a customer admin; u-ws holds customer_activity in WP, WL,
WU and WE only (not WX, not WS).

| contract | workspace | number | term | renews | on 2026-06-30 |
|---|---|---|---|---|---|
| KA | WP | CN-A | 2025-08-01..2026-07-31 | | active, 31 days left |
| KAN | WP | CN-AN | 2026-08-01..2027-07-31 | KA | upcoming |
| KB | WP | CN-B | 2025-08-16..2026-08-15 | | active, 46 days left |
| KBN | none | CN-BN | 2026-08-16..2027-08-15 | KB | upcoming (customer admins only) |
| KC | WP | CN-C | 2025-09-16..2026-09-15 | | active, 77 days left |
| KE | WP | CN-E | 2025-11-01..2026-10-31 | | active, 123 days left |
| KEN | WX | CN-EN | 2026-11-01..2027-10-31 | KE | upcoming (u-ws cannot open WX) |
| KL1 | WL | CN-L1 | 2024-01-01..2024-12-31 | | expired |
| KL2 | WL | CN-L2 | 2025-01-01..2025-12-31 | KL1 | expired |
| KU0 | WU | CN-U0 | 2025-01-01..2025-12-31 | | expired |
| KU1 | WU | CN-U1 | 2026-09-01..2027-08-31 | KU0 | upcoming |
| KS | WS | CN-S | 2025-04-01..2026-03-31 | | expired |

So KA, KB and KE are renewed, KC is not: KC (77 days) is the next contract to end that is not
renewed, and the only one expiring soon. WL and WS are lapsed (every contract expired); WU is
not (KU1 is upcoming), nor WE (no contract), nor WP and WX.

Support requests in the lapsed workspaces: L1 (WL, no contract, 2026-05-01, u-ws its primary
contact), L2 (WL, against KL2, 2026-06-10), L3 (WL, no contract, 2025-11-01), S1 (WS, against KS,
2026-02-01); the last three have u-admin as primary contact.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.ingest.data_home import current_dataset
from dashboard.ingest.schema import TABLES
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.sql.small_datasets import imported

AS_OF = date(2026, 6, 30)
HIDDEN = "a contract you cannot see"
WORKSPACES = {
    "WP": "Production",
    "WX": "Other",
    "WL": "Old Lab",
    "WU": "Upcoming",
    "WE": "Empty",
    "WS": "Secret",
}
# id: (workspace, number, start, end, renews)
CONTRACTS = {
    "KA": ("WP", "CN-A", "2025-08-01", "2026-07-31", None),
    "KAN": ("WP", "CN-AN", "2026-08-01", "2027-07-31", "KA"),
    "KB": ("WP", "CN-B", "2025-08-16", "2026-08-15", None),
    "KBN": (None, "CN-BN", "2026-08-16", "2027-08-15", "KB"),
    "KC": ("WP", "CN-C", "2025-09-16", "2026-09-15", None),
    "KE": ("WP", "CN-E", "2025-11-01", "2026-10-31", None),
    "KEN": ("WX", "CN-EN", "2026-11-01", "2027-10-31", "KE"),
    "KL1": ("WL", "CN-L1", "2024-01-01", "2024-12-31", None),
    "KL2": ("WL", "CN-L2", "2025-01-01", "2025-12-31", "KL1"),
    "KU0": ("WU", "CN-U0", "2025-01-01", "2025-12-31", None),
    "KU1": ("WU", "CN-U1", "2026-09-01", "2027-08-31", "KU0"),
    "KS": ("WS", "CN-S", "2025-04-01", "2026-03-31", None),
}
# id: (workspace, contract, created_at, primary contact)
CASES = {
    "L1": ("WL", None, "2026-05-01T09:00:00Z", "u-ws"),
    "L2": ("WL", "KL2", "2026-06-10T09:00:00Z", "u-admin"),
    "L3": ("WL", None, "2025-11-01T09:00:00Z", "u-admin"),
    "S1": ("WS", "KS", "2026-02-01T09:00:00Z", "u-admin"),
}


def rows_of_tables() -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {t.name: [] for t in TABLES if not t.optional}
    rows["customers"] = [{"customer_id": "C1", "name": "Acme"}]
    rows["workspaces"] = [
        {"workspace_id": w, "customer_id": "C1", "name": name} for w, name in WORKSPACES.items()
    ]
    rows["users"] = [
        {"user_id": "u-admin", "customer_id": "C1", "display_name": "Ann Admin",
         "email": "ann@acme.example", "is_customer_admin": True},
        {"user_id": "u-ws", "customer_id": "C1", "display_name": "Will Work",
         "email": "will@acme.example", "is_customer_admin": False},
    ]  # fmt: skip
    rows["role_grants"] = [
        {"user_id": "u-ws", "workspace_id": w, "role": "customer_activity"}
        for w in ("WP", "WL", "WU", "WE")
    ]
    rows["contracts"] = [
        {"contract_id": k, "customer_id": "C1", "workspace_id": w, "contract_number": number,
         "name": f"Contract {number}", "start_date": start, "end_date": end,
         "renews_contract_id": renews}
        for k, (w, number, start, end, renews) in CONTRACTS.items()
    ]  # fmt: skip
    # an enterprise package expiring soon (on KC) and one that is not (on KE)
    rows["packages"] = [
        {"package_id": "PC", "contract_id": "KC", "name": "Support C", "scope": "enterprise",
         "start_date": "2025-09-16", "end_date": "2026-09-15"},
        {"package_id": "PE", "contract_id": "KE", "name": "Support E", "scope": "enterprise",
         "start_date": "2025-11-01", "end_date": "2026-10-31"},
    ]  # fmt: skip
    rows["entitlements"] = [
        {"entitlement_id": f"E-{p}", "package_id": p, "category": "reactive",
         "name": "Reactive hours", "description": "Hours", "kind": "consumable", "unit": "hours",
         "purchased": 10, "action_url": None}
        for p in ("PC", "PE")
    ]  # fmt: skip
    rows["cases"] = [
        {"case_id": c, "workspace_id": w, "contract_id": k, "entitlement_id": None,
         "title": f"Case {c}", "case_type": "reactive", "service_code": "STD", "severity": "B",
         "status": "open", "created_at": created, "closed_at": None,
         "primary_contact_id": contact, "hours": 1}
        for c, (w, k, created, contact) in CASES.items()
    ]  # fmt: skip
    return rows


def build(base: Path) -> Path:
    """The dataset above imported into a data home under `base`; returns the home."""
    return imported(rows_of_tables(), base, AS_OF)


@pytest.fixture(scope="module")
def renewals(tmp_path_factory) -> Dataset:
    return Dataset(current_dataset(build(tmp_path_factory.mktemp("renewals"))))


def column(frame, name) -> list:
    return frame.get_column(name).to_list()


def test_renewed_by_for_a_customer_admin(renewals):
    rows = renewals.run("active_contracts", "u-admin")
    # soonest to end first: KA 31 days, KB 46, KC 77, KE 123
    assert column(rows, "contract_id") == ["KA", "KB", "KC", "KE"]
    assert column(rows, "days_left") == [31, 46, 77, 123]
    # KA renewed by KAN (CN-AN), KB by the unmapped KBN (CN-BN), KE by KEN (CN-EN, in WX)
    assert column(rows, "renewed_by") == ["CN-AN", "CN-BN", None, "CN-EN"]
    assert column(rows, "renewed") == [True, True, False, True]


def test_renewed_by_for_a_viewer_who_cannot_see_the_renewal(renewals):
    rows = renewals.run("active_contracts", "u-ws")
    assert column(rows, "contract_id") == ["KA", "KB", "KC", "KE"]
    # KBN is mapped to no workspace (customer admins only) and KEN to WX, which u-ws cannot
    # open: renewed all the same, but neither is named
    assert column(rows, "renewed_by") == ["CN-AN", HIDDEN, None, HIDDEN]
    assert column(rows, "renewed") == [True, True, False, True]
    cells = {v for c in rows.iter_columns() for v in c.to_list()}
    assert not cells & {"KBN", "CN-BN", "KEN", "CN-EN"}


def test_a_renewed_contract_is_not_expiring_soon(renewals):
    for user in ("u-admin", "u-ws"):
        rows = renewals.run("active_contracts", user)
        # KA (31 days) and KB (46) are within 90 days but renewed; KC (77) is not renewed;
        # KE (123) is beyond 90 days
        assert column(rows, "expiring_soon") == [False, False, True, False], user


def test_the_renewal_is_named_with_a_workspace_picked(renewals):
    # picking WP hides nothing the customer admin may see: KBN (mapped to none) is still named
    rows = renewals.run("active_contracts", "u-admin", Filters(workspaces=("WP",)))
    assert column(rows, "renewed_by") == ["CN-AN", "CN-BN", None, "CN-EN"]


def test_lapsed_workspaces_for_a_customer_admin(renewals):
    rows = renewals.run("lapsed_workspaces", "u-admin")
    # WS last ended 2026-03-31 (CN-S), WL 2025-12-31 (CN-L2, after CN-L1); WU has the upcoming
    # KU1, WE has no contract, WP and WX have active or upcoming ones: none of them is lapsed
    assert column(rows, "workspace_id") == ["WS", "WL"]
    assert column(rows, "workspace_name") == ["Secret", "Old Lab"]
    assert column(rows, "last_contract_number") == ["CN-S", "CN-L2"]
    assert column(rows, "last_contract_end") == [date(2026, 3, 31), date(2025, 12, 31)]
    # support requests opened, every date: S1 in WS; L1, L2 and L3 in WL
    assert column(rows, "support_requests") == [1, 3]


def test_lapsed_workspaces_count_the_date_range(renewals):
    dated = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30))
    rows = renewals.run("lapsed_workspaces", "u-admin", dated)
    # L3 (2025-11-01) was opened before the range
    assert column(rows, "workspace_id") == ["WS", "WL"]
    assert column(rows, "support_requests") == [1, 2]


def test_lapsed_workspaces_only_those_the_viewer_can_open(renewals):
    rows = renewals.run("lapsed_workspaces", "u-ws")
    # WS is lapsed but u-ws cannot open it; in WL u-ws sees only L1, its own
    assert column(rows, "workspace_id") == ["WL"]
    assert column(rows, "last_contract_number") == ["CN-L2"]
    assert column(rows, "support_requests") == [1]
    for space in ("WP", "WU", "WE"):  # one workspace at a time: none of them is lapsed
        picked = renewals.run("lapsed_workspaces", "u-ws", Filters(workspaces=(space,)))
        assert picked.is_empty(), space
    picked = renewals.run("lapsed_workspaces", "u-admin", Filters(workspaces=("WL",)))
    assert column(picked, "workspace_id") == ["WL"]


def test_lapsed_workspaces_with_a_contract_picked_only_its_own(renewals):
    # KA is WP's, active: no lapsed workspace is about it; KL1 is one of WL's expired contracts
    assert renewals.run("lapsed_workspaces", "u-admin", Filters(contract="KA")).is_empty()
    picked = renewals.run("lapsed_workspaces", "u-admin", Filters(contract="KL1", status="all"))
    assert column(picked, "workspace_id") == ["WL"]
