"""The sidebar's *Saved views*, through Streamlit's AppTest over the hand-made dataset: save the
page and its filters, see the view listed, open it, rename and delete it, share its link. A view
opens as its link does, so what the viewer may not see is dropped with a notice: u-cadmin opens
W1 and W2, u-wsadmin W1 only (tests/fixtures/tiny/ANSWERS.md, "Organisation")."""

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.app import pages
from dashboard.query import saved_views, state_store
from tests.app.conftest import opener, plain

BASE = "https://dash.example"  # the address the browser reports (st.context.url)
RENEWAL = pages.by_path("renewal")
SAVE = "FormSubmitter:sv_save-Save"
RENAME = "FormSubmitter:sv_rename-Rename"


@pytest.fixture
def app_home(monkeypatch, home):
    """A data home of the test's own (its saved views start empty), the state in SQLite."""
    monkeypatch.delenv(state_store.ENV_VAR, raising=False)
    return home


@pytest.fixture
def open_page(monkeypatch, app_home):
    """Open the app at `page` as `user` with the link's other `params`, in a browser at BASE."""
    open_app = opener(monkeypatch, app_home)

    def open_at(user: str, page: pages.Page = pages.HOME, **params):
        at = open_app(**{"as": user, **params})  # the link opens the home page first
        at.context = {"url": f"{BASE}/"}
        if page is not pages.HOME:
            at.switch_page(page.file)
        return at.run()

    return open_at


def links(at) -> list[tuple[str, str, dict]]:
    """The saved views listed: label, page and query parameters of each link."""
    return [
        (plain(link.proto.label), link.proto.page, parse_qs(link.proto.query_string))
        for link in at.get("page_link")
    ]


def follow(at, label: str):
    """Click the link of the view `label`, as the browser does: to its page, with its query."""
    link = next(link for link in at.get("page_link") if plain(link.proto.label) == label)
    at.query_params.clear()
    at.query_params.update(parse_qs(link.proto.query_string))
    at.switch_page(pages.by_path(link.proto.page or pages.HOME.url_path).file)
    return at.run()


def save_as(at, name: str):
    name_field = next(t for t in at.text_input if t.label == "Name")
    name_field.set_value(name)
    return at.button(key=SAVE).click().run()


def said(at) -> list[str]:
    return [plain(e.value) for kind in ("success", "error", "warning") for e in getattr(at, kind)]


def test_save_the_current_page_and_filters_and_see_it_listed(open_page, app_home):
    at = open_page("u-cadmin", RENEWAL, ws="W2", status="all")
    assert not at.exception
    assert at.get("page_link") == []
    name_field = next(t for t in at.text_input if t.label == "Name")
    assert name_field.value == "Renewal planning · Acme Lab"  # page · its one workspace
    at = save_as(at, "Lab renewal")
    assert not at.exception
    assert said(at) == ["Saved “Lab renewal”."]
    [view] = saved_views.listed(app_home, "u-cadmin")
    assert (view.name, view.page, view.query) == ("Lab renewal", "renewal", "ws=W2&status=all")
    assert links(at) == [
        (
            "Lab renewal",
            "renewal",
            {"ws": ["W2"], "status": ["all"], "as": ["u-cadmin"], "saved-view": [str(view.id)]},
        )
    ]
    # the share link: the whole address, without whom the demo mode shows it as
    codes = [code.proto.code_text for code in at.sidebar.get("code")]
    assert codes == [f"{BASE}/renewal?ws=W2&status=all"]


def test_opening_a_view_reads_its_filters_afresh(open_page, app_home):
    saved_views.save(app_home, "u-cadmin", "Lab, all packages", "renewal", "ws=W2&status=all")
    at = open_page("u-cadmin", ws="W1")  # somewhere else, other filters
    assert at.multiselect(key="f_ws").value == ["W1"]
    at = follow(at, "Lab, all packages")
    assert not at.exception and not at.warning
    assert at.title[0].value == "Renewal planning"
    assert at.multiselect(key="f_ws").value == ["W2"]
    assert at.radio(key="f_status").value == "all"
    # the link is the sidebar's again: the marker of a view opened is gone
    assert dict(at.query_params) == {"as": "u-cadmin", "ws": "W2", "status": "all"}


def test_rename_and_delete(open_page, app_home):
    first = saved_views.save(app_home, "u-cadmin", "First", "start", "ws=W1")
    saved_views.save(app_home, "u-cadmin", "Second", "support", "ws=W2")
    at = open_page("u-cadmin")
    assert [label for label, _, _ in links(at)] == ["First", "Second"]
    at.selectbox(key="sv_manage").set_value(first.id).run()
    at.text_input(key=f"sv_rename_{first.id}").set_value("Zeta")
    at = at.button(key=RENAME).click().run()
    assert not at.exception
    assert said(at) == ["Renamed to “Zeta”."]
    assert [label for label, _, _ in links(at)] == ["Second", "Zeta"]
    at.text_input(key=f"sv_rename_{first.id}").set_value("second")  # another's name
    at = at.button(key=RENAME).click().run()
    assert said(at) == ["You already have a view named “Second”."]
    at = at.button(key="sv_delete").click().run()  # Zeta, still picked
    assert said(at) == ["Deleted “Zeta”."]
    assert [(label, page) for label, page, _ in links(at)] == [("Second", "support")]
    assert [v.name for v in saved_views.listed(app_home, "u-cadmin")] == ["Second"]


