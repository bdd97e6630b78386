"""Charts: pure functions from an aggregated frame to an Altair chart. Nothing here queries.

One colour per meaning across the whole app (Okabe-Ito, safe for colour-blind readers).
"""

from __future__ import annotations

import warnings

import altair as alt
import polars as pl

USED = "#0072B2"  # blue
SCHEDULED = "#E69F00"  # orange
REMAINING = "#009E73"  # bluish green
OVERAGE = "#D55E00"  # vermillion
PURCHASED = "#1c2530"  # the purchased mark: near-black
MEASURES = ("used", "scheduled", "remaining")
MEASURE_COLOURS = alt.Scale(domain=list(MEASURES), range=[USED, SCHEDULED, REMAINING])
CATEGORY_COLOURS = alt.Scale(
    domain=["reactive", "advisory", "proactive", "credits", "education", "contacts", "assessments"],
    range=["#0072B2", "#56B4E9", "#E69F00", "#F0E442", "#009E73", "#CC79A7", "#999999"],
)
CATEGORY_LABELS = {
    "proactive": "Proactive services",
    "reactive": "Reactive support",
    "advisory": "Advisory support",
    "education": "On-demand education",
    "contacts": "Named contacts",
    "assessments": "On-demand assessments",
    "credits": "Proactive credits",
}
SELECTION = "pick"

warnings.filterwarnings("ignore", message="Automatically deduplicated selection parameter")


def _long(frame: pl.DataFrame, label: str) -> pl.DataFrame:
    """One row per bar segment: used, scheduled and what is left (never below zero)."""
    return (
        frame.with_columns(
            pl.col("remaining").clip(lower_bound=0).alias("remaining_shown"),
            (-pl.col("remaining")).clip(lower_bound=0).alias("over_by"),
        )
        .unpivot(
            index=[label, "category", "unit", "purchased", "remaining", "over_by"],
            on=["used", "scheduled", "remaining_shown"],
            variable_name="measure",
            value_name="amount",
        )
        .with_columns(
            pl.col("measure").replace({"remaining_shown": "remaining"}),
            pl.col("measure")
            .replace_strict({"used": 0, "scheduled": 1, "remaining_shown": 2})
            .alias("order"),
        )
    )


def consumption_bars(frame: pl.DataFrame, label: str = "category") -> alt.VConcatChart:
    """Used, scheduled and remaining against purchased: one horizontal bar per row of `frame`,
    one panel per unit so that every axis is in one unit. `frame` needs `label`, category, unit,
    purchased, used, scheduled and remaining. Clicking a bar selects its `label`."""
    pick = alt.selection_point(name=SELECTION, fields=[label])
    panels = []
    for unit in sorted(frame.get_column("unit").unique().to_list()):
        rows = frame.filter(pl.col("unit") == unit)
        if label == "category":
            rows = rows.with_columns(pl.col("category").replace(CATEGORY_LABELS).alias("shown"))
        else:
            rows = rows.with_columns(pl.col(label).alias("shown"))
        long = _long(rows, label).join(rows.select(label, "shown"), on=label)
        y = alt.Y("shown:N", title=None, sort=None, axis=alt.Axis(labelLimit=260))
        tooltip = [
            alt.Tooltip("shown:N", title=label.replace("_", " ").capitalize()),
            alt.Tooltip("measure:N", title="Segment"),
            alt.Tooltip("amount:Q", title=unit.capitalize(), format=",.1f"),
            alt.Tooltip("purchased:Q", title="Purchased", format=",.1f"),
            alt.Tooltip("remaining:Q", title="Remaining", format=",.1f"),
        ]
        bars = (
            alt.Chart(long)
            .mark_bar(height={"band": 0.7})
            .encode(
                x=alt.X("sum(amount):Q", title=unit, stack="zero"),
                y=y,
                color=alt.Color("measure:N", scale=MEASURE_COLOURS, title=None),
                order=alt.Order("order:Q"),
                opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
                tooltip=tooltip,
            )
            .add_params(pick)
        )
        purchased = (
            alt.Chart(rows.filter(pl.col("purchased").is_not_null()))
            .mark_tick(color=PURCHASED, thickness=3, size=26)
            .encode(
                x=alt.X("purchased:Q"),
                y=y,
                tooltip=[
                    alt.Tooltip("shown:N", title="Purchased"),
                    alt.Tooltip("purchased:Q", title=unit.capitalize(), format=",.1f"),
                ],
            )
        )
        over = (
            alt.Chart(rows.filter(pl.col("remaining") < 0))
            .mark_text(align="left", dx=6, color=OVERAGE, fontWeight="bold")
            .encode(
                x=alt.X("max_x:Q"),
                y=y,
                text=alt.Text("label:N"),
            )
            .transform_calculate(
                max_x="datum.used + datum.scheduled",
                label="'over by ' + format(-datum.remaining, ',.1f')",
            )
        )
        panels.append(
            alt.layer(bars, purchased, over).properties(
                width="container", height=max(44 * rows.height, 60), title=unit.capitalize()
            )
        )
    return (
        alt.vconcat(*panels, spacing=18)
        .resolve_scale(x="independent", y="independent")
        .configure_legend(orient="top")
        .configure_title(anchor="start", fontSize=13)
        .configure_view(stroke=None)
    )


def monthly_consumption(frame: pl.DataFrame) -> alt.VConcatChart:
    """Consumption per month, stacked by category, one panel per unit.
    `frame` needs month (a date), category, unit and amount."""
    panels = []
    for unit in sorted(frame.get_column("unit").unique().to_list()):
        rows = frame.filter(pl.col("unit") == unit).with_columns(
            pl.col("category").replace(CATEGORY_LABELS).alias("shown")
        )
        panels.append(
            alt.Chart(rows)
            .mark_bar()
            .encode(
                x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %Y")),
                y=alt.Y("sum(amount):Q", title=unit),
                color=alt.Color(
                    "category:N",
                    scale=CATEGORY_COLOURS,
                    legend=alt.Legend(title=None, labelExpr=_label_expr()),
                ),
                tooltip=[
                    alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                    alt.Tooltip("shown:N", title="Category"),
                    alt.Tooltip("sum(amount):Q", title=unit.capitalize(), format=",.1f"),
                ],
            )
            .properties(width="container", height=160, title=unit.capitalize())
        )
    return (
        alt.vconcat(*panels, spacing=18)
        .resolve_scale(x="shared", y="independent", color="shared")
        .configure_legend(orient="top")
        .configure_title(anchor="start", fontSize=13)
        .configure_view(stroke=None)
    )


def _label_expr() -> str:
    cases = " : ".join(
        f"datum.label == '{key}' ? '{value}'" for key, value in CATEGORY_LABELS.items()
    )
    return f"{cases} : datum.label"
