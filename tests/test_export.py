"""CSV and xlsx output: formula neutralising, types kept, file names."""

import io
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import polars as pl

from dashboard import export
from dashboard.app import tables


def sample() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "title": ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tTab", "\rCR", "plain", "a=b", None],
            "hours": [1.5, -2.0, 3.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
            "opened": [date(2026, 1, d) for d in range(1, 10)],
        }
    ).with_columns(
        pl.Series("at", [datetime(2026, 1, 2, 3, 4, tzinfo=UTC)] * 9).dt.cast_time_unit("us"),
        pl.Series("open", [True, False] * 4 + [None]),
    )


def test_neutralise_prefixes_formula_text_only():
    out = export.neutralise(sample())
    assert out.get_column("title").to_list() == [
        "'=1+1",
        "'+SUM(A1)",
        "'-2",
        "'@cmd",
        "'\tTab",
        "'\rCR",
        "plain",
        "a=b",
        None,
    ]
    assert out.get_column("hours").to_list()[1] == -2.0  # numbers stay numbers


def test_csv_bytes():
    data = export.csv_bytes(sample())
    assert data.startswith(export.BOM)
    text = data[len(export.BOM) :].decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == '"title","hours","opened","at","open"'
    assert lines[1] == '"\'=1+1",1.5,2026-01-01,2026-01-02T03:04:00Z,true'
    assert lines[2] == '"\'+SUM(A1)",-2.0,2026-01-02,2026-01-02T03:04:00Z,false'
    assert "\n,5.0,2026-01-09,2026-01-02T03:04:00Z,\n" in text  # nulls are empty
    assert not export.csv_bytes(sample(), bom=False).startswith(export.BOM)


def test_a_csv_written_in_parts_is_the_csv_of_the_whole():
    whole = sample()
    parts = [whole.slice(0, 4), whole.slice(4, 4), whole.slice(8, 1)]
    out = io.BytesIO()
    assert export.write_csv(iter(parts), out) == 9
    assert out.getvalue() == export.csv_bytes(whole)  # one BOM, one header, every row
    empty = io.BytesIO()
    assert export.write_csv([whole.clear()], empty) == 0
    assert empty.getvalue() == export.BOM + b'"title","hours","opened","at","open"\n'


def test_a_zipped_csv_holds_the_csv_under_its_name():
    whole = sample()
    data = export.zipped_csv(iter([whole.head(5), whole.tail(4)]), "cases_as-of-2026-06-30.csv")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["cases_as-of-2026-06-30.csv"]
        assert archive.read("cases_as-of-2026-06-30.csv") == export.csv_bytes(whole)


def test_xlsx_bytes_keeps_types_and_neutralises():
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(sample(), sheet="cases")))
    sheet = book["cases"]
    assert [c.value for c in sheet[1]] == ["title", "hours", "opened", "at", "open"]
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B3"].value == -2 and sheet["B3"].data_type == "n"
    assert sheet["C2"].value == datetime(2026, 1, 1)
    assert sheet["D2"].value == datetime(2026, 1, 2, 3, 4)
    assert sheet["E2"].value is True
    assert sheet["A10"].value is None
    assert sheet.freeze_panes == "A2"


def test_file_name_is_safe_and_says_what_it_holds():
    name = export.file_name("support_requests", "W1+W2_K/A_active", date(2026, 6, 30), "csv")
    assert name == "support_requests_W1+W2_K-A_active_as-of-2026-06-30.csv"


def test_a_narrowed_list_says_how_in_its_file_name():
    assert tables._named("proactive_deliveries", {"delivery_status": "scheduled"}) == (
        "proactive_deliveries-scheduled"
    )
    picked = {"reasons": ("expired_contract", "special_service"), "service": "STD"}
    assert tables._named("additional_cases", picked) == (
        "additional_cases-expired_contract-special_service-STD"
    )
    assert tables._named("additional_cases", {"reasons": (), "service": None}) == (
        "additional_cases"
    )


def test_workbook_with_a_sheet_per_frame():
    data = export.workbook_bytes({"totals": pl.DataFrame({"category": ["=x"], "n": [2]}),
                                  "delivered": sample()})  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["totals", "delivered"]
    assert book["totals"]["A2"].value == "'=x" and book["totals"]["B2"].value == 2
    assert book["delivered"].max_row == 10


def test_filters_keep_only_what_a_query_reads():
    from datetime import date

    from dashboard.query.filters import Filters

    picked = Filters(workspaces=("W1",), contract="K-A", status="all", date_from=date(2026, 1, 1))
    assert picked.only(["workspaces", "contract"]) == Filters(workspaces=("W1",), contract="K-A")
    assert picked.only(["date_from", "status"]) == Filters(status="all", date_from=date(2026, 1, 1))
    assert picked.only(["workspaces", "contract", "status", "date_from"]) is picked


