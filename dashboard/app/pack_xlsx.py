"""The meeting pack as a workbook: a title block on every sheet (the first, when the last
meeting kept a snapshot, what changed since it), then its tables with numbers
and days stored as numbers and days in formats' Excel forms, and native Excel charts that read
their figures from the workbook's cells (the package timeline, which Excel cannot draw, as a
picture). It speaks the run's language: its sheets, headings and notes, and its days in the
language's Excel form (formats.xlsx_day); Excel shows its numbers with the reader's own
separators."""

from __future__ import annotations

import io
import itertools
from dataclasses import replace

import polars as pl
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from dashboard import export, formats, words
from dashboard.app import charts
from dashboard.app.pack_content import (
    AMOUNT,
    CHANGED_FIGURES,
    COUNT,
    DAY,
    PERCENT,
    QUANTITY,
    RATE,
    TEXT,
    ChangedSince,
    Column,
    Content,
    Figure,
    Table,
    bars_title,
    in_unit,
)
from dashboard.language import N_, _

TITLE = N_("Renewal meeting pack")
WIDEST = 50  # characters a column is made wide for; longer text runs on or is cut on screen
# the consumption bars' parts: the column of _segments, the legend's name and the colour, as
# Enterprise-wide draws them (dashboard.app.charts)
SEGMENTS = (
    ("used", N_("Used"), "#0072B2"),
    ("scheduled", N_("Scheduled"), "#56B4E9"),
    ("remaining", N_("Remaining"), "#D9D9D9"),
    ("over_by", N_("Over by"), "#D55E00"),
    ("no_limit", N_("Used with no limit"), "#003C64"),
)
BAR_PIXELS = 34  # of a chart's height, per bar
ROW_PIXELS = 20  # a spreadsheet row's height


def write(content: Content, timeline_png: bytes | None) -> bytes:
    """The workbook of `content`; `timeline_png` is the package timeline's picture, if any."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    styles = _Styles(book)
    if content.changed is not None:  # the first sheet: the workbook opens on it
        _changed_since(book, styles, content, content.changed)
    _summary(book, styles, content)
    delivered = replace(content.delivered, notes=(*content.delivered.notes, content.more))
    for table in (content.entitlements, content.risks, content.totals, delivered):
        sheet = book.add_worksheet(table.sheet)
        row = _titled(sheet, styles, content, table.heading)
        filtered = table.sheet != content.totals.sheet  # its total row is no item to filter
        _after, widths = _table(sheet, styles, row, table, filtered)
        _size(sheet, widths)
    _charts(book, styles, content, timeline_png)
    book.close()
    return buffer.getvalue()


class _Styles:
    """The workbook's formats, made once (a workbook holds a limited number of them)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.block = export.title_formats(book)
        self.heading = book.add_format({"bold": True, "font_size": 13})
        header = {"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"}
        # text a step in from the edge: a number or day to its left ends at that edge
        self.header = book.add_format({**header, "indent": 1})
        self.first_header = book.add_format(header)
        self.number_header = book.add_format({**header, "align": "right"})  # over its numbers
        self.text = book.add_format({"indent": 1})
        self.note = book.add_format({"italic": True, "text_wrap": True, "valign": "top"})
        self.label = book.add_format({"bold": True})
        self.kinds = {
            AMOUNT: book.add_format({"num_format": formats.XLSX_AMOUNT}),
            COUNT: book.add_format({"num_format": formats.XLSX_COUNT}),
            PERCENT: book.add_format({"num_format": formats.XLSX_PERCENT}),
            DAY: book.add_format({"num_format": formats.xlsx_day()}),
            RATE: book.add_format({"num_format": formats.XLSX_RATE}),
        }

    def over(self, kind: str, col: int):
        """The header's format over a column of `kind`, the `col`th: aligned as its cells."""
        if kind != TEXT:
            return self.number_header
        return self.header if col else self.first_header


