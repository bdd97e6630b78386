"""The permission proof: random organisations (customers, workspaces, users, memberships, roles,
groups, contracts, packages, cases and shares) are imported, and for every user the queries are
checked against a plain-Python statement of the data contract's rules ("Who sees what" and
"Additional cases" in DATA_MODEL.md), written apart from the SQL. Every query is also run by
every user, and no cell of any of them may hold an id of another customer.

Account managers are generated too, each with assignments to several customers (ended, active,
not yet started, ending on the as-of day, open-ended; several per customer), and checked
against "Account managers" in DATA_MODEL.md: in a customer they may open they see what its
customer admin sees but learners and the access admin's lists; in any other, nothing; and no
output of theirs holds an id of a customer they may not open.

Every id is a token that names its customer (`C2W1`: customer C2's workspace 1), and every name,
title and e-mail carries the id of its row, so a row of another customer cannot hide in any
column."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.ingest.data_home import current_dataset
from dashboard.ingest.importer import import_dataset
from dashboard.ingest.schema import TABLES
from dashboard.query import sql_files
from dashboard.query.dataset import Dataset
from dashboard.query.filters import STATUSES, Filters
from tests.sql.small_datasets import as_csv

COLUMNS = {table.name: table.column_names for table in TABLES}
AS_OF = date(2026, 6, 30)
ROLES = ("customer_activity", "view_all_support_requests", "training_manager")
SPECIAL_SERVICES = ("SU", "DSA", "X85", "REC")
TERMS = {  # (start, end) of a contract or package in each state on AS_OF
    "active": (date(2026, 1, 1), date(2026, 12, 31)),
    "ending": (date(2026, 1, 1), date(2026, 8, 31)),  # active, ends within 90 days
    "expired": (date(2025, 1, 1), date(2025, 12, 31)),
    "upcoming": (date(2027, 1, 1), date(2027, 12, 31)),
}
ACTIVE = ("active", "ending")
ASSIGNMENTS = {  # (start, end) of an account manager's assignment; each starts on a day of its own
    "long ended": (date(2025, 1, 1), date(2025, 12, 31)),
    "ended the day before": (date(2025, 7, 1), AS_OF - timedelta(days=1)),
    "active": (date(2026, 1, 1), date(2026, 12, 31)),
    "open-ended": (date(2026, 2, 1), None),
    "ends on the day": (date(2026, 3, 1), AS_OF),
    "starts on the day": (AS_OF, None),
    "starts the day after": (AS_OF + timedelta(days=1), date(2026, 9, 30)),
    "not yet started, open-ended": (date(2026, 8, 1), None),
}
CASE_HOURS = 1.5
DELIVERED = 3  # the quantity of every delivery
# Per category of an entitlement other than the reactive hours every package has: its unit,
# purchased, the table of its items and the statuses an item may have.
EXTRAS = {
    "education": ("seats", 1, "enrollments", ("enrolled", "completed", "cancelled")),
    "proactive": ("hours", 4, "deliveries", ("delivered", "scheduled", "cancelled")),
    "credits": ("credits", 4, "deliveries", ("delivered", "scheduled", "cancelled")),
    "contacts": ("contacts", 1, "contacts", ("active", "removed")),
    "assessments": ("assessments", 1, "assessments", ("not_started", "completed", "cancelled")),
}


@dataclass
class World:
    """The rows of every table, as plain Python."""

    customers: list[str] = field(default_factory=list)
    workspaces: dict[str, str] = field(default_factory=dict)  # workspace -> customer
    users: dict[str, str] = field(default_factory=dict)  # user -> customer
    customer_admins: set[str] = field(default_factory=set)
    members: dict[tuple[str, str], bool] = field(default_factory=dict)  # (ws, user) -> admin?
    grants: set[tuple[str, str, str]] = field(default_factory=set)  # (user, ws, role)
    groups: dict[str, str] = field(default_factory=dict)  # group -> customer
    group_members: set[tuple[str, str]] = field(default_factory=set)  # (group, user)
    group_access: set[tuple[str, str]] = field(default_factory=set)  # (group, ws)
    contracts: dict[str, dict] = field(default_factory=dict)
    packages: dict[str, dict] = field(default_factory=dict)
    entitlements: dict[str, str] = field(default_factory=dict)  # entitlement -> package
    purchased: dict[str, int] = field(default_factory=dict)  # entitlement -> purchased
    category: dict[str, str] = field(default_factory=dict)  # entitlement -> category
    items: dict[str, dict] = field(default_factory=dict)  # deliveries, enrollments, contacts...
    cases: dict[str, dict] = field(default_factory=dict)
    shares: set[tuple[str, str]] = field(default_factory=set)  # (case, user)
    managers: list[str] = field(default_factory=list)  # account managers
    assignments: set[tuple] = field(default_factory=set)  # (manager, customer, start, end)


@st.composite
def worlds(draw) -> World:
    world = World()
    for c in range(1, draw(st.integers(2, 3)) + 1):
        customer = f"C{c}"
        world.customers.append(customer)
        spaces = [f"{customer}W{i}" for i in range(1, draw(st.integers(1, 3)) + 1)]
        people = [f"{customer}U{i}" for i in range(1, draw(st.integers(1, 3)) + 1)]
        world.workspaces.update(dict.fromkeys(spaces, customer))
        world.users.update(dict.fromkeys(people, customer))
        for user in people:
            if draw(st.booleans()):
                world.customer_admins.add(user)
            for space in spaces:
                membership = draw(st.sampled_from([None, None, False, True]))
                if membership is not None:
                    world.members[space, user] = membership
                for role in ROLES:
                    if draw(st.integers(0, 2)) == 0:
                        world.grants.add((user, space, role))
        for g in range(1, draw(st.integers(0, 2)) + 1):
            group = f"{customer}G{g}"
            world.groups[group] = customer
            world.group_members |= {(group, u) for u in draw(st.sets(st.sampled_from(people)))}
            world.group_access |= {(group, w) for w in draw(st.sets(st.sampled_from(spaces)))}
        contracts = [f"{customer}K{i}" for i in range(1, draw(st.integers(1, 3)) + 1)]
        for i, contract in enumerate(contracts):
            state = draw(st.sampled_from(list(TERMS)))
            world.contracts[contract] = {
                "customer": customer,
                "workspace": draw(st.one_of(st.none(), st.sampled_from(spaces))),
                "state": state,
                # the contract of the previous term: one made before it, so never a cycle
                "renews": draw(st.one_of(st.none(), st.sampled_from(contracts[:i]))) if i else None,
            }
            for p in range(1, draw(st.integers(1, 2)) + 1):
                package = f"{contract}P{p}"
                world.packages[package] = {
                    "contract": contract,
                    "state": draw(st.sampled_from(list(TERMS))),
                    "scope": draw(st.sampled_from(["enterprise", "add_on"])),
                }
                hours = f"{package}E1"
                world.entitlements[hours] = package
                world.purchased[hours] = draw(st.sampled_from([2, 10]))
                world.category[hours] = "reactive"
                add_extra(draw, world, package, people)
        entitlements_of = {  # the hours entitlements, which cases are booked against
            k: [
                e
                for e, p in world.entitlements.items()
                if world.packages[p]["contract"] == k and world.category[e] == "reactive"
            ]
            for k in contracts
        }
        for n in range(1, draw(st.integers(0, 5)) + 1):
            case = f"{customer}S{n}"
            contract = draw(st.one_of(st.none(), st.sampled_from(contracts)))
            entitlement = None
            if contract is not None:
                entitlement = draw(st.one_of(st.none(), st.sampled_from(entitlements_of[contract])))
            world.cases[case] = {
                "workspace": draw(st.sampled_from(spaces)),
                "contract": contract,
                "entitlement": entitlement,
                "service": draw(st.sampled_from(["GEN", "SU", "X85"])),
                "contact": draw(st.sampled_from(people)),
                "day": AS_OF - timedelta(days=draw(st.integers(0, 400))),
            }
            world.shares |= {(case, u) for u in draw(st.sets(st.sampled_from(people)))}
    add_managers(draw, world)
    return world


def add_extra(draw, world: World, package: str, people: list[str]) -> None:
    """A second entitlement of the package, of any category but reactive (EXTRAS), and its
    items: enrollments, whose learners only some may see; deliveries; named contacts, who may
    be people of the customer; assessments."""
    entitlement = f"{package}E2"
    category = draw(st.sampled_from(list(EXTRAS)))
    world.entitlements[entitlement] = package
    world.purchased[entitlement] = EXTRAS[category][1]
    world.category[entitlement] = category
    for n in range(1, draw(st.integers(0, 2)) + 1):
        world.items[f"{entitlement}N{n}"] = {
            "entitlement": entitlement,
            "status": draw(st.sampled_from(EXTRAS[category][3])),
            "day": AS_OF - timedelta(days=draw(st.integers(0, 200))),
            "user": draw(st.one_of(st.none(), st.sampled_from(people))),
        }


def add_managers(draw, world: World) -> None:
    """One to three account managers, each with up to two assignments to each customer, of any
    term (ASSIGNMENTS): some may open several customers, some none."""
    for m in range(1, draw(st.integers(1, 3)) + 1):
        manager = f"M{m}"
        world.managers.append(manager)
        for customer in world.customers:
            for term in draw(st.sets(st.sampled_from(list(ASSIGNMENTS)), max_size=2)):
                world.assignments.add((manager, customer, *ASSIGNMENTS[term]))


# The rules, stated in plain Python from DATA_MODEL.md.


def can_open(world: World, user: str, space: str) -> bool:
    return world.workspaces[space] == world.users[user] and (
        user in world.customer_admins
        or world.members.get((space, user)) is True
        or (user, space, "customer_activity") in world.grants
    )


def openable(world: World, user: str) -> set[str]:
    return {w for w in world.workspaces if can_open(world, user, w)}


def contracts_seen(world: World, user: str, picked: set[str] | None = None) -> set[str]:
    """The contracts in view with `picked` workspaces (None: all workspaces)."""
    spaces = openable(world, user) & (picked if picked is not None else set(world.workspaces))
    return {
        k
        for k, c in world.contracts.items()
        if c["customer"] == world.users[user]
        and (
            c["workspace"] in spaces
            or (c["workspace"] is None and picked is None and user in world.customer_admins)
        )
    }


def sees_case(world: World, user: str, case: str) -> bool:
    row = world.cases[case]
    space = row["workspace"]
    return can_open(world, user, space) and (
        user in world.customer_admins
        or world.members.get((space, user)) is True
        or (user, space, "view_all_support_requests") in world.grants
        or row["contact"] == user
        or (case, user) in world.shares
        or any((g, user) in world.group_members for g, w in world.group_access if w == space)
    )


def cases_seen(world: World, user: str, picked: set[str] | None = None) -> set[str]:
    return {
        case
        for case, row in world.cases.items()
        if sees_case(world, user, case) and (picked is None or row["workspace"] in picked)
    }


def is_additional(world: World, case: str) -> bool:
    row = world.cases[case]
    contract = world.contracts.get(row["contract"])
    return (
        row["contract"] is None
        or row["entitlement"] is None
        or contract["state"] == "expired"
        or contract["workspace"] != row["workspace"]
        or row["service"] in SPECIAL_SERVICES
    )


# The rules for account managers ("Account managers" in DATA_MODEL.md), in plain Python.


def is_active(start: date, end: date | None) -> bool:
    return start <= AS_OF and (end is None or AS_OF <= end)


def customers_of(world: World, manager: str) -> set[str]:
    """The customers `manager` may open: those of an assignment active on AS_OF."""
    return {c for m, c, start, end in world.assignments if m == manager and is_active(start, end)}


def admin_of(world: World, customer: str) -> str | None:
    """A customer admin of `customer`, if it has one."""
    return min((u for u in world.customer_admins if world.users[u] == customer), default=None)


def customer_of_entitlement(world: World, entitlement: str) -> str:
    return world.contracts[world.packages[world.entitlements[entitlement]]["contract"]]["customer"]


def used(world: World, entitlement: str) -> float:
    """Hours of every case booked against it, quantity delivered, or its other items that count
    (not cancelled, not removed)."""
    category = world.category[entitlement]
    if category == "reactive":
        return CASE_HOURS * sum(row["entitlement"] == entitlement for row in world.cases.values())
    statuses = [r["status"] for r in world.items.values() if r["entitlement"] == entitlement]
    if category in ("proactive", "credits"):
        return DELIVERED * statuses.count("delivered")
    return sum(status not in ("cancelled", "removed") for status in statuses)


def remaining(world: World, entitlement: str) -> float:
    statuses = [r["status"] for r in world.items.values() if r["entitlement"] == entitlement]
    scheduled = DELIVERED * statuses.count("scheduled")
    return world.purchased[entitlement] - used(world, entitlement) - scheduled


def portfolio_row(world: World, customer: str, will_run_out: int) -> dict:
    """The portfolio's row of `customer`, as its admin would see its figures."""
    contracts = {k for k, c in world.contracts.items() if c["customer"] == customer}
    active = [k for k in contracts if world.contracts[k]["state"] in ACTIVE]
    renewed = {c["renews"] for c in world.contracts.values()}
    ends = [TERMS[world.contracts[k]["state"]][1] for k in active if k not in renewed]
    end = min(ends, default=None)
    live = {  # the packages active on AS_OF
        p
        for p, row in world.packages.items()
        if row["contract"] in contracts and row["state"] in ACTIVE
    }
    enterprise = [  # hours of active enterprise packages of active contracts
        e for e, p in world.entitlements.items()
        if p in live and unit_of(world, e) == "hours"
        and world.packages[p]["scope"] == "enterprise"
        and world.contracts[world.packages[p]["contract"]]["state"] in ACTIVE
    ]  # fmt: skip
    purchased = sum(world.purchased[e] for e in enterprise)
    hours = sum(used(world, e) for e in enterprise)
    since = AS_OF - timedelta(days=89)
    return {
        "customer_id": customer,
        "customer_name": f"Customer {customer}",
        "active_contracts": len(active),
        "next_contract_end": end,
        "days_left": (end - AS_OF).days if end else None,
        "enterprise_hours_purchased": purchased,
        "enterprise_hours_used": hours,
        "enterprise_hours_utilisation": hours / purchased if purchased else None,
        "overdrawn_entitlements": sum(
            remaining(world, e) < 0 for e, p in world.entitlements.items() if p in live
        ),
        "packages_expiring_soon": sum(
            0 <= (TERMS[world.packages[p]["state"]][1] - AS_OF).days <= 90 for p in live
        ),
        "will_run_out": will_run_out,
        "additional_cases_90d": sum(
            world.workspaces[row["workspace"]] == customer
            and is_additional(world, case)
            and since <= row["day"]
            for case, row in world.cases.items()
        ),
    }


