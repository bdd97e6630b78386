"""Every page's set of queries, found by running the page in AppTest and watching the query
layer, then replayed through the app's own runner for timing.

Moving the start of the date range misses the result cache of every query that reads the
dates; picking other workspaces misses it for every query that reads any filter: the page's
full set. Both sets are recorded, and replayed. Either way the runner's kept results, which
depend on the viewer alone, are at hand; a viewer first seen has none.
"""

from __future__ import annotations

import functools
import itertools
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from dashboard.app import chart_specs, prefetch, results
from dashboard.app import pages as registry
from dashboard.app.sidebar import KEYS
from dashboard.ingest import data_home
from dashboard.query import sql_files
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app" / "main.py")


def pages_of(account_manager: bool) -> list[tuple[str, str]]:
    """(title, page file) of every page a viewpoint opens: every page but the administrators'
    own (Manage access), and My customers for an account manager only, in the navigation's
    order, under the names the results have always used."""
    return [
        (page.short_title or page.title, page.file)
        for page in registry.visible(administers=False, account_manager=account_manager)
    ]


PAGES = pages_of(account_manager=False)  # a customer user's
PORTFOLIO = registry.PORTFOLIO.file  # opened with no customer picked: it spans every one
ONE_CONTRACT = {page.file for page in registry.PAGES if page.one_contract}  # need a contract


@dataclass(frozen=True)
class Call:
    name: str
    viewer: str | None
    filters: Filters | None
    extra: tuple[tuple[str, object], ...]

    @property
    def reads_filters(self) -> bool:
        """Whether picking other filters reruns it (who the viewer is, say, it does not)."""
        return bool(set(sql_files.load(self.name).parameters) & set(sql_files.FILTER_PARAMETERS))


@dataclass
class Watch:
    """What the query layer did during one AppTest run."""

    calls: list[Call] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)  # (start, end) of each query
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def query_ms(self) -> float:
        """The time during which at least one query ran (queries run ahead overlap)."""
        total, reached = 0.0, float("-inf")
        for start, end in sorted(self.spans):
            if end > reached:
                total += end - max(start, reached)
                reached = end
        return total * 1000


@contextmanager
def watching() -> Iterator[Watch]:
    """Record (and time) every query the app runs while the block runs."""
    watch = Watch()
    original = Dataset.run

    def run(self, name, viewer, filters=None, **extra):
        start = time.perf_counter()
        result = original(self, name, viewer, filters, **extra)
        watch.spans.append((start, time.perf_counter()))
        watch.calls.append(Call(name, viewer, filters, tuple(sorted(extra.items()))))
        watch.rows[name] = result.height
        return result

    Dataset.run = run
    try:
        yield watch
    finally:
        Dataset.run = original


def open_app(home: Path, user: str, params: dict | None = None) -> AppTest:
    os.environ[data_home.ENV_VAR] = str(home)
    at = AppTest.from_file(APP, default_timeout=600)
    at.query_params["as"] = user
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at


@dataclass
class PageRun:
    """A page rerun after each of several filter changes, in AppTest."""

    title: str
    calls: list[Call]  # what moving the dates runs
    full: list[Call]  # what the page runs after other workspaces (every query reading a filter)
    rerun: list[float]  # ms of each rerun after moving the dates
    queries: list[float]  # ms of it spent in queries
    cold: list[float]  # ms of each rerun after other workspaces (no result cached)
    cold_queries: list[float]
    charts: list[tuple[int, int]]  # (rows, bytes) of every chart on the page


_DAYS = itertools.count(730)  # every filter change in the process picks a day never picked


def after_filter_changes(
    home: Path, user: str, params: dict, page: str, as_of: date, rounds: int
) -> PageRun:
    """Open `page`, then move the start of the date range `rounds` times (each to a day never
    picked, so a cache miss for every query that reads the dates), timing each rerun; then as
    many reruns with the results cache and the charts emptied first, so that every query that
    reads a filter runs and every chart is built again (as after picking other workspaces: the
    viewer's kept results stay). A page whose filters are greyed out, or not drawn (an
    account manager's My customers, with no customer picked), is drawn again instead of each
    move."""
    at = open_app(home, user, params)
    at.run()
    at.switch_page(page).run()
    title = next(t for t, p in pages_of(account_manager=True) if p == page)
    result = PageRun(title, [], [], [], [], [], [], [])
    for round_no in range(2 * rounds + 1):
        cold = round_no > rounds
        if cold:
            results.forget_results()
            chart_specs.forget_specs()  # on other workspaces the charts' data is new: built again
        with watching() as watch:
            start = time.perf_counter()
            picker = next((p for p in at.date_input if p.key == KEYS["date_from"]), None)
            if picker is None or picker.disabled:  # the filters do not change it: drawn again
                at.run()
            else:
                picker.set_value(as_of - timedelta(days=next(_DAYS))).run()
            elapsed = (time.perf_counter() - start) * 1000
        if at.exception:
            raise RuntimeError(f"{title} failed for {user}: {at.exception[0].message}")
        if round_no == 0:  # the first change also warms what follows it
            result.charts = chart_sizes(at)
        elif cold:
            result.cold.append(elapsed)
            result.cold_queries.append(watch.query_ms)
            result.full = [call for call in watch.calls if call.reads_filters]
        else:
            result.calls = watch.calls
            result.rerun.append(elapsed)
            result.queries.append(watch.query_ms)
    return result


def chart_sizes(at: AppTest) -> list[tuple[int, int]]:
    """(rows sent, bytes sent: spec and data) of every chart on the page."""
    sizes = []
    for chart in at.get("vega_lite_chart"):
        data = [d.data.data for d in chart.proto.datasets]
        rows = sum(pa.ipc.open_stream(d).read_all().num_rows for d in data)
        size = len(chart.proto.spec) + sum(len(d) for d in data)
        sizes.append((rows, size))
    return sizes


def floor(rounds: int) -> list[float]:
    """AppTest's own cost: reruns of a script that draws one line, timed like the pages."""
    at = AppTest.from_string("import streamlit as st\nst.write('floor')", default_timeout=60)
    at.run()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def replay(
    dataset: Dataset, calls: list[Call], fresh: bool = False, one_by_one: bool = False
) -> int:
    """Run a page's queries through the runner, uncached, as the app does when the page is
    drawn again (started ahead, a few at a time, and taken in the page's order) or
    `one_by_one`; returns the rows they gave. `fresh` forgets the runner's kept results first,
    as for a viewer or workspaces not seen before."""
    if fresh:
        dataset.forget_kept()
    makes = [
        functools.partial(dataset.run, c.name, c.viewer, c.filters, **dict(c.extra)) for c in calls
    ]
    started = {} if one_by_one else prefetch.start(enumerate(makes))
    return sum(prefetch.take(started.get(n), make).height for n, make in enumerate(makes))
