"""Tables out as CSV or xlsx, shared by the download buttons and the export CLI.

Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) are neutralised with a leading apostrophe; numbers, dates and booleans keep their types.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date
from typing import BinaryIO

import polars as pl
import xlsxwriter

from dashboard.contract import CATEGORY_LABELS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff".encode()
_FORMULA = "^[" + re.escape("".join(FORMULA_PREFIXES)) + "]"


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix with an apostrophe every text cell that a spreadsheet would run as a formula."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_FORMULA))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )


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
    # the fastest level: 3.2 million cases at 10M make 432 MB of CSV, zipped to 84 MB in
    # 11 s in all; the default level gives 60 MB in 18 s
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open(name, "w", force_zip64=True) as out:
            write_csv(frames, out)
    return buffer.getvalue()


def _csv_text(frame: pl.DataFrame, header: bool) -> str:
    return neutralise(frame).write_csv(
        include_header=header,
        date_format="%Y-%m-%d",
        datetime_format="%Y-%m-%dT%H:%M:%SZ",
        null_value="",
    )


def xlsx_bytes(frame: pl.DataFrame, sheet: str = "data") -> bytes:
    """One sheet with a bold header row, typed cells and the header frozen."""
    frame = neutralise(frame)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    write_sheet(workbook, sheet, frame)
    workbook.close()
    return buffer.getvalue()


WORDED = (
    "case_type",
    "status",
    "record",
    "kind",
    "pace_note",
)  # lower-case codes and notes, read as words


def named(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` as what a person reads shows it (pages, their downloads, the meeting pack; not the
    command line's export, which gives a query's values as they are): categories named in words
    ("Reactive support" for reactive), and the codes of `WORDED` columns as words ("Not started"
    for not_started)."""
    words = [worded(pl.col(name)) for name in WORDED if frame.schema.get(name) == pl.String]
    if frame.schema.get("category") == pl.String:
        words.append(pl.col("category").replace(CATEGORY_LABELS))
    return frame.with_columns(words) if words else frame


def worded(code: pl.Expr) -> pl.Expr:
    """A code as a word: not_started -> Not started, open -> Open."""
    spaced = code.str.replace_all("_", " ", literal=True)
    return spaced.str.slice(0, 1).str.to_uppercase() + spaced.str.slice(1)


def workbook_bytes(sheets: dict[str, pl.DataFrame]) -> bytes:
    """One workbook with a sheet per frame, in order, each neutralised like every export."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    for name, frame in sheets.items():
        write_sheet(workbook, name, neutralise(frame))
    workbook.close()
    return buffer.getvalue()


SHEET_ROWS = 1_048_575  # a spreadsheet's rows, less the header
# the items a workbook made in the app lists at most: a workbook is written cell by cell, about
# 12,000 rows a second (the whole of a list is in its CSV download)
WORKBOOK_ROWS = 100_000


def write_sheet(workbook: xlsxwriter.Workbook, sheet: str, frame: pl.DataFrame) -> None:
    """Write `frame` (already neutralised) to a new sheet of `workbook`; more rows than a sheet
    holds continue on sheets named `sheet (2)`, `sheet (3)`..., so that no row is lost."""
    for part, start in enumerate(range(0, max(frame.height, 1), SHEET_ROWS), start=1):
        name = sheet[:31] if part == 1 else f"{sheet[:24]} ({part})"
        _write_part(workbook, name, frame.slice(start, SHEET_ROWS))


def _write_part(workbook: xlsxwriter.Workbook, sheet: str, frame: pl.DataFrame) -> None:
    worksheet = workbook.add_worksheet(sheet)
    header = workbook.add_format({"bold": True, "bottom": 1})
    formats = {
        pl.Date: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        pl.Datetime: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    for col, name in enumerate(frame.columns):
        worksheet.write_string(0, col, name, header)
        dtype = frame.schema[name]
        fmt = formats.get(pl.Datetime if isinstance(dtype, pl.Datetime) else dtype)
        width = len(name)
        for row, value in enumerate(frame.get_column(name).to_list(), start=1):
            if value is None:
                continue
            if isinstance(value, bool):
                worksheet.write_boolean(row, col, value)
            elif isinstance(value, int | float):
                worksheet.write_number(row, col, value)
            elif isinstance(value, date):
                worksheet.write_datetime(row, col, value, fmt)
            else:
                value = str(value)
                worksheet.write_string(row, col, value)
                width = max(width, min(len(value), 60))
        worksheet.set_column(col, col, max(width, 10) + 2)
    worksheet.freeze_panes(1, 0)


def file_name(query: str, description: str, as_of: date, extension: str) -> str:
    """`<query>_<filters>_as-of-<date>.<ext>`, with only safe characters."""
    stem = f"{query}_{description}_as-of-{as_of.isoformat()}"
    return re.sub(r"[^A-Za-z0-9._+-]+", "-", stem)[:180] + f".{extension}"