# Writing the world as the import's CSV files.


def unit_of(world: World, entitlement: str) -> str:
    category = world.category[entitlement]
    return "hours" if category == "reactive" else EXTRAS[category][0]


def item_row(world: World, item: str, row: dict) -> dict:
    """The row of a delivery, enrollment, named contact or assessment, each of its texts
    naming it."""
    day, status, entitlement = row["day"], row["status"], row["entitlement"]
    done = day if status == "completed" else None
    table = EXTRAS[world.category[entitlement]][2]
    if table == "deliveries":
        return {"delivery_id": item, "entitlement_id": entitlement, "date": day,
                "title": f"Delivery {item}", "quantity": DELIVERED, "hours_delivered": DELIVERED,
                "status": status, "delivered_by": f"Engineer {item}"}  # fmt: skip
    if table == "enrollments":
        return {"enrollment_id": item, "entitlement_id": entitlement,
                "learner_name": f"Learner {item}", "learner_email": f"{item.lower()}@example.com",
                "course": f"Course {item}", "enrolled_on": day, "completed_on": done,
                "status": status}  # fmt: skip
    if table == "contacts":
        return {"contact_id": item, "entitlement_id": entitlement, "name": f"Contact {item}",
                "email": f"{item.lower()}@example.com", "user_id": row["user"],
                "added_on": day, "removed_on": AS_OF if status == "removed" else None}  # fmt: skip
    return {"assessment_id": item, "entitlement_id": entitlement, "name": f"Assessment {item}",
            "technology": f"Technology {item}", "status": status,
            "started_on": None if status == "not_started" else day,
            "completed_on": done}  # fmt: skip


