"""The dataset page: what the app is reading, as of when, and how big each table is."""

import polars as pl
import streamlit as st

from dashboard import location
from dashboard.session import live_dataset


def render() -> None:
    st.title("Customer Activity")
    try:
        dataset = live_dataset()
    except location.DatasetMissing as missing:
        st.error(f"No dataset to show. {missing}.", icon=":material/error:")
        return
    manifest = dataset.manifest
    st.caption(f"Data as of **{dataset.as_of:%d %B %Y}**, built {manifest['created_at']}")
    tables = pl.DataFrame(
        {
            "table": list(manifest["tables"]),
            "rows": [t["rows"] for t in manifest["tables"].values()],
        }
    )
    first, second = st.columns(2)
    first.metric("As of", f"{dataset.as_of:%Y-%m-%d}")
    second.metric("Rows in all tables", f"{tables.get_column('rows').sum():,}")
    st.subheader("Table sizes")
    st.dataframe(
        tables,
        hide_index=True,
        height=(tables.height + 1) * 35 + 3,
        width=480,
        column_config={"rows": st.column_config.NumberColumn("rows", format="localized")},
    )
