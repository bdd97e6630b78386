"""Enterprise-wide: active contracts, headline figures, consumption against purchased with a
drill-down, and consumption by month."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.app import charts
from dashboard.app.changes_section import changed_since
from dashboard.app.drill_down import DrillDown
from dashboard.app.guarded import own_rerun
from dashboard.app.results import Context, page_context
from dashboard.app.sidebar import package_label
from dashboard.app.tables import download, grid
from dashboard.app.views.common import figure_row, scope_line
from dashboard.formats import amount, count, day, days, number, percent
from dashboard.rules import EXPIRING_SOON_DAYS
from dashboard.text import inert

NOT_RENEWED = "Not renewed"  # what the active contracts' Renewed by says of one not renewed
UNITS = "units"  # the consumption chart's part of its drill-down: one chart of every unit


def render(ctx: Context) -> None:
    st.title("Enterprise-wide")
    scope_line(ctx)
    contracts = ctx.run("active_contracts")
    consumption = ctx.run("enterprise_consumption")
    headline(ctx, contracts, consumption)
    active_contracts(ctx, contracts)
    lapsed_workspaces(ctx)
    consumption_against_purchased(ctx, consumption)
    consumption_by_month(ctx)
    changed_since(ctx)


def headline(ctx: Context, contracts: pl.DataFrame, consumption: pl.DataFrame) -> None:
    packages = ctx.run("packages")
    # Series, not frame filters: each of these is a few rows (see charts._in_unit)
    active = packages.get_column("state") == "active"
    expiring = (packages.get_column("expiring_soon") & active).sum()
    cases = ctx.run("support_request_counts").row(0, named=True)
    row = figure_row()
    row.metric("Active contracts", number(contracts.height))
    row.metric("Soonest contract end", **soonest_end(contracts))
    dated = ctx.filters.dated
    row.metric(**hours_used(consumption, dated))
    if dated:  # beside the whole-term figure, the one the dates narrow
        row.metric(**hours_used_in_the_dates(ctx))
    row.metric(
        "Packages expiring soon",  # the days are in its help: a short label
        number(expiring),
        help=f"Active packages that end within {EXPIRING_SOON_DAYS} days of the as-of day "
        "(listed below).",
    )
    hidden = f" ({number(cases['hidden'])} hidden by your permissions)" if cases["hidden"] else ""
    opened = count(cases["visible"], "support request")
    st.caption(f"{opened} opened in the date range{hidden}.")
    if expiring:
        with st.expander(f"Packages expiring soon ({number(expiring)})"):
            soon = packages.filter(packages.get_column("expiring_soon") & active)
            st.markdown(
                "\n".join(
                    f"- {inert(p['contract_number'])} · {inert(p['name'])}: ends "
                    f"{day(p['end_date'])}, {count(p['days_left'], 'day')} left"
                    for p in soon.sort("days_left").iter_rows(named=True)
                )
            )


def hours_used(consumption: pl.DataFrame, dated: bool) -> dict:
    """The "Enterprise hours used" figure: what share of the hours purchased was used over the
    whole term, and the hours over; with dates picked, its label says it ignores them."""
    in_hours = consumption.get_column("unit") == "hours"
    used = consumption.get_column("used").filter(in_hours).sum()
    no_limit = consumption.get_column("used_without_limit").filter(in_hours).sum()
    purchased = consumption.get_column("purchased").filter(in_hours).sum()
    over = consumption.get_column("overage").filter(in_hours).sum()
    help_text = (
        f"{amount(used - no_limit)} of {amount(purchased)} reactive, advisory and proactive "
        "hours of the active enterprise packages, whole term"
        + (", whatever the dates" if dated else "")
        + (
            f"; {amount(over)} hours used or scheduled past what their own entitlements "
            "purchased, never offset by what others have left"
            if over
            else ""
        )
        + (
            f"; {amount(no_limit)} more on entitlements with no limit, not counted"
            if no_limit
            else ""
        )
        + "."
    )
    return {
        "label": "Enterprise hours used" + (" (whole term, whatever the dates)" if dated else ""),
        "value": percent((used - no_limit) / purchased) if purchased else "—",
        "delta": f"{amount(over)} hours over" if over else None,
        "delta_color": "red",
        "delta_arrow": "off",
        "help": help_text,
    }


def hours_used_in_the_dates(ctx: Context) -> dict:
    """The hours used in the activity dates picked, on the entitlements the whole-term figure
    counts (those with no limit too: the monthly figures do not tell them apart)."""
    monthly = ctx.run("monthly_consumption")
    hours = monthly.filter(pl.col("unit") == "hours").get_column("amount").sum()
    span = days(ctx.filters.date_from, ctx.filters.date_to)
    return {
        "label": "Hours used in the dates",
        "value": amount(hours),
        "delta": span,
        "delta_color": "off",
        "delta_arrow": "off",
        "help": "Reactive, advisory and proactive hours used on the active enterprise packages "
        f"in the dates picked ({span}): support requests on the day they were opened, proactive "
        "services on the day they were delivered; entitlements with no limit included.",
    }


def soonest_end(contracts: pl.DataFrame) -> dict:
    """The "Soonest contract end" figure: days left of the first active contract to end that no
    other contract renews (`contracts` is soonest to end first), with that contract's number."""
    due = next((r for r in contracts.iter_rows(named=True) if not r["renewed"]), None)
    if due is None and contracts.height:
        return {"value": "All renewed", "help": "Every active contract in view is renewed."}
    if due is None:
        return {"value": "—", "help": "No active contract in view."}
    which = inert(due["contract_number"])
    return {
        "value": count(due["days_left"], "day"),
        "delta": which,
        "delta_color": "off",
        "delta_arrow": "off",
        "help": f"Days from the as-of day to the end of {which} ({day(due['end_date'])}): the "
        "first active contract to end that no other contract renews.",
    }


