"""Proof of delivery: for one contract and the date range, everything that was delivered, with
totals per category and each entitlement against what was purchased, to hand to the customer as
CSV or xlsx."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import polars as pl
import streamlit as st

from dashboard import export
from dashboard.app.proof_workbook import ENTITLEMENT_HEADERS, UNLIMITED, proof_workbook
from dashboard.app.results import Context, page_context
from dashboard.app.tables import download_document, grid, listing
from dashboard.app.views.common import chosen_contract, scope_line
from dashboard.formats import amount, count, day, days, number
from dashboard.ingest.schema import CATEGORY_LABELS
from dashboard.text import inert

NO_PACKAGE = "No package: raised against the contract, not an entitlement"
# what a category's quantity counts, by unit, where it differs from the hours delivered
QUANTITY_COUNTS = {
    "hours": "hours booked",
    "credits": "credits redeemed",
    "seats": "seats",
    "assessments": "assessments",
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
    st.title("Proof of delivery")
    scope_line(ctx)
    contract = chosen_contract(ctx)
    if contract is None:
        return
    st.caption(
        inert(
            f"Everything booked against {contract['contract_number']} · {contract['name']}"
            + (", the only contract in this selection," if contract["only"] else "")
            + " in the date range, whatever workspace it was raised in: proactive deliveries, "
            "support requests, education seats, assessments begun and credits redeemed."
        )
    )
    totals = ctx.run("proof_of_delivery_totals")
    if totals.is_empty():
        st.info("Nothing was delivered under this contract in this date range.")
        return
    st.subheader("Totals per category")
    grid(totals, column_order=TOTALS_SHOWN)
    notes = totals_notes(totals)
    for note in notes:
        st.caption(inert(note))
    entitlements = entitlement_figures(ctx, contract["contract_id"])
    hidden = totals.get_column("hidden").sum()
    total = totals.get_column("items").sum() - hidden
    workbook_download(ctx, contract, totals, entitlements, notes, total)
    st.subheader("What was delivered")
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
    st.subheader("Against what was purchased")
    st.caption(inert(entitlements_said(ctx, contract)))
    if entitlements.is_empty():
        st.info("No entitlement of this contract is counted against a purchased quantity.")
        return
    grid(entitlements_shown(entitlements))


def totals_notes(totals: pl.DataFrame) -> list[str]:
    """What the totals need said beside them: why a quantity and its hours delivered differ,
    how much was booked against no package, how many items the viewer may not see."""
    notes = []
    for row in totals.iter_rows(named=True):
        quantity, hours = row["quantity"], row["hours_delivered"]
        if hours is not None and quantity != hours:
            notes.append(
                f"{CATEGORY_LABELS.get(row['category'], row['category'])}: quantity "
                f"{amount(quantity)} beside {amount(hours)} hours delivered. The quantity counts "
                f"the units of the entitlement ({QUANTITY_COUNTS.get(row['unit'], row['unit'])})"
                "; hours delivered are the hours actually delivered."
            )
    unpackaged = [
        f"{amount(row['no_package'])} {row['unit']} of "
        f"{CATEGORY_LABELS.get(row['category'], row['category']).lower()}"
        for row in totals.iter_rows(named=True)
        if row["no_package"]
    ]
    if unpackaged:
        notes.append(
            f"Of these, {' and '.join(unpackaged)} were raised against the contract, not an "
            "entitlement: “No package” in the list."
        )
    hidden = totals.get_column("hidden").sum()
    if hidden:
        notes.append(
            f"{count(hidden, 'support request')} booked against this contract "
            f"{'is' if hidden == 1 else 'are'} hidden by your permissions: the totals count "
            f"{'it' if hidden == 1 else 'them'}, the list does not."
        )
    return notes


def with_package_named(rows: pl.DataFrame) -> pl.DataFrame:
    """The list's rows with an item booked against no package said to be so."""
    return rows.with_columns(pl.col("package_name").fill_null(NO_PACKAGE))


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
    scope = f"over its whole term to {day(ctx.dataset.as_of)}"
    if ctx.filters.dated:
        scope += ", whatever the date range"
    return (
        f"Each entitlement of {contract['contract_number']} {scope}: used counts everything "
        "booked against it, including what your permissions hide (assessments not cancelled, "
        "begun or not); remaining is purchased less used and scheduled."
    )


def figure(value: float | None, *, remaining: bool = False) -> str:
    """A figure of the purchased grid as text: `unlimited` where nothing was purchased, and a
    remaining below zero as the overage it is."""
    if value is None:
        return UNLIMITED
    if remaining and value < 0:
        return f"over by {amount(-value)}"
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
        }
        for row in entitlements.iter_rows(named=True)
    ]
    # headed in words already: grid's number formats are for numbers, these are text
    return pl.DataFrame(rows, schema=dict.fromkeys(ENTITLEMENT_HEADERS, pl.String)).rename(
        ENTITLEMENT_HEADERS
    )


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

    download_document(
        make,
        "proof_of_delivery",
        ctx,
        "Download xlsx (totals and items)"
        if listed == total
        else f"Download xlsx (totals and the first {number(listed)} items)",
    )


def title_lines(ctx: Context, contract: dict) -> list[tuple[str, object]]:
    """The workbook's title block: whose, which contract, which dates, as of when, made when."""
    f = ctx.filters
    dates = days(f.date_from, f.date_to)
    return [
        ("Customer", ctx.viewer.customer_name),
        ("Contract", f"{contract['contract_number']} · {contract['name']}"),
        ("Activity dates", dates[:1].upper() + dates[1:]),
        ("Data as of", ctx.dataset.as_of),
        ("Made", datetime.now(UTC)),
    ]


render(page_context())
