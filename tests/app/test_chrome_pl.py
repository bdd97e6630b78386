"""The app's frame in Polish, through Streamlit's AppTest over the hand-made dataset: with the
link's `lang=pl`, the sidebar's filters, the navigation's headings and page titles read in Polish
(the glossary's terms, docs/GLOSSARY.md), none of them in English; and the link the sidebar
writes keeps the language, so that a copied link opens in Polish too. u-cadmin is the customer
admin of C1 (tests/fixtures/tiny/ANSWERS.md): their contracts include CN-090 (ended 2025-12-31)
and CN-300 (starts 2026-08-01), on the as-of day 2026-06-30."""

import shutil

import pytest
import streamlit

from dashboard.app import downloads as checks
from dashboard.app import pages
from dashboard.ingest.importer import import_dataset
from dashboard.query import saved_views, state_store
from tests.app.conftest import cells, metrics, opener, plain, texts
from tests.conftest import FIXTURE, FIXTURE_AS_OF
from tests.sql.meeting_datasets import first_home, next_meeting


def sidebar_labels(at) -> list[str]:
    """The labels of the sidebar's widgets, top to bottom."""
    return [node.label for node in at.sidebar if getattr(node, "label", None)]


@pytest.fixture
def navigation(monkeypatch) -> dict:
    """What the app's last run put in the navigation: its headings, each with its pages'
    titles (AppTest shows no navigation of its own)."""
    shown: dict = {}
    real = streamlit.navigation

    def recorded(pages, *args, **kwargs):
        shown.clear()
        if isinstance(pages, dict):
            for heading, section in pages.items():
                shown[heading] = [p.title for p in section if p.visibility != "hidden"]
        return real(pages, *args, **kwargs)

    monkeypatch.setattr(streamlit, "navigation", recorded)
    return shown


def test_the_sidebar_reads_in_polish(app):
    at = app(**{"as": "u-cadmin", "lang": "pl"})
    assert not at.exception
    labels = sidebar_labels(at)
    for polish in ("Język", "Obszary robocze", "Umowa", "Pakiet", "Status pakietów", "Zakres",
                   "Od", "Do"):  # fmt: skip
        assert polish in labels, polish
    for english in ("Language", "Workspaces", "Contract", "Package", "Package status", "Range",
                    "From", "To"):  # fmt: skip
        assert english not in labels, english
    assert [h.value for h in at.sidebar.header] == ["Filtry", "Zapisane widoki"]
    assert at.multiselect(key="f_ws").placeholder == "Wszystkie obszary robocze"
    assert at.radio(key="f_status").options == ["Aktywne", "Nieaktywne", "Wszystkie"]
    contracts = at.selectbox(key="f_contract").options
    assert contracts[0] == "Wszystkie umowy"
    # a contract's state agrees with umowa (feminine); the active one has none
    assert "CN-090 · Acme Unified 2025 (wygasła)" in contracts
    assert "CN-300 · Acme Lab 2027 (nadchodząca)" in contracts
    assert "CN-100 · Acme Unified 2026" in contracts
    packages = at.selectbox(key="f_package").options
    assert packages[0] == "Wszystkie pakiety"
    # a package's with pakiet (masculine)
    assert "CN-090 · Enterprise Support 2025 · wygasły" in packages
    assert "CN-100 · Enterprise Support 2026 · aktywny" in packages
    assert "CN-300 · Lab Enterprise 2027 · nadchodzący" in packages
    assert "Daty aktywności (listy i wykresy w czasie)" in texts(at)
    assert "Activity dates" not in texts(at)


def test_the_navigation_reads_in_polish(app, navigation):
    at = app(**{"as": "u-cadmin", "lang": "pl"})
    assert not at.exception
    assert list(navigation) == ["Przegląd", "Szczegóły", "Dane"]
    assert navigation["Przegląd"][:3] == [
        "Całe przedsiębiorstwo",
        "Pakiety dodatków",
        "Planowanie odnowień",
    ]
    assert "Wsparcie i usługi proaktywne" in navigation["Szczegóły"]
    assert "O danych" in navigation["Dane"]
    titles = [title for section in navigation.values() for title in section]
    for english in ("Enterprise-wide", "Renewal planning", "About the data", "Alerts"):
        assert english not in titles, english


def test_english_stays_english(app, navigation):
    at = app(**{"as": "u-cadmin"})
    assert not at.exception
    assert list(navigation) == ["Overview", "Details", "Data"]
    assert navigation["Overview"][0] == "Enterprise-wide"
    assert at.radio(key="f_status").options == ["Active", "Inactive", "All"]
    assert "CN-090 · Enterprise Support 2025 · expired" in at.selectbox(key="f_package").options


