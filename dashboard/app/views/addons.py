"""Add-on packages: one contract at a time; each add-on package with its expiry and its
entitlements against purchased; an entitlement's detail and usage history."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import words
from dashboard.app import charts
from dashboard.app.drill_down import keep_in_link, linked_picks
from dashboard.app.results import Context, page_context
from dashboard.app.tables import download, grid
from dashboard.app.views.common import chosen_contract, scope_line
from dashboard.app.views.entitlement_detail import entitlement_detail
from dashboard.formats import amount, day, number
from dashboard.language import _, ngettext
from dashboard.text import inert

PICK = "addon_entitlement"  # the table's key, with the version: a new table after each clear
PICKED = "addon_picked"  # the table's version, and the entitlement a link picked
# the entitlements table's columns, in the grid and in its CSV
ENTITLEMENT_COLUMNS = (
    "package_name",
    "name",
    "category",
    "kind",
    "unit",
    "purchased",
    "used",
    "scheduled",
    "remaining",
    "utilisation",
    "end_date",
    "days_left",
)


def render(ctx: Context) -> None:
    st.title(_("Add-on packages"))
    scope_line(ctx)
    contract = chosen_contract(ctx)
    if contract is None:
        return
    said = (
        _("Add-on packages of {contract} · {name}, the only contract in this selection.")
        if contract["only"]
        else _("Add-on packages of {contract} · {name}.")
    )
    st.caption(
        said.format(contract=inert(contract["contract_number"]), name=inert(contract["name"]))
    )
    entitlements = ctx.run("package_entitlements").filter(pl.col("scope") == "add_on")
    if entitlements.is_empty():
        st.info(_("This contract has no add-on package with the package filters in the sidebar."))
        return
    order = {"active": 0, "upcoming": 1, "expired": 2}
    packages = entitlements.unique("package_id", keep="first").sort(
        pl.col("package_state").replace_strict(order), "end_date"
    )
    for package_id in packages.get_column("package_id"):
        package(entitlements.filter(pl.col("package_id") == package_id))
    entitlement = entitlement_table(ctx, entitlements)
    if entitlement is not None:
        entitlement_detail(ctx, entitlement)


def package(rows: pl.DataFrame) -> None:
    first = rows.row(0, named=True)
    with st.container(border=True):
        left, right = st.columns([3, 2])
        left.markdown(f"#### {inert(first['package_name'])}")
        right.markdown(term_said(first))
        consumables = rows.filter(pl.col("kind") == "consumable")
        charted = consumables.filter(pl.col("purchased").is_not_null())
        if charted.height:  # every unit's bars in one view: each view costs tens of ms to draw
            charts.draw(charts.consumption_by_unit(charted, label="name"), width="stretch")
        unlimited = consumables.filter(pl.col("purchased").is_null())
        for row in unlimited.iter_rows(named=True):
            said = _("**{name}** (unlimited): {amount} {unit} used").format(
                name=inert(row["name"]),
                amount=amount(row["used"]),
                unit=inert(words.unit(row["unit"])),
            )
            st.markdown("- " + said)
        benefits = rows.filter(pl.col("kind") == "benefit")
        if benefits.height:
            st.markdown(_("**Benefits** (included, not tracked as consumption)"))
            for row in benefits.iter_rows(named=True):
                st.markdown(f"- **{inert(row['name'])}**: {inert(row['description'])}")


def term_said(package: dict) -> str:
    """When the package ended, starts or ends, as a badge and a few words (the day as the
    language writes it)."""
    days, end = package["days_left"], day(package["end_date"])
    if package["package_state"] == "expired":
        return ngettext(
            ":gray-badge[Expired {n} day ago] Ended {day}",
            ":gray-badge[Expired {n} days ago] Ended {day}",
            -days,
        ).format(n=number(-days), day=end)
    if package["package_state"] == "upcoming":
        return _(":blue-badge[Upcoming] Ends {day}").format(day=end)
    said = ngettext(
        "Expires **{day}** · {n} day left", "Expires **{day}** · {n} days left", days
    ).format(day=end, n=number(days))
    if package["expiring_soon"]:  # a badge of its own after the sentence
        said += " :orange-badge[:material/schedule: " + _("Expiring soon") + "]"
    return said


def entitlement_table(ctx: Context, entitlements: pl.DataFrame) -> dict | None:
    st.subheader(_("Entitlements"))
    st.caption(_("Select a row to see the entitlement's detail and usage history."))
    shown = entitlements.select(ENTITLEMENT_COLUMNS)
    state = st.session_state.setdefault(PICKED, {"version": 0})
    if "linked" not in state:  # the first time on this page: the link's entitlement, if listed
        linked = linked_picks("entitlement")
        ids = entitlements.get_column("entitlement_id")
        state["linked"] = linked[0] if linked and linked[0] in ids else None
    key = f"{PICK}_{state['version']}"
    event = grid(shown, key=key, on_select="rerun", selection_mode="single-row")
    download(shown, _("package_entitlements"), ctx)
    rows = event.selection.rows if event else []
    if rows:  # a row clicked: it replaces the link's
        state["linked"] = None
        chosen = entitlements.row(rows[0], named=True)
    elif state["linked"] is not None:
        linked = entitlements.filter(pl.col("entitlement_id") == state["linked"])
        chosen = linked.row(0, named=True) if linked.height else None
    else:
        chosen = None
    keep_in_link("entitlement", [chosen["entitlement_id"]] if chosen else [])
    if chosen:
        st.button(
            _("Clear selection"), icon=":material/close:", on_click=clear_pick, key="addon_clear"
        )
    return chosen


def clear_pick() -> None:
    """No entitlement picked: a new, unselected table, and none in the link."""
    state = st.session_state[PICKED]
    state["version"], state["linked"] = state["version"] + 1, None
    keep_in_link("entitlement", [])


render(page_context())
