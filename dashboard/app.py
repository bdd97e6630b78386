"""The app's entry: `streamlit run dashboard/app.py`."""

import streamlit as st

from dashboard.views import dataset_page

st.set_page_config(page_title="Customer Activity", page_icon=":material/insights:", layout="wide")

page = st.navigation(
    [st.Page(dataset_page.render, title="Dataset", icon=":material/dataset:", default=True)]
)
page.run()
