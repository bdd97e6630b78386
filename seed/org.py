"""The organisation tables: customers, workspaces, users, memberships, role grants and groups."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import polars as pl

from seed import names
from seed.estate import (
    CUSTOMER_ACTIVITY,
    CUSTOMERS,
    DEMO_USERS,
    TRAINING_MANAGER,
    VIEW_ALL,
    CustomerSpec,
    DemoUser,
    WorkspaceSpec,
)
from seed.ids import ident


@dataclass
class User:
    user_id: str
    customer_id: str
    display_name: str
    email: str
    is_customer_admin: bool = False


@dataclass
class Workspace:
    workspace_id: str
    customer_id: str
    spec: WorkspaceSpec
    # Ordinary members, who raise its support requests; demo users are added where they must be.
    contacts: list[str] = field(default_factory=list)
    contact_weights: list[float] = field(default_factory=list)
    shares: list[tuple[str, int]] = field(default_factory=list)  # (user_id, support requests)

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass
class Customer:
    customer_id: str
    spec: CustomerSpec
    workspaces: list[Workspace]
    people: list[User]  # ordinary users, not the demo users
    users: list[User]  # everyone, in id order
    usage: float = 1.0  # what its usage is multiplied by (seed/customers.py, usage_shares)


@dataclass
class Org:
    customers: list[Customer]
    tables: dict[str, pl.DataFrame]

    @property
    def workspaces(self) -> list[Workspace]:
        return [w for c in self.customers for w in c.workspaces]


def build_org(
    rnd: random.Random,
    specs: tuple[CustomerSpec, ...] = CUSTOMERS,
    usage: list[float] | None = None,
) -> Org:
    """The organisation of the customers `specs` (the four hand-placed ones by default), each
    with its multiplier of usage (1 by default)."""
    usage = usage or [1.0] * len(specs)
    rows: dict[str, list[dict]] = {
        name: []
        for name in (
            "customers",
            "workspaces",
            "users",
            "workspace_members",
            "role_grants",
            "groups",
            "group_members",
            "group_case_access",
        )
    }
    customers: list[Customer] = []
    workspace_no = group_no = 0
    for number, spec in enumerate(specs, start=1):
        customer_id = ident("C", number, 2)
        workspaces = []
        for ws_spec in spec.workspaces:
            workspace_no += 1
            workspaces.append(Workspace(ident("W", workspace_no, 3), customer_id, ws_spec))
        people = _people(rnd, spec, customer_id)
        demo = [u for u in DEMO_USERS if u.user_id.startswith(spec.key + "-")]
        demo_users = [
            User(
                u.user_id,
                customer_id,
                u.display_name,
                _email(u.display_name, spec.domain),
                u.customer_admin,
            )
            for u in sorted(demo, key=lambda u: u.user_id)
        ]
        if not any(u.customer_admin for u in demo):
            people[0].is_customer_admin = True
        customer = Customer(
            customer_id, spec, workspaces, people, people + demo_users, usage[number - 1]
        )
        customers.append(customer)

        rows["customers"].append({"customer_id": customer_id, "name": spec.name})
        for ws in workspaces:
            rows["workspaces"].append(
                {"workspace_id": ws.workspace_id, "customer_id": customer_id, "name": ws.name}
            )
        rows["users"] += [u.__dict__ for u in customer.users]

        members, grants = _memberships(rnd, customer, demo)
        rows["workspace_members"] += [
            {"workspace_id": w, "user_id": u, "is_workspace_admin": admin}
            for (w, u), admin in members.items()
        ]
        rows["role_grants"] += [
            {"user_id": u, "workspace_id": w, "role": role} for w, u, role in sorted(grants)
        ]
        for index, group in enumerate(spec.groups):
            group_no += 1
            group_id = ident("G", group_no, 3)
            rows["groups"].append(
                {"group_id": group_id, "customer_id": customer_id, "name": group.name}
            )
            chosen = {u.user_id for u in demo if index in u.groups}
            chosen |= {u.user_id for u in rnd.sample(people, rnd.randint(3, 5))}
            rows["group_members"] += [{"group_id": group_id, "user_id": u} for u in sorted(chosen)]
            rows["group_case_access"] += [
                {"group_id": group_id, "workspace_id": workspaces[i].workspace_id}
                for i in group.workspaces
            ]
        _plan_contacts_and_shares(rnd, customer, members, demo)

    tables = {name: pl.DataFrame(values) for name, values in rows.items()}
    return Org(customers, tables)


def _email(display_name: str, domain: str) -> str:
    return display_name.lower().replace(" ", ".") + "@" + domain


def _people(rnd: random.Random, spec: CustomerSpec, customer_id: str) -> list[User]:
    taken = {u.display_name for u in DEMO_USERS}
    people = []
    while len(people) < spec.people:
        name = f"{rnd.choice(names.FIRST_NAMES)} {rnd.choice(names.LAST_NAMES)}"
        if name in taken:
            continue
        taken.add(name)
        user_id = ident(f"{spec.key}-", len(people) + 1, 4)
        people.append(User(user_id, customer_id, name, _email(name, spec.domain)))
    return people


def _memberships(
    rnd: random.Random, customer: Customer, demo: list[DemoUser]
) -> tuple[dict[tuple[str, str], bool], set[tuple[str, str, str]]]:
    """Workspace memberships (-> is workspace admin) and role grants (workspace, user, role)."""
    workspaces = customer.workspaces
    members: dict[tuple[str, str], bool] = {}
    weights = [w.spec.size**0.5 for w in workspaces]
    for person in customer.people:
        count = min(len(workspaces), rnd.choice((1, 1, 1, 2, 2, 3)))
        for ws in _weighted_sample(rnd, workspaces, weights, count):
            members[(ws.workspace_id, person.user_id)] = False
    for ws in workspaces:  # every workspace has a few ordinary members
        while sum(1 for (w, _u) in members if w == ws.workspace_id) < 3:
            members.setdefault((ws.workspace_id, rnd.choice(customer.people).user_id), False)

    grants: set[tuple[str, str, str]] = set()
    demo_admin_of = {workspaces[i].workspace_id for u in demo for i in u.admin_of}
    for ws in workspaces:
        ordinary = sorted(u for (w, u) in members if w == ws.workspace_id)
        if ws.workspace_id not in demo_admin_of:
            members[(ws.workspace_id, ordinary[0])] = True
        for user_id in ordinary[1:]:
            if rnd.random() < 0.55:
                grants.add((ws.workspace_id, user_id, CUSTOMER_ACTIVITY))
                if rnd.random() < 0.25:
                    grants.add((ws.workspace_id, user_id, VIEW_ALL))
                if rnd.random() < 0.12:
                    grants.add((ws.workspace_id, user_id, TRAINING_MANAGER))
    for user in demo:
        for i in user.member_of:
            members[(workspaces[i].workspace_id, user.user_id)] = i in user.admin_of
        grants |= {(workspaces[i].workspace_id, user.user_id, role) for i, role in user.grants}
    return dict(sorted(members.items())), grants


def _weighted_sample(rnd: random.Random, items: list, weights: list[float], count: int) -> list:
    pool = list(zip(items, weights, strict=True))
    chosen = []
    for _ in range(count):
        pick = rnd.choices(range(len(pool)), weights=[w for _i, w in pool])[0]
        chosen.append(pool.pop(pick)[0])
    return chosen


def _plan_contacts_and_shares(
    rnd: random.Random,
    customer: Customer,
    members: dict[tuple[str, str], bool],
    demo: list[DemoUser],
) -> None:
    """Who raises each workspace's support requests, and which requests are shared with whom."""
    ordinary = {u.user_id for u in customer.people}
    for ws in customer.workspaces:
        raisers = sorted(u for (w, u) in members if w == ws.workspace_id and u in ordinary)
        rnd.shuffle(raisers)
        ws.contacts = raisers
        # A few people raise most requests.
        ws.contact_weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(raisers))]
        ws.shares = [(rnd.choice(customer.people).user_id, 2) for _ in range(2)]
    for user in demo:
        if not user.member_of:
            continue
        ws = customer.workspaces[user.member_of[0]]
        if user.contact_share:
            total = sum(ws.contact_weights)
            share = user.contact_share
            ws.contacts.append(user.user_id)
            ws.contact_weights.append(total * share / (1 - share))
        if user.shared_cases:
            ws.shares.append((user.user_id, user.shared_cases))
