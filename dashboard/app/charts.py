"""The chart catalogue: one function per chart the pages draw, from an aggregated frame to a
Recipe (the chart is built and turned into a spec only when drawn, once per input; see
dashboard/app/chart_specs.py, the engine), `draw`, and `picked` for what a click selected.
Nothing here queries.

One colour per meaning across the whole app. The status colours (Okabe-Ito, safe for
colour-blind readers) mean the parts of a purchase and its warning, and only those; categories,
the states of items and terms and plain counts have colours of their own, none of them a status
colour, so that no colour on a page means two things.

Every word a chart shows is in the run's language (dashboard.language): named when the chart is
sketched and built, never at import, since one process draws charts in several languages (their
specs are cached per language, see chart_specs). Colour scales whose domain is words are built
per chart for that reason.
"""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import polars as pl
import streamlit as st

from dashboard import export, rules, words
from dashboard.app.chart_specs import (
    CONCAT_LEGEND_COLUMNS,
    FIT_WIDTH,
    MIN_HEIGHT,
    SMALL,
    TITLE_LIMIT,
    TOP_LEGEND_COLUMNS,
    TWO_LINES_WHEN_NARROW,
    ChartData,
    Recipe,
    Sketch,
    bars_height,
    every_month,
    few_bars,
    label_limit,
    months_x,
    recipe,
    sketch,
    unframed,
    zero_filled,
)
from dashboard.formats import (
    D3_AMOUNT,
    D3_COUNT,
    D3_DAY,
    D3_MONTH,
    D3_MONTH_LONG,
    amount,
    percent,
)

# English only, for callers not yet speaking the run's language: name categories with
# dashboard.words instead
from dashboard.ingest.schema import CATEGORY_LABELS as CATEGORY_LABELS
from dashboard.language import N_, _, pgettext
from dashboard.rules import EXPIRING_SOON_DAYS

# The status colours: a purchase's parts, its warning, and the marks drawn against it
USED = "#0072B2"  # blue
SCHEDULED = "#56B4E9"  # sky blue
REMAINING = "#D9D9D9"  # light grey: what is left is room, not something done
OVERAGE = "#D55E00"  # vermillion: past what was purchased, the one warning colour
WITHOUT_LIMIT = "#003C64"  # dark blue: use too, on entitlements with no purchased quantity
PURCHASED = "#1c2530"  # near-black: the purchased mark, and the as-of day's line
STATUS_PALETTE = (USED, SCHEDULED, REMAINING, OVERAGE, WITHOUT_LIMIT, PURCHASED)
# Categories: Tableau's "tableau10" without its blue and orange (status-like), its red (read as
# a warning) and its grey (read as what remains), and one of "tableau20" for the seventh
CATEGORY_PALETTE = {
    "reactive": "#76B7B2",  # teal
    "advisory": "#B07AA1",  # purple
    "proactive": "#EDC948",  # yellow
    "credits": "#9C755F",  # brown
    "education": "#59A14F",  # green
    "contacts": "#FF9DA7",  # pink
    "assessments": "#B6992D",  # olive
}
# What became of an item (an enrollment, an assessment), by its code (named by words.word):
# done dark, under way lighter, not started lightest, called off grey
STATE_PALETTE = {
    "completed": "#5E4FA2",
    "enrolled": "#9E9AC8",
    "in_progress": "#9E9AC8",
    "not_started": "#CBC9E2",
    "cancelled": "#7F7F7F",
}
# Where a package's term stands on the as-of day, by its code
TERM_PALETTE = {"active": "#5E4FA2", "upcoming": "#ADA8D4", "expired": "#A8A8A8"}
PLAIN = "#52606D"  # slate: bars of a count that is no part of a purchase
# a bar's segments, as named in English; drawn in the run's language (see _measure_words)
MEASURES = (N_("Used"), N_("Scheduled"), N_("Remaining"), N_("Overage"), N_("No limit"))
OVER = MEASURES[-2]  # used and scheduled past what was purchased, beyond the purchased mark
NO_LIMIT = MEASURES[-1]  # use on entitlements with no purchased quantity
MEASURE_ORDER = {name: place for place, name in enumerate(MEASURES)}
CATEGORY_COLOURS = alt.Scale(domain=list(CATEGORY_PALETTE), range=list(CATEGORY_PALETTE.values()))
# What a tooltip calls the column a chart's bars are labelled or picked by; one not listed is
# spelled out (customer_name -> "Customer name")
FIELD_NAMES = {
    "category": N_("Category"),
    "name": N_("Name"),
    "customer_name": N_("Customer name"),
    "reason": N_("Reason"),
    "alert_kind": N_("Alert kind"),
}
# the name of a drill-down chart's click selection, which `picked` reads back
SELECTION = "pick"
# Pixels kept right of a plot where an "over by N" note is written past the end of a bar. The
# chart fits the note in its width, measured by Vega; the browser's bold face draws it a few
# pixels wider than measured, so the longest bar's note lost its last digit ("over by
# 70,910.") with the default padding of 5. Room for the whole note instead counted it twice and
# took the bars' width: on a phone, all of it.
OVERAGE_MARGIN = 24
# units counted one by one: no axis ticks at half a seat
WHOLE_UNITS = frozenset({"seats", "contacts", "assessments", "enrollments"})


def _measure_words() -> dict[str, str]:
    """Each segment's English name -> its name in the run's language."""
    return {name: _(name) for name in MEASURES}


def _measure_colours() -> alt.Scale:
    """The segments' colours, by their names in the run's language."""
    return alt.Scale(
        domain=list(_measure_words().values()),
        range=[USED, SCHEDULED, REMAINING, OVERAGE, WITHOUT_LIMIT],
    )


def _term_colours() -> alt.Scale:
    """The terms' colours, by their states as words in the run's language (as tables name
    them)."""
    return alt.Scale(
        domain=[words.word(state) for state in TERM_PALETTE], range=list(TERM_PALETTE.values())
    )


def _field_name(field: str) -> str:
    """What a tooltip calls the column `field` of a chart's rows."""
    if field == "label":  # an entitlement's label, the bars of a customer's entitlements
        return pgettext("chart field", "Label")
    if field in FIELD_NAMES:
        return _(FIELD_NAMES[field])
    return field.replace("_", " ").capitalize()


