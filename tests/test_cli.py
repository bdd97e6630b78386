"""The export CLI end to end: `python -m dashboard export ...` against the hand-made fixture."""

import csv
import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from dashboard.cli import main
from dashboard.ingest import integrity
from dashboard.query.dataset import Dataset


def export(capsysbinary, home, *args):
    code = main(["export", *args, "--data", str(home)])
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def rows(text: str) -> list[list[str]]:
    """The cells of a CSV, its header's first, as a spreadsheet reads them."""
    return list(csv.reader(io.StringIO(text, newline="")))


def test_export_csv_to_stdout(capsysbinary, tiny_home):
    code, out, err = export(capsysbinary, tiny_home, "active_contracts", "--user", "u-act")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith(
        '"contract_id","contract_number","name","workspace_id","start_date","end_date","days_left",'
    )
    assert [row[0] for row in rows(out)[1:]] == ["K-B", "K-A"]


def test_export_with_filters(capsysbinary, tiny_home):
    code, out, _ = export(
        capsysbinary,
        tiny_home,
        "support_requests",
        "--user",
        "u-cadmin",
        "--workspace",
        "W2",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
    )
    assert code == 0
    assert [row[0] for row in rows(out)[1:]] == ["K5"]


def test_export_additional_cases_reasons(capsysbinary, tiny_home):
    code, out, _ = export(capsysbinary, tiny_home, "additional_cases", "--user", "u-wsadmin")
    assert code == 0
    assert '"K7","W1","REC","expired_contract;special_service",' in out


def test_export_xlsx_file(capsysbinary, tiny_home, tmp_path):
    target = tmp_path / "out.xlsx"
    code, _, _ = export(
        capsysbinary,
        tiny_home,
        "enterprise_consumption",
        "--user",
        "u-gadmin",
        "--format",
        "xlsx",
        "--out",
        str(target),
    )
    assert code == 0
    sheet = openpyxl.load_workbook(target)["enterprise_consumption"]
    assert [c.value for c in sheet[2]][:6] == ["reactive", "hours", 25, 7, 0, 18]


def test_export_enterprise_consumption_gives_overage_apart(capsysbinary, tiny_home):
    code, out, _ = export(capsysbinary, tiny_home, "enterprise_consumption", "--user", "u-cadmin")
    assert code == 0
    header, *body = rows(out)
    assert header[:8] == ["category", "unit", "purchased", "used", "scheduled", "remaining",
                          "utilisation", "overage"]  # fmt: skip
    found = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    # education: E-EDU 5 / 3 has 2 left, E-BEDU 2 / 3 is 1 over; not 1 "remaining"
    education = found["education"]
    got = [float(education[k]) for k in ("purchased", "used", "remaining", "overage")]
    assert got == [7, 6, 2, 1]
    # advisory: E-ADV 8 of 20, and E-UNL's 6 with no limit left out of utilisation: 8 / 20
    advisory = found["advisory"]
    assert float(advisory["utilisation"]) == 0.4 and float(advisory["used_without_limit"]) == 6
    assert float(found["reactive"]["overage"]) == 0


def test_export_csv_file_has_bom(capsysbinary, tiny_home, tmp_path):
    target = tmp_path / "out.csv"
    code, _, _ = export(
        capsysbinary, tiny_home, "active_contracts", "--user", "u-train", "--out", str(target)
    )
    assert code == 0
    assert target.read_bytes().startswith(b'\xef\xbb\xbf"contract_id",')


