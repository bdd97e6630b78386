"""export.title_block, the title block of the meeting pack's sheets that other workbooks may
use: each value written as what it is, text neutralised, the content's row returned."""

import io
from datetime import UTC, date, datetime, timedelta, timezone

import openpyxl
import xlsxwriter

from dashboard import export, formats


def test_a_title_block_writes_each_value_as_what_it_is():
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as book:
        sheet = book.add_worksheet("Proof")
        lines = [
            ("Customer", "Acme Corporation"),
            ("Data as of", date(2026, 6, 30)),
            ("Made", datetime(2026, 7, 1, 11, 30, tzinfo=timezone(timedelta(hours=2)))),
            ("Items", 1049),
            ("Hours", 39.5),
            ("Note", '=HYPERLINK("https://evil.example")'),
            ("Renewed", True),
            ("Nothing", None),
        ]
        after = export.title_block(sheet, export.title_formats(book), lines, "Proof of delivery")
        sheet.write_string(after, 0, "content")
    sheet = openpyxl.load_workbook(buffer)["Proof"]
    rows = list(sheet.iter_rows(max_col=2))
    # numbers and days across three columns, so that none shows ### in a narrow column
    assert {str(merged) for merged in sheet.merged_cells.ranges} == {
        "B3:D3", "B4:D4", "B5:D5", "B6:D6"
    }  # fmt: skip
    assert after == 1 + len(lines) + 1  # the title, a row a line, a blank row
    assert rows[0][0].value == "Proof of delivery" and rows[0][0].font.b
    found = {label.value: value for label, value in rows[1 : after - 1]}
    assert all(label.font.b for label, _ in rows[1 : after - 1])
    assert found["Customer"].value == "Acme Corporation"
    assert (found["Data as of"].value, found["Data as of"].number_format) == (
        datetime(2026, 6, 30), formats.xlsx_day()
    )  # fmt: skip
    # written in UTC, as formats.moment says it: 14 Dec 2026, 09:30 UTC
    assert found["Made"].value == datetime(2026, 7, 1, 9, 30)
    assert found["Made"].number_format == formats.xlsx_moment() == 'd mmm yyyy, hh:mm "UTC"'
    assert (found["Items"].value, found["Items"].number_format) == (1049, formats.XLSX_COUNT)
    assert (found["Hours"].value, found["Hours"].number_format) == (39.5, formats.XLSX_AMOUNT)
    assert found["Note"].value == '\'=HYPERLINK("https://evil.example")'  # never a formula
    assert found["Renewed"].value == "Yes"
    assert found["Nothing"].value is None
    assert rows[after - 1][0].value is None and rows[after][0].value == "content"


def test_a_title_block_without_a_title_starts_on_the_first_row():
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as book:
        sheet = book.add_worksheet()
        made = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
        after = export.title_block(sheet, export.title_formats(book), [("Made", made)])
    assert after == 2
    cell = openpyxl.load_workbook(buffer).active["A1"]
    assert cell.value == "Made"
