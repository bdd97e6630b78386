"""The estate's customers: the four hand-placed ones of seed/estate.py and, when more are asked
for (`--customers N`), customers made up like them, the same for the same seed.

Usage grows with the scale, not with the number of customers: with made-up customers, the four
keep half of it (they are the provider's largest accounts, which the benchmark's customer
viewpoints look at) and the made-up ones share the other half by size.
"""

from __future__ import annotations

import random

from seed import names
from seed.estate import (
    CUSTOMERS,
    ENDING,
    LAPSED,
    NEW,
    RENEWED,
    RENEWING,
    CustomerSpec,
    GroupSpec,
    WorkspaceSpec,
)

MIN_CUSTOMERS = len(CUSTOMERS)  # the demo users and account managers name all four
# Customer ids are two digits (C01 to C99), so that they sort as text in the order made.
MAX_CUSTOMERS = 99
HAND_PLACED_USAGE = 0.5  # of the usage, kept by the four when there are made-up customers
# A made-up workspace's contract history (after the first, which always renewed): odds of each.
HISTORIES = {RENEWED: 0.35, RENEWING: 0.2, ENDING: 0.15, NEW: 0.15, LAPSED: 0.15}
OVER = ("reactive", "advisory", "proactive", "credits", "education", "contacts", "assessments")
UNDER = ("reactive", "advisory", "proactive", "credits")


def customer_specs(count: int, rnd: random.Random) -> tuple[CustomerSpec, ...]:
    """The four hand-placed customers, then `count` - 4 made up (customers C05, C06...)."""
    if not MIN_CUSTOMERS <= count <= MAX_CUSTOMERS:
        raise ValueError(f"customers must be from {MIN_CUSTOMERS} to {MAX_CUSTOMERS}")
    first = len(CUSTOMERS) + 1
    made_up = [
        _customer(rnd, number, name)
        for number, name in enumerate(_company_names(rnd, count - len(CUSTOMERS)), start=first)
    ]
    return CUSTOMERS + tuple(made_up)


def usage_shares(specs: tuple[CustomerSpec, ...]) -> list[float]:
    """What each customer's usage is multiplied by, so that the estate's usage (about
    proportional to the sum of its workspaces' sizes) is what the four alone would have."""
    if len(specs) == len(CUSTOMERS):
        return [1.0] * len(specs)
    hand_placed = sum(_size(spec) for spec in specs[: len(CUSTOMERS)])
    made_up = sum(_size(spec) for spec in specs[len(CUSTOMERS) :])
    rest = (1 - HAND_PLACED_USAGE) * hand_placed / made_up
    return [HAND_PLACED_USAGE] * len(CUSTOMERS) + [rest] * (len(specs) - len(CUSTOMERS))


def _size(spec: CustomerSpec) -> float:
    return sum(w.size for w in spec.workspaces)


def _company_names(rnd: random.Random, count: int) -> list[str]:
    """`count` distinct names, each brand used once before any is used again."""
    taken: set[str] = set()
    found: list[str] = []
    while len(found) < count:
        for brand in rnd.sample(names.COMPANY_BRANDS, len(names.COMPANY_BRANDS)):
            if len(found) == count:
                break
            business = rnd.choice(names.BUSINESSES)
            while f"{brand} {business}" in taken:
                business = rnd.choice(names.BUSINESSES)
            taken.add(f"{brand} {business}")
            found.append(f"{brand} {business}")
    return found


def _customer(rnd: random.Random, number: int, name: str) -> CustomerSpec:
    count = rnd.randint(2, 6)
    spaces = rnd.sample(names.WORKSPACE_NAMES, count)
    sizes = _sizes(rnd, count)
    workspaces = tuple(
        _workspace(rnd, space, size, first=index == 0)
        for index, (space, size) in enumerate(zip(spaces, sizes, strict=True))
    )
    groups = tuple(
        GroupSpec(group, tuple(sorted(rnd.sample(range(count), rnd.randint(1, min(2, count))))))
        for group in rnd.sample(names.GROUP_NAMES, rnd.randint(1, 3))
    )
    return CustomerSpec(
        key=f"c{number:02d}",
        name=name,
        domain=name.lower().replace(" ", "-") + ".example",
        people=rnd.randint(12, 36),
        workspaces=workspaces,
        groups=groups,
        unmapped_contract=rnd.random() < 0.4,
    )


def _sizes(rnd: random.Random, count: int) -> list[float]:
    """Workspace sizes, largest first, each a fraction of the one before: one large, some small."""
    sizes = [round(rnd.uniform(0.25, 1.0), 2)]
    while len(sizes) < count:
        sizes.append(max(0.01, round(sizes[-1] * rnd.uniform(0.25, 0.7), 2)))
    return sizes


def _workspace(rnd: random.Random, name: str, size: float, first: bool) -> WorkspaceSpec:
    """A workspace with a contract history and, now and then, an entitlement used beyond what
    was bought or barely used; a customer's first workspace always has a live contract."""
    history = RENEWED if first else rnd.choices(list(HISTORIES), list(HISTORIES.values()))[0]
    over = (rnd.choice(OVER),) if rnd.random() < 0.3 else ()
    under = tuple(c for c in (rnd.choice(UNDER),) if c not in over) if rnd.random() < 0.3 else ()
    return WorkspaceSpec(name, size, history, over=over, under=under)