def _quoted(text: str) -> str:
    """`text` as a string in a Vega expression."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _number_format(unit: str) -> str:
    """How a value in `unit` is written on a chart: a count (1,049) for units counted one by
    one, an amount otherwise (1,234.5, 12)."""
    return D3_COUNT if unit in WHOLE_UNITS else D3_AMOUNT


def _amount_axis(unit: str) -> alt.Axis:
    """Whole-number ticks on an axis of `unit` counted one by one (0, 1, 2, not 0.0, 0.2 ...
    4.0); amounts written as everywhere else otherwise."""
    if unit in WHOLE_UNITS:
        return alt.Axis(tickMinStep=1, format=D3_COUNT)
    return alt.Axis(format=D3_AMOUNT)


def _over_by(frame: pl.LazyFrame) -> pl.Expr:
    """How far a row of `frame` went past what was purchased: its `overage` when it has one
    (Enterprise-wide's sums, where one entitlement's remaining never offsets another's
    overage), otherwise its remaining below zero (a row of one entitlement); 0 when not over."""
    if "overage" in frame.collect_schema().names():
        return pl.col("overage").fill_null(0).cast(pl.Float64)
    return (-pl.col("remaining")).clip(lower_bound=0).fill_null(0).cast(pl.Float64)


def _long(frame: pl.LazyFrame, label: str) -> pl.LazyFrame:
    """One row per bar segment: used and scheduled within a purchased quantity, what is left of
    it (never below zero), what was used and scheduled past it (`over_by`, drawn beyond the
    purchased mark; taken off scheduled first, then used), then what was used or scheduled on
    entitlements with no purchased quantity (`used_without_limit` and
    `scheduled_without_limit`, when `frame` has them), so that used, scheduled and remaining
    reach the purchased mark exactly and only overage and use with no limit go past it.
    `frame` has `over_by` (see _over_by)."""
    columns = frame.collect_schema().names()
    for column in ("used_without_limit", "scheduled_without_limit"):
        if column not in columns:
            frame = frame.with_columns(pl.lit(0.0).alias(column))
    used_apart = pl.col("used_without_limit").fill_null(0)
    scheduled_apart = pl.col("scheduled_without_limit").fill_null(0)
    used_within = pl.col("used") - used_apart
    scheduled_within = pl.col("scheduled") - scheduled_apart
    over = pl.col("over_by")
    segments = dict(
        zip(
            MEASURES,
            [
                (used_within - (over - scheduled_within).clip(lower_bound=0)).clip(lower_bound=0),
                (scheduled_within - over).clip(lower_bound=0),
                pl.col("remaining").clip(lower_bound=0),
                over,
                used_apart + scheduled_apart,
            ],
            strict=True,
        )
    )
    return (
        frame.with_columns(
            *(value.cast(pl.Float64).alias(f"segment {name}") for name, value in segments.items()),
        )
        .unpivot(
            index=[label, "category", "unit", "purchased", "used", "remaining", "over_by"],
            on=[f"segment {name}" for name in MEASURES],
            variable_name="measure",
            value_name="amount",
        )
        .with_columns(pl.col("measure").str.strip_prefix("segment "))
        .with_columns(pl.col("measure").replace_strict(MEASURE_ORDER).alias("order"))
        .filter(~pl.col("measure").is_in([OVER, NO_LIMIT]) | (pl.col("amount") > 0))
        .with_columns(pl.col("measure").replace_strict(_measure_words()))
    )


def any_over(frame: pl.DataFrame) -> bool:
    """Whether any row of `frame` went past what was purchased (its `overage` when it has one,
    otherwise its remaining below zero)."""
    if "overage" in frame.columns:
        return bool((frame.get_column("overage").fill_null(0) > 0).any())
    return bool((frame.get_column("remaining").fill_null(0) < 0).any())


def any_without_limit(frame: pl.DataFrame) -> bool:
    """Whether any row of `frame` has use on entitlements with no purchased quantity."""
    return any(
        (frame.get_column(c).fill_null(0) > 0).any()
        for c in ("used_without_limit", "scheduled_without_limit")
        if c in frame.columns
    )


def _in_unit(frame: pl.DataFrame, unit: str | None) -> tuple[pl.LazyFrame, str]:
    """The rows of `frame` in `unit` (all of them, in the first row's unit, when it is None),
    to be collected with the rest of a chart's rows. Pages pass a whole frame and a unit rather
    than the unit's rows: a chart already drawn is then found without filtering anything. Each
    collect of a small frame costs a few tenths of a millisecond (more while the page's queries
    run beside it), so a chart's rows are collected together, once."""
    if unit is None:
        return frame.lazy(), frame.get_column("unit")[0]
    return frame.lazy().filter(pl.col("unit") == unit), unit


def units(frame: pl.DataFrame) -> list[str]:
    """The units in `frame`, in a steady order: hours first, then the rest by name."""
    found = set(frame.get_column("unit").to_list())
    return sorted(found, key=lambda unit: (unit != "hours", unit))


@recipe
def consumption_bars(
    frame: pl.DataFrame,
    label: str = "category",
    legend: bool = True,
    unit: str | None = None,
    picked: tuple[str, ...] = (),
) -> Sketch:
    """Used, scheduled and remaining against purchased: one horizontal bar per row of `frame`
    in `unit` (by default the first row's; draw one chart per unit, so that the axis is in that
    unit). `frame` needs `label`, category, unit, purchased, used, scheduled and remaining, and
    may give its `overage` (how far past their purchase the entitlements summed into a row
    went, when remaining sums only what the others have left; without it, a remaining below
    zero is the overage) and how much of used and scheduled is on entitlements with no
    purchased quantity (`used_without_limit`, `scheduled_without_limit`). Overage is a segment
    of its own beyond the purchased mark, in the warning colour, with an "over by N" note at
    the end of the bar; use with no limit is drawn after it. The legend names every segment
    that any unit's chart of `frame` draws. Clicking a bar selects its `label`; clicking it
    again clears it. The `picked` values of `label` are drawn selected (a drill-down opened
    from a link)."""
    frame_in_unit, unit = _in_unit(frame, unit)
    segments, purchased, over = pl.collect_all(_bar_rows(frame_in_unit, label), engine=SMALL)
    return sketch(
        _consumption_bars,
        segments,
        purchased,
        over,
        label=label,
        unit=unit,
        legend=_present_measures(frame) if legend else None,
        room=OVERAGE_MARGIN if over.height else 5,
        few=few_bars(segments.get_column("shown").n_unique(), BAR_STEP),
        picked=picked,
    )


def _present_measures(frame: pl.DataFrame) -> tuple[str, ...]:
    """The segments any unit's bars of `frame` draw: overage and use with no limit only where
    some row has them."""
    extra = {OVER: any_over(frame), NO_LIMIT: any_without_limit(frame)}
    return tuple(m for m in MEASURES if extra.get(m, True))


def _bar_rows(frame: pl.LazyFrame, label: str) -> list[pl.LazyFrame]:
    """A bar chart's three frames, to be collected: its segments (see _long), the rows with a
    purchased quantity (their marks) and the rows over it (their notes)."""
    named = pl.col("category").replace(words.categories())
    shown = named if label == "category" else pl.col(label)
    rows = frame.with_columns(shown.alias("shown"), _over_by(frame).alias("over_by"))
    return [
        _long(rows, label).join(rows.select(label, "shown"), on=label),
        rows.filter(pl.col("purchased").is_not_null()),
        rows.filter(pl.col("over_by") > 0),
    ]


@recipe
def consumption_by_unit(
    frame: pl.DataFrame, label: str = "category", picked: tuple[str, ...] = ()
) -> Sketch:
    """consumption_bars of every unit in `frame` (in the order of `units`), one above the other
    in one view: each on an axis of its own unit, the purchased marks and overage notes as
    there, one legend of every segment drawn, and one click selection across all of them. One
    view rather than one per unit: each view costs the browser tens of milliseconds to draw."""
    found = units(frame)
    lazies = [part for unit in found for part in _bar_rows(_in_unit(frame, unit)[0], label)]
    rows = pl.collect_all(lazies, engine=SMALL)
    overs = rows[2::3]
    return sketch(
        _consumption_by_unit,
        *rows,
        label=label,
        units=tuple(found),
        legend=_present_measures(frame),
        room=OVERAGE_MARGIN if any(over.height for over in overs) else 5,
        picked=picked,
    )


BAR_STEP = 40  # pixels from one entitlement's or category's bar to the next
BAR = 28  # a bar's thickness: the same however few bars share MIN_HEIGHT


def _consumption_bars(
    long: ChartData,
    purchased_rows: ChartData,
    over_rows: ChartData,
    *,
    label: str,
    unit: str,
    legend: tuple[str, ...] | None,
    room: int,
    few: bool,
    picked: tuple[str, ...] = (),
) -> alt.LayerChart:
    """The layout of consumption_bars: its segments, purchased marks and overage notes, with
    the legend naming `legend` (None: no legend), `room` pixels right of the plot, and `few`
    bars or not (see few_bars)."""
    pick = _selection(label, picked)
    return alt.layer(
        *_bar_layers(long, purchased_rows, over_rows, pick, label=label, unit=unit, legend=legend),
        height=bars_height(few, BAR_STEP),
        config=unframed(BAR_AXES),
        padding={"left": 5, "top": 5, "bottom": 5, "right": room},
        autosize=FIT_WIDTH,
    )


BAR_AXES = alt.AxisConfig(labelFontSize=12, titleFontSize=12)
# A legend over a concat of bar charts: in a container narrower than a phone's page (an add-on's
# card on a phone), one column, where two ran past the card's edge in Polish ("Zaplanowano" cut)
CONCAT_BARS_LEGEND_COLUMNS = alt.ExprRef(
    expr=f"containerSize()[0] > 0 && containerSize()[0] < 340 ? 1 : ({CONCAT_LEGEND_COLUMNS.expr})"
)
# Pixels between two units' bars in one view: the axis title of the one above (its unit)
# reads as its own, apart from the bars below
PANEL_SPACING = 28


def _consumption_by_unit(
    *rows: ChartData,
    label: str,
    units: tuple[str, ...],
    legend: tuple[str, ...],
    room: int,
    picked: tuple[str, ...] = (),
) -> alt.VConcatChart:
    """The layout of consumption_by_unit: `rows` are each unit's three frames in turn (as
    _consumption_bars takes them), each unit's bars a plot of its own, `BAR_STEP` pixels a bar
    (a unit of one bar takes no more room than the bar), on an x scale of its own."""
    pick = _selection(label, picked)
    panels = [
        alt.layer(
            *_bar_layers(
                *rows[3 * n : 3 * n + 3], pick, label=label, unit=unit, legend=legend, view=n
            ),
            height=alt.Step(BAR_STEP),
        )
        for n, unit in enumerate(units)
    ]
    # one selection over every unit's bars, given to the concat whole: added to each panel,
    # Altair lifts it there itself, warning of a duplicate
    views = [_bars_view(n) for n in range(len(units))]
    selection = alt.TopLevelSelectionParameter(**pick.param.to_dict(), views=views)
    return alt.vconcat(
        *panels,
        params=[selection],
        spacing=PANEL_SPACING,
        config=unframed(BAR_AXES),
        padding={"left": 5, "top": 5, "bottom": 5, "right": room},
        autosize=FIT_WIDTH,
    ).resolve_scale(x="independent", y="independent")


def _bars_view(place: int) -> str:
    """The name of the `place`th unit's bars in a concat, as its selection lists them. Named
    here, not by Altair: in a concat of layers, Altair 6 lists names that it then changes."""
    return f"{SELECTION}_bars_{place}"


def _bar_layers(
    long: ChartData,
    purchased_rows: ChartData,
    over_rows: ChartData,
    pick: alt.Parameter,
    *,
    label: str,
    unit: str,
    legend: tuple[str, ...] | None,
    view: int | None = None,
) -> tuple[alt.Chart, alt.Chart, alt.Chart]:
    """One unit's bars, purchased marks and overage notes, with the legend naming `legend`
    (None: no legend). The bars are drawn as the selection `pick` says and hold it; in a
    concat (`view`: their place in it) the concat holds it, and they are named for it."""
    # a category's label is short and read whole ("On-demand assessments", 140 pixels), even in
    # Enterprise-wide's half-width charts; an entitlement's is cut where it must be
    limit = label_limit(260, least=140 if label == "category" else 100)
    # in a concat, on two lines on a phone (see TWO_LINES_WHEN_NARROW)
    lines = {} if view is None else {"labelExpr": TWO_LINES_WHEN_NARROW}
    columns = TOP_LEGEND_COLUMNS if view is None else CONCAT_BARS_LEGEND_COLUMNS
    y = alt.Y("shown:N", title=None, sort=None, axis=alt.Axis(labelLimit=limit, **lines))
    number = _number_format(unit)
    named = {} if view is None else {"name": _bars_view(view)}
    bars = (
        alt.Chart(long, **named)
        .mark_bar(height=BAR)
        .encode(
            x=alt.X("amount:Q", title=words.unit(unit), stack="zero", axis=_amount_axis(unit)),
            y=y,
            color=alt.Color(
                "measure:N",
                scale=_measure_colours(),
                title=None,
                legend=None
                if legend is None
                else alt.Legend(orient="top", values=[_(m) for m in legend], columns=columns),
            ),
            order=alt.Order("order:Q"),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("shown:N", title=_field_name(label)),
                alt.Tooltip("measure:N", title=_("Segment")),
                alt.Tooltip("amount:Q", title=words.unit(unit).capitalize(), format=number),
                alt.Tooltip("purchased:Q", title=_("Purchased"), format=number),
                alt.Tooltip("used:Q", title=_("Used in all"), format=number),
                alt.Tooltip("remaining:Q", title=_("Remaining"), format=number),
                alt.Tooltip("over_by:Q", title=_("Over by"), format=number),
            ],
        )
    )
    if view is None:
        bars = bars.add_params(pick)
    purchased = (
        alt.Chart(purchased_rows)
        .mark_tick(color=PURCHASED, thickness=3, size=26)
        .encode(
            x=alt.X("purchased:Q"),
            y=y,
            tooltip=[
                alt.Tooltip("shown:N", title=_("Purchased")),
                alt.Tooltip("purchased:Q", title=words.unit(unit).capitalize(), format=number),
            ],
        )
    )
    # the note is one message: its words either side of the number, written by Vega
    before, _gap, after = _("over by {amount}").partition("{amount}")
    note = f"{_quoted(before)} + format(datum.over_by, '{number}')"
    if after:
        note += f" + {_quoted(after)}"
    over = (
        alt.Chart(over_rows)
        .mark_text(align="left", dx=6, color=OVERAGE, fontWeight="bold")
        .encode(x=alt.X("end:Q"), y=y, text=alt.Text("note:N"))
        .transform_calculate(
            # where the bar ends: all used and scheduled, and what the rest have left
            end="datum.used + datum.scheduled + max(datum.remaining, 0)",
            note=note,
        )
    )
    return bars, purchased, over


