"""Every table's column headers in Polish, and in English as they always read.

A grid shows a column under its header from `tables.headers()`, in the run's language; a column
the app does not know reads as its name spelt out, in English. So every column a query of the
hand-made dataset gives must have a header of its own, translated in the Polish catalogue."""

from pathlib import Path

import polars as pl
import pytest
from babel.messages.pofile import read_po

from dashboard.app import tables
from dashboard.language import LOCALE_DIR, speaking
from dashboard.query import sql_files
from dashboard.query.filters import Filters

CATALOGUE = LOCALE_DIR / "pl" / "LC_MESSAGES" / "messages.po"
# what the few queries with a parameter of their own are run with
EXTRA = {"email": "cara@acme.example", "entitlement": "E1", "delivery_status": None}


def query_columns(tiny) -> dict[str, list[str]]:
    """Every query's columns, as the customer admin of the hand-made dataset runs it."""
    names = sorted(
        path.stem for path in Path(sql_files.QUERY_DIR).glob("*.sql") if path.stem[0] != "_"
    )
    columns = {}
    for name in names:
        wanted = sql_files.load(name).parameters
        extra = {k: v for k, v in EXTRA.items() if k in wanted}
        columns[name] = tiny.run(name, "u-cadmin", Filters(), **extra).columns
    return columns


def polish_headers() -> dict[str, str]:
    """The catalogue's Polish for each English header (msgctxt "column header")."""
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file, locale="pl")
    return {m.id: m.string for m in catalogue if m.context == "column header" and m.string}


def test_every_query_column_has_a_header_of_its_own(tiny):
    columns = query_columns(tiny)
    assert len(columns) > 40 and "support_requests" in columns  # the queries were all found
    with speaking("en"):
        known = tables.headers()
    missing = sorted({c for cols in columns.values() for c in cols} - set(known))
    assert missing == []


def test_every_header_is_translated_in_the_catalogue():
    with speaking("en"):
        english = tables.headers()
    translated = polish_headers()
    assert sorted(set(english.values()) - set(translated)) == []
    with speaking("pl"):
        polish = tables.headers()
    assert set(polish) == set(english)
    # what the catalogue says is what a grid shows
    assert all(polish[name] == translated[english[name]] for name in english)


@pytest.mark.parametrize(
    ("name", "polish"),
    [
        ("closed_at", "Zamknięto"),  # when a case was closed: not "Zamknięta", its status
        ("created_at", "Otwarto"),
        ("days_left", "Pozostało dni"),
        ("contract_number", "Numer umowy"),
        ("is_customer_admin", "Administrator klienta"),
        ("hours_delivered", "Zrealizowane godziny"),
        ("workspace_name", "Obszar roboczy"),
        ("severity", "Ważność"),
        ("service_code", "Kod usługi"),
        ("projected_exhaustion_date", "Prognozowane wyczerpanie"),
    ],
)
def test_a_header_in_polish(name, polish):
    with speaking("pl"):
        assert tables.header(name) == polish


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("closed_at", "Closed"),  # its own header, as before
        ("is_customer_admin", "Customer admin"),
        ("enterprise_hours_utilisation", "Utilisation of enterprise hours"),
        ("case_type", "Case type"),  # spelt out from its name, as before
        ("used_previous_term_same_share", "Used previous term same share"),
    ],
)
def test_a_header_in_english_reads_as_before(name, english):
    with speaking("en"):
        assert tables.header(name) == english


def test_an_unknown_column_is_spelt_out_in_english():
    with speaking("pl"):
        assert tables.header("some_new_column") == "Some new column"


def test_a_grid_column_is_configured_with_its_polish_header():
    with speaking("pl"):
        assert tables._config("closed_at", pl.Datetime)["label"] == "Zamknięto"
        assert tables._config("learner_name", pl.String)["label"] == "Uczestnik"
        assert tables._config("members", pl.Int64)["label"] == "Członkowie"
    with speaking("en"):
        assert tables._config("closed_at", pl.Datetime)["label"] == "Closed"


def test_a_yes_cell_in_polish():
    frame = pl.DataFrame({"expiring_soon": [True, False, None]})
    with speaking("pl"):
        shown = tables._as_text(frame)
    assert shown["expiring_soon"].to_list() == ["Tak", "", None]
    with speaking("en"):
        assert tables._as_text(frame)["expiring_soon"].to_list() == ["Yes", "", None]
