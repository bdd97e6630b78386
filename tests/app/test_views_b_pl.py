"""Support, Additional cases, Proof of delivery and the other detail pages in Polish
(`?lang=pl`): their titles and captions in Polish, each number with the form of its noun that
Polish gives it, and none of the English left. Every figure worked by hand from
tests/fixtures/tiny (ANSWERS.md, cases.csv, case_shares.csv, users.csv)."""

import pytest

from dashboard.app import pages
from dashboard.language import speaking
from tests.app.conftest import cells, plain, texts

ADDITIONAL_CASES = pages.by_path("additional-cases").file
SUPPORT = pages.by_path("support").file


@pytest.fixture(autouse=True)
def polish():
    """The test's own thread speaks Polish too: AppTest writes a widget's value back through
    its `format_func` here, and it must find the label the page drew."""
    with speaking("pl"):
        yield


def view(app, page, user, **params):
    at = app(**{"as": user, "lang": "pl", **params})
    at.switch_page(page).run()
    assert not at.exception and not at.error
    return at


def test_support_in_polish(app):
    # Sam opens W1, whose cases are K1, K2, K3, K4, K7, K8 and K10: she sees K3, shared with
    # her, and the other 6 are hidden (many: "ukrytych"; one: "1 zgłoszenie", "1 udostępnione")
    at = view(app, SUPPORT, "u-shared")
    assert plain(at.title[0].value) == "Wsparcie i usługi proaktywne"
    page = texts(at)
    assert (
        "Powyższe godziny obejmują wszystkie zgłoszenia, także 6 ukrytych z powodu Twoich "
        "uprawnień dostępu. Widzisz 1 zgłoszenie, w tym 1 udostępnione Tobie."
    ) in page
    assert "Zgłoszenia utworzone w wybranych obszarach roboczych." in page
    labels = [m.label for m in at.metric]
    assert labels[:3] == [
        "Godziny reaktywne",
        "Godziny doradcze",
        "Zrealizowane godziny proaktywne",
    ]
    for english in ("Support and proactive services", "The hours above count", "You may see"):
        assert english not in page
    assert "Reactive hours" not in labels


def test_additional_cases_in_polish(app):
    # Cara's additional cases: K4, K5, K6, K7, K8 and K9 (6: many, "dodatkowych spraw"); by
    # service STD K4, K6, K8 (3: few, "zgłoszenia"), SU K5 and REC K7 (1: one, "zgłoszenie")
    at = view(app, ADDITIONAL_CASES, "u-cadmin")
    assert plain(at.title[0].value) == "Dodatkowe sprawy"
    assert [plain(s.value) for s in at.subheader] == ["Według przyczyny", "6 dodatkowych spraw"]
    services = at.selectbox(key="additional_service").options
    assert "Wszystkie usługi" in services
    assert "STD (3 zgłoszenia)" in services and "SU (1 zgłoszenie)" in services
    page = texts(at)
    assert "Kliknij słupek, aby wyświetlić jego sprawy." in page
    assert "Additional cases" not in page and "Click a bar" not in page
    assert not [s for s in services if "support request" in s]
    # the special service's cases, K5 and K7: 2 (few, "dodatkowe sprawy")
    at.session_state["reason_0_"] = {"selection": {"pick": [{"reason": "special_service"}]}}
    at.run()
    assert plain(at.subheader[1].value) == "2 dodatkowe sprawy"
    assert [b.label for b in at.button] == ["Wyczyść wybór"]


def test_proof_of_delivery_in_polish(app):
    # Walt opens W1 only: K6 (W2, on K-A) is the one support request of K-A hidden from him (one:
    # "1 zgłoszenie ... jest ukryte"); the proactive services' quantity is D1 8 + D2 16 + D7 12 =
    # 36 beside 7.5 + 16 + 12 = 35.5 hours delivered; E-ASM is over by 1 (3 used of 2)
    at = view(app, pages.by_path("proof-of-delivery").file, "u-wsadmin", contract="K-A")
    assert plain(at.title[0].value) == "Potwierdzenie realizacji"
    page = texts(at)
    assert (
        "1 zgłoszenie w ramach tej umowy jest ukryte z powodu Twoich uprawnień dostępu: sumy je "
        "obejmują, lista nie."
    ) in page
    assert "Usługi proaktywne: ilość 36, zrealizowane godziny: 35,5." in page
    purchased = cells(at.dataframe[2])
    assert "Pozostało" in purchased.columns and "Remaining" not in purchased.columns
    assert "przekroczono o 1" in set(purchased["Pozostało"])
    assert "hidden by your permissions" not in page and "over by" not in page


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("education", "Szkolenia na żądanie"),
        ("contacts", "Kontakty imienne do wsparcia"),
        ("assessments", "Oceny na żądanie"),
        ("credits", "Kredyty proaktywne"),
        ("manage-access", "Zarządzanie dostępem"),
        ("data", "O danych"),
    ],
)
def test_the_other_pages_in_polish(app, path, title):
    at = view(app, pages.by_path(path).file, "u-cadmin")
    assert plain(at.title[0].value) == title


def test_which_customer_in_polish(app):
    # Ann serves C1 and C2: 2 customers (few: "2 klientów" as the object of "obsługujesz")
    at = view(app, SUPPORT, "am-ann")
    assert plain(at.title[0].value) == "Wsparcie i usługi proaktywne"
    page = texts(at)
    assert "Obsługujesz 2 klientów, a ta strona pokazuje jednego naraz." in page
    assert "You serve" not in page


def test_no_access_in_polish(app):
    # Nora is a member of W1 with no role: the no-access page, with who can grant it
    at = app(**{"as": "u-none", "lang": "pl"})
    assert not at.exception
    assert plain(at.title[0].value) == "Brak dostępu do strony Aktywność klienta"
    page = texts(at)
    assert "osobom, które mają w nim rolę **Aktywność klienta**." in page
    assert "Te osoby mogą nadać Ci dostęp:" in page
    assert "No access to Customer Activity" not in page and "role in it" not in page
