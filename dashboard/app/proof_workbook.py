"""Proof of delivery as a workbook, for the customer: a title block, the totals per category,
each entitlement against what was purchased and the notes on one sheet; the items on the next,
headed in words. In the run's language (dashboard.language): its sheets, headings, headers,
units and days (the title block and the notes come in it from the page)."""

from __future__ import annotations

import io

import polars as pl
import xlsxwriter

from dashboard import export, words
from dashboard.formats import XLSX_AMOUNT, XLSX_COUNT
from dashboard.language import N_, _

UNLIMITED = N_("unlimited")
# the workbook's totals, headed in words (translated where shown, as the others below)
TOTALS_HEADERS = {
    "category": N_("Category"),
    "quantity": N_("Quantity"),
    "unit": N_("Unit"),
    "items": N_("Items"),
    "hours_delivered": N_("Hours delivered"),
    "no_package": N_("Of which no package"),
    "hidden": N_("Items hidden from you"),
}
# each entitlement against what was purchased: the name and its figures first, for a phone
ENTITLEMENT_HEADERS = {
    "name": N_("Entitlement"),
    "purchased": N_("Purchased"),
    "used": N_("Used"),
    "scheduled": N_("Scheduled"),
    "remaining": N_("Remaining"),
    "unit": N_("Unit"),
    "package_name": N_("Package"),
}
# the items' columns, headed in words
DELIVERED_HEADERS = {
    "category": N_("Category"),
    "day": N_("Date"),
    "quantity": N_("Quantity"),
    "unit": N_("Unit"),
    "hours_delivered": N_("Hours delivered"),
    "item": N_("Item"),
    "reference": N_("Reference"),
    "package_name": N_("Package"),
    "contract": N_("Contract"),
}


def proof_workbook(
    title: list[tuple[str, object]],
    totals: pl.DataFrame,
    entitlements: pl.DataFrame,
    notes: list[str],
    delivered: pl.DataFrame,
) -> bytes:
    """The proof as a workbook: on `totals`, the title block, the totals per category, each
    entitlement against what was purchased and the notes; on `delivered`, the items."""
    buffer = io.BytesIO()
    options = {"constant_memory": True, "remove_timezone": True}
    with xlsxwriter.Workbook(buffer, options) as book:
        sheet = book.add_worksheet(_("Totals"))
        formats = {**export.title_formats(book), **_table_formats(book)}
        row = export.title_block(sheet, formats, title, _("Proof of delivery"))
        row = _table(sheet, formats, row, _("Totals per category"), _totals_cells(totals))
        row = _table(
            sheet,
            formats,
            row,
            _("Against what was purchased"),
            _entitlement_cells(entitlements),
        )
        for note in notes:
            sheet.write_string(row, 0, _neutral(note))
            row += 1
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 6, 14)
        export.write_sheet(book, _("Delivered"), [_worded(delivered)])
    return buffer.getvalue()


def headers(names: dict[str, str]) -> dict[str, str]:
    """`names` (a column -> its header, as above) with the headers in the run's language."""
    return {column: _(header) for column, header in names.items()}


def _units_worded(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its units, if it has them, as words in the run's language."""
    if frame.schema.get("unit") != pl.String:
        return frame
    return frame.with_columns(pl.col("unit").replace(words.units()))


def _totals_cells(totals: pl.DataFrame) -> list[list]:
    """The totals per category as a table's rows, headed in words."""
    shown = export.neutralise(_units_worded(export.named(totals.select(list(TOTALS_HEADERS)))))
    return [list(headers(TOTALS_HEADERS).values()), *map(list, shown.iter_rows())]


def _entitlement_cells(entitlements: pl.DataFrame) -> list[list]:
    """Each entitlement against what was purchased as a table's rows, headed in words, its
    figures as numbers, and `unlimited` where nothing was purchased."""
    rows = [list(headers(ENTITLEMENT_HEADERS).values())]
    unlimited = _(UNLIMITED)
    for row in export.neutralise(_units_worded(entitlements)).iter_rows(named=True):
        rows.append([unlimited if row[c] is None else row[c] for c in ENTITLEMENT_HEADERS])
    return rows


def _neutral(text: str) -> str:
    """One text neutralised as a cell's is (see export.neutralise)."""
    return export.neutralise(pl.DataFrame({"text": [text]})).item()


def _table(sheet, formats: dict, row: int, heading: str, cells: list[list]) -> int:
    """A heading, a header row and typed rows from `row` on; returns the row after a blank."""
    sheet.write_string(row, 0, heading, formats["bold"])
    for col, name in enumerate(cells[0]):
        sheet.write_string(row + 1, col, name, formats["header"])
    row += 2
    for values in cells[1:]:
        for col, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(row, col, value)
            elif isinstance(value, int):
                sheet.write_number(row, col, value, formats["count"])
            elif isinstance(value, float):
                sheet.write_number(row, col, value, formats["amount"])
        row += 1
    return row + 1


def _worded(delivered: pl.DataFrame) -> pl.DataFrame:
    """The items with their headers and units in words, in the order the page lists them."""
    shown = [name for name in DELIVERED_HEADERS if name in delivered.columns]
    named = headers(DELIVERED_HEADERS)
    return _units_worded(delivered.select(shown)).rename({name: named[name] for name in shown})


def _table_formats(book: xlsxwriter.Workbook) -> dict[str, object]:
    return {
        "bold": book.add_format({"bold": True}),
        "header": book.add_format({"bold": True, "bottom": 1}),
        "count": book.add_format({"num_format": XLSX_COUNT}),
        "amount": book.add_format({"num_format": XLSX_AMOUNT}),
    }
