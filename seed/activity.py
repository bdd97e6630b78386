"""The small usage tables: enrollments, named contacts and assessments.

They do not grow with the scale: seats, contacts and assessments are counted one by one, and a
customer buys a handful of them whatever the size of its support traffic.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import polars as pl

from seed import names
from seed.contracts import Entitlement, Estate
from seed.ids import ident
from seed.org import Customer, User

UNLIMITED_LEARNERS = 60  # enrollments of an unlimited education entitlement over a full term
BENEFIT_LEARNERS = 4  # detail rows of an education benefit: shown, never counted


def build_activity(estate: Estate, as_of: date, rnd: random.Random) -> dict[str, pl.DataFrame]:
    enrollments, contacts, assessments = [], [], []
    for e in estate.entitlements:
        if e.package.start > as_of and e.category != "assessments":
            continue
        if e.category == "education":
            enrollments += _enrollments(e, as_of, rnd)
        elif e.category == "contacts" and e.consumable:
            contacts += _contacts(e, as_of, rnd)
        elif e.category == "assessments" and e.consumable:
            assessments += _assessments(e, as_of, rnd, first=not assessments)
    for number, row in enumerate(enrollments, start=1):
        row["enrollment_id"] = ident("EN", number, 6)
    for number, row in enumerate(contacts, start=1):
        row["contact_id"] = ident("NC", number, 6)
    for number, row in enumerate(assessments, start=1):
        row["assessment_id"] = ident("AS", number, 6)
    return {
        "enrollments": _frame(enrollments, ("completed_on",)),
        "contacts": _frame(contacts, ("user_id", "removed_on")),
        "assessments": _frame(assessments, ("started_on", "completed_on")),
    }


def _frame(rows: list[dict], nullable: tuple[str, ...]) -> pl.DataFrame:
    overrides = {c: (pl.Date if c.endswith("_on") else pl.String) for c in nullable}
    return pl.DataFrame(rows, schema_overrides=overrides)


def _story(e: Entitlement, category: str) -> str:
    """'over', 'under' or '' for the entitlement's workspace story (current enterprise only)."""
    c = e.package.contract
    if not (c.workspace and c.current and e.package.scope == "enterprise"):
        return ""
    spec = c.workspace.spec
    return "over" if category in spec.over else "under" if category in spec.under else ""


def _window(e: Entitlement, as_of: date) -> tuple[date, date]:
    return e.package.start, min(e.package.end, as_of)


def _day_in(rnd: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rnd.randint(0, max((last - first).days, 0)))


def _person(rnd: random.Random, customer: Customer, taken: set[str]) -> tuple[str, str, str | None]:
    """(name, email, user_id): mostly a user of the customer, sometimes someone with no account."""
    for _ in range(50):
        if rnd.random() < 0.75:
            user: User = rnd.choice(customer.users)
            name, email, user_id = user.display_name, user.email, user.user_id
        else:
            name = f"{rnd.choice(names.FIRST_NAMES)} {rnd.choice(names.LAST_NAMES)}"
            email = name.lower().replace(" ", ".") + "@" + customer.spec.domain
            user_id = None
        if email not in taken:
            taken.add(email)
            return name, email, user_id
    raise RuntimeError("ran out of people")


def _enrollments(e: Entitlement, as_of: date, rnd: random.Random) -> list[dict]:
    first, last = _window(e, as_of)
    if not e.consumable:
        count = BENEFIT_LEARNERS
    elif e.purchased is None:
        count = round(UNLIMITED_LEARNERS * e.target)
    else:
        count = round(e.purchased * e.target)
    cancelled = math.ceil(count * 0.12)
    rows, taken = [], set()
    customer = e.package.contract.customer
    for i in range(count + cancelled):
        name, email, _user_id = _person(rnd, customer, taken)
        enrolled = _day_in(rnd, first, last)
        finished = enrolled + timedelta(days=rnd.randint(3, 60))
        status = "cancelled" if i >= count else "enrolled"
        if status == "enrolled" and finished <= as_of and rnd.random() < 0.7:
            status = "completed"
        rows.append(
            {
                "entitlement_id": e.entitlement_id,
                "learner_name": name,
                "learner_email": email,
                "course": rnd.choice(names.COURSES),
                "enrolled_on": enrolled,
                "completed_on": finished if status == "completed" else None,
                "status": status,
            }
        )
    return sorted(rows, key=lambda r: r["enrolled_on"])


def _contacts(e: Entitlement, as_of: date, rnd: random.Random) -> list[dict]:
    """Named contacts: the current ones, some already removed, one leaving after as_of."""
    first, last = _window(e, as_of)
    bought = int(e.purchased or 0)
    expired = e.package.end < as_of
    story = _story(e, "contacts")
    if story == "over":
        current = bought + 2
    elif story == "under":
        current = max(1, math.ceil(bought * 0.3))
    else:
        current = max(1, bought - rnd.randint(0, min(2, bought - 1)))
    removed = rnd.randint(1, 3)
    rows, taken = [], set()
    customer = e.package.contract.customer
    for i in range(current + removed):
        name, email, user_id = _person(rnd, customer, taken)
        added = first if rnd.random() < 0.6 else _day_in(rnd, first, last)
        if expired:  # moved to the renewal, or gone, when the package ended
            gone = e.package.end
        elif i >= current:
            gone = _day_in(rnd, added, last - timedelta(days=1))
        elif i == 0 and current >= 3:  # leaving soon
            gone = as_of + timedelta(days=rnd.randint(1, 45))
        else:
            gone = None
        if gone is not None and gone < added:
            added = gone
        rows.append(
            {
                "entitlement_id": e.entitlement_id,
                "name": name,
                "email": email,
                "user_id": user_id,
                "added_on": added,
                "removed_on": gone,
            }
        )
    return sorted(rows, key=lambda r: r["added_on"])


def _assessments(e: Entitlement, as_of: date, rnd: random.Random, first: bool) -> list[dict]:
    if e.package.start > as_of:  # upcoming: a few are planned already
        count, statuses = 1, ["not_started"]
    else:
        count = max(1, round((e.purchased or 0) * e.target))
        expired = e.package.end < as_of
        cycle = ["completed"] if expired else ["completed", "in_progress", "not_started"]
        statuses = [cycle[i] if i < len(cycle) else rnd.choice(cycle) for i in range(count)]
        if first or rnd.random() < 0.5:
            statuses.append("cancelled")
    start, last = _window(e, as_of)
    rows = []
    for status in statuses:
        started = completed = None
        if status == "completed":
            started = _day_in(rnd, start, last - timedelta(days=5))
            completed = min(started + timedelta(days=rnd.randint(5, 40)), last)
        elif status == "in_progress":
            started = _day_in(rnd, max(start, as_of - timedelta(days=60)), as_of)
        elif status == "cancelled" and rnd.random() < 0.5:
            started = _day_in(rnd, start, last)
        rows.append(
            {
                "entitlement_id": e.entitlement_id,
                "name": rnd.choice(names.ASSESSMENTS),
                "technology": rnd.choice(names.ASSESSMENT_TECHNOLOGIES),
                "status": status,
                "started_on": started,
                "completed_on": completed,
            }
        )
    return rows
