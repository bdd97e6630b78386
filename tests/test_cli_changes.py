"""`pack` keeps a snapshot of the pack's figures (`--no-snapshot`: none), and `export changes
--since SNAPSHOT_ID` says what changed since one, as its user may see it now. Over
tests/sql/meeting_datasets.py's two meetings: every expected figure is worked out by hand in its
docstring."""

import csv
import io

import openpyxl
import pytest

from dashboard.cli import main
from dashboard.query import snapshots
from dashboard.query.filters import Filters
from tests.sql.meeting_datasets import first_home, next_meeting


def run(capsysbinary, home, *args):
    code = main([*args, "--data", str(home)])
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def pack(capsysbinary, home, out, *args):
    return run(capsysbinary, home, "pack", *args, "--out", str(out))


def changes(capsysbinary, home, *args):
    return run(capsysbinary, home, "export", "changes", *args)


def table(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def home(tmp_path):
    return first_home(tmp_path)


@pytest.fixture
def two_meetings(capsysbinary, tmp_path):
    """The second meeting's data live, u-admin's snapshot #1 and u-lab's #2 kept by the packs
    of the first."""
    home = first_home(tmp_path)
    for user in ("u-admin", "u-lab"):
        code, _, _ = pack(capsysbinary, home, tmp_path / f"{user}.xlsx", "--user", user)
        assert code == 0
    next_meeting(home, tmp_path)
    return home


def test_pack_keeps_a_snapshot_and_says_which(capsysbinary, home, tmp_path):
    code, out, err = pack(capsysbinary, home, tmp_path / "pack.xlsx", "--user", "u-admin")
    assert (code, out, err) == (0, "", "kept snapshot 1\n")
    # the PDF of the same meeting keeps none of its own: the same figures of the same day
    code, out, err = pack(capsysbinary, home, tmp_path / "pack.pdf", "--user", "u-admin")
    assert (code, out, err) == (0, "", "kept snapshot 1\n")
    assert [s.id for s in snapshots.listed(home, "u-admin", Filters())] == [1]


def test_pack_with_no_snapshot_keeps_none(capsysbinary, home, tmp_path):
    code, out, err = pack(
        capsysbinary, home, tmp_path / "pack.xlsx", "--user", "u-admin", "--no-snapshot"
    )
    assert (code, out, err) == (0, "", "")
    assert (tmp_path / "pack.xlsx").read_bytes().startswith(b"PK")
    assert snapshots.listed(home, "u-admin") == []


def test_changes_since_a_snapshot_as_csv(capsysbinary, two_meetings):
    code, out, err = changes(capsysbinary, two_meetings, "--user", "u-admin", "--since", "1")
    assert (code, err) == (0, "")
    rows = table(out)
    assert list(rows[0]) == [
        "change", "contract_number", "package_name", "name", "category", "unit", "used_then",
        "used_now", "used_since", "remaining_then", "remaining_now", "status_then", "status_now",
        "purchased_then", "purchased_now", "entitlement_id",
    ]  # fmt: skip
    found = {row["entitlement_id"]: row for row in rows}
    # status changes first, then the new one, then the rest
    assert [row["entitlement_id"] for row in rows] == ["E1", "E5", "E6", "E3", "E2"]
    e1 = found["E1"]  # 50 used of 100 on 15 Jun, c6's 25 since
    assert (e1["change"], e1["used_then"], e1["used_now"], e1["used_since"]) == (
        "status changed", "50.0", "75.0", "25.0"
    )  # fmt: skip
    assert (e1["remaining_then"], e1["remaining_now"]) == ("50.0", "25.0")
    assert (e1["status_then"], e1["status_now"]) == ("on track", "will run out before expiry")
    assert (found["E5"]["status_now"], found["E5"]["used_since"]) == ("expired", "3.0")
    assert (found["E6"]["change"], found["E6"]["used_then"], found["E6"]["purchased_now"]) == (
        "new since", "", "60.0"
    )  # fmt: skip
    assert (found["E3"]["change"], found["E3"]["used_since"]) == ("", "4.0")
    assert (found["E2"]["used_since"], found["E2"]["remaining_now"]) == ("5.0", "35.0")


def test_changes_as_a_workbook(capsysbinary, two_meetings, tmp_path):
    target = tmp_path / "changes.xlsx"
    code, out, err = changes(capsysbinary, two_meetings, "--user", "u-admin", "--since", "1",
                             "--format", "xlsx", "--out", str(target))  # fmt: skip
    assert (code, out, err) == (0, "", "")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["entitlements", "used_since", "contracts", "additional_cases"]

    def sheet(name):
        found = list(book[name].iter_rows(values_only=True))
        return [dict(zip(found[0], row, strict=True)) for row in found[1:]]

    used = {(r["category"], r["unit"]): r["used_since"] for r in sheet("used_since")}
    # reactive E1 25 + E5 3; advisory E3 4; credits E2 5 (E6 is new: not counted)
    assert used == {("advisory", "hours"): 4, ("credits", "credits"): 5, ("reactive", "hours"): 28}
    contracts = {r["contract_number"]: r for r in sheet("contracts")}
    assert contracts["CN-2"]["change"] == "ended; renewed by CN-3"
    assert (contracts["CN-2"]["days_left_then"], contracts["CN-2"]["days_left_now"]) == (15, -15)
    assert (contracts["CN-1"]["days_left_then"], contracts["CN-1"]["days_left_now"]) == (199, 169)
    assert contracts["CN-3"]["change"] == "new since"
    cases = {r["reason"]: (r["then"], r["now"], r["change"]) for r in sheet("additional_cases")}
    assert cases == {"no_entitlement": (1, 2, 1), "expired_contract": (0, 2, 2), "all": (1, 4, 3)}


def test_what_the_user_may_no_longer_see_is_left_out_and_counted(capsysbinary, two_meetings):
    code, out, err = changes(capsysbinary, two_meetings, "--user", "u-lab", "--since", "2")
    assert code == 0
    # E1, E2, E3 and their contract CN-1 are W1's, which u-lab no longer opens
    assert err == "4 rows of the snapshot are no longer visible to you and are left out\n"
    assert [(r["entitlement_id"], r["change"]) for r in table(out)] == [
        ("E5", "status changed"),
        ("E6", "new since"),
    ]


def test_another_users_snapshot_is_refused(capsysbinary, two_meetings):
    code, out, err = changes(capsysbinary, two_meetings, "--user", "u-lab", "--since", "1")
    assert (code, out, err) == (1, "", "error: snapshot 1 is not one of u-lab's\n")
    code, out, err = changes(capsysbinary, two_meetings, "--user", "u-admin", "--since", "99")
    assert (code, out, err) == (1, "", "error: snapshot 99 is not one of u-admin's\n")


@pytest.mark.parametrize(
    "given",
    [
        ["--customer", "C1"],
        ["--workspace", "W2"],
        ["--contract", "K2"],
        ["--package", "P2"],
        ["--status", "active"],
        ["--from", "2026-01-01"],
        ["--to", "2026-07-15"],
        ["--range", "90d"],
    ],
)
def test_changes_refuses_a_scope_of_its_own(capsysbinary, two_meetings, given):
    code, out, err = changes(capsysbinary, two_meetings, "--user", "u-admin", "--since", "1",
                             *given)  # fmt: skip
    assert (code, out) == (1, "")
    assert err == f"error: changes takes its scope from the snapshot: give no {given[0]}\n"


def test_changes_without_since_lists_the_users_snapshots(capsysbinary, home, tmp_path):
    code, out, err = changes(capsysbinary, home, "--user", "u-admin")
    assert (code, err) == (0, "")
    assert out.count("\n") == 1 and "u-admin has no snapshots" in out
    pack(capsysbinary, home, tmp_path / "all.xlsx", "--user", "u-admin")
    pack(capsysbinary, home, tmp_path / "k1.xlsx", "--user", "u-admin", "--contract", "K1")
    code, out, err = changes(capsysbinary, home, "--user", "u-admin")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 3  # a heading, then a line each, newest first
    assert lines[1].split()[0] == "2" and "contract K1" in lines[1]
    assert "data as of 2026-06-15" in lines[1] and "meeting pack" in lines[1]
    assert lines[2].split()[0] == "1" and "every workspace, active packages" in lines[2]
    code, out, _ = changes(capsysbinary, home, "--user", "u-lab")
    assert code == 0 and "u-lab has no snapshots" in out  # u-admin's are not theirs


def test_the_list_shows_changes_and_since_is_for_changes_only(capsysbinary, home):
    code, out, _ = run(capsysbinary, home, "export", "--list")
    assert code == 0
    lines = out.splitlines()
    at = lines.index("changes")
    assert lines[at + 2] == "    options: --since --user"
    assert lines[at - 3] < "changes" < lines[at + 3]  # in its place among the queries
    code, out, err = run(capsysbinary, home, "export", "active_contracts", "--user", "u-admin",
                         "--since", "1")  # fmt: skip
    assert (code, out, err) == (1, "", "error: --since is for changes only\n")
