"""Renewal planning: which entitlements will run out, which will be left unused, when each
package ends, and each entitlement's burn-down against what was purchased."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import polars as pl
import streamlit as st

from dashboard import words
from dashboard.app import charts
from dashboard.app import meeting_pack as pack
from dashboard.app.changes_section import changed_since, snapshot_button
from dashboard.app.pack_content import (
    BAND_LEAST_DAYS,
    band_method,
    run_out_range,
    with_run_out_range,
)
from dashboard.app.results import Context, page_context
from dashboard.app.tables import download, download_document, grid
from dashboard.app.views.common import figure_row, scope_line
from dashboard.formats import amount, count, day, number, percent, rate
from dashboard.language import _, ngettext
from dashboard.rules import BURN_WINDOW_DAYS, UNUSED_SHARE
from dashboard.text import inert


def method() -> str:
    """How the forecast is worked out, in the run's language (its numbers written in it)."""
    return ngettext(
        "**How this is worked out.** The burn rate is what was used per day over the last "
        "{n} day (or since the package started, when that is shorter). At that rate, what "
        "remains after what is scheduled runs out on the projected day; an entitlement *will "
        "run out* when that day is on or before its end, and *will leave unused* when more "
        "than {share} of what was purchased is projected to be left at its end. Named "
        "contacts, unlimited entitlements and packages not started yet are not forecast.",
        "**How this is worked out.** The burn rate is what was used per day over the last "
        "{n} days (or since the package started, when that is shorter). At that rate, what "
        "remains after what is scheduled runs out on the projected day; an entitlement *will "
        "run out* when that day is on or before its end, and *will leave unused* when more "
        "than {share} of what was purchased is projected to be left at its end. Named "
        "contacts, unlimited entitlements and packages not started yet are not forecast.",
        BURN_WINDOW_DAYS,
    ).format(n=number(BURN_WINDOW_DAYS), share=percent(UNUSED_SHARE))


def render(ctx: Context) -> None:
    st.title(_("Renewal planning"))
    scope_line(ctx, reads_dates=False)
    st.markdown(method())
    forecast = with_run_out_range(ctx.run("renewal_forecast"))
    if forecast.is_empty():
        st.info(_("No consumable entitlement to forecast in this selection."))
        return
    headline(ctx, forecast)
    meeting_pack(ctx)
    changed_since(ctx)
    risks(ctx, forecast)
    expiry_timeline(ctx)
    burn_down(ctx, forecast)
    pace_and_sizing(ctx)
    against_previous_term(ctx)


def meeting_pack(ctx: Context) -> None:
    """The pack to take into the meeting: a workbook to work in, a PDF to present from."""
    viewer = ctx.viewer
    number = None
    if ctx.filters.contract:  # the sidebar's list of contracts, already cached
        offered = replace(ctx.filters, contract=None, package=None)
        number = pack.contract_number(ctx.run("contracts", filters=offered), ctx.filters.contract)
    # side by side at their own widths, one under the other where they do not fit
    row = st.container(horizontal=True)
    for kind, label in (("xlsx", _("Meeting pack (xlsx)")), ("pdf", _("Meeting pack (PDF)"))):
        with row:
            download_document(
                lambda kind=kind: pack.build(
                    ctx.dataset,
                    viewer.user_id,
                    viewer.display_name,
                    ctx.filters,
                    format=kind,
                    keep_snapshot=True,
                ),
                "meeting_pack",
                ctx,
                label,
                file_name=pack.named_file(viewer.customer_name, number, ctx.dataset.as_of, kind),
                icon=":material/work:" if kind == "xlsx" else ":material/picture_as_pdf:",
                type="primary" if kind == "xlsx" else "secondary",
                help=pack_help(kind),
            )
    with row:
        snapshot_button(ctx)


def pack_help(kind: str) -> str:
    """What the meeting pack of `kind` (xlsx or pdf) holds and is for."""
    if kind == "xlsx":
        return _(
            "The summary, renewal risks, delivery totals and items, and the charts, to work in; "
            "it keeps a snapshot of its figures for the next meeting"
        )
    return _(
        "The summary, renewal risks, delivery totals and items, and the charts, to present "
        "from; it keeps a snapshot of its figures for the next meeting"
    )