@recipe
def monthly_consumption(frame: pl.DataFrame, unit: str | None = None) -> Sketch:
    """Consumption per month in `unit` (by default the first row's), stacked by category, on a
    time axis with every month from the first to the last of `frame` (in any unit: the charts
    of one frame line up), one with nothing drawn as 0. `frame` needs month (a date), category,
    unit and amount."""
    months = every_month(frame)
    frame, unit = _in_unit(frame, unit)
    rows = zero_filled(frame, months, "category", "amount")
    rows = rows.with_columns(pl.col("category").replace(words.categories()).alias("shown"))
    rows = rows.collect(engine=SMALL)
    present = [c for c in CATEGORY_COLOURS.domain if c in set(rows.get_column("category"))]
    return sketch(_monthly_consumption, rows, unit=unit, present=tuple(present))


def _monthly_consumption(rows: ChartData, *, unit: str, present: tuple[str, ...]) -> alt.Chart:
    chart = alt.Chart(rows, height=MONTHS_HEIGHT, config=unframed(), autosize=FIT_WIDTH)
    return _monthly_bars(chart, unit=unit, present=present)


@recipe
def monthly_by_unit(frame: pl.DataFrame) -> Sketch:
    """monthly_consumption of every unit in `frame` (in the order of `units`), one above the
    other in one view: on one time axis of every month of `frame`, each unit on an axis of its
    own under a legend of the categories it draws, in their colours across the app (one legend
    of every unit's categories ran past a laptop's chart with the sidebar open). One view rather
    than one per unit: each view costs the browser tens of milliseconds to draw."""
    months = every_month(frame)
    found = units(frame)
    lazies = []
    named = words.categories()
    for unit in found:
        rows = zero_filled(_in_unit(frame, unit)[0], months, "category", "amount")
        lazies.append(rows.with_columns(pl.col("category").replace(named).alias("shown")))
    collected = pl.collect_all(lazies, engine=SMALL)
    present = tuple(
        tuple(c for c in CATEGORY_COLOURS.domain if c in drawn)
        for drawn in (set(rows.get_column("category")) for rows in collected)
    )
    return sketch(_monthly_by_unit, *collected, units=tuple(found), present=present)


