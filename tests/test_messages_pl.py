"""The one-line messages the query layer, the sign-in and the dataset check give a page, in
Polish; with a number in them, in the form Polish gives 1, 2 and 5."""

import polars as pl
import pytest

from dashboard.app import tables
from dashboard.ingest import integrity
from dashboard.ingest.data_home import current_dataset
from dashboard.language import speaking
from dashboard.query import access_admin, changes, date_ranges, saved_views, subscriptions
from dashboard.query.access_admin import AccessRefused
from dashboard.query.filters import Filters, from_link
from dashboard.query.state_store import StateUnavailable
from dashboard.query.viewer import AccessDenied, viewer_of
from dashboard.text import alert_kind_words, hidden_note, reason_labels, reason_meaning
from tests.conftest import FIXTURE_AS_OF

CASES = ("case number", "title")  # what a list of cases is found by


@pytest.mark.parametrize(
    ("hidden", "said"),
    [
        (1, "Twoje uprawnienia dostępu ukrywają 1 zgłoszenie."),
        (2, "Twoje uprawnienia dostępu ukrywają 2 zgłoszenia."),
        (5, "Twoje uprawnienia dostępu ukrywają 5 zgłoszeń."),
        (22, "Twoje uprawnienia dostępu ukrywają 22 zgłoszenia."),
        (1234, "Twoje uprawnienia dostępu ukrywają 1\u00a0234 zgłoszenia."),  # no-break space
    ],
)
def test_hidden_support_requests(hidden, said):
    with speaking("pl"):
        assert hidden_note(hidden) == said


def test_hidden_support_requests_in_english_as_before():
    with speaking("en"):
        assert hidden_note(1) == "1 support request is hidden by your permissions."
        assert hidden_note(1234) == "1,234 support requests are hidden by your permissions."


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("contract_ends_1", "Umowa kończy się w ciągu 1 dnia"),
        ("contract_ends_2", "Umowa kończy się w ciągu 2 dni"),
        ("contract_ends_5", "Umowa kończy się w ciągu 5 dni"),
        ("additional_cases_1d", "Dodatkowe sprawy, ostatni 1 dzień"),
        ("additional_cases_2d", "Dodatkowe sprawy, ostatnie 2 dni"),
        ("used_80", "Wykorzystano 80% lub więcej"),
        ("runs_out_before_end", "Wyczerpie się przed końcem okresu"),
    ],
)
def test_alert_kinds(code, said):
    with speaking("pl"):
        assert alert_kind_words(code) == said


def test_additional_case_reasons():
    with speaking("pl"):
        assert reason_labels()["expired_contract"] == "Umowa wygasła"
        assert reason_meaning("special_service") == "usługa specjalna (SU, DSA, X85, REC)"
    with speaking("en"):
        assert reason_meaning("special_service") == "a special service (SU, DSA, X85, REC)"


def link(**values: list[str]):
    return lambda name: values.get(name, [])


@pytest.mark.parametrize(
    ("times", "said"),
    [
        (2, "parametr „contract” podano 2 razy: użyto pierwszej wartości"),
        (5, "parametr „contract” podano 5 razy: użyto pierwszej wartości"),
    ],
)
def test_a_filter_given_more_than_once(times, said):
    with speaking("pl"):
        _, notices = from_link(link(contract=["K1"] * times))
    assert notices == [said]


def test_a_date_range_that_ends_before_it_starts():
    with speaking("pl"):
        wanted, notices = from_link(link(**{"from": ["2026-05-01"], "to": ["2026-04-01"]}))
    assert wanted.dates == (None, None)
    assert notices == ["zakres dat zaczyna się (2026-05-01) po swoim końcu (2026-04-01): pominięto"]


def test_a_link_value_that_is_not_a_date():
    with speaking("pl"):
        _, notices = from_link(link(**{"from": ["yesterday"]}))
    assert notices == ["wartość “yesterday” w parametrze „from” nie jest datą (RRRR-MM-DD)"]


def test_no_access_anywhere(tiny):
    with speaking("pl"), pytest.raises(AccessDenied) as refused:
        viewer_of(tiny, "u-none")  # a member of W1 with no role
    assert str(refused.value) == (
        "Nora None nie może otworzyć pulpitu w żadnym obszarze roboczym: rolę „Aktywność "
        "klienta” może nadać administrator klienta lub administrator danego obszaru roboczego"
    )


def test_no_such_user(tiny):
    with speaking("pl"), pytest.raises(AccessDenied) as refused:
        viewer_of(tiny, "u-nobody")
    assert str(refused.value) == "w tym zbiorze danych nie ma użytkownika 'u-nobody'"


