"""The stack's floor for a fresh server: a Streamlit script that draws one Altair chart of a
DuckDB result handed over through polars, and nothing of the app. `benchmarks/server.py` starts
it, opens it and measures it exactly as it does the app's server, so that the app's first page
and memory can be read against what the stack alone takes on this machine."""

import altair as alt
import duckdb
import polars as pl
import streamlit as st

st.title("Floor")
rows = pl.from_arrow(duckdb.sql("SELECT 'a' AS label, 1 AS n").to_arrow_table())
st.altair_chart(alt.Chart(rows.to_arrow()).mark_bar().encode(x="n:Q", y="label:N"))
