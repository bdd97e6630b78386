"""Additional cases: the support requests that count as additional under the contract, with
their reasons; counts per reason and per service; click a bar to list its cases."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts
from dashboard.data import Context, page_context
from dashboard.grids import download, grid
from dashboard.text import count, hidden_note
from dashboard.views.common import scope_line

PICK = "additional_reason_pick"
SERVICE = "additional_service"
REASONS = {
    "expired_contract": "its contract had expired",
    "no_entitlement": "raised against no contract or no entitlement",
    "special_service": "a special service (SU, DSA, X85, REC)",
    "unmapped_contract": "its contract is mapped to another workspace, or to none",
}


def render(ctx: Context) -> None:
    st.title("Additional cases")
    scope_line(ctx)
    cases = ctx.run("additional_cases")
    if cases.is_empty():
        st.info("No additional case that you may see in this selection.")
        return
    reason = per_reason(ctx)
    service = per_service(ctx)
    listing(ctx, cases, reason, service)


def per_reason(ctx: Context) -> list[str]:
    st.subheader("Per reason")
    st.caption(
        "; ".join(f"**{k}**: {v}" for k, v in REASONS.items()) + ". Click a bar to list its cases."
    )
    reasons = ctx.run("additional_case_reasons")
    event = st.altair_chart(
        charts.counts(reasons, "reason", "cases", "support requests"),
        on_select="rerun",
        selection_mode=charts.SELECTION,
        key=PICK,
        width="stretch",
    )
    return charts.picked(event, "reason")


def per_service(ctx: Context) -> str | None:
    services = ctx.run("additional_case_services")
    labels = {
        row["service_code"]: f"{row['service_code']} ({count(row['cases'], 'support request')})"
        for row in services.iter_rows(named=True)
    }
    picked = st.selectbox(
        "Service", ["", *labels], key=SERVICE, format_func=lambda s: labels.get(s, "Every service")
    )
    return picked or None


def listing(ctx: Context, cases: pl.DataFrame, reasons: list[str], service: str | None) -> None:
    if reasons:
        pattern = "|".join(reasons)
        cases = cases.filter(pl.col("reasons").str.contains(pattern))
    if service:
        cases = cases.filter(pl.col("service_code") == service)
    st.subheader(f"{count(cases.height, 'additional case')}")
    hidden = ctx.run("support_request_counts").item(0, "hidden")
    if hidden:
        st.caption(f"Among the support requests you may see. {hidden_note(hidden)}")
    shown = cases.select(
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
        "contract_id",
    )
    grid(shown)
    download(shown, "additional_cases", ctx)


render(page_context())
