"""The stack's floor for a page opened from the sidebar: a bare multipage Streamlit app of two
pages, `floor_app.py` (one Altair chart of a DuckDB result through polars) and an empty one,
laid out wide as the app's pages are. `benchmarks/browser.py` clicks between them from the
sidebar, timed exactly as it times the app's pages: the one-chart page is the floor the app's
pages are read against."""

from pathlib import Path

import streamlit as st

CHART = Path(__file__).with_name("floor_app.py")


def empty() -> None:
    st.title("Empty")


st.set_page_config(page_title="Floor", layout="wide")
st.navigation(
    [
        st.Page(empty, title="Empty", url_path="empty", default=True),  # served at the root
        st.Page(CHART, title="One chart", url_path="chart"),
    ]
).run()