def headline(ctx: Context, forecast: pl.DataFrame) -> None:
    counts = dict(forecast.group_by("status").len().iter_rows())
    row = figure_row()
    row.metric(_("Will run out before expiry"), number(counts.get("will run out before expiry", 0)))
    row.metric(
        _("Will leave more than {share} unused").format(share=percent(UNUSED_SHARE)),
        number(counts.get("will leave unused", 0)),
    )
    row.metric(_("On track"), number(counts.get("on track", 0)))
    if ctx.filters.dated:  # nothing here reads the dates: a reader who picked some must know
        st.caption(
            ngettext(
                "Whole term, whatever the dates: each forecast runs from the package's start to "
                "its end, at the last {n} day's pace up to the as-of day. No figure on this page "
                "is narrowed by the activity dates.",
                "Whole term, whatever the dates: each forecast runs from the package's start to "
                "its end, at the last {n} days' pace up to the as-of day. No figure on this page "
                "is narrowed by the activity dates.",
                BURN_WINDOW_DAYS,
            ).format(n=number(BURN_WINDOW_DAYS))
        )
    # Series, not frame filters: a few rows (see charts._in_unit)
    runs_out = forecast.get_column("status") == "will run out before expiry"
    spent = (runs_out & (forecast.get_column("remaining") <= 0)).sum()
    if spent:
        st.caption(
            ngettext(
                "{n} of the {all} that will run out have nothing left already: what was used "
                "and scheduled reaches or passes what was purchased.",
                "{n} of the {all} that will run out have nothing left already: what was used "
                "and scheduled reaches or passes what was purchased.",
                spent,
            ).format(n=number(spent), all=number(runs_out.sum()))
        )


# the forecast's columns in the CSV's order, its words added after them (the grid reorders)
RISK_FIELDS = (
    "status",
    "contract_number",
    "package_name",
    "name",
    "unit",
    "purchased",
    "used",
    "scheduled",
    "remaining",
    "burn_per_day",
    "projected_exhaustion_date",
    "exhaustion_low_date",
    "exhaustion_high_date",
    "projected_unused_at_expiry",
    "end_date",
    "days_left",
    "runs_out_between",
)
# What a reader needs first in each row, in this order (on a phone, the first two): which
# entitlement, what its forecast says with the figure that matters, the days left, the contract.
# The other columns follow, a scroll away, and are all in the CSV.
RISK_COLUMNS = (
    "name",
    "forecast",
    "days_left",
    "contract_number",
    "runs_out_between",
    "package_name",
    "unit",
    "remaining",
    "purchased",
    "used",
    "scheduled",
    "burn_per_day",
    "projected_exhaustion_date",
    "projected_unused_at_expiry",
    "end_date",
    "status",
)


def risks(ctx: Context, forecast: pl.DataFrame) -> None:
    st.subheader(_("Entitlements by risk"))
    outlooks = [forecast_words(r) for r in forecast.iter_rows(named=True)]
    outlook = pl.Series("forecast", outlooks, dtype=pl.String)
    statuses = words.forecast_worded(pl.col("status"))
    shown = forecast.select(RISK_FIELDS).with_columns(outlook, statuses)
    grid(shown, column_order=RISK_COLUMNS, pinned=("name",))
    download(shown, _("renewal_forecast"), ctx)


def forecast_words(row: dict) -> str:
    """The forecast of an entitlement in a few words with its figure, narrow enough to sit
    beside its name on a phone, and of about the same width whatever it says (the grid sizes a
    column by its first rows): `Runs out 14 Dec 2026`, `120 hours unused` (at its end)."""
    status = row["status"]
    if status == "will run out before expiry" and row["remaining"] <= 0:
        return _("Nothing left now")
    if status == "will run out before expiry":
        return _("Runs out {day}").format(day=day(row["projected_exhaustion_date"]))
    if status == "will leave unused":
        unused = row["projected_unused_at_expiry"]
        return _("{quantity} unused").format(quantity=quantity(unused, row["unit"]))
    if status == "expired":
        return _("Ended {day}").format(day=day(row["end_date"]))
    return _("On track")


def quantity(value: float, unit: str, form: float | None = None) -> str:
    """`12.5 hours`, `1 seat`: an amount with its unit in the form the amount as written takes
    (singular for exactly one), or the form `form` takes when given."""
    written = amount(value)
    n = plural_form(round(value, 1) if form is None else form)
    said = {
        "hours": ngettext("{n} hour", "{n} hours", n),
        "credits": ngettext("{n} credit", "{n} credits", n),
        "seats": ngettext("{n} seat", "{n} seats", n),
        "contacts": ngettext("{n} contact", "{n} contacts", n),
        "assessments": ngettext("{n} assessment", "{n} assessments", n),
    }
    if unit not in said:  # a unit the data contract does not name: its code, as it is
        return f"{written} {unit[:-1] if n == 1 and unit.endswith('s') else unit}"
    return said[unit].format(n=written)


