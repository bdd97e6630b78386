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
        "burn, below is behind. The suggestion is the term's average pace (used so far ÷ days "
        "of the term elapsed, from the package's start to the as-of day, both included) times "
        "the days of a term as long as this one, rounded up; in brackets, the same at the last "
        "90 days' pace, for a range. Under 30 days of the term elapsed or fewer than 3 usage "
        "events (support requests, deliveries, enrollments or assessments counted as used) are "
        "too little history to suggest anything."
    )
    sizing = ctx.run("pace_and_sizing")
    if sizing.is_empty():
        return
    rows = list(sizing.iter_rows(named=True))
    shown = sizing.with_columns(
        pl.Series("suggestion", [_suggestion(r) for r in rows], dtype=pl.String),
        pl.Series("arithmetic", [_sizing_arithmetic(r) for r in rows], dtype=pl.String),
    ).select(
        "contract_number", "package_name", "name", "purchased", "used", "suggestion",
        "arithmetic", "utilisation", "term_elapsed", "pace", "pace_note",
    )  # fmt: skip
    grid(shown)
    download(shown, "pace_and_sizing", ctx)


def _suggestion(row: dict) -> str:
    """`2,433 (3,100 at the last 90 days' pace)`, or that there is too little history."""
    if row["suggested_next_term"] is None:
        return "too little history"
    return (f"{row['suggested_next_term']:,} ({row['suggested_from_last_90_days']:,} at the "
            "last 90 days' pace)")  # fmt: skip


def _sizing_arithmetic(row: dict) -> str:
    """`used 1,200 hours in 180 of 365 days → 2,433 for a year; last 90 days: 300 → 1,217`."""
    unit = row["unit"][:-1] if row["used"] == 1 and row["unit"].endswith("s") else row["unit"]
    used = (f"used {amount(row['used'])} {unit} in {row['days_elapsed']:,} of "
            f"{row['term_days']:,} days")  # fmt: skip
    if row["suggested_next_term"] is None:
        if row["days_elapsed"] < 30:
            return f"{used} (at least 30 days needed)"
        events = row["usage_events"]
        return f"{used}, from {events} usage event{'' if events == 1 else 's'} (at least 3 needed)"
    term = "a year" if row["term_days"] in (365, 366) else f"a term of {row['term_days']:,} days"
    return (f"{used} → {row['suggested_next_term']:,} for {term}; last "
            f"{row['window_days']:,} days: {amount(row['used_in_window'])} → "
            f"{row['suggested_from_last_90_days']:,}")  # fmt: skip


def against_previous_term(ctx: Context) -> None:
    st.subheader("This term against the previous one")
    compared = ctx.run("term_comparison")
    if compared.is_empty():
        st.caption(
            "No contract active on the as-of day in this selection renews an earlier one that "
            "you may see."
        )
        return
    st.caption(
        "Like for like: what each active contract has used so far (the share of its term "
        "elapsed) against what the contract it renews had used by the same share of its term "
        "(up to the day shown), and the change between the two; the previous term's use over "
        "its whole term apart. A contract that has not started yet is compared once it starts."
    )
    shown = compared.select(
        "contract_number", "previous_contract_number", "category", "unit", "term_elapsed",
        "used_this_term", "used_previous_term_same_share", "change_in_use",
        "previous_compared_to", "used_previous_term", "purchased_this_term",
        "purchased_previous_term",
    )  # fmt: skip
    grid(shown)
    download(shown, "term_comparison", ctx)


render(page_context())
