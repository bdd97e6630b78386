"""Reactive, advisory and proactive support: support requests and proactive deliveries."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.app import charts
from dashboard.app.results import Context, page_context
from dashboard.app.tables import listing
from dashboard.app.views.common import against_purchased, entitlements_of, figure_row, scope_line
from dashboard.formats import amount, count, number
from dashboard.ingest.schema import CATEGORY_LABELS
from dashboard.text import hidden_note


def render(ctx: Context) -> None:
    st.title("Support and proactive services")
    scope_line(ctx)
    headline(ctx)
    st.subheader("Hours against purchased")
    against_purchased(entitlements_of(ctx, "reactive", "advisory", "proactive"), "support hours")
    by_month(ctx)
    support_requests(ctx)
    proactive_deliveries(ctx)


def headline(ctx: Context) -> None:
    totals = {row["case_type"]: row for row in ctx.run("support_totals").iter_rows(named=True)}
    deliveries = ctx.run("delivery_totals")
    delivered = deliveries.get_column("status") == "delivered"  # a Series: a few rows
    hours = deliveries.get_column("hours_delivered").filter(delivered).sum()
    done = deliveries.get_column("counted").filter(delivered).sum()
    on_benefits = deliveries.get_column("deliveries").filter(delivered).sum() - done
    row = figure_row()
    for kind in ("reactive", "advisory"):
        figures = totals.get(kind, {"requests": 0, "hours": 0})
        row.metric(
            f"{kind.capitalize()} hours",
            amount(figures["hours"]),
            help=f"{count(figures['requests'], 'support request')} opened in the date range, "
            "all counted, whether or not you may see them.",
        )
    row.metric(
        "Proactive hours delivered",
        amount(hours),
        help=f"{count(done, 'delivery', 'deliveries')} made in the date range"
        + (
            f"; {on_benefits:,} more on {'a benefit' if on_benefits == 1 else 'benefits'} "
            f"{'is' if on_benefits == 1 else 'are'} listed below and not counted."
            if on_benefits
            else "."
        ),
    )
    said = seen_and_hidden(ctx.run("support_request_counts").row(0, named=True))
    if said:
        st.caption(said)


def seen_and_hidden(counts: dict) -> str:
    """Under the figures: how many of the support requests they count the viewer's permissions
    hide, and how many of those the viewer sees were shared with them (nothing of either when
    none): said, not given a figure of its own."""
    said = []
    if counts["hidden"]:
        said.append(
            "The hours above count every support request, including the "
            f"{number(counts['hidden'])} hidden by your permissions."
        )
    if counts["shared"]:
        said.append(
            f"You may see {count(counts['visible'], 'support request')}, "
            f"{number(counts['shared'])} shared with you."
        )
    return " ".join(said)


def by_month(ctx: Context) -> None:
    st.subheader("Support hours by month")
    monthly = ctx.run("support_by_month")
    if monthly.is_empty():
        st.info("No support request opened in this date range.")
        return
    # named as the bars of Enterprise-wide name them: Reactive support, Advisory support
    named = monthly.select(
        "month", pl.col("case_type").replace(CATEGORY_LABELS).alias("status"), "hours"
    )
    chart = charts.monthly_by_status(named, "hours", "hours", kind="Support")
    charts.draw(chart, width="stretch")
    st.caption("Every support request counts here, including those hidden from you.")


def support_requests(ctx: Context) -> None:
    st.subheader("Support requests")
    st.caption("Support requests raised in the workspaces picked.")
    # the totals per type count what the list holds: the visible ones, and those hidden
    totals = ctx.run("support_totals")
    hidden, visible = totals.get_column("hidden").sum(), totals.get_column("visible").sum()
    if hidden:
        st.caption(hidden_note(hidden))
    if not visible:
        st.info("No support request that you may see in this selection.")
        return
    # the number, when and the hours first, so that they show without scrolling; whether it
    # was shared with the viewer only where some were
    shared = ["shared_with_you"] if ctx.run("support_request_counts").item(0, "shared") else []
    columns = [
        "case_id",
        "created_at",
        "hours",
        "case_type",
        "status",
        *shared,
        "title",
        "severity",
        "service_code",
        "closed_at",
        "primary_contact",
        "workspace_id",
        "contract",
    ]
    listing(ctx, "support_requests", columns, "support requests", total=visible)


# the proactive deliveries by status, listed one status at a time: what was delivered (newest
# first), what is booked (soonest first) and what was called off
DELIVERY_STATUSES = {"delivered": "Delivered", "scheduled": "Scheduled", "cancelled": "Cancelled"}
LISTED = {
    "delivered": "deliveries made",
    "scheduled": "deliveries booked",
    "cancelled": "cancelled deliveries",
}


def proactive_deliveries(ctx: Context) -> None:
    st.subheader("Proactive deliveries")
    per_status = dict(ctx.run("delivery_totals").select("status", "deliveries").iter_rows())
    if not sum(per_status.values()):
        st.info("No proactive delivery in this selection.")
        return
    status = st.segmented_control(
        "Status",
        list(DELIVERY_STATUSES),
        default="delivered",
        required=True,
        format_func=lambda s: f"{DELIVERY_STATUSES[s]} ({per_status.get(s, 0):,})",
        key="proactive-status",
        label_visibility="collapsed",
    )
    total = per_status.get(status, 0)
    if not total:
        st.info(f"No {status} proactive delivery in this selection.")
        return
    scheduled = status == "scheduled"
    # the day and the figures first, so that they show without scrolling
    delivered = ["hours_delivered"] if status == "delivered" else []
    columns = [
        "date",
        "quantity",
        *delivered,
        "title",
        "delivered_by",
        "entitlement",
        "package_name",
        "contract_number",
    ]
    listing(
        ctx,
        "proactive_deliveries",
        columns,
        LISTED[status],
        order="soonest first" if scheduled else "newest first",
        total=total,
        found_by=("delivery number", "title"),
        delivery_status=status,
    )


render(page_context())
