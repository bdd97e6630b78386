"""Proof of delivery: for one contract and the date range, everything that was delivered, with
totals per category and each entitlement against what was purchased, to hand to the customer as
CSV or xlsx."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import polars as pl
import streamlit as st

from dashboard import export, words
from dashboard.app.proof_workbook import ENTITLEMENT_HEADERS, UNLIMITED, proof_workbook
from dashboard.app.results import Context, page_context
from dashboard.app.tables import download_document, grid, listing
from dashboard.app.views.common import chosen_contract, scope_line
from dashboard.formats import amount, day, days, number
from dashboard.language import N_, _, ngettext
from dashboard.text import inert

NO_PACKAGE = N_("No package: raised against the contract, not an entitlement")
# what a category's quantity counts, by unit, where it differs from the hours delivered
QUANTITY_COUNTS = {
    "hours": N_("hours booked"),
    "credits": N_("credits redeemed"),
    "seats": N_("seats"),
    "assessments": N_("assessments"),
}
# the totals grid's columns, the figures first (what the viewer may not see is said under it)
TOTALS_SHOWN = ["category", "quantity", "unit", "items", "hours_delivered"]
# the list's columns: the figures before the long text, so that they show without scrolling
LISTED = [
    "category",
    "day",
    "quantity",
    "unit",
    "hours_delivered",
    "item",
    "reference",
    "package_name",
    "contract",
]


def render(ctx: Context) -> None:
    st.title(_("Proof of delivery"))
    scope_line(ctx)
    contract = chosen_contract(ctx)
    if contract is None:
        return
    st.caption(inert(everything_booked(contract)))
    totals = ctx.run("proof_of_delivery_totals")
    if totals.is_empty():
        st.info(_("Nothing was delivered under this contract in this date range."))
        return
    st.subheader(_("Totals per category"))
    grid(units_named(totals), column_order=TOTALS_SHOWN)
    notes = totals_notes(totals)
    for note in notes:
        st.caption(inert(note))
    entitlements = entitlement_figures(ctx, contract["contract_id"])
    hidden = totals.get_column("hidden").sum()
    total = totals.get_column("items").sum() - hidden
    workbook_download(ctx, contract, totals, entitlements, notes, total)
    st.subheader(_("What was delivered"))
    listing(
        ctx,
        "proof_of_delivery",
        LISTED,
        "items",
        "by category and day",
        total=total,
        shown_as=with_package_named,
        found_by=("reference", "item"),
    )
    st.subheader(_("Against what was purchased"))
    st.caption(inert(entitlements_said(ctx, contract)))
    if entitlements.is_empty():
        st.info(_("No entitlement of this contract is counted against a purchased quantity."))
        return
    # wide enough for a remaining past zero said in words ("przekroczono o 649,5")
    header = _(ENTITLEMENT_HEADERS["remaining"])
    remaining = st.column_config.TextColumn(header, width="medium")
    grid(entitlements_shown(entitlements), column_config={header: remaining})


def everything_booked(contract: dict) -> str:
    """What the page holds: everything booked against the contract in the date range."""
    if contract["only"]:
        said = _(
            "Everything booked against {contract}, the only contract in this selection, in the "
            "date range, whatever workspace it was raised in: proactive deliveries, support "
            "requests, education seats, assessments begun and credits redeemed."
        )
    else:
        said = _(
            "Everything booked against {contract} in the date range, whatever workspace it was "
            "raised in: proactive deliveries, support requests, education seats, assessments "
            "begun and credits redeemed."
        )
    return said.format(contract=f"{contract['contract_number']} · {contract['name']}")


def totals_notes(totals: pl.DataFrame) -> list[str]:
    """What the totals need said beside them: why a quantity and its hours delivered differ,
    how much was booked against no package, how many items the viewer may not see."""
    notes = []
    for row in totals.iter_rows(named=True):
        quantity, hours = row["quantity"], row["hours_delivered"]
        if hours is not None and quantity != hours:
            counts = QUANTITY_COUNTS.get(row["unit"])
            said = _(
                "{category}: quantity {quantity} beside {hours} hours delivered. The quantity "
                "counts the units of the entitlement ({counts}); hours delivered are the hours "
                "actually delivered."
            )
            notes.append(
                said.format(
                    category=words.category(row["category"]),
                    quantity=amount(quantity),
                    hours=amount(hours),
                    counts=_(counts) if counts else words.unit(row["unit"]),
                )
            )
    unpackaged = [
        _("{quantity} {unit} of {category}").format(
            quantity=amount(row["no_package"]),
            unit=words.unit(row["unit"]),
            category=words.category(row["category"]).lower(),
        )
        for row in totals.iter_rows(named=True)
        if row["no_package"]
    ]
    if unpackaged:
        notes.append(
            _(
                "Of these, {amounts} were raised against the contract, not an entitlement: "
                "“No package” in the list."
            ).format(amounts=both(unpackaged))
        )
    hidden = int(totals.get_column("hidden").sum())
    if hidden:
        said = ngettext(
            "{n} support request booked against this contract is hidden by your permissions: "
            "the totals count it, the list does not.",
            "{n} support requests booked against this contract are hidden by your permissions: "
            "the totals count them, the list does not.",
            hidden,
        )
        notes.append(said.format(n=number(hidden)))
    return notes


def both(parts: list[str]) -> str:
    """`parts` said one after the other: "A and B and C"."""
    said = parts[0]
    for part in parts[1:]:
        said = _("{first} and {second}").format(first=said, second=part)
    return said


def with_package_named(rows: pl.DataFrame) -> pl.DataFrame:
    """The list's rows with an item booked against no package said to be so, and their units
    in words."""
    return units_named(rows).with_columns(pl.col("package_name").fill_null(_(NO_PACKAGE)))


def units_named(rows: pl.DataFrame) -> pl.DataFrame:
    """`rows` with their unit in the run's language (hours: "godziny")."""
    return rows.with_columns(pl.col("unit").replace(words.units()))


