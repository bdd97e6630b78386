"""Tables out as CSV or xlsx, shared by the download buttons and the export CLI.

A text cell that a spreadsheet would run as a formula is neutralised with an apostrophe: one that
starts with =, +, -, @, tab or carriage return (after any spaces) gets it at its start, and one
that holds such a character after a comma or semicolon (and any spaces) gets it right after that
separator too, since a spreadsheet that splits on that separator would start a cell there.
In a CSV every text cell, the header's included, is also quoted, so that no separator inside it
splits it; numbers, dates and booleans are left unquoted and keep their types, and a null is an
empty field. In an xlsx text is written as text, never as a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import BinaryIO

import polars as pl
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from dashboard import headers as headers_of
from dashboard import words
from dashboard.formats import XLSX_AMOUNT, XLSX_COUNT, xlsx_day, xlsx_moment

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = (",", ";")  # the CSV separators of spreadsheets, by locale
BOM = "\ufeff".encode()
_PREFIX = "[" + re.escape("".join(FORMULA_PREFIXES)) + "]"
_SEPARATOR = "[" + re.escape("".join(SEPARATORS)) + "]"
# the start of the cell or a separator, any spaces, then a formula's first character; as no
# separator is such a character, one pass of replace_all finds every place
_FORMULA = f"(^|{_SEPARATOR})( *)({_PREFIX})"


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with an apostrophe put at the start of every text cell that a spreadsheet would
    run as a formula, and after every comma or semicolon in it that a formula would follow (see
    the module's docstring). Categorical columns come back as text, neutralised too."""
    text = [name for name, dtype in frame.schema.items() if _is_text(dtype)]
    return frame.with_columns(_neutralised(pl.col(name).cast(pl.String)) for name in text)


def _is_text(dtype: pl.DataType) -> bool:
    return dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum)


def _neutralised(text: pl.Expr) -> pl.Expr:
    return text.str.replace_all(_FORMULA, "${1}'${2}${3}")


def csv_bytes(frame: pl.DataFrame, *, bom: bool = True) -> bytes:
    """UTF-8 CSV; the byte-order mark makes spreadsheets read it as UTF-8."""
    return (BOM if bom else b"") + _csv_text(frame, header=True).encode("utf-8")


def write_csv(frames: Iterable[pl.DataFrame], out: BinaryIO, *, bom: bool = True) -> int:
    """Write `frames` (parts of one table, at least one) to `out` as the one CSV that
    csv_bytes gives for them together, a part at a time; return how many rows it holds."""
    if bom:
        out.write(BOM)
    rows = 0
    for part, frame in enumerate(frames):
        out.write(_csv_text(frame, header=part == 0).encode("utf-8"))
        rows += frame.height
    return rows


def zipped_csv(frames: Iterable[pl.DataFrame], name: str) -> bytes:
    """A zip archive holding `frames` as one CSV file called `name` (see write_csv): about a
    fifth of the CSV's size, for a long list's download."""
    buffer = io.BytesIO()
    # the fastest level: the default one makes a long list's zip a little smaller but takes
    # much longer, while the person who asked for it waits
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open(name, "w", force_zip64=True) as out:
            write_csv(frames, out)
    return buffer.getvalue()


def _csv_text(frame: pl.DataFrame, header: bool) -> str:
    """Rows of `frame` as CSV, neutralised, its text quoted (polars quotes all of a frame or only
    where needed, and its "non_numeric" quotes dates and booleans too: text is quoted here)."""
    frame = neutralise(frame)
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    body = frame.with_columns(_quoted(pl.col(name)).alias(name) for name in text).write_csv(
        include_header=False,
        quote_style="never",
        date_format="%Y-%m-%d",
        datetime_format="%Y-%m-%dT%H:%M:%SZ",
        null_value="",
    )
    if not header:
        return body
    # a column's name may come from the data (a pivot's), so it is text like any cell's
    names = pl.Series(frame.columns, dtype=pl.String).to_frame("name")
    names = names.select(_quoted(_neutralised(pl.col("name")))).to_series().to_list()
    return ",".join(names) + "\n" + body


def _quoted(text: pl.Expr) -> pl.Expr:
    """Text in double quotes, a quote inside doubled; a null stays null (an empty field)."""
    return '"' + text.str.replace_all('"', '""', literal=True) + '"'


def xlsx_bytes(frame: pl.DataFrame, sheet: str = "data") -> bytes:
    """One sheet with a bold header row, typed cells and the header frozen."""
    return workbook_bytes({sheet: frame})


WORDED = (
    "case_type",
    "status",
    "record",
    "kind",
    "pace_note",
)  # lower-case codes and notes, read as words


