"""Support requests (cases) and their shares.

Cases are planned as streams: the cases of one entitlement (or of none) raised in one workspace
over a window of days. Streams are grouped by the table's sort key (workspace, then contract with
no contract last); each group is generated slice by slice in created_at order, then written by
case type and time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from seed import names
from seed.contracts import Contract, Estate
from seed.ids import USAGE_WIDTH, ident
from seed.org import Org, Workspace
from seed.streams import (
    DAY,
    Chunk,
    Lookup,
    Progress,
    Sink,
    Window,
    clip,
    day_number,
    numbers,
    slice_starts,
    spread,
    timestamps,
)

CASE_TYPES = ("reactive", "advisory")
SEVERITIES = ("A", "B", "C")
SERVICE_CODES = ("STD", "PRM", "ADV", "SU", "DSA", "X85", "REC")
# Odds by case type (reactive, advisory); SU, DSA, X85 and REC are the special services.
SERVICE_ODDS = (
    (0.68, 0.24, 0.0, 0.03, 0.01, 0.02, 0.02),
    (0.03, 0.0, 0.88, 0.0, 0.06, 0.01, 0.02),
)
SEVERITY_ODDS = ((0.07, 0.33, 0.60), (0.02, 0.23, 0.75))
SEVERITY_HOURS = np.array([2.5, 1.2, 0.8])  # severity A cases take longest
HOURS_LOGNORMAL = ((0.85, 0.8), (1.55, 0.6))  # (mu, sigma) of a closed case's hours, by type
OPEN_HOURS = 0.5  # an open case has used about half the hours it will
ADVISORY_SHARE = 0.2  # of the cases raised against no entitlement
NO_ENTITLEMENT_SHARE = 0.04  # of a contract's cases, raised without an entitlement
OTHER_WORKSPACE_SHARE = 0.08  # of a contract's cases, raised in another workspace
NO_CONTRACT_CASES = 160  # per unit of workspace size, over the last two years
NO_CONTRACT_DAYS = 720

REACTIVE_TITLES = [f"{t}: {s}" for t in names.TECHNOLOGIES for s in names.SYMPTOMS]
ADVISORY_TITLES = [f"{t}: {s}" for t in names.TECHNOLOGIES for s in names.ADVISORY_TOPICS]


def mean_hours(case_type: int) -> float:
    mu, sigma = HOURS_LOGNORMAL[case_type]
    return float(np.exp(mu + sigma**2 / 2) * np.dot(SEVERITY_ODDS[case_type], SEVERITY_HOURS))


@dataclass(frozen=True)
class CaseStream:
    entitlement: int  # code in Lookups.entitlements, -1 for none
    case_type: int  # 0 reactive, 1 advisory, -1 either
    count: int
    window: Window


@dataclass
class CaseGroup:
    workspace: Workspace
    contract: Contract | None
    streams: list[CaseStream] = field(default_factory=list)
    shares: list[tuple[str, int]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, bool, str]:
        contract_id = self.contract.contract_id if self.contract else ""
        return (self.workspace.workspace_id, self.contract is None, contract_id)

    @property
    def count(self) -> int:
        return sum(s.count for s in self.streams)


@dataclass
class Lookups:
    workspaces: Lookup
    contracts: Lookup
    entitlements: Lookup
    users: Lookup
    titles: Lookup = field(default_factory=lambda: Lookup(REACTIVE_TITLES + ADVISORY_TITLES))
    case_types: Lookup = field(default_factory=lambda: Lookup(CASE_TYPES))
    severities: Lookup = field(default_factory=lambda: Lookup(SEVERITIES))
    services: Lookup = field(default_factory=lambda: Lookup(SERVICE_CODES))
    statuses: Lookup = field(default_factory=lambda: Lookup(("closed", "open")))


def lookups_of(org: Org, estate: Estate) -> Lookups:
    return Lookups(
        workspaces=Lookup([w.workspace_id for w in org.workspaces]),
        contracts=Lookup([c.contract_id for c in estate.contracts]),
        entitlements=Lookup([e.entitlement_id for e in estate.entitlements]),
        users=Lookup([u.user_id for c in org.customers for u in c.users]),
    )


def plan_cases(
    org: Org, estate: Estate, lookups: Lookups, as_of: date, scale: int, rng: np.random.Generator
) -> list[CaseGroup]:
    """Every (workspace, contract) group of cases with its streams, in the table's sort order."""
    today = day_number(as_of)
    groups: dict[tuple, CaseGroup] = {}

    def add(ws: Workspace, contract: Contract | None, stream: CaseStream) -> None:
        key = (ws.workspace_id, contract.contract_id if contract else None)
        groups.setdefault(key, CaseGroup(ws, contract)).streams.append(stream)

    for contract in estate.contracts:
        if contract.start > as_of:  # upcoming: nothing raised against it yet
            continue
        streams = []
        for package in contract.packages:
            if package.start > as_of:
                continue
            window = Window(day_number(package.start), min(day_number(package.end), today))
            for e in package.entitlements:
                if e.consumable and e.purchased and e.category in CASE_TYPES:
                    case_type = CASE_TYPES.index(e.category)
                    count = round(e.purchased * e.target / mean_hours(case_type))
                    streams.append(
                        CaseStream(
                            lookups.entitlements.code(e.entitlement_id), case_type, count, window
                        )
                    )
        unmatched = round(NO_ENTITLEMENT_SHARE * sum(s.count for s in streams))
        window = Window(day_number(contract.start), min(day_number(contract.end), today))
        streams.append(CaseStream(-1, -1, unmatched, window))
        workspaces = contract.customer.workspaces
        weights = _workspace_weights(workspaces, contract.workspace)
        for stream in streams:
            for ws, count in zip(workspaces, rng.multinomial(stream.count, weights), strict=True):
                if count:
                    add(ws, contract, replace(stream, count=int(count)))
    for customer in org.customers:
        usage = scale * customer.usage
        for ws in customer.workspaces:
            # at least a few, so that every workspace has a group for its shared cases
            count = max(3, round(usage * max(3, NO_CONTRACT_CASES * ws.spec.size)))
            add(ws, None, CaseStream(-1, -1, count, Window(today - NO_CONTRACT_DAYS, today)))

    for ws in org.workspaces:
        current = next(
            (c for c in estate.contracts if c.workspace is ws and c.current),
            None,
        )
        key = (ws.workspace_id, current.contract_id if current else None)
        if key not in groups:
            key = (ws.workspace_id, None)
        groups[key].shares = list(ws.shares)
    return sorted(groups.values(), key=lambda g: g.key)


