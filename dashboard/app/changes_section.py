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

from dashboard import words
from dashboard.app.results import Context
from dashboard.app.sidebar import state_word
from dashboard.app.tables import download, grid
from dashboard.app.views.common import figure_row
from dashboard.formats import amount, day, moment, number
from dashboard.language import N_, _, ngettext, pgettext
from dashboard.query import changes, snapshots
from dashboard.query.changes import Changes
from dashboard.query.snapshots import Snapshot
from dashboard.query.state_store import StateUnavailable
from dashboard.text import ADDITIONAL_REASONS, inert

log = logging.getLogger("customer_activity")
HEADLINE_UNITS = ("hours", "credits")
USED_SINCE = {"hours": N_("Hours used since"), "credits": N_("Credits used since")}
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
        _("Save a snapshot"),
        icon=":material/photo_camera:",
        key="snapshot_take",
        help=_(
            "Keep today's figures of this selection, so that the next meeting sees what "
            "changed since (downloading the meeting pack keeps one too)"
        ),
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
        said = _("The snapshot was not kept: {problem}").format(problem=problem.for_people())
        st.session_state[TAKEN] = ("error", said)
        return
    st.session_state[PICK] = taken.id
    st.session_state[TAKEN] = (
        "success",
        _("Snapshot #{id} kept: the figures of the data as of {day}.").format(
            id=taken.id, day=day(taken.as_of)
        ),
    )


def changed_since(ctx: Context) -> None:
    """The section: a snapshot to compare with, then what changed since it."""
    st.subheader(_("Changed since a snapshot"))
    try:
        offered = snapshots.listed(ctx.dataset.home, ctx.viewer.user_id, ctx.filters)
    except StateUnavailable as problem:
        log.error("snapshots could not be read: %s", problem)
        st.caption(
            inert(_("Snapshots are not shown: {problem}").format(problem=problem.for_people()))
        )
        return
    if not offered:
        st.caption(
            _(
                "No snapshot of this selection yet. Downloading the meeting pack on Renewal "
                "planning keeps one (as does its Save a snapshot button); the next meeting then "
                "sees here what changed since."
            )
        )
        return
    found = _picked_changes(ctx, offered)
    if found is not None:
        _said(ctx, found)


def _picked_changes(ctx: Context, offered: list[Snapshot]) -> Changes | None:
    by_id = {s.id: s for s in offered}
    if st.session_state.get(PICK) not in by_id:  # another selection's, or none yet
        st.session_state[PICK] = (snapshots.before(offered, ctx.dataset.as_of) or offered[0]).id
    # worded here, not in format_func: Streamlit may call that outside the run's language
    labels = {i: snapshot_label(s, st.context.timezone) for i, s in by_id.items()}
    picked = st.selectbox(
        _("Since"),
        list(by_id),
        format_func=labels.get,
        key=PICK,
        help=_("Your snapshots of this selection (whatever its dates), newest first"),
    )
    try:
        snapshot, then = snapshots.opened(ctx.dataset.home, ctx.viewer.user_id, picked)
    except (StateUnavailable, snapshots.NotFound) as problem:
        said = problem.for_people() if isinstance(problem, StateUnavailable) else str(problem)
        st.caption(inert(_("That snapshot cannot be opened: {problem}").format(problem=said)))
        return None
    return changes.since(_runner(ctx), snapshot, then, ctx.dataset.as_of)


def snapshot_label(snapshot: Snapshot, zone: str | None = None) -> str:
    """`#12 · 5 Dec 2026, 14:03 UTC · meeting pack · data as of 15 Jun 2026`"""
    return _("#{id} · {taken} · {reason} · data as of {day}").format(
        id=snapshot.id,
        taken=moment(snapshot.taken_at, zone),
        reason=_(snapshots.REASONS[snapshot.reason]),
        day=day(snapshot.as_of),
    )