def test_export_csv_file_is_written_in_parts_whole_or_not_at_all(
    capsysbinary, tiny_home, tmp_path, monkeypatch
):
    monkeypatch.setattr("dashboard.query.dataset.BATCH_ROWS", 4)  # K1 to K10 in parts of 4, 4 and 2
    target = tmp_path / "cases.csv"
    args = ("support_requests", "--user", "u-cadmin", "--status", "all", "--out", str(target))
    code, _, _ = export(capsysbinary, tiny_home, *args)
    assert code == 0
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith('"case_id",') and len(lines) == 11  # one header, ten cases
    cases = rows(target.read_text(encoding="utf-8-sig"))[1:]
    assert sorted(row[0] for row in cases) == sorted(f"K{n}" for n in range(1, 11))
    # a read that fails after the first part leaves the file as it was, and no part of it
    before = target.read_bytes()

    def first_part_then_damage(self, *args, **kwargs):
        yield pl.DataFrame({"case_id": ["K10"]})
        raise integrity.damaged(self.folder, "a file cannot be read (cases.parquet)")

    monkeypatch.setattr(Dataset, "batches", first_part_then_damage)
    code, _, err = export(capsysbinary, tiny_home, *args)
    assert code == 1 and "is damaged: a file cannot be read (cases.parquet)" in err
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.csv"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["active_contracts", "--user", "u-none"], "can open the dashboard in no workspace"),
        (["active_contracts", "--user", "u-viewonly"], "can open the dashboard in no workspace"),
        (["active_contracts", "--user", "ghost"], "there is no user 'ghost'"),
        (
            ["active_contracts", "--user", "u-wsadmin", "--workspace", "W2"],
            "workspace “W2” is not one",
        ),
        (
            ["active_contracts", "--user", "u-cadmin", "--workspace", "W3"],
            "workspace “W3” is not one",
        ),
        (
            ["active_contracts", "--user", "u-act", "--contract", "K-NULL"],
            "contract “K-NULL” is not",
        ),
        (["active_contracts", "--user", "u-act", "--package", "P-G1"], "package “P-G1” is not"),
        (["active_contracts"], "--user USER_ID is required"),
        (["training_report", "--user", "u-act"], "may not see learner details"),
        (["access_audit", "--user", "u-act"], "is not an admin: access_audit is for admins only"),
        (["training_report", "--user", "u-viewall"], "may not see learner details"),
        (["no_such_query", "--user", "u-act"], "no query named “no_such_query”"),
        (
            ["support_requests", "--user", "u-act", "--from", "2026-05-01", "--to", "2026-04-01"],
            "starts (2026-05-01) after it ends",
        ),
    ],
)
def test_export_refusals_are_one_line(capsysbinary, tiny_home, args, message):
    code, out, err = export(capsysbinary, tiny_home, *args)
    assert code == 1
    assert out == ""
    assert message in err
    assert err.count("\n") == 1 and err.startswith("error: ")


def test_export_list(capsysbinary):
    assert main(["export", "--list"]) == 0
    out = capsysbinary.readouterr().out.decode()
    for name in ("active_contracts", "enterprise_consumption", "package_entitlements"):
        assert f"\n{name}\n" in f"\n{out}"
    assert "--from --to --range" in out


def test_export_missing_dataset(capsysbinary, tmp_path):
    code, _, err = export(capsysbinary, tmp_path / "empty", "active_contracts", "--user", "u-act")
    assert code == 1 and "no dataset in" in err


def test_bad_date_is_a_usage_error(capsysbinary, tiny_home):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "support_requests", "--user", "u-act", "--from", "2026-02-30"])
    assert exit_info.value.code == 2
    assert "'2026-02-30' is not a date" in capsysbinary.readouterr().err.decode()


def test_export_neutralises_formulas(capsysbinary, tmp_path):
    """A case title written by a customer as a formula leaves the CSV as text, and so does one
    that hides a formula after a semicolon, for a spreadsheet that splits cells there."""
    import shutil
    from datetime import date

    from dashboard import export as exported
    from dashboard.ingest.importer import import_dataset
    from tests.conftest import FIXTURE

    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    cases = (src / "cases.csv").read_text().replace("Login fails", '=HYPERLINK("x")')
    cases = cases.replace("Slow queries", "x;=cmd|' /C calc'!A0")
    (src / "cases.csv").write_text(cases)
    import_dataset(src, tmp_path / "home", date(2026, 6, 30))
    code, out, _ = export(capsysbinary, tmp_path / "home", "support_requests", "--user", "u-cadmin")
    assert code == 0
    [k1] = [line for line in out.splitlines() if line.startswith('"K1",')]
    assert ',"\'=HYPERLINK(""x"")","reactive",' in k1
    [k2] = [line for line in out.splitlines() if line.startswith('"K2",')]
    assert ',"x;\'=cmd|\' /C calc\'!A0","reactive",' in k2
    assert len(out.splitlines()) == 11
    for delimiter in (",", ";"):
        cells = [cell for row in csv.reader(io.StringIO(out), delimiter=delimiter) for cell in row]
        assert not [c for c in cells if c.startswith(exported.FORMULA_PREFIXES)]


