"""Enterprise-wide: active contracts, headline figures, consumption against purchased with a
drill-down, and consumption by month."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import words
from dashboard.app import charts, pages
from dashboard.app.changes_section import changed_since
from dashboard.app.drill_down import DrillDown
from dashboard.app.guarded import own_rerun
from dashboard.app.results import Context, page_context
from dashboard.app.sidebar import package_label
from dashboard.app.tables import download, grid
from dashboard.app.views.common import figure_row, scope_line
from dashboard.formats import amount, count, day, days, number, percent
from dashboard.language import N_, _, ngettext, pgettext
from dashboard.rules import EXPIRING_SOON_DAYS
from dashboard.text import inert

NOT_RENEWED = N_("Not renewed")  # what the active contracts' Renewed by says of one not renewed
UNITS = "units"  # the consumption chart's part of its drill-down: one chart of every unit


def render(ctx: Context) -> None:
    st.title(_("Enterprise-wide"))
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
    row.metric(_("Active contracts"), number(contracts.height))
    row.metric(_("Soonest contract end"), **soonest_end(contracts))
    dated = ctx.filters.dated
    row.metric(**hours_used(consumption, dated))
    if dated:  # beside the whole-term figure, the one the dates narrow
        row.metric(**hours_used_in_the_dates(ctx))
    row.metric(
        _("Packages expiring soon"),  # the days are in its help: a short label
        number(expiring),
        help=ngettext(
            "Active packages that end within {n} day of the as-of day (listed below).",
            "Active packages that end within {n} days of the as-of day (listed below).",
            EXPIRING_SOON_DAYS,
        ).format(n=number(EXPIRING_SOON_DAYS)),
    )
    st.caption(opened_in_the_dates(cases["visible"], cases["hidden"]))
    if expiring:
        with st.expander(_("Packages expiring soon ({n})").format(n=number(expiring))):
            soon = packages.filter(packages.get_column("expiring_soon") & active)
            st.markdown("\n".join(map(expiring_line, soon.sort("days_left").iter_rows(named=True))))


def opened_in_the_dates(visible: int, hidden: int) -> str:
    """`12 support requests opened in the date range (3 hidden by your permissions).`"""
    if not hidden:
        return ngettext(
            "{n} support request opened in the date range.",
            "{n} support requests opened in the date range.",
            visible,
        ).format(n=number(visible))
    # a phrase of its own: its number governs its own words (1 ukryte, 5 ukrytych)
    unseen = ngettext(
        "{n} hidden by your permissions", "{n} hidden by your permissions", hidden
    ).format(n=number(hidden))
    return ngettext(
        "{n} support request opened in the date range ({hidden}).",
        "{n} support requests opened in the date range ({hidden}).",
        visible,
    ).format(n=number(visible), hidden=unseen)


def expiring_line(package: dict) -> str:
    """A package expiring soon as a list item: `- CN-1 · Support 2026: ends 1 Jan 2027, 30 days
    left`."""
    said = ngettext(
        "{contract} · {package}: ends {day}, {n} day left",
        "{contract} · {package}: ends {day}, {n} days left",
        package["days_left"],
    )
    return "- " + said.format(
        contract=inert(package["contract_number"]),
        package=inert(package["name"]),
        day=day(package["end_date"]),
        n=number(package["days_left"]),
    )


def hours_used(consumption: pl.DataFrame, dated: bool) -> dict:
    """The "Enterprise hours used" figure: what share of the hours purchased was used over the
    whole term, and the hours over; with dates picked, its label says it ignores them."""
    in_hours = consumption.get_column("unit") == "hours"
    used = consumption.get_column("used").filter(in_hours).sum()
    no_limit = consumption.get_column("used_without_limit").filter(in_hours).sum()
    purchased = consumption.get_column("purchased").filter(in_hours).sum()
    over = consumption.get_column("overage").filter(in_hours).sum()
    counted = {"used": amount(used - no_limit), "purchased": amount(purchased)}
    # independent clauses, each its own message, joined as the English joins them
    clauses = [
        _(
            "{used} of {purchased} reactive, advisory and proactive hours of the active "
            "enterprise packages, whole term, whatever the dates"
        ).format(**counted)
        if dated
        else _(
            "{used} of {purchased} reactive, advisory and proactive hours of the active "
            "enterprise packages, whole term"
        ).format(**counted)
    ]
    if over:
        clauses.append(
            _(
                "{over} hours used or scheduled past what their own entitlements purchased, "
                "never offset by what others have left"
            ).format(over=amount(over))
        )
    if no_limit:
        clauses.append(
            _("{amount} more on entitlements with no limit, not counted").format(
                amount=amount(no_limit)
            )
        )
    return {
        "label": _("Enterprise hours used (whole term, whatever the dates)")
        if dated
        else _("Enterprise hours used"),
        "value": percent((used - no_limit) / purchased) if purchased else "—",
        "delta": _("{over} hours over").format(over=amount(over)) if over else None,
        "delta_color": "red",
        "delta_arrow": "off",
        "help": "; ".join(clauses) + ".",
    }


def hours_used_in_the_dates(ctx: Context) -> dict:
    """The hours used in the activity dates picked, on the entitlements the whole-term figure
    counts (those with no limit too: the monthly figures do not tell them apart)."""
    monthly = ctx.run("monthly_consumption")
    hours = monthly.filter(pl.col("unit") == "hours").get_column("amount").sum()
    span = days(ctx.filters.date_from, ctx.filters.date_to)
    return {
        "label": _("Hours used in the dates"),
        "value": amount(hours),
        "delta": span,
        "delta_color": "off",
        "delta_arrow": "off",
        "help": _(
            "Reactive, advisory and proactive hours used on the active enterprise packages in "
            "the dates picked ({span}): support requests on the day they were opened, proactive "
            "services on the day they were delivered; entitlements with no limit included."
        ).format(span=span),
    }


def soonest_end(contracts: pl.DataFrame) -> dict:
    """The "Soonest contract end" figure: days left of the first active contract to end that no
    other contract renews (`contracts` is soonest to end first), with that contract's number."""
    due = next((r for r in contracts.iter_rows(named=True) if not r["renewed"]), None)
    if due is None and contracts.height:
        return {
            "value": _("All renewed"),
            "help": _("Every active contract in view is renewed."),
        }
    if due is None:
        return {"value": "—", "help": _("No active contract in view.")}
    which = inert(due["contract_number"])
    return {
        "value": count(due["days_left"], "{n} day", "{n} days"),
        "delta": which,
        "delta_color": "off",
        "delta_arrow": "off",
        "help": _(
            "Days from the as-of day to the end of {contract} ({day}): the first active "
            "contract to end that no other contract renews."
        ).format(contract=which, day=day(due["end_date"])),
    }