MONTHS_HEIGHT = 180  # a month chart's plot; of every unit's, the first's (hours, most often)
MORE_MONTHS_HEIGHT = 120  # each other unit's plot in one of every unit's: a few a month


def _monthly_by_unit(
    *rows: ChartData, units: tuple[str, ...], present: tuple[tuple[str, ...], ...]
) -> alt.VConcatChart:
    """The layout of monthly_by_unit: `rows` are each unit's, in the order of `units`, and
    `present` the categories each draws."""
    panels = [
        _monthly_bars(
            alt.Chart(unit_rows, height=MONTHS_HEIGHT if n == 0 else MORE_MONTHS_HEIGHT),
            unit=unit,
            present=drawn,
        )
        for n, (unit_rows, unit, drawn) in enumerate(zip(rows, units, present, strict=True))
    ]
    return (
        alt.vconcat(*panels, spacing=PANEL_SPACING, config=unframed(), autosize=FIT_WIDTH)
        .resolve_scale(x="shared", y="independent", color="shared")
        .resolve_legend(color="independent")
    )


def _monthly_bars(chart: alt.Chart, *, unit: str, present: tuple[str, ...]) -> alt.Chart:
    """`chart`'s rows (month, category, shown, amount) in `unit` as bars a month, stacked by
    category, with a legend naming the `present` categories."""
    return chart.mark_bar(width={"band": 0.8}).encode(
        x=months_x(),
        y=alt.Y("sum(amount):Q", title=words.unit(unit), axis=_amount_axis(unit)),
        color=alt.Color(
            "category:N",
            scale=CATEGORY_COLOURS,
            legend=alt.Legend(
                title=None,
                orient="top",
                values=list(present),
                labelExpr=_label_expr(),
                columns=TOP_LEGEND_COLUMNS,
            ),
        ),
        tooltip=[
            alt.Tooltip("yearmonth(month):T", title=_("Month"), format=D3_MONTH_LONG),
            alt.Tooltip("shown:N", title=_("Category")),
            alt.Tooltip(
                "sum(amount):Q",
                title=words.unit(unit).capitalize(),
                format=_number_format(unit),
            ),
        ],
    )