def test_training_report_for_a_training_manager(capsysbinary, tiny_home):
    code, out, _ = export(capsysbinary, tiny_home, "training_report", "--user", "u-train")
    assert code == 0
    learners = [row[0] for row in rows(out)[1:]]
    assert learners == ["Ed Lab", "Flo Lab", "Gil Lab"]  # W2's learners only


def test_access_audit_export_for_an_admin(capsysbinary, tmp_path, state_backend):
    from dashboard.ingest.data_home import current_dataset
    from dashboard.ingest.importer import import_dataset
    from dashboard.query import access_admin
    from dashboard.query.dataset import Dataset
    from tests.conftest import FIXTURE, FIXTURE_AS_OF

    home = tmp_path / "home"
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    dataset = Dataset(current_dataset(home))
    access_admin.change(dataset, "u-wsadmin", "u-none", "W1", "customer_activity", "grant")
    code, out, _ = export(capsysbinary, home, "access_audit", "--user", "u-cadmin")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(
        '"changed_at","changed_by","action","role","user_name","workspace_name"'
    )
    assert ',"Walt Wsadmin","grant","customer_activity","Nora None","Acme Production",' in lines[1]


def test_renewal_forecast_export(capsysbinary, tiny_home):
    code, out, _ = export(capsysbinary, tiny_home, "renewal_forecast", "--user", "u-train")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(
        '"entitlement_id","burn_per_day","projected_exhaustion_date","projected_unused_at_expiry",'
        '"status","days_left"'
    )
    # Tess sees K-B's packages: E-BEDU has run out, E-BREA leaves unused, E-BCR is on track
    assert [row[0] for row in rows(out)[1:]] == ["E-BEDU", "E-BREA", "E-BCR"]
    _, burn, runs_out, unused, status, days_left = rows(out)[3][:6]
    assert float(burn) == pytest.approx(3 / 61) and runs_out == "2026-11-20"
    assert float(unused) == pytest.approx(7 - 3 / 61 * 123) and status == "on track"
    assert days_left == "123"


def test_proof_of_delivery_export(capsysbinary, tiny_home):
    code, out, _ = export(
        capsysbinary,
        tiny_home,
        "proof_of_delivery",
        "--user",
        "u-cadmin",
        "--contract",
        "K-A",
        "--from",
        "2026-04-01",
        "--to",
        "2026-05-31",
    )
    assert code == 0
    assert [(r[0], r[3], r[4]) for r in rows(out)[1:]] == [
        ("education", "N2", "1.0"),
        ("education", "N4", "1.0"),
        ("proactive", "D2", "16.0"),
        ("reactive", "K6", "4.0"),
        ("reactive", "K2", "25.5"),
    ]


def test_export_of_a_list_narrowed_by_a_search(capsysbinary, tiny_home):
    def found(*args):
        code, out, err = export(capsysbinary, tiny_home, *args, "--user", "u-cadmin")
        assert code == 0, err
        return [row[0] for row in rows(out)[1:]]

    # as the page's search box finds them: K6 "Lab on the production contract" (05-05) and K5
    # "Lab outage" (04-20), newest first; a case by its whole number, in any case
    assert found("support_requests", "--status", "all", "--search", " lab  LAB ") == ["K6", "K5"]
    assert found("support_requests", "--status", "all", "--search", "k7") == ["K7"]
    pod = found("proof_of_delivery", "--contract", "K-A", "--search", "security")
    assert pod == ["assessments", "education", "proactive"]  # A1, N4, D1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["active_contracts", "--search", "lab"], "active_contracts has no search"),
        (["support_requests", "--search", "a b c d e f g"], "at most 6 words, not 7"),
    ],
)
def test_export_search_refusals(capsysbinary, tiny_home, args, message):
    code, out, err = export(capsysbinary, tiny_home, *args, "--user", "u-cadmin")
    assert (code, out) == (1, "")
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_an_export_that_fails_leaves_the_file_there_was(
    capsysbinary, tiny_home, tmp_path, monkeypatch, form
):
    """The list breaks after its first part: no half-written file takes the place of the one
    already there, and none is left beside it."""
    target = tmp_path / f"out.{form}"
    target.write_bytes(b"the export of yesterday")

    def broken(self, *args, **kwargs):
        yield pl.DataFrame({"contract_id": ["K-A"]})
        raise OSError("the disk went away")

    monkeypatch.setattr(Dataset, "batches", broken)
    with pytest.raises(OSError, match="the disk went away"):
        export(capsysbinary, tiny_home, "active_contracts", "--user", "u-act", "--format", form,
               "--out", str(target))  # fmt: skip
    assert target.read_bytes() == b"the export of yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"out.{form}"]