def test_rows_beyond_a_sheet_continue_on_further_sheets(monkeypatch):
    monkeypatch.setattr(export, "SHEET_ROWS", 2)
    frame = pl.DataFrame({"case_id": ["K1", "K2", "K3", "K4", "K5"], "hours": [1, 2, 3, 4, 5]})
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame, sheet="cases")))
    assert book.sheetnames == ["cases", "cases (2)", "cases (3)"]
    found = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    assert found == [
        ("case_id", "hours"), ("K1", 1), ("K2", 2),
        ("case_id", "hours"), ("K3", 3), ("K4", 4),
        ("case_id", "hours"), ("K5", 5),
    ]  # fmt: skip
    empty = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame.clear(), sheet="cases")))
    assert empty.sheetnames == ["cases"]  # an empty list is still a sheet with its header


def test_visible_takes_out_layout_controls_but_not_ids_or_letters():
    import polars as pl

    from dashboard.text import without_invisible

    frame = pl.DataFrame(
        {
            "case_id": ["K\u200b1"],
            "title": ["\u202eabc\u200b def \u2066x\u2069"],
            "name": ["שלום مرحبا"],  # right-to-left letters stay
            "hours": [1.5],
        }
    )
    shown = without_invisible(frame)
    assert shown.row(0) == ("K\u200b1", "abc def x", "שלום مرحبا", 1.5)


def test_what_a_person_reads_names_codes_in_words_and_leaves_the_rest():
    frame = pl.DataFrame(
        {
            "category": ["reactive", "credits"],
            "case_type": ["advisory", "reactive"],
            "status": ["not_started", None],
            "record": ["support request", "delivery"],
            "kind": ["consumable", "benefit"],
            "title": ["open_case", "x"],  # not a column of codes: as it is
            "hours": [1.5, 2.0],
        }
    )
    shown = export.named(frame)
    assert shown.to_dicts() == [
        {"category": "Reactive support", "case_type": "Advisory", "status": "Not started",
         "record": "Support request", "kind": "Consumable", "title": "open_case", "hours": 1.5},
        {"category": "Proactive credits", "case_type": "Reactive", "status": None,
         "record": "Delivery", "kind": "Benefit", "title": "x", "hours": 2.0},
    ]  # fmt: skip
    # a frame with none of those columns is left as it is
    plain = pl.DataFrame({"status_count": [3]})
    assert export.named(plain).equals(plain)


def test_a_workbook_written_in_parts_is_the_workbook_of_the_whole(monkeypatch):
    """Parts of 3, 0 and 2 rows, with sheets of 2 rows: the rows run on across the parts as they
    do for the whole frame (K3 opens the second sheet in the first part, K5 the third)."""
    monkeypatch.setattr(export, "SHEET_ROWS", 2)
    frame = pl.DataFrame({"case_id": ["K1", "=K2", "K3", "K4", "K5"], "hours": [1, 2, 3, 4, 5]})

    def rows(data: bytes) -> dict[str, list[tuple]]:
        book = openpyxl.load_workbook(io.BytesIO(data))
        return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}

    buffer = io.BytesIO()
    export.write_workbook({"cases": [frame[:3], frame[3:3], frame[3:]]}, buffer)
    assert rows(buffer.getvalue()) == rows(export.xlsx_bytes(frame, sheet="cases"))
    assert rows(buffer.getvalue())["cases"][2] == ("'=K2", 2)  # each part neutralised


def test_a_workbook_holds_a_part_at_a_time_not_every_cell():
    """20,000 rows in parts of 2,000: written a row at a time, what Python holds at its peak is
    a part's worth (under 1 MB), where holding every cell until the end took about 20 MB."""
    import tracemalloc

    n = 20_000
    frame = pl.DataFrame({"case_id": [f"CS{i:09d}" for i in range(n)],
                          "hours": [i / 4 for i in range(n)],
                          "title": ["Slow sign-in"] * n})  # fmt: skip
    parts = (frame.slice(start, 2_000) for start in range(0, n, 2_000))
    tracemalloc.start()
    try:
        export.write_workbook({"cases": parts}, io.BytesIO())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 2**20


def test_columns_are_as_wide_as_their_text_up_to_60_characters():
    frame = pl.DataFrame({"title": ["t" * 40, "short"], "n": [1, 2], "long": ["x" * 90, None]})
    sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame)))["data"]
    # 2 characters more than the longest text; at least 10; at most 60
    widths = {k: round(v.width) for k, v in sheet.column_dimensions.items()}
    assert widths == {"A": 43, "B": 13, "C": 63}