def active_contracts(ctx: Context, contracts: pl.DataFrame) -> None:
    st.subheader("Active contracts")
    if contracts.is_empty():
        st.info("There is no active contract in this selection.")
        return
    # said in words rather than left empty: an empty cell reads as unknown, and the grid sizes
    # a column by its cells, taking one name among empty ones for a stray and cutting it short
    shown = contracts.select(*CONTRACT_FIELDS, pl.col("renewed_by").fill_null(NOT_RENEWED))
    grid(shown, column_order=CONTRACT_COLUMNS, pinned=("contract_number",))
    download(shown, "active_contracts", ctx)


# the contracts' columns as the CSV has them, whether renewed last (the grid reorders them)
CONTRACT_FIELDS = (
    "contract_number",
    "name",
    "workspace_name",
    "start_date",
    "end_date",
    "days_left",
    "expiring_soon",
)
# which contract, when it ends and whether it is renewed first (a phone shows the first two);
# its name, long, after them
CONTRACT_COLUMNS = (
    "contract_number",
    "days_left",
    "end_date",
    "renewed_by",
    "expiring_soon",
    "workspace_name",
    "name",
    "start_date",
)


def lapsed_workspaces(ctx: Context) -> None:
    lapsed = ctx.run("lapsed_workspaces")
    if lapsed.is_empty():
        return
    st.subheader("Lapsed workspaces")
    st.caption(
        "Workspaces in view with contracts, none of them active or upcoming: the last contract "
        "to end, and the support requests opened there in the date range that you may see."
    )
    shown = lapsed.select(
        "workspace_name", "last_contract_number", "last_contract_end", "support_requests"
    )
    grid(shown)
    download(shown, "lapsed_workspaces", ctx)


@own_rerun  # a bar clicked redraws this chart and its list, not the page's other charts
def consumption_against_purchased(ctx: Context, consumption: pl.DataFrame) -> None:
    st.subheader("Consumption against purchased")
    no_limit = charts.any_without_limit(consumption)
    over = charts.any_over(consumption)
    st.caption(
        "Active enterprise packages, whole term. Used, scheduled and remaining; the dark mark is "
        "what was purchased"
        + (
            "; overage past an entitlement's own purchase, never offset by what another has "
            "left, comes after it in red"
            if over
            else ""
        )
        + ("; use on entitlements with no limit comes after it" if no_limit else "")
        + ". Click a bar to list its entitlements below; click it again to clear."
    )
    if consumption.is_empty():
        nothing_charted(ctx)
        return
    drill = DrillDown("category", consumption.get_column("category"))
    # every unit's bars in one view, with one selection across them: each Vega view costs the
    # browser tens of milliseconds to draw
    event = charts.draw(
        charts.consumption_by_unit(consumption, picked=drill.initial),
        on_select="rerun",
        selection_mode=charts.SELECTION,
        key=drill.key(UNITS),
        width="stretch",
    )
    drill.clicked(UNITS, charts.picked(event, "category"))
    picked = drill.picks
    entitlements = ctx.run("enterprise_entitlements")
    if picked:
        entitlements = entitlements.filter(pl.col("category").is_in(picked))
        labels = ", ".join(charts.CATEGORY_LABELS.get(c, c) for c in picked)
        left, right = st.columns([4, 1])
        left.markdown(f"**Entitlements: {inert(labels)}**")  # the picks come from the browser
        right.button("Clear selection", icon=":material/close:", on_click=drill.clear)
    else:
        st.markdown("**All entitlements behind the bars**")
    shown = entitlements.select(ENTITLEMENT_FIELDS)
    grid(shown, column_order=ENTITLEMENT_COLUMNS, pinned=("entitlement",))
    download(shown, "enterprise_entitlements", ctx)


