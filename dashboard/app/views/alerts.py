"""Alerts: what needs attention in the viewer's scope (a customer user's workspaces; an
account manager's customer picked, or every customer they serve), newest risk first, each
row linking to the page that explains it. The rules are queries/alerts.sql's."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import polars as pl
import streamlit as st

from dashboard.app.identity import AS_PARAM
from dashboard.app.results import Context, page_context
from dashboard.app.subscribe_control import email_me
from dashboard.app.tables import download, grid
from dashboard.app.views.common import figure_row
from dashboard.formats import count, day, percent
from dashboard.query.filters import LINK
from dashboard.rules import EXPIRING_SOON_DAYS, UNUSED_SHARE
from dashboard.text import alert_kind_words as kind_words
from dashboard.text import inert

SEVERITIES = {  # severity -> what it means, for the headline's help
    "high": "Used up, forecast to run out before its package ends, or a contract ending "
    "unrenewed within the nearest threshold.",
    "medium": "Nearly used up, much left unused near the end, a contract or package ending "
    "soon, or additional cases this week.",
    "low": "A contract or package ending within the wider thresholds: time to plan.",
}
# The thresholds of queries/_derived.sql's alert macros, for the page's words only (the query
# applies the macros; tests/app/test_alerts.py checks the two agree).
NEARLY_USED_SHARE = 0.9
ALERT_ENDING_DAYS = (30, 60, EXPIRING_SOON_DAYS)
RECENT_CASE_DAYS = 7
METHOD = (
    "**How alerts are worked out.** An entitlement with a purchased quantity (never a benefit "
    "or an unlimited one) of an active package alerts once it has used "
    f"{percent(NEARLY_USED_SHARE)} of it, and again, instead, at 100%; when Renewal planning "
    "forecasts it to run out before "
    f"its package ends; and when it is forecast to leave more than {percent(UNUSED_SHARE)} "
    f"unused with under {EXPIRING_SOON_DAYS} days left. An active contract not renewed by "
    "another, and an active package, alert when they end within "
    + ", ".join(str(d) for d in ALERT_ENDING_DAYS[:-1])
    + f" or {ALERT_ENDING_DAYS[-1]} days (the nearest only). Additional cases raised in the "
    f"last {RECENT_CASE_DAYS} days, today included, alert once per customer. Newest risk first: "
    "by severity, then the day the alert became true (where it is known), then days left."
)
SHOWN = (  # the grid's columns, in order; customer_name only across several customers
    "alert",
    "severity",
    "url",
    "customer_name",
    "figure",
    "contract_number",
    "package",
    "entitlement",
    "since",
    "days_left",
    "explained_on",
)
PAGE_TITLES = {"renewal": "Renewal planning", "additional-cases": "Additional cases"}
COLUMNS = {
    "severity": st.column_config.TextColumn("Severity"),
    "alert": st.column_config.TextColumn("Alert"),
    "contract_number": st.column_config.TextColumn("Contract"),
    "package": st.column_config.TextColumn("Package"),
    "entitlement": st.column_config.TextColumn("Entitlement"),
    "figure": st.column_config.TextColumn("What triggered it", width="large"),
    "since": st.column_config.DateColumn("Since", format="D MMM YYYY"),
    "explained_on": st.column_config.TextColumn("Explained on"),
    "url": st.column_config.LinkColumn("Open", display_text="Open"),
}


def render(ctx: Context) -> None:
    st.title("Alerts")
    scope = ctx.viewer.scope  # the whole customer (or every one served): the filters do not apply
    alerts = ctx.run("alerts", filters=scope)
    st.caption(inert(f"Data as of {day(ctx.dataset.as_of)} · {covered(ctx)}."))
    headline(alerts, several=ctx.viewer.customer_id is None)
    with st.columns([1, 2])[0]:  # as wide as its longest choice
        email_me(ctx.dataset.home, ctx.viewer.user_id, None, key="alerts_email")
    if alerts.is_empty():
        st.success(
            "Nothing needs attention: no entitlement is running low or forecast to run out, no "
            f"contract or package ends within {EXPIRING_SOON_DAYS} days, and no additional case "
            f"was raised in the last {RECENT_CASE_DAYS} days.",
            icon=":material/check_circle:",
        )
        st.markdown(METHOD)
        return
    picked = pick_kinds(alerts)
    shown = with_links(ctx, picked)
    several = ctx.viewer.is_account_manager and ctx.viewer.customer_id is None
    columns = [c for c in SHOWN if c != "customer_name" or several]
    grid(
        shown.with_columns(pl.col("severity").str.to_titlecase()).select(columns),
        key="alerts",
        pinned=("alert",),
        column_config=COLUMNS,
    )
    st.caption("Open leads to the page that explains the alert, with its filters.")
    # the query's columns, with the link whole (the customer's too, for an account manager)
    kept = shown.select(*alerts.columns).with_columns(link=shown.get_column("url"))
    download(kept, "alerts", replace(ctx, filters=scope))
    st.markdown(METHOD)


def covered(ctx: Context) -> str:
    """What the alerts cover, in words."""
    viewer = ctx.viewer
    if viewer.is_account_manager and viewer.customer_id is None:
        return f"every customer you serve ({viewer.customers.height})"
    if viewer.is_account_manager:
        return f"{viewer.customer_name}, every workspace"
    return f"{viewer.customer_name}, all your workspaces"


def headline(alerts: pl.DataFrame, several: bool) -> None:
    """Counts by severity; across several customers, how many have alerts."""
    row = figure_row()
    counted = alerts.get_column("severity").value_counts()
    by_severity = dict(counted.iter_rows())
    for severity, meaning in SEVERITIES.items():
        row.metric(severity.capitalize(), f"{by_severity.get(severity, 0):,}", help=meaning)
    if several:
        customers = alerts.get_column("customer_id").n_unique()
        row.metric("Customers with alerts", f"{customers:,}")


def pick_kinds(alerts: pl.DataFrame) -> pl.DataFrame:
    """The alerts of the kinds picked (none picked: every kind), each with its kind in words."""
    worded = alerts.with_columns(
        alert=pl.col("alert_kind").map_elements(kind_words, return_dtype=pl.String)
    )
    kinds = worded.group_by("alert", maintain_order=True).len()
    labels = {row["alert"]: f"{row['alert']} ({row['len']})" for row in kinds.iter_rows(named=True)}
    picked = st.pills(
        "Show only",
        list(labels),
        selection_mode="multi",
        format_func=labels.get,
        key="alert_kinds",
        help="Pick kinds of alert to list only those; none picked lists every alert.",
    )
    if not picked:
        return worded
    narrowed = worded.filter(pl.col("alert").is_in(picked))
    st.caption(f"{count(narrowed.height, 'alert')} of {alerts.height:,} listed.")
    return narrowed


def with_links(ctx: Context, alerts: pl.DataFrame) -> pl.DataFrame:
    """`alerts` with the page that explains each (`explained_on`) and a relative link to it
    (`url`) carrying the alert's filters, the customer for an account manager, and, in demo
    mode, whom the page is viewed as."""
    extra = {}
    kept_as = st.query_params.get(AS_PARAM)
    if kept_as:
        extra[AS_PARAM] = kept_as
    urls = []
    for row in alerts.iter_rows(named=True):
        params = dict(extra)
        if ctx.viewer.is_account_manager:
            params[LINK["customer"]] = row["customer_id"]
        added = urlencode(params)
        urls.append(f"{row['page']}?{row['link']}" + (f"&{added}" if added else ""))
    return alerts.with_columns(
        explained_on=pl.col("page").replace_strict(PAGE_TITLES, default=pl.col("page")),
        url=pl.Series("url", urls, dtype=pl.String),
    )


if __name__ == "__main__":  # drawn as a page; imported by the tests for its words
    render(page_context())