def write(world: World, folder: Path) -> None:
    folder.mkdir()
    rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    rows["customers"] = [{"customer_id": c, "name": f"Customer {c}"} for c in world.customers]
    rows["workspaces"] = [
        {"workspace_id": w, "customer_id": c, "name": f"Workspace {w}"}
        for w, c in world.workspaces.items()
    ]
    rows["users"] = [
        {"user_id": u, "customer_id": c, "display_name": f"Person {u}",
         "email": f"{u.lower()}@example.com", "is_customer_admin": u in world.customer_admins}
        for u, c in world.users.items()
    ]  # fmt: skip
    rows["workspace_members"] = [
        {"workspace_id": w, "user_id": u, "is_workspace_admin": admin}
        for (w, u), admin in world.members.items()
    ]
    rows["role_grants"] = [{"user_id": u, "workspace_id": w, "role": r} for u, w, r in world.grants]
    rows["groups"] = [
        {"group_id": g, "customer_id": c, "name": f"Group {g}"} for g, c in world.groups.items()
    ]
    rows["group_members"] = [{"group_id": g, "user_id": u} for g, u in world.group_members]
    rows["group_case_access"] = [{"group_id": g, "workspace_id": w} for g, w in world.group_access]
    for k, c in world.contracts.items():
        start, end = TERMS[c["state"]]
        rows["contracts"].append(
            {"contract_id": k, "customer_id": c["customer"], "workspace_id": c["workspace"],
             "contract_number": f"N-{k}", "name": f"Contract {k}", "start_date": start,
             "end_date": end, "renews_contract_id": c["renews"]}
        )  # fmt: skip
    for p, package in world.packages.items():
        start, end = TERMS[package["state"]]
        rows["packages"].append(
            {"package_id": p, "contract_id": package["contract"], "name": f"Package {p}",
             "scope": package["scope"], "start_date": start, "end_date": end}
        )  # fmt: skip
    for e, p in world.entitlements.items():
        rows["entitlements"].append(
            {"entitlement_id": e, "package_id": p, "category": world.category[e],
             "name": f"Entitlement {e}", "description": f"About {e}", "kind": "consumable",
             "unit": unit_of(world, e), "purchased": world.purchased[e], "action_url": None}
        )  # fmt: skip
    for item, row in world.items.items():
        table = EXTRAS[world.category[row["entitlement"]]][2]
        rows[table].append(item_row(world, item, row))
    for case, c in world.cases.items():
        rows["cases"].append(
            {"case_id": case, "workspace_id": c["workspace"], "contract_id": c["contract"],
             "entitlement_id": c["entitlement"], "title": f"Case {case}", "case_type": "reactive",
             "service_code": c["service"], "severity": "B", "status": "open",
             "created_at": f"{c['day']}T09:00:00Z", "closed_at": None,
             "primary_contact_id": c["contact"], "hours": CASE_HOURS}
        )  # fmt: skip
    rows["case_shares"] = [{"case_id": c, "user_id": u} for c, u in world.shares]
    rows["account_managers"] = [
        {"user_id": m, "display_name": f"Manager {m}", "email": f"{m.lower()}@provider.example"}
        for m in world.managers
    ]
    rows["account_assignments"] = [
        {"user_id": m, "customer_id": c, "start_date": start, "end_date": end}
        for m, c, start, end in world.assignments
    ]
    for name, columns in COLUMNS.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            out = csv.DictWriter(handle, columns)
            out.writeheader()
            for row in rows[name]:
                out.writerow({k: as_csv(v) for k, v in row.items()})


