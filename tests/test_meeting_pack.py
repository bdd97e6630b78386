"""The meeting pack's workbook opened as a spreadsheet would open it: in the customer's words,
with a title block on every sheet, numbers and days stored as such, and native charts.

Expected figures are worked out by hand from tests/fixtures/tiny (see its ANSWERS.md)."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import openpyxl
import polars as pl
import pytest
from openpyxl.utils.cell import range_boundaries

from dashboard import export, formats
from dashboard.app import meeting_pack
from dashboard.query.filters import Filters
from tests.conftest import FIXTURE

SHEETS = ["Summary", "Enterprise entitlements", "Renewal risks", "Delivery totals", "Delivered",
          "Charts"]  # fmt: skip
MOMENT = 'd mmm yyyy, hh:mm "UTC"'
RATE = "#,##0.00"
K_A = Filters(contract="K-A")


def opened(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def pack(tiny, filters: Filters = K_A, user: str = "u-cadmin", name: str = "Cara Admin"):
    return opened(meeting_pack.build(tiny, user, name, filters))


def block(sheet) -> dict:
    """The title block under a sheet's title: label -> value."""
    rows = sheet.iter_rows(min_row=2, max_row=10, max_col=2, values_only=True)
    return dict(rows)


def figures(sheet) -> dict:
    """The Summary's figures: label -> (number, note)."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Figures")
    found = {}
    for row in rows[start + 1 :]:
        if row[0] is None:
            return found
        found[row[0]] = (row[1], row[2])
    return found


def table(sheet, *header: str) -> list[dict]:
    """The rows of the table on `sheet` whose header starts with `header`, each by header,
    down to its first empty row."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[: len(header)] == header)
    names = [name for name in rows[start] if name is not None]
    found = []
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        found.append(dict(zip(names, row[: len(names)], strict=True)))
    return found


def by(rows: list[dict], key: str) -> dict:
    return {row[key]: row for row in rows}


def test_the_pack_of_a_contract_speaks_the_customers_words(tiny):
    book = pack(tiny)
    assert book.sheetnames == SHEETS
    summary = book["Summary"]
    assert summary["A1"].value == "Renewal meeting pack · Summary"
    said = block(summary)
    assert said["Customer"] == "Acme Corporation"
    assert said["Workspaces"] == "All workspaces you can open: Acme Lab, Acme Production"
    assert said["Contract"] == "CN-100 · Acme Unified 2026"
    assert (said["Package"], said["Package status"]) == ("All packages", "Active packages")
    assert said["Activity dates"] == "Every date"
    assert said["Data as of"] == datetime(2026, 6, 30)
    assert abs(said["Made"] - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=5)
    assert said["Prepared by"] == "Cara Admin"
    found = figures(summary)
    assert found["Active contracts"][0] == 1
    assert found["Items delivered"][0] == 15  # 3 + 2 + 3 + 2 + 3 + 2, as the totals count
    # K-A's active packages: E-WS, E-ASM, E-PRO, E-EDU run out; E-ADV and E-CRD leave unused
    assert found["Entitlements that will run out before expiry"][0] == 4
    assert found["Entitlements that will leave more than 20% unused"][0] == 2
    assert found["Entitlements on track"][0] == 1  # E-REA
    contracts = table(summary, "Contract", "Name")
    assert contracts == [{"Contract": "CN-100", "Name": "Acme Unified 2026",
                          "Workspace": "Acme Production", "Starts": datetime(2026, 1, 1),
                          "Ends": datetime(2026, 12, 31), "Days left": 184,
                          "Renewed by": None}]  # fmt: skip
    risks = table(book["Renewal risks"], "Status")
    assert list(risks[0])[:5] == ["Status", "Contract", "Package", "Entitlement", "Unit"]
    assert len(risks) == 7  # E-WS, E-ASM, E-PRO, E-EDU, E-ADV, E-CRD, E-REA
    # E-WS: 16 purchased, 12 used and 8 scheduled: none left, over by 4
    workshops = by(risks, "Entitlement")["Workshops"]
    assert (workshops["Package"], workshops["Status"]) == (
        "Workshop add-on",
        "Will run out before expiry",
    )
    assert (workshops["Remaining"], workshops["Over by"]) == (0, 4)
    totals = by(table(book["Delivery totals"], "Category", "Unit"), "Category")
    assert {c: row["Quantity"] for c, row in totals.items()} == {
        "Advisory support": 14, "On-demand assessments": 2, "Proactive credits": 9,
        "On-demand education": 3, "Proactive services": 36, "Reactive support": 39.5,
        "All categories": None,
    }  # fmt: skip
    assert totals["All categories"]["Items"] == 15
    assert len(table(book["Delivered"], "Category", "Date")) == 15


