"""The meeting pack as a PDF (fpdf2): landscape A4, the title block, what changed since the last
meeting's snapshot (when there is one, before anything else), the headline figures and
tables of the workbook with their numbers and days written as formats writes them, the first
page's worth of the delivered items (and how many more there are and where to get them all), and
the charts as pictures; page numbers at the foot of every page.

It speaks the run's language (dashboard.language): its own words are translated here, the
pack's from dashboard.app.pack_content, and numbers and days are written by formats.

Text is set in DejaVu Sans (or, failing it, Liberation Sans, then Noto Sans), TrueType fonts
that print names in any Latin letters and every Polish one (ą ć ę ł ń ó ś ź ż). None of Python's
dependencies here ships such a font, so it comes from the system: Debian's fonts-dejavu-core
(installed with fontconfig, hence with almost any desktop or office package) or
fonts-liberation. On a machine with none of them, it falls back to fpdf2's core Helvetica,
which only knows Latin-1: the text is then reduced to it, accents dropped (Zoë prints as Zoe,
zażółć as zazolc) and what is left outside Latin-1 printed as a question mark.
"""

from __future__ import annotations

import io
import struct
import unicodedata
from datetime import date, datetime
from pathlib import Path

from fpdf import FPDF, FontFace

from dashboard import formats
from dashboard.app.pack_content import (
    AMOUNT,
    CHANGED_FIGURES,
    COUNT,
    DAY,
    PERCENT,
    RATE,
    TEXT,
    ChangedSince,
    Content,
    Figure,
    Table,
    in_unit,
)
from dashboard.language import _

TRUETYPE = Path("/usr/share/fonts/truetype")
FONTS = (  # (regular, bold), the first found is used
    (TRUETYPE / "dejavu/DejaVuSans.ttf", TRUETYPE / "dejavu/DejaVuSans-Bold.ttf"),
    (
        TRUETYPE / "liberation/LiberationSans-Regular.ttf",
        TRUETYPE / "liberation/LiberationSans-Bold.ttf",
    ),
    (TRUETYPE / "noto/NotoSans-Regular.ttf", TRUETYPE / "noto/NotoSans-Bold.ttf"),
)
MARGIN = 12  # mm, on every side
WIDE = 297 - 2 * MARGIN  # the landscape page's width for text
TEXT_SIZE = 8  # points, of tables and notes
SMALL_SIZE = 7  # points, of a table of more than MANY columns
MANY = 10
LEAST_SIZE = 5.5  # points: a table whose words do not fit side by side is made no smaller
LABELS = 34  # mm: the title block's labels, at least
PADDING = 1.2  # mm, inside a table's cell
LONGEST = 70  # mm: a column of text is never made wider
# Latin-1's stand-ins for the punctuation beyond it, and for the letters that no accent
# dropped brings into it (Polish ł), for the core font
_PLAIN = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "…": "...",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "→": "->",
        "ł": "l",
        "Ł": "L",
    }
)


def write(content: Content, pictures: list[tuple[str, bytes]]) -> bytes:
    """The PDF of `content`, with `pictures` (a title and a PNG each) after its tables."""
    pdf = _Document(content)
    pdf.add_page()
    _title(pdf, content)
    if content.changed is not None:  # what the meeting asks first, on a page of its own
        _changed_since(pdf, content.changed)
        pdf.add_page()
    _figures(pdf, content.figures)
    _table(pdf, content.consumption)
    _table(pdf, content.contracts)
    for table in (content.entitlements, content.risks, content.totals):
        pdf.add_page()
        _table(pdf, table)
    pdf.add_page()
    _table(pdf, content.delivered, one_line=True)
    if content.more:
        _note(pdf, content.more)
    for title, png in pictures:
        _picture(pdf, title, png)
    return bytes(pdf.output())