# the entitlements' columns as the CSV has them (the grid reorders them)
ENTITLEMENT_FIELDS = (
    "category",
    "unit",
    "contract_number",
    "package_name",
    "entitlement",
    "purchased",
    "used",
    "scheduled",
    "remaining",
    "utilisation",
    "days_left",
)
# the entitlement and how much of it is used and left first; where it belongs after (the CSV
# keeps the query's order, which readers of it rely on)
ENTITLEMENT_COLUMNS = (
    "entitlement",
    "utilisation",
    "remaining",
    "used",
    "purchased",
    "contract_number",
    "scheduled",
    "days_left",
    "unit",
    "category",
    "package_name",
)


def consumption_by_month(ctx: Context) -> None:
    st.subheader("Consumption by month")
    monthly = ctx.run("monthly_consumption")
    if monthly.is_empty():
        nothing_charted(ctx, by_month=True)
        return
    charts.draw(charts.monthly_by_unit(monthly), width="stretch")  # every unit's, in one view
    with st.expander("The figures behind the chart"):
        grid(monthly)
        download(monthly, "monthly_consumption", ctx)


def nothing_charted(ctx: Context, by_month: bool = False) -> None:
    """Why a consumption section charts nothing, and what to pick instead. Both chart the
    active enterprise packages of the active contracts in view, whatever the package status
    picked; by month, their use in the date range."""
    reason = no_active_enterprise_package(ctx)
    if reason is None and not by_month:
        st.info("The active enterprise packages in this selection have nothing to chart.")
    elif reason is None:
        st.info(unused_in_the_date_range(ctx))
    elif by_month:
        st.info("Nothing to chart by month either: see Consumption against purchased above.")
    else:
        text, on_addons = reason
        st.info(text, icon=":material/filter_alt:")
        if on_addons:
            st.page_link(
                "views/addons.py",
                label="Open Add-on packages",
                icon=":material/extension:",
                query_params=[(k, v) for k in st.query_params for v in st.query_params.get_all(k)],
            )


def no_active_enterprise_package(ctx: Context) -> tuple[str, bool] | None:
    """Why the selection holds no active enterprise package, in words with what to pick instead,
    and whether Add-on packages shows what was picked; None when it holds one."""
    f, packages = ctx.filters, ctx.run("packages")
    enterprise = packages.filter(pl.col("scope") == "enterprise")
    picked = (
        packages.filter(pl.col("package_id") == f.package).rows(named=True) if f.package else []
    )
    if picked and picked[0]["scope"] != "enterprise":
        status = picked[0]["status"]  # active or inactive, as the package status filter reads
        unseen = f.status not in ("all", status)
        return (
            f"{inert(package_label(picked[0]))} is an add-on package: Enterprise-wide shows "
            "enterprise packages only. Add-on packages shows it, with the same filters"
            + (
                f"; it is {picked[0]['state']}: pick Package status “{status.capitalize()}” "
                "or “All” to see it there."
                if unseen
                else "."
            ),
            True,
        )
    if picked and picked[0]["state"] != "active":
        return (
            f"{inert(package_label(picked[0]))} is {picked[0]['state']}: Enterprise-wide shows "
            "active enterprise packages only. Pick an active one under Package, or All packages.",
            False,
        )
    if picked or (enterprise.get_column("state") == "active").any():
        return None
    states = " or ".join(sorted(set(enterprise.get_column("state"))))
    if f.contract:
        number = packages.filter(pl.col("contract_id") == f.contract).get_column("contract_number")
        which = f"Contract {inert(number[0])}" if number.len() else "The contract picked"
        return (
            f"{which} has no active enterprise package"
            + (f": its enterprise packages are {states}" if states else "")
            + ". Enterprise-wide shows active ones only: pick an active contract under Contract, "
            "or All contracts.",
            False,
        )
    if f.workspaces:
        return (
            "The workspaces picked hold no active enterprise package"
            + (f": their enterprise packages are {states}" if states else "")
            + ". Enterprise-wide shows active ones only: pick other workspaces, or none for all.",
            False,
        )
    return "None of your workspaces holds an active enterprise package.", False


def unused_in_the_date_range(ctx: Context) -> str:
    """No use of the active enterprise packages in the date range picked (or ever, with no
    dates): before their terms began, or none recorded in it; with what to pick instead."""
    f, packages = ctx.filters, ctx.run("packages")
    if not f.dated:
        return "No use of the active enterprise packages in this selection yet."
    terms = packages.filter(
        (pl.col("scope") == "enterprise")
        & (pl.col("state") == "active")
        & (pl.col("package_id") == f.package if f.package else pl.lit(True))
    )
    began = terms.get_column("start_date").min()
    if began is not None and f.date_to is not None and f.date_to < began:
        return (
            "No use of the active enterprise packages in this date range: the first of their "
            f"terms began on {day(began)}, after it ends. Support requests are "
            "counted on every package, expired ones too. Pick days from then on, or the Range "
            "“Every date”."
        )
    return (
        "No use of the active enterprise packages in this date range. Support requests are "
        "counted on every package, expired ones too; the Range “Every date” shows all their use."
    )


render(page_context())
