"""The support provider's account managers and the customers each serves, with an assignment
for every rule of the contract: one serving three customers, one serving one customer the first
also serves, one whose assignment ended before the as-of day, one whose starts after it.

Made-up customers (`--customers N`) have account managers of their own: `am-book` serves the
first BOOK of them (all of them when there are fewer), and smaller books (am-01, am-02...)
of SMALL_BOOK customers each serve every made-up customer a second time, as a customer often
has two account managers."""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl

from seed import names
from seed.estate import CUSTOMERS
from seed.ids import ident
from seed.org import Customer

DOMAIN = "supportpartner.example"
# user_id, name, then (customer key, first day, last day) with days counted from the as-of
# day (None: open-ended)
ACCOUNT_MANAGERS = (
    ("am-priya", "Priya Raman", (("nw", -400, None), ("ct", -400, None), ("fb", -120, 245))),
    ("am-marco", "Marco Bianchi", (("ct", -200, 165),)),
    ("am-lena", "Lena Vogel", (("wg", -700, -30),)),
    ("am-omar", "Omar Haddad", (("fb", 14, None),)),
)
BOOK_MANAGER = ("am-book", "Robin Achterberg")
BOOK = 40  # customers in am-book's book: the benchmark's account manager (benchmarks/scopes.py)
SMALL_BOOK = 6


def build_account_managers(
    customers: list[Customer], as_of: date, rnd: random.Random
) -> dict[str, pl.DataFrame]:
    """The hand-placed account managers and, for made-up customers, those drawn from `rnd`."""
    by_key = {c.spec.key: c.customer_id for c in customers}

    def day(offset: int | None) -> date | None:
        return None if offset is None else as_of + timedelta(days=offset)

    served = [
        (user_id, name, [(by_key[key], day(first), day(last)) for key, first, last in books])
        for user_id, name, books in ACCOUNT_MANAGERS
    ]
    made_up = [c.customer_id for c in customers[len(CUSTOMERS) :]]
    if made_up:
        served += _made_up_books(made_up, as_of, rnd)
    managers = [
        {"user_id": user_id, "display_name": name, "email": _email(name)}
        for user_id, name, _ in served
    ]
    assignments = [
        {"user_id": user_id, "customer_id": customer, "start_date": start, "end_date": end}
        for user_id, _, books in served
        for customer, start, end in books
    ]
    return {
        "account_managers": pl.DataFrame(managers),
        "account_assignments": pl.DataFrame(
            assignments,
            schema={
                "user_id": pl.String,
                "customer_id": pl.String,
                "start_date": pl.Date,
                "end_date": pl.Date,
            },
        ),
    }


def _email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@" + DOMAIN


Book = tuple[str, str, list[tuple[str, date, date | None]]]  # user_id, name, assignments


def _made_up_books(customers: list[str], as_of: date, rnd: random.Random) -> list[Book]:
    """am-book with the first BOOK customers, then books of SMALL_BOOK covering them all; every
    assignment active on the as-of day (started up to three years before it, open-ended or
    ending within a year after it)."""

    def assignment(customer: str) -> tuple[str, date, date | None]:
        start = as_of - timedelta(days=rnd.randint(30, 1100))
        end = as_of + timedelta(days=rnd.randint(30, 365)) if rnd.random() < 0.3 else None
        return customer, start, end

    user_id, name = BOOK_MANAGER
    books = [(user_id, name, [assignment(c) for c in customers[:BOOK]])]
    taken = {n for _, n, _ in ACCOUNT_MANAGERS} | {name}
    for number, first in enumerate(range(0, len(customers), SMALL_BOOK), start=1):
        name = f"{rnd.choice(names.FIRST_NAMES)} {rnd.choice(names.LAST_NAMES)}"
        while name in taken:
            name = f"{rnd.choice(names.FIRST_NAMES)} {rnd.choice(names.LAST_NAMES)}"
        taken.add(name)
        chunk = customers[first : first + SMALL_BOOK]
        books.append((ident("am-", number, 2), name, [assignment(c) for c in chunk]))
    return books
