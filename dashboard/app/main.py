"""The app's entry: `streamlit run dashboard/app/main.py`.

Each run: open the live dataset, find out who is looking, pick the page, draw the sidebar
filters, then the page. Nothing a page raises reaches the screen as a stack trace.
"""

import logging
from pathlib import Path

import streamlit as st

import dashboard.app.preload  # noqa: F401 (first: see its docstring)
from dashboard.app import downloads, identity, pages, sidebar
from dashboard.app.drill_down import remember_link_picks
from dashboard.app.live_dataset import live_dataset
from dashboard.app.results import Context, draw_ahead, run_cached, set_page_context
from dashboard.app.tables import remember_link_searches
from dashboard.app.views import dataset_page, denied
from dashboard.ingest import data_home
from dashboard.query.filters import Filters
from dashboard.query.viewer import AccessDenied, viewer_of
from dashboard.text import inert

log = logging.getLogger("customer_activity")
ICON = str(Path(__file__).with_name("icon.png"))

# a file of our own: a Material icon is fetched by every browser from an outside server
st.set_page_config(page_title="Customer Activity", page_icon=ICON, layout="wide")
downloads.say_why()


def guarded(draw) -> None:
    """Draw a page; an unexpected error becomes a short message, with the details in the log."""
    try:
        draw()
    except data_home.DatasetMissing as problem:  # a file of the dataset went while serving
        log.error("the dataset cannot be read: %s", problem)
        dataset_page.missing(str(problem))
    except Exception:
        log.exception("a page failed")
        st.error(
            "Something went wrong while drawing this page. Try again, or change the filters; "
            "if it keeps happening, tell your administrator.",
            icon=":material/error:",
        )


def to_home(home: st.Page) -> None:
    """A link to /enterprise or /enterprise-wide (the page's name in the sidebar): the
    Enterprise-wide page, which Streamlit serves at the root only, with the link's filters and
    viewer. (The home page's own url_path is reserved without being served: Streamlit answers
    it with "Page not found", so it is one nobody links to.)"""
    st.switch_page(home, query_params=[(key, value) for key in st.query_params
                                       for value in st.query_params.get_all(key)])  # fmt: skip


def navigation(administers: bool) -> dict[str, list[st.Page]]:
    """The sidebar's sections of pages (the administrators' pages, such as Manage access, only
    for those who `administer`), and the hidden links to the home page by its name."""
    sections: dict[str, list[st.Page]] = {section: [] for section in pages.SECTIONS}
    for entry in pages.visible(administers):
        sections[entry.section].append(
            st.Page(entry.file, title=entry.title, url_path=entry.url_path, icon=entry.icon,
                    default=entry is pages.HOME)
        )  # fmt: skip
    home = sections[pages.HOME.section][0]
    sections[pages.SECTIONS[-1]] += [
        st.Page(lambda: to_home(home), title=home.title, url_path=alias, visibility="hidden")
        for alias in pages.HOME_ALIASES
    ]
    return sections


def entry_of(page: st.Page) -> pages.Page:
    """The registry's entry for the page picked: the home page at the root (where Streamlit
    serves it) and at its hidden links by name, which send the browser there."""
    if page.url_path in ("", *pages.HOME_ALIASES):
        return pages.HOME
    return pages.by_path(page.url_path)


def main() -> None:
    try:
        dataset = live_dataset()
    except data_home.DatasetMissing as missing:
        problem = str(missing)
        st.navigation(
            [st.Page(lambda: dataset_page.missing(problem), title="Dataset", url_path="data")]
        ).run()
        return
    who = identity.identify(dataset)
    if who.demo:  # said on every page, the sidebar being folded away on a phone
        st.caption(
            ":material/theater_comedy: **Demo mode**: no sign-in is configured, so anyone here "
            "can view as anyone. Never serve real data this way."
        )
    if who.notice:
        st.warning(inert(f"The link's viewer was dropped: {who.notice}."), icon=":material/info:")
    if who.user_id is None:
        reason = f"{who.email} is not a user of Customer Activity."
        st.navigation(
            [st.Page(lambda: denied.render(dataset, None, reason), title="No access")]
        ).run()
        return
    try:
        viewer = viewer_of(
            dataset, who.user_id, lambda name: run_cached(dataset, who.user_id, name, Filters())
        )
    except AccessDenied as refusal:
        reason = str(refusal)
        page = st.Page(lambda: denied.render(dataset, who.user_id, reason), title="No access")
        st.navigation([page]).run()
        return
    page = st.navigation(navigation(viewer.workspaces.get_column("is_admin").any()))
    shown = entry_of(page)
    remember_link_searches()
    remember_link_picks()
    filters, notices = sidebar.render(
        dataset, viewer, {"as": who.user_id} if who.demo else {},
        applies=shown.filtered,
    )  # fmt: skip
    if shown.one_contract:
        filters = sidebar.the_only_contract(dataset, viewer, filters)
    ctx = Context(dataset, viewer, filters)
    set_page_context(ctx)
    for notice in notices:
        st.warning(inert(f"Filter dropped: {notice}."), icon=":material/filter_alt_off:")
    draw_ahead(ctx, page.url_path, lambda: guarded(page.run))


guarded(main)