def _workspace_weights(workspaces: list[Workspace], home: Workspace | None) -> np.ndarray:
    """Where a contract's cases are raised: mostly its own workspace, a few elsewhere."""
    sizes = np.array([w.spec.size for w in workspaces])
    if home is None:
        return sizes / sizes.sum()
    mine = np.array([w is home for w in workspaces])
    others = np.where(mine, 0.0, sizes)
    if others.sum() == 0:
        return mine.astype(float)
    return np.where(mine, 1 - OTHER_WORKSPACE_SHARE, OTHER_WORKSPACE_SHARE * others / others.sum())


def write_cases(
    folder: Path,
    groups: list[CaseGroup],
    lookups: Lookups,
    as_of: date,
    seed: int,
    progress: Progress,
) -> tuple[int, pl.DataFrame]:
    """Write cases.parquet; returns its rows and the case_shares rows.

    The table's order within a (workspace, contract) group is by type, then time. A group is
    generated slice by slice in time order, twice from the same random state: the advisory
    cases are written on the first pass, the reactive ones on the second, so that memory holds
    a slice at a time however large the group."""
    sink = Sink(folder, "cases", "CS", lambda chunk, ids: _frame(chunk, ids, lookups), progress)
    limit = (day_number(as_of) + 1) * DAY  # nothing happens after the end of as_of
    shares: list[tuple[str, str]] = []
    for number, group in enumerate(groups):
        first = sink.count + 1  # the id number of the group's first case
        advisory = []  # per slice, which of its cases (in time order) are advisory
        for chunk in _slices(group, lookups, limit, [seed, 1, number]):
            advisory.append(chunk["case_type"] == 1)
            sink.add(_where(chunk, advisory[-1]))
        picks = _plan(group, [seed, 1, number])[3]
        for chunk in _slices(group, lookups, limit, [seed, 1, number]):
            sink.add(_where(chunk, chunk["case_type"] == 0))
        if not advisory:
            continue
        is_advisory = np.concatenate(advisory)
        # where each case (by its place in time) lies in the group: advisory ones first
        position = np.where(
            is_advisory,
            np.cumsum(is_advisory) - 1,
            int(is_advisory.sum()) + np.cumsum(~is_advisory) - 1,
        )
        for offset, user_id in picks:
            shares.append((ident("CS", first + int(position[offset]), USAGE_WIDTH), user_id))
    share_frame = pl.DataFrame(shares, schema=["case_id", "user_id"], orient="row")
    return sink.close(), share_frame


def _plan(group: CaseGroup, state: list[int]) -> tuple:
    """A random generator from `state`, after it drew the group's slices (their starts), how
    many cases of each stream fall in each (counts) and which cases are shared with whom."""
    rng = np.random.default_rng(state)
    starts = slice_starts([s.window for s in group.streams])
    counts = np.stack([spread(rng, s.count, s.window, starts) for s in group.streams])
    picks = _share_picks(rng, group, int(counts.sum()))
    return rng, starts, counts, picks


