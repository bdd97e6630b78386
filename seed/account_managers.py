"""The support provider's account managers and the customers each serves, with an assignment
for every rule of the contract: one serving three customers, one serving one customer the first
also serves, one whose assignment ended before the as-of day, one whose starts after it."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

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


def build_account_managers(customers: list[Customer], as_of: date) -> dict[str, pl.DataFrame]:
    by_key = {c.spec.key: c.customer_id for c in customers}

    def day(offset: int | None) -> date | None:
        return None if offset is None else as_of + timedelta(days=offset)

    managers = [
        {"user_id": user_id, "display_name": name,
         "email": name.lower().replace(" ", ".") + "@" + DOMAIN}
        for user_id, name, _ in ACCOUNT_MANAGERS
    ]  # fmt: skip
    assignments = [
        {"user_id": user_id, "customer_id": by_key[key], "start_date": day(first),
         "end_date": day(last)}
        for user_id, _, served in ACCOUNT_MANAGERS
        for key, first, last in served
    ]  # fmt: skip
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
        ),  # fmt: skip
    }