def ids(frame, column: str) -> set[str]:
    return set(frame.get_column(column).to_list()) if frame.height else set()


SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


def imported(world: World, tmp_path_factory) -> Dataset:
    """The world written as CSV files, imported, and open."""
    base = tmp_path_factory.mktemp("world")
    write(world, base / "src")
    import_dataset(base / "src", base / "home", AS_OF)
    return Dataset(current_dataset(base / "home"))


def extras(query: sql_files.Query, entitlement: str) -> dict:
    return {"entitlement": entitlement} if "entitlement" in query.parameters else {}


@settings(max_examples=12, deadline=None, suppress_health_check=SLOW)
@given(world=worlds())
def test_every_user_sees_exactly_what_the_rules_allow(world, tmp_path_factory):
    dataset = imported(world, tmp_path_factory)
    every = Filters(status="all")
    for user in world.users:
        assert ids(dataset.run("workspaces", user), "workspace_id") == openable(world, user)
        seen = contracts_seen(world, user)
        assert ids(dataset.run("contracts", user, every), "contract_id") == seen
        packages = {p for p, row in world.packages.items() if row["contract"] in seen}
        assert ids(dataset.run("packages", user, every), "package_id") == packages
        entitlements = {e for e, p in world.entitlements.items() if p in packages}
        found = dataset.run("package_entitlements", user, every)
        assert ids(found, "entitlement_id") == entitlements
        cases = cases_seen(world, user)
        assert ids(dataset.run("support_requests", user, every), "case_id") == cases
        # the totals, counted on the roll-ups (own and shared cases apart), agree: a case
        # shared with its own contact counts once
        counts = dataset.run("support_request_counts", user, every).row(0, named=True)
        assert counts["visible"] == len(cases)
        additional = {c for c in cases if is_additional(world, c)}
        assert ids(dataset.run("additional_cases", user, every), "case_id") == additional
        # one workspace at a time, theirs or not
        for space in world.workspaces:
            one = Filters(workspaces=(space,), status="all")
            picked = contracts_seen(world, user, {space})
            assert ids(dataset.run("contracts", user, one), "contract_id") == picked
            found = dataset.run("support_requests", user, one)
            assert ids(found, "case_id") == cases_seen(world, user, {space})
        # another customer's filter (an account manager's) in their link changes nothing
        for customer in [c for c in world.customers if c != world.users[user]][:1]:
            asked = Filters(customer=customer, status="all")
            found = dataset.run("contracts", user, asked)
            assert ids(found, "contract_id") == seen
            assert ids(dataset.run("support_requests", user, asked), "case_id") == cases


