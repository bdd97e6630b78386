"""The app's handle on the live dataset: one open Dataset per version, shared by sessions.

For a data home on object storage (`s3://`), the first call brings the local cache up to date
(blocking) and starts the thread that follows new versions (dashboard/ingest/object_store.py).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.ingest import data_home
from dashboard.query.dataset import Dataset


@st.cache_resource(max_entries=2, show_spinner=False)
def _open(folder: str) -> Dataset:
    return Dataset(Path(folder))


def live_dataset() -> Dataset:
    """The dataset `current` points at now; a re-import is picked up at the next rerun."""
    return _open(str(data_home.current_dataset(data_home.data_home(follow=True))))