def test_every_sheet_opens_with_the_title_block(tiny):
    book = pack(tiny, Filters(workspaces=("W1",), date_from=date(2026, 4, 1)))
    first = block(book["Summary"])
    assert first["Workspaces"] == "Acme Production"
    assert first["Contract"] == "All contracts in these workspaces"
    assert first["Activity dates"] == "From 1 Apr 2026"
    for sheet in book:
        assert sheet["A1"].value.startswith("Renewal meeting pack · "), sheet.title
        assert block(sheet) == first, sheet.title
        assert (sheet["A8"].value, sheet["B8"].number_format) == ("Data as of", formats.xlsx_day())
        assert (sheet["A9"].value, sheet["B9"].number_format) == ("Made", MOMENT)
        assert sheet["A11"].value is None  # a blank row, then the sheet's content


def every_cell(book):
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell


def fixture_ids() -> set[str]:
    """Every internal id of the hand-made dataset's organisation and contracts."""
    ids = set()
    for name, column in [("customers", "customer_id"), ("workspaces", "workspace_id"),
                         ("contracts", "contract_id"), ("packages", "package_id"),
                         ("entitlements", "entitlement_id"), ("users", "user_id"),
                         ("groups", "group_id")]:  # fmt: skip
        with (FIXTURE / f"{name}.csv").open(encoding="utf-8") as handle:
            ids |= {row[column] for row in csv.DictReader(handle)}
    return ids


SCOPES = [
    ("u-cadmin", Filters(status="all")),
    ("u-cadmin", K_A),
    ("u-wsadmin", Filters(workspaces=("W1",))),
    ("u-cadmin", Filters(contract="K-B", date_from=date(2026, 4, 1), date_to=date(2026, 6, 30))),
]


@pytest.mark.parametrize(("user", "filters"), SCOPES)
def test_no_internal_id_and_no_code_for_a_header(tiny, user, filters):
    ids = fixture_ids()
    assert {"K-A", "W1", "E-REA", "P-A1", "C1"} <= ids
    for sheet, cell in every_cell(pack(tiny, filters, user)):
        if not isinstance(cell.value, str):
            continue
        words = set(re.split(r"[^\w-]+", cell.value))
        assert not words & ids, (sheet, cell.coordinate, cell.value)
        assert "_id" not in cell.value and not re.fullmatch(r"[a-z]+(_[a-z]+)+", cell.value)


NUMBER = re.compile(r"-?[\d,]+(\.\d+)?%?")
DAY = re.compile(r"\d{4}-\d\d-\d\d.*|\d{1,2} [A-Z][a-z]{2} \d{4}")