def named(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` as what a person reads shows it (pages, their downloads, the meeting pack; not the
    command line's export, which gives a query's values as they are), in the run's language:
    categories and units named in words ("Reactive support" for reactive), and the codes of `WORDED`
    columns as words ("Not started" for not_started)."""
    named = [worded(pl.col(name)) for name in WORDED if frame.schema.get(name) == pl.String]
    if frame.schema.get("category") == pl.String:
        named.append(pl.col("category").replace(words.categories()))
    if frame.schema.get("unit") == pl.String:
        named.append(pl.col("unit").replace(words.units()))
    return frame.with_columns(named) if named else frame


def worded(code: pl.Expr) -> pl.Expr:
    """A code as a word: not_started -> Not started, open -> Open (see dashboard.words)."""
    return words.worded(code)


def header(column: str) -> str:
    """`column`'s header in the run's language, for a file made for people (the export's
    --headers human, its xlsx in a --lang): the one the pages' tables give it."""
    return headers_of.header(column)


def headers(columns: Sequence[str]) -> dict[str, str]:
    """Each of `columns` -> its header (see `header`); a header that two columns would share
    (day and date are both "Date") gets the column's name after it, so that each stays apart."""
    said = [header(column) for column in columns]
    return {
        column: f"{text} ({column})" if said.count(text) > 1 else text
        for column, text in zip(columns, said, strict=True)
    }


def workbook_bytes(sheets: dict[str, pl.DataFrame]) -> bytes:
    """One workbook with a sheet per frame, in order (see write_workbook)."""
    buffer = io.BytesIO()
    write_workbook({name: [frame] for name, frame in sheets.items()}, buffer)
    return buffer.getvalue()


def write_workbook(sheets: dict[str, Iterable[pl.DataFrame]], out: str | BinaryIO) -> None:
    """A workbook with a sheet per entry of `sheets`, in order, of the rows of its frames (parts
    of one table, at least one; see write_sheet), to `out`. Written a row at a time in
    xlsxwriter's constant-memory mode, which keeps one row, not every cell: a list of millions
    is held a part at a time, as its CSV is."""
    options = {"constant_memory": True, "remove_timezone": True}
    with xlsxwriter.Workbook(out, options) as workbook:
        for name, parts in sheets.items():
            write_sheet(workbook, name, parts)


SHEET_ROWS = 1_048_575  # a spreadsheet's rows, less the header
# the items a workbook made in the app lists at most: a workbook is written a row at a time,
# about 12,000 rows a second (the whole of a list is in its CSV download)
WORKBOOK_ROWS = 100_000


def write_sheet(workbook: xlsxwriter.Workbook, sheet: str, parts: Iterable[pl.DataFrame]) -> None:
    """Write the rows of `parts` (frames of one table, at least one), neutralised, to a new sheet
    of `workbook`, a row at a time: a bold header row, typed cells, columns as wide as their
    text (up to 60 characters) and the header frozen. More rows than a sheet holds continue on
    sheets named `sheet (2)`, `sheet (3)`..., so that no row is lost."""
    pages = _Pages(workbook, sheet)
    for frame in parts:
        frame = neutralise(frame)
        pages.columns = pages.columns or frame.columns
        pages.widen([_widest(frame.to_series(n)) for n in range(frame.width)])
        writers = [pages.writer(dtype) for dtype in frame.dtypes]  # per column, not per cell
        for values in frame.iter_rows():
            row, worksheet = pages.next_row()
            for col, value in enumerate(values):
                if value is not None:
                    write, fmt = writers[col]
                    write(worksheet, row, col, value, fmt)
    pages.close()


def _widest(column: pl.Series) -> int:
    """How many characters the longest text of `column` has, up to 60 (0 if not text)."""
    if column.dtype != pl.String:
        return 0
    return min(column.str.len_chars().max() or 0, 60)


def _write_text(worksheet: Worksheet, row: int, col: int, value: object, fmt: None) -> None:
    worksheet.write_string(row, col, str(value), fmt)


class _Pages:
    """The sheets of one table: the one rows are written to, and the next when it is full."""

    def __init__(self, workbook: xlsxwriter.Workbook, sheet: str) -> None:
        self.workbook, self.sheet = workbook, sheet
        self.header = workbook.add_format({"bold": True, "bottom": 1})
        self.day = workbook.add_format({"num_format": xlsx_day()})
        self.moment = workbook.add_format({"num_format": xlsx_moment()})
        self.columns: list[str] = []
        self.number = 0  # sheets opened so far
        self.worksheet: Worksheet | None = None  # the one open
        self.row = 0  # the row last written on it (0: the header)
        self.widths: list[int] = []  # of the sheet open
        self.part: list[int] = []  # of the part being written, on every sheet it reaches

    def writer(self, dtype: pl.DataType) -> tuple:
        """How a cell of a column of `dtype` is written: a Worksheet method and its format."""
        if dtype == pl.Boolean:
            return Worksheet.write_boolean, None
        if dtype.is_numeric():
            return Worksheet.write_number, None
        if dtype == pl.Date:
            return Worksheet.write_datetime, self.day
        if isinstance(dtype, pl.Datetime):
            return Worksheet.write_datetime, self.moment
        if dtype == pl.String:
            return Worksheet.write_string, None
        return _write_text, None

    def widen(self, widths: list[int]) -> None:
        """The next rows' texts are up to `widths` long, column by column."""
        self.part = widths
        self.widths = [max(pair) for pair in zip(self.widths, widths, strict=False)]

    def next_row(self) -> tuple[int, Worksheet]:
        """The row to write next, and its sheet (the next one when this one is full)."""
        if self.worksheet is not None and self.row == SHEET_ROWS:
            self.close()
        if self.worksheet is None:
            self._open()
        self.row += 1
        return self.row, self.worksheet

    def _open(self) -> None:
        self.number += 1
        name = self.sheet[:31] if self.number == 1 else f"{self.sheet[:24]} ({self.number})"
        self.worksheet = self.workbook.add_worksheet(name)
        self.widths = [len(column) for column in self.columns]
        self.widen(self.part)
        for col, column in enumerate(self.columns):
            self.worksheet.write_string(0, col, column, self.header)
        self.row = 0

    def close(self) -> None:
        """Finish the sheet open (if no row came at all, a sheet with its header only)."""
        if self.worksheet is None:
            if self.number:
                return
            self._open()
        for col, width in enumerate(self.widths):
            self.worksheet.set_column(col, col, max(width, 10) + 2)
        self.worksheet.freeze_panes(1, 0)
        self.worksheet = None


def file_name(query: str, description: str, as_of: date, extension: str) -> str:
    """`<query>_<filters>_as-of-<date>.<ext>`, with only safe characters."""
    stem = f"{query}_{description}_as-of-{as_of.isoformat()}"
    return re.sub(r"[^A-Za-z0-9._+-]+", "-", stem)[:180] + f".{extension}"


def title_formats(workbook: xlsxwriter.Workbook) -> dict[str, object]:
    """The formats title_block writes with, made once per workbook (a workbook holds a limited
    number of formats): the title, the labels, and the values by kind."""
    left = {"align": "left"}  # beside its label, not at the far edge of a wide column
    return {
        "title": workbook.add_format({"bold": True, "font_size": 16}),
        "label": workbook.add_format({"bold": True}),
        "text": workbook.add_format(left),
        "count": workbook.add_format({**left, "num_format": XLSX_COUNT}),
        "amount": workbook.add_format({**left, "num_format": XLSX_AMOUNT}),
        "day": workbook.add_format({**left, "num_format": xlsx_day()}),
        "moment": workbook.add_format({**left, "num_format": xlsx_moment()}),
    }


def title_block(
    worksheet: Worksheet,
    formats: dict[str, object],
    lines: Sequence[tuple[str, object]],
    title: str | None = None,
) -> int:
    """Write a sheet's title block from its first row: `title` (if any), then a row per
    (label, value) of `lines`, the label in the first column and the value beside it, typed
    (text neutralised; a whole number as a count, another as an amount; a date as a day; a
    time, in UTC, as formats.moment writes it; a number or a time across the second to
    fourth columns, merged). `formats` is title_formats' for the workbook. Returns the row
    after the block and a blank row, where the sheet's content goes."""
    row = 0
    if title is not None:
        worksheet.write_string(row, 0, _neutral_text(title), formats["title"])
        row += 1
    for label, value in lines:
        worksheet.write_string(row, 0, _neutral_text(label), formats["label"])
        _write_titled(worksheet, row, value, formats)
        row += 1
    return row + 1


def _write_titled(worksheet: Worksheet, row: int, value: object, formats: dict) -> None:
    """A title block's value, in the second column, as its type is written. A number or a
    time is given the second to fourth columns, merged: unlike text, it does not run on into
    the next cells, and a column narrower than it would show ### instead."""
    if value is None:
        return
    if isinstance(value, bool):  # before int: a bool is an int to Python
        worksheet.write_string(row, 1, "Yes" if value else "No", formats["text"])
        return
    if isinstance(value, int | float):
        kind = "count" if float(value).is_integer() else "amount"
    elif isinstance(value, datetime):  # before date: a datetime is a date to Python
        if value.tzinfo is not None:  # Excel's times have no zone: this one is written in UTC
            value = value.astimezone(UTC).replace(tzinfo=None)
        kind = "moment"
    elif isinstance(value, date):
        kind = "day"
    else:
        worksheet.write_string(row, 1, _neutral_text(str(value)), formats["text"])
        return
    worksheet.merge_range(row, 1, row, 3, "", formats[kind])
    worksheet.write(row, 1, value, formats[kind])


def _neutral_text(text: str) -> str:
    """One text neutralised as a cell's would be (see neutralise)."""
    return neutralise(pl.DataFrame({"text": [text]})).item()
