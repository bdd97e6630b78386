"""The sidebar's *Saved views*: save the page and its filters under a name, open, rename, delete
and share the views saved (dashboard/query/saved_views.py keeps them).

A view opens as a link within the app (st.page_link with the saved query string): the sidebar
then reads that link's filters as a new session reads its link, so what the viewer may no longer
see is dropped with a notice, as for any link. The share link is the same address, in full.
"""

from __future__ import annotations

import logging
import zlib
from urllib.parse import urlencode, urlsplit

import streamlit as st

from dashboard.app import pages
from dashboard.app.subscribe_control import email_me, in_page_language
from dashboard.formats import number
from dashboard.language import _, pgettext
from dashboard.query import saved_views, subscriptions
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from dashboard.query.saved_views import NameTaken, Refused, SavedView
from dashboard.query.state_store import StateUnavailable
from dashboard.query.viewer import Viewer
from dashboard.text import inert, quoted

log = logging.getLogger("customer_activity")
OPENED = "saved-view"  # in a view's link within the app: the sidebar reads its filters afresh
LISTED_OPEN = 4  # more views than this are listed in a folded expander, to keep the sidebar calm
SAID = "sv_said"  # what the last change did, said once: (kind, text)
PENDING = "sv_pending"  # a save that asks first whether to replace the view of the same name
PICKED = "sv_manage"  # the view picked in "Manage saved views"


def opened_a_view() -> bool:
    """Whether this run follows a saved view's link: its filters are to be read afresh."""
    return OPENED in st.query_params


def render(dataset: Dataset, viewer: Viewer, filters: Filters, keep_in_url: dict[str, str]) -> None:
    """Draw the section, below the filters (whose link is written by now)."""
    home, user = dataset.home, viewer.user_id
    with st.sidebar:
        st.header(_("Saved views"), divider="gray")
        _say_once()
        try:
            views = saved_views.listed(home, user)
        except StateUnavailable as problem:
            log.error("saved views could not be read: %s", problem)
            said = _("Saved views are not shown: {problem}").format(problem=problem.for_people())
            st.caption(inert(said))
            return
        page = current_page()
        if page is not None:
            _save_this_view(home, user, page, _title(page, viewer, filters), _query())
        if not views:
            st.caption(_("Save the page and its filters here to open them again in one click."))
            return
        listing = (
            st.expander(
                _("Your saved views ({n})").format(n=number(len(views))),
                icon=":material/bookmarks:",
            )
            if len(views) > LISTED_OPEN
            else st.container()
        )
        visible = {p.url_path for p in _visible_pages(viewer)}
        with listing:
            for view in views:
                _link(view, visible, keep_in_url)
        _manage(home, user, views)


# Which page, and its address ------------------------------------------------------------------


