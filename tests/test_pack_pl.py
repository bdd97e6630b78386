"""The meeting pack (PDF and workbook) and the proof-of-delivery workbook made in Polish: their
headings, labels and notes in Polish, numbers and days as Polish writes them, and days stored in
workbooks with a Polish date format. Expected figures are worked out by hand from
tests/fixtures/tiny (see its ANSWERS.md) and tests/sql/meeting_datasets.py, as the English
tests of the same packs (tests/test_pack_pdf.py, tests/test_meeting_pack.py) have them."""

import io
import re
from datetime import date, datetime

import openpyxl
import polars as pl
import pytest
from pypdf import PdfReader

from dashboard.app import meeting_pack, pack_pdf
from dashboard.app.proof_workbook import proof_workbook
from dashboard.ingest.data_home import current_dataset
from dashboard.language import speaking
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.sql.meeting_datasets import first_home, next_meeting

K_A = Filters(contract="K-A")
SPRING = Filters(contract="K-A", date_from=date(2026, 4, 1), date_to=date(2026, 6, 30))
POLISH_DAY = "d.mm.yyyy"  # 30.06.2026, as the glossary writes a day in a workbook
SHEETS = ["Podsumowanie", "Uprawnienia przedsiębiorstwa", "Ryzyka odnowień", "Sumy realizacji",
          "Zrealizowano", "Wykresy"]  # fmt: skip


def polish(dataset, user: str, filters: Filters, format: str = "xlsx", **options) -> bytes:
    with speaking("pl"):
        return meeting_pack.build(dataset, user, "Łucja Żółć", filters, format=format, **options)