def active_contracts(ctx: Context, contracts: pl.DataFrame) -> None:
    st.subheader(_("Active contracts"))
    if contracts.is_empty():
        st.info(_("There is no active contract in this selection."))
        return
    # said in words rather than left empty: an empty cell reads as unknown, and the grid sizes
    # a column by its cells, taking one name among empty ones for a stray and cutting it short
    shown = contracts.select(*CONTRACT_FIELDS, pl.col("renewed_by").fill_null(_(NOT_RENEWED)))
    grid(shown, column_order=CONTRACT_COLUMNS, pinned=("contract_number",))
    download(shown, _("active_contracts"), ctx)


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
    st.subheader(_("Lapsed workspaces"))
    st.caption(
        _(
            "Workspaces in view with contracts, none of them active or upcoming: the last "
            "contract to end, and the support requests opened there in the date range that you "
            "may see."
        )
    )
    shown = lapsed.select(
        "workspace_name", "last_contract_number", "last_contract_end", "support_requests"
    )
    grid(shown)
    download(shown, _("lapsed_workspaces"), ctx)


@own_rerun  # a bar clicked redraws this chart and its list, not the page's other charts
def consumption_against_purchased(ctx: Context, consumption: pl.DataFrame) -> None:
    st.subheader(_("Consumption against purchased"))
    st.caption(bars_said(charts.any_over(consumption), charts.any_without_limit(consumption)))
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
        labels = ", ".join(words.category(c) for c in picked)
        left, right = st.columns([4, 1])
        # the picks come from the browser
        left.markdown(_("**Entitlements: {categories}**").format(categories=inert(labels)))
        right.button(_("Clear selection"), icon=":material/close:", on_click=drill.clear)
    else:
        st.markdown(_("**All entitlements behind the bars**"))
    shown = entitlements.select(ENTITLEMENT_FIELDS)
    grid(shown, column_order=ENTITLEMENT_COLUMNS, pinned=("entitlement",))
    download(shown, _("enterprise_entitlements"), ctx)


