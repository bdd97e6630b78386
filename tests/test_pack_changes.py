"""The meeting pack keeps a snapshot of its figures and, at the next meeting, opens with what
changed since it. Over tests/sql/meeting_datasets.py's two meetings (15 Jun and 15 Jul 2026):
every expected figure is worked out by hand in its docstring, and repeated here where used."""

import io
import re

import openpyxl
import pytest
from pypdf import PdfReader

from dashboard import formats
from dashboard.app import meeting_pack
from dashboard.ingest.data_home import current_dataset
from dashboard.query import snapshots
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from dashboard.query.state_store import StateUnavailable
from tests.sql.meeting_datasets import first_home, next_meeting

EVERYTHING = Filters()  # every workspace, the active packages
SHEETS = ["Summary", "Enterprise entitlements", "Renewal risks", "Delivery totals", "Delivered",
          "Charts"]  # fmt: skip


@pytest.fixture
def home(tmp_path):
    return first_home(tmp_path)


def dataset(home) -> Dataset:
    return Dataset(current_dataset(home))


def workbook(home, user: str = "u-admin", **options) -> openpyxl.Workbook:
    options.setdefault("keep_snapshot", True)  # as the page's download does
    data = meeting_pack.build(dataset(home), user, "Someone", EVERYTHING, **options)
    return openpyxl.load_workbook(io.BytesIO(data))


def pdf_pages(home, user: str = "u-admin", **options) -> list[str]:
    options.setdefault("keep_snapshot", True)
    data = meeting_pack.build(dataset(home), user, "Someone", EVERYTHING, format="pdf", **options)
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def title_block(sheet) -> dict:
    """The title block under the sheet's title (row 1), down to its blank row."""
    found = {}
    for label, value in sheet.iter_rows(min_row=2, max_col=2, values_only=True):
        if label is None:
            return found
        found[label] = value
    return found


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def table(sheet, *header: str) -> list[dict]:
    """The rows under the header that starts with `header`, by header, to the first empty row."""
    found = rows(sheet)
    start = next(i for i, row in enumerate(found) if row[: len(header)] == header)
    names = [name for name in found[start] if name is not None]
    listed = []
    for row in found[start + 1 :]:
        if row[0] is None and row[1] is None:
            break
        listed.append(dict(zip(names, row[: len(names)], strict=True)))
    return listed


def cells(sheet, *header: str) -> list[dict]:
    """As table, the cells themselves (for their number formats)."""
    found = list(sheet.iter_rows())
    start = next(
        i for i, row in enumerate(found) if tuple(c.value for c in row[: len(header)]) == header
    )
    names = [c.value for c in found[start] if c.value is not None]
    listed = []
    for row in found[start + 1 :]:
        if row[0].value is None and row[1].value is None:
            break
        listed.append(dict(zip(names, row[: len(names)], strict=True)))
    return listed


def headline(sheet) -> dict:
    """The What changed lines: label -> (number, note)."""
    found = rows(sheet)
    start = next(i for i, row in enumerate(found) if row[0] == "What changed")
    said = {}
    for row in found[start + 1 :]:
        if row[0] is None:
            return said
        said[row[0]] = (row[1], row[2])
    return said


def test_the_first_pack_keeps_a_snapshot_and_has_nothing_to_compare_with(home):
    book = workbook(home)
    assert book.sheetnames == SHEETS  # no Changed since: no earlier snapshot
    assert title_block(book["Summary"])["Snapshot"] == "#1, kept for the next meeting"
    kept = snapshots.listed(home, "u-admin", EVERYTHING)
    assert [(s.id, s.as_of.isoformat(), s.reason) for s in kept] == [(1, "2026-06-15", "pack")]


