"""Choosing the interface's language (dashboard/app/language_choice.py): from the link, from the
sidebar's picker (then kept in the link), and for a signed-in user remembered in the app's state
and used in their next session; never remembered for the demo mode's viewer."""

from dashboard.query import preferences
from tests.app.conftest import APP
from tests.app.test_sign_in import AUTH, claims
from tests.app.test_sign_in import home as home  # noqa: F401 (a fixture)

PICKER = "language_picker"


def sidebar_picker(at):
    return at.selectbox(key=PICKER)


def test_the_links_language_is_spoken_and_kept(app):
    at = app(**{"as": "u-cadmin", "lang": "pl"})
    assert not at.exception
    picker = sidebar_picker(at)
    assert (picker.label, picker.value) == ("Język", "pl")
    assert at.query_params["lang"] == "pl"


def test_english_without_a_choice_and_the_picker_keeps_its_choice_in_the_link(app):
    at = app(**{"as": "u-cadmin"})
    picker = sidebar_picker(at)
    assert (picker.label, picker.value) == ("Language", "en")
    assert "lang" not in at.query_params
    picker.set_value("pl").run()
    assert not at.exception
    assert sidebar_picker(at).label == "Język"
    assert at.query_params["lang"] == "pl"


def test_a_demo_viewers_choice_is_not_remembered(app, tiny_home):
    at = app(**{"as": "u-cadmin"})
    sidebar_picker(at).set_value("pl").run()
    assert preferences.language(tiny_home, "u-cadmin") is None


def signed_in(**params):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = claims()
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_a_signed_in_users_choice_follows_them_to_their_next_session(home):  # noqa: F811
    first = signed_in()
    assert sidebar_picker(first).value == "en"
    sidebar_picker(first).set_value("pl").run()
    assert preferences.language(home, "u-train") == "pl"
    later = signed_in()  # a new session, its link without lang
    assert not later.exception
    assert (sidebar_picker(later).label, sidebar_picker(later).value) == ("Język", "pl")
    # a link's language comes first, for that session
    linked = signed_in(lang="en")
    assert sidebar_picker(linked).value == "en"


def told_to_the_browser(at) -> list[str]:
    """The languages the page tells the browser, from its one script's `data-lang`."""
    from dashboard.app.page_language import SAYS_THE_LANGUAGE

    told = []
    for element in at.get("html"):
        body = element.proto.body
        if SAYS_THE_LANGUAGE in body:
            # the same text whatever the language: the load balancer's policy allows it by hash
            assert body.endswith(f">{SAYS_THE_LANGUAGE}</script>")
            told.append(body.split('data-lang="', 1)[1].split('"', 1)[0])
    return told


def test_the_page_tells_the_browser_its_language(app):
    at = app(**{"as": "u-cadmin"})
    assert told_to_the_browser(at) == ["en"]
    sidebar_picker(at).set_value("pl").run()
    assert told_to_the_browser(at) == ["pl"]