def written(target, form: str) -> list[str]:
    """The first cell of each row an export wrote to `target`, its header's included."""
    if form == "csv":
        return [row[0] for row in rows(target.read_text(encoding="utf-8-sig"))]
    sheet = openpyxl.load_workbook(target)["active_contracts"]
    return [row[0] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_an_export_writes_through_no_link_planted_beside_its_file(
    capsysbinary, tiny_home, tmp_path, form
):
    """Links planted at the name the hidden file beside the export once had, and at names like
    it, point at a file of someone else's and at a path where none is yet: the export writes
    through none of them and leaves them as they were, and its file holds the export."""
    victim = tmp_path / "victim"
    victim.write_bytes(b"someone else's file")
    nowhere = tmp_path / "nowhere"
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / f"out.{form}"
    planted = [f".out.{form}.partial", f"out.{form}.partial", f".out.{form}.tmp", f"out.{form}~"]
    for name in planted:
        (folder / name).symlink_to(victim)
    (folder / f".out.{form}.partial.tmp").symlink_to(nowhere)
    code, _, err = export(capsysbinary, tiny_home, "active_contracts", "--user", "u-act",
                          "--format", form, "--out", str(target))  # fmt: skip
    assert code == 0, err
    assert victim.read_bytes() == b"someone else's file" and not nowhere.exists()
    links = [*planted, f".out.{form}.partial.tmp"]
    assert sorted(p.name for p in folder.iterdir()) == sorted([target.name, *links])
    assert [(folder / name).is_symlink() for name in links] == [True] * len(links)
    assert not target.is_symlink()
    assert written(target, form) == ["contract_id", "K-B", "K-A"]


def test_an_export_to_a_link_replaces_the_link_not_what_it_points_at(
    capsysbinary, tiny_home, tmp_path
):
    victim = tmp_path / "victim"
    victim.write_bytes(b"someone else's file")
    target = tmp_path / "out.csv"
    target.symlink_to(victim)
    code, _, err = export(capsysbinary, tiny_home, "active_contracts", "--user", "u-act",
                          "--out", str(target))  # fmt: skip
    assert code == 0, err
    assert victim.read_bytes() == b"someone else's file"
    assert not target.is_symlink() and written(target, "csv") == ["contract_id", "K-B", "K-A"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "victim"]


def test_an_export_is_written_to_a_new_file_of_its_own_then_renamed(
    capsysbinary, tiny_home, tmp_path, monkeypatch
):
    """Each export writes a hidden file of a name never used before, beside its file, synced to
    disk before it is renamed to that file; the file is as open as any other made here."""
    import os

    done = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: done.append(("fsync", fd)) or fsync(fd))
    monkeypatch.setattr(os, "replace", lambda a, b: done.append(("replace", a, b)) or replace(a, b))
    target = tmp_path / "out.csv"
    umask = os.umask(0o027)
    try:
        for _ in range(2):
            assert export(capsysbinary, tiny_home, "active_contracts", "--user", "u-act",
                          "--out", str(target))[0] == 0  # fmt: skip
    finally:
        os.umask(umask)
    assert [event[0] for event in done] == ["fsync", "replace"] * 2
    hidden = [Path(event[1]) for event in done if event[0] == "replace"]
    assert [Path(event[2]) for event in done if event[0] == "replace"] == [target] * 2
    assert hidden[0] != hidden[1] and {p.parent for p in hidden} == {tmp_path}
    assert all(p.name.startswith(".out.csv.") for p in hidden)
    assert ".out.csv.partial" not in {p.name for p in hidden}  # the name that could be guessed
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.parametrize(
    "args",
    [
        ["no_such_query", "--user", "u-act"],
        ["active_contracts", "--user", "ghost"],
        ["access_audit", "--user", "u-act"],
    ],
)
def test_a_refused_export_leaves_the_file_there_was(capsysbinary, tiny_home, tmp_path, args):
    target = tmp_path / "out.csv"
    target.write_bytes(b"the export of yesterday")
    (tmp_path / ".out.csv.partial").symlink_to(tmp_path / "victim")
    code, out, err = export(capsysbinary, tiny_home, *args, "--out", str(target))
    assert (code, out) == (1, "") and err.startswith("error: ") and err.count("\n") == 1
    assert target.read_bytes() == b"the export of yesterday" and not (tmp_path / "victim").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.csv.partial", "out.csv"]


