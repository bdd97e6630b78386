"""A page, or a part of one, drawn so that an unexpected error becomes a short message on the
page (the details in the log), never a stack trace."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import streamlit as st

from dashboard.app.results import STATE_REFUSAL
from dashboard.app.views import dataset_page
from dashboard.ingest import data_home
from dashboard.language import _
from dashboard.query.state_store import StateUnavailable

log = logging.getLogger("customer_activity")


def guarded(draw: Callable[[], None]) -> None:
    """Draw a page; an unexpected error becomes a short message, with the details in the log."""
    try:
        draw()
    except data_home.DatasetMissing as problem:  # a file of the dataset went while serving
        log.error("the dataset cannot be read: %s", problem)
        dataset_page.missing(str(problem))
    except StateUnavailable as problem:  # and nothing read before to fall back to
        log.error("a page was refused: %s", problem)
        st.error(_(STATE_REFUSAL), icon=":material/cloud_off:")
    except Exception:
        log.exception("a page failed")
        st.error(
            _(
                "Something went wrong while drawing this page. Try again, or change the "
                "filters; if it keeps happening, tell your administrator."
            ),
            icon=":material/error:",
        )


def own_rerun(draw: Callable[..., None]) -> Callable[..., None]:
    """`draw` as a section that a click inside it (a chart's bar, its Clear selection) draws
    again on its own, not the whole page with every other chart; guarded, as a page is, since
    such a rerun is not inside the page's run."""

    @st.fragment
    @functools.wraps(draw)
    def section(*args, **kwargs) -> None:
        guarded(lambda: draw(*args, **kwargs))

    return section