def entitlement_figures(ctx: Context, contract_id: str) -> pl.DataFrame:
    """Each consumable entitlement of the contract over its whole term, whatever the package
    filters say (the contract is the scope, as for the totals), that is delivered against:
    purchased (null: unlimited), used, scheduled and remaining. Named contacts, a headcount
    that is never delivered, are left out."""
    every = replace(ctx.filters, package=None, status="all")
    rows = ctx.run("package_entitlements", every)
    picked = (
        (pl.col("contract_id") == contract_id)
        & (pl.col("kind") == "consumable")
        & (pl.col("category") != "contacts")
    )
    return rows.filter(picked).select(list(ENTITLEMENT_HEADERS))


def entitlements_said(ctx: Context, contract: dict) -> str:
    if ctx.filters.dated:
        said = _(
            "Each entitlement of {contract} over its whole term to {day}, whatever the date "
            "range: used counts everything booked against it, including what your permissions "
            "hide (assessments not cancelled, begun or not); remaining is purchased less used "
            "and scheduled."
        )
    else:
        said = _(
            "Each entitlement of {contract} over its whole term to {day}: used counts everything "
            "booked against it, including what your permissions hide (assessments not cancelled, "
            "begun or not); remaining is purchased less used and scheduled."
        )
    return said.format(contract=contract["contract_number"], day=day(ctx.dataset.as_of))


def figure(value: float | None, *, remaining: bool = False) -> str:
    """A figure of the purchased grid as text: `unlimited` where nothing was purchased, and a
    remaining below zero as the overage it is."""
    if value is None:
        return _(UNLIMITED)
    if remaining and value < 0:
        return _("over by {amount}").format(amount=amount(-value))
    return amount(value)


def entitlements_shown(entitlements: pl.DataFrame) -> pl.DataFrame:
    """The purchased grid as the page shows it: its figures as text, named as people read them."""
    rows = [
        {
            **row,
            "purchased": figure(row["purchased"]),
            "used": figure(row["used"]),
            "scheduled": figure(row["scheduled"]),
            "remaining": figure(row["remaining"], remaining=True),
            "unit": words.unit(row["unit"]),
        }
        for row in entitlements.iter_rows(named=True)
    ]
    # headed in words already: grid's number formats are for numbers, these are text
    headers = {name: _(header) for name, header in ENTITLEMENT_HEADERS.items()}
    return pl.DataFrame(rows, schema=dict.fromkeys(ENTITLEMENT_HEADERS, pl.String)).rename(headers)


def workbook_download(
    ctx: Context,
    contract: dict,
    totals: pl.DataFrame,
    entitlements: pl.DataFrame,
    notes: list[str],
    total: int,
) -> None:
    listed = min(total, export.WORKBOOK_ROWS)

    def make() -> bytes:
        delivered = with_package_named(ctx.fetch("proof_of_delivery", listed))
        return proof_workbook(
            title_lines(ctx, contract), totals, entitlements, notes, export.named(delivered)
        )

    if listed == total:
        label = _("Download xlsx (totals and items)")
    else:
        label = ngettext(
            "Download xlsx (totals and the first {n} item)",
            "Download xlsx (totals and the first {n} items)",
            listed,
        ).format(n=number(listed))
    download_document(make, "proof_of_delivery", ctx, label)


def title_lines(ctx: Context, contract: dict) -> list[tuple[str, object]]:
    """The workbook's title block: whose, which contract, which dates, as of when, made when."""
    f = ctx.filters
    dates = days(f.date_from, f.date_to)
    return [
        (_("Customer"), ctx.viewer.customer_name),
        (_("Contract"), f"{contract['contract_number']} · {contract['name']}"),
        (_("Activity dates"), dates[:1].upper() + dates[1:]),
        (_("Data as of"), ctx.dataset.as_of),
        (_("Made"), datetime.now(UTC)),
    ]


render(page_context())
