"""Changed since: what moved between a meeting snapshot (dashboard.query.snapshots) and now, on
Renewal planning and Enterprise-wide; and the button on Renewal planning that keeps one.

The snapshots offered are the viewer's own of this selection's scope (the filters but the
dates), newest first; the one picked at first is the newest of older data (the last meeting),
as the meeting pack's Changed since part picks it. What the viewer may no longer see is left
out (dashboard.query.changes).
"""

from __future__ import annotations

import logging

import polars as pl
import streamlit as st

from dashboard.app.results import Context
from dashboard.app.tables import download, grid
from dashboard.app.views.common import figure_row
from dashboard.formats import amount, count, day, moment, number
from dashboard.query import changes, snapshots
from dashboard.query.changes import Changes
from dashboard.query.snapshots import Snapshot
from dashboard.query.state_store import StateUnavailable
from dashboard.text import ADDITIONAL_REASONS, inert

log = logging.getLogger("customer_activity")
HEADLINE_UNITS = ("hours", "credits")
PICK = "changes_since"  # the snapshot picked, by number
TAKEN = "snapshot_taken"  # what the button said, for the rerun after it
# the entitlements' grid: which one, what changed and by how much first; the rest a scroll away
ENTITLEMENT_ORDER = (
    "name",
    "change",
    "used_since",
    "remaining_then",
    "remaining_now",
    "status_then",
    "status_now",
    "unit",
    "contract_number",
    "package_name",
    "used_then",
    "used_now",
    "purchased_then",
    "purchased_now",
    "category",
)
CONTRACT_ORDER = (
    "contract_number",
    "change",
    "days_left_then",
    "days_left_now",
    "state_then",
    "state_now",
    "end_date",
    "name",
)


def _runner(ctx: Context):
    """The queries as this viewer, through the page's result cache."""
    return lambda name, filters, **extra: ctx.run(name, filters=filters, **extra)


def snapshot_button(ctx: Context) -> None:
    """Keep the figures of this selection now, for the next meeting to compare with (the
    meeting pack's download keeps one too)."""
    if st.button(
        "Save a snapshot",
        icon=":material/photo_camera:",
        key="snapshot_take",
        help="Keep today's figures of this selection, so that the next meeting sees what "
        "changed since (downloading the meeting pack keeps one too)",
    ):
        _take(ctx)
    said = st.session_state.pop(TAKEN, None)
    if said:
        getattr(st, said[0])(said[1])


def _take(ctx: Context) -> None:
    viewer, dataset = ctx.viewer, ctx.dataset
    try:
        taken = snapshots.take(
            dataset.home,
            viewer.user_id,
            ctx.filters,
            dataset.as_of,
            snapshots.figures(_runner(ctx), ctx.filters),
            "button",
        )
    except StateUnavailable as problem:
        log.error("a snapshot could not be kept: %s", problem)
        st.session_state[TAKEN] = ("error", f"The snapshot was not kept: {problem.for_people()}")
        return
    st.session_state[PICK] = taken.id
    st.session_state[TAKEN] = (
        "success",
        f"Snapshot #{taken.id} kept: the figures of the data as of {day(taken.as_of)}.",
    )


def changed_since(ctx: Context) -> None:
    """The section: a snapshot to compare with, then what changed since it."""
    st.subheader("Changed since a snapshot")
    try:
        offered = snapshots.listed(ctx.dataset.home, ctx.viewer.user_id, ctx.filters)
    except StateUnavailable as problem:
        log.error("snapshots could not be read: %s", problem)
        st.caption(inert(f"Snapshots are not shown: {problem.for_people()}"))
        return
    if not offered:
        st.caption(
            "No snapshot of this selection yet. Downloading the meeting pack on Renewal "
            "planning keeps one (as does its Save a snapshot button); the next meeting then "
            "sees here what changed since."
        )
        return
    found = _picked_changes(ctx, offered)
    if found is not None:
        _said(ctx, found)


