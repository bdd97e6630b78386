"""Digests in their recipient's language (dashboard/digest.py): a subscriber who chose Polish in
the app gets a Polish mail (subject, figures, dates, numbers, plural forms, attachment names)
through a real SMTP server on localhost, as tests/test_digest.py sends them; one who never chose
gets English; the CSV attached stays machine-readable and the command's own lines stay English.
Expected figures are the tiny fixture's, worked out in tests/fixtures/tiny/ANSWERS.md."""

from __future__ import annotations

import re

import pytest

from dashboard import language
from dashboard.query import preferences, saved_views, state_store, subscriptions
from tests import test_digest
from tests.test_digest import csv_of, html_of, run

inbox = test_digest.inbox  # the fixture: a real SMTP server on localhost, keeping what it gets

FIGURES = re.compile(r'13px">([^<]+)</div><div style="font-size:22px">([^<]+)<')


@pytest.fixture
def sqlite_state(monkeypatch):
    """The app's state in the data home: these tests are about the words of the mail
    (tests/test_digest.py runs the digest against both backends)."""
    monkeypatch.delenv(state_store.ENV_VAR, raising=False)
    yield
    state_store.close_pools()


def plain_of(message) -> str:
    """The plain-text part, its lines ended as Python writes them (SMTP sends CRLF)."""
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def attachments_of(message) -> list[str]:
    return [part.get_filename() for part in message.walk() if part.get_filename()]


def test_a_subscriber_who_chose_polish_gets_a_polish_digest(home, sqlite_state, inbox, capsys):
    preferences.choose_language(home, "am-ann", "pl")
    view = saved_views.save(home, "am-ann", "Moje portfolio", "customers", "")
    subscriptions.subscribe(home, "am-ann", view.id, "daily")
    assert run(home, "2026-07-01T06:00:00") == 0
    (mail,) = inbox.take()
    assert mail["Subject"] == "Moje portfolio · Aktywność klienta – podsumowanie · 2026-07-01"
    text, page = plain_of(mail), html_of(mail)
    # am-ann serves C1 and C2, no customer picked; the data is as of 2026-06-30
    assert text.startswith(
        "Moje portfolio — wszyscy klienci, których obsługujesz (2), dane na dzień 30 czerwca 2026\n"
    )
    assert (
        "Moi klienci · wszyscy klienci, których obsługujesz (2) · dane na dzień 30 czerwca" in page
    )
    # the portfolio's two customers: the few-form of "wiersz"
    assert dict(FIGURES.findall(page)) == {"Wiersze": "2"}
    assert "Tabela jest w załączniku jako CSV (2 wiersze)." in text
    assert "<p>Tabela jest w załączniku jako CSV (2 wiersze).</p>" in page
    # 11 alerts (the same as u-cadmin's), 10 listed: one more, the one-form
    assert "Alerty: 11" in text and "<h3>Alerty (11)</h3>" in page
    assert "<p>Jeszcze 1 alert w aplikacji.</p>" in page
    # 7 of them high: severities in words, lower-cased in the list of the plain text
    assert text.count("\n- wysoka: ") == 7 and page.count(">Wysoka</td>") == 7
    assert ">Ważność</th>" in page and "Otwórz widok w aplikacji Aktywność klienta" in page
    # C1's enterprise hours used, 14 + 24 + 53.5 = 91.5, as Polish writes it in the mail's table
    assert ">91,5</td>" in page
    # the table's headers worded in Polish, not the query's column names
    assert ">Klient</th>" in page and ">customer_name</th>" not in page
    # the attachment named in Polish; its content the data contract's, a dot for decimals
    assert attachments_of(mail) == ["moi_klienci-2026-06-30.csv"]
    rows = csv_of(mail)
    used = rows[0].index("enterprise_hours_used")
    assert sorted(r[used] for r in rows[1:]) == ["7.0", "91.5"]
    # the command's own lines are for whoever runs it: English, around the Polish subject
    said = capsys.readouterr().out
    assert "sent to ann@provider.example: Moje portfolio · Aktywność klienta – podsumowanie" in said
    assert "CSV 2 rows)" in said and "1 sent, 0 not sent" in said
    assert language.current() == "en"  # the mail's language stayed in the mail


def test_the_enterprise_digest_in_polish(home, sqlite_state, inbox):
    preferences.choose_language(home, "u-cadmin", "pl")
    view = saved_views.save(home, "u-cadmin", "Acme", "start", "status=active")
    subscriptions.subscribe(home, "u-cadmin", view.id, "daily")
    assert run(home, "2026-07-01T06:00:00") == 0
    (mail,) = inbox.take()
    assert mail["Subject"] == "Acme · Aktywność klienta – podsumowanie · 2026-07-01"
    page, text = html_of(mail), plain_of(mail)
    # ANSWERS.md: 3 active contracts; K-B (CN-200) ends first, in 77 days (the many-form of
    # "dzień"); 43% of the enterprise hours used; 2 packages expiring within 90 days
    figures = dict(FIGURES.findall(page))
    assert list(figures.values()) == ["3", "77 dni (CN-200)", "43%", "2"]
    assert "Pakiety wygasające w ciągu 90 dni" in figures
    assert not set(figures) & {"Active contracts", "Soonest contract end", "Enterprise hours used"}
    assert "Najbliższy koniec umowy: 77 dni (CN-200)" in text
    assert "Całe przedsiębiorstwo · Acme Corporation · dane na dzień 30 czerwca 2026" in page
    # the seven categories of Enterprise-wide consumption: the many-form of "wiersz"
    assert "Tabela jest w załączniku jako CSV (7 wierszy)." in text
    assert 'alt="Wykres: Acme"' in page
    assert attachments_of(mail) == ["wykres.png", "wykorzystanie_przedsiebiorstwa-2026-06-30.csv"]
    assert [r[0] for r in csv_of(mail)[1:]].count("reactive") == 1  # codes, not words


def test_a_subscriber_who_never_chose_gets_english(home, sqlite_state, inbox):
    preferences.choose_language(home, "u-cadmin", "pl")  # someone else's choice
    subscriptions.subscribe(home, "u-cadmin", None, "daily")
    subscriptions.subscribe(home, "u-wsadmin", None, "daily")
    assert run(home, "2026-07-01T06:00:00") == 0
    mails = {m["To"]: m for m in inbox.take()}
    polish = mails["Cara Admin <cara@acme.example>"]
    assert polish["Subject"] == "Alerty · Aktywność klienta – podsumowanie · 2026-07-01"
    # ANSWERS.md: u-cadmin's 11 alerts are 7 high, 1 medium, 3 low
    assert dict(FIGURES.findall(html_of(polish))) == {"Wysoka": "7", "Średnia": "1", "Niska": "3"}
    english = mails["Walt Wsadmin <walt@acme.example>"]
    assert english["Subject"] == "Alerts · Customer Activity digest · 2026-07-01"
    # ANSWERS.md: u-wsadmin (W1) has 6 alerts: 5 high, 1 low
    page, text = html_of(english), plain_of(english)
    assert dict(FIGURES.findall(page)) == {"High": "5", "Medium": "0", "Low": "1"}
    assert text.startswith("Alerts — Acme Corporation, data as of 30 Jun 2026\n")
    assert "The table is attached as CSV (6 rows)." in text and "- high: " in text
    assert attachments_of(english) == ["chart.png", "alerts-2026-06-30.csv"]
