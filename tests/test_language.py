"""dashboard/language.py and the Babel side of dashboard/formats.py: which language a run speaks,
and numbers, dates and plurals as Polish writes them (expected texts written by hand)."""

import threading
from datetime import date

import pytest

from dashboard import formats, language
from dashboard.language import _, speaking


@pytest.mark.parametrize(
    ("candidates", "chosen"),
    [
        (("pl", None, "en-US"), "pl"),  # the link first
        ((None, "pl", "en-US"), "pl"),  # then a remembered choice
        ((None, None, "pl-PL"), "pl"),  # then the browser's
        (("xx", None, "pl_PL"), "pl"),  # one not offered is passed over
        ((None, None, "de-DE"), "en"),  # none offered: English
        ((None, None, None), "en"),
    ],
)
def test_the_first_language_offered_is_chosen(candidates, chosen):
    assert language.chosen(*candidates) == chosen


def test_the_browsers_languages_are_read_in_order():
    assert language.from_browser("de-DE,de;q=0.9,pl;q=0.8,en;q=0.5") == "pl"
    assert language.from_browser(["fr-FR", "en-GB"]) == "en"
    assert language.from_browser("fr-FR") is None
    assert language.from_browser(None) is None


def test_a_language_holds_within_its_block_and_thread_only():
    seen = {}
    with speaking("pl"):
        seen["inside"] = language.current()
        other = threading.Thread(target=lambda: seen.setdefault("thread", language.current()))
        other.start()
        other.join()
    assert (seen["inside"], seen["thread"], language.current()) == ("pl", "en", "en")


def test_words_are_translated_and_english_is_the_code_itself():
    assert _("Language") == "Language"
    with speaking("pl"):
        assert _("Language") == "Język"
        assert _("a sentence no catalogue has") == "a sentence no catalogue has"


@pytest.mark.parametrize(("n", "form"), [(1, 0), (2, 1), (4, 1), (5, 2), (12, 2), (22, 1), (25, 2)])
def test_polish_picks_one_of_its_three_plural_forms(n, form):
    # 1 zgłoszenie; 2-4, 22-24 zgłoszenia; 5-21, 25 zgłoszeń: the catalogue's Plural-Forms
    catalogue = language.translations("pl")
    assert catalogue.plural(n) == form


def test_numbers_dates_and_shares_as_polish_writes_them():
    with speaking("pl"):
        assert formats.amount(1234.5) == "1\xa0234,5"
        assert formats.amount(12.0) == "12"
        assert formats.number(1049) == "1\xa0049"
        assert formats.rate(19_660.18) == "19\xa0660,18"
        assert formats.percent(0.4543) == "45%"
        assert formats.day(date(2026, 11, 23)) == "23 listopada 2026"
        assert formats.days(date(2026, 1, 1), None) == "od 1 stycznia 2026"
        assert formats.moment("2026-12-14T09:30:00+00:00", "Europe/Warsaw") == (
            "14 grudnia 2026, 10:30 CET"
        )
        assert formats.column_day() == "D.MM.YYYY"
        assert formats.xlsx_day() == "d.mm.yyyy"
    # and English as before
    assert formats.amount(1234.5) == "1,234.5"
    assert formats.day(date(2026, 11, 23)) == "23 Nov 2026"
    assert formats.column_day() == "D MMM YYYY"


def test_charts_get_the_languages_separators_and_month_names():
    polish = formats.vega_locale("pl")
    assert polish["number"]["decimal"] == ","
    assert polish["number"]["thousands"] == "\xa0"
    assert polish["time"]["months"][10] == "listopad"  # on its own, as "listopad 2026"
    assert polish["time"]["shortMonths"][10] == "lis"
    assert formats.vega_locale("en")["time"]["shortMonths"][11] == "Dec"