def _picked_changes(ctx: Context, offered: list[Snapshot]) -> Changes | None:
    by_id = {s.id: s for s in offered}
    if st.session_state.get(PICK) not in by_id:  # another selection's, or none yet
        st.session_state[PICK] = (snapshots.before(offered, ctx.dataset.as_of) or offered[0]).id
    picked = st.selectbox(
        "Since",
        list(by_id),
        format_func=lambda i: snapshot_label(by_id[i], st.context.timezone),
        key=PICK,
        help="Your snapshots of this selection (whatever its dates), newest first",
    )
    try:
        snapshot, then = snapshots.opened(ctx.dataset.home, ctx.viewer.user_id, picked)
    except (StateUnavailable, snapshots.NotFound) as problem:
        said = problem.for_people() if isinstance(problem, StateUnavailable) else str(problem)
        st.caption(inert(f"That snapshot cannot be opened: {said}"))
        return None
    return changes.since(_runner(ctx), snapshot, then, ctx.dataset.as_of)


def snapshot_label(snapshot: Snapshot, zone: str | None = None) -> str:
    """`#12 · 5 Dec 2026, 14:03 UTC · meeting pack · data as of 15 Jun 2026`"""
    return (
        f"#{snapshot.id} · {moment(snapshot.taken_at, zone)} · "
        f"{snapshots.REASONS[snapshot.reason]} · data as of {day(snapshot.as_of)}"
    )


def _said(ctx: Context, found: Changes) -> None:
    then, now = day(found.snapshot.as_of), day(found.as_of)
    if found.same_data:
        st.caption(
            f"The data is still as of {then}, the snapshot's day: nothing was added since, so "
            "only a correction of the data would show below."
        )
    else:
        st.caption(f"From the data as of {then} to the data as of {now}.")
    if found.unseen:
        st.caption(
            f"{count(found.unseen, 'entitlement or contract', 'entitlements and contracts')} of "
            "the snapshot are no longer visible to you: they are left out."
        )
    _figures(found)
    entitlements, by_category, contracts, cases = st.tabs(
        ["Entitlements", "Used since, by category", "Contracts", "Additional cases"]
    )
    with entitlements:
        shown = found.entitlements.drop("entitlement_id")
        grid(shown, column_order=ENTITLEMENT_ORDER, pinned=("name",), key="changes_entitlements")
        st.caption(
            "Changed first: *status changed* is the renewal forecast's status; *new since* is an "
            "entitlement the snapshot did not hold, whose use before it is not known."
        )
        download(found.entitlements, "changes_since", ctx)
    with by_category:
        grid(found.used_since, key="changes_by_category")
        st.caption("Summed over the entitlements in both the snapshot and now.")
    with contracts:
        grid(found.contracts.drop("contract_id"), column_order=CONTRACT_ORDER)
    with cases:
        grid(_cases_worded(found.cases))
        st.caption(
            f"{count(found.raised_since, 'additional case')} raised after {then}. A case can "
            "become additional without being new: its contract has ended since, for one."
        )


def _figures(found: Changes) -> None:
    row = figure_row()
    used = dict(found.used_since.group_by("unit").agg(pl.col("used_since").sum()).iter_rows())
    for unit in HEADLINE_UNITS:  # the others are in the tables
        if unit in used:
            row.metric(f"{unit.capitalize()} used since", amount(used[unit]))
    row.metric("Status changed", number(found.status_changed.height))
    row.metric("New additional cases", number(found.raised_since))
    contracts = found.contracts["change"]
    row.metric("Contracts ended", number(contracts.str.contains(changes.ENDED).sum()))
    row.metric("Contracts renewed", number(contracts.str.contains(changes.RENEWED).sum()))


def _cases_worded(cases: pl.DataFrame) -> pl.DataFrame:
    words = {code: label for code, (label, _) in ADDITIONAL_REASONS.items()}
    words["all"] = "All additional cases"
    return cases.with_columns(pl.col("reason").replace(words))
