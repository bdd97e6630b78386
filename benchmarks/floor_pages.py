"""The stack's floor for a page opened from the sidebar: a bare multipage Streamlit app laid out
wide as the app's pages are, of `floor_app.py` (one Altair chart of a DuckDB result through
polars), an empty page, and a page shaped like one of the app's: as many charts and tables as
its link says (`?charts=N&tables=M`, kept in the session, since a click on a link in the sidebar
drops the query string). `benchmarks/browser.py` clicks between them from the sidebar, timed
exactly as it times the app's pages: the one-chart page is the floor the app's pages are read
against, the shaped page what the stack takes to draw that many views with nothing to compute."""

from pathlib import Path

import altair as alt
import polars as pl
import streamlit as st

CHART = Path(__file__).with_name("floor_app.py")
TABLE_ROWS = 200  # rows of each of the shaped page's tables


def empty() -> None:
    st.title("Empty")


def shaped() -> None:
    if "charts" in st.query_params:
        st.session_state.shape = (int(st.query_params["charts"]), int(st.query_params["tables"]))
    charts, tables = st.session_state.get("shape", (1, 0))
    st.title("Shaped")
    bars = pl.DataFrame({"label": [f"item {n}" for n in range(8)], "n": list(range(1, 9))})
    for n in range(charts):
        chart = alt.Chart(bars.to_arrow(), title=f"Chart {n + 1}").mark_bar()
        st.altair_chart(chart.encode(x="n:Q", y="label:N"), key=f"chart_{n}")
    rows = pl.DataFrame(
        {
            "reference": [f"CASE-{n:06d}" for n in range(TABLE_ROWS)],
            "title": [f"A case of some length, number {n}" for n in range(TABLE_ROWS)],
            "hours": [n / 4 for n in range(TABLE_ROWS)],
            "status": ["closed", "open"] * (TABLE_ROWS // 2),
        }
    )
    for n in range(tables):
        st.dataframe(rows, key=f"table_{n}", hide_index=True)


st.set_page_config(page_title="Floor", layout="wide")
st.navigation(
    [
        st.Page(empty, title="Empty", url_path="empty", default=True),  # served at the root
        st.Page(CHART, title="One chart", url_path="chart"),
        st.Page(shaped, title="Shaped", url_path="shaped"),
    ]
).run()