def test_the_next_pack_opens_with_what_changed_since(home, tmp_path):
    workbook(home)  # the meeting of 15 Jun keeps snapshot #1
    next_meeting(home, tmp_path)
    book = workbook(home)
    assert book.sheetnames == ["Changed since", *SHEETS]
    assert book.active.title == "Changed since"  # the workbook opens on it
    sheet = book["Changed since"]
    assert sheet["A1"].value == "Renewal meeting pack · Changed since"
    assert title_block(sheet) == title_block(book["Summary"])
    assert title_block(sheet)["Snapshot"] == "#2, kept for the next meeting"
    said = dict(r[:2] for r in rows(sheet) if r[0] in ("Compared with", "Data as of"))
    assert said["Compared with"].startswith("Snapshot #1, kept ")
    assert said["Compared with"].endswith(" UTC (meeting pack)")
    assert said["Data as of"] == "15 Jun 2026 → 15 Jul 2026"

    lines = headline(sheet)
    # over the entitlements in both: reactive E1 25 + E5 3 = 28, advisory E3 4; credits E2 5
    assert lines["Hours used since"] == (32, "Reactive support 28; Advisory support 4")
    assert lines["Credits used since"] == (5, "Proactive credits 5")
    assert lines["Entitlements whose status changed"][0] == 2  # E1 and E5
    assert lines["Entitlements new since"] == (1, "Reactive E6 (CN-3)")
    assert lines["Additional cases raised since"][0] == 2  # c7 and c8, after 15 Jun
    assert "1 then and 4 now in all" in lines["Additional cases raised since"][1]
    assert lines["Contracts ended"] == (1, "CN-2")
    assert lines["Contracts renewed"] == (1, "CN-2 renewed by CN-3")

    entitlements = table(sheet, "Change", "Contract", "Package")
    # status changes first (by contract), then the new one, then the rest
    assert [row["Entitlement"] for row in entitlements] == [
        "Reactive E1", "Reactive E5", "Reactive E6", "Advisory E3", "Credits E2"
    ]  # fmt: skip
    e1, e5, e6, e3, e2 = entitlements
    # E1: 30 + 20 used of 100 on 15 Jun, c6's 25 since; on track, now running out
    assert e1 == {
        "Change": "Status changed", "Contract": "CN-1", "Package": "Enterprise P1",
        "Entitlement": "Reactive E1", "Unit": "hours", "Used then": 50, "Used now": 75,
        "Used since": 25, "Remaining then": 50, "Remaining now": 25, "Status then": "On track",
        "Status now": "Will run out before expiry",
    }  # fmt: skip
    # E5: 10 then, c7's 3 since; its package ended 30 Jun
    assert (e5["Used then"], e5["Used now"], e5["Remaining now"]) == (10, 13, 27)
    assert (e5["Status then"], e5["Status now"]) == ("Will leave unused", "Expired")
    assert (e6["Change"], e6["Contract"], e6["Used then"], e6["Remaining now"]) == (
        "New since", "CN-3", None, 60
    )  # fmt: skip
    assert (e3["Change"], e3["Used since"], e3["Remaining now"]) == ("", 4, None)  # no limit
    # E2: 10 used and 5 scheduled of 50 then; d2's 5 delivered since: 35 left both times
    assert (e2["Used then"], e2["Used now"], e2["Remaining then"], e2["Remaining now"]) == (
        10, 15, 35, 35
    )  # fmt: skip
    first = cells(sheet, "Change", "Contract", "Package")[0]
    assert first["Used since"].number_format == formats.XLSX_AMOUNT

    contracts = by_contract(table(sheet, "Contract", "Name", "Change"))
    assert contracts["CN-2"]["Change"] == "Ended; renewed by CN-3"
    assert (contracts["CN-2"]["Days left then"], contracts["CN-2"]["Days left now"]) == (15, -15)
    assert (contracts["CN-2"]["State then"], contracts["CN-2"]["State now"]) == (
        "Active", "Expired"
    )  # fmt: skip
    assert contracts["CN-3"]["Change"] == "New since"
    assert (contracts["CN-1"]["Change"], contracts["CN-1"]["Days left now"]) == ("", 169)
    days = cells(sheet, "Contract", "Name", "Change")[0]["Days left now"]
    assert days.number_format == formats.XLSX_COUNT

    cases = {row["Reason"]: row for row in table(sheet, "Reason", "Then", "Now")}
    assert cases["All additional cases"] == {
        "Reason": "All additional cases", "Then": 1, "Now": 4, "Change": 3
    }  # fmt: skip
    # c4 then; c4 and c8 now (no entitlement), c7 and c3 now (their contract CN-2 expired)
    assert (cases["No entitlement"]["Then"], cases["No entitlement"]["Now"]) == (1, 2)
    assert (cases["Expired contract"]["Then"], cases["Expired contract"]["Now"]) == (0, 2)
    assert any(r[0] and "Expired contract: its contract had expired." in r[0] for r in rows(sheet))
    assert not any("no longer visible" in str(r[0]) for r in rows(sheet))  # u-admin sees all


def by_contract(listed: list[dict]) -> dict:
    return {row["Contract"]: row for row in listed}


