"""Renewal planning: which entitlements will run out, which will be left unused, when each
package ends, and each entitlement's burn-down against what was purchased."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import streamlit as st

from dashboard import charts
from dashboard import meeting_pack as pack
from dashboard.data import Context, page_context
from dashboard.grids import download, download_xlsx, grid
from dashboard.text import amount, inert, rate
from dashboard.views.common import figure_row, scope_line

METHOD = (
    "**How this is worked out.** The burn rate is what was used per day over the last 90 days "
    "(or since the package started, when that is shorter). At that rate, what remains after "
    "what is scheduled runs out on the projected day; an entitlement *will run out* when that "
    "day is on or before its end, and *will leave unused* when more than 20% of what was "
    "purchased is projected to be left at its end. Named contacts, unlimited entitlements and "
    "packages not started yet are not forecast."
)


def render(ctx: Context) -> None:
    st.title("Renewal planning")
    scope_line(ctx)
    st.markdown(METHOD)
    forecast = ctx.run("renewal_forecast")
    if forecast.is_empty():
        st.info("No consumable entitlement to forecast in this selection.")
        return
    headline(forecast)
    meeting_pack(ctx)
    risks(ctx, forecast)
    expiry_timeline(ctx)
    burn_down(ctx, forecast)
    pace_and_sizing(ctx)
    against_previous_term(ctx)


def meeting_pack(ctx: Context) -> None:
    viewer = ctx.viewer
    download_xlsx(
        lambda: pack.build(ctx.dataset, viewer.user_id, viewer.display_name, ctx.filters),
        "meeting_pack",
        ctx,
        "Meeting pack (xlsx: summary, risks, proof of delivery, charts)",
        icon=":material/work:",
        type="primary",
    )


def headline(forecast: pl.DataFrame) -> None:
    counts = dict(forecast.group_by("status").len().iter_rows())
    row = figure_row()
    row.metric("Will run out before expiry", counts.get("will run out before expiry", 0))
    row.metric("Will leave more than 20% unused", counts.get("will leave unused", 0))
    row.metric("On track", counts.get("on track", 0))
    # Series, not frame filters: a few rows (see charts._in_unit)
    runs_out = forecast.get_column("status") == "will run out before expiry"
    spent = (runs_out & (forecast.get_column("remaining") <= 0)).sum()
    if spent:
        st.caption(
            f"{spent} of the {runs_out.sum()} that will run out have nothing left already: what "
            "was used and scheduled reaches or passes what was purchased."
        )


def risks(ctx: Context, forecast: pl.DataFrame) -> None:
    st.subheader("Entitlements by risk")
    shown = forecast.select(
        "status", "contract_number", "package_name", "name", "unit", "purchased", "used",
        "scheduled", "remaining", "burn_per_day", "projected_exhaustion_date",
        "projected_unused_at_expiry", "end_date", "days_left",
    )  # fmt: skip
    grid(shown)
    download(shown, "renewal_forecast", ctx)


def expiry_timeline(ctx: Context) -> None:
    st.subheader("When packages end")
    packages = ctx.run("packages", ctx.filters).with_columns(
        (pl.col("contract_number") + " · " + pl.col("name")).alias("label")
    )
    if packages.is_empty():
        return
    st.caption(
        "Every package of the contracts in view, whatever the package status picked: the terms "
        "before and after the active ones. The dashed line is the as-of day."
    )
    charts.draw(charts.timeline(packages, ctx.dataset.as_of), width="stretch")


def burn_down(ctx: Context, forecast: pl.DataFrame) -> None:
    st.subheader("Burn-down")
    live = forecast.filter(pl.col("status") != "expired")
    if live.is_empty():
        return
    labels = dict(zip(live["entitlement_id"],
                      live["contract_number"] + " · " + live["package_name"] + " · " + live["name"],
                      strict=True))  # fmt: skip
    chosen = st.selectbox("Entitlement", list(labels), format_func=labels.get, key="burn_pick")
    row = live.filter(pl.col("entitlement_id") == chosen).row(0, named=True)
    history = ctx.run("burn_history", entitlement=chosen)
    start = pl.DataFrame({"day": [row["start_date"]], "amount": [0.0]})
    actual = (
        pl.concat([start, history.cast({"amount": pl.Float64})])
        .sort("day")
        .select("day", pl.col("amount").cum_sum().alias("used"), pl.lit("Used").alias("series"))
    )
    as_of = ctx.dataset.as_of
    dated = actual.filter(pl.col("day") <= as_of)["used"].max() or 0.0
    # what was used counts what has no date yet too (an assessment not started): the line takes
    # it in on the as-of day, so that it ends where the figures above say
    used_now = max(float(row["used"]), dated)
    today = pl.DataFrame({"day": [as_of], "used": [used_now], "series": ["Used"]})
    actual = pl.concat([actual.filter(pl.col("day") <= as_of), today])
    projected_end = used_now + row["scheduled"] + row["burn_per_day"] * max(row["days_left"], 0)
    projection = pl.DataFrame({
        "day": [as_of, row["end_date"] if row["end_date"] > as_of else as_of + timedelta(days=1)],
        "used": [used_now, projected_end],
        "series": ["Projected", "Projected"],
    })  # fmt: skip
    charts.draw(
        charts.burn_down(actual, projection, row["purchased"], row["unit"]), width="stretch"
    )
    st.caption(
        f"{rate(row['burn_per_day'])} {inert(row['unit'])} a day over the last "
        f"{row['window_days']} days; at that rate, with {amount(row['scheduled'])} scheduled, "
        f"{amount(projected_end)} of {amount(row['purchased'])} will have been used by "
        f"{row['end_date']}." + _undated(used_now - dated, used_now)
    )


def _undated(undated: float, used: float) -> str:
    """What the caption says of the use with no date yet, if any."""
    if undated <= 0:
        return ""
    if undated == 1:
        return (f" 1 of the {amount(used)} used so far has no date yet (such as an assessment "
                "not started): the line counts it from the as-of day.")  # fmt: skip
    return (f" {amount(undated)} of the {amount(used)} used so far have no date yet (such as "
            "assessments not started): the line counts them from the as-of day.")  # fmt: skip


def pace_and_sizing(ctx: Context) -> None:
    st.subheader("Pace and sizing for the next term")
    st.caption(
        "Pace is utilisation less the share of the term gone by: above zero is ahead of an even "
        "burn, below is behind. The suggestion is the trailing burn per day times the days of a "
        "term as long as this one, rounded up."
    )
    sizing = ctx.run("pace_and_sizing")
    if sizing.is_empty():
        return
    shown = sizing.with_columns(
        pl.format(
            "{} {} in {} days = {}/day × {} days = {}",
            pl.col("used_in_window").round(1),
            pl.col("unit"),
            pl.col("window_days"),
            pl.col("burn_per_day").round(3),
            pl.col("term_days"),
            pl.col("suggested_next_term"),
        ).alias("arithmetic")
    ).select(
        "contract_number", "package_name", "name", "purchased", "used", "utilisation",
        "term_elapsed", "pace", "pace_note", "suggested_next_term", "arithmetic",
    )  # fmt: skip
    grid(shown)
    download(shown, "pace_and_sizing", ctx)


def against_previous_term(ctx: Context) -> None:
    st.subheader("This term against the previous one")
    compared = ctx.run("term_comparison")
    if compared.is_empty():
        st.caption("No contract in this selection renews an earlier one that you may see.")
        return
    shown = compared.drop("contract_id")
    grid(shown)
    download(shown, "term_comparison", ctx)


render(page_context())