@settings(max_examples=6, deadline=None, suppress_health_check=SLOW)
@given(world=worlds())
def test_no_query_ever_shows_an_id_of_another_customer(world, tmp_path_factory):
    dataset = imported(world, tmp_path_factory)
    tokens = {
        customer: [i.lower() for i in _ids_of(world) if i.startswith(customer)]
        for customer in world.customers
    }
    every = Filters(status="all")
    for user, customer in world.users.items():
        foreign = [t for c, found in tokens.items() if c != customer for t in found]
        mine = [e for e, p in world.entitlements.items() if e.startswith(customer)]
        theirs = [e for e in world.entitlements if not e.startswith(customer)]
        for query in sql_files.all_queries():
            if query.name in sql_files.SIGN_IN_QUERIES:
                continue
            # the entitlement of entitlement_history: one of theirs, then one of another's
            for entitlement in (
                (mine[:1] + theirs[:1]) if "entitlement" in query.parameters else [""]
            ):
                frame = dataset.run(query.name, user, every, **extras(query, entitlement))
                text = " ".join(
                    str(v).lower() for row in frame.iter_rows() for v in row if v is not None
                )
                leaked = [t for t in foreign if t in text]
                assert not leaked, f"{query.name} as {user} shows {leaked}"


def _ids_of(world: World) -> list[str]:
    return [
        *world.workspaces, *world.users, *world.groups, *world.contracts, *world.packages,
        *world.entitlements, *world.items, *world.cases,
    ]  # fmt: skip