def _said(ctx: Context, found: Changes) -> None:
    then, now = day(found.snapshot.as_of), day(found.as_of)
    if found.same_data:
        st.caption(
            _(
                "The data is still as of {day}, the snapshot's day: nothing was added since, so "
                "only a correction of the data would show below."
            ).format(day=then)
        )
    else:
        st.caption(
            _("From the data as of {then} to the data as of {now}.").format(then=then, now=now)
        )
    if found.unseen:
        st.caption(
            ngettext(
                "{n} entitlement or contract of the snapshot are no longer visible to you: "
                "they are left out.",
                "{n} entitlements and contracts of the snapshot are no longer visible to you: "
                "they are left out.",
                found.unseen,
            ).format(n=number(found.unseen))
        )
    _figures(found)
    entitlements, by_category, contracts, cases = st.tabs(
        [_("Entitlements"), _("Used since, by category"), _("Contracts"), _("Additional cases")]
    )
    with entitlements:
        shown = _cells_worded(found.entitlements.drop("entitlement_id"))
        grid(shown, column_order=ENTITLEMENT_ORDER, pinned=("name",), key="changes_entitlements")
        st.caption(
            _(
                "Changed first: *status changed* is the renewal forecast's status; *new since* "
                "is an entitlement the snapshot did not hold, whose use before it is not known."
            )
        )
        download(found.entitlements, "changes_since", ctx)
    with by_category:
        grid(_cells_worded(found.used_since), key="changes_by_category")
        st.caption(_("Summed over the entitlements in both the snapshot and now."))
    with contracts:
        grid(_cells_worded(found.contracts.drop("contract_id")), column_order=CONTRACT_ORDER)
    with cases:
        grid(_cases_worded(found.cases))
        st.caption(
            ngettext(
                "{n} additional case raised after {day}. A case can become additional without "
                "being new: its contract has ended since, for one.",
                "{n} additional cases raised after {day}. A case can become additional without "
                "being new: its contract has ended since, for one.",
                found.raised_since,
            ).format(n=number(found.raised_since), day=then)
        )


def _figures(found: Changes) -> None:
    row = figure_row()
    used = dict(found.used_since.group_by("unit").agg(pl.col("used_since").sum()).iter_rows())
    for unit in HEADLINE_UNITS:  # the others are in the tables
        if unit in used:
            row.metric(_(USED_SINCE[unit]), amount(used[unit]))
    row.metric(_("Status changed"), number(found.status_changed.height))
    row.metric(_("New additional cases"), number(found.raised_since))
    contracts = found.contracts["change"]
    row.metric(_("Contracts ended"), number(contracts.str.contains(changes.ENDED).sum()))
    row.metric(_("Contracts renewed"), number(contracts.str.contains(changes.RENEWED).sum()))


def _cells_worded(frame: pl.DataFrame) -> pl.DataFrame:
    """The codes in `frame`'s cells in the run's language: in English the codes the grids have
    always shown (`reactive`, `hours`, `on track`, `expired`), in Polish their words."""
    states = {code: state_word(code, of="contract") for code in ("active", "expired", "upcoming")}
    said = {
        "change": changes.worded(pl.col("change")),
        "category": pl.col("category").replace(_category_words()),
        "unit": pl.col("unit").replace(words.units()),
        "status_then": pl.col("status_then").replace(_forecast_words()),
        "status_now": pl.col("status_now").replace(_forecast_words()),
        "state_then": pl.col("state_then").replace(states),
        "state_now": pl.col("state_now").replace(states),
    }
    return frame.with_columns(expr for name, expr in said.items() if name in frame.columns)


def _category_words() -> dict[str, str]:
    """Each category's code as a grid's cell says it (the code itself in English)."""
    return {
        "reactive": pgettext("category code", "reactive"),
        "advisory": pgettext("category code", "advisory"),
        "proactive": pgettext("category code", "proactive"),
        "education": pgettext("category code", "education"),
        "contacts": pgettext("category code", "contacts"),
        "assessments": pgettext("category code", "assessments"),
        "credits": pgettext("category code", "credits"),
    }


def _forecast_words() -> dict[str, str]:
    """Each renewal forecast status as a grid's cell says it (the status itself in English)."""
    return {
        "on track": pgettext("forecast status", "on track"),
        "will run out before expiry": pgettext("forecast status", "will run out before expiry"),
        "will leave unused": pgettext("forecast status", "will leave unused"),
        "expired": pgettext("forecast status", "expired"),
    }


def _cases_worded(cases: pl.DataFrame) -> pl.DataFrame:
    said = {code: _(label) for code, (label, _why) in ADDITIONAL_REASONS.items()}
    said["all"] = _("All additional cases")
    return cases.with_columns(pl.col("reason").replace(said))
