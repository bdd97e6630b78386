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
from dashboard.text import ADDITIONAL_REASONS, hidden_note

SERVICE = "additional_service"
REASONS = ADDITIONAL_REASONS
LABELS = {reason: label for reason, (label, _) in REASONS.items()}
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
    st.title("Additional cases")
    scope_line(ctx)
    figures = ctx.run("additional_case_figures")  # per reason, per service, and all of them
    if not of_kind(figures, "picked").item(0, "cases"):
        st.info("No additional case that you may see in this selection.")
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
    st.subheader("Per reason")
    st.caption(
        "; ".join(f"**{label}**: {meaning}" for label, meaning in REASONS.values())
        + ". Click a bar to list its cases."
    )
    drill = DrillDown("reason", reasons.get_column("reason"))
    labelled = reasons.with_columns(pl.col("reason").replace(LABELS).alias("label"))
    event = charts.draw(
        charts.counts(
            labelled, "label", "cases", "support requests", pick="reason", picked=drill.initial
        ),
        on_select="rerun",
        selection_mode=charts.SELECTION,
        key=drill.key(),
        width="stretch",
    )
    drill.clicked("", charts.picked(event, "reason"))
    picked = drill.picks
    if picked:
        left, right = st.columns([4, 1])
        left.markdown(f"**Reasons: {', '.join(LABELS.get(r, r) for r in picked)}**")
        right.button("Clear selection", icon=":material/close:", on_click=drill.clear)
    return picked


def per_service(services: pl.DataFrame) -> str | None:
    labels = {
        row["service_code"]: f"{row['service_code']} ({count(row['cases'], 'support request')})"
        for row in services.iter_rows(named=True)
    }
    if SERVICE not in st.session_state:  # the first time: the link's, if it is one listed
        linked = linked_picks("service")
        st.session_state[SERVICE] = linked[0] if linked and linked[0] in labels else ""
    elif st.session_state[SERVICE] not in labels:  # another selection without it
        st.session_state[SERVICE] = ""
    picked = st.selectbox(
        "Service", ["", *labels], key=SERVICE, format_func=lambda s: labels.get(s, "Every service")
    )
    keep_in_link("service", [picked] if picked else [])
    return picked or None


def cases(ctx: Context, reasons: list[str], service: str | None, every: int) -> None:
    """The additional cases with one of the picked reasons and of the picked service (`every`:
    how many there are with no pick)."""
    picked = {"reasons": tuple(sorted(reasons)), "service": service}
    total = ctx.run("additional_case_count", **picked).item() if reasons or service else every
    st.subheader(f"{count(total, 'additional case')}")
    st.caption("Support requests raised in the workspaces picked.")
    hidden = ctx.run("support_request_counts").item(0, "hidden")
    if hidden:
        st.caption(f"Among the support requests you may see. {hidden_note(hidden)}")
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
    names = pl.col("reasons").str.split(";").list.eval(pl.element().replace(LABELS))
    return cases.with_columns(names.list.join(", ").alias("reasons"))


render(page_context())
