"""The permission proof: random organisations (customers, workspaces, users, memberships, roles,
groups, contracts, packages, cases and shares) are imported, and for every user the queries are
checked against a plain-Python statement of the data contract's rules ("Who sees what" and
"Additional cases" in DATA_MODEL.md), written apart from the SQL. Every query is also run by
every user, and no cell of any of them may hold an id of another customer.

Every id is a token that names its customer (`C2W1`: customer C2's workspace 1), and every name,
title and e-mail carries the id of its row, so a row of another customer cannot hide in any
column."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.ingest.data_home import current_dataset
from dashboard.ingest.importer import import_dataset
from dashboard.ingest.schema import TABLES
from dashboard.query import sql_files
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.sql.small_datasets import as_csv

COLUMNS = {table.name: table.column_names for table in TABLES}
AS_OF = date(2026, 6, 30)
ROLES = ("customer_activity", "view_all_support_requests", "training_manager")
SPECIAL_SERVICES = ("SU", "DSA", "X85", "REC")
TERMS = {  # (start, end) of a contract or package in each state on AS_OF
    "active": (date(2026, 1, 1), date(2026, 12, 31)),
    "expired": (date(2025, 1, 1), date(2025, 12, 31)),
    "upcoming": (date(2027, 1, 1), date(2027, 12, 31)),
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
    cases: dict[str, dict] = field(default_factory=dict)
    shares: set[tuple[str, str]] = field(default_factory=set)  # (case, user)


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
        for contract in contracts:
            state = draw(st.sampled_from(list(TERMS)))
            world.contracts[contract] = {
                "customer": customer,
                "workspace": draw(st.one_of(st.none(), st.sampled_from(spaces))),
                "state": state,
            }
            for p in range(1, draw(st.integers(1, 2)) + 1):
                package = f"{contract}P{p}"
                world.packages[package] = {
                    "contract": contract,
                    "state": draw(st.sampled_from(list(TERMS))),
                    "scope": draw(st.sampled_from(["enterprise", "add_on"])),
                }
                world.entitlements[f"{package}E1"] = package
        entitlements_of = {
            k: [e for e, p in world.entitlements.items() if world.packages[p]["contract"] == k]
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
    return world


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


# Writing the world as the import's CSV files.


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
             "end_date": end, "renews_contract_id": None}
        )  # fmt: skip
    for p, package in world.packages.items():
        start, end = TERMS[package["state"]]
        rows["packages"].append(
            {"package_id": p, "contract_id": package["contract"], "name": f"Package {p}",
             "scope": package["scope"], "start_date": start, "end_date": end}
        )  # fmt: skip
    for e, p in world.entitlements.items():
        rows["entitlements"].append(
            {"entitlement_id": e, "package_id": p, "category": "reactive", "name": f"Hours {e}",
             "description": f"About {e}", "kind": "consumable", "unit": "hours",
             "purchased": 10, "action_url": None}
        )  # fmt: skip
    for case, c in world.cases.items():
        rows["cases"].append(
            {"case_id": case, "workspace_id": c["workspace"], "contract_id": c["contract"],
             "entitlement_id": c["entitlement"], "title": f"Case {case}", "case_type": "reactive",
             "service_code": c["service"], "severity": "B", "status": "open",
             "created_at": f"{c['day']}T09:00:00Z", "closed_at": None,
             "primary_contact_id": c["contact"], "hours": 1.5}
        )  # fmt: skip
    rows["case_shares"] = [{"case_id": c, "user_id": u} for c, u in world.shares]
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
        *world.entitlements, *world.cases,
    ]  # fmt: skip
