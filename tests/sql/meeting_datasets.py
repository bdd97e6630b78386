"""Two meetings a month apart: the data of 15 Jun 2026 (the first meeting, when a snapshot is
taken) and of 15 Jul 2026 (the next one, which asks what changed since). Worked out by hand:

Acme (C1) has Production (W1) and Lab (W2). u-admin is its customer admin; u-lab holds
customer_activity in W1 and W2 on the first day, in W2 only on the second.

CN-1 (K1, W1, 2026) has the enterprise package P1: E1 reactive 100 hours, E2 credits 50, E3
advisory hours without limit, E4 a benefit. CN-2 (K2, W2, 1 Jul 2025 - 30 Jun 2026) has P2: E5
reactive 40 hours. On the second day CN-3 (K3, W2, from 1 Jul 2026) renews CN-2, with P3: E6
reactive 60 hours.

On 15 Jun (the last 90 days: 18 Mar - 15 Jun; 199 days left of CN-1, 15 of CN-2):
- E1 used 30 + 20 = 50, on track (20 hours in 90 days: 5.8 of 50 left at its end);
- E2 used 10 credits, 5 scheduled, 35 remaining, will leave unused (none used in 90 days);
- E3 used 5, no forecast (no limit); E5 used 10, will leave unused (28 of 30 left at its end).
On 15 Jul (17 Apr - 15 Jul; 169 days left of CN-1):
- E1 used 75 (c6: 25), will run out (45 hours in 90 days: its 25 last 50 days);
- E2 used 15 (d2 delivered), 35 remaining, will leave unused (25.6 of 35 left at its end);
- E3 used 9 (c9: 4); E5 used 13 (c7: 3), expired (its package ended 30 Jun); E6 is new.

Hours used since, over the entitlements in both: reactive 25 + 3 = 28, advisory 4; credits 5.
Contracts: CN-1 199 -> 169 days left; CN-2 15 -> -15, ended and renewed by CN-3; CN-3 is new.
Additional cases: on 15 Jun c4 (no entitlement): 1. On 15 Jul c4 and c8 (no entitlement), c7
(raised on the expired CN-2) and c3 (its contract CN-2 has expired since): 4, of which c7 and c8
were raised after 15 Jun.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dashboard.ingest.importer import import_dataset
from tests.sql.small_datasets import imported, one_admin, write_tables

FIRST, SECOND = date(2026, 6, 15), date(2026, 7, 15)


def _case(case_id, workspace, contract, entitlement, case_type, created, hours) -> dict:
    return {
        "case_id": case_id,
        "workspace_id": workspace,
        "contract_id": contract,
        "entitlement_id": entitlement,
        "title": f"Case {case_id}",
        "case_type": case_type,
        "service_code": "STD",
        "severity": "B",
        "status": "closed",
        "created_at": f"{created}T09:00:00Z",
        "closed_at": f"{created}T17:00:00Z",
        "primary_contact_id": "u-admin",
        "hours": hours,
    }


def _entitlement(entitlement_id, package, category, unit, purchased, kind="consumable") -> dict:
    return {
        "entitlement_id": entitlement_id,
        "package_id": package,
        "category": category,
        "name": f"{category.capitalize()} {entitlement_id}",
        "description": "As purchased",
        "kind": kind,
        "unit": unit,
        "purchased": purchased,
        "action_url": None,
    }


def _delivery(delivery_id, day, quantity, status) -> dict:
    return {
        "delivery_id": delivery_id,
        "entitlement_id": "E2",
        "date": day,
        "title": f"Delivery {delivery_id}",
        "quantity": quantity,
        "hours_delivered": None,
        "status": status,
        "delivered_by": None,
    }


def first_meeting() -> dict[str, list[dict]]:
    """The rows of 15 Jun 2026."""
    rows = one_admin()
    rows["workspaces"].append({"workspace_id": "W2", "customer_id": "C1", "name": "Lab"})
    rows["users"].append(
        {
            "user_id": "u-lab",
            "customer_id": "C1",
            "display_name": "Lee Lab",
            "email": "lee@acme.example",
            "is_customer_admin": False,
        }
    )
    rows["role_grants"] = [
        {"user_id": "u-lab", "workspace_id": w, "role": "customer_activity"} for w in ("W1", "W2")
    ]
    rows["contracts"] = [
        _contract("K1", "W1", "CN-1", "2026-01-01", "2026-12-31", None),
        _contract("K2", "W2", "CN-2", "2025-07-01", "2026-06-30", None),
    ]
    rows["packages"] = [
        _package("P1", "K1", "2026-01-01", "2026-12-31"),
        _package("P2", "K2", "2025-07-01", "2026-06-30"),
    ]
    rows["entitlements"] = [
        _entitlement("E1", "P1", "reactive", "hours", 100),
        _entitlement("E2", "P1", "credits", "credits", 50),
        _entitlement("E3", "P1", "advisory", "hours", None),
        _entitlement("E4", "P1", "proactive", "hours", None, kind="benefit"),
        _entitlement("E5", "P2", "reactive", "hours", 40),
    ]
    rows["cases"] = [
        _case("c1", "W1", "K1", "E1", "reactive", "2026-03-01", 30),
        _case("c2", "W1", "K1", "E1", "reactive", "2026-06-01", 20),
        _case("c3", "W2", "K2", "E5", "reactive", "2026-05-01", 10),
        _case("c4", "W1", None, None, "reactive", "2026-06-10", 2),
        _case("c5", "W1", "K1", "E3", "advisory", "2026-04-01", 5),
    ]
    rows["deliveries"] = [
        _delivery("d1", "2026-02-01", 10, "delivered"),
        _delivery("d2", "2026-08-01", 5, "scheduled"),
    ]
    return rows


def second_meeting() -> dict[str, list[dict]]:
    """The rows of 15 Jul 2026: u-lab has lost W1; CN-3 renews CN-2; more was used."""
    rows = first_meeting()
    rows["role_grants"] = [{"user_id": "u-lab", "workspace_id": "W2", "role": "customer_activity"}]
    rows["contracts"].append(_contract("K3", "W2", "CN-3", "2026-07-01", "2027-06-30", "K2"))
    rows["packages"].append(_package("P3", "K3", "2026-07-01", "2027-06-30"))
    rows["entitlements"].append(_entitlement("E6", "P3", "reactive", "hours", 60))
    rows["cases"] += [
        _case("c6", "W1", "K1", "E1", "reactive", "2026-07-01", 25),
        _case("c7", "W2", "K2", "E5", "reactive", "2026-07-05", 3),
        _case("c8", "W1", None, None, "reactive", "2026-07-10", 1),
        _case("c9", "W1", "K1", "E3", "advisory", "2026-07-02", 4),
    ]
    rows["deliveries"] = [
        _delivery("d1", "2026-02-01", 10, "delivered"),
        _delivery("d2", "2026-07-10", 5, "delivered"),
    ]
    return rows


def _contract(contract_id, workspace, number, start, end, renews) -> dict:
    return {
        "contract_id": contract_id,
        "customer_id": "C1",
        "workspace_id": workspace,
        "contract_number": number,
        "name": f"Support {number}",
        "start_date": start,
        "end_date": end,
        "renews_contract_id": renews,
    }


def _package(package_id, contract, start, end) -> dict:
    return {
        "package_id": package_id,
        "contract_id": contract,
        "name": f"Enterprise {package_id}",
        "scope": "enterprise",
        "start_date": start,
        "end_date": end,
    }


def first_home(base: Path) -> Path:
    """A data home holding the data of the first meeting."""
    return imported(first_meeting(), base, FIRST)


def next_meeting(home: Path, base: Path) -> None:
    """Make the data of the second meeting live in `home` (a new version, as an import does)."""
    src = base / "src-second"
    src.mkdir()
    write_tables(second_meeting(), src)
    import_dataset(src, home, SECOND)