def current_page() -> pages.Page | None:
    """The page shown, from the address the browser reports (the home page at the root); None
    when no browser reported one (a script's client, not a person)."""
    url = st.context.url
    if not url:
        return None
    path = urlsplit(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    for page in pages.PAGES:
        if page is not pages.HOME and page.url_path == last:
            return page
    return pages.HOME


def base_url() -> str:
    """The app's address without the page's (as a share link starts); "" when unknown."""
    url = st.context.url
    page = current_page()
    if not url or page is None:
        return ""
    url = urlsplit(url)._replace(query="", fragment="").geturl().rstrip("/")
    shown = pages.address(page)
    return url.removesuffix(f"/{shown}") if shown else url


def share_link(view: SavedView) -> str:
    """The view's full address: whoever opens it sees what they may see of it."""
    page = _page(view)
    path = pages.address(page) if page else view.page
    query = f"?{view.query}" if view.query else ""
    return f"{base_url()}/{path}{query}"


def _query() -> str:
    """The link as the sidebar wrote it, without whom the demo mode shows it as."""
    pairs = [
        (key, value)
        for key in st.query_params
        if key not in (OPENED, *saved_views.DROPPED)
        for value in st.query_params.get_all(key)
    ]
    return urlencode(pairs)


def _page(view: SavedView) -> pages.Page | None:
    try:
        return pages.by_path(view.page)
    except KeyError:  # a page since removed
        return None


def _visible_pages(viewer: Viewer) -> tuple[pages.Page, ...]:
    """The pages in the viewer's navigation (main.navigation's rule): a link to any other
    cannot be drawn."""
    administers = bool(viewer.workspaces.get_column("is_admin").any())
    return pages.visible(administers, viewer.is_account_manager)


def _title(page: pages.Page, viewer: Viewer, filters: Filters) -> str:
    """The name offered: `Renewal planning · Acme Production, Acme Lab`."""
    scope = []
    if viewer.is_account_manager:
        scope.append(viewer.customer_name if viewer.customer_id else _("all your customers"))
    if page.filtered and viewer.customer_id:
        names = dict(viewer.workspaces.select("workspace_id", "name").iter_rows())
        picked = [names.get(w, w) for w in filters.workspaces]
        scope.append(", ".join(picked) if picked else _("all workspaces"))
    title = " · ".join([_(page.title), *scope])
    return title if len(title) <= saved_views.MAX_NAME else title[: saved_views.MAX_NAME - 1] + "…"


# Saving ---------------------------------------------------------------------------------------


def _save_this_view(home, user: str, page: pages.Page, default: str, query: str) -> None:
    pending = st.session_state.get(PENDING)
    if pending is not None:
        asked = _("{problem} Replace it?").format(problem=pending["taken"])
        st.warning(inert(asked), icon=":material/bookmark:")
        left, right = st.columns(2)
        left.button(
            _("Replace"),
            key="sv_replace",
            on_click=in_page_language(_save),
            args=(home, user, pending, True),
        )
        right.button(_("Cancel"), key="sv_cancel", on_click=_cancel)
    # the default changes with the page and its filters: a field of its own for each
    key = f"sv_name_{zlib.crc32(f'{page.url_path} {default}'.encode())}"
    with st.popover(_("Save this view"), icon=":material/bookmark_add:", width="stretch"):
        with st.form("sv_save", border=False):
            st.text_input(_("Name"), value=default, key=key, max_chars=saved_views.MAX_NAME)
            st.form_submit_button(
                _("Save"),
                type="primary",
                on_click=in_page_language(_save_typed),
                args=(home, user, key, page.url_path, query),
            )


def _cancel() -> None:
    st.session_state.pop(PENDING, None)


def _save_typed(home, user: str, key: str, page: str, query: str) -> None:
    wanted = {"name": st.session_state.get(key, ""), "page": page, "query": query}
    _save(home, user, wanted, False)


def _save(home, user: str, wanted: dict, replace: bool) -> None:
    """A callback: save, or ask whether to replace the view of the same name."""
    st.session_state.pop(PENDING, None)
    try:
        view = saved_views.save(
            home, user, wanted["name"], wanted["page"], wanted["query"], replace=replace
        )
    except NameTaken as taken:  # the page asks first
        st.session_state[PENDING] = {**wanted, "taken": str(taken)}
        return
    except (Refused, StateUnavailable) as problem:
        _refused(problem)
        return
    st.session_state[SAID] = ("success", _("Saved {name}.").format(name=quoted(view.name)))
    st.session_state[PICKED] = view.id


# Listing, opening, renaming, deleting, sharing -------------------------------------------------


def _link(view: SavedView, visible: set[str], keep_in_url: dict[str, str]) -> None:
    page = _page(view)
    if page is None or page.url_path not in visible:
        st.caption(inert(_("{name} (its page is not one you can open)").format(name=view.name)))
        return
    params = [*view.params, *keep_in_url.items(), (OPENED, str(view.id))]
    st.page_link(page.file, label=inert(view.name), icon=page.icon, query_params=params)


def _manage(home, user: str, views: list[SavedView]) -> None:
    ids = [view.id for view in views]
    names = {view.id: view.name for view in views}
    if st.session_state.get(PICKED) not in ids:
        st.session_state[PICKED] = ids[0]
    with st.expander(_("Manage saved views"), icon=":material/tune:"):
        picked = st.selectbox(
            pgettext("a saved view", "View"), ids, key=PICKED, format_func=names.get
        )
        view = next(v for v in views if v.id == picked)
        st.caption(_("Share: copy its link. Whoever opens it sees only what they may see."))
        st.code(share_link(view), language=None, wrap_lines=True)
        email_me(home, user, view.id, key=f"sv_email_{view.id}")
        key = f"sv_rename_{view.id}"
        with st.form("sv_rename", border=False):
            st.text_input(_("New name"), value=view.name, key=key, max_chars=saved_views.MAX_NAME)
            st.form_submit_button(
                _("Rename"),
                on_click=in_page_language(_rename),
                args=(home, user, view.id, key),
            )
        st.button(
            _("Delete this view"),
            key="sv_delete",
            icon=":material/delete:",
            on_click=in_page_language(_delete),
            args=(home, user, view.id, view.name),
        )


def _rename(home, user: str, view_id: int, key: str) -> None:
    try:
        view = saved_views.rename(home, user, view_id, st.session_state.get(key, ""))
    except (Refused, StateUnavailable) as problem:
        _refused(problem)
        return
    st.session_state[SAID] = ("success", _("Renamed to {name}.").format(name=quoted(view.name)))


def _delete(home, user: str, view_id: int, name: str) -> None:
    try:
        # its e-mail digest first: a subscription left behind would be skipped at every send
        for held in subscriptions.listed(home, user):
            if held.view_id == view_id:
                subscriptions.unsubscribe(home, user, held.id)
        saved_views.delete(home, user, view_id)
    except (Refused, StateUnavailable) as problem:
        _refused(problem)
        return
    st.session_state.pop(PICKED, None)
    st.session_state[SAID] = ("success", _("Deleted {name}.").format(name=quoted(name)))


def _refused(problem: Exception) -> None:
    if isinstance(problem, StateUnavailable):
        log.error("a saved view could not be changed: %s", problem)
        text = problem.for_people()
        st.session_state[SAID] = ("error", text[0].upper() + text[1:] + ".")
    else:
        st.session_state[SAID] = ("error", str(problem))


def _say_once() -> None:
    said = st.session_state.pop(SAID, None)
    if said is None:
        return
    kind, text = said
    if kind == "success":
        st.success(inert(text), icon=":material/check:")
    else:
        st.error(inert(text), icon=":material/error:")
