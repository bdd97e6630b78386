"""Query results for the pages, cached per (dataset version, viewer, query, filters, extras).

Only aggregated or page-sized results pass through here; the cache is bounded, and a new
dataset version is a new key, so a re-import is picked up at the next rerun.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from dashboard.filters import Filters
from dashboard.runner import Dataset
from dashboard.scope import Viewer


@st.cache_data(max_entries=2048, show_spinner="Running the numbers…")
def _cached(
    _dataset: Dataset,
    version: tuple[str, int],
    name: str,
    viewer: str | None,
    filters: Filters,
    extra: tuple[tuple[str, object], ...],
) -> pl.DataFrame:
    return _dataset.run(name, viewer, filters, **dict(extra))


@dataclass(frozen=True)
class Context:
    """What every page draws from: the dataset, who is looking and what they picked."""

    dataset: Dataset
    viewer: Viewer
    filters: Filters

    def run(self, name: str, filters: Filters | None = None, **extra: object) -> pl.DataFrame:
        """The query `name` as this viewer, with the sidebar's filters unless others are given."""
        return run_cached(self.dataset, self.viewer.user_id, name, filters or self.filters, **extra)


def run_cached(
    dataset: Dataset, viewer: str | None, name: str, filters: Filters, **extra: object
) -> pl.DataFrame:
    version = (dataset.version, dataset.access_version())
    return _cached(dataset, version, name, viewer, filters, tuple(sorted(extra.items())))


_CONTEXT = "page_context"


def set_page_context(ctx: Context) -> None:
    st.session_state[_CONTEXT] = ctx


def page_context() -> Context:
    """The context the entry script set for this run (pages are scripts of their own)."""
    return st.session_state[_CONTEXT]