def _label_expr() -> str:
    """The legend's categories (their codes) named in the run's language."""
    cases = " : ".join(
        f"datum.label == {_quoted(key)} ? {_quoted(value)}"
        for key, value in words.categories().items()
    )
    return f"{cases} : datum.label"


def draw(chart: Recipe, place: object = None, **options: object) -> object:
    """Draw `chart` where `place` says (a container or column; the page by default), as
    st.altair_chart would, without checking it against the schema again. `options` go to
    st.vega_lite_chart (on_select, selection_mode, key, width); its return value is returned."""
    return (place or st).vega_lite_chart(spec=chart.drawable(), **options)


def _selection(field: str, picked: tuple[str, ...]) -> alt.Parameter:
    """The click selection of a drill-down chart, holding `picked` to begin with."""
    if not picked:
        return alt.selection_point(name=SELECTION, fields=[field], toggle="true")
    initial = [{field: value} for value in picked]
    return alt.selection_point(name=SELECTION, fields=[field], toggle="true", value=initial)


def picked(event: object, field: str) -> list:
    """The values of `field` selected in a chart, from what st.altair_chart returned."""
    selection = (event or {}).get("selection", {}).get(SELECTION, [])
    if isinstance(selection, dict):  # the form some versions use: {field: [values]}
        return list(selection.get(field, []))
    return [point[field] for point in selection if field in point]


def by_status_colours() -> alt.Scale:
    """What monthly_by_status stacks, as tables name it in the run's language (export.named):
    the categories of support (Reactive support, Advisory support), in their category colours,
    or the states of items."""
    named = {words.category(code): colour for code, colour in CATEGORY_PALETTE.items()}
    named.update({words.word(code): colour for code, colour in STATE_PALETTE.items()})
    return alt.Scale(domain=list(named), range=list(named.values()))


@recipe
def monthly_by_status(
    frame: pl.DataFrame, value: str, title: str, kind: str | None = None
) -> Sketch:
    """Counts per month stacked by status, on a time axis with every month from the first to
    the last of `frame`, one with nothing drawn as 0. `frame` needs month (a date), status (in
    words, in the run's language) and `value`; `kind` is what the tooltip calls the status
    ("Status" by default)."""
    statuses = set(frame.get_column("status"))
    present = [s for s in by_status_colours().domain if s in statuses]
    rows = zero_filled(frame.lazy(), every_month(frame), "status", value).collect(engine=SMALL)
    return sketch(
        _monthly_by_status, rows, value=value, title=title, kind=kind, present=tuple(present)
    )


def _monthly_by_status(
    frame: ChartData, *, value: str, title: str, kind: str | None, present: tuple[str, ...]
) -> alt.Chart:
    return (
        alt.Chart(frame, height=200, config=unframed(), autosize=FIT_WIDTH)
        .mark_bar(width={"band": 0.8})
        .encode(
            x=months_x(),
            y=alt.Y(f"sum({value}):Q", title=title, axis=_amount_axis(value)),
            color=alt.Color(
                "status:N",
                scale=by_status_colours(),
                legend=alt.Legend(
                    orient="top", title=None, values=list(present), columns=TOP_LEGEND_COLUMNS
                ),
            ),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title=_("Month"), format=D3_MONTH_LONG),
                alt.Tooltip("status:N", title=kind or _("Status")),
                alt.Tooltip(
                    f"sum({value}):Q", title=title.capitalize(), format=_number_format(value)
                ),
            ],
        )
    )


@recipe
def counts(
    frame: pl.DataFrame,
    label: str,
    value: str,
    title: str,
    pick: str | None = None,
    picked: tuple[str, ...] = (),
) -> Sketch:
    """One horizontal bar per `label` with its `value` (a count: the axis ticks whole numbers);
    clicking a bar selects its `label`, or its `pick` (a column of `frame` the bars are not
    labelled with, such as a code); the `picked` ones are drawn selected."""
    shape = dict(label=label, value=value, title=title, pick=pick or label, picked=picked)
    few = few_bars(frame.get_column(label).n_unique(), COUNT_STEP)
    return sketch(_counts, frame, few=few, **shape)


COUNT_STEP = 34  # pixels from one bar of counts to the next
COUNT_BAR = 24  # a bar's thickness: the same however few bars share MIN_HEIGHT


def _counts(
    frame: ChartData,
    *,
    label: str,
    value: str,
    title: str,
    pick: str,
    few: bool,
    picked: tuple[str, ...] = (),
) -> alt.Chart:
    picked = _selection(pick, picked)
    return (
        alt.Chart(frame, height=bars_height(few, COUNT_STEP), config=unframed(), autosize=FIT_WIDTH)
        .mark_bar(color=PLAIN, height=COUNT_BAR)
        .encode(
            x=alt.X(f"{value}:Q", title=title, axis=alt.Axis(tickMinStep=1, format=D3_COUNT)),
            y=alt.Y(
                f"{label}:N", title=None, sort="-x", axis=alt.Axis(labelLimit=label_limit(260))
            ),
            opacity=alt.condition(picked, alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip(f"{label}:N", title=_field_name(pick)),
                alt.Tooltip(f"{value}:Q", title=title.capitalize(), format=D3_COUNT),
            ],
        )
        .add_params(picked)
    )