@pytest.mark.parametrize(("user", "filters"), SCOPES)
def test_numbers_and_days_are_stored_as_numbers_and_days(tiny, user, filters):
    kinds = {formats.XLSX_AMOUNT, formats.XLSX_COUNT, formats.XLSX_PERCENT, RATE}
    for sheet, cell in every_cell(pack(tiny, filters, user)):
        where = (sheet, cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not NUMBER.fullmatch(cell.value) and not DAY.fullmatch(cell.value), where
        elif isinstance(cell.value, datetime):
            assert cell.number_format in (formats.xlsx_day(), MOMENT), where
        else:
            assert isinstance(cell.value, int | float), where
            assert cell.number_format in kinds, where


def test_each_number_has_the_format_of_what_it_counts(tiny):
    book = pack(tiny)
    summary = book["Summary"]
    active = next(row for row in summary.iter_rows() if row[0].value == "Active contracts")
    assert (active[1].value, active[1].number_format) == (1, formats.XLSX_COUNT)
    rows = {row[0].value: row for row in summary.iter_rows() if row[1].value in ("hours", "seats")}
    reactive = rows["Reactive support"]  # Category, Unit, Purchased, Used, ... Utilisation
    assert (reactive[3].value, reactive[3].number_format) == (39.5, formats.XLSX_AMOUNT)
    assert (reactive[8].value, reactive[8].number_format) == (0.395, formats.XLSX_PERCENT)
    seats = rows["On-demand education"]  # seats are counted one by one
    assert (seats[2].value, seats[2].number_format) == (5, formats.XLSX_COUNT)
    risks = book["Renewal risks"]
    header = next(row for row in risks.iter_rows() if row[0].value == "Status")
    column = {cell.value: cell.column - 1 for cell in header}
    first = risks[header[0].row + 1]  # E-WS: 16 hours from 1 Jan to 31 Jul 2026
    assert first[column["Ends"]].value == datetime(2026, 7, 31)
    assert first[column["Ends"]].number_format == formats.xlsx_day()
    assert first[column["Used per day"]].number_format == RATE
    assert first[column["Days left"]].number_format == formats.XLSX_COUNT


def series_cells(book, ref: str) -> list:
    """The values of the cells a chart's series reads (`Charts!$B$14:$B$16`)."""
    sheet, cells = ref.rsplit("!", 1)
    low_col, low_row, high_col, high_row = range_boundaries(cells.replace("$", ""))
    rows = book[sheet.strip("'")].iter_rows(min_row=low_row, max_row=high_row,
                                             min_col=low_col, max_col=high_col,
                                             values_only=True)  # fmt: skip
    return [value for row in rows for value in row]


def test_the_charts_are_excels_own_drawn_from_the_workbooks_cells(tiny):
    book = pack(tiny)
    sheet = book["Charts"]
    # one per unit of K-A's enterprise consumption (hours first), and the timeline's picture
    assert len(sheet._charts) == 5 and len(sheet._images) == 1
    titles = [c.title.tx.rich.p[0].r[0].t for c in sheet._charts]
    assert titles[:2] == ["Consumption against purchased (hours), whole term",
                          "Consumption against purchased (assessments), whole term"]  # fmt: skip
    hours, assessments = sheet._charts[:2]
    assert (hours.type, hours.grouping) == ("bar", "stacked")
    colours = {s.tx.v: s.graphicalProperties.solidFill.srgbClr for s in hours.series}
    assert colours == {"Used": "0072B2", "Scheduled": "56B4E9", "Remaining": "D9D9D9",
                       "Over by": "D55E00", "Used with no limit": "003C64"}  # fmt: skip
    parts = {s.tx.v: series_cells(book, s.val.numRef.f) for s in hours.series}
    names = series_cells(book, hours.series[0].cat.strRef.f)
    assert names == ["Advisory support", "Proactive services", "Reactive support"]
    # advisory: E-ADV 8 of 20 used, 12 left; E-UNL's 6 with no limit; proactive: E-PRO 24
    # used and 12 scheduled of 40, 4 left; reactive: E-REA 39.5 of 100, 60.5 left
    assert parts == {"Used": [8, 24, 39.5], "Scheduled": [0, 12, 0], "Remaining": [12, 4, 60.5],
                     "Over by": [0, 0, 0], "Used with no limit": [6, 0, 0]}  # fmt: skip
    # E-ASM: 3 used of 2 (A1, A2, A4): 2 within what was bought, over by 1; no limitless part
    parts = {s.tx.v: series_cells(book, s.val.numRef.f) for s in assessments.series}
    assert parts == {"Used": [2], "Scheduled": [0], "Remaining": [0], "Over by": [1]}


def test_a_pack_with_nothing_to_chart_says_so(tiny):
    # K-OLD, expired: no active enterprise package, and its one package on the timeline
    book = pack(tiny, Filters(contract="K-OLD", status="all"))
    sheet = book["Charts"]
    assert len(sheet._charts) == 0 and len(sheet._images) == 1
    said = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "No active enterprise package in this selection to chart." in said
    consumption = table(book["Summary"], "Category", "Unit")
    assert [row["Category"] for row in consumption] == ["None in this selection."]


def test_meeting_pack_lists_at_most_a_workbook_of_items(tiny, monkeypatch):
    monkeypatch.setattr(export, "WORKBOOK_ROWS", 10)
    book = pack(tiny)
    items, note = figures(book["Summary"])["Items delivered"]
    assert items == 15
    assert note.startswith("The list holds the first 10 of 15 items, by category and day: 5 more")
    delivered = table(book["Delivered"], "Category", "Date")
    assert len(delivered) == 10
    # the first ten by category and day: advisory 2, assessments 2, credits 2, education 3, and
    # the first proactive delivery
    assert [row["Category"] for row in delivered] == ["Advisory support"] * 2 + [
        "On-demand assessments"
    ] * 2 + ["Proactive credits"] * 2 + ["On-demand education"] * 3 + ["Proactive services"]
    assert delivered[-1]["Reference"] == "D1" and delivered[-1]["Hours delivered"] == 7.5


def test_meeting_pack_names_the_range_of_its_dates(tiny):
    def said(**dates) -> str:
        return block(pack(tiny, Filters(contract="K-A", **dates))["Summary"])["Activity dates"]

    # the tiny dataset is as of 2026-06-30: its quarter began on 1 April
    assert said(date_from=date(2026, 4, 1), date_to=date(2026, 6, 30)) == (
        "This quarter (1 Apr 2026 – 30 Jun 2026)"
    )
    assert said(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)) == (
        "The contract's term (1 Jan 2026 – 31 Dec 2026)"
    )
    assert said(date_from=date(2026, 4, 5)) == "From 5 Apr 2026"