class _Document(FPDF):
    """Landscape A4 with the pack's running head and page numbers, in the first font found."""

    def __init__(self, content: Content) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.content = content
        self.family, self.unicode = _fonts(self)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 4)
        self.set_title(self.plain(_title_text(content)))
        self.set_creator("Customer Activity")

    def plain(self, text: str) -> str:
        """`text` as the font can print it (see the module's docstring)."""
        if self.unicode:
            return text
        text = unicodedata.normalize("NFKD", text.translate(_PLAIN))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        return text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float = TEXT_SIZE, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.font(7)
        self.set_text_color(90)
        said = _("{customer} · renewal meeting pack · data as of {day}").format(
            customer=self.content.customer, day=formats.day(self.content.as_of)
        )
        self.cell(0, 5, self.plain(said))
        self.ln(7)
        self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.font(7)
        self.set_text_color(90)
        # {nb}: fpdf2 puts the number of pages there as it writes the file
        said = _("Page {page} of {pages}").format(page=self.page_no(), pages="{nb}")
        self.cell(0, 5, self.plain(said), align="C")
        self.set_text_color(0)


def _fonts(pdf: FPDF) -> tuple[str, bool]:
    """The family to write in, and whether it prints any Unicode letter."""
    for regular, bold in FONTS:
        if regular.is_file() and bold.is_file():
            pdf.add_font("Pack", "", str(regular))
            pdf.add_font("Pack", "B", str(bold))
            return "Pack", True
    return "Helvetica", False


def _title_text(content: Content) -> str:
    return _("{customer}: renewal meeting pack").format(customer=content.customer)


def _title(pdf: _Document, content: Content) -> None:
    pdf.font(16, bold=True)
    pdf.cell(0, 9, pdf.plain(_title_text(content)))
    pdf.ln(11)
    rows = [(label, _said(value)) for label, value in content.title_lines]
    _grid(pdf, [("", TEXT), ("", TEXT)], rows, widths=_labelled(pdf, rows), lines=False)
    pdf.ln(4)


def _figures(pdf: _Document, figures: tuple[Figure, ...], heading: str | None = None) -> None:
    _heading(pdf, heading or _("Figures"))
    rows = [(f.label, _cell(f.value, f.kind), f.note) for f in figures]
    columns = [(_("Figure"), TEXT), (_("Number"), COUNT), ("", TEXT)]
    _grid(pdf, columns, rows, widths=[78, 18, WIDE - 96])
    pdf.ln(4)


def _changed_since(pdf: _Document, changed: ChangedSince) -> None:
    """What changed since the last meeting's snapshot: which snapshot and the days compared,
    how to read them, the headline lines, then the entitlements, contracts and additional
    cases then and now."""
    _heading(pdf, changed.heading)
    lines = list(changed.lines)
    _grid(pdf, [("", TEXT), ("", TEXT)], lines, widths=_labelled(pdf, lines), lines=False)
    pdf.ln(2)
    for note in changed.notes:
        _note(pdf, note)
    pdf.ln(2)
    if pdf.will_page_break(8 + (4 + 2 * PADDING) * (len(changed.figures) + 1)):
        pdf.add_page()  # the headline lines together, under their heading
    _figures(pdf, changed.figures, _(CHANGED_FIGURES))
    for table in (changed.entitlements, changed.contracts, changed.cases):
        _table(pdf, table)


def _table(pdf: _Document, table: Table, one_line: bool = False) -> None:
    """`table`'s heading, notes and rows; with `one_line`, every cell cut to one line. A table
    that would fit on a page of its own is not split: it starts the next page instead."""
    rows_high = 4 + 2 * PADDING  # a row of one line
    high = 8 + 9 * len(table.notes) + rows_high * (table.rows.height + 2)
    if high < pdf.eph - 10 and pdf.will_page_break(high):
        pdf.add_page()
    _heading(pdf, table.heading)
    for note in table.notes:
        _note(pdf, note)
    if table.rows.is_empty():
        _note(pdf, _("None in this selection."))
        return
    columns = [(c.header, c.kind) for c in table.columns]
    _grid(pdf, columns, _texts(table), one_line=one_line)
    pdf.ln(4)


