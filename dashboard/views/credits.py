"""Proactive credits: purchased, redeemed, scheduled and remaining per package, and the
redemption history as a running balance."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts
from dashboard.data import Context, page_context
from dashboard.grids import download, grid, listing
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


def balance_line(ctx: Context, credits: pl.DataFrame, daily: pl.DataFrame) -> pl.DataFrame:
    """Each entitlement's balance: purchased on its first day, at the end of each day with
    redemptions, and what is left on the as-of day (or the day it ended)."""
    bought = credits.filter(pl.col("purchased").is_not_null())
    start = bought.select(
        pl.col("start_date").alias("date"),
        pl.col("purchased").alias("balance"),
        "label",
        pl.lit(0).cast(pl.Int64).alias("redemptions"),
        pl.lit(0.0).alias("quantity"),
    )
    steps = daily.join(bought.select("entitlement_id", "label"), on="entitlement_id").select(
        "date", "balance", "label", pl.col("redemptions").cast(pl.Int64), "quantity"
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
        pl.lit(0).cast(pl.Int64).alias("redemptions"),
        pl.lit(0.0).alias("quantity"),
    )
    return pl.concat([line, end]).sort("label", "date")


def history(ctx: Context, credits: pl.DataFrame) -> None:
    st.subheader("Redemption history")
    daily = ctx.run("credit_balance")
    if daily.is_empty():
        st.info("No credits redeemed yet in this selection.")
        return
    st.caption(
        "Credits left at the end of each day with redemptions, over the whole term; scheduled "
        "and cancelled deliveries are listed below but redeem nothing."
    )
    charts.draw(charts.balance(balance_line(ctx, credits, daily)), width="stretch")
    columns = [
        "date", "title", "status", "quantity", "redeemed_to_date", "balance", "entitlement",
        "package_name", "contract_number",
    ]  # fmt: skip
    listing(ctx, "credit_history", columns, "deliveries", "by package, entitlement and date")


render(page_context())