def test_the_pdf_opens_with_what_changed_since(home, tmp_path):
    workbook(home)
    next_meeting(home, tmp_path)
    pages = pdf_pages(home)
    first = pages[0]
    assert "Snapshot #2, kept for the next meeting" in first
    # straight after the title block, before the Summary's figures (a page of its own)
    assert first.index("Prepared by") < first.index("Changed since snapshot #1") < first.index(
        "What changed"
    )  # fmt: skip
    assert "Items delivered" not in first
    assert re.search(r"Hours used since 32 Reactive support 28; Advisory support 4", first)
    assert "Data as of 15 Jun 2026 → 15 Jul 2026" in first
    whole = "\n".join(pages)
    assert whole.index("Reactive E1 hours 50 75 25 50 25 On track Will run out before expiry") < (
        whole.index("Items delivered")
    )  # fmt: skip
    assert "CN-2 Support CN-2 Ended; renewed by CN-3 Active Expired 15 -15 30 Jun 2026" in whole
    assert "All additional cases 1 4 3" in whole


def test_the_workbook_and_the_pdf_of_one_meeting_keep_one_snapshot(home, tmp_path):
    workbook(home)
    next_meeting(home, tmp_path)
    book = workbook(home)
    pages = pdf_pages(home)
    assert title_block(book["Summary"])["Snapshot"] == "#2, kept for the next meeting"
    assert "Snapshot #2, kept for the next meeting" in pages[0]
    assert "Changed since snapshot #1" in pages[0]  # the PDF compares with 15 Jun's, not #2
    kept = snapshots.listed(home, "u-admin", EVERYTHING)
    assert [(s.id, s.as_of.isoformat()) for s in kept] == [(2, "2026-07-15"), (1, "2026-06-15")]


def test_a_pack_asked_to_keep_no_snapshot_keeps_none(home, tmp_path):
    book = workbook(home, keep_snapshot=False)
    assert "Snapshot" not in title_block(book["Summary"])
    assert snapshots.listed(home, "u-admin", EVERYTHING) == []
    next_meeting(home, tmp_path)
    assert workbook(home, keep_snapshot=False).sheetnames == SHEETS  # nothing to compare with


def test_what_the_viewer_may_no_longer_see_is_left_out(home, tmp_path):
    workbook(home, user="u-lab")  # W1 and W2 on 15 Jun
    next_meeting(home, tmp_path)  # W2 only on 15 Jul
    sheet = workbook(home, user="u-lab")["Changed since"]
    entitlements = table(sheet, "Change", "Contract", "Package")
    # E1, E2 and E3 are W1's CN-1's: gone, with CN-1 itself (4); E5 is W2's, E6 W2's CN-3's
    assert [(row["Entitlement"], row["Change"]) for row in entitlements] == [
        ("Reactive E5", "Status changed"),
        ("Reactive E6", "New since"),
    ]
    said = [r[0] for r in rows(sheet) if r[0] and "no longer visible" in r[0]]
    assert said == [
        "4 of the snapshot's entitlements and contracts are no longer visible to you and are "
        "left out."
    ]
    assert list(by_contract(table(sheet, "Contract", "Name", "Change"))) == ["CN-3", "CN-2"]
    assert headline(sheet)["Hours used since"] == (3, "Reactive support 3")  # E5 only


def test_a_snapshot_is_its_takers_own(home, tmp_path):
    workbook(home, user="u-admin")
    next_meeting(home, tmp_path)
    # u-lab kept none on 15 Jun: u-admin's snapshot of the same scope is not theirs to compare
    assert workbook(home, user="u-lab").sheetnames == SHEETS


def test_with_the_state_unreachable_the_pack_is_made_and_says_so(home, tmp_path, monkeypatch):
    workbook(home)
    next_meeting(home, tmp_path)

    def down(*args, **kwargs):
        raise StateUnavailable("postgresql://state.example/activity")

    monkeypatch.setattr(snapshots, "take", down)
    book = workbook(home)
    said = title_block(book["Summary"])["Snapshot"]
    assert said == "not kept: the app's state could not be reached just now"
    assert book.sheetnames[0] == "Changed since"  # read before the state went away
    monkeypatch.setattr(snapshots, "listed", down)
    pages = pdf_pages(home)
    assert "Snapshot not kept: the app's state could not be reached just now" in pages[0]
    assert "Changed since" not in pages[0]  # nothing to compare with: made all the same
