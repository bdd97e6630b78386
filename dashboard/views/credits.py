"""Proactive credits: purchased, redeemed, scheduled and remaining per package, and the
redemption history as a running balance."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts
from dashboard.data import Context, page_context
from dashboard.grids import download, grid
from dashboard.views.common import entitlements_of, scope_line, totals


def render(ctx: Context) -> None:
    st.title("Proactive credits")
    scope_line(ctx)
    credits = entitlements_of(ctx, "credits")
    totals(credits, "credits")
    per_package(ctx, credits)
    history(ctx)


def per_package(ctx: Context, credits: pl.DataFrame) -> None:
    st.subheader("Per package")
    if credits.is_empty():
        st.info("No proactive credits in this selection.")
        return
    shown = credits.select(
        "package_name",
        "name",
        "purchased",
        "used",
        "scheduled",
        "remaining",
        "end_date",
        "days_left",
        "contract_number",
    ).rename({"used": "redeemed"})
    grid(shown)
    download(shown, "credits_per_package", ctx)


def history(ctx: Context) -> None:
    st.subheader("Redemption history")
    ledger = ctx.run("credit_history")
    redeemed = ledger.filter(pl.col("status") == "delivered")
    if redeemed.is_empty():
        st.info("No credits redeemed yet in this selection.")
        return
    st.caption(
        "Credits left after each redemption, over the whole term; scheduled and "
        "cancelled deliveries are listed below but redeem nothing."
    )
    line = redeemed.with_columns(
        (pl.col("package_name") + " · " + pl.col("entitlement")).alias("label")
    )
    st.altair_chart(
        charts.balance(line.select("date", "balance", "label", "title", "quantity")),
        width="stretch",
    )
    shown = ledger.select(
        "date",
        "title",
        "status",
        "quantity",
        "redeemed_to_date",
        "balance",
        "entitlement",
        "package_name",
        "contract_number",
    )
    grid(shown)
    download(shown, "credit_history", ctx)


render(page_context())
