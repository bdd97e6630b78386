"""Proof of delivery as a workbook, for the customer: a title block, the totals per category,
each entitlement against what was purchased and the notes on one sheet; the items on the next,
headed in words."""

from __future__ import annotations

import io

import polars as pl
import xlsxwriter

from dashboard import export
from dashboard.formats import XLSX_AMOUNT, XLSX_COUNT

UNLIMITED = "unlimited"
# the workbook's totals, headed in words
TOTALS_HEADERS = {
    "category": "Category",
    "quantity": "Quantity",
    "unit": "Unit",
    "items": "Items",
    "hours_delivered": "Hours delivered",
    "no_package": "Of which no package",
    "hidden": "Items hidden from you",
}
# each entitlement against what was purchased: the name and its figures first, for a phone
ENTITLEMENT_HEADERS = {
    "name": "Entitlement",
    "purchased": "Purchased",
    "used": "Used",
    "scheduled": "Scheduled",
    "remaining": "Remaining",
    "unit": "Unit",
    "package_name": "Package",
}
# the items' columns, headed in words
DELIVERED_HEADERS = {
    "category": "Category",
    "day": "Date",
    "quantity": "Quantity",
    "unit": "Unit",
    "hours_delivered": "Hours delivered",
    "item": "Item",
    "reference": "Reference",
    "package_name": "Package",
    "contract": "Contract",
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
        sheet = book.add_worksheet("Totals")
        formats = {**export.title_formats(book), **_table_formats(book)}
        row = export.title_block(sheet, formats, title, "Proof of delivery")
        row = _table(sheet, formats, row, "Totals per category", _totals_cells(totals))
        row = _table(
            sheet, formats, row, "Against what was purchased", _entitlement_cells(entitlements)
        )
        for note in notes:
            sheet.write_string(row, 0, _neutral(note))
            row += 1
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 6, 14)
        export.write_sheet(book, "Delivered", [_worded(delivered)])
    return buffer.getvalue()


def _totals_cells(totals: pl.DataFrame) -> list[list]:
    """The totals per category as a table's rows, headed in words."""
    shown = export.neutralise(export.named(totals.select(list(TOTALS_HEADERS))))
    return [list(TOTALS_HEADERS.values()), *map(list, shown.iter_rows())]


def _entitlement_cells(entitlements: pl.DataFrame) -> list[list]:
    """Each entitlement against what was purchased as a table's rows, headed in words, its
    figures as numbers, and `unlimited` where nothing was purchased."""
    rows = [list(ENTITLEMENT_HEADERS.values())]
    for row in export.neutralise(entitlements).iter_rows(named=True):
        rows.append([UNLIMITED if row[c] is None else row[c] for c in ENTITLEMENT_HEADERS])
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
    """The items with their headers in words, in the order the page lists them."""
    shown = [name for name in DELIVERED_HEADERS if name in delivered.columns]
    return delivered.select(shown).rename({name: DELIVERED_HEADERS[name] for name in shown})


def _table_formats(book: xlsxwriter.Workbook) -> dict[str, object]:
    return {
        "bold": book.add_format({"bold": True}),
        "header": book.add_format({"bold": True, "bottom": 1}),
        "count": book.add_format({"num_format": XLSX_COUNT}),
        "amount": book.add_format({"num_format": XLSX_AMOUNT}),
    }
