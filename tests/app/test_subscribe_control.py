""" "E-mail me this" on the Alerts page and beside a saved view, through AppTest: the choice
subscribes, changes and ends the user's digest of it (python -m dashboard digest sends it)."""

import pytest

from dashboard.app import pages
from dashboard.query import saved_views, state_store, subscriptions
from tests.app.conftest import opener, plain

ALERTS = pages.by_path("alerts")


@pytest.fixture
def open_page(monkeypatch, home):
    """The app over a data home of the test's own (no subscription yet), the state in SQLite."""
    monkeypatch.delenv(state_store.ENV_VAR, raising=False)
    open_app = opener(monkeypatch, home)

    def open_at(user: str, page: pages.Page):
        at = open_app(**{"as": user})
        at.context = {"url": "https://dash.example/"}
        at.switch_page(page.file)
        return at.run()

    return open_at


def held(home, user: str) -> list[tuple[int | None, str]]:
    return [(s.view_id, s.frequency) for s in subscriptions.listed(home, user)]


def test_the_alerts_page_subscribes_changes_and_ends_its_digest(open_page, home):
    at = open_page("u-cadmin", ALERTS)
    choice = at.selectbox(key="alerts_email")
    assert choice.value == "never" and not held(home, "u-cadmin")
    choice.set_value("weekly").run()
    assert not at.exception
    assert held(home, "u-cadmin") == [(None, "weekly")]  # None: the Alerts page
    assert "You will get it by e-mail every week." in [plain(s.value) for s in at.success]
    at.selectbox(key="alerts_email").set_value("daily").run()
    assert held(home, "u-cadmin") == [(None, "daily")]
    assert at.selectbox(key="alerts_email").value == "daily"
    at.selectbox(key="alerts_email").set_value("never").run()
    assert held(home, "u-cadmin") == []
    assert held(home, "u-wsadmin") == []  # never anyone else's


def test_a_saved_view_is_subscribed_beside_it(open_page, home):
    view = saved_views.save(home, "u-cadmin", "Renewals", "renewal", "ws=W1")
    at = open_page("u-cadmin", pages.by_path("renewal"))
    choice = at.selectbox(key=f"sv_email_{view.id}")
    assert choice.value == "never"
    choice.set_value("monthly").run()
    assert not at.exception
    assert held(home, "u-cadmin") == [(view.id, "monthly")]


def test_deleting_a_saved_view_ends_its_digest(open_page, home):
    kept = saved_views.save(home, "u-cadmin", "Kept", "renewal", "ws=W2")
    view = saved_views.save(home, "u-cadmin", "Renewals", "renewal", "ws=W1")
    subscriptions.subscribe(home, "u-cadmin", kept.id, "weekly")
    subscriptions.subscribe(home, "u-cadmin", view.id, "daily")
    at = open_page("u-cadmin", pages.by_path("renewal"))
    at.selectbox(key="sv_manage").set_value(view.id).run()
    at.button(key="sv_delete").click().run()
    assert not at.exception
    assert [v.name for v in saved_views.listed(home, "u-cadmin")] == ["Kept"]
    assert held(home, "u-cadmin") == [(kept.id, "weekly")]