def plural_form(value: float) -> int:
    """The number whose plural form an amount takes: a whole one its own; a fraction that of a
    few, as Polish writes them (2,5 godziny) and English (2.5 hours)."""
    return int(value) if float(value).is_integer() else 2


def expiry_timeline(ctx: Context) -> None:
    st.subheader(_("When packages end"))
    packages = ctx.run("packages", ctx.filters).with_columns(
        (pl.col("contract_number") + " · " + pl.col("name")).alias("label")
    )
    if packages.is_empty():
        return
    st.caption(
        _(
            "Every package of the contracts in view, whatever the package status picked: the "
            "terms before and after the active ones. The dashed line is the as-of day."
        )
    )
    charts.draw(charts.timeline(packages, ctx.dataset.as_of), width="stretch")


def burn_down(ctx: Context, forecast: pl.DataFrame) -> None:
    st.subheader(_("Burn-down"))
    live = forecast.filter(pl.col("status") != "expired")
    if live.is_empty():
        return
    named = live["contract_number"] + " · " + live["package_name"] + " · " + live["name"]
    labels = dict(zip(live["entitlement_id"], named, strict=True))
    chosen = st.selectbox(_("Entitlement"), list(labels), format_func=labels.get, key="burn_pick")
    row = live.filter(pl.col("entitlement_id") == chosen).row(0, named=True)
    history = ctx.run("burn_history", entitlement=chosen)
    start = pl.DataFrame({"day": [row["start_date"]], "amount": [0.0]})
    actual = (
        pl.concat([start, history.cast({"amount": pl.Float64})])
        .sort("day")
        .select("day", pl.col("amount").cum_sum().alias("used"), pl.lit(_("Used")).alias("series"))
    )
    as_of = ctx.dataset.as_of
    dated = actual.filter(pl.col("day") <= as_of)["used"].max() or 0.0
    # what was used counts what has no date yet too (an assessment not started): the line takes
    # it in on the as-of day, so that it ends where the figures above say
    used_now = max(float(row["used"]), dated)
    today = pl.DataFrame({"day": [as_of], "used": [used_now], "series": [_("Used")]})
    actual = pl.concat([actual.filter(pl.col("day") <= as_of), today])
    projected_end = used_now + row["scheduled"] + row["burn_per_day"] * max(row["days_left"], 0)
    # to the term's end, or the day after the as-of day when the term ends by then: a line
    ends = row["end_date"] if row["end_date"] > as_of else as_of + timedelta(days=1)
    projection = pl.DataFrame(
        {"day": [as_of, ends], "used": [used_now, projected_end], "series": [_("Projected")] * 2}
    )
    band = band_rows(row, used_now, as_of, ends)
    charts.draw(
        charts.burn_down(actual, projection, row["purchased"], row["unit"], band),
        width="stretch",
    )
    paced = ngettext(
        "{rate} {unit} a day over the last {n} day; at that rate, with {scheduled} scheduled, "
        "{projected} of {purchased} will have been used by {day}.",
        "{rate} {unit} a day over the last {n} days; at that rate, with {scheduled} scheduled, "
        "{projected} of {purchased} will have been used by {day}.",
        row["window_days"],
    ).format(
        rate=rate(row["burn_per_day"]),
        unit=inert(words.unit(row["unit"])),
        n=number(row["window_days"]),
        scheduled=amount(row["scheduled"]),
        projected=amount(projected_end),
        purchased=amount(row["purchased"]),
        day=day(row["end_date"]),
    )
    st.caption(paced + _undated(used_now - dated, used_now))
    st.caption(band_said(row) + " " + band_method())


