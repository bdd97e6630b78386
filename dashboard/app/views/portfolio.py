"""My customers: an account manager's book at a glance. Whose renewal comes next and who is at
risk, each customer's contracts on a renewal timeline, and enterprise hours used against
purchased; a row opens that customer's pages."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import streamlit as st

from dashboard.app import charts, pages
from dashboard.app.results import Context, page_context
from dashboard.app.tables import download, grid
from dashboard.app.views.common import figure_row
from dashboard.formats import count, day, number
from dashboard.language import _, ngettext
from dashboard.query.filters import LINK, Filters
from dashboard.rules import EXPIRING_SOON_DAYS

EVERY_CUSTOMER = Filters()  # no customer picked: the portfolio spans every one served
VISIT = "portfolio_visit"  # a new table (no row picked) each time the page is come back to
TIMELINE_MONTHS = 12
# what each row is and when its renewal comes, then what needs attention: the figures come
# before the long outlook, which on a laptop with the sidebar open pushed "Days left" out of view
KEY_COLUMNS = ("customer_name", "days_left", "next_contract_end", "outlook")


def render(ctx: Context) -> None:
    st.title(_("My customers"))
    portfolio = ctx.run("portfolio", filters=EVERY_CUSTOMER)
    st.caption(
        ngettext(
            "Data as of {day} · the {n} customer you serve, each as its customer admin sees it "
            "(every workspace, active packages). The sidebar's filters are about one customer: "
            "they do not apply here.",
            "Data as of {day} · the {n} customers you serve, each as its customer admin sees it "
            "(every workspace, active packages). The sidebar's filters are about one customer: "
            "they do not apply here.",
            portfolio.height,
        ).format(day=day(ctx.dataset.as_of), n=number(portfolio.height))
    )
    headline(portfolio)
    renewals(ctx, portfolio)
    renewal_timeline(ctx)
    hours(ctx)


def headline(portfolio: pl.DataFrame) -> None:
    row = figure_row()
    row.metric(_("Customers"), number(portfolio.height))
    ending = portfolio.filter(pl.col("days_left").is_between(0, EXPIRING_SOON_DAYS)).height
    soon = number(EXPIRING_SOON_DAYS)
    row.metric(
        ngettext("Renewals within {n} day", "Renewals within {n} days", EXPIRING_SOON_DAYS).format(
            n=soon
        ),
        number(ending),
        help=ngettext(
            "Customers whose earliest active contract not yet renewed ends within {n} day.",
            "Customers whose earliest active contract not yet renewed ends within {n} days.",
            EXPIRING_SOON_DAYS,
        ).format(n=soon),
    )
    at_risk = portfolio.filter(
        (pl.col("will_run_out") > 0) | (pl.col("overdrawn_entitlements") > 0)
    )
    row.metric(
        _("At risk"),
        number(at_risk.height),
        help=_(
            "Customers with an entitlement forecast to run out before its package ends, or "
            "already used past what was purchased."
        ),
    )
    row.metric(
        _("Additional cases, last 90 days"),
        number(int(portfolio.get_column("additional_cases_90d").sum())),
    )


def outlook(portfolio: pl.DataFrame) -> pl.Series:
    """What needs attention at each customer, in words: `3 will run out · 1 overdrawn`."""
    said = []
    for row in portfolio.iter_rows(named=True):
        parts = [
            ngettext("{n} will run out", "{n} will run out", row["will_run_out"]).format(
                n=number(row["will_run_out"])
            )
            if row["will_run_out"]
            else "",
            ngettext("{n} overdrawn", "{n} overdrawn", row["overdrawn_entitlements"]).format(
                n=number(row["overdrawn_entitlements"])
            )
            if row["overdrawn_entitlements"]
            else "",
            count(row["packages_expiring_soon"], "{n} package ending", "{n} packages ending")
            if row["packages_expiring_soon"]
            else "",
        ]
        said.append(" · ".join(p for p in parts if p) or _("On track"))
    return pl.Series("outlook", said, dtype=pl.String)


def renewals(ctx: Context, portfolio: pl.DataFrame) -> None:
    st.subheader(_("Whose renewal comes next"))
    if portfolio.is_empty():
        st.info(_("You serve no customer on the data's as-of day."))
        return
    shown = portfolio.with_columns(outlook(portfolio)).select(
        *KEY_COLUMNS,
        "active_contracts",
        "enterprise_hours_used",
        "enterprise_hours_purchased",
        "enterprise_hours_utilisation",
        "will_run_out",
        "overdrawn_entitlements",
        "packages_expiring_soon",
        "additional_cases_90d",
    )
    st.caption(_("Soonest contract end first. Pick a row to open that customer's pages."))
    visit = st.session_state.get(VISIT, 0)
    event = grid(
        shown,
        key=f"portfolio-{visit}",
        pinned=("customer_name",),
        on_select="rerun",
        selection_mode="single-row",
    )
    # named after what it holds, every customer unfiltered: not after a customer's filters
    download(portfolio, _("portfolio"), replace(ctx, filters=EVERY_CUSTOMER))
    rows = event.selection.rows if event else []
    if rows:
        st.session_state[VISIT] = visit + 1
        customer = portfolio.item(rows[0], "customer_id")
        st.switch_page(pages.HOME.file, query_params={LINK["customer"]: customer})


def renewal_timeline(ctx: Context) -> None:
    st.subheader(
        ngettext(
            "Renewals in the next {n} month", "Renewals in the next {n} months", TIMELINE_MONTHS
        ).format(n=number(TIMELINE_MONTHS))
    )
    contracts = ctx.run("portfolio_contracts", filters=EVERY_CUSTOMER)
    if contracts.is_empty():
        st.info(_("None of your customers has an active contract."))
        return
    st.caption(
        ngettext(
            "Each customer's active contracts, whose renewal comes first at the top, against the "
            "as-of day (the dashed line); where terms overlap, the first to end is drawn over "
            "the others. Contracts ending within {n} day and not renewed are marked.",
            "Each customer's active contracts, whose renewal comes first at the top, against the "
            "as-of day (the dashed line); where terms overlap, the first to end is drawn over "
            "the others. Contracts ending within {n} days and not renewed are marked.",
            EXPIRING_SOON_DAYS,
        ).format(n=number(EXPIRING_SOON_DAYS))
    )
    charts.draw(charts.renewal_timeline(contracts, ctx.dataset.as_of, TIMELINE_MONTHS))


def hours(ctx: Context) -> None:
    st.subheader(_("Enterprise hours used against purchased"))
    figures = ctx.run("portfolio_hours", filters=EVERY_CUSTOMER)
    if figures.filter((pl.col("purchased") > 0) | (pl.col("used") > 0)).is_empty():
        st.info(_("None of your customers has enterprise hours in an active package."))
        return
    st.caption(
        _(
            "Every workspace of each customer, as on its Enterprise-wide page: reactive, "
            "advisory and proactive hours of active enterprise packages."
        )
    )
    bars = figures.with_columns(pl.lit("Enterprise hours").alias("category"))  # one per customer
    charts.draw(charts.consumption_bars(bars, label="customer_name", unit="hours"))


render(page_context())
