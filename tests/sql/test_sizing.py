"""Sizing the next term and comparing terms like for like, against a small dataset made here,
as of 2026-06-30, with answers worked out by hand.

Acme (C1) has one workspace, W1; u-admin is its customer admin. Days elapsed count from a
package's start to the as-of day, both included; the last 90 days are 2026-04-02..2026-06-30.

Pace and sizing (contract KS; each package a term of its own):

- E-AVG (reactive), 2026-04-19..2027-04-18 (365 days), 73 days elapsed: 100 hours in 3 cases.
  100 / 73 × 365 = 500; its last 90 days are its 73 days: 500 again.
- E-RANGE (reactive), 2026-02-05..2027-02-04 (365 days), 146 elapsed: 200 hours in 4 cases, 72
  of them in the last 90 days. 200 / 146 × 365 = 500; 72 / 90 × 365 = 292.
- E-NEW (proactive), 2026-06-02..2027-06-01, 29 elapsed: 20 hours in 5 deliveries. Too little
  history: under 30 days.
- E-EDGE (proactive), 2026-06-01..2027-05-31, 30 elapsed: 30 hours in 3 deliveries. 30 / 30 ×
  365 = 365, the same over its last 30 days.
- E-FEW (reactive), 2026-01-01..2026-12-31, 181 elapsed: 100 hours in 2 cases. Too little
  history: 2 events. E-FEWD (proactive, same package): 20 hours in 2 deliveries delivered (one
  cancelled and one scheduled do not count): 2 events, too little history.
- E-THREE (reactive, same package): 30 hours in 3 cases on one day, 3 events. 30 / 181 × 365 =
  60.5, rounded up 61; 30 / 90 × 365 = 121.7, rounded up 122.

Terms compared (proactive hours, and named contacts):

| contract | number | term | renews | on 2026-06-30 |
|---|---|---|---|---|
| KT1 | CN-T1 | 2025-01-01..2025-04-30 (120 days) | | expired |
| KT2 | CN-T2 | 2026-06-01..2026-09-28 (120 days) | KT1 | active, day 30: 25% elapsed |
| KT3 | CN-T3 | 2026-09-29..2027-01-26 | KT2 | upcoming: never "this term" |

KT1 delivered 20 (2025-01-01), 10 (2025-01-30), 40 (2025-01-31) and 50 (2025-04-30): 120 over
its whole term, 30 in its first 25% (30 of its 120 days, up to 2025-01-30). KT2 has delivered
25 + 20 = 45 so far: 15 more than KT1 by the same share (45 - 30), where the whole previous term
would have made it 75 fewer. Named contacts of KT1 on 2025-01-30: Cy (added 2025-01-05, never
removed) only, Di having been removed on 2025-01-20 and Ed added on 2025-02-15: 1; over the
whole term (not removed by the as-of day) Cy and Ed: 2. KT2 has one, Fay: 1, a change of 0.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.ingest.data_home import current_dataset
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.sql.small_datasets import imported, one_admin

AS_OF = date(2026, 6, 30)
# id: (number, start, end, renews)
CONTRACTS = {
    "KS": ("CN-S", "2026-01-01", "2027-12-31", None),
    "KT1": ("CN-T1", "2025-01-01", "2025-04-30", None),
    "KT2": ("CN-T2", "2026-06-01", "2026-09-28", "KT1"),
    "KT3": ("CN-T3", "2026-09-29", "2027-01-26", "KT2"),
}
# id: (contract, start, end)
PACKAGES = {
    "P-AVG": ("KS", "2026-04-19", "2027-04-18"),
    "P-RANGE": ("KS", "2026-02-05", "2027-02-04"),
    "P-NEW": ("KS", "2026-06-02", "2027-06-01"),
    "P-EDGE": ("KS", "2026-06-01", "2027-05-31"),
    "P-FEW": ("KS", "2026-01-01", "2026-12-31"),
    "PT1": ("KT1", "2025-01-01", "2025-04-30"),
    "PT2": ("KT2", "2026-06-01", "2026-09-28"),
    "PT3": ("KT3", "2026-09-29", "2027-01-26"),
}
# id: (package, category, unit, purchased)
ENTITLEMENTS = {
    "E-AVG": ("P-AVG", "reactive", "hours", 200),
    "E-RANGE": ("P-RANGE", "reactive", "hours", 300),
    "E-NEW": ("P-NEW", "proactive", "hours", 100),
    "E-EDGE": ("P-EDGE", "proactive", "hours", 100),
    "E-FEW": ("P-FEW", "reactive", "hours", 200),
    "E-FEWD": ("P-FEW", "proactive", "hours", 100),
    "E-THREE": ("P-FEW", "reactive", "hours", 100),
    "E-T1": ("PT1", "proactive", "hours", 150),
    "E-TC1": ("PT1", "contacts", "contacts", 3),
    "E-T2": ("PT2", "proactive", "hours", 160),
    "E-TC2": ("PT2", "contacts", "contacts", 3),
    "E-T3": ("PT3", "proactive", "hours", 160),
}
# entitlement: [(day, hours)], one case each
CASES = {
    "E-AVG": [("2026-05-01", 40), ("2026-05-20", 30), ("2026-06-10", 30)],
    "E-RANGE": [("2026-02-10", 60), ("2026-03-01", 68), ("2026-05-01", 36), ("2026-06-01", 36)],
    "E-FEW": [("2026-02-01", 50), ("2026-05-01", 50)],
    "E-THREE": [("2026-05-01", 10)] * 3,
}
# entitlement: [(day, quantity, status)]
DELIVERIES = {
    "E-NEW": [(f"2026-06-{d:02}", 4, "delivered") for d in (5, 10, 15, 20, 25)],
    "E-EDGE": [(f"2026-06-{d:02}", 10, "delivered") for d in (5, 10, 15)],
    "E-FEWD": [
        ("2026-02-01", 10, "delivered"),
        ("2026-05-01", 10, "delivered"),
        ("2026-05-02", 10, "cancelled"),
        ("2026-08-01", 10, "scheduled"),
    ],
    "E-T1": [
        ("2025-01-01", 20, "delivered"),
        ("2025-01-30", 10, "delivered"),
        ("2025-01-31", 40, "delivered"),
        ("2025-04-30", 50, "delivered"),
    ],
    "E-T2": [("2026-06-10", 25, "delivered"), ("2026-06-20", 20, "delivered")],
}
# id: (entitlement, added_on, removed_on)
CONTACTS = {
    "Cy": ("E-TC1", "2025-01-05", None),
    "Di": ("E-TC1", "2025-01-05", "2025-01-20"),
    "Ed": ("E-TC1", "2025-02-15", None),
    "Fay": ("E-TC2", "2026-06-05", None),
}


def rows_of_tables() -> dict[str, list[dict]]:
    rows = one_admin()
    rows["contracts"] = [
        {"contract_id": k, "customer_id": "C1", "workspace_id": "W1", "contract_number": number,
         "name": f"Contract {number}", "start_date": start, "end_date": end,
         "renews_contract_id": renews}
        for k, (number, start, end, renews) in CONTRACTS.items()
    ]  # fmt: skip
    rows["packages"] = [
        {"package_id": p, "contract_id": k, "name": f"Package {p}", "scope": "enterprise",
         "start_date": start, "end_date": end}
        for p, (k, start, end) in PACKAGES.items()
    ]  # fmt: skip
    rows["entitlements"] = [
        {"entitlement_id": e, "package_id": p, "category": category, "name": e,
         "description": e, "kind": "consumable", "unit": unit, "purchased": purchased,
         "action_url": None}
        for e, (p, category, unit, purchased) in ENTITLEMENTS.items()
    ]  # fmt: skip
    contract_of = {e: PACKAGES[p][0] for e, (p, *_) in ENTITLEMENTS.items()}
    rows["cases"] = [
        {"case_id": f"{e}-{n}", "workspace_id": "W1", "contract_id": contract_of[e],
         "entitlement_id": e, "title": f"Case {n}", "case_type": "reactive",
         "service_code": "STD", "severity": "B", "status": "closed",
         "created_at": f"{day}T09:00:00Z", "closed_at": f"{day}T17:00:00Z",
         "primary_contact_id": "u-admin", "hours": hours}
        for e, cases in CASES.items() for n, (day, hours) in enumerate(cases)
    ]  # fmt: skip
    rows["deliveries"] = [
        {"delivery_id": f"{e}-{n}", "entitlement_id": e, "date": day, "title": f"Delivery {n}",
         "quantity": quantity, "hours_delivered": None, "status": status, "delivered_by": None}
        for e, deliveries in DELIVERIES.items()
        for n, (day, quantity, status) in enumerate(deliveries)
    ]  # fmt: skip
    rows["contacts"] = [
        {"contact_id": c, "entitlement_id": e, "name": c, "email": f"{c.lower()}@acme.example",
         "user_id": None, "added_on": added, "removed_on": removed}
        for c, (e, added, removed) in CONTACTS.items()
    ]  # fmt: skip
    return rows


def build(base: Path) -> Path:
    """The dataset above imported into a data home under `base`; returns the home."""
    return imported(rows_of_tables(), base, AS_OF)


@pytest.fixture(scope="module")
def sizing(tmp_path_factory) -> Dataset:
    return Dataset(current_dataset(build(tmp_path_factory.mktemp("sizing"))))


@pytest.fixture(scope="module")
def suggested(sizing) -> dict[str, dict]:
    frame = sizing.run("pace_and_sizing", "u-admin", Filters(status="all"))
    return {r["entitlement_id"]: r for r in frame.iter_rows(named=True)}


def test_the_suggestion_is_the_terms_average_pace(suggested):
    row = suggested["E-AVG"]  # 100 hours used in 73 of 365 days
    assert (row["used"], row["days_elapsed"], row["term_days"]) == (100, 73, 365)
    assert row["usage_events"] == 3
    assert row["average_per_day"] == pytest.approx(100 / 73)
    assert row["suggested_next_term"] == 500  # 100 / 73 × 365
    # the package started 73 days ago: its last 90 days are those 73, the same pace
    assert (row["window_days"], row["used_in_window"]) == (73, 100)
    assert row["suggested_from_last_90_days"] == 500
    assert row["no_suggestion_reason"] is None


def test_the_last_90_days_pace_is_shown_beside_it(suggested):
    row = suggested["E-RANGE"]  # 128 before the last 90 days, 72 in them: 200 in 146 days
    assert (row["used"], row["days_elapsed"], row["usage_events"]) == (200, 146, 4)
    assert row["suggested_next_term"] == 500  # 200 / 146 × 365
    assert (row["window_days"], row["used_in_window"]) == (90, 72)
    assert row["suggested_from_last_90_days"] == 292  # 72 / 90 × 365
    row = suggested["E-THREE"]  # three cases on one day are three events
    assert (row["used"], row["days_elapsed"], row["usage_events"]) == (30, 181, 3)
    assert row["suggested_next_term"] == 61  # 30 / 181 × 365 = 60.497, rounded up
    assert row["suggested_from_last_90_days"] == 122  # 30 / 90 × 365 = 121.67, rounded up


def test_too_little_history_under_30_days(suggested):
    row = suggested["E-NEW"]  # 5 deliveries, but 29 days elapsed
    assert (row["days_elapsed"], row["usage_events"], row["used"]) == (29, 5, 20)
    assert row["suggested_next_term"] is None
    assert row["suggested_from_last_90_days"] is None
    assert (
        row["no_suggestion_reason"] == "too little history: 29 days of the term elapsed, under 30"
    )
    row = suggested["E-EDGE"]  # 30 days elapsed is enough: 30 / 30 × 365
    assert (row["days_elapsed"], row["usage_events"]) == (30, 3)
    assert (row["suggested_next_term"], row["suggested_from_last_90_days"]) == (365, 365)
    assert row["no_suggestion_reason"] is None


def test_too_little_history_under_3_events(suggested):
    for entitlement in ("E-FEW", "E-FEWD"):  # 2 cases; 2 delivered (cancelled, scheduled aside)
        row = suggested[entitlement]
        assert (row["days_elapsed"], row["usage_events"]) == (181, 2), entitlement
        assert row["suggested_next_term"] is None, entitlement
        assert row["suggested_from_last_90_days"] is None, entitlement
        assert row["no_suggestion_reason"] == "too little history: 2 usage events, under 3"
    assert suggested["E-FEW"]["used"] == 100
    assert suggested["E-FEWD"]["used"] == 20


def compared(sizing) -> dict[tuple[str, str], dict]:
    frame = sizing.run("term_comparison", "u-admin")
    return {(r["contract_number"], r["category"]): r for r in frame.iter_rows(named=True)}


def test_terms_are_compared_like_for_like(sizing):
    row = compared(sizing)[("CN-T2", "proactive")]
    assert row["previous_contract_number"] == "CN-T1"
    assert row["term_elapsed"] == pytest.approx(0.25)  # 30 of 120 days
    assert (row["purchased_this_term"], row["used_this_term"]) == (160, 45)
    assert row["previous_compared_to"] == date(2025, 1, 30)  # the 30th of KT1's 120 days
    assert row["used_previous_term_same_share"] == 30  # 20 + 10; 2025-01-31 is past it
    assert row["change_in_use"] == 15  # 45 - 30, not 45 - 120
    assert (row["purchased_previous_term"], row["used_previous_term"]) == (150, 120)


def test_named_contacts_are_compared_on_the_same_day(sizing):
    row = compared(sizing)[("CN-T2", "contacts")]
    assert row["used_this_term"] == 1  # Fay
    assert row["used_previous_term_same_share"] == 1  # Cy; Di removed, Ed not added yet
    assert row["used_previous_term"] == 2  # Cy and Ed
    assert row["change_in_use"] == 0


def test_an_upcoming_contract_is_not_compared(sizing):
    rows = compared(sizing)
    # KT3 renews KT2 but starts on 2026-09-29: only KT2, active, is compared
    assert {number for number, _ in rows} == {"CN-T2"}
    assert {previous["previous_contract_number"] for previous in rows.values()} == {"CN-T1"}