def _titled(sheet: Worksheet, styles: _Styles, content: Content, heading: str) -> int:
    """The sheet's title block; returns the row its content starts at. The sheet prints on
    landscape A4, a page wide."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    return export.title_block(sheet, styles.block, content.title_lines, f"{_(TITLE)} · {heading}")


def _table(
    sheet: Worksheet, styles: _Styles, row: int, table: Table, filtered: bool = False
) -> tuple[int, list[int]]:
    """`table` from `row`: its heading, notes, header and rows, each cell typed. With
    `filtered`, its header gets Excel's filter buttons (to add up a category, a contract).
    Returns the row after it and a blank row, and the characters each column wants."""
    rows = export.neutralise(table.rows)
    widths = [_wants(column, rows.get_column(column.source)) for column in table.columns]
    sheet.write_string(row, 0, table.heading, styles.heading)
    header = _notes(sheet, styles, row + 1, table.notes, widths)
    for col, column in enumerate(table.columns):
        sheet.write_string(header, col, column.header, styles.over(column.kind, col))
    # Excel does not fit a row to wrapped text: as high as the header with the most lines
    lines = [_lines(column, width + 1) for column, width in zip(table.columns, widths, strict=True)]
    sheet.set_row(header, 15 * max(lines))
    units = table.unit_codes()
    for col, column in enumerate(table.columns):
        values = rows.get_column(column.source).to_list()
        for place, value in enumerate(values):
            unit = units[place]
            _cell(sheet, styles, header + 1 + place, col, value, in_unit(column.kind, unit))
    if rows.is_empty():
        sheet.write_string(header + 1, 0, _("None in this selection."))
    elif filtered:
        sheet.autofilter(header, 0, header + rows.height, len(table.columns) - 1)
        sheet.repeat_rows(header)  # on every printed page of a long list
    return header + max(rows.height, 1) + 2, widths


def _cell(sheet: Worksheet, styles: _Styles, row: int, col: int, value, kind: str) -> None:
    if value is None:
        return
    if kind == TEXT:
        sheet.write_string(row, col, str(value), styles.text if col else None)
    elif kind == DAY:
        sheet.write_datetime(row, col, value, styles.kinds[DAY])
    else:
        sheet.write_number(row, col, value, styles.kinds[kind])


def _notes(sheet: Worksheet, styles: _Styles, row: int, notes, widths: list[int]) -> int:
    """Each of `notes` wrapped across the columns of `widths` (characters; six at least), its
    row as high as its lines; returns the row after them."""
    widths = [*widths, *[10] * (6 - len(widths))]
    line = sum(widths) + 2 * len(widths)  # the characters a line of the merged cells holds
    for note in filter(None, notes):
        sheet.merge_range(row, 0, row, len(widths) - 1, "", styles.note)
        sheet.write_string(row, 0, note, styles.note)
        sheet.set_row(row, 15 * (len(note) // line + 1))  # Excel does not fit merged cells
        row += 1
    return row


def _wants(column: Column, values: pl.Series) -> int:
    """How many characters wide `column` wants to be: its header's longest word and its
    longest text (up to WIDEST), or a number's or day's width; bold letters are wider."""
    header = max(len(word) for word in column.header.split()) + 2
    if column.kind == TEXT:
        longest = values.cast(pl.String).str.len_chars().max() or 0
        return max(header, min(longest, WIDEST))
    return max(header, 12)


def _lines(column: Column, width: int) -> int:
    """The lines `column`'s header wraps to in a column `width` characters wide (one less than
    _size makes it: bold letters are wider), its words put on a line while they fit."""
    lines, used = 1, 0
    for word in column.header.split():
        wanted = len(word) + 1 if used else len(word)
        if used and used + wanted > width:
            lines, used = lines + 1, len(word)
        else:
            used += wanted
    return lines


def _size(sheet: Worksheet, widths: list[int], first: int = 16) -> None:
    """Columns as wide as they want; the first also as wide as the title block's labels."""
    for col, width in enumerate(widths):
        sheet.set_column(col, col, max(width, first if col == 0 else 8) + 2)