@recipe
def balance(frame: pl.DataFrame) -> Sketch:
    """Credits left over time: a small chart per entitlement, one above the other on the same
    time axis, each titled with its label. Drawn as lines on one plot, two entitlements with
    close balances hid each other. `frame` needs date, balance, label, redemptions and quantity
    (redeemed that day)."""
    labels = tuple(frame.get_column("label").unique().sort())
    return sketch(_balance, frame, labels=labels)


CREDITS = CATEGORY_PALETTE["credits"]
BALANCE_HEIGHT = MIN_HEIGHT  # each entitlement's plot


def _balance(frame: ChartData, *, labels: tuple[str, ...]) -> alt.VConcatChart:
    tooltip = [
        alt.Tooltip("date:T", title=_("Date"), format=D3_DAY),
        alt.Tooltip("label:N", title=_("Credits")),
        alt.Tooltip("redemptions:Q", title=_("Redemptions that day"), format=D3_COUNT),
        alt.Tooltip("quantity:Q", title=_("Redeemed that day"), format=D3_AMOUNT),
        alt.Tooltip("balance:Q", title=_("Left at the end of the day"), format=D3_AMOUNT),
    ]
    plots = [
        alt.Chart(
            frame,
            height=BALANCE_HEIGHT,
            title=alt.TitleParams(
                label,
                anchor="start",
                frame="group",
                fontSize=13,
                fontWeight="normal",
                limit=TITLE_LIMIT,
            ),
        )
        .transform_filter(alt.datum.label == label)
        # in the credits' category colour: a balance is no part of a bar's used or remaining
        .mark_line(
            interpolate="step-after",
            point=alt.OverlayMarkDef(color=CREDITS, filled=True),
            strokeWidth=2,
            color=CREDITS,
        )
        .encode(
            # one time axis for all: its dates under the last plot, its grid on each
            x=alt.X(
                "date:T",
                title=None,
                axis=alt.Axis(format=D3_MONTH, tickCount="month", labels=label == labels[-1]),
            ),
            y=alt.Y(
                "balance:Q",
                title=None,  # the caption says what is plotted
                scale=alt.Scale(zero=True),
                # one width: plots and titles aligned
                axis=alt.Axis(tickCount=3, minExtent=52, format=D3_AMOUNT),
            ),
            tooltip=tooltip,
        )
        for label in labels
    ]
    return alt.vconcat(*plots, spacing=18, config=unframed(), autosize=FIT_WIDTH).resolve_scale(
        x="shared", y="independent"
    )


@recipe
def timeline(frame: pl.DataFrame, as_of) -> Sketch:
    """Each package's term as a bar from start to end, with the as-of day marked.
    `frame` needs label, start_date, end_date, state and days_left."""
    # Active, as tables name it, in the run's language
    named = frame.with_columns(export.worded(pl.col("state")))
    rows = named.get_column("label").n_unique()
    few = few_bars(rows, TERM_STEP)
    return sketch(_timeline, named, pl.DataFrame({"day": [as_of]}), few=few)


TERM_STEP = 28  # pixels from one package's bar to the next
TERM_BAR = 17


def _timeline(frame: ChartData, today_rows: ChartData, *, few: bool) -> alt.LayerChart:
    bars = _term_bars(
        frame,
        ("start_date", "end_date"),
        alt.EncodingSortField("end_date"),
        alt.Color("state:N", scale=_term_colours()),
        [alt.Tooltip("label:N", title=_("Package")), *_term_tooltips()],
        lane="label",
    )
    today = _as_of_rule(today_rows)
    return alt.layer(
        bars,
        today,
        height=bars_height(few, TERM_STEP),
        config=unframed(),
        autosize=FIT_WIDTH,
    )


def _term_tooltips() -> tuple[alt.Tooltip, ...]:
    return (
        alt.Tooltip("start_date:T", title=_("Starts"), format=D3_DAY),
        alt.Tooltip("end_date:T", title=_("Ends"), format=D3_DAY),
        alt.Tooltip("days_left:Q", title=_("Days left"), format=D3_COUNT),
    )


def _term_bars(
    frame: ChartData,
    span: tuple[str, str],
    sort: alt.EncodingSortField,
    colour: alt.Color,
    tooltip: list,
    *,
    lane: str,
    **mark: object,
) -> alt.Chart:
    """Terms as bars across time, from `span`'s first field to its second, on a lane per
    `lane` in the order of `sort`, coloured by `colour` with its legend on top."""
    colour = colour.copy()
    colour.title = None
    colour.legend = alt.Legend(orient="top", columns=TOP_LEGEND_COLUMNS)
    return (
        alt.Chart(frame)
        .mark_bar(height=TERM_BAR, cornerRadius=3, **mark)
        .encode(
            # a label past the plot's right edge is left out: on a phone it was cut ("Jan 2")
            x=alt.X(f"{span[0]}:T", title=None, axis=alt.Axis(format=D3_MONTH, labelBound=True)),
            x2=f"{span[1]}:T",
            y=alt.Y(f"{lane}:N", title=None, sort=sort, axis=alt.Axis(labelLimit=label_limit(320))),
            color=colour,
            tooltip=tooltip,
        )
    )


def _as_of_rule(today_rows: ChartData) -> alt.Chart:
    """The as-of day, a dashed rule across a timeline."""
    return (
        alt.Chart(today_rows)
        .mark_rule(color=PURCHASED, strokeDash=[4, 3])
        .encode(x="day:T", tooltip=[alt.Tooltip("day:T", title=_("As of"), format=D3_DAY)])
    )


# Where a contract stands for its renewal: ending soon with no renewal is the one warning
ENDS_SOON = N_("Ends soon, not renewed")
NOT_RENEWED = N_("Not renewed")
RENEWED = N_("Renewed")
RENEWAL_PALETTE = {ENDS_SOON: OVERAGE, NOT_RENEWED: "#5E4FA2", RENEWED: "#ADA8D4"}
LOOK_BACK_DAYS = 31  # how much of the past a renewal timeline shows before the as-of day