def test_export_xlsx_to_a_pipe(capsysbinary, tiny_home):
    import io

    code = main(["export", "active_contracts", "--user", "u-act", "--format", "xlsx",
                 "--data", str(tiny_home)])  # fmt: skip
    out, _ = capsysbinary.readouterr()
    assert code == 0
    sheet = openpyxl.load_workbook(io.BytesIO(out))["active_contracts"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["K-B", "K-A"]


def test_export_xlsx_to_a_terminal_asks_for_a_file(capsys, tiny_home, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code = main(["export", "active_contracts", "--user", "u-act", "--format", "xlsx",
                 "--data", str(tiny_home)])  # fmt: skip
    _, err = capsys.readouterr()
    assert code != 0
    assert "xlsx is binary: write it to a file with --out FILE" in err


def test_export_over_a_quick_range_of_dates(capsysbinary, tiny_home):
    def found(*args):
        code, out, err = export(capsysbinary, tiny_home, *args, "--user", "u-cadmin")
        assert code == 0, err
        return [row[0] for row in rows(out)[1:]]

    # as of 2026-06-30: the last 90 days start on 2 April, the quarter on 1 April (K4's day)
    assert found("support_requests", "--status", "all", "--range", "90d") == [
        "K10", "K9", "K8", "K2", "K6", "K5"
    ]  # fmt: skip
    assert found("support_requests", "--status", "all", "--range", "quarter")[-1] == "K4"
    # CN-090 ran through 2025; K7 was opened under it on 2026-01-10, after its term
    assert found("support_requests", "--status", "all", "--contract", "K-OLD") == ["K7"]
    assert found("support_requests", "--status", "all", "--contract", "K-OLD", "--range",
                 "contract") == []  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--range", "contract"], "--range contract needs one contract: give --contract ID"),
        (["--contract", "K-A", "--range", "package"], "needs one package: give --package ID"),
        (["--range", "90d", "--from", "2026-01-01"], "give --range, or --from and --to, not both"),
    ],
)
def test_export_range_refusals(capsysbinary, tiny_home, args, message):
    code, out, err = export(
        capsysbinary, tiny_home, "support_requests", *args, "--user", "u-cadmin"
    )
    assert (code, out) == (1, "")
    assert message in err and err.count("\n") == 1


def test_the_export_ranges_are_the_sidebars():
    from datetime import date

    from dashboard import cli
    from dashboard.query import date_ranges

    term = (date(2026, 1, 1), date(2026, 12, 31))
    offered = date_ranges.ranges(date(2026, 6, 30), contract=term, package=term)
    assert list(cli.RANGES) == [name for name in offered if name != date_ranges.EVERY]


