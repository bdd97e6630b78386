"""The dataset page: what the app is reading, as of when, and how big each table is."""

import polars as pl
import streamlit as st

from dashboard.app.live_dataset import live_dataset
from dashboard.app.tables import grid
from dashboard.app.views.common import figure_row
from dashboard.formats import day, moment
from dashboard.query import sql_files
from dashboard.text import inert


def missing(problem: str) -> None:
    """What is wrong with the dataset, and the commands (`quoted` in `problem`) that fix it,
    ready to copy."""
    st.title("Customer Activity")
    parts = problem.split("`")
    st.error(inert(f"No dataset to show: {''.join(parts)}."), icon=":material/error:")
    commands = parts[1::2]
    if commands:
        st.caption("To put it right, run one of these where the app is installed:")
        for command in commands:
            st.code(command, language="bash")


def built(created_at: object, zone: str | None = None) -> str:
    """When the dataset was written, as a reader says it: 29 Nov 2026, 10:54 CET (in `zone`,
    the reader's; UTC when it is not known)."""
    try:
        return moment(str(created_at), zone)
    except ValueError:  # not a time: shown as it is written
        return inert(str(created_at))


def render() -> None:
    st.title("About the data")
    dataset = live_dataset()
    manifest = dataset.manifest
    made = built(manifest["created_at"], st.context.timezone)
    st.caption(f"Data as of **{day(dataset.as_of)}**, built {made}")
    absent = [n for n in sql_files.derived_names() if n not in manifest.get("derived", {})]
    if absent:  # written before these were part of the layout: same answers, slower
        st.info(
            inert(
                f"This dataset was written before {', '.join(absent)} were part of the "
                "layout. Every page shows the same answers, but more slowly and with more "
                "memory. Importing it again writes them:"
            ),
            icon=":material/speed:",
        )
        st.code(
            f"python -m dashboard import {dataset.folder} --data {dataset.home} "
            f"--as-of {dataset.as_of:%Y-%m-%d}",
            language="bash",
        )
    tables = pl.DataFrame(
        {
            "table": list(manifest["tables"]),
            "rows": [t["rows"] for t in manifest["tables"].values()],
        }
    )
    row = figure_row()
    row.metric("As of", day(dataset.as_of))
    row.metric("Rows in all tables", f"{tables.get_column('rows').sum():,}")
    st.subheader("Table sizes")
    grid(tables, height=(tables.height + 1) * 35 + 3, width=480)  # every table, no scrolling


if __name__ == "__main__":
    render()