@recipe
def renewal_timeline(frame: pl.DataFrame, as_of, months: int) -> Sketch:
    """Each customer's active contracts on a lane of its own, the customer whose renewal comes
    first at the top, from a month before the as-of day to `months` after it (a term beyond
    either edge cut there), each contract coloured by whether it is renewed and whether it ends
    within the expiring-soon window, the as-of day marked. Where a customer's contracts
    overlap, the one ending first is drawn over the others, so that each end shows. `frame`
    needs customer_name, contract_number, name, start_date, end_date, days_left, renewed and
    renewed_by."""
    first = as_of - timedelta(days=LOOK_BACK_DAYS)
    last = as_of + timedelta(days=round(months * 365.25 / 12))
    renewal = (
        pl.when(pl.col("renewed"))
        .then(pl.lit(_(RENEWED)))
        .when(pl.col("days_left") <= EXPIRING_SOON_DAYS)
        .then(pl.lit(_(ENDS_SOON)))
        .otherwise(pl.lit(_(NOT_RENEWED)))
    )
    next_end = pl.col("end_date").filter(~pl.col("renewed")).min()
    lanes = frame.group_by("customer_name").agg(
        next_end.fill_null(pl.col("end_date").max()).alias("next_end")
    )
    rows = (
        frame.join(lanes, on="customer_name")
        .select(
            "customer_name",
            (pl.col("customer_name") + " · " + pl.col("contract_number")).alias("contract"),
            "name",
            "start_date",
            "end_date",
            "days_left",
            "next_end",
            renewal.alias("renewal"),
            pl.col("renewed_by").fill_null(_(NOT_RENEWED)),
            pl.max_horizontal("start_date", pl.lit(first)).alias("drawn_from"),
            pl.min_horizontal("end_date", pl.lit(last)).alias("drawn_to"),
        )
        .sort("end_date", descending=True)  # drawn in order: the first to end on top
    )
    few = few_bars(lanes.height, TERM_STEP)
    edges = pl.DataFrame({"day": [first, last]})
    return sketch(_renewal_timeline, rows, pl.DataFrame({"day": [as_of]}), edges, few=few)


def _renewal_colours() -> alt.Scale:
    """The renewal states' colours, by their names in the run's language."""
    named = {_(state): colour for state, colour in RENEWAL_PALETTE.items()}
    return alt.Scale(domain=list(named), range=list(named.values()))


def _renewal_timeline(
    frame: ChartData, today_rows: ChartData, edges: ChartData, *, few: bool
) -> alt.LayerChart:
    bars = _term_bars(
        frame,
        ("drawn_from", "drawn_to"),
        alt.EncodingSortField("next_end", op="min"),
        alt.Color("renewal:N", scale=_renewal_colours()),
        [
            alt.Tooltip("contract:N", title=_("Contract")),
            alt.Tooltip("name:N", title=_("Name")),
            *_term_tooltips(),
            alt.Tooltip("renewed_by:N", title=_("Renewed by")),
        ],
        lane="customer_name",
        stroke="white",
        strokeWidth=1,
    )
    # the window's two edges, drawn invisibly so that the axis spans it whatever the terms
    window = alt.Chart(edges).mark_point(opacity=0).encode(x="day:T")
    today = _as_of_rule(today_rows)
    return alt.layer(
        window,
        bars,
        today,
        height=bars_height(few, TERM_STEP),
        config=unframed(),
        autosize=FIT_WIDTH,
    )


# The forecast band's rows: from the as-of day to the end of the projection, the use at the
# slow (low) and fast (high) ends of the burn rate's range, and what its tooltip says
BAND_SCHEMA = {
    "day": pl.Date,
    "low": pl.Float64,
    "high": pl.Float64,
    "runs_out": pl.String,
    "per_day": pl.String,
}
BAND_OPACITY = 0.18  # the projection's blue, faint: a range around the dashed line, under it


@recipe
def burn_down(
    actual: pl.DataFrame,
    projection: pl.DataFrame,
    purchased: float | None,
    unit: str,
    band: pl.DataFrame | None = None,
) -> Sketch:
    """Cumulative use to date (solid steps) and at the current burn rate to expiry (dashed),
    against what was purchased (a rule, named where it starts). What goes past the purchased
    quantity is drawn over them in the warning colour, with how far it went past written at its
    end. Both frames need day, used and series, in order of day. `band` (BAND_SCHEMA), when
    given, is shaded under the lines: the projection at either end of the rate's range."""
    band = pl.DataFrame(schema=BAND_SCHEMA) if band is None else band.cast(BAND_SCHEMA)
    said = _("Purchased: {amount}").format(amount=amount(purchased))
    bought = pl.DataFrame({"purchased": [purchased], "label": [said]})
    actual, projection = _in_words(actual), _in_words(projection)
    used_past = _past(actual, purchased, stepped=True)
    projected_past = _past(projection, purchased, stepped=False)
    notes = pl.concat(
        [
            _over_note(used_past, _("over by {amount}")),
            _over_note(projected_past, _("over by {amount} at this rate")),
        ]
    )
    return sketch(
        _burn_down, band, actual, projection, bought, used_past, projected_past, notes, unit=unit
    )


def band_name() -> str:
    """The forecast band's legend entry: "80% range"."""
    return _("{share} range").format(share=percent(rules.BAND_SHARE))


# a burn-down's lines, as its legend names them
LINES = (N_("Used"), N_("Projected"))


def _in_words(line: pl.DataFrame) -> pl.DataFrame:
    """`line` with its series (a line's English name, as the pages give it) in the run's
    language; one given in it already stays as it is."""
    if "series" not in line.columns:
        return line
    return line.with_columns(pl.col("series").replace({name: _(name) for name in LINES}))


# the types of _past's columns after its day (a date or a datetime, as the line's)
PAST_TYPES = {"used": pl.Float64, "over_by": pl.Float64, "order": pl.Int64}