def said(data: bytes) -> str:
    """A PDF's text, its runs of white space made one space."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def opened(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def labelled(sheet, label: str):
    """The first row of `sheet` whose first cell is `label` (its cells)."""
    return next(row for row in sheet.iter_rows() if row[0].value == label)


@pytest.fixture(scope="module")
def spring_pdf(tiny) -> str:
    return said(polish(tiny, "u-cadmin", SPRING, "pdf"))


def test_the_pdf_speaks_polish(spring_pdf):
    text = spring_pdf
    assert "Acme Corporation: pakiet na spotkanie w sprawie odnowienia" in text
    assert "Przygotowane przez Łucja Żółć" in text  # Polish letters print
    assert "Dane na dzień 30 czerwca 2026" in text
    assert "(1 kwietnia 2026 – 30 czerwca 2026)" in text  # the activity dates
    for heading in (
        "Zużycie w całym przedsiębiorstwie, cały okres obowiązywania",
        "Ryzyka odnowień, od największego",
        "Zrealizowano, według kategorii",
        "Zrealizowano, pozycja po pozycji",
        "Kiedy kończą się pakiety",
    ):
        assert heading in text
    # K-A's reactive support over the whole term (E-REA): 100 purchased, 39.5 used, 60.5 left,
    # 40% used; a decimal comma
    assert re.search(r"Wsparcie reaktywne godziny 100 39,5 0 60,5 0 0 40%", text)
    # in the dates: K2 25.5 and K6 4 (K1 was on 1 Feb), two items
    assert re.search(r"Wsparcie reaktywne godziny 2 29,5 0", text)
    assert "Zrealizowane tylko w datach aktywności (1 kwietnia 2026 – 30 czerwca 2026)" in text
    # K2, Slow queries, on 10 May: its day and its 25.5 hours as Polish writes them
    assert re.search(r"Wsparcie reaktywne 10 maja 2026 Slow queries K2 25,5 godziny", text)
    assert re.search(r"Strona 1 z \d+", text)
    assert not re.search(r"\b(Jun|Page|Delivered|Summary)\b", text)


@pytest.mark.parametrize(
    ("user", "note"),
    [
        ("u-wsadmin", "1 zgłoszenie ukryte z powodu Twoich uprawnień dostępu"),
        ("u-shared", "4 zgłoszenia ukryte z powodu Twoich uprawnień dostępu"),
        ("u-act", "5 zgłoszeń ukrytych z powodu Twoich uprawnień dostępu"),
    ],
)
def test_the_pack_says_how_many_are_hidden_in_the_form_of_the_number(tiny, user, note):
    # K-A's support requests: K1, K2, K3, K6, K10. Walt (W1) may not see K6 (raised in W2);
    # u-shared sees K3 only; u-act sees none
    summary = opened(polish(tiny, user, K_A))["Podsumowanie"]
    assert labelled(summary, "Zrealizowane pozycje")[2].value.startswith(note)


def test_the_workbook_speaks_polish_and_stores_polish_days(tiny):
    book = opened(polish(tiny, "u-cadmin", K_A))
    assert book.sheetnames == SHEETS
    summary = book["Podsumowanie"]
    assert summary["A1"].value == "Pakiet na spotkanie w sprawie odnowienia · Podsumowanie"
    as_of = labelled(summary, "Dane na dzień")[1]
    assert (as_of.value, as_of.number_format) == (datetime(2026, 6, 30), POLISH_DAY)
    assert labelled(summary, "Utworzono")[1].number_format == f'{POLISH_DAY}, hh:mm "UTC"'
    assert labelled(summary, "Aktywne umowy")[1].value == 1
    # E-REA: 39.5 used, stored as a number (Excel writes it with the reader's own separators)
    reactive = labelled(summary, "Wsparcie reaktywne")
    assert [cell.value for cell in reactive[:4]] == ["Wsparcie reaktywne", "godziny", 100, 39.5]
    assert reactive[3].number_format == "#,##0.0"
    header = [cell.value for cell in labelled(summary, "Kategoria") if cell.value]
    assert header[:4] == ["Kategoria", "Jednostka", "Zakupiono", "Wykorzystano"]
    contract = labelled(summary, "CN-100")  # K-A: 1 Jan to 31 Dec 2026, 184 days left
    assert [(c.value, c.number_format) for c in contract[3:5]] == [
        (datetime(2026, 1, 1), POLISH_DAY),
        (datetime(2026, 12, 31), POLISH_DAY),
    ]
    risks = book["Ryzyka odnowień"]
    header = labelled(risks, "Status")
    ends = next(cell.column - 1 for cell in header if cell.value == "Koniec")
    first = risks[header[0].row + 1]  # E-WS: 16 hours from 1 Jan to 31 Jul 2026
    assert first[0].value == "Wyczerpie się przed wygaśnięciem"
    assert (first[ends].value, first[ends].number_format) == (datetime(2026, 7, 31), POLISH_DAY)
    delivered = book["Zrealizowano"]
    assert labelled(delivered, "Kategoria")[1].value == "Data"
    assert all(
        cell.number_format == POLISH_DAY
        for row in delivered.iter_rows()
        for cell in row
        if isinstance(cell.value, datetime) and cell.row > 10  # under the title block
    )


def test_the_pack_file_is_named_in_polish(tiny):
    with speaking("pl"):
        name = meeting_pack.file_name(tiny, "u-cadmin", K_A, "xlsx")
    assert name == "Acme Corporation - CN-100 - pakiet na spotkanie - 2026-06-30.xlsx"


def test_changed_since_speaks_polish(tmp_path):
    home = first_home(tmp_path)
    polish(Dataset(current_dataset(home)), "u-admin", Filters(), keep_snapshot=True)  # 15 Jun
    next_meeting(home, tmp_path)
    data = polish(Dataset(current_dataset(home)), "u-admin", Filters(), keep_snapshot=True)
    book = opened(data)
    assert book.sheetnames == ["Zmiany od migawki", *SHEETS]
    sheet = book["Zmiany od migawki"]
    lines = {row[0]: row[1:3] for row in rows(sheet) if row[0]}
    assert lines["Migawka"][0] == "#2, zapisana na następne spotkanie"
    assert lines["Dane na dzień"][0] == "15 czerwca 2026 → 15 lipca 2026"
    # over the entitlements in both: reactive E1 25 + E5 3 = 28, advisory E3 4
    assert lines["Godziny wykorzystane od migawki"] == (
        32,
        "Wsparcie reaktywne 28; Wsparcie doradcze 4",
    )
    assert lines["Umowy odnowione"] == (1, "CN-2 odnowiona przez CN-3")
    texts = {value for row in rows(sheet) for value in row if isinstance(value, str)}
    assert "Wygasła; odnowiona przez CN-3" in texts  # CN-2 ended, CN-3 renews it
    assert {"Pozostanie niewykorzystane", "Wygasło"} <= texts  # E5's status then and now


def test_the_proof_workbook_speaks_polish():
    totals = pl.DataFrame(
        {
            "category": ["reactive"],
            "quantity": [1234.5],
            "unit": ["hours"],
            "items": [3],
            "hours_delivered": [1234.5],
            "no_package": [0],
            "hidden": [1],
        }
    )
    entitlements = pl.DataFrame(
        {
            "name": ["Advisory chat"],
            "purchased": [None],
            "used": [6.0],
            "scheduled": [0.0],
            "remaining": [None],
            "unit": ["hours"],
            "package_name": ["Enterprise Support 2026"],
        },
        schema_overrides={"purchased": pl.Float64, "remaining": pl.Float64},
    )
    delivered = pl.DataFrame(
        {"category": ["Wsparcie reaktywne"], "day": [date(2026, 5, 10)], "unit": ["hours"]}
    )
    title = [("Klient", "Acme Corporation"), ("Dane na dzień", date(2026, 6, 30))]
    with speaking("pl"):
        data = proof_workbook(title, totals, entitlements, ["Uwaga."], delivered)
    book = opened(data)
    assert book.sheetnames == ["Sumy", "Zrealizowano"]
    sums = book["Sumy"]
    assert sums["A1"].value == "Potwierdzenie realizacji"
    assert sums["B3"].number_format == POLISH_DAY  # the title block's day
    texts = rows(sums)
    assert ("Sumy według kategorii",) == texts[4][:1]
    assert texts[5][:3] == ("Kategoria", "Ilość", "Jednostka")
    assert texts[6][:3] == ("Wsparcie reaktywne", 1234.5, "godziny")
    assert sums.cell(7, 2).number_format == "#,##0.0"
    assert texts[9][:2] == ("Uprawnienie", "Zakupiono")
    assert texts[10][:6] == ("Advisory chat", "bez limitu", 6, 0, "bez limitu", "godziny")
    items = book["Zrealizowano"]
    assert [cell.value for cell in items[1]] == ["Kategoria", "Data", "Jednostka"]
    assert items["B2"].value == datetime(2026, 5, 10)
    assert items["B2"].number_format == POLISH_DAY
    assert items["C2"].value == "godziny"


def test_without_a_unicode_font_polish_letters_are_written_plain(tiny, monkeypatch):
    monkeypatch.setattr(pack_pdf, "FONTS", ())
    text = said(polish(tiny, "u-cadmin", K_A, "pdf"))
    assert "Przygotowane przez Lucja Zolc" in text  # ł has no accent to drop: l
    assert "Dane na dzien 30 czerwca 2026" in text


def test_the_charts_are_drawn_with_polish_numbers_and_months(monkeypatch):
    import vl_convert

    asked = {}

    def drawn(spec, **options):
        asked.update(options)
        return b"png"

    monkeypatch.setattr(vl_convert, "vegalite_to_png", drawn)

    class Chart:
        def to_json(self) -> str:
            return "{}"

    with speaking("pl"):
        meeting_pack.chart_png(Chart())
    assert asked["format_locale"]["decimal"] == ","
    assert asked["time_format_locale"]["months"][10] == "listopad"
    asked.clear()
    meeting_pack.chart_png(Chart())  # English: Vega's own locale
    assert "format_locale" not in asked
