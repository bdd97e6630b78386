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
from dashboard.formats import column_day, day, number, percent
from dashboard.language import N_, _, ngettext, pgettext
from dashboard.query.filters import LINK
from dashboard.rules import EXPIRING_SOON_DAYS, UNUSED_SHARE
from dashboard.text import alert_figure, inert
from dashboard.text import alert_kind_words as kind_words

SEVERITIES = {  # severity -> what it means, for the headline's help (_() where shown)
    "high": N_(
        "Used up, forecast to run out before its package ends, or a contract ending "
        "unrenewed within the nearest threshold."
    ),
    "medium": N_(
        "Nearly used up, much left unused near the end, a contract or package ending "
        "soon, or additional cases this week."
    ),
    "low": N_("A contract or package ending within the wider thresholds: time to plan."),
}
# The thresholds of queries/_derived.sql's alert macros, for the page's words only (the query
# applies the macros; tests/app/test_alerts.py checks the two agree).
NEARLY_USED_SHARE = 0.9
ALERT_ENDING_DAYS = (30, 60, EXPIRING_SOON_DAYS)
RECENT_CASE_DAYS = 7


def method() -> str:
    """How alerts are worked out, in the run's language (its numbers written in it). One
    message with several numbers of days: the rules' thresholds, none of them one."""
    return _(
        "**How alerts are worked out.** An entitlement with a purchased quantity (never a "
        "benefit or an unlimited one) of an active package alerts once it has used {nearly} "
        "of it, and again, instead, at {whole}; when Renewal planning forecasts it to run out "
        "before its package ends; and when it is forecast to leave more than {unused} unused "
        "with under {soon} days left. An active contract not renewed by another, and an active "
        "package, alert when they end within {thresholds} or {last} days (the nearest only). "
        "Additional cases raised in the last {recent} days, today included, alert once per "
        "customer. Newest risk first: by severity, then the day the alert became true (where "
        "it is known), then days left."
    ).format(
        nearly=percent(NEARLY_USED_SHARE),
        whole=percent(1),
        unused=percent(UNUSED_SHARE),
        soon=number(EXPIRING_SOON_DAYS),
        thresholds=", ".join(number(d) for d in ALERT_ENDING_DAYS[:-1]),
        last=number(ALERT_ENDING_DAYS[-1]),
        recent=number(RECENT_CASE_DAYS),
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
PAGE_TITLES = {"renewal": N_("Renewal planning"), "additional-cases": N_("Additional cases")}


def columns() -> dict:
    """The grid's columns, titled in the run's language."""
    return {
        "severity": st.column_config.TextColumn(_("Severity")),
        "alert": st.column_config.TextColumn(_("Alert")),
        "contract_number": st.column_config.TextColumn(_("Contract")),
        "package": st.column_config.TextColumn(_("Package")),
        "entitlement": st.column_config.TextColumn(_("Entitlement")),
        "figure": st.column_config.TextColumn(_("What triggered it"), width="large"),
        "since": st.column_config.DateColumn(_("Since"), format=column_day()),
        "explained_on": st.column_config.TextColumn(_("Explained on")),
        "url": st.column_config.LinkColumn(
            pgettext("a link", "Open"), display_text=pgettext("a link", "Open")
        ),
    }


def severity_words() -> dict[str, str]:
    """Each severity in a word: high -> High."""
    return {
        "high": pgettext("alert severity", "High"),
        "medium": pgettext("alert severity", "Medium"),
        "low": pgettext("alert severity", "Low"),
    }


def render(ctx: Context) -> None:
    st.title(_("Alerts"))
    scope = ctx.viewer.scope  # the whole customer (or every one served): the filters do not apply
    alerts = ctx.run("alerts", filters=scope)
    st.caption(
        _("Data as of {day} · {covered}.").format(day=day(ctx.dataset.as_of), covered=covered(ctx))
    )
    headline(alerts, several=ctx.viewer.customer_id is None)
    with st.columns([1, 2])[0]:  # as wide as its longest choice
        email_me(ctx.dataset.home, ctx.viewer.user_id, None, key="alerts_email")
    if alerts.is_empty():
        # two numbers of days, the rules' thresholds, none of them one: one message
        st.success(
            _(
                "Nothing needs attention: no entitlement is running low or forecast to run out, "
                "no contract or package ends within {soon} days, and no additional case was "
                "raised in the last {recent} days."
            ).format(soon=number(EXPIRING_SOON_DAYS), recent=number(RECENT_CASE_DAYS)),
            icon=":material/check_circle:",
        )
        st.markdown(method())
        return
    alerts = worded_figures(alerts)
    picked = pick_kinds(alerts)
    shown = with_links(ctx, picked)
    several = ctx.viewer.is_account_manager and ctx.viewer.customer_id is None
    kept_columns = [c for c in SHOWN if c != "customer_name" or several]
    worded = pl.col("severity").replace_strict(
        severity_words(), default=pl.col("severity").str.to_titlecase(), return_dtype=pl.String
    )
    grid(
        shown.with_columns(worded).select(kept_columns),
        key="alerts",
        pinned=("alert",),
        column_config=columns(),
    )
    st.caption(_("Open leads to the page that explains the alert, with its filters."))
    # the query's columns, with the link whole (the customer's too, for an account manager)
    listed = [c for c in alerts.columns if not c.startswith(FIGURE_PARTS)]
    kept = shown.select(listed).with_columns(link=shown.get_column("url"))
    download(kept, _("alerts"), replace(ctx, filters=scope))
    st.markdown(method())


FIGURE_PARTS = "figure_"  # the query's parts of `figure`, worded here, not listed


def worded_figures(alerts: pl.DataFrame) -> pl.DataFrame:
    """`alerts` with what triggered each written in the run's language (alert_figure)."""
    said = [alert_figure(alert) for alert in alerts.iter_rows(named=True)]
    return alerts.with_columns(figure=pl.Series("figure", said, dtype=pl.String))


def covered(ctx: Context) -> str:
    """What the alerts cover, in words (the customer's name made inert)."""
    viewer = ctx.viewer
    if viewer.is_account_manager and viewer.customer_id is None:
        return _("every customer you serve ({n})").format(n=number(viewer.customers.height))
    if viewer.is_account_manager:
        return _("{customer}, every workspace").format(customer=inert(viewer.customer_name))
    return _("{customer}, all your workspaces").format(customer=inert(viewer.customer_name))


def headline(alerts: pl.DataFrame, several: bool) -> None:
    """Counts by severity; across several customers, how many have alerts."""
    row = figure_row()
    counted = alerts.get_column("severity").value_counts()
    by_severity = dict(counted.iter_rows())
    named = severity_words()
    for severity, meaning in SEVERITIES.items():
        row.metric(named[severity], number(by_severity.get(severity, 0)), help=_(meaning))
    if several:
        customers = alerts.get_column("customer_id").n_unique()
        row.metric(_("Customers with alerts"), number(customers))


def pick_kinds(alerts: pl.DataFrame) -> pl.DataFrame:
    """The alerts of the kinds picked (none picked: every kind), each with its kind in words."""
    worded = alerts.with_columns(
        alert=pl.col("alert_kind").map_elements(kind_words, return_dtype=pl.String)
    )
    kinds = worded.group_by("alert", maintain_order=True).len()
    labels = {row["alert"]: f"{row['alert']} ({row['len']})" for row in kinds.iter_rows(named=True)}
    picked = st.pills(
        _("Show only"),
        list(labels),
        selection_mode="multi",
        format_func=labels.get,
        key="alert_kinds",
        help=_("Pick kinds of alert to list only those; none picked lists every alert."),
    )
    if not picked:
        return worded
    narrowed = worded.filter(pl.col("alert").is_in(picked))
    st.caption(
        ngettext(
            "{n} alert of {all} listed.", "{n} alerts of {all} listed.", narrowed.height
        ).format(n=number(narrowed.height), all=number(alerts.height))
    )
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
    titles = {page: _(title) for page, title in PAGE_TITLES.items()}
    return alerts.with_columns(
        explained_on=pl.col("page").replace_strict(titles, default=pl.col("page")),
        url=pl.Series("url", urls, dtype=pl.String),
    )


if __name__ == "__main__":  # drawn as a page; imported by the tests for its words
    render(page_context())