def test_the_link_keeps_the_language(app, navigation):
    at = app(**{"as": "u-cadmin", "lang": "pl"})
    at.radio(key="f_status").set_value("all").run()
    assert not at.exception
    link = dict(at.query_params)
    assert (link["lang"], link["status"]) == ("pl", "all")
    # the link copied and opened afresh, in a session of its own, speaks Polish
    copied = app(**link)
    assert not copied.exception
    assert "Status pakietów" in sidebar_labels(copied)
    status = copied.radio(key="f_status")
    assert (status.value, status.options[2]) == ("all", "Wszystkie")
    assert list(navigation) == ["Przegląd", "Szczegóły", "Dane"]


def test_changed_since_a_snapshot_reads_in_polish(monkeypatch, tmp_path):
    """Renewal planning's snapshot and what changed since, over tests/sql/meeting_datasets.py
    (its docstring works out the figures): E1 was on track and will run out; E5 was to leave
    hours unused and has expired."""
    home = first_home(tmp_path)
    renewal = pages.by_path("renewal").file

    def on_renewal():
        at = opener(monkeypatch, home)(**{"as": "u-admin", "lang": "pl"})
        at.switch_page(renewal).run()
        assert not at.exception
        return at

    at = on_renewal()
    assert "Brak jeszcze migawki tego wyboru" in texts(at)
    at.button(key="snapshot_take").click().run()
    assert [s.value for s in at.success] == [
        "Zapisano migawkę #1: liczby z danych na dzień 15 czerwca 2026."
    ]
    next_meeting(home, tmp_path)
    at = on_renewal()
    shown = metrics(at)
    assert (shown["Godziny wykorzystane od migawki"], shown["Zmiana statusu"]) == ("32", "2")
    assert "Od danych na dzień 15 czerwca 2026 do danych na dzień 15 lipca 2026." in texts(at)
    assert "2 dodatkowe sprawy zgłoszone po 15 czerwca 2026." in texts(at)
    [table] = [cells(d) for d in at.dataframe if {"used_since", "name"} <= set(cells(d).columns)]
    rows = dict(
        zip(table["name"], zip(table["status_then"], table["status_now"], strict=True), strict=True)
    )
    assert rows["Reactive E1"] == ("zgodnie z planem", "wyczerpie się przed wygaśnięciem")
    assert rows["Reactive E5"] == ("pozostanie niewykorzystane", "wygasło")
    assert set(table["category"]) == {
        "wsparcie reaktywne",
        "wsparcie doradcze",
        "kredyty proaktywne",
    }


def test_a_refused_download_says_why_in_the_pages_language(monkeypatch, tmp_path, downloads):
    """A download is made when clicked, outside the page's run (here: in the test's thread,
    which speaks English): it speaks the language of the page that offered it."""
    home = tmp_path / "home"
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    at = opener(monkeypatch, home)(**{"as": "u-cadmin", "lang": "pl"})
    at.switch_page(pages.by_path("support").file).run()
    assert not at.exception and downloads
    shutil.copytree(FIXTURE, tmp_path / "source")
    import_dataset(tmp_path / "source", home, FIXTURE_AS_OF)  # the same data, imported again
    for make in downloads.values():
        with pytest.raises(checks.DownloadRefused, match="Odmówiono pobrania: dane zostały"):
            make()


def test_saving_a_view_says_so_in_polish(monkeypatch, home):
    """What the save button's callback says is in the page's language: Streamlit runs the
    callback before the next run has chosen one. The name offered is the page's Polish title
    and the one workspace picked (W2, Acme Lab)."""
    monkeypatch.delenv(state_store.ENV_VAR, raising=False)
    at = opener(monkeypatch, home)(**{"as": "u-cadmin", "lang": "pl", "ws": "W2"})
    at.context = {"url": "https://dash.example/"}
    at.switch_page(pages.by_path("renewal").file).run()
    name = next(t for t in at.text_input if t.label == "Nazwa")
    assert name.value == "Planowanie odnowień · Acme Lab"
    name.set_value("Odnowienia laboratorium")
    at.button(key="FormSubmitter:sv_save-Zapisz").click().run()
    assert not at.exception
    assert [plain(s.value) for s in at.success] == ["Zapisano “Odnowienia laboratorium”."]
    assert [v.name for v in saved_views.listed(home, "u-cadmin")] == ["Odnowienia laboratorium"]


def test_subscribing_says_so_in_polish(monkeypatch, home):
    monkeypatch.delenv(state_store.ENV_VAR, raising=False)
    at = opener(monkeypatch, home)(**{"as": "u-cadmin", "lang": "pl"})
    at.switch_page(pages.by_path("alerts").file).run()
    choice = at.selectbox(key="alerts_email")
    assert (choice.label, choice.options) == (
        "Wysyłaj mi to e-mailem",
        ["Bez e-maili", "Codziennie", "Co tydzień", "Co miesiąc"],
    )
    choice.set_value("weekly").run()
    assert not at.exception
    assert [plain(s.value) for s in at.success] == [
        "Będziesz otrzymywać podsumowanie e-mailem co tydzień."
    ]