def _figures(
    sheet: Worksheet,
    styles: _Styles,
    row: int,
    figures: tuple[Figure, ...],
    heading: str | None = None,
) -> int:
    """The headline `figures` under `heading` from `row`, each a label, its number beside it
    and its note after that; returns the last row written."""
    sheet.write_string(row, 0, heading or _("Figures"), styles.heading)
    for figure in figures:
        row += 1
        sheet.write_string(row, 0, figure.label, styles.label)
        kind = styles.block["count"] if figure.kind == COUNT else styles.kinds[figure.kind]
        sheet.write_number(row, 1, figure.value, kind)  # by its label
        if figure.note:
            sheet.write_string(row, 2, figure.note)
    return row


def _summary(book: xlsxwriter.Workbook, styles: _Styles, content: Content) -> None:
    sheet = book.add_worksheet(content.consumption.sheet)
    row = _titled(sheet, styles, content, sheet.name)
    row = _figures(sheet, styles, row, content.figures)
    row, widths = _table(sheet, styles, row + 2, content.consumption)
    _after, contracts = _table(sheet, styles, row, content.contracts)
    longest = max(len(figure.label) for figure in content.figures)
    widths = [max(pair) for pair in itertools.zip_longest(widths, contracts, fillvalue=0)]
    _size(sheet, widths, first=longest)


def _changed_since(
    book: xlsxwriter.Workbook, styles: _Styles, content: Content, changed: ChangedSince
) -> None:
    """The sheet of what changed since the last meeting's snapshot: which snapshot and the days
    compared, how to read them, the headline lines, then the entitlements, contracts and
    additional cases then and now."""
    tables = (changed.entitlements, changed.contracts, changed.cases)
    widths = [
        max(pair)
        for pair in itertools.zip_longest(*(_widths(table) for table in tables), fillvalue=0)
    ]
    sheet = book.add_worksheet(changed.entitlements.sheet)
    row = _titled(sheet, styles, content, sheet.name)
    sheet.write_string(row, 0, changed.heading, styles.heading)
    for label, value in changed.lines:
        row += 1
        sheet.write_string(row, 0, label, styles.label)
        sheet.write_string(row, 1, value)
    row = _notes(sheet, styles, row + 1, changed.notes, widths) + 1
    row = _figures(sheet, styles, row, changed.figures, _(CHANGED_FIGURES)) + 2
    for table in tables:
        row, _widths_of = _table(sheet, styles, row, table)
    labels = [label for label, _value in changed.lines] + [f.label for f in changed.figures]
    _size(sheet, widths, first=max(len(label) for label in labels))


def _widths(table: Table) -> list[int]:
    """The characters each of `table`'s columns wants (see _wants)."""
    rows = export.neutralise(table.rows)
    return [_wants(column, rows.get_column(column.source)) for column in table.columns]


PARTS = N_(
    "Each bar's parts: used and scheduled up to what was purchased, what is left of it, how far "
    "past it use went (over by), and use on entitlements with no purchased quantity. They add "
    "up to purchased, plus over by, plus the use with no limit."
)
# said under the package timeline's heading, above its picture
TIMELINE_NOTE = N_(
    "Every package of the contracts in view; the dashed line is the data's as-of day."
)


def _charts(
    book: xlsxwriter.Workbook, styles: _Styles, content: Content, timeline_png: bytes | None
) -> None:
    """Consumption against purchased per unit, as native stacked bars under a table of their
    parts, then the package timeline."""
    sheet = book.add_worksheet(_("Charts"))
    row = _titled(sheet, styles, content, sheet.name)
    segments = _segments(content.consumption_rows)
    if segments.is_empty():
        nothing = _("No active enterprise package in this selection to chart.")
        sheet.write_string(row, 0, nothing)
        row += 2
    else:
        row = _notes(sheet, styles, row, (_(PARTS),), [28, *[14] * len(SEGMENTS)]) + 1
    for unit in charts.units(segments) if not segments.is_empty() else []:
        row = _unit_chart(book, sheet, styles, row, segments.filter(pl.col("unit") == unit))
    if timeline_png:
        title = _("When packages end")
        sheet.write_string(row, 0, title, styles.heading)
        sheet.write_string(row + 1, 0, _(TIMELINE_NOTE))
        picture = {"image_data": io.BytesIO(timeline_png), "x_scale": 0.5, "y_scale": 0.5}
        sheet.insert_image(row + 2, 0, f"{title}.png", picture)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, len(SEGMENTS), 14)