# Account managers: what they see, checked against the rules above.

ACCESS_ADMIN = ("people", "access_people", "access_groups", "access_audit")  # not theirs
ABOUT_THE_VIEWER = ("viewer", "viewer_customers")  # who they are: checked on their own
# An id as every one is made: its customer's id first (`C2`), then letters and numbers.
AN_ID = re.compile(r"(?<![a-z0-9])(c\d+)(?:[a-z]\d+)*(?![0-9])")


@st.composite
def picks(draw, world: World) -> Filters:
    """Filters as the sidebar or a link may pick them, of any customer's ids."""
    dates = draw(
        st.sampled_from(
            [(None, None), (AS_OF - timedelta(days=89), AS_OF), (None, date(2026, 1, 1))]
        )
    )
    spaces = st.sets(st.sampled_from(sorted(world.workspaces)), min_size=1, max_size=2)
    return Filters(
        workspaces=tuple(draw(st.one_of(st.just(()), st.just(()), spaces))),
        contract=draw(rarely(world.contracts)),
        package=draw(rarely(world.packages)),
        status=draw(st.sampled_from(STATUSES)),
        date_from=dates[0],
        date_to=dates[1],
    )


def rarely(ids) -> st.SearchStrategy[str | None]:
    """One of `ids` a third of the time, else none."""
    return st.one_of(st.none(), st.none(), st.sampled_from(sorted(ids)))


def asked_entitlements(world: World, customer: str | None) -> list[str]:
    """The entitlements an entitlement's history is asked for: of `customer` (none: of every
    customer) the first of reactive hours and another with items if it has one; and one of
    another customer."""
    chosen = []
    for c in world.customers:
        if customer in (None, c):
            theirs = [e for e in world.entitlements if customer_of_entitlement(world, e) == c]
            chosen += [e for e in theirs if world.category[e] == "reactive"][:1]
            extras = [e for e in theirs if world.category[e] != "reactive"]
            chosen += sorted(extras, key=lambda e: not has_items(world, e))[:1]
    others = [e for e in world.entitlements if customer_of_entitlement(world, e) != customer]
    return chosen + others[:1] if customer else chosen


