"""Query results for the pages, cached per (dataset version, viewer, query, filters, extras).

A result's key holds only the filters its query reads (moving the dates reruns only the
queries that read dates). Only aggregated or page-sized results pass through here (long lists
are cut to LIST_ROWS and counted; a download fetches the whole list when clicked); the cache is
bounded, and a new dataset version is a new key, so a re-import is picked up at the next rerun.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.filters import Filters
from dashboard.runner import Dataset
from dashboard.scope import Viewer
from dashboard.text import visible

LIST_ROWS = 2_000  # rows of a long list shown on a page; its download holds them all


@st.cache_data(max_entries=2048, show_spinner="Running the numbers…")
def _cached(
    _dataset: Dataset,
    version: tuple[str, int],
    name: str,
    viewer: str | None,
    filters: Filters,
    extra: tuple[tuple[str, object], ...],
) -> pl.DataFrame:
    return visible(_dataset.run(name, viewer, filters, **dict(extra)))


@dataclass(frozen=True)
class Context:
    """What every page draws from: the dataset, who is looking and what they picked."""

    dataset: Dataset
    viewer: Viewer
    filters: Filters

    def run(self, name: str, filters: Filters | None = None, **extra: object) -> pl.DataFrame:
        """The query `name` as this viewer, with the sidebar's filters unless others are given."""
        return run_cached(self.dataset, self.viewer.user_id, name, filters or self.filters, **extra)

    def listing(
        self, name: str, total: int | None = None, **extra: object
    ) -> tuple[pl.DataFrame, int]:
        """A list query's first LIST_ROWS rows (cached) and how many rows it has in all (counted
        in SQL unless the page knows it from a total); the whole list is fetched only for a
        download (`fetch_all`)."""
        version = (self.dataset.version, self.dataset.access_version())
        key = tuple(sorted(extra.items()))
        filters = self.filters.only(queries.load(name).parameters)
        if total is None:
            total = _counted(self.dataset, version, name, self.viewer.user_id, filters, key)
        limited = key + (("limit", LIST_ROWS),)
        rows = _cached(self.dataset, version, name, self.viewer.user_id, filters, limited)
        return rows, total

    def fetch_all(self, name: str, **extra: object) -> pl.DataFrame:
        """Every row of a list query, uncached: for a download, built when it is clicked."""
        return visible(
            self.dataset.run(name, self.viewer.user_id, self.filters, bulk=True, **extra)
        )


@st.cache_data(max_entries=512, show_spinner="Counting…")
def _counted(
    _dataset: Dataset,
    version: tuple[str, int],
    name: str,
    viewer: str | None,
    filters: Filters,
    extra: tuple[tuple[str, object], ...],
) -> int:
    return _dataset.count(name, viewer, filters, **dict(extra))


def run_cached(
    dataset: Dataset, viewer: str | None, name: str, filters: Filters, **extra: object
) -> pl.DataFrame:
    version = (dataset.version, dataset.access_version())
    filters = filters.only(queries.load(name).parameters)
    return _cached(dataset, version, name, viewer, filters, tuple(sorted(extra.items())))


_CONTEXT = "page_context"


def set_page_context(ctx: Context) -> None:
    st.session_state[_CONTEXT] = ctx


def page_context() -> Context:
    """The context the entry script set for this run (pages are scripts of their own)."""
    return st.session_state[_CONTEXT]
