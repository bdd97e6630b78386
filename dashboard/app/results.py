"""Query results for the pages, cached per (dataset version, viewer, query, filters, extras).

A result's key holds only the filters its query reads (moving the dates reruns only the
queries that read dates). Only aggregated or page-sized results pass through here (long lists
are cut to LIST_ROWS and counted; a download fetches the whole list when clicked); the cache is
bounded, and a new dataset version is a new key, so a re-import is picked up at the next rerun.

When a page is drawn again, the results it asked for the last time that are not cached yet are
started ahead of it, a few at a time (`dashboard.app.prefetch`).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC

import polars as pl
import streamlit as st

from dashboard.app import prefetch, streamlit_internals
from dashboard.language import N_, _
from dashboard.query import sql_files
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from dashboard.query.lru import Kept
from dashboard.query.viewer import Viewer
from dashboard.text import without_invisible

LIST_ROWS = 2_000  # rows of a long list shown on a page; its download holds them all


Extra = tuple[tuple[str, object], ...]
KNOWN_RESULTS = 4096  # keys of results computed lately: those are not started ahead again
_known: OrderedDict[tuple, None] = OrderedDict()
_known_lock = threading.Lock()


def _computed(key: tuple) -> None:
    with _known_lock:
        _known[key] = None
        _known.move_to_end(key)
        while len(_known) > KNOWN_RESULTS:
            _known.popitem(last=False)


def _is_known(key: tuple) -> bool:
    with _known_lock:
        return key in _known


def _key(dataset: Dataset, name: str, viewer: str | None, filters: Filters, extra: Extra) -> tuple:
    """The result cache's key, after the dataset: (version, name, viewer, the filters the query
    reads, extra). The version holds the latest change to access made in the app for the
    viewer's customer: a change there clears its viewers' results, and no other customer's."""
    version = (dataset.version, dataset.access_version(viewer))
    return (version, name, viewer, filters.only(sql_files.load(name).parameters), extra)


def _taken(counted: bool, future: Future | None, make: Callable, key: tuple):
    """What a cached function computes on a miss: the work started ahead, or `make()`; noted as
    computed once it is."""
    value = prefetch.take(future, make)
    _computed((counted, *key))
    return value


def _rows(dataset: Dataset, name: str, viewer: str | None, filters: Filters, extra: Extra):
    return without_invisible(dataset.run(name, viewer, filters, **dict(extra)))


def _count(dataset: Dataset, name: str, viewer: str | None, filters: Filters, extra: Extra):
    return dataset.count(name, viewer, filters, **dict(extra))


# Results are kept as they are, not as copies: a hit costs microseconds where st.cache_data
# hashed its arguments and unpickled a copy of the frame (about a millisecond a result, a dozen
# results a page). Pages only derive new frames from them, never change them in place.
# Bounded in bytes too: a page-sized list is up to a few MB, and entries alone would let many
# sessions' lists hold gigabytes; what is dropped is computed again when next asked for.
RESULTS_BYTES = 64 * 1024 * 1024
_RESULTS: Kept[pl.DataFrame] = Kept(
    entries=2048, max_bytes=RESULTS_BYTES, size=lambda frame: frame.estimated_size()
)
_COUNTS: Kept[int] = Kept(entries=512)


def _cached(
    dataset: Dataset,
    version: tuple[str, int],
    name: str,
    viewer: str | None,
    filters: Filters,
    extra: Extra,
    ahead_of_page: Future | None = None,
    counted: bool = False,
):
    """The query's rows (or, `counted`, how many there are) for this key: kept, taken from the
    work started ahead of the page, or computed here under a spinner."""
    key = (version, name, viewer, filters, extra)
    kept, compute, working = (
        (_COUNTS, _count, N_("Counting…"))
        if counted
        else (_RESULTS, _rows, N_("Running the numbers…"))
    )
    found = kept.find(key)
    if found is not None:
        return found
    make = functools.partial(
        _taken, counted, ahead_of_page, functools.partial(compute, dataset, *key[1:]), key
    )
    with streamlit_internals.quiet_spinner(_(working)):  # as st.cache_data shows its own
        return kept.get(key, make)


def forget_results() -> None:
    """Empty the result cache (what a page asked for is then computed again, ahead too)."""
    _RESULTS.clear()
    _COUNTS.clear()
    with _known_lock:
        _known.clear()


@dataclass(frozen=True)
class Asked:
    """A result a page asked for, apart from who is looking and the filters: what is started
    ahead of the page when it is drawn again."""

    name: str
    extra: Extra
    counted: bool = False  # how many rows, rather than the rows


