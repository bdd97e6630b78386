"""Proactive credits: purchased, redeemed, scheduled and remaining per package, and the
redemption history as a running balance."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboard.app import charts
from dashboard.app.results import Context, page_context
from dashboard.app.tables import download, grid, listing
from dashboard.app.views.common import entitlements_of, scope_line, totals
from dashboard.language import _

# the redemption history's columns, in the grid and in its CSV
HISTORY_COLUMNS = [
    "date",
    "title",
    "status",
    "quantity",
    "redeemed_to_date",
    "balance",
    "entitlement",
    "package_name",
    "contract_number",
]


def render(ctx: Context) -> None:
    st.title(_("Proactive credits"))
    scope_line(ctx)
    credits = entitlements_of(ctx, "credits")
    totals(credits, "credits", used="redeemed")  # as the table and the list say
    per_package(ctx, credits)
    history(ctx, credits)


def per_package(ctx: Context, credits: pl.DataFrame) -> None:
    st.subheader(_("Per package"))
    if credits.is_empty():
        st.info(_("No proactive credits in this selection."))
        return
    # the contract first: one package's credits in each of several contracts read alike
    shown = credits.select(
        "contract_number",
        "package_name",
        "name",
        "purchased",
        "used",
        "scheduled",
        "remaining",
        "end_date",
        "days_left",
    ).rename({"used": "redeemed"})
    grid(shown)
    download(shown, "credits_per_package", ctx)


def balance_line(credits: pl.DataFrame, daily: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Each entitlement's balance: purchased on its first day, at the end of each day with
    redemptions, and what is left on the as-of day (or the day it ended). An entitlement that
    has not started is the one point of its first day."""
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
    line = pl.concat([start, steps]).sort("label", "date", maintain_order=True)
    last = (
        line.group_by("label")
        .agg(pl.col("balance").last())
        .join(bought.select("label", "start_date", "end_date"), on="label")
    )
    end = last.select(
        pl.max_horizontal(
            pl.col("start_date"), pl.min_horizontal(pl.col("end_date"), pl.lit(as_of))
        ).alias("date"),
        "balance",
        "label",
        pl.lit(0).cast(pl.Int64).alias("redemptions"),
        pl.lit(0.0).alias("quantity"),
    )
    # a day already on the line (redemptions on the last day, or a term not started) keeps
    # its own point
    return (
        pl.concat([line, end])
        .unique(["label", "date"], keep="first", maintain_order=True)
        .sort("label", "date", maintain_order=True)
    )


def history(ctx: Context, credits: pl.DataFrame) -> None:
    if credits.is_empty():  # said once, above
        return
    st.subheader(_("Redemption history"))
    daily = ctx.run("credit_balance")
    if daily.is_empty():
        st.info(_("No credits redeemed yet in this selection."))
        return
    if ctx.filters.dated:
        said = _(
            "Credits left at the end of each day with redemptions, over the whole term, whatever "
            "the dates picked. The deliveries are listed below, latest first, those in the dates "
            "picked, each with the balance after it; scheduled and cancelled ones redeem nothing."
        )
    else:
        said = _(
            "Credits left at the end of each day with redemptions, over the whole term. The "
            "deliveries are listed below, latest first, each with the balance after it; "
            "scheduled and cancelled ones redeem nothing."
        )
    st.caption(said)
    charts.draw(charts.balance(balance_line(credits, daily, ctx.dataset.as_of)), width="stretch")
    listed = ctx.run("credit_deliveries").item()  # counted on the roll-up: cheaper than the list
    if not listed:
        st.info(_("No delivery against these credits in the dates picked."))
        return
    listing(
        ctx,
        "credit_history",
        HISTORY_COLUMNS,
        "deliveries",
        "latest first",
        total=int(listed),
    )


if __name__ == "__main__":  # drawn as a page; imported for its balance line
    render(page_context())
