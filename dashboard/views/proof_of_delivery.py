"""Proof of delivery: for one contract and the date range, everything that was delivered, with
totals per category, to hand to the customer as CSV or xlsx."""

from __future__ import annotations

import streamlit as st

from dashboard import export
from dashboard.data import Context, page_context
from dashboard.grids import download_xlsx, grid, listing
from dashboard.text import count, inert
from dashboard.views.common import chosen_contract, scope_line


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
    grid(totals)
    hidden = totals.get_column("hidden").sum()
    if hidden:
        st.caption(
            f"{count(hidden, 'support request')} booked against this contract "
            f"{'is' if hidden == 1 else 'are'} hidden by your permissions: the totals count "
            f"{'it' if hidden == 1 else 'them'}, the list does not."
        )
    total = totals.get_column("items").sum() - hidden
    listed = min(total, export.WORKBOOK_ROWS)
    download_xlsx(
        lambda: export.workbook_bytes(
            {
                "totals": export.named(totals),
                "delivered": export.named(ctx.fetch("proof_of_delivery", listed)),
            }
        ),
        "proof_of_delivery",
        ctx,
        "Download xlsx (totals and items)"
        if listed == total
        else f"Download xlsx (totals and the first {listed:,} items)",
    )
    st.subheader("What was delivered")
    columns = [
        "category", "day", "item", "reference", "quantity", "unit", "hours_delivered",
        "contract", "package_name",
    ]  # fmt: skip
    listing(
        ctx, "proof_of_delivery", columns, "items", "by category and day", total=total,
        found_by=("reference", "item"),
    )  # fmt: skip


render(page_context())
