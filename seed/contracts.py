"""Contracts, their packages and entitlements, each with a planned utilisation.

All dates are placed relative to as_of. Purchased hours and credits are multiplied by the scale,
and usage is later generated to reach each entitlement's `target` utilisation, so that the
dashboard tells the same story at every scale.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from seed.estate import ENDING, LAPSED, NEW, RENEWED, RENEWING
from seed.ids import ident
from seed.org import Customer, Org, Workspace

YEAR = 365


@dataclass(frozen=True)
class Item:
    """An entitlement a package may hold; `rate` is hours or credits a year for size 1.0."""

    category: str
    kind: str
    unit: str
    name: str
    description: str
    min_size: float = 0.0
    rate: float = 0.0
    action_url: str | None = None


REACTIVE = Item(
    "reactive",
    "consumable",
    "hours",
    "Reactive support hours",
    "Break-fix support for production issues, at every severity.",
    rate=2400,
)
ENTERPRISE_ITEMS = (
    REACTIVE,
    Item(
        "reactive",
        "benefit",
        "hours",
        "Critical situation support 24x7",
        "Round-the-clock response for business-critical outages.",
        min_size=0.3,
    ),
    Item(
        "advisory",
        "consumable",
        "hours",
        "Advisory support hours",
        "Guidance from a support engineer on design, planning and best practice.",
        min_size=0.1,
        rate=700,
    ),
    Item(
        "proactive",
        "consumable",
        "hours",
        "Proactive services hours",
        "Workshops, health checks and engagements delivered by support engineers.",
        min_size=0.1,
        rate=1800,
        action_url="https://services.example.com/proactive/book",
    ),
    Item(
        "proactive",
        "benefit",
        "hours",
        "Customer success account management",
        "A named account manager who runs service reviews and planning.",
        min_size=0.45,
    ),
    Item(
        "credits",
        "consumable",
        "credits",
        "Proactive credits",
        "Credits to redeem for any service in the proactive catalogue.",
        min_size=0.3,
        rate=2000,
        action_url="https://services.example.com/credits",
    ),
    Item(
        "education",
        "consumable",
        "seats",
        "On-demand education seats",
        "Seats for self-paced courses and labs.",
        min_size=0.1,
    ),
    Item(
        "education",
        "benefit",
        "seats",
        "Technical community access",
        "Webcasts, forums and the community library for everyone in the organisation.",
        action_url="https://learn.example.com/community",
    ),
    Item(
        "contacts",
        "consumable",
        "contacts",
        "Named support contacts",
        "People allowed to open support requests.",
    ),
    Item(
        "assessments",
        "consumable",
        "assessments",
        "On-demand assessments",
        "Self-service assessments with a findings report.",
        min_size=0.1,
        action_url="https://services.example.com/assessments",
    ),
)
WORKSHOPS = Item(
    "proactive",
    "consumable",
    "hours",
    "Workshop hours",
    "Extra workshop hours bought for a project.",
    rate=500,
    action_url="https://services.example.com/proactive/book",
)
EXTRA_REACTIVE = Item(
    "reactive",
    "consumable",
    "hours",
    "Additional reactive hours",
    "Reactive hours bought on top of the enterprise allowance.",
    rate=500,
)
MIGRATION = Item(
    "advisory",
    "consumable",
    "hours",
    "Migration advisory hours",
    "Advice for a planned migration, valid for its duration.",
    rate=500,
)
SECURITY = Item(
    "assessments",
    "consumable",
    "assessments",
    "Security assessments",
    "Security assessments to run once the add-on starts.",
)
DEVELOPER = Item(
    "advisory",
    "consumable",
    "hours",
    "Developer advisory hours",
    "Advice for development teams on code, tooling and platforms.",
    rate=200,
)
EXTRA_CONTACTS = Item(
    "contacts",
    "consumable",
    "contacts",
    "Additional named contacts",
    "More people allowed to open support requests.",
)


@dataclass
class Entitlement:
    entitlement_id: str
    package: Package
    item: Item
    purchased: float | None
    target: float  # planned utilisation at as_of: used / purchased
    pace: float  # how fast it is being used, relative to an even pace over the term

    @property
    def category(self) -> str:
        return self.item.category

    @property
    def consumable(self) -> bool:
        return self.item.kind == "consumable"


@dataclass
class Package:
    package_id: str
    contract: Contract
    name: str
    scope: str
    start: date
    end: date
    entitlements: list[Entitlement] = field(default_factory=list)


@dataclass
class Contract:
    contract_id: str
    customer: Customer
    workspace: Workspace | None
    number: str
    name: str
    start: date
    end: date
    renews: str | None
    size: float
    packages: list[Package] = field(default_factory=list)
    current: bool = False  # the workspace's contract of today, which carries its over/under story


@dataclass
class Estate:
    contracts: list[Contract]
    tables: dict[str, pl.DataFrame]

    @property
    def packages(self) -> list[Package]:
        return [p for c in self.contracts for p in c.packages]

    @property
    def entitlements(self) -> list[Entitlement]:
        return [e for p in self.packages for e in p.entitlements]


class _Counter:
    def __init__(self) -> None:
        self.contract = self.package = self.entitlement = 0


def build_contracts(org: Org, as_of: date, scale: int, rnd: random.Random) -> Estate:
    contracts: list[Contract] = []
    count = _Counter()
    numbers: set[str] = set()
    for customer in org.customers:
        for ws in customer.workspaces:
            previous: Contract | None = None
            for start, end in _terms(ws.spec.history, as_of, rnd):
                contract = _contract(count, numbers, rnd, customer, ws, start, end, previous)
                contracts.append(contract)
                previous = contract
            current = [c for c in contracts if c.workspace is ws and c.start <= as_of]
            current[-1].current = True
        if customer.spec.unmapped_contract:
            start = as_of - timedelta(days=rnd.randint(200, 260))
            end = start + timedelta(days=YEAR - 1)
            size = 0.15 * sum(w.spec.size for w in customer.workspaces)
            contract = _contract(count, numbers, rnd, customer, None, start, end, None, size)
            contract.name = f"{customer.spec.name} enterprise agreement"
            contracts.append(contract)
    for contract in contracts:
        _add_packages(count, contract, as_of, scale, rnd)
    return Estate(contracts, _tables(contracts))


def _terms(history: str, as_of: date, rnd: random.Random) -> list[tuple[date, date]]:
    """The (start, end) of a workspace's contracts, oldest first."""
    day = timedelta(days=1)
    year = timedelta(days=YEAR - 1)
    if history == RENEWED:
        start = as_of - timedelta(days=rnd.randint(120, 220))
        return [(start - year - day, start - day), (start, start + year)]
    if history == RENEWING:
        end = as_of + timedelta(days=rnd.randint(25, 80))
        return [(end - year, end), (end + day, end + day + year)]
    if history == ENDING:
        end = as_of + timedelta(days=rnd.randint(10, 85))
        return [(end - year, end)]
    if history == LAPSED:
        end = as_of - timedelta(days=rnd.randint(20, 60))
        return [(end - year, end)]
    if history == NEW:
        start = as_of - timedelta(days=rnd.randint(30, 110))
        return [(start, start + year)]
    raise ValueError(f"unknown contract history {history!r}")