def test_granting_oneself_a_role_is_refused(tiny):
    with speaking("pl"), pytest.raises(AccessRefused) as refused:
        access_admin.change(tiny, "u-cadmin", "u-cadmin", "W1", "training_manager", "grant")
    assert str(refused.value) == "nie możesz nadać roli samemu sobie: poproś innego administratora"


def test_revoking_a_role_not_held_is_refused(tiny):
    with speaking("pl"), pytest.raises(AccessRefused) as refused:
        access_admin.change(tiny, "u-cadmin", "u-none", "W1", "training_manager", "revoke")
    assert str(refused.value) == (
        "Nora None nie ma roli „Kierownik szkoleń” w obszarze roboczym Acme Production"
    )


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("", "Zapisany widok musi mieć nazwę."),
        ("x" * 81, "Nazwa zapisanego widoku może mieć najwyżej 80 znaków, a ma 81."),
    ],
)
def test_a_saved_view_name_refused(name, said):
    with speaking("pl"), pytest.raises(saved_views.Refused) as refused:
        saved_views.clean_name(name)
    assert str(refused.value) == said


def test_a_digest_frequency_refused(tmp_path):
    with speaking("pl"), pytest.raises(saved_views.Refused) as refused:
        subscriptions.subscribe(tmp_path, "u-cadmin", None, "hourly")
    expected = "Podsumowanie wysyła się codziennie, co tydzień lub co miesiąc, a nie 'hourly'."
    assert str(refused.value) == expected


def test_the_state_database_out_of_reach():
    with speaking("pl"):
        writing = StateUnavailable("db.example:5432").for_people()
        reading = StateUnavailable("db.example:5432", writing=False).for_people()
    assert writing == (
        "baza stanu aplikacji jest teraz niedostępna: niczego nie zmieniono; spróbuj ponownie "
        "za minutę"
    )
    assert reading == "baza stanu aplikacji jest teraz niedostępna: spróbuj ponownie za minutę"


def test_a_date_range_named():
    last_90_days = (FIXTURE_AS_OF.replace(month=4, day=2), FIXTURE_AS_OF)
    with speaking("pl"):
        assert date_ranges.named(FIXTURE_AS_OF, last_90_days) == "ostatnie 90 dni"
    with speaking("en"):
        assert date_ranges.named(FIXTURE_AS_OF, last_90_days) == "last 90 days"


def test_what_changed_in_words():
    change = pl.DataFrame({"change": ["new since", "ended; renewed by K2, K3", "", None]})
    with speaking("pl"):
        said = change.select(changes.worded(pl.col("change")))["change"].to_list()
    assert said == ["dodano po migawce", "wygasła; odnowiona przez K2, K3", "", None]
    with speaking("en"):
        assert change.select(changes.worded(pl.col("change"))).equals(change)


def test_a_damaged_file_said_in_polish(home):
    """The files are checked in worker threads: what fails is said in the run's language."""
    folder = current_dataset(home)
    (folder / "cases.parquet").write_bytes(b"changed")
    with speaking("pl"), pytest.raises(integrity.DatasetDamaged) as damaged:
        integrity.read_checked_manifest(folder)
    assert str(damaged.value) == (
        f"zbiór danych w {folder} jest uszkodzony: cases.parquet nie zgadza się z sumą kontrolną "
        f"w manifest.json; zaimportuj dane ponownie poleceniem `python -m dashboard import SRC "
        f"--data {home}` (a dane demonstracyjne: `python -m dashboard seed --out {home}`)"
    )


def test_a_long_list_said_in_polish():
    with speaking("pl"):
        said = tables.list_words("support_requests", "support requests", "newest first", CASES)
        caption = tables._said(said, 2000, 12345, False, ())
        found = tables._said(said, 2, 5, False, ("K7",))
    assert caption == (
        "Pokazano początek listy: 2\u00a0000 z 12\u00a0345 zgłoszeń, od najnowszych; plik do "
        "pobrania zawiera wszystkie (12\u00a0345). Zawęź filtry, aby lista była krótsza."
    )
    assert found.startswith("Pasujące do “K7”: 5 spośród zgłoszeń w tym wyborze. Pokazano ")


def test_a_long_list_said_in_english_as_before():
    with speaking("en"):
        said = tables.list_words("proof_of_delivery", "items", "by category and day", CASES)
        caption = tables._said(said, 3, 10, True, ())
    assert caption == (
        "Showing the first 3 of 10 items, by category and day; the download holds all 10 "
        "(a zipped CSV). Narrow the filters to list fewer."
    )


def test_filters_refuse_a_range_backwards_in_polish():
    with speaking("pl"), pytest.raises(ValueError) as refused:
        Filters(date_from=FIXTURE_AS_OF, date_to=FIXTURE_AS_OF.replace(day=1))
    assert str(refused.value) == "zakres dat zaczyna się (2026-06-30) po swoim końcu (2026-06-01)"