def bars_said(over: bool, no_limit: bool) -> str:
    """The consumption chart's caption: what its marks are (overage and use with no limit only
    where drawn) and what a click does."""
    if over and no_limit:
        return _(
            "Active enterprise packages, whole term. Used, scheduled and remaining; the dark "
            "mark is what was purchased; overage past an entitlement's own purchase, never "
            "offset by what another has left, comes after it in red; use on entitlements with "
            "no limit comes after it. Click a bar to list its entitlements below; click it "
            "again to clear."
        )
    if over:
        return _(
            "Active enterprise packages, whole term. Used, scheduled and remaining; the dark "
            "mark is what was purchased; overage past an entitlement's own purchase, never "
            "offset by what another has left, comes after it in red. Click a bar to list its "
            "entitlements below; click it again to clear."
        )
    if no_limit:
        return _(
            "Active enterprise packages, whole term. Used, scheduled and remaining; the dark "
            "mark is what was purchased; use on entitlements with no limit comes after it. "
            "Click a bar to list its entitlements below; click it again to clear."
        )
    return _(
        "Active enterprise packages, whole term. Used, scheduled and remaining; the dark mark "
        "is what was purchased. Click a bar to list its entitlements below; click it again to "
        "clear."
    )


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
    st.subheader(_("Consumption by month"))
    monthly = ctx.run("monthly_consumption")
    if monthly.is_empty():
        nothing_charted(ctx, by_month=True)
        return
    charts.draw(charts.monthly_by_unit(monthly), width="stretch")  # every unit's, in one view
    with st.expander(_("The figures behind the chart")):
        grid(monthly)
        download(monthly, _("monthly_consumption"), ctx)