def _texts(table: Table) -> list[tuple[str, ...]]:
    """`table`'s rows as formats writes their values, a QUANTITY in its row's unit."""
    texts = []
    for row, unit in zip(table.rows.iter_rows(), table.unit_codes(), strict=True):
        cells = zip(row, table.columns, strict=True)
        texts.append(tuple(_cell(value, in_unit(column.kind, unit)) for value, column in cells))
    return texts


def _heading(pdf: _Document, text: str) -> None:
    if pdf.will_page_break(20):  # a heading never ends a page
        pdf.add_page()
    pdf.font(12, bold=True)
    pdf.cell(0, 7, pdf.plain(text))
    pdf.ln(8)


def _note(pdf: _Document, text: str) -> None:
    pdf.font(TEXT_SIZE)
    pdf.multi_cell(0, 4, pdf.plain(text))
    pdf.ln(1.5)


def _grid(
    pdf: _Document,
    columns: list[tuple[str, str]],
    rows: list[tuple[str, ...]],
    widths: list[float] | None = None,
    lines: bool = True,
    one_line: bool = False,
) -> None:
    """A table of `rows` (texts) under `columns` (header and kind; no header row when every
    header is empty), numbers to the right, as wide as its texts need up to the page's width
    (or `widths`, in mm): longer texts wrap, or with `one_line` are cut short."""
    size = _size(pdf, columns, rows) if widths is None else TEXT_SIZE
    pdf.font(size)
    headed = any(header for header, _kind in columns)
    widths = widths or _widths(pdf, columns, rows, size)
    if one_line:
        rows = [tuple(_cut(pdf, t, w) for t, w in zip(row, widths, strict=True)) for row in rows]
    align = tuple("LEFT" if kind in (TEXT, DAY) else "RIGHT" for _header, kind in columns)
    with pdf.table(
        width=sum(widths),
        col_widths=widths,
        align="LEFT",
        text_align=align,
        first_row_as_headings=headed,
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 238, 242)),
        borders_layout="HORIZONTAL_LINES" if lines else "NONE",
        line_height=4,
        padding=PADDING,
    ) as grid:
        if headed:
            heading = grid.row()
            for header, _kind in columns:
                heading.cell(pdf.plain(header))
        for values in rows:
            row = grid.row()
            for place, value in enumerate(values):
                bold = not headed and place == 0  # a title block's labels
                row.cell(pdf.plain(value), style=FontFace(emphasis="BOLD") if bold else None)


def _labelled(pdf: _Document, rows: list[tuple[str, str]]) -> list[float]:
    """The widths of a block of labels (in bold) and their values: the labels' column as wide
    as its longest label (LABELS at least), so that none wraps."""
    pdf.font(TEXT_SIZE, bold=True)
    longest = max((pdf.get_string_width(pdf.plain(label)) for label, _value in rows), default=0)
    labels = max(LABELS, longest + 2 * PADDING + 1)
    return [labels, WIDE - labels]


def _size(pdf: _Document, columns: list[tuple[str, str]], rows: list[tuple]) -> float:
    """The points a table is written in: TEXT_SIZE, SMALL_SIZE with more than MANY columns, and
    smaller still (to LEAST_SIZE) while the longest words of its columns would not fit the
    page side by side (which would break them: a language's headers may be longer)."""
    size = TEXT_SIZE if len(columns) <= MANY else SMALL_SIZE
    while size > LEAST_SIZE and sum(_wanted(pdf, columns, rows, size)[1]) > WIDE:
        size -= 0.5
    return size


