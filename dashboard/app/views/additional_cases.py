"""Additional cases: the support requests that count as additional under the contract, with
their reasons; counts per reason and per service; click a bar to list its cases."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.app import charts
from dashboard.app.drill_down import DrillDown, keep_in_link, linked_picks
from dashboard.app.guarded import own_rerun
from dashboard.app.results import Context, page_context
from dashboard.app.tables import listing
from dashboard.app.views.common import scope_line
from dashboard.formats import count
from dashboard.language import _
from dashboard.text import ADDITIONAL_REASONS, hidden_note, reason_labels, reason_meaning

SERVICE = "additional_service"
# the list's columns, in the grid and in its CSV
LISTED = [
    "case_id",
    "title",
    "service_code",
    "reasons",
    "case_type",
    "severity",
    "status",
    "created_at",
    "hours",
    "workspace_id",
    "contract",
]


def render(ctx: Context) -> None:
    st.title(_("Additional cases"))
    scope_line(ctx)
    figures = ctx.run("additional_case_figures")  # per reason, per service, and all of them
    if not of_kind(figures, "picked").item(0, "cases"):
        st.info(_("No additional case that you may see in this selection."))
        return
    drill_down(ctx, figures)


@own_rerun  # a bar clicked or a service picked redraws the chart and its list only
def drill_down(ctx: Context, figures: pl.DataFrame) -> None:
    reasons = per_reason(of_kind(figures, "reason").rename({"name": "reason"}))
    service = per_service(of_kind(figures, "service").rename({"name": "service_code"}))
    cases(ctx, reasons, service, of_kind(figures, "picked").item(0, "cases"))


def of_kind(figures: pl.DataFrame, kind: str) -> pl.DataFrame:
    return figures.filter(pl.col("kind") == kind).drop("kind")


def per_reason(reasons: pl.DataFrame) -> list[str]:
    st.subheader(_("Per reason"))
    named = reason_labels()
    meanings = "; ".join(f"**{named[r]}**: {reason_meaning(r)}" for r in ADDITIONAL_REASONS)
    st.caption(_("{reasons}. Click a bar to list its cases.").format(reasons=meanings))
    drill = DrillDown("reason", reasons.get_column("reason"))
    labelled = reasons.with_columns(pl.col("reason").replace(named).alias("label"))
    title = _("support requests")
    event = charts.draw(
        charts.counts(labelled, "label", "cases", title, pick="reason", picked=drill.initial),
        on_select="rerun",
        selection_mode=charts.SELECTION,
        key=drill.key(),
        width="stretch",
    )
    drill.clicked("", charts.picked(event, "reason"))
    picked = drill.picks
    if picked:
        left, right = st.columns([4, 1])
        listed = ", ".join(named.get(r, r) for r in picked)
        left.markdown(_("**Reasons: {reasons}**").format(reasons=listed))
        right.button(_("Clear selection"), icon=":material/close:", on_click=drill.clear)
    return picked


def per_service(services: pl.DataFrame) -> str | None:
    labels = {
        row["service_code"]: "{code} ({cases})".format(
            code=row["service_code"],
            cases=count(int(row["cases"]), "{n} support request", "{n} support requests"),
        )
        for row in services.iter_rows(named=True)
    }
    if SERVICE not in st.session_state:  # the first time: the link's, if it is one listed
        linked = linked_picks("service")
        st.session_state[SERVICE] = linked[0] if linked and linked[0] in labels else ""
    elif st.session_state[SERVICE] not in labels:  # another selection without it
        st.session_state[SERVICE] = ""
    every = _("Every service")
    picked = st.selectbox(
        _("Service"), ["", *labels], key=SERVICE, format_func=lambda s: labels.get(s, every)
    )
    keep_in_link("service", [picked] if picked else [])
    return picked or None


def cases(ctx: Context, reasons: list[str], service: str | None, every: int) -> None:
    """The additional cases with one of the picked reasons and of the picked service (`every`:
    how many there are with no pick)."""
    picked = {"reasons": tuple(sorted(reasons)), "service": service}
    total = ctx.run("additional_case_count", **picked).item() if reasons or service else every
    st.subheader(count(int(total), "{n} additional case", "{n} additional cases"))
    st.caption(_("Support requests raised in the workspaces picked."))
    hidden = int(ctx.run("support_request_counts").item(0, "hidden"))
    if hidden:
        said = _("Among the support requests you may see. {hidden}")
        st.caption(said.format(hidden=hidden_note(hidden)))
    listing(
        ctx,
        "additional_cases",
        LISTED,
        "additional cases",
        total=total,
        shown_as=labelled,
        **picked,
    )


def labelled(cases: pl.DataFrame) -> pl.DataFrame:
    """`cases` with their reasons as the page names them: "Expired contract, Special service"
    for the query's "expired_contract;special_service"."""
    names = pl.col("reasons").str.split(";").list.eval(pl.element().replace(reason_labels()))
    return cases.with_columns(names.list.join(", ").alias("reasons"))


render(page_context())