def nothing_charted(ctx: Context, by_month: bool = False) -> None:
    """Why a consumption section charts nothing, and what to pick instead. Both chart the
    active enterprise packages of the active contracts in view, whatever the package status
    picked; by month, their use in the date range."""
    reason = no_active_enterprise_package(ctx)
    if reason is None and not by_month:
        st.info(_("The active enterprise packages in this selection have nothing to chart."))
    elif reason is None:
        st.info(unused_in_the_date_range(ctx))
    elif by_month:
        st.info(_("Nothing to chart by month either: see Consumption against purchased above."))
    else:
        text, on_addons = reason
        st.info(text, icon=":material/filter_alt:")
        if on_addons:
            st.page_link(
                pages.by_path("add-ons").file,
                label=_("Open Add-on packages"),
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
        named = inert(package_label(picked[0]))
        if f.status in ("all", status):
            said = _(
                "{package} is an add-on package: Enterprise-wide shows enterprise packages "
                "only. Add-on packages shows it, with the same filters."
            ).format(package=named)
        else:
            said = _(
                "{package} is an add-on package: Enterprise-wide shows enterprise packages "
                "only. Add-on packages shows it, with the same filters; it is {state}: pick "
                "Package status “{status}” or “All” to see it there."
            ).format(
                package=named, state=state_of_one(picked[0]["state"]), status=status_label(status)
            )
        return said, True
    if picked and picked[0]["state"] != "active":
        return (
            _(
                "{package} is {state}: Enterprise-wide shows active enterprise packages only. "
                "Pick an active one under Package, or All packages."
            ).format(
                package=inert(package_label(picked[0])), state=state_of_one(picked[0]["state"])
            ),
            False,
        )
    if picked or (enterprise.get_column("state") == "active").any():
        return None
    states = states_of_several(sorted(set(enterprise.get_column("state"))))
    if f.contract:
        number = packages.filter(pl.col("contract_id") == f.contract).get_column("contract_number")
        return contract_without_one(inert(number[0]) if number.len() else None, states), False
    if f.workspaces and states:
        return (
            _(
                "The workspaces picked hold no active enterprise package: their enterprise "
                "packages are {states}. Enterprise-wide shows active ones only: pick other "
                "workspaces, or none for all."
            ).format(states=states),
            False,
        )
    if f.workspaces:
        return (
            _(
                "The workspaces picked hold no active enterprise package. Enterprise-wide shows "
                "active ones only: pick other workspaces, or none for all."
            ),
            False,
        )
    return _("None of your workspaces holds an active enterprise package."), False


def contract_without_one(number: str | None, states: str) -> str:
    """The contract picked (`number`, None when not known) holds no active enterprise package:
    its enterprise packages' `states` in words, if any, and what to pick instead."""
    if number and states:
        said = _(
            "Contract {contract} has no active enterprise package: its enterprise packages are "
            "{states}. Enterprise-wide shows active ones only: pick an active contract under "
            "Contract, or All contracts."
        )
    elif number:
        said = _(
            "Contract {contract} has no active enterprise package. Enterprise-wide shows active "
            "ones only: pick an active contract under Contract, or All contracts."
        )
    elif states:
        said = _(
            "The contract picked has no active enterprise package: its enterprise packages are "
            "{states}. Enterprise-wide shows active ones only: pick an active contract under "
            "Contract, or All contracts."
        )
    else:
        said = _(
            "The contract picked has no active enterprise package. Enterprise-wide shows active "
            "ones only: pick an active contract under Contract, or All contracts."
        )
    return said.format(contract=number, states=states)


def state_of_one(state: str) -> str:
    """A package's state as its sentence says it: `is expired`."""
    said = {
        "active": pgettext("package state", "active"),
        "inactive": pgettext("package state", "inactive"),
        "expired": pgettext("package state", "expired"),
        "upcoming": pgettext("package state", "upcoming"),
    }
    return said.get(state, state)


def status_label(status: str) -> str:
    """A package status as the sidebar's Package status filter offers it: `Active`."""
    said = {
        "active": pgettext("package status filter", "Active"),
        "inactive": pgettext("package status filter", "Inactive"),
    }
    return said.get(status, status.capitalize())


def states_of_several(states: list[str]) -> str:
    """Packages' states as their sentence says them: `are expired or upcoming`."""
    said = {
        "active": pgettext("package states", "active"),
        "inactive": pgettext("package states", "inactive"),
        "expired": pgettext("package states", "expired"),
        "upcoming": pgettext("package states", "upcoming"),
    }
    worded = [said.get(state, state) for state in states]
    if not worded:
        return ""
    either = worded[0]
    for other in worded[1:]:
        either = _("{one} or {other}").format(one=either, other=other)
    return either


def unused_in_the_date_range(ctx: Context) -> str:
    """No use of the active enterprise packages in the date range picked (or ever, with no
    dates): before their terms began, or none recorded in it; with what to pick instead."""
    f, packages = ctx.filters, ctx.run("packages")
    if not f.dated:
        return _("No use of the active enterprise packages in this selection yet.")
    terms = packages.filter(
        (pl.col("scope") == "enterprise")
        & (pl.col("state") == "active")
        & (pl.col("package_id") == f.package if f.package else pl.lit(True))
    )
    began = terms.get_column("start_date").min()
    if began is not None and f.date_to is not None and f.date_to < began:
        return _(
            "No use of the active enterprise packages in this date range: the first of their "
            "terms began on {day}, after it ends. Support requests are counted on every package, "
            "expired ones too. Pick days from then on, or the Range “Every date”."
        ).format(day=day(began))
    return _(
        "No use of the active enterprise packages in this date range. Support requests are "
        "counted on every package, expired ones too; the Range “Every date” shows all their use."
    )


render(page_context())