def has_items(world: World, entitlement: str) -> bool:
    return any(row["entitlement"] == entitlement for row in world.items.values())


def every_output(
    dataset: Dataset, world: World, viewer: str, filters: Filters, customer: str | None
) -> dict[tuple[str, str], pl.DataFrame]:
    """Every query but the sign-in ones, run as `viewer` with `filters`, by (name, entitlement
    asked for)."""
    found = {}
    for query in sql_files.all_queries():
        if query.name in sql_files.SIGN_IN_QUERIES:
            continue
        asked = asked_entitlements(world, customer) if "entitlement" in query.parameters else [""]
        for entitlement in asked:
            frame = dataset.run(query.name, viewer, filters, **extras(query, entitlement))
            found[query.name, entitlement] = frame
    return found


def foreign_ids(
    outputs: dict[tuple[str, str], pl.DataFrame], allowed: set[str], mine: set[str]
) -> list[str]:
    """Each output that shows an id of a customer not `allowed`, with the ids; the customers the
    viewer may open (`mine`) are allowed in the list of them."""
    leaks = []
    for (name, _), frame in outputs.items():
        seen = {c.lower() for c in (mine if name == "viewer_customers" else allowed)}
        text = " ".join(str(v).lower() for row in frame.iter_rows() for v in row if v is not None)
        found = {m.group(0) for m in AN_ID.finditer(text) if m.group(1) not in seen}
        if found:
            leaks.append(f"{name}: {sorted(found)}")
    return leaks


def shows_nothing(frame: pl.DataFrame) -> bool:
    """No row, or rows of nothing but nulls, zeros, falses and the label of a total."""
    return all(v in (None, 0, False, "picked") for row in frame.iter_rows() for v in row)