def _contract(
    count: _Counter,
    numbers: set[str],
    rnd: random.Random,
    customer: Customer,
    ws: Workspace | None,
    start: date,
    end: date,
    previous: Contract | None,
    size: float = 0.0,
) -> Contract:
    count.contract += 1
    while True:
        number = f"USC-{start.year}-{rnd.randrange(10_000, 100_000)}"
        if number not in numbers:
            numbers.add(number)
            break
    label = ws.name if ws else customer.spec.name
    return Contract(
        contract_id=ident("K", count.contract, 4),
        customer=customer,
        workspace=ws,
        number=number,
        name=f"{label} unified support {start.year}-{end.year}",
        start=start,
        end=end,
        renews=previous.contract_id if previous else None,
        size=ws.spec.size if ws else size,
    )


def _add_packages(
    count: _Counter, c: Contract, as_of: date, scale: int, rnd: random.Random
) -> None:
    days = timedelta
    size = c.size
    items = [i for i in ENTERPRISE_ITEMS if size >= i.min_size]
    if c.workspace is None:
        items = [i for i in items if i.category in ("reactive", "advisory", "proactive", "credits")]
    specs = [(f"Enterprise support {c.start.year}", "enterprise", c.start, c.end, items)]
    if c.start > as_of:  # upcoming
        specs.append(("Developer advisory add-on", "add_on", c.start, c.end, [DEVELOPER]))
    elif c.end < as_of:  # expired
        if size >= 0.1:
            end = c.start + days(rnd.randint(150, 200))
            specs.append(("Workshop add-on", "add_on", c.start, end, [WORKSHOPS]))
    elif c.workspace is not None:  # active
        if size >= 0.1:
            end = min(c.end, as_of + days(rnd.randint(15, 75)))  # expiring soon
            specs.append(("Workshop add-on", "add_on", c.start, end, [WORKSHOPS]))
        if size >= 0.3:
            specs.append(("Additional reactive hours", "add_on", c.start, c.end, [EXTRA_REACTIVE]))
            if c.start < as_of - days(60):
                end = as_of - days(rnd.randint(10, 40))  # expired within an active contract
                specs.append(("Migration assistance", "add_on", c.start, end, [MIGRATION]))
            if c.end > as_of + days(60):
                start = as_of + days(rnd.randint(10, 40))  # upcoming within an active contract
                specs.append(("Security assessment add-on", "add_on", start, c.end, [SECURITY]))
        else:
            specs.append(("Additional contacts", "add_on", c.start, c.end, [EXTRA_CONTACTS]))
    for name, scope, start, end, pkg_items in specs:
        count.package += 1
        package = Package(ident("P", count.package, 5), c, name, scope, start, end)
        c.packages.append(package)
        for item in pkg_items:
            count.entitlement += 1
            entitlement_id = ident("E", count.entitlement, 5)
            package.entitlements.append(
                _entitlement(entitlement_id, package, item, as_of, scale, rnd)
            )


