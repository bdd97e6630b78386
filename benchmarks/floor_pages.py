"""The stack's floor for a page opened from the sidebar: a bare multipage Streamlit app laid out
wide as the app's pages are, of `floor_app.py` (one Altair chart of a DuckDB result through
polars), an empty page, and a page shaped like one of the app's: as many charts, and tables of
as many rows and columns, as its link says (`?shape=2;2000x15+48x5`: see benchmarks/shapes.py;
kept in the session, since a click on a link in the sidebar drops the query string).
`benchmarks/browser.py` clicks between them from the sidebar, timed exactly as it times the
app's pages: the one-chart page is the floor the app's pages are read against, the shaped page
what the stack takes to draw a page's views with nothing to compute."""

from pathlib import Path

import altair as alt
import polars as pl
import streamlit as st

CHART = Path(__file__).with_name("floor_app.py")


def empty() -> None:
    st.title("Empty")


def shaped() -> None:
    if "shape" in st.query_params:
        st.session_state.shape = st.query_params["shape"]
    charts, _, sizes = st.session_state.get("shape", "1;").partition(";")
    st.title("Shaped")
    bars = pl.DataFrame({"label": [f"item {n}" for n in range(8)], "n": list(range(1, 9))})
    for n in range(int(charts)):
        chart = alt.Chart(bars.to_arrow(), title=f"Chart {n + 1}").mark_bar()
        st.altair_chart(chart.encode(x="n:Q", y="label:N"), key=f"chart_{n}")
    for n, size in enumerate(size for size in sizes.split("+") if size):
        rows, columns = (int(part) for part in size.split("x"))
        st.dataframe(_table(rows, columns), key=f"table_{n}", hide_index=True)


def _table(rows: int, columns: int) -> pl.DataFrame:
    """`rows` rows of `columns` columns, text and numbers in turn, as the app's lists hold."""
    text = [f"A case of some length, number {n}" for n in range(rows)]
    numbers = [n / 4 for n in range(rows)]
    return pl.DataFrame({f"column {c}": text if c % 2 == 0 else numbers for c in range(columns)})


st.set_page_config(page_title="Floor", layout="wide")
st.navigation(
    [
        st.Page(empty, title="Empty", url_path="empty", default=True),  # served at the root
        st.Page(CHART, title="One chart", url_path="chart"),
        st.Page(shaped, title="Shaped", url_path="shaped"),
    ]
).run()
