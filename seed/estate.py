"""The demo estate as data: customers, their workspaces, and the named demo users.

Everything here is fixed, so the same customers, workspaces and demo users exist at every scale and
seed; only names of ordinary users, amounts and usage are drawn at random.
"""

from __future__ import annotations

from dataclasses import dataclass

# Contract histories a workspace can have (see seed/contracts.py for the dates):
RENEWED = "renewed"  # last year's contract expired and an active one renews it
RENEWING = "renewing"  # the active contract ends within 90 days and an upcoming one renews it
LAPSED = "lapsed"  # the only contract expired and was not renewed
NEW = "new"  # a first contract, started a few months ago
# the active contract ends within 90 days and nothing renews it yet (made-up customers only)
ENDING = "ending"


@dataclass(frozen=True)
class WorkspaceSpec:
    name: str
    size: float  # share of support traffic; 1.0 is the largest workspace of the estate
    history: str
    over: tuple[
        str, ...
    ] = ()  # categories whose current entitlement is used beyond what was bought
    under: tuple[str, ...] = ()  # categories whose current entitlement is barely used
    unlimited: tuple[str, ...] = ()  # categories whose current entitlement has no purchased limit


@dataclass(frozen=True)
class GroupSpec:
    name: str
    workspaces: tuple[int, ...]  # indexes into the customer's workspaces: support requests it sees


@dataclass(frozen=True)
class CustomerSpec:
    key: str  # prefix of its user ids
    name: str
    domain: str
    people: int  # ordinary users besides the demo users
    workspaces: tuple[WorkspaceSpec, ...]
    groups: tuple[GroupSpec, ...]
    unmapped_contract: bool  # has a contract mapped to no workspace


@dataclass(frozen=True)
class DemoUser:
    """A user with a fixed id that docs and tests name; workspaces are indexes of its customer's."""

    user_id: str
    display_name: str
    customer_admin: bool = False
    member_of: tuple[int, ...] = ()
    admin_of: tuple[int, ...] = ()
    grants: tuple[tuple[int, str], ...] = ()
    groups: tuple[int, ...] = ()  # indexes into the customer's groups
    shared_cases: int = 0  # support requests of its first member workspace shared with it
    contact_share: float = 0.0  # share of its first member workspace's requests it is contact of


CUSTOMERS: tuple[CustomerSpec, ...] = (
    CustomerSpec(
        key="nw",
        name="Northwind Manufacturing",
        domain="northwind.example",
        people=42,
        workspaces=(
            WorkspaceSpec(
                "Global IT",
                1.0,
                RENEWED,
                over=("reactive",),
                under=("credits",),
                unlimited=("education",),
            ),
            WorkspaceSpec("Plant Operations", 0.45, RENEWING, over=("education",)),
            WorkspaceSpec("ERP Platform", 0.3, RENEWED, under=("advisory",)),
            WorkspaceSpec("Research Lab", 0.12, NEW, under=("proactive",)),
            WorkspaceSpec("Sales EMEA", 0.06, LAPSED),
            WorkspaceSpec("Sandbox", 0.02, NEW),
        ),
        groups=(
            GroupSpec("IT operations", (0, 5)),
            GroupSpec("ERP support team", (2,)),
            GroupSpec("Plant engineering", (1,)),
        ),
        unmapped_contract=True,
    ),
    CustomerSpec(
        key="ct",
        name="Contoso Health",
        domain="contoso.example",
        people=30,
        workspaces=(
            WorkspaceSpec("Clinical Systems", 0.8, RENEWED, over=("proactive",)),
            WorkspaceSpec("Patient Portal", 0.3, RENEWING, over=("contacts", "advisory")),
            WorkspaceSpec("Data Platform", 0.1, NEW, under=("reactive",)),
            WorkspaceSpec("Finance", 0.04, LAPSED),
        ),
        groups=(GroupSpec("Clinical applications", (0,)), GroupSpec("Digital team", (1, 2))),
        unmapped_contract=True,
    ),
    CustomerSpec(
        key="fb",
        name="Fabrikam Logistics",
        domain="fabrikam.example",
        people=20,
        workspaces=(
            WorkspaceSpec("Fleet Management", 0.5, RENEWED, under=("advisory",)),
            WorkspaceSpec("Warehouses", 0.12, RENEWING, over=("assessments",)),
            WorkspaceSpec("Head Office", 0.05, NEW),
        ),
        groups=(GroupSpec("Service desk", (0, 1, 2)),),
        unmapped_contract=False,
    ),
    CustomerSpec(
        key="wg",
        name="Woodgrove Bank",
        domain="woodgrove.example",
        people=16,
        workspaces=(
            WorkspaceSpec("Core Banking", 0.6, RENEWED, over=("credits",)),
            WorkspaceSpec("Digital Channels", 0.2, NEW),
        ),
        groups=(GroupSpec("Platform engineering", (0, 1)),),
        unmapped_contract=False,
    ),
)

CUSTOMER_ACTIVITY = "customer_activity"
VIEW_ALL = "view_all_support_requests"
TRAINING_MANAGER = "training_manager"

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "nw-activity",
        "Ada Lindqvist",
        member_of=(0, 2),
        grants=((0, CUSTOMER_ACTIVITY), (2, CUSTOMER_ACTIVITY)),
    ),
    DemoUser("nw-admin", "Nora Whitfield", customer_admin=True, member_of=(0,)),
    DemoUser(
        "nw-contact",
        "Connor Walsh",
        member_of=(1,),
        grants=((1, CUSTOMER_ACTIVITY),),
        contact_share=0.05,
    ),
    DemoUser(
        "nw-group",
        "Gustav Keller",
        member_of=(2,),
        grants=((2, CUSTOMER_ACTIVITY),),
        groups=(1,),
    ),
    DemoUser("nw-noaccess", "Nina Petrov", member_of=(3,)),
    DemoUser(
        "nw-shared",
        "Sheila Murphy",
        member_of=(0,),
        grants=((0, CUSTOMER_ACTIVITY),),
        shared_cases=8,
    ),
    DemoUser(
        "nw-training",
        "Tamara Okafor",
        member_of=(1,),
        grants=((1, CUSTOMER_ACTIVITY), (1, TRAINING_MANAGER)),
    ),
    DemoUser(
        "nw-viewall",
        "Victor Brennan",
        member_of=(0,),
        grants=((0, CUSTOMER_ACTIVITY), (0, VIEW_ALL)),
    ),
    DemoUser("nw-wsadmin", "Walter Osei", member_of=(1,), admin_of=(1,)),
    DemoUser("ct-admin", "Carmen Torres", customer_admin=True, member_of=(0,)),
)