def as_a_manager_sees_it(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """A customer admin's output of the query `name`, as an account manager of that customer
    sees it: no learner's name or e-mail, and no part in managing access."""
    if name in ACCESS_ADMIN or name == "training_report":  # the report lists learners only
        return frame.clear()
    if name == "workspaces":  # an admin sees every case as an admin, a manager by being one
        return frame.with_columns(
            is_admin=pl.lit(False), sees_all_cases=pl.lit(True), sees_learners=pl.lit(False)
        )
    if name == "enrollments":
        hidden = pl.lit(None, pl.String)
        return frame.with_columns(
            learner_name=hidden, learner_email=hidden, learner_shown=pl.lit(False)
        )
    if name == "entitlement_history":  # an enrollment's person is its learner
        return frame.with_columns(
            person=pl.when(pl.col("record") != "enrollment").then(pl.col("person"))
        )
    return frame


def rows_of(frame: pl.DataFrame) -> tuple[list[str], list[str]]:
    """Columns and rows, in any order (the order is not a matter of permission)."""
    return frame.columns, sorted(repr(row) for row in frame.iter_rows())


def check_sees_the_whole_customer(dataset: Dataset, world: World, manager: str, customer: str):
    """In a customer they may open, an account manager sees every workspace, contract (mapped
    or not), package, entitlement and case, and, a workspace picked, its contracts and cases."""
    every = Filters(customer=customer, status="all")
    spaces = {w for w, c in world.workspaces.items() if c == customer}
    contracts = {k for k, c in world.contracts.items() if c["customer"] == customer}
    packages = {p for p, row in world.packages.items() if row["contract"] in contracts}
    entitlements = {e for e, p in world.entitlements.items() if p in packages}
    cases = {s for s, row in world.cases.items() if row["workspace"] in spaces}
    assert ids(dataset.run("workspaces", manager, every), "workspace_id") == spaces
    assert ids(dataset.run("contracts", manager, every), "contract_id") == contracts
    assert ids(dataset.run("packages", manager, every), "package_id") == packages
    found = dataset.run("package_entitlements", manager, every)
    assert ids(found, "entitlement_id") == entitlements
    assert ids(dataset.run("support_requests", manager, every), "case_id") == cases
    additional = {s for s in cases if is_additional(world, s)}
    assert ids(dataset.run("additional_cases", manager, every), "case_id") == additional
    for space in world.workspaces:  # one at a time, of this customer or another's
        one = replace(every, workspaces=(space,))
        mapped = {k for k in contracts if world.contracts[k]["workspace"] == space}
        assert ids(dataset.run("contracts", manager, one), "contract_id") == mapped
        raised = {s for s in cases if world.cases[s]["workspace"] == space}
        assert ids(dataset.run("support_requests", manager, one), "case_id") == raised


def check_who(dataset: Dataset, world: World, manager: str, customer: str | None) -> None:
    """The viewer query for `manager` with `customer` picked (None: none): themselves, never a
    customer admin, with the customers they may open and the workspaces of those in view."""
    mine = customers_of(world, manager)
    in_view = ({customer} if customer else mine) & mine
    who = dataset.run("viewer", manager, Filters(customer=customer)).row(0, named=True)
    assert who["user_id"] == manager and who["is_account_manager"]
    assert not who["is_customer_admin"]
    assert who["customers"] == len(mine)
    assert who["customer_id"] == (min(in_view) if len(in_view) == 1 else None)
    spaces = [w for w, c in world.workspaces.items() if c in in_view]
    assert who["openable_workspaces"] == len(spaces)
    found = dataset.run("viewer_customers", manager, Filters(customer=customer))
    assert ids(found, "customer_id") == mine


def check_as_its_admin_sees(manager_saw: dict, admin_saw: dict, where: str) -> None:
    """Each output of an account manager in a customer is its admin's, less what is not
    theirs to see (as_a_manager_sees_it); who the viewer is, check_who checks."""
    for (name, entitlement), frame in manager_saw.items():
        if name not in ABOUT_THE_VIEWER:
            expected = as_a_manager_sees_it(name, admin_saw[name, entitlement])
            assert rows_of(frame) == rows_of(expected), f"{name} as {where}"


@settings(max_examples=5, deadline=None, suppress_health_check=SLOW)
@given(world=worlds(), data=st.data())
def test_an_account_manager_sees_a_customer_as_its_admin_does(world, data, tmp_path_factory):
    dataset = imported(world, tmp_path_factory)
    picked = data.draw(picks(world), label="filters")
    admins_saw: dict[tuple, dict] = {}  # each customer's admin's outputs, run once
    for manager in world.managers:
        mine = customers_of(world, manager)
        for customer in sorted(mine):
            check_who(dataset, world, manager, customer)
            check_sees_the_whole_customer(dataset, world, manager, customer)
            admin = admin_of(world, customer)
            for filters in (Filters(status="all"), picked):  # the whole customer, and a part
                asked = replace(filters, customer=customer)
                found = every_output(dataset, world, manager, asked, customer)
                assert not foreign_ids(found, {customer}, mine)
                if admin is None:  # the rules are stated directly above
                    continue
                if (customer, filters) not in admins_saw:
                    saw = every_output(dataset, world, admin, filters, customer)
                    admins_saw[customer, filters] = saw
                where = f"{manager} in {customer} with {filters}"
                check_as_its_admin_sees(found, admins_saw[customer, filters], where)


@settings(max_examples=5, deadline=None, suppress_health_check=SLOW)
@given(world=worlds())
def test_an_account_manager_reaches_only_the_customers_they_may_open(world, tmp_path_factory):
    dataset = imported(world, tmp_path_factory)
    for manager in world.managers:
        mine = customers_of(world, manager)
        check_who(dataset, world, manager, None)
        # no customer picked: the portfolio has a row per customer they may open, each with the
        # figures its admin would see
        found = every_output(dataset, world, manager, Filters(), None)
        assert not foreign_ids(found, mine, mine)
        portfolio = found["portfolio", ""]
        assert sorted(portfolio.get_column("customer_id")) == sorted(mine)
        for row in portfolio.iter_rows(named=True):
            customer = row["customer_id"]
            forecast = dataset.run("renewal_forecast", manager, Filters(customer=customer))
            will_run_out = (
                forecast.get_column("status").to_list().count("will run out before expiry")
            )
            assert row == pytest.approx(portfolio_row(world, customer, will_run_out))
        if not mine:  # refused like a user with no access
            for (name, _), frame in found.items():
                assert name in ABOUT_THE_VIEWER or shows_nothing(frame), name
        # a customer they may not open, asked for (a link made by hand): nothing at all
        for customer in sorted(set(world.customers) - mine)[:1]:
            check_who(dataset, world, manager, customer)
            asked = Filters(customer=customer, status="all")
            found = every_output(dataset, world, manager, asked, customer)
            assert not foreign_ids(found, set(), mine)
            for (name, _), frame in found.items():
                assert name in ABOUT_THE_VIEWER or shows_nothing(frame), name
