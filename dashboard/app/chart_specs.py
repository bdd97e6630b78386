"""The chart engine: how a chart becomes a Vega-Lite spec, cheaply and once per input, and the
look every chart shares. A layout (a function from frames to an Altair chart) is sketched with
its rows (Sketch), built by Altair once per shape and filled with each chart's rows; `recipe`
makes a chart function return a Recipe, whose spec is cached per input. Knows no page, query or
meaning of the data: the charts themselves, and their colours, are in dashboard/app/charts.py.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec

import altair as alt
import polars as pl
import pyarrow as pa
import streamlit as st

from dashboard.app import streamlit_internals
from dashboard.formats import D3_MONTH, vega_locale
from dashboard.language import DEFAULT, current

# Altair checks every piece of a chart against the Vega-Lite schema as it is built and again
# when it is turned into a spec; Streamlit's st.altair_chart checks it once more. Together that
# was most of a page's drawing time. Charts are drawn from `Recipe.drawable`, unchecked;
# tests/app/test_chart_specs.py checks every chart the pages draw against the schema instead.
streamlit_internals.disable_altair_checks()
# No theme sizes: Streamlit sizes the charts (what st.altair_chart does for each chart).
alt.theme.enable("none")
# no chart's plot is shorter than this (a one-bar chart, a month chart), in pixels
MIN_HEIGHT = 160
# Streamlit fits a chart to its container's width and, unless told otherwise, its height too:
# the legend and axes then took their room from the plot (a 180-pixel month chart drew its
# bars 50 pixels high). Fitted to the width only, a chart's height is its plot's.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
# A chart's rows are tens or hundreds: polars' in-memory engine collects so few faster than
# its default engine, which is made for large frames.
SMALL = "in-memory"
# The width of the element a chart is drawn in, in the browser; 0 where there is none (a chart
# drawn offline, as an image, at the width it is given).
_CONTAINER = "containerSize()[0]"
# A title over a plot, from the plot's left edge (right of its axis): cut short with an
# ellipsis at the container's edge, where it was clipped mid-letter (0: no limit).
TITLE_LIMIT = alt.ExprRef(expr=f"{_CONTAINER} > 0 ? {_CONTAINER} - 70 : 0")
# A legend over a chart: one row; in a container too narrow for one row (a phone), where its
# last entries were cut at the chart's edge, two columns, or one on the smallest phones.
TOP_LEGEND_COLUMNS = alt.ExprRef(
    expr=f"{_CONTAINER} <= 0 ? 0 : width < 340 ? 1 : width < 480 ? 2 : 0"
)
# A legend over a concat of bar charts, whose plots start right of the widest label of all: two
# columns where one row would run past the container's edge (a laptop with the sidebar open, a
# phone), not the one that TOP_LEGEND_COLUMNS gives those plots' narrower width there.
CONCAT_LEGEND_COLUMNS = alt.ExprRef(expr=f"{_CONTAINER} <= 0 ? 0 : {_CONTAINER} < 640 ? 2 : 0")
# A bar's label of two words or more on two lines in a narrow container (a phone), split at its
# last space: in a concat of bar charts every plot starts right of the widest label of all, and
# "On-demand assessments" on one line left each plot a third of a phone's width.
TWO_LINES_WHEN_NARROW = (
    f"{_CONTAINER} > 0 && {_CONTAINER} < 480 && lastindexof(datum.label, ' ') > 0"
    " ? [slice(datum.label, 0, lastindexof(datum.label, ' ')),"
    " slice(datum.label, lastindexof(datum.label, ' ') + 1)]"
    " : datum.label"
)
# what a layout is given for each frame: the frame, or a placeholder naming it (see Sketch)
ChartData = pl.DataFrame | alt.NamedData
P = ParamSpec("P")
_BUILDERS: dict[str, Callable[..., Sketch]] = {}


@dataclass(frozen=True)
class Sketch:
    """A chart before Altair builds it: the frames it shows (`rows`), and `layout`, which builds
    it from placeholders for those frames and from `shape`: everything else the chart depends
    on (its unit, its legend's values...). A layout never sees the rows, so charts of one shape
    differ only in their data: Altair builds and turns into a spec each shape once, and a chart
    of new data is that spec with the new rows put in (a few milliseconds instead of 15 to 50;
    Altair's building, not the data, was the cost)."""

    layout: Callable[..., alt.TopLevelMixin]
    rows: tuple[pl.DataFrame, ...]
    shape: tuple[tuple[str, object], ...]

    def chart(self) -> alt.TopLevelMixin:
        """The chart built by Altair with its rows (for a picture, or to check the spec)."""
        return self.layout(*self.rows, **dict(self.shape))

    def spec(self) -> dict:
        return _filled(_skeleton(self.layout, len(self.rows), self.shape, current()), self.rows)


def sketch(layout: Callable[..., alt.TopLevelMixin], *rows: pl.DataFrame, **shape) -> Sketch:
    """A Sketch of the chart `layout` builds from `rows` and `shape` (hashable values)."""
    return Sketch(layout, rows, tuple(sorted(shape.items())))


@functools.lru_cache(maxsize=256)
def _skeleton(
    layout: Callable[..., alt.TopLevelMixin], count: int, shape: tuple, language: str
) -> dict:
    """The spec `layout` gives for `shape` in `language` (its words, and the numbers and dates
    as the language writes them), with placeholders where its `count` frames go."""
    named = [alt.NamedData(name=_PLACEHOLDER.format(place)) for place in range(count)]
    spec = layout(*named, **dict(shape)).to_dict(validate=False)
    if language != DEFAULT:  # Vega's own is English's
        spec["config"] = {**spec.get("config", {}), "locale": vega_locale(language)}
    return spec


_PLACEHOLDER = "rows-{}"


def _filled(skeleton: dict, rows: tuple[pl.DataFrame, ...]) -> dict:
    """`skeleton` with its placeholders naming `rows`, which it then holds in `datasets`, as
    Altair would have made it from the rows: the same values, names and row limit."""
    context: dict = {}
    names = {
        _PLACEHOLDER.format(place): streamlit_internals.altair_dataset_name(frame, context)
        for place, frame in enumerate(rows)
    }
    spec = _renamed(skeleton, names)
    if context.get("datasets"):
        spec["datasets"] = context["datasets"]
    return spec


def _renamed(part: object, names: dict[str, str]) -> object:
    """A copy of `part` (a spec or a piece of one) in which data named as a key of `names` is
    named by its value instead."""
    if isinstance(part, dict):
        data = part.get("data")
        copied = {key: _renamed(value, names) for key, value in part.items()}
        if isinstance(data, dict) and data.get("name") in names:
            copied["data"] = {**data, "name": names[data["name"]]}
        return copied
    if isinstance(part, list):
        return [_renamed(item, names) for item in part]
    return part


@dataclass(frozen=True)
class Recipe:
    """A chart to be: the function that sketches it and what it is built from. Sketching it
    (the polars work) and filling its spec takes a few milliseconds, so `spec()` does it once
    per distinct input (a chart over the whole term is not sketched again when the dates move)."""

    builder: str
    args: tuple
    kwargs: tuple[tuple[str, object], ...]

    def sketch(self) -> Sketch:
        return _BUILDERS[self.builder](*self.args, **dict(self.kwargs))

    def chart(self) -> alt.TopLevelMixin:
        return self.sketch().chart()

    def spec(self) -> dict:
        return _spec(self.builder, _fingerprint((self.args, self.kwargs)), current(), self)

    def drawable(self) -> dict:
        """The spec with its datasets already in Arrow IPC, converted by Streamlit's own function
        as st.vega_lite_chart would: once per input, not on every rerun (milliseconds a chart)."""
        return _drawable(self.builder, _fingerprint((self.args, self.kwargs)), current(), self)

    def to_json(self) -> str:
        return json.dumps(self.spec())


def _fingerprint(inputs: tuple) -> object:
    """What the chart caches are keyed by: a digest of the pickled inputs (a frame pickles in
    its columns, types and values, in a few dozen microseconds), or, for inputs that cannot be
    pickled, the inputs themselves. Streamlit's own hashing of a frame took about a millisecond
    a chart on every rerun."""
    try:
        return hashlib.blake2b(pickle.dumps(inputs, protocol=5), digest_size=16).hexdigest()
    except (pickle.PicklingError, TypeError, AttributeError):
        return inputs


@st.cache_data(max_entries=1024, show_spinner=False)
def _spec(builder: str, fingerprint: object, language: str, _recipe: Recipe) -> dict:
    return _recipe.sketch().spec()


@st.cache_data(max_entries=1024, show_spinner=False)
def _drawable(builder: str, fingerprint: object, language: str, _recipe: Recipe) -> dict:
    spec = dict(_spec(builder, fingerprint, language, _recipe))
    if "datasets" in spec:
        spec["datasets"] = {
            name: streamlit_internals.arrow_bytes(_table(rows))
            for name, rows in spec["datasets"].items()
        }
    return spec


def forget_specs() -> None:
    """Drop every chart spec built so far: each chart is built again when next drawn, as it is
    when its data changes (the benchmark's reruns with nothing cached), from its shape's spec."""
    _spec.clear()
    _drawable.clear()


_PANDAS = threading.Lock()


def _table(rows: list[dict]) -> pa.Table | list[dict]:
    """A chart's rows as an Arrow table, which Streamlit sends as it is; given the rows, it
    would build a pandas frame first, and the app does not import pandas (see
    dashboard/app/preload.py). Built by polars: pyarrow would import pandas to build it from Python
    values. Rows polars cannot take go as they are, for Streamlit to convert."""
    try:
        return pl.DataFrame(rows, infer_schema_length=None).to_arrow()
    except (pl.exceptions.PolarsError, TypeError, ValueError, OverflowError):
        with _PANDAS:  # imported by one session at a time (see dashboard/app/preload.py)
            import pandas  # noqa: F401
        return rows


def recipe(builder: Callable[P, Sketch]) -> Callable[P, Recipe]:
    """Make `builder` return a Recipe of its chart instead of the chart."""
    _BUILDERS[builder.__name__] = builder

    @functools.wraps(builder)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> Recipe:
        return Recipe(builder.__name__, args, tuple(sorted(kwargs.items())))

    return wrapped


def unframed(axis: alt.AxisConfig | None = None) -> alt.Config:
    """The configuration of every chart: no frame around the plot (and `axis`). Given with
    the chart's size where the chart is made, not by `.properties()` and `.configure_view()`
    at the end: each of those copies the whole chart, a large part of building a layered one."""
    if axis is None:
        return alt.Config(view=alt.ViewConfig(stroke=None))
    return alt.Config(view=alt.ViewConfig(stroke=None), axis=axis)


def few_bars(rows: int, step: int) -> bool:
    """Whether `rows` bars `step` pixels apart make a plot under MIN_HEIGHT. The layouts take
    this, not the number: a chart of few bars and one of many are each one shape (see Sketch),
    whatever their number."""
    return rows * step < MIN_HEIGHT


def bars_height(few: bool, step: int) -> int | alt.Step:
    """A plot of few bars MIN_HEIGHT high, each bar as thick as ever and further apart; of
    many, `step` pixels a bar."""
    return MIN_HEIGHT if few else alt.Step(step)


# Half a month in pixels, on a time axis of months: each month's name is moved from its first
# day (a tick between two bars) to the middle of its bar. The tick that ends the last month
# names no month.
_HALF_MONTH = "width * 15.2 * 864e5 / max(domain('x')[1] - domain('x')[0], 1)"
_MONTH_LABEL = f"datum.value >= domain('x')[1] ? '' : timeFormat(datum.value, '{D3_MONTH}')"


def months_x(field: str = "month") -> alt.X:
    """A time axis of months, each month's bar in the middle of its month, named under it."""
    axis = alt.Axis(
        format=D3_MONTH,
        labelAngle=0,
        tickCount="month",
        grid=False,
        labelOffset=alt.ExprRef(expr=_HALF_MONTH),
        labelExpr=_MONTH_LABEL,
        labelFlush=False,  # the first month's name under its bar too, not pushed right
    )
    return alt.X(f"yearmonth({field}):T", title=None, bandPosition=0.5, axis=axis)


def every_month(frame: pl.DataFrame) -> pl.Series:
    """Each month from the first to the last of `frame`'s `month` column (firsts of months)."""
    months = frame.get_column("month").dt.truncate("1mo")
    return pl.date_range(months.min(), months.max(), interval="1mo", eager=True).alias("month")


def zero_filled(rows: pl.LazyFrame, months: pl.Series, by: str, value: str) -> pl.LazyFrame:
    """`rows` (month, `by`, `value`) with a row of 0 for each month of `months` and each `by`
    that has none: a month with nothing in it is drawn as nothing, not left out of the axis.
    In a steady order (month, then `by` as first met), so that equal frames give equal specs."""
    rows = rows.select(pl.col("month").dt.truncate("1mo"), by, value)
    keys = rows.select(by).unique(maintain_order=True)
    every = months.to_frame().lazy().join(keys, how="cross", maintain_order="left_right")
    filled = every.join(rows, on=["month", by], how="left", nulls_equal=True, maintain_order="left")
    return filled.with_columns(pl.col(value).fill_null(0))


def label_limit(widest: int, least: int = 100) -> alt.ExprRef:
    """How wide a bar's label may be: `widest` pixels, or less in a narrow container (a phone,
    or a laptop with the sidebar open), so that about three fifths of the width is left for the
    bars, but never less than `least`. A fixed limit left a phone 70 pixels of bars."""
    return alt.ExprRef(
        expr=f"{_CONTAINER} > 0 ? clamp({_CONTAINER} * 0.4, {least}, {widest}) : {widest}"
    )