def _widths(
    pdf: _Document, columns: list[tuple[str, str]], rows: list[tuple], size: float
) -> list[float]:
    """Each column's width in mm: its longest text (up to LONGEST), and room for its header on
    two lines. When that is wider than the page, the widest text columns are made narrower
    first, to one width, but none below its longest word (see _narrowed)."""
    wants, least = _wanted(pdf, columns, rows, size)
    wants = _narrowed(wants, least)
    scale = min(1, (WIDE - 0.1) / sum(wants))  # what is still too wide, made narrower whole
    return [want * scale for want in wants]


def _wanted(
    pdf: _Document, columns: list[tuple[str, str]], rows: list[tuple], size: float
) -> tuple[list[float], list[float]]:
    """Each column's width in mm as _widths wants it, and the least it may be made: its
    longest word (header or text) for a column of text, the width it wants for any other."""
    room = 2 * PADDING + 1
    wants, least = [], []
    for place, (header, kind) in enumerate(columns):
        pdf.font(size, bold=True)
        words = [pdf.get_string_width(pdf.plain(w)) for w in header.split()] or [0]
        heading = max(max(words), pdf.get_string_width(pdf.plain(header)) / 2)
        pdf.font(size)
        texts = [pdf.plain(row[place]) for row in rows]
        longest = max((pdf.get_string_width(t) for t in texts), default=0)
        wants.append(max(heading, min(longest, LONGEST)) + room)
        word = max((pdf.get_string_width(w) for t in texts for w in t.split()), default=0)
        least.append(min(max(max(words), word) + room, wants[-1]) if kind == TEXT else wants[-1])
    return wants, least


def _narrowed(wants: list[float], least: list[float]) -> list[float]:
    """`wants` with every width above a cap brought down to it (or to its `least`), the cap
    the widest that makes them fit the page; unchanged when they fit already."""
    if sum(wants) <= WIDE:
        return wants
    low, high = 0.0, max(wants)
    for _step in range(40):  # halving the interval: a hundredth of a millimetre in 40 steps
        cap = (low + high) / 2
        fitted = [min(want, max(cap, floor)) for want, floor in zip(wants, least, strict=True)]
        low, high = (cap, high) if sum(fitted) <= WIDE else (low, cap)
    return [min(want, max(low, floor)) for want, floor in zip(wants, least, strict=True)]


def _cut(pdf: _Document, text: str, width: float) -> str:
    """`text` cut short with an ellipsis to fit one line of a cell `width` mm wide."""
    room = width - 2 * PADDING - 0.5
    if pdf.get_string_width(pdf.plain(text)) <= room:
        return text
    while text and pdf.get_string_width(pdf.plain(text + "…")) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _cell(value: object, kind: str) -> str:
    """A cell's value as formats writes it (empty when there is none)."""
    if value is None:
        return ""
    if kind == TEXT:
        return str(value)
    writers = {
        AMOUNT: formats.amount,
        COUNT: lambda n: formats.number(round(n)),
        PERCENT: formats.percent,
        DAY: formats.day,
        RATE: formats.rate,
    }
    return writers[kind](value)


def _said(value: object) -> str:
    """A title block's value as formats writes it."""
    if isinstance(value, datetime):
        return formats.moment(value) or ""
    if isinstance(value, date):
        return formats.day(value)
    return str(value)


def _picture(pdf: _Document, title: str, png: bytes) -> None:
    """A chart's picture under its title, on the next page when it does not fit on this one,
    made smaller when it would not fit on a page."""
    width_px, height_px = struct.unpack(">II", png[16:24])  # the PNG header's size
    width = min(WIDE * 0.8, width_px / 2 * 0.3)  # at most about 0.3 mm a pixel of the chart
    height = width * height_px / width_px
    tallest = pdf.h - 2 * MARGIN - 30
    if height > tallest:
        width, height = width * tallest / height, tallest
    if pdf.will_page_break(height + 10):
        pdf.add_page()
    _heading(pdf, title)
    pdf.image(io.BytesIO(png), w=width, h=height)
    pdf.ln(4)