def test_meeting_pack_sums_remaining_and_overage_apart(tmp_path):
    """The summary's Enterprise-wide figures follow the rule of the page: one contract's
    remaining never offsets another's overage (tests/enterprise_overage.py, worked by hand)."""
    from dashboard.ingest.data_home import current_dataset
    from dashboard.query.dataset import Dataset
    from tests import enterprise_overage as case

    dataset = Dataset(current_dataset(case.imported(tmp_path)))
    book = opened(meeting_pack.build(dataset, "u-admin", "Fay Admin", Filters()))
    rows = table(book["Summary"], "Category", "Unit")
    assert list(rows[0]) == ["Category", "Unit", "Purchased", "Used", "Scheduled", "Remaining",
                             "Over by", "Used with no limit", "Utilisation"]  # fmt: skip
    found = {row["Category"]: tuple(row.values())[2:] for row in rows}
    # reactive: 100 + 200 purchased; 150 + 40 + 10 used; 160 left on CN-2 alone, CN-1 50 over;
    # E3's 10 hours with no limit left out of utilisation: (200 - 10) / 300
    assert found["Reactive support"][:6] == (300, 200, 0, 160, 50, 10)
    assert found["Reactive support"][6] == pytest.approx(190 / 300)
    # proactive: 40 + 30; 30 + 15 used, 20 + 5 scheduled; 10 left on CN-2, CN-1 10 over
    assert found["Proactive services"][:6] == (70, 45, 25, 10, 10, 0)
    assert found["On-demand education"] == (2, 3, 0, 0, 1, 0, 1.5)
    # no purchased quantity: no remaining, no utilisation (empty cells)
    assert found["Advisory support"] == (None, 4, 0, None, 0, 4, None)
    # entitlement by entitlement: E1 and E2 side by side, E1's overage its own
    entitlements = table(book["Enterprise entitlements"], "Category", "Unit")
    reactive = {(r["Contract"], r["Purchased"]): (r["Remaining"], r["Over by"])
                for r in entitlements if r["Category"] == "Reactive support"}  # fmt: skip
    # E1 (CN-1) 50 over, E2 (CN-2) 160 left, E3 (CN-2, no purchased quantity) neither
    assert reactive[("CN-1", 100)] == (0, 50)
    assert reactive[("CN-2", 200)] == (160, 0)
    assert reactive[("CN-2", None)] == (None, None)


def test_meeting_pack_says_how_many_items_it_counts_but_may_not_list(tiny):
    # K-A's 15 items for Walt, a workspace admin of W1 only: K6, raised in W2 against K-A, is
    # counted (totals count all consumption) and not listed (he may not see it)
    book = pack(tiny, user="u-wsadmin", name="Walt Wsadmin")
    items, note = figures(book["Summary"])["Items delivered"]
    assert items == 15
    assert (
        note == "1 support request hidden by your permissions: counted in the totals, not listed."
    )
    assert len(table(book["Delivered"], "Category", "Date")) == 14
    totals = by(table(book["Delivery totals"], "Category", "Unit"), "Category")
    reactive = totals["Reactive support"]
    assert (reactive["Items"], reactive["Hidden from the list"]) == (3, 1)


class _Named:
    """A dataset whose viewer's customer and contract have the names given."""

    as_of = date(2026, 6, 30)

    def __init__(self, customer: str, number: str) -> None:
        self.customer, self.number = customer, number

    def run(self, name: str, viewer: str, filters: Filters | None = None) -> pl.DataFrame:
        if name == "viewer":
            return pl.DataFrame({"customer_name": [self.customer]})
        return pl.DataFrame({"contract_id": ["K9"], "contract_number": [self.number]})


def test_the_file_is_named_after_the_customer_and_the_contract(tiny):
    assert meeting_pack.file_name(tiny, "u-cadmin", K_A, "xlsx") == (
        "Acme Corporation - CN-100 - meeting pack - 2026-06-30.xlsx"
    )
    assert meeting_pack.file_name(tiny, "u-cadmin", Filters(), "pdf") == (
        "Acme Corporation - meeting pack - 2026-06-30.pdf"
    )
    # a contract the viewer may not see is not named
    assert meeting_pack.file_name(tiny, "u-gadmin", K_A, "xlsx") == (
        "Globex - meeting pack - 2026-06-30.xlsx"
    )
    odd = _Named(' A/B: "Bits" <and> *Pieces*?| .', "K/2026\\07")
    assert meeting_pack.file_name(odd, "u", Filters(contract="K9"), "xlsx") == (
        "A B Bits and Pieces - K 2026 07 - meeting pack - 2026-06-30.xlsx"
    )
