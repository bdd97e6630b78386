"""Deliveries of proactive services and credits, generated per entitlement in date order.

Deliveries up to as_of were delivered (or cancelled); those after it are booked up to
BOOKED_AHEAD_DAYS ahead and are scheduled (or already cancelled).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from seed import names
from seed.contracts import Entitlement, Estate
from seed.streams import (
    Chunk,
    Lookup,
    Progress,
    Sink,
    Window,
    clip,
    dates,
    day_number,
    numbers,
    slice_starts,
    spread,
)

STATUSES = ("delivered", "scheduled", "cancelled")
QUANTITIES = {
    "proactive": np.array([2, 4, 4, 8, 8, 8, 16, 24]),  # hours
    "credits": np.array([1, 2, 2, 5, 5, 10, 10, 20]),
    "review": np.array([1, 1, 2]),  # hours of a service review (benefit)
}
CANCELLED_PAST = 0.09
CANCELLED_AHEAD = 0.05
BOOKED_AHEAD_DAYS = 120
ENGINEER_ASSIGNED_AHEAD = 0.7  # of scheduled deliveries
REVIEW_EVERY_DAYS = 10  # how often a benefit's service reviews happen, at scale 1

PROACTIVE_TITLES = [f"{s}: {t}" for s in names.PROACTIVE_SERVICES for t in names.TECHNOLOGIES]
TITLES = {
    "proactive": PROACTIVE_TITLES,
    "credits": list(names.CREDIT_SERVICES),
    "review": list(names.SERVICE_REVIEWS),
}


@dataclass(frozen=True)
class DeliveryPlan:
    entitlement: Entitlement
    kind: str  # a key of QUANTITIES and TITLES
    past: int
    past_window: Window
    ahead: int
    ahead_window: Window

    @property
    def count(self) -> int:
        return self.past + self.ahead


def plan_deliveries(estate: Estate, as_of: date, scale: int) -> list[DeliveryPlan]:
    today = day_number(as_of)
    plans = []
    for e in estate.entitlements:
        if e.category not in ("proactive", "credits") or (e.consumable and not e.purchased):
            continue
        if not e.consumable and e.category != "proactive":
            continue
        start, end = day_number(e.package.start), day_number(e.package.end)
        past = Window(start, min(end, today))
        ahead = Window(max(start, today + 1), min(end, today + BOOKED_AHEAD_DAYS))
        if e.consumable:
            kind = e.category
            mean = QUANTITIES[kind].mean()
            delivered = e.purchased * e.target / mean
            past_count = round(delivered / (1 - CANCELLED_PAST)) if past.days else 0
            term = end - start + 1
            ahead_count = round(e.purchased * min(e.pace, 1.5) * ahead.days / term / mean)
        else:
            kind = "review"
            usage = scale * e.package.contract.customer.usage
            past_count = round(usage * past.days / REVIEW_EVERY_DAYS)
            ahead_count = round(usage * ahead.days / (2 * REVIEW_EVERY_DAYS))
        if past_count or ahead_count:
            plans.append(DeliveryPlan(e, kind, past_count, past, ahead_count, ahead))
    return plans


def write_deliveries(
    folder: Path,
    plans: list[DeliveryPlan],
    entitlements: Lookup,
    seed: int,
    progress: Progress,
) -> int:
    titles = Lookup([t for kind in TITLES for t in TITLES[kind]])
    engineers = Lookup(names.ENGINEERS)
    statuses = Lookup(STATUSES)

    def frame(chunk: Chunk, ids: pl.Series) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "delivery_id": ids,
                "entitlement_id": entitlements(chunk["entitlement"]),
                "date": dates(chunk["day"]),
                "title": titles(chunk["title"]),
                "quantity": numbers(chunk["quantity"]),
                "hours_delivered": numbers(chunk["hours"], missing=np.isnan(chunk["hours"])),
                "status": statuses(chunk["status"]),
                "delivered_by": engineers(chunk["engineer"]),
            }
        )

    sink = Sink(folder, "deliveries", "DL", frame, progress)
    for number, plan in enumerate(plans):
        rng = np.random.default_rng([seed, 2, number])
        windows = [w for w in (plan.past_window, plan.ahead_window) if w.days]
        starts = slice_starts(windows)
        past = spread(rng, plan.past, plan.past_window, starts)
        ahead = spread(rng, plan.ahead, plan.ahead_window, starts)
        code = entitlements.code(plan.entitlement.entitlement_id)
        first_title = titles.code(TITLES[plan.kind][0])
        streams = ((past, plan.past_window, False), (ahead, plan.ahead_window, True))
        for k, start in enumerate(starts):
            days, booked = [], []
            for counts, window, is_ahead in streams:
                if counts[k]:
                    low, high = clip(window, int(start))
                    days.append(rng.integers(low, high, counts[k]))
                    booked.append(np.full(counts[k], is_ahead))
            if not days:
                continue
            day, is_ahead = np.concatenate(days), np.concatenate(booked)
            order = np.argsort(day, kind="stable")
            chunk = _rows(rng, plan, day[order], is_ahead[order], len(names.ENGINEERS))
            chunk["entitlement"] = np.full(len(day), code)
            chunk["title"] += first_title
            sink.add(chunk)
    return sink.close()


def _rows(
    rng: np.random.Generator, plan: DeliveryPlan, day: np.ndarray, ahead: np.ndarray, engineers: int
) -> Chunk:
    n = len(day)
    cancelled = rng.random(n) < np.where(ahead, CANCELLED_AHEAD, CANCELLED_PAST)
    status = np.where(cancelled, 2, np.where(ahead, 1, 0))
    options = QUANTITIES[plan.kind]
    quantity = options[rng.integers(0, len(options), n)].astype(np.float64)
    delivered = status == 0
    proactive = plan.entitlement.category == "proactive"
    hours = np.round(quantity * rng.uniform(0.8, 1.1, n) * 2) / 2
    hours = np.where(delivered & proactive, hours, np.nan)
    engineer = rng.integers(0, engineers, n)
    assigned = delivered | ((status == 1) & (rng.random(n) < ENGINEER_ASSIGNED_AHEAD))
    return {
        "day": day,
        "title": rng.integers(0, len(TITLES[plan.kind]), n),
        "quantity": quantity,
        "hours": hours,
        "status": status,
        "engineer": np.where(assigned, engineer, -1),
    }
