"""Reactive, advisory and proactive support: support requests and proactive deliveries."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import words
from dashboard.app import charts
from dashboard.app.results import Context, page_context
from dashboard.app.tables import listing
from dashboard.app.views.common import against_purchased, entitlements_of, figure_row, scope_line
from dashboard.formats import amount, number
from dashboard.language import N_, _, ngettext
from dashboard.text import hidden_note

HOURS = {"reactive": N_("Reactive hours"), "advisory": N_("Advisory hours")}


def render(ctx: Context) -> None:
    st.title(_("Support and proactive services"))
    scope_line(ctx)
    headline(ctx)
    st.subheader(_("Hours against purchased"))
    against_purchased(
        entitlements_of(ctx, "reactive", "advisory", "proactive"),
        _("No support hours with a purchased quantity in this selection."),
    )
    by_month(ctx)
    support_requests(ctx)
    proactive_deliveries(ctx)


def headline(ctx: Context) -> None:
    totals = {row["case_type"]: row for row in ctx.run("support_totals").iter_rows(named=True)}
    deliveries = ctx.run("delivery_totals")
    delivered = deliveries.get_column("status") == "delivered"  # a Series: a few rows
    hours = deliveries.get_column("hours_delivered").filter(delivered).sum()
    # whole numbers for the plural forms (the query's sums can arrive as decimals)
    done = int(deliveries.get_column("counted").filter(delivered).sum())
    on_benefits = int(deliveries.get_column("deliveries").filter(delivered).sum()) - done
    row = figure_row()
    for kind in ("reactive", "advisory"):
        figures = totals.get(kind, {"requests": 0, "hours": 0})
        requests = int(figures["requests"])
        opened = ngettext(
            "{n} support request opened in the date range, all counted, whether or not you may "
            "see them.",
            "{n} support requests opened in the date range, all counted, whether or not you may "
            "see them.",
            requests,
        )
        row.metric(
            _(HOURS[kind]),
            amount(figures["hours"]),
            help=opened.format(n=number(requests)),
        )
    row.metric(
        _("Proactive hours delivered"), amount(hours), help=deliveries_said(done, on_benefits)
    )
    said = seen_and_hidden(ctx.run("support_request_counts").row(0, named=True))
    if said:
        st.caption(said)


def deliveries_said(done: int, on_benefits: int) -> str:
    """The help of the proactive hours: how many deliveries they count, and how many more on
    benefits the list below holds that they do not."""
    if not on_benefits:
        said = ngettext(
            "{n} delivery made in the date range.", "{n} deliveries made in the date range.", done
        )
        return said.format(n=number(done))
    more = ngettext(
        "{n} more on a benefit is listed below and not counted.",
        "{n} more on benefits are listed below and not counted.",
        on_benefits,
    ).format(n=number(on_benefits))
    said = ngettext(
        "{n} delivery made in the date range; {more}",
        "{n} deliveries made in the date range; {more}",
        done,
    )
    return said.format(n=number(done), more=more)


def seen_and_hidden(counts: dict) -> str:
    """Under the figures: how many of the support requests they count the viewer's permissions
    hide, and how many of those the viewer sees were shared with them (nothing of either when
    none): said, not given a figure of its own."""
    said = []
    hidden, visible, shared = (int(counts[k]) for k in ("hidden", "visible", "shared"))
    if hidden:
        said.append(
            ngettext(
                "The hours above count every support request, including the {n} hidden by your "
                "permissions.",
                "The hours above count every support request, including the {n} hidden by your "
                "permissions.",
                hidden,
            ).format(n=number(hidden))
        )
    if shared:
        with_you = ngettext("{n} shared with you", "{n} shared with you", shared)
        said.append(
            ngettext(
                "You may see {n} support request, {shared}.",
                "You may see {n} support requests, {shared}.",
                visible,
            ).format(n=number(visible), shared=with_you.format(n=number(shared)))
        )
    return " ".join(said)


def by_month(ctx: Context) -> None:
    st.subheader(_("Support hours by month"))
    monthly = ctx.run("support_by_month")
    if monthly.is_empty():
        st.info(_("No support request opened in this date range."))
        return
    # named as the bars of Enterprise-wide name them: Reactive support, Advisory support
    named = monthly.select(
        "month", pl.col("case_type").replace(words.categories()).alias("status"), "hours"
    )
    chart = charts.monthly_by_status(named, "hours", words.unit("hours"), kind=_("Support"))
    charts.draw(chart, width="stretch")
    st.caption(_("Every support request counts here, including those hidden from you."))


def support_requests(ctx: Context) -> None:
    st.subheader(_("Support requests"))
    st.caption(_("Support requests raised in the workspaces picked."))
    # the totals per type count what the list holds: the visible ones, and those hidden
    totals = ctx.run("support_totals")
    hidden, visible = (int(totals.get_column(c).sum()) for c in ("hidden", "visible"))
    if hidden:
        st.caption(hidden_note(hidden))
    if not visible:
        st.info(_("No support request that you may see in this selection."))
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
DELIVERY_STATUSES = ("delivered", "scheduled", "cancelled")
LISTED = {
    "delivered": "deliveries made",
    "scheduled": "deliveries booked",
    "cancelled": "cancelled deliveries",
}
NONE_OF_STATUS = {
    "delivered": N_("No delivered proactive delivery in this selection."),
    "scheduled": N_("No scheduled proactive delivery in this selection."),
    "cancelled": N_("No cancelled proactive delivery in this selection."),
}


def proactive_deliveries(ctx: Context) -> None:
    st.subheader(_("Proactive deliveries"))
    per_status = dict(ctx.run("delivery_totals").select("status", "deliveries").iter_rows())
    if not sum(per_status.values()):
        st.info(_("No proactive delivery in this selection."))
        return
    status = st.segmented_control(
        _("Status"),
        list(DELIVERY_STATUSES),
        default="delivered",
        required=True,
        format_func=lambda s: f"{words.word(s)} ({number(per_status.get(s, 0))})",
        key="proactive-status",
        label_visibility="collapsed",
    )
    total = per_status.get(status, 0)
    if not total:
        st.info(_(NONE_OF_STATUS[status]))
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
