"""Enterprise-wide and Renewal planning in Polish (`?lang=pl`): their titles, figures, captions
and words, with the plural form Polish gives each number, and none of their English. Over the
hand-made dataset (as of 2026-06-30); every number is worked out by hand from
tests/fixtures/tiny."""

from dashboard.app import pages
from tests.app.conftest import cells, metrics, plain, texts

RENEWAL = pages.by_path("renewal").file


def test_enterprise_wide_in_polish(app):
    at = app(**{"as": "u-cadmin", "lang": "pl"})
    assert not at.exception
    assert at.title[0].value == "Całe przedsiębiorstwo"
    figures = metrics(at)
    assert figures["Aktywne umowy"] == "3"  # K-A, K-B and the unmapped K-NULL
    # K-B (CN-200) ends 2026-09-15, 77 days after the as-of day, and nothing renews it
    assert figures["Najbliższy koniec umowy"] == "77 dni"
    soonest = next(m for m in at.metric if m.label == "Najbliższy koniec umowy")
    assert "CN-200 (15 września 2026)" in plain(soonest.help)
    # P-A2 ends 2026-07-31 (31 days) and P-B1 2026-09-15 (77): 31 and 77 take "dni"
    listed = next(e for e in at.expander if e.label == "Pakiety wkrótce wygasające (2)")
    assert plain(listed.markdown[0].value).splitlines() == [
        "- CN-100 · Workshop add-on: kończy się 31 lipca 2026, pozostało 31 dni",
        "- CN-200 · Lab Enterprise: kończy się 15 września 2026, pozostało 77 dni",
    ]
    # every date: K1 to K10 in W1 and W2, all seen by the customer admin; 10 takes "zgłoszeń"
    assert "W zakresie dat otwarto 10 zgłoszeń." in texts(at)
    shown = texts(at)
    for english in ("Enterprise-wide", "support requests opened", "days left", "Active contracts"):
        assert english not in shown and english not in [m.label for m in at.metric]


def test_a_few_support_requests_take_the_form_of_a_few(app):
    at = app(**{"as": "u-cadmin", "lang": "pl", "from": "2026-04-01", "to": "2026-05-31"})
    assert not at.exception
    # opened 1 Apr - 31 May: K4 (1 Apr), K5 (20 Apr), K6 (5 May), K2 (10 May, 07:00 UTC)
    captions = [plain(c.value) for c in at.caption]
    assert "W zakresie dat otwarto 4 zgłoszenia." in captions
    assert "Wykorzystane godziny w całym przedsiębiorstwie (cały okres, niezależnie od dat)" in (
        metrics(at)
    )


def test_hidden_support_requests_in_polish(app):
    # u-contact sees K5 and K9 of W2 (their own) but not K6, raised in W2 on K-A: 1 hidden
    at = app(**{"as": "u-contact", "lang": "pl"})
    assert not at.exception
    caption = next(c.value for c in at.caption if "W zakresie dat otwarto" in c.value)
    assert "(1 ukryte z powodu Twoich uprawnień dostępu)" in caption
    assert "hidden by your permissions" not in caption


def test_renewal_planning_in_polish(app):
    at = app(**{"as": "u-cadmin", "lang": "pl"})
    at.switch_page(RENEWAL).run()
    assert not at.exception
    assert at.title[0].value == "Planowanie odnowień"
    figures = metrics(at)
    assert figures["Wyczerpie się przed wygaśnięciem"] == "5"
    assert figures["Ponad 20% pozostanie niewykorzystane"] == "4"
    assert figures["Zgodnie z planem"] == "2"
    shown = texts(at)
    # of the 5 that run out, E-ASM, E-WS and E-BEDU have nothing left already
    assert "W 3 z 5 uprawnień, które się wyczerpią, już nic nie pozostało" in shown
    assert "średnie dzienne wykorzystanie z ostatnich 90 dni" in shown
    risks = cells(at.dataframe[0])
    said = dict(zip(risks["name"], risks["forecast"], strict=True))
    # E-CRD: 10 less 4 delivered and 3 scheduled, none used in 90 days: 3 credits ("kredyty")
    assert said["Proactive credits"] == "Niewykorzystane: 3 kredyty"
    # E-ADV: 20 less K3's 8, none in 90 days: 12 hours ("godzin", as 12 takes)
    assert said["Advisory support"] == "Niewykorzystane: 12 godzin"
    # E-BREA: 18 - 12/90 × 77 days = 7.73: a fraction takes "godziny"
    assert said["Lab reactive support"] == "Niewykorzystane: 7,7 godziny"
    assert said["Workshops"] == "Już nic nie pozostało"
    # E-PRO: 4 left at D2's 16 in 90 days, 16/90 a day: 22.5 days on, 23 Jul
    assert said["Proactive services"] == "Wyczerpie się 23 lipca 2026"
    for english in ("Renewal planning", "How this is worked out", "have nothing left", "unused"):
        assert english not in shown
    assert not any("unused" in str(s) or "Runs out" in str(s) for s in said.values())


def test_an_add_ons_term_is_dated_as_the_language_writes_it(app):
    from dashboard.language import speaking

    add_ons = pages.by_path("add-ons").file
    for language, ends, ended in (
        ("pl", "31 lipca 2026", "31 marca 2026"),
        ("en", "31 Jul 2026", "31 Mar 2026"),
    ):
        with speaking(language):  # AppTest reads the widgets' options in this thread
            at = app(**{"as": "u-cadmin", "lang": language, "contract": "K-A", "status": "all"})
            at.switch_page(add_ons).run()
        assert not at.exception
        shown = texts(at)
        # P-A2 (Workshop add-on) ends 2026-07-31, P-A3 (Spring credits) ended 2026-03-31
        assert ends in shown and ended in shown, language
        assert "2026-07-31" not in shown and "2026-03-31" not in shown