def _past(line: pl.DataFrame, purchased: float | None, *, stepped: bool) -> pl.DataFrame:
    """The stretch of `line` (day, used; in order of day) past `purchased`, from the point on
    the purchased line where it went past, with how far past each point is (`over_by`) and the
    points' `order` (a step up is two points on one day). A stepped line goes past on the day
    of its step; a straight one where it crosses the purchased line."""
    days, used = line.get_column("day").to_list(), line.get_column("used").to_list()
    points: list[tuple] = []
    for place, (day, value) in enumerate(zip(days, used, strict=True)):
        if purchased is None or value is None or value <= purchased:
            continue
        if not points and place > 0:  # where it went past
            before = (days[place - 1], used[place - 1])
            points.append((_crossing(before, (day, value), purchased, stepped), purchased))
        points.append((day, value))
    return pl.DataFrame(
        {
            "day": [day for day, _ in points],
            "used": [float(value) for _, value in points],
            "over_by": [float(value - purchased) for _, value in points],
            "order": list(range(len(points))),
        },
        schema={"day": line.schema["day"], **PAST_TYPES},
    )


def _crossing(before: tuple, after: tuple, purchased: float, stepped: bool) -> object:
    """The day a line from `before` to `after` (day, used) reaches `purchased`: the day of the
    step on a stepped line, the nearest day on a straight one."""
    (first, low), (last, high) = before, after
    if stepped or low is None or high == low:
        return last
    share = (purchased - low) / (high - low)
    return first + timedelta(days=round(share * (last - first).days))


def _over_note(past: pl.DataFrame, said: str) -> pl.DataFrame:
    """A note at the end of `past` saying how far past the purchased quantity it ends: `said`,
    with the amount in its `{amount}`."""
    if past.is_empty():
        return pl.DataFrame(
            schema={"day": past.schema["day"], "used": pl.Float64, "note": pl.String}
        )
    end = past.row(-1, named=True)
    note = said.format(amount=amount(end["over_by"]))
    return pl.DataFrame(
        {"day": [end["day"]], "used": [end["used"]], "note": [note]},
        schema={"day": past.schema["day"], "used": pl.Float64, "note": pl.String},
    )


def _burn_down(
    band: ChartData,
    actual: ChartData,
    projection: ChartData,
    bought_rows: ChartData,
    used_past: ChartData,
    projected_past: ChartData,
    notes: ChartData,
    *,
    unit: str,
) -> alt.LayerChart:
    x = alt.X("day:T", title=None, axis=alt.Axis(format=D3_MONTH, tickCount="month"))
    named = words.unit(unit)
    y = alt.Y("used:Q", title=_("{unit} used").format(unit=named), axis=_amount_axis(unit))
    number = _number_format(unit)
    tooltip = [
        alt.Tooltip("day:T", title=_("Day"), format=D3_DAY),
        alt.Tooltip("series:N", title=_("Line")),
        alt.Tooltip("used:Q", title=named.capitalize(), format=number),
    ]
    past_tooltip = [
        alt.Tooltip("day:T", title=_("Day"), format=D3_DAY),
        alt.Tooltip("used:Q", title=named.capitalize(), format=number),
        alt.Tooltip("over_by:Q", title=_("Past purchased by"), format=number),
    ]
    # both lines are use, told apart by their dash: one legend of both
    lines = [_(name) for name in LINES]
    colour = alt.Color(
        "series:N",
        title=None,
        # a symbol long enough to show the projection's dash; the lines one under the other on
        # a phone, where beside the band's entry the last ("Prognoza") was cut at the edge
        legend=alt.Legend(
            orient="top", symbolStrokeWidth=2.5, symbolSize=500, columns=TOP_LEGEND_COLUMNS
        ),
        scale=alt.Scale(domain=lines, range=[USED, USED]),
    )
    dash = alt.StrokeDash(
        "series:N", title=None, scale=alt.Scale(domain=lines, range=[[1, 0], [6, 4]])
    )
    used = alt.Chart(actual).mark_line(strokeWidth=2.5, interpolate="step-after")
    ahead = alt.Chart(projection).mark_line(strokeWidth=2.5)
    bought = (
        alt.Chart(bought_rows)
        .mark_rule(color=PURCHASED, strokeWidth=2)
        .encode(
            y="purchased:Q",
            tooltip=[alt.Tooltip("purchased:Q", title=_("Purchased"), format=number)],
        )
    )
    # above the rule's left end, where the use to date starts from nothing
    named = (
        alt.Chart(bought_rows)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-4, color=PURCHASED, fontSize=11)
        .encode(x=alt.value(0), y="purchased:Q", text="label:N")
    )
    used_over = alt.Chart(used_past).mark_line(
        strokeWidth=2.5, interpolate="step-after", color=OVERAGE
    )
    ahead_over = alt.Chart(projected_past).mark_line(
        strokeWidth=2.5, strokeDash=[6, 4], color=OVERAGE
    )
    order = alt.Order("order:Q")
    # left of where it ends, above the line: the end of a line is the right edge of the plot
    said = (
        alt.Chart(notes)
        .mark_text(align="right", baseline="bottom", dx=-4, dy=-6, color=OVERAGE, fontWeight="bold")
        .encode(x="day:T", y="used:Q", text="note:N")
    )
    return alt.layer(
        _band_area(band, x),
        used.encode(x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip),
        ahead.encode(x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip),
        bought,
        named,
        used_over.encode(x=x, y=y, order=order, tooltip=past_tooltip),
        ahead_over.encode(x=x, y=y, order=order, tooltip=past_tooltip),
        said,
        height=260,
        config=unframed(),
        autosize=FIT_WIDTH,
    )


def _band_area(band: ChartData, x: alt.X) -> alt.Chart:
    """The forecast band: shaded between the projection at the slow and the fast end of the
    burn rate's range, with a legend entry of its own beside the lines' and a tooltip that says
    the run-out dates and the rates (the same on every point: an area is hovered as one)."""
    name = band_name()
    fill = alt.Fill(
        "name:N",
        title=None,
        legend=alt.Legend(orient="top", symbolType="square", symbolOpacity=BAND_OPACITY + 0.1),
        scale=alt.Scale(domain=[name], range=[USED]),
    )
    return (
        alt.Chart(band)
        .mark_area(opacity=BAND_OPACITY)
        .transform_calculate(name=_quoted(name))
        .encode(
            x=x,
            y=alt.Y("low:Q"),
            y2=alt.Y2("high:Q"),
            fill=fill,
            tooltip=[
                alt.Tooltip("name:N", title=_("Range")),
                alt.Tooltip("runs_out:N", title=_("Runs out")),
                alt.Tooltip("per_day:N", title=_("Used per day")),
            ],
        )
    )
