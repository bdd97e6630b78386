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
    history(ctx, credits)


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


def balance_line(ctx: Context, credits: pl.DataFrame, redeemed: pl.DataFrame) -> pl.DataFrame:
    """Each entitlement's balance: purchased on its first day, after each redemption, and
    what is left on the as-of day (or the day it ended)."""
    bought = credits.filter(pl.col("purchased").is_not_null())
    start = bought.select(
        pl.col("start_date").alias("date"),
        pl.col("purchased").alias("balance"),
        "label",
        pl.lit("purchased").alias("title"),
        pl.lit(0.0).alias("quantity"),
    )
    steps = redeemed.join(bought.select("entitlement_id", "label"), on="entitlement_id").select(
        "date", "balance", "label", "title", "quantity"
    )
    line = pl.concat([start, steps]).sort("label", "date")
    last = (
        line.group_by("label")
        .agg(pl.col("balance").last())
        .join(bought.select("label", "end_date"), on="label")
    )
    end = last.select(
        pl.min_horizontal(pl.col("end_date"), pl.lit(ctx.dataset.as_of)).alias("date"),
        "balance",
        "label",
        pl.lit("today").alias("title"),
        pl.lit(0.0).alias("quantity"),
    )
    return pl.concat([line, end]).sort("label", "date")


def history(ctx: Context, credits: pl.DataFrame) -> None:
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
    st.altair_chart(charts.balance(balance_line(ctx, credits, redeemed)), width="stretch")
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
