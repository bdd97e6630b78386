"""What a page shows an account manager who serves several customers and has picked none:
which customer, as links to the page for each, and the way to all of them side by side."""

from __future__ import annotations

import streamlit as st

from dashboard.app import pages
from dashboard.formats import number
from dashboard.language import _, ngettext
from dashboard.query.filters import LINK
from dashboard.query.viewer import Viewer
from dashboard.text import inert


def render(viewer: Viewer, page: pages.Page) -> None:
    st.title(_(page.title))
    served = viewer.customers.height
    said = ngettext(
        "You serve {n} customer, and this page shows one at a time. Choose one here or in the "
        "sidebar.",
        "You serve {n} customers, and this page shows one at a time. Choose one here or in the "
        "sidebar.",
        served,
    )
    st.info(said.format(n=number(served)), icon=":material/groups:")
    links = st.container(horizontal=True, wrap=True)
    for row in viewer.customers.iter_rows(named=True):
        with links:
            st.page_link(
                page.file,
                label=inert(row["name"]),
                icon=":material/business:",
                query_params={LINK["customer"]: row["customer_id"]},
            )
    st.page_link(
        pages.PORTFOLIO.file,
        label=_("See every customer side by side in My customers"),
        icon=pages.PORTFOLIO.icon,
    )