def _entitlement(
    entitlement_id: str, package: Package, item: Item, as_of: date, scale: int, rnd: random.Random
) -> Entitlement:
    """An entitlement with its purchased amount and the utilisation its usage will reach."""
    c = package.contract
    scope = package.scope
    size = c.size if scope == "enterprise" else max(c.size, 0.1)
    term = (package.end - package.start).days + 1
    elapsed = min(max((as_of - package.start).days + 1, 0), term) / term
    pace = rnd.uniform(0.65, 1.05)
    target = elapsed * pace
    story = c.workspace.spec if (c.workspace and c.current and scope == "enterprise") else None
    if story and item.category in story.over:  # already used beyond what was bought
        target = rnd.uniform(1.2, 1.35)
        pace = target / max(elapsed, 0.05)
    if story and item.category in story.under:
        pace = rnd.uniform(0.1, 0.2)
        target = elapsed * pace
    purchased: float | None
    if item.kind == "benefit" or (story and item.category in story.unlimited):
        purchased = None
    elif item.unit in ("hours", "credits"):
        # the customer's share of usage inside the rounding, so that amounts stay ones a customer
        # buys; the scale outside, so that every scale buys the same amounts times the scale
        purchased = _nice(item.rate * size * term / YEAR * c.customer.usage) * scale
    elif item.unit == "seats":
        purchased = float(5 + round(40 * size))
    elif item.unit == "contacts":
        purchased = float(2 + round(10 * size))
    else:
        purchased = float(2 + round(6 * size))
    return Entitlement(entitlement_id, package, item, purchased, target, pace)


def _nice(value: float) -> float:
    """Round to an amount a customer would buy: 40, 250, 1,200..."""
    step = 5 if value < 100 else 10 if value < 500 else 50 if value < 2000 else 100
    return float(max(step, round(value / step) * step))


def _tables(contracts: list[Contract]) -> dict[str, pl.DataFrame]:
    packages = [p for c in contracts for p in c.packages]
    entitlements = [e for p in packages for e in p.entitlements]
    return {
        "contracts": pl.DataFrame(
            {
                "contract_id": [c.contract_id for c in contracts],
                "customer_id": [c.customer.customer_id for c in contracts],
                "workspace_id": [
                    c.workspace.workspace_id if c.workspace else None for c in contracts
                ],
                "contract_number": [c.number for c in contracts],
                "name": [c.name for c in contracts],
                "start_date": [c.start for c in contracts],
                "end_date": [c.end for c in contracts],
                "renews_contract_id": [c.renews for c in contracts],
            },
            schema_overrides={"workspace_id": pl.String, "renews_contract_id": pl.String},
        ),
        "packages": pl.DataFrame(
            {
                "package_id": [p.package_id for p in packages],
                "contract_id": [p.contract.contract_id for p in packages],
                "name": [p.name for p in packages],
                "scope": [p.scope for p in packages],
                "start_date": [p.start for p in packages],
                "end_date": [p.end for p in packages],
            }
        ),
        "entitlements": pl.DataFrame(
            {
                "entitlement_id": [e.entitlement_id for e in entitlements],
                "package_id": [e.package.package_id for e in entitlements],
                "category": [e.item.category for e in entitlements],
                "name": [e.item.name for e in entitlements],
                "description": [e.item.description for e in entitlements],
                "kind": [e.item.kind for e in entitlements],
                "unit": [e.item.unit for e in entitlements],
                "purchased": [e.purchased for e in entitlements],
                "action_url": [e.item.action_url for e in entitlements],
            },
            schema_overrides={"purchased": pl.Float64, "action_url": pl.String},
        ),
    }