def band_rows(row: dict, used_now: float, as_of, ends) -> pl.DataFrame | None:
    """The forecast band of the burn-down: from what is used on the as-of day to the end of the
    projection at the slow and fast ends of the rate's range, as the projection is drawn (what
    is scheduled on top); None without a band."""
    if row["burn_per_day_high"] is None:
        return None
    days = max(row["days_left"], 0)
    ahead = used_now + row["scheduled"]
    low, high = row["burn_per_day_low"], row["burn_per_day_high"]
    said = run_out_range(row["exhaustion_low_date"], row["exhaustion_high_date"])
    return pl.DataFrame(
        {
            "day": [as_of, ends],
            "low": [used_now, ahead + low * days],
            "high": [used_now, ahead + high * days],
            "runs_out": [said] * 2,
            "per_day": [f"{rate(low)} – {rate(high)} {words.unit(row['unit'])}"] * 2,
        }
    )


def band_said(row: dict) -> str:
    """What the shaded range says of this entitlement, or why there is none."""
    if row["burn_per_day_high"] is None:
        if row["window_days"] < BAND_LEAST_DAYS:
            return ngettext(
                "No range: {n} day of history, under {least}.",
                "No range: {n} days of history, under {least}.",
                row["window_days"],
            ).format(n=number(row["window_days"]), least=number(BAND_LEAST_DAYS))
        return _("No range: nothing used in the window.")
    pace = {
        "low": rate(row["burn_per_day_low"]),
        "high": rate(row["burn_per_day_high"]),
        "unit": inert(words.unit(row["unit"])),
    }
    if row["remaining"] <= 0:
        return _("The shaded range: {low} to {high} {unit} a day; nothing is left already.").format(
            **pace
        )
    said = run_out_range(row["exhaustion_low_date"], row["exhaustion_high_date"])
    return _(
        "The shaded range: {low} to {high} {unit} a day, at which it runs out: {said}."
    ).format(**pace, said=said)


def _undated(undated: float, used: float) -> str:
    """What the caption says of the use with no date yet, if any."""
    if undated <= 0:
        return ""
    said = ngettext(
        "{n} of the {used} used so far has no date yet (such as an assessment not started): "
        "the line counts it from the as-of day.",
        "{n} of the {used} used so far have no date yet (such as assessments not started): "
        "the line counts them from the as-of day.",
        plural_form(undated),
    )
    return " " + said.format(n=amount(undated), used=amount(used))


def pace_and_sizing(ctx: Context) -> None:
    st.subheader(_("Pace and sizing for the next term"))
    st.caption(
        ngettext(
            "Pace is utilisation less the share of the term gone by: above zero is ahead of an "
            "even burn, below is behind. The suggestion is the term's average pace (used so far "
            "÷ days of the term elapsed, from the package's start to the as-of day, both "
            "included) times the days of a term as long as this one, rounded up; in brackets, "
            "the same at the last {n} day's pace, for a range. Under 30 days of the term elapsed "
            "or fewer than 3 usage events (support requests, deliveries, enrollments or "
            "assessments counted as used) are too little history to suggest anything.",
            "Pace is utilisation less the share of the term gone by: above zero is ahead of an "
            "even burn, below is behind. The suggestion is the term's average pace (used so far "
            "÷ days of the term elapsed, from the package's start to the as-of day, both "
            "included) times the days of a term as long as this one, rounded up; in brackets, "
            "the same at the last {n} days' pace, for a range. Under 30 days of the term "
            "elapsed or fewer than 3 usage events (support requests, deliveries, enrollments or "
            "assessments counted as used) are too little history to suggest anything.",
            BURN_WINDOW_DAYS,
        ).format(n=number(BURN_WINDOW_DAYS))
    )
    sizing = ctx.run("pace_and_sizing")
    if sizing.is_empty():
        return
    rows = list(sizing.iter_rows(named=True))
    shown = sizing.with_columns(
        pl.Series("suggestion", [_suggestion(r) for r in rows], dtype=pl.String),
        pl.Series("arithmetic", [_sizing_arithmetic(r) for r in rows], dtype=pl.String),
    ).select(SIZING_FIELDS)
    grid(shown, column_order=SIZING_COLUMNS, pinned=("name",))
    download(shown, _("pace_and_sizing"), ctx)


# the columns as the CSV has them (the grid reorders them)
SIZING_FIELDS = (
    "contract_number",
    "package_name",
    "name",
    "purchased",
    "used",
    "suggestion",
    "arithmetic",
    "utilisation",
    "term_elapsed",
    "pace",
    "pace_note",
)
# the entitlement and its suggested next term first (a phone shows those two), then what it is
# set against and which contract it is; the working a scroll away
SIZING_COLUMNS = (
    "name",
    "suggestion",
    "purchased",
    "used",
    "contract_number",
    "package_name",
    "pace_note",
    "utilisation",
    "term_elapsed",
    "pace",
    "arithmetic",
)