def _slices(group: CaseGroup, lookups: Lookups, limit: int, state: list[int]) -> Iterator[Chunk]:
    """The group's cases slice by slice, each in time order: the same `state`, the same cases."""
    rng, starts, counts, _picks = _plan(group, state)
    for k, start in enumerate(starts):
        created, which = [], []
        for i, stream in enumerate(group.streams):
            if counts[i, k]:
                low, high = clip(stream.window, int(start))
                created.append(rng.integers(low * DAY, high * DAY, counts[i, k]))
                which.append(np.full(counts[i, k], i))
        if not created:
            continue
        times, origin = np.concatenate(created), np.concatenate(which)
        order = np.argsort(times, kind="stable")
        yield _rows(rng, group, lookups, times[order], origin[order], limit)


def _where(chunk: Chunk, keep: np.ndarray) -> Chunk:
    return {key: column[keep] for key, column in chunk.items()}


def _share_picks(rng: np.random.Generator, group: CaseGroup, rows: int) -> list[tuple[int, str]]:
    """Which of the group's cases (by position) are shared with whom."""
    wanted = [user for user, count in group.shares for _ in range(count)]
    offsets = rng.choice(rows, size=min(len(wanted), rows), replace=False)
    return list(zip(offsets.tolist(), wanted, strict=False))


def _rows(
    rng: np.random.Generator,
    group: CaseGroup,
    lookups: Lookups,
    created: np.ndarray,
    origin: np.ndarray,
    limit: int,
) -> Chunk:
    n = len(created)
    streams = group.streams
    entitlement = np.array([s.entitlement for s in streams])[origin]
    case_type = np.array([s.case_type for s in streams])[origin]
    either = case_type < 0
    case_type[either] = rng.random(int(either.sum())) < ADVISORY_SHARE
    severity = _pick(rng, case_type, SEVERITY_ODDS)
    service = _pick(rng, case_type, SERVICE_ODDS)
    title = np.where(
        case_type == 0,
        rng.integers(0, len(REACTIVE_TITLES), n),
        len(REACTIVE_TITLES) + rng.integers(0, len(ADVISORY_TITLES), n),
    )
    ws = group.workspace
    weights = np.array(ws.contact_weights)
    contacts = np.array([lookups.users.code(u) for u in ws.contacts])
    contact = contacts[rng.choice(len(contacts), n, p=weights / weights.sum())]

    age = (limit - created) / DAY
    open_odds = np.select([age < 2, age < 10, age < 45], [0.75, 0.4, 0.12], 0.015)
    is_open = rng.random(n) < open_odds
    duration = rng.lognormal(3.0, 1.1, n) * 3600 * np.where(severity == 0, 0.4, 1.0)
    closed = created + np.maximum(duration.astype(np.int64), 600)
    is_open |= closed >= limit

    mu = np.array([m for m, _s in HOURS_LOGNORMAL])[case_type]
    sigma = np.array([s for _m, s in HOURS_LOGNORMAL])[case_type]
    hours = rng.lognormal(mu, sigma) * SEVERITY_HOURS[severity] * np.where(is_open, OPEN_HOURS, 1)
    hours = np.maximum(np.round(hours * 4) / 4, 0.25)

    contract = lookups.contracts.code(group.contract.contract_id) if group.contract else -1
    return {
        "workspace": np.full(n, lookups.workspaces.code(ws.workspace_id)),
        "contract": np.full(n, contract),
        "entitlement": entitlement,
        "title": title,
        "case_type": case_type,
        "service": service,
        "severity": severity,
        "open": is_open,
        "created": created,
        "closed": closed,
        "contact": contact,
        "hours": hours,
    }


def _pick(rng: np.random.Generator, case_type: np.ndarray, odds: tuple) -> np.ndarray:
    """A category per row, drawn with the odds of the row's case type."""
    draw = rng.random(len(case_type))
    cumulative = np.cumsum(odds, axis=1)
    cumulative[:, -1] = 1.0
    return np.where(
        case_type == 0,
        np.searchsorted(cumulative[0], draw, side="right"),
        np.searchsorted(cumulative[1], draw, side="right"),
    )


def _frame(chunk: Chunk, ids: pl.Series, lookups: Lookups) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "case_id": ids,
            "workspace_id": lookups.workspaces(chunk["workspace"]),
            "contract_id": lookups.contracts(chunk["contract"]),
            "entitlement_id": lookups.entitlements(chunk["entitlement"]),
            "title": lookups.titles(chunk["title"]),
            "case_type": lookups.case_types(chunk["case_type"]),
            "service_code": lookups.services(chunk["service"]),
            "severity": lookups.severities(chunk["severity"]),
            "status": lookups.statuses(chunk["open"]),
            "created_at": timestamps(chunk["created"]),
            "closed_at": timestamps(chunk["closed"], missing=chunk["open"]),
            "primary_contact_id": lookups.users(chunk["contact"]),
            "hours": numbers(chunk["hours"]),
        }
    )