def test_saving_under_a_name_taken_asks_before_replacing(open_page, app_home):
    saved_views.save(app_home, "u-cadmin", "Acme", "renewal", "ws=W2")
    at = save_as(open_page("u-cadmin", ws="W1"), "ACME")
    assert said(at) == ["You already have a view named “Acme”. Replace it?"]
    held = saved_views.listed(app_home, "u-cadmin")
    assert [(v.page, v.query) for v in held] == [("renewal", "ws=W2")]  # not yet
    at = at.button(key="sv_replace").click().run()
    assert said(at) == ["Saved “ACME”."]
    assert [(v.name, v.page, v.query) for v in saved_views.listed(app_home, "u-cadmin")] == [
        ("ACME", "start", "ws=W1")
    ]


def test_an_empty_name_is_refused(open_page, app_home):
    at = save_as(open_page("u-cadmin"), "   ")
    assert said(at) == ["A saved view needs a name."]
    assert saved_views.listed(app_home, "u-cadmin") == []


def test_views_are_the_viewers_own(open_page, app_home):
    saved_views.save(app_home, "u-cadmin", "Cara's", "start", "")
    saved_views.save(app_home, "u-act", "Ada's", "support", "")
    at = open_page("u-act")
    assert [(label, page) for label, page, _ in links(at)] == [("Ada's", "support")]


def test_many_views_are_listed_folded(open_page, app_home):
    for n in range(5):
        saved_views.save(app_home, "u-cadmin", f"View {n}", "start", "")
    at = open_page("u-cadmin")
    folded = [e for e in at.sidebar.expander if e.label == "Your saved views (5)"]
    assert len(folded) == 1 and len(folded[0].get("page_link")) == 5


def test_a_view_of_a_page_the_viewer_cannot_open_is_not_a_link(open_page, app_home):
    saved_views.save(app_home, "u-act", "Access", "manage-access", "")  # not an admin's
    at = open_page("u-act")
    assert links(at) == []
    assert "Access (its page is not one you can open)" in [plain(c.value) for c in at.caption]


def test_a_shared_link_is_checked_against_whoever_opens_it(open_page, app_home, monkeypatch):
    at = open_page("u-cadmin", RENEWAL, ws=["W1", "W2"])
    at = save_as(at, "Both workspaces")
    [share] = [code.proto.code_text for code in at.sidebar.get("code")]
    assert share == f"{BASE}/renewal?ws=W1&ws=W2"
    address = urlsplit(share)
    assert address.path == "/renewal"
    # Walt opens it: a new session reading the link (AppTest opens the home page first)
    at = opener(monkeypatch, app_home)(**{"as": "u-wsadmin", **parse_qs(address.query)})
    assert not at.exception
    assert [plain(w.value) for w in at.warning] == [
        "Filter dropped: workspace “W2” is not one you can open."
    ]
    at.switch_page(RENEWAL.file).run()
    assert at.multiselect(key="f_ws").value == ["W1"]
    assert at.title[0].value == "Renewal planning"


def test_a_view_opened_later_drops_what_the_viewer_may_no_longer_see(open_page, app_home):
    """Walt's view names W2, as if he could open it when he saved it."""
    saved_views.save(app_home, "u-wsadmin", "Both", "renewal", "ws=W1&ws=W2")
    at = open_page("u-wsadmin")
    at = follow(at, "Both")
    assert not at.exception
    assert [plain(w.value) for w in at.warning] == [
        "Filter dropped: workspace “W2” is not one you can open."
    ]
    assert at.multiselect(key="f_ws").value == ["W1"]
    assert dict(at.query_params) == {"as": "u-wsadmin", "ws": "W1"}


def test_a_name_is_shown_as_text_never_as_markup(open_page, app_home):
    name = "**Bold** [click](https://evil.example)"
    saved_views.save(app_home, "u-cadmin", name, "start", "")
    at = open_page("u-cadmin")
    [link] = at.get("page_link")
    assert link.proto.label.startswith(r"\*\*Bold\*\* \[click\]")
    assert plain(link.proto.label) == name


def test_while_the_state_is_away_the_section_says_so(open_page, app_home, monkeypatch):
    def away(*args, **kwargs):
        raise state_store.StateUnavailable("the test's database")

    def away_reading(*args, **kwargs):
        raise state_store.StateUnavailable("the test's database", writing=False)

    at = open_page("u-cadmin")
    monkeypatch.setattr(saved_views.state_store, "write", away)
    at = save_as(at, "Later")
    assert said(at) == [
        "The app's state database cannot be reached just now: nothing was changed; "
        "try again in a minute."
    ]
    monkeypatch.setattr(saved_views.state_store, "read", away_reading)
    at.run()
    assert not at.exception and at.title[0].value == "Enterprise-wide"
    assert (
        "Saved views are not shown: the app's state database cannot be reached just now: "
        "try again in a minute" in [plain(c.value) for c in at.caption]
    )


def test_an_account_managers_view_opens_its_customer(open_page, app_home):
    """am-ann serves C1 (Acme) and C2 (Globex, workspace W3)."""
    saved_views.save(app_home, "am-ann", "Globex renewal", "renewal", "customer=C2&ws=W3")
    at = open_page("am-ann", customer="C1", ws="W1")
    at = follow(at, "Globex renewal")
    assert not at.exception and not at.warning
    assert at.title[0].value == "Renewal planning"
    assert at.selectbox(key="f_customer").value == "C2"
    assert at.multiselect(key="f_ws").value == ["W3"]
    assert dict(at.query_params) == {"as": "am-ann", "customer": "C2", "ws": "W3"}
