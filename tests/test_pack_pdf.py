"""The meeting pack as a PDF: read back with pypdf, its text checked against figures worked out
by hand from tests/fixtures/tiny (see its ANSWERS.md)."""

import io
import re
import subprocess
import sys
from datetime import date

import pytest
from pypdf import PdfReader

from dashboard.app import meeting_pack, pack_content, pack_pdf
from dashboard.app.pack_content import TEXT, Column, Table
from dashboard.query.filters import Filters

K_A = Filters(contract="K-A")


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def k_a_pdf(tiny) -> bytes:
    return meeting_pack.build(tiny, "u-cadmin", "Zoë Ådmin – lead", K_A, format="pdf")


def test_the_pdf_holds_the_title_block_figures_and_charts(k_a_pdf):
    assert k_a_pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(k_a_pdf))
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    text = pages(k_a_pdf)
    first = text[0]
    assert "Acme Corporation: renewal meeting pack" in first
    assert "Contract CN-100 · Acme Unified 2026" in first
    assert "Prepared by Zoë Ådmin – lead" in first  # any Latin letter prints
    assert "Data as of 30 Jun 2026" in first
    assert re.search(r"Items delivered 15\b", first)  # 3 + 2 + 3 + 2 + 3 + 2
    whole = "\n".join(text)
    # Enterprise-wide, reactive: E-REA 100 purchased, 39.5 used (K1 10 + K2 25.5 + K6 4),
    # 60.5 left, 40% (0.395 as a whole percentage)
    assert re.search(r"Reactive support hours 100 39\.5 0 60\.5 0 0 40%", whole)
    # delivered proactive services: D1 8 + D2 16 + D7 12 = 36, hours delivered 7.5 + 16 + 12
    assert re.search(r"Proactive services hours 3 36 35\.5 0", whole)
    assert "Renewal risks, riskiest first" in whole
    assert all(f"Page {n} of {len(text)}" in page for n, page in enumerate(text, start=1))
    # the consumption bars of K-A's five units and the timeline, as pictures
    pictures = sum(len(page.images) for page in reader.pages)
    assert pictures == 6


def test_the_pdf_lists_a_page_of_items_and_says_where_the_rest_are(tiny, monkeypatch):
    monkeypatch.setattr(meeting_pack, "PDF_ROWS", 5)
    text = "\n".join(pages(meeting_pack.build(tiny, "u-cadmin", "Cara", K_A, format="pdf")))
    listed = text[text.index("Delivered, item by item") :]
    # the first five by category and day: K3, K10 (advisory), A1, A2 (assessments), D9
    assert [ref for ref in ("K3", "K10", "A1", "A2", "D9", "D5") if f" {ref} " in listed] == [
        "K3", "K10", "A1", "A2", "D9"
    ]  # fmt: skip
    said = " ".join(listed.split())
    assert "The list holds the first 5 of 15 items, by category and day: 10 more are not" in said
    assert "Proof of delivery's CSV download lists all of them" in said


def test_the_pdf_says_the_dates_differ_from_the_whole_term(tiny):
    spring = Filters(contract="K-A", date_from=date(2026, 4, 1), date_to=date(2026, 6, 30))
    data = meeting_pack.build(tiny, "u-cadmin", "C", spring, "pdf")
    said = " ".join("\n".join(pages(data)).split())
    assert (
        "Delivered in the activity dates only (1 Apr 2026 – 30 Jun 2026): the consumption "
        "figures (Summary, Enterprise entitlements, Renewal risks) cover the whole term, so "
        "they differ." in said
    )
    # in those dates: K2 25.5 and K6 4 (K1 was on 1 Feb); the whole term's 39.5 beside it
    assert re.search(r"Reactive support hours 2 29\.5 0", said)
    assert re.search(r"Reactive support hours 100 39\.5 0 60\.5", said)


def test_without_a_unicode_font_the_pdf_is_written_in_latin_1(tiny, monkeypatch):
    monkeypatch.setattr(pack_pdf, "FONTS", ())
    data = meeting_pack.build(tiny, "u-cadmin", "Zoë Ådmin – lead…", K_A, format="pdf")
    first = pages(data)[0]
    assert "Prepared by Zoe Admin - lead..." in first  # accents dropped, dashes plain
    assert "Contract CN-100 · Acme Unified 2026" in first  # the middle dot is Latin-1


def test_a_table_too_wide_for_the_page_is_made_to_fit(tiny):
    """Fifteen columns of long text: each column no wider than it must be, the table no wider
    than the page, and a cut cell ends in an ellipsis."""
    import polars as pl

    words = "an entitlement with a name far longer than any column should ever be made"
    columns = tuple(Column(f"c{n}", f"Heading {n}", TEXT) for n in range(15))
    rows = pl.DataFrame({f"c{n}": [words] for n in range(15)})
    table = Table("Wide", "Wide", columns, rows)
    content = pack_content.gather(tiny, "u-cadmin", "C", K_A, 5, "elsewhere")
    pdf = pack_pdf._Document(content)
    pdf.add_page()
    texts = [(c.header, c.kind) for c in columns]
    widths = pack_pdf._widths(pdf, texts, [tuple(rows.row(0))], pack_pdf.SMALL_SIZE)
    assert sum(widths) <= pack_pdf.WIDE
    pdf.font(pack_pdf.SMALL_SIZE)
    cut = pack_pdf._cut(pdf, words, widths[0])
    assert cut.endswith("…") and pdf.get_string_width(cut) <= widths[0]
    pack_pdf._table(pdf, table)  # wraps rather than overflows: fpdf2 refuses a table too wide
    pack_pdf._table(pdf, table, one_line=True)


def test_making_a_pack_is_what_imports_fpdf2_and_vl_convert():
    code = (
        "import sys, dashboard.app.meeting_pack, dashboard.cli;"
        "print('fpdf' in sys.modules, 'vl_convert' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
