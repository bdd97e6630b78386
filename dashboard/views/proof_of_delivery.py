"""Proof of delivery: for one contract and the date range, everything that was delivered, with
totals per category, to hand to the customer as CSV or xlsx."""

from __future__ import annotations

import streamlit as st

from dashboard import export
from dashboard.data import Context, page_context
from dashboard.grids import download, download_xlsx, grid
from dashboard.views.common import chosen_contract, scope_line


def render(ctx: Context) -> None:
    st.title("Proof of delivery")
    scope_line(ctx)
    contract = chosen_contract(ctx)
    if contract is None:
        return
    st.caption(
        f"Everything delivered under {contract['contract_number']} · {contract['name']} in the "
        "date range: proactive deliveries, support requests you may see, education seats, "
        "assessments begun and credits redeemed."
    )
    totals = ctx.run("proof_of_delivery_totals")
    items = ctx.run("proof_of_delivery")
    if items.is_empty():
        st.info("Nothing was delivered under this contract in this date range.")
        return
    st.subheader("Totals per category")
    grid(totals)
    st.subheader("What was delivered")
    grid(items)
    left, right = st.columns([1, 4])
    with left:
        download(items, "proof_of_delivery", ctx)
    with right:
        make = lambda: export.workbook_bytes({"totals": totals, "delivered": items})  # noqa: E731
        download_xlsx(make, "proof_of_delivery", ctx, "Download xlsx (totals and items)")


render(page_context())
