"""The app's entry: `streamlit run dashboard/app/main.py`.

Each run: open the live dataset, find out who is looking, pick the page, draw the sidebar
filters, then the page. Nothing a page raises reaches the screen as a stack trace.
"""

import logging
from pathlib import Path

import streamlit as st

import dashboard.app.preload  # noqa: F401 (first: see its docstring)
from dashboard.app import downloads, identity, language_choice, page_language, pages, sidebar
from dashboard.app.drill_down import remember_link_picks
from dashboard.app.guarded import guarded
from dashboard.app.live_dataset import live_dataset
from dashboard.app.results import (
    Context,
    draw_ahead,
    run_cached,
    set_page_context,
    stale_access_notice,
)
from dashboard.app.tables import remember_link_searches
from dashboard.app.views import dataset_page, denied, which_customer
from dashboard.ingest import data_home
from dashboard.language import _
from dashboard.query.filters import Filters
from dashboard.query.viewer import AccessDenied, NoCustomerAssigned, Viewer, viewer_of
from dashboard.text import inert

log = logging.getLogger("customer_activity")
ICON = str(Path(__file__).with_name("icon.png"))
CARRIED = "notices_carried"  # notices to say on the page a run sent the browser to

language_choice.begin_run()
# a file of our own: a Material icon is fetched by every browser from an outside server; set
# once the language is known, the tab's title being in it
st.set_page_config(page_title=_("Customer Activity"), page_icon=ICON, layout="wide")
downloads.say_why()


def to_home(home: st.Page) -> None:
    """A link to /enterprise or /enterprise-wide (the page's name in the sidebar): the
    Enterprise-wide page, which Streamlit serves at the root only, with the link's filters and
    viewer. (The home page's own url_path is reserved without being served: Streamlit answers
    it with "Page not found", so it is one nobody links to.)"""
    kept = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    st.switch_page(home, query_params=kept)


def navigation(viewer: Viewer) -> dict[str, list[st.Page]]:
    """The sidebar's sections of pages (the administrators' pages, such as Manage access, only
    for those who administer a workspace; My customers only for account managers), and the
    hidden links to the home page by its name."""
    # the headings in the run's language (the registry's entries name them in English)
    sections: dict[str, list[st.Page]] = {_(section): [] for section in pages.SECTIONS}
    administers = viewer.workspaces.get_column("is_admin").any()
    home = None
    for entry in pages.visible(administers, viewer.is_account_manager):
        page = st.Page(
            entry.file,
            title=_(entry.title),
            url_path=entry.url_path,
            icon=entry.icon,
            default=entry is pages.HOME,
        )
        home = page if entry is pages.HOME else home
        sections[_(entry.section)].append(page)
    sections[_(pages.SECTIONS[-1])] += [
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
            [st.Page(lambda: dataset_page.missing(problem), title=_("Dataset"), url_path="data")]
        ).run()
        return
    who = identity.identify(dataset)
    if not who.demo:
        language_choice.signed_in(dataset.home, who.user_id)
    language_choice.picker(dataset.home, None if who.demo else who.user_id)
    page_language.tell_the_browser()
    if who.demo:  # said on every page, the sidebar being folded away on a phone
        st.caption(
            _(
                ":material/theater_comedy: **Demo mode**: no sign-in is configured, so anyone "
                "here can view as anyone. Never serve real data this way."
            )
        )
    # notices said before an account manager's start is sent to My customers, said there
    for notice in st.session_state.pop(CARRIED, []):
        st.warning(inert(notice), icon=":material/info:")
    viewer_notice = (
        _("The link's viewer was dropped: {notice}.").format(notice=who.notice)
        if who.notice
        else None
    )
    if viewer_notice:
        st.warning(inert(viewer_notice), icon=":material/info:")
    if who.user_id is None:
        reason = _("{email} is not a user of Customer Activity.").format(email=who.email)
        st.navigation(
            [st.Page(lambda: denied.render(dataset, None, reason), title=_("No access"))]
        ).run()
        return

    def run(name: str, filters: Filters):
        return run_cached(dataset, who.user_id, name, filters)

    try:
        viewer, customer_notices = sidebar.pick_customer(
            dataset, viewer_of(dataset, who.user_id, run), run
        )
    except AccessDenied as refusal:
        _say_if_stale(dataset, who.user_id)
        reason, serves = str(refusal), isinstance(refusal, NoCustomerAssigned)
        page = st.Page(
            lambda: denied.render(dataset, who.user_id, reason, account_manager=serves),
            title=_("No access"),
        )
        st.navigation([page]).run()
        return
    _say_if_stale(dataset, who.user_id)
    # every page in view: the Data section (About the data, Manage access) is not to be hidden
    # behind "View 3 more"
    page = st.navigation(navigation(viewer), expanded=True)
    shown = entry_of(page)
    if viewer.needs_customer and shown is pages.HOME:  # an account manager's start
        dropped = [_dropped(notice) for notice in customer_notices]
        st.session_state[CARRIED] = [n for n in (viewer_notice, *dropped) if n]
        st.switch_page(pages.PORTFOLIO.file, query_params=_kept_in_link(who))
    remember_link_searches()
    remember_link_picks()
    filters, notices = sidebar.render(dataset, viewer, _kept_in_link(who), applies=shown.filtered)
    notices = customer_notices + notices
    if viewer.needs_customer and not shown.every_customer:
        for notice in notices:
            st.warning(inert(_dropped(notice)), icon=":material/filter_alt_off:")
        guarded(lambda: which_customer.render(viewer, shown))
        return
    if shown.one_contract:
        filters = sidebar.the_only_contract(dataset, viewer, filters)
    ctx = Context(dataset, viewer, filters)
    set_page_context(ctx)
    for notice in notices:
        st.warning(inert(_dropped(notice)), icon=":material/filter_alt_off:")
    draw_ahead(ctx, page.url_path, lambda: guarded(page.run))


def _dropped(notice: str) -> str:
    """A filter's notice as the page says it (`notice` is in the run's language already)."""
    return _("Filter dropped: {notice}.").format(notice=notice)


def _say_if_stale(dataset, user_id: str) -> None:
    """Say so when the page applies the changes to access last read, the state being away."""
    notice = stale_access_notice(dataset, user_id)
    if notice:
        st.warning(notice, icon=":material/cloud_off:")


def _kept_in_link(who: identity.Identity) -> dict[str, str]:
    """What the link keeps besides the filters: in demo mode, whom the page is viewed as."""
    kept = {"as": who.user_id} if who.demo and who.user_id else {}
    return kept | language_choice.kept_in_link()


guarded(main)