@dataclass(frozen=True)
class Context:
    """What every page draws from: the dataset, who is looking and what they picked; and what
    the page asked for, and what was started ahead of it."""

    dataset: Dataset
    viewer: Viewer
    filters: Filters
    asked: list[Asked] = field(default_factory=list, compare=False, repr=False)
    started: dict[Asked, Future] = field(default_factory=dict, compare=False, repr=False)

    def run(self, name: str, filters: Filters | None = None, **extra: object) -> pl.DataFrame:
        """The query `name` as this viewer, with the sidebar's filters unless others are given."""
        if filters is not None:
            return run_cached(self.dataset, self.viewer.user_id, name, filters, **extra)
        return self._result(Asked(name, tuple(sorted(extra.items()))))

    def listing(
        self, name: str, total: int | None = None, **extra: object
    ) -> tuple[pl.DataFrame, int]:
        """A list query's first LIST_ROWS rows (cached) and how many rows it has in all (counted
        in SQL unless the page knows it from a total or the first rows are all); the whole list
        is fetched only for a download (`batches`)."""
        key = tuple(sorted(extra.items()))
        rows = self._result(Asked(name, key + (("limit", LIST_ROWS),)))
        if total is None:  # counted only when the first rows are not all of them
            short = rows.height < LIST_ROWS
            total = rows.height if short else self._result(Asked(name, key, counted=True))
        return rows, total

    def _key(self, asked: Asked) -> tuple:
        """The result cache's key of `asked` for this viewer and these filters."""
        return _key(self.dataset, asked.name, self.viewer.user_id, self.filters, asked.extra)

    def _result(self, asked: Asked):
        self.asked.append(asked)
        return _cached(
            self.dataset, *self._key(asked), self.started.pop(asked, None), asked.counted
        )

    def start_ahead(self, plan: Iterable[Asked]) -> None:
        """Start what `plan` asks for (what the page asked for when last drawn) that is not
        cached yet, ahead of the page."""
        work: list[tuple[Asked, Callable]] = []
        for asked in dict.fromkeys(plan):  # each once, in the order the page asked
            key = self._key(asked)
            if not _is_known((asked.counted, *key)):
                make = _count if asked.counted else _rows
                work.append((asked, functools.partial(make, self.dataset, *key[1:])))
        self.started.update(prefetch.start(work))

    def drop_ahead(self) -> None:
        """Cancel what was started ahead and not asked for (not started yet)."""
        prefetch.drop(self.started.values())
        self.started.clear()

    def batches(self, name: str, **extra: object) -> Iterator[pl.DataFrame]:
        """Every row of a list query a part at a time, uncached: for a download of a whole
        list, built when it is clicked without holding every row at once (close it when done
        with it: see Dataset.batches)."""
        for part in self.dataset.batches(name, self.viewer.user_id, self.filters, **extra):
            yield without_invisible(part)

    def fetch(self, name: str, limit: int, **extra: object) -> pl.DataFrame:
        """A list query's first `limit` rows, uncached: for a download, made when clicked."""
        return without_invisible(
            self.dataset.head(name, self.viewer.user_id, self.filters, limit, **extra)
        )


STATE_REFUSAL = N_(
    "Who may see what cannot be read just now: the app's state database cannot be reached, "
    "and this server has not read it since it started. Try again in a minute."
)


def stale_access_notice(dataset: Dataset, viewer: str | None) -> str | None:
    """The page's notice while the changes to access are those last read (the state database
    being away; see state_store), None otherwise. The results' keys hold the same version."""
    since = dataset.access_stale_since(viewer)
    if since is None:
        return None
    return _(
        "Access changes made in the app cannot be read just now: this page applies them as "
        "they were at {time} UTC."
    ).format(time=f"{since.astimezone(UTC):%H:%M}")


def run_cached(
    dataset: Dataset, viewer: str | None, name: str, filters: Filters, **extra: object
) -> pl.DataFrame:
    return _cached(dataset, *_key(dataset, name, viewer, filters, tuple(sorted(extra.items()))))


_CONTEXT = "page_context"
_ASKED = "asked_by_page"


def set_page_context(ctx: Context) -> None:
    st.session_state[_CONTEXT] = ctx


def draw_ahead(ctx: Context, page: str, draw: Callable[[], None]) -> None:
    """Draw `page` with `draw()`, what it asked for when last drawn started ahead of it; what
    it asks for this time is remembered for the next time (only when it is drawn to the end:
    a run cut short by a newer one asked for only part)."""
    plans = st.session_state.setdefault(_ASKED, {})
    ctx.start_ahead(plans.get(page, ()))
    try:
        draw()
        plans[page] = list(ctx.asked)
    finally:
        ctx.drop_ahead()


def page_context() -> Context:
    """The context the entry script set for this run (pages are scripts of their own)."""
    return st.session_state[_CONTEXT]