def _suggestion(row: dict) -> str:
    """`2,433 (last 90 days: 3,100)`, or that there is too little history: short, so that it
    sits beside the entitlement's name on a phone (the caption says what the brackets hold)."""
    if row["suggested_next_term"] is None:
        return _("too little history")
    return ngettext(
        "{suggested} (last {n} day: {recent})",
        "{suggested} (last {n} days: {recent})",
        BURN_WINDOW_DAYS,
    ).format(
        suggested=number(row["suggested_next_term"]),
        n=number(BURN_WINDOW_DAYS),
        recent=number(row["suggested_from_last_90_days"]),
    )


def _sizing_arithmetic(row: dict) -> str:
    """`used 1,200 hours in 180 of 365 days → 2,433 for a year; last 90 days: 300 → 1,217`."""
    used = ngettext(
        "used {quantity} in {elapsed} of {n} day",
        "used {quantity} in {elapsed} of {n} days",
        row["term_days"],
    ).format(
        quantity=quantity(row["used"], row["unit"], form=row["used"]),
        elapsed=number(row["days_elapsed"]),
        n=number(row["term_days"]),
    )
    if row["suggested_next_term"] is None:
        if row["days_elapsed"] < 30:
            return _("{used} (at least 30 days needed)").format(used=used)
        return ngettext(
            "{used}, from {n} usage event (at least 3 needed)",
            "{used}, from {n} usage events (at least 3 needed)",
            row["usage_events"],
        ).format(used=used, n=number(row["usage_events"]))
    term = (
        _("for a year")
        if row["term_days"] in (365, 366)
        else count(row["term_days"], "for a term of {n} day", "for a term of {n} days")
    )
    return ngettext(
        "{used} → {suggested} {term}; last {n} day: {recent_use} → {recent}",
        "{used} → {suggested} {term}; last {n} days: {recent_use} → {recent}",
        row["window_days"],
    ).format(
        used=used,
        suggested=number(row["suggested_next_term"]),
        term=term,
        n=number(row["window_days"]),
        recent_use=amount(row["used_in_window"]),
        recent=number(row["suggested_from_last_90_days"]),
    )


def against_previous_term(ctx: Context) -> None:
    st.subheader(_("This term against the previous one"))
    compared = ctx.run("term_comparison")
    if compared.is_empty():
        st.caption(
            _(
                "No contract active on the as-of day in this selection renews an earlier one "
                "that you may see."
            )
        )
        return
    st.caption(
        _(
            "Like for like: what each active contract has used so far (the share of its term "
            "elapsed) against what the contract it renews had used by the same share of its "
            "term (up to the day shown), and the change between the two; the previous term's "
            "use over its whole term apart. A contract that has not started yet is compared "
            "once it starts."
        )
    )
    shown = compared.select(COMPARISON_FIELDS)
    # a grid per contract under a line naming the two terms: what is the same on every row of
    # a contract is said once, which leaves room for the figures beside each category
    for _contract, rows in shown.group_by("contract_number", maintain_order=True):
        st.markdown(terms_compared(rows.row(0, named=True)))
        grid(rows, column_order=COMPARISON_COLUMNS)
    download(shown, _("term_comparison"), ctx)


# the columns as the CSV has them (each contract's grid shows COMPARISON_COLUMNS)
COMPARISON_FIELDS = (
    "contract_number",
    "previous_contract_number",
    "category",
    "unit",
    "term_elapsed",
    "used_this_term",
    "used_previous_term_same_share",
    "change_in_use",
    "previous_compared_to",
    "used_previous_term",
    "purchased_this_term",
    "purchased_previous_term",
)
COMPARISON_COLUMNS = (
    "category",
    "change_in_use",
    "used_this_term",
    "used_previous_term_same_share",
    "unit",
    "used_previous_term",
    "purchased_this_term",
    "purchased_previous_term",
)


def terms_compared(row: dict) -> str:
    """`**CN-2** against CN-1: 43% of its term gone by, the previous term up to 5 Jun 2025.`"""
    return _(
        "**{contract}** against {previous}: {share} of its term gone by, the previous term "
        "counted up to {day}."
    ).format(
        contract=inert(row["contract_number"]),
        previous=inert(row["previous_contract_number"]),
        share=percent(row["term_elapsed"]),
        day=day(row["previous_compared_to"]),
    )


render(page_context())