def test_a_reader_that_stops_early_gets_no_traceback(tiny_home):
    import subprocess
    import sys

    command = [sys.executable, "-m", "dashboard", "export", "support_requests", "--user",
               "u-cadmin", "--data", str(tiny_home)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # as `| head` does once it has its lines
    err = process.stderr.read().decode()
    assert process.wait() == 1
    assert "Traceback" not in err and err == ""


def pack(capsysbinary, home, *args):
    """The pack command over `home`, keeping no snapshot: the hand-made home is every test's
    (tests/test_cli_changes.py tests the snapshots)."""
    code = main(["pack", *args, "--data", str(home), "--no-snapshot"])
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def test_pack_writes_the_workbook_and_the_pdf(capsysbinary, tiny_home, tmp_path):
    from pypdf import PdfReader

    k_a = ("--user", "u-cadmin", "--contract", "K-A")
    code, out, err = pack(capsysbinary, tiny_home, *k_a, "--out", str(tmp_path / "k-a.xlsx"))
    assert (code, out, err) == (0, "", "")
    summary = openpyxl.load_workbook(tmp_path / "k-a.xlsx")["Summary"]
    said = dict(summary.iter_rows(min_row=2, max_row=10, max_col=2, values_only=True))
    assert said["Contract"] == "CN-100 · Acme Unified 2026" and said["Prepared by"] == "Cara Admin"
    code, _, err = pack(capsysbinary, tiny_home, *k_a, "--out", str(tmp_path / "k-a.PDF"))
    assert (code, err) == (0, "")
    text = PdfReader(tmp_path / "k-a.PDF").pages[0].extract_text()
    assert "Contract CN-100 · Acme Unified 2026" in text
    # --format wins over the extension; with no extension of either, a workbook
    code, _, _ = pack(capsysbinary, tiny_home, *k_a, "--format", "pdf", "--out",
                      str(tmp_path / "k-a.xlsx.tmp"))  # fmt: skip
    assert code == 0 and (tmp_path / "k-a.xlsx.tmp").read_bytes().startswith(b"%PDF")
    code, _, _ = pack(capsysbinary, tiny_home, "--user", "u-act", "--out", str(tmp_path / "all"))
    assert code == 0 and (tmp_path / "all").read_bytes().startswith(b"PK")  # a zip: xlsx


def test_pack_takes_the_activity_dates_as_export_does(capsysbinary, tiny_home, tmp_path):
    target = tmp_path / "spring.xlsx"
    code, _, _ = pack(capsysbinary, tiny_home, "--user", "u-wsadmin", "--workspace", "W1",
                      "--range", "quarter", "--out", str(target))  # fmt: skip
    assert code == 0
    said = dict(openpyxl.load_workbook(target)["Summary"].iter_rows(
        min_row=2, max_row=10, max_col=2, values_only=True))  # fmt: skip
    assert said["Workspaces"] == "Acme Production"
    assert said["Activity dates"] == "This quarter (1 Apr 2026 – 30 Jun 2026)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # Walt opens W1 only: K-B is W2's
        (["--user", "u-wsadmin", "--contract", "K-B"], "contract “K-B” is not one you can see"),
        # K-NULL, mapped to no workspace, is for customer admins only
        (["--user", "u-act", "--contract", "K-NULL"], "contract “K-NULL” is not"),
        (["--user", "u-cadmin", "--contract", "K-G"], "contract “K-G” is not"),  # Globex's
        (["--user", "u-cadmin", "--workspace", "W3"], "workspace “W3” is not one"),
        (["--user", "ghost"], "there is no user 'ghost'"),
        (["--user", "u-none"], "can open the dashboard in no workspace"),
        (["--contract", "K-A"], "--user USER_ID is required"),
        (["--user", "u-cadmin", "--from", "2026-05-01", "--to", "2026-04-01"], "starts (2026-05"),
    ],
)
def test_pack_refusals_are_one_line_and_leave_no_file(
    capsysbinary, tiny_home, tmp_path, args, message
):
    target = tmp_path / "pack.pdf"
    code, out, err = pack(capsysbinary, tiny_home, *args, "--out", str(target))
    assert (code, out) == (1, "")
    assert message in err and err.startswith("error: ") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_pack_needs_a_file_to_write(capsysbinary, tiny_home, tmp_path):
    code, out, err = pack(capsysbinary, tiny_home, "--user", "u-cadmin")
    assert (code, out) == (1, "")
    assert err == "error: --out FILE is required: a meeting pack is written to a file\n"
    nowhere = tmp_path / "no such folder" / "pack.xlsx"
    code, out, err = pack(capsysbinary, tiny_home, "--user", "u-cadmin", "--out", str(nowhere))
    assert (code, out) == (1, "")
    assert err == f"error: {nowhere.parent} is not a folder: --out names the file to write\n"
    (tmp_path / "a folder").mkdir()  # a file cannot take its name, root's or anyone's
    code, out, err = pack(capsysbinary, tiny_home, "--user", "u-cadmin", "--out",
                          str(tmp_path / "a folder"))  # fmt: skip
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith(f"error: could not write {tmp_path / 'a folder'}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a folder"]  # nothing left beside