def _unit_chart(
    book: xlsxwriter.Workbook, sheet: Worksheet, styles: _Styles, row: int, rows: pl.DataFrame
) -> int:
    """One unit's table of bar parts and its stacked-bar chart under it, drawn from that
    table's cells; returns the row after them."""
    unit = rows.item(0, "unit")
    heading = bars_title(unit)
    sheet.write_string(row, 0, heading, styles.heading)
    row += 1
    sheet.write_string(row, 0, _("Category"), styles.over(TEXT, 0))
    present = [s for s in SEGMENTS if s[0] != "no_limit" or rows.get_column(s[0]).sum() > 0]
    kind = in_unit(QUANTITY, unit)
    for col, (source, name, _colour) in enumerate(present, start=1):
        sheet.write_string(row, col, _(name), styles.over(AMOUNT, col))
        sheet.write_column(row + 1, col, rows.get_column(source).to_list(), styles.kinds[kind])
    for place, category in enumerate(rows.get_column("category")):
        sheet.write_string(row + 1 + place, 0, category)
    first, last = row + 1, row + rows.height
    chart = _bars(book, sheet.name, (first, last), present, heading)
    number = formats.XLSX_COUNT if kind == COUNT else formats.XLSX_AMOUNT
    gridlines = {"visible": True, "line": {"color": "#E5E5E5"}}
    axis = {"name": words.unit(unit), "num_format": number, "major_gridlines": gridlines}
    chart.set_x_axis(axis)
    height = 140 + BAR_PIXELS * rows.height
    chart.set_size({"width": 760, "height": height})
    sheet.insert_chart(last + 2, 0, chart)
    return last + 3 + height // ROW_PIXELS + 1


def _bars(book: xlsxwriter.Workbook, sheet: str, rows: tuple[int, int], present, title: str):
    """A stacked-bar chart of the `present` parts, each read from its column of `sheet`'s
    `rows` (first and last), the categories from the first column."""
    first, last = rows
    chart = book.add_chart({"type": "bar", "subtype": "stacked"})
    for col, (_source, name, colour) in enumerate(present, start=1):
        series = {
            "name": _(name),
            "categories": [sheet, first, 0, last, 0],
            "values": [sheet, first, col, last, col],
            "fill": {"color": colour},
            "border": {"color": "#FFFFFF"},
            "gap": 60,
        }
        chart.add_series(series)
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    # the first category on top, and the amounts' axis kept at the bottom
    chart.set_y_axis({"reverse": True, "crossing": "max"})
    chart.set_legend({"position": "top"})
    return chart


def _segments(consumption: pl.DataFrame) -> pl.DataFrame:
    """The parts of each category's bar, as Enterprise-wide draws them: used and scheduled up
    to what was purchased, what is left of it, how far past it they went, and the use on
    entitlements with no purchased quantity. The parts add up to purchased, plus over-by,
    plus the use with no limit."""
    over = pl.col("overage").fill_null(0)
    used = pl.col("used") - pl.col("used_without_limit")
    scheduled = pl.col("scheduled") - pl.col("scheduled_without_limit")
    return export.named(consumption).select(
        "category",
        "unit",
        (used - (over - scheduled).clip(lower_bound=0)).clip(lower_bound=0).alias("used"),
        (scheduled - over).clip(lower_bound=0).alias("scheduled"),
        pl.col("remaining").clip(lower_bound=0).fill_null(0).alias("remaining"),
        over.alias("over_by"),
        (pl.col("used_without_limit") + pl.col("scheduled_without_limit")).alias("no_limit"),
    )