def hostile() -> pl.DataFrame:
    """Text that a spreadsheet would run as a formula where it starts a cell, or starts one
    once a spreadsheet splits it at a comma or a semicolon; and text that it would not."""
    return pl.DataFrame(
        {
            "title": ["x;=cmd|' /C calc'!A0", "a,+1", "b; @SUM(A1)", "\tTab", "\rCR", "x-y",
                      "e-mail", None],
            "hours": [1.5, -2.0, 0.0, 3.0, 4.0, 5.0, 6.0, 7.0],
            "opened": [date(2026, 1, d) for d in range(1, 9)],
            "open": [True, False, None, True, False, True, False, True],
        }
    )  # fmt: skip


def test_neutralise_puts_an_apostrophe_after_a_separator_a_formula_follows():
    frame = pl.DataFrame(
        {"title": ["x;=cmd|' /C calc'!A0", "a,+1", "b; @SUM(A1)", "c;\tTab", "d,\rCR", "  -3",
                   "a;;=b", "x-y", "e-mail", "a=b", "1,5", "", None]}
    )  # fmt: skip
    assert export.neutralise(frame).get_column("title").to_list() == [
        "x;'=cmd|' /C calc'!A0",
        "a,'+1",
        "b;' @SUM(A1)",  # at the separator: the cell a split starts begins with the apostrophe
        "c;'\tTab",
        "d,'\rCR",
        "'  -3",  # spaces before a formula's first character hide nothing
        "a;;'=b",
        "x-y",
        "e-mail",
        "a=b",
        "1,5",
        "",
        None,
    ]


def test_a_csv_quotes_its_text_and_leaves_numbers_dates_and_booleans_as_they_are():
    assert export.csv_bytes(hostile()) == (
        b'\xef\xbb\xbf"title","hours","opened","open"\n'
        b"\"x;'=cmd|' /C calc'!A0\",1.5,2026-01-01,true\n"
        b'"a,\'+1",-2.0,2026-01-02,false\n'
        b'"b;\' @SUM(A1)",0.0,2026-01-03,\n'
        b'"\'\tTab",3.0,2026-01-04,true\n'
        b'"\'\rCR",4.0,2026-01-05,false\n'
        b'"x-y",5.0,2026-01-06,true\n'
        b'"e-mail",6.0,2026-01-07,false\n'
        b",7.0,2026-01-08,true\n"  # a null is an empty field, an empty text two quotes
    )
    assert export.csv_bytes(pl.DataFrame({"t": ["", 'say "hi"']}), bom=False) == (
        b'"t"\n""\n"say ""hi"""\n'
    )


def test_no_cell_of_a_csv_starts_a_formula_whatever_the_separator():
    """Read with a comma or a semicolon as the separator, as spreadsheets do by locale, minding
    quotes or not (a split on the separator alone): no text cell starts with a formula's first
    character. A negative number is a number, not a formula."""
    import csv

    text = export.csv_bytes(hostile()).decode("utf-8-sig")
    for delimiter in (",", ";"):
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                                   quoting=quoting))  # fmt: skip
            fields = [field for row in rows for field in row]
            started = [
                f for f in fields if f.startswith(export.FORMULA_PREFIXES) and not _number(f)
            ]
            assert started == [], (delimiter, quoting)
    # split at semicolons alone, the attacker's cell is cut in two, the second half text
    unquoted = csv.reader(io.StringIO(text, newline=""), delimiter=";", quoting=csv.QUOTE_NONE)
    split = [row[1] for row in unquoted if len(row) > 1]
    assert split == ["'=cmd|' /C calc'!A0\",1.5,2026-01-01,true", "' @SUM(A1)\",0.0,2026-01-03,"]
    # read minding quotes with the CSV's own separator, every cell is as neutralised
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [row[0] for row in rows[1:]] == export.neutralise(hostile()).get_column(
        "title"
    ).fill_null("").to_list()


def _number(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def test_categorical_text_and_column_names_are_neutralised_and_quoted_too():
    frame = pl.DataFrame(
        {"status;=cmd": pl.Series(["=1+1", "open"], dtype=pl.Categorical), "n": [1, 2]}
    )
    assert export.csv_bytes(frame, bom=False) == (b'"status;\'=cmd","n"\n"\'=1+1",1\n"open",2\n')
    sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame)))["data"]
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"


def test_a_workbook_writes_formula_like_text_as_text_neutralised():
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(hostile())))
    sheet = book["data"]
    titles = [sheet.cell(row, 1) for row in range(2, 10)]
    assert [c.value for c in titles] == [
        "x;'=cmd|' /C calc'!A0",
        "a,'+1",
        "b;' @SUM(A1)",
        "'\tTab",
        "'_x000D_CR",  # as an xlsx holds a carriage return
        "x-y",
        "e-mail",
        None,
    ]
    assert {c.data_type for c in titles[:-1]} == {"s"}  # text, never a formula
    assert sheet["B3"].value == -2 and sheet["B3"].data_type == "n"
    assert sheet["C2"].value == datetime(2026, 1, 1) and sheet["D2"].value is True
