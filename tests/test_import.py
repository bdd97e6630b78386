"""The import: a valid source becomes the live dataset; every kind of bad input is refused with
the file, row, column and value, and leaves the previous dataset exactly as it was."""

import hashlib
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from dashboard.cli import main
from dashboard.ingest import data_home, parquet_layout
from dashboard.ingest.importer import ImportRejected, import_dataset
from tests.conftest import FIXTURE, FIXTURE_AS_OF


def fingerprint(home: Path) -> dict[str, str]:
    """The live dataset's folder and every file's checksum."""
    live = data_home.current_dataset(home)
    files = {
        str(p.relative_to(live)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(live.rglob("*"))
        if p.is_file()
    }
    return {"folder": str(live), **files}


def edit(src: Path, table: str, old: str, new: str) -> None:
    path = src / f"{table}.csv"
    text = path.read_text()
    assert old in text, f"{old!r} not in {table}.csv"
    path.write_text(text.replace(old, new, 1))


def refused(src: Path, home: Path) -> str:
    before = fingerprint(home)
    with pytest.raises(ImportRejected) as rejected:
        import_dataset(src, home, FIXTURE_AS_OF)
    assert fingerprint(home) == before, "a refused import changed the live dataset"
    assert not list((home / "versions").glob(".staging-*"))
    message = str(rejected.value)
    assert message.startswith("Import refused: ")
    assert f"nothing was changed: the dataset in {home} is as it was" in message
    return message


def test_the_fixture_imports_with_a_manifest(tmp_path):
    home = tmp_path / "home"
    manifest = import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    live = data_home.current_dataset(home)
    assert manifest["as_of"] == "2026-06-30"
    # rows counted by hand in the CSV files
    assert manifest["tables"]["cases"]["rows"] == 11
    assert manifest["tables"]["entitlements"]["rows"] == 18
    assert manifest["tables"]["users"]["rows"] == 11
    assert manifest["tables"]["deliveries"]["rows"] == 11
    for table, entry in manifest["tables"].items():
        path = live / f"{table}.parquet"
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert parquet_layout.read_manifest(live) == manifest
    schema = pq.read_schema(live / "cases.parquet")
    assert str(schema.field("created_at").type) == "timestamp[us, tz=UTC]"
    assert str(schema.field("hours").type) == "double"
    cases = pl.read_parquet(live / "cases.parquet")
    k2 = cases.filter(pl.col("case_id") == "K2").row(0, named=True)
    assert k2["created_at"].isoformat() == "2026-05-10T07:00:00+00:00"  # +02:00 made UTC
    assert k2["closed_at"] is None and k2["hours"] == 25.5
    users = pl.read_parquet(live / "users.parquet")
    assert users.filter(pl.col("is_customer_admin")).get_column("user_id").sort().to_list() == [
        "u-cadmin",
        "u-gadmin",
    ]


def test_rows_are_written_in_the_production_layout(tmp_path):
    home = tmp_path / "home"
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    cases = pl.read_parquet(data_home.current_dataset(home) / "cases.parquet")
    # W1's cases on K-A by type, then when they were opened: advisory K3 (Mar) and K10 (Jun),
    # then reactive K1 (Feb) and K2 (May)
    assert cases.get_column("case_id").to_list()[:4] == ["K3", "K10", "K1", "K2"]
    assert cases.get_column("workspace_id").to_list() == sorted(cases["workspace_id"].to_list())


def test_a_parquet_source_imports_to_the_same_rows(tmp_path, home):
    src = tmp_path / "parquet-src"
    src.mkdir()
    live = data_home.current_dataset(home)
    for table in parquet_layout.TABLES:
        pl.read_parquet(live / f"{table.name}.parquet").write_parquet(src / f"{table.name}.parquet")
    other = tmp_path / "other"
    manifest = import_dataset(src, other, FIXTURE_AS_OF)
    for table, entry in parquet_layout.read_manifest(live)["tables"].items():
        assert manifest["tables"][table]["sha256"] == entry["sha256"], table


def test_csv_values_in_parquet_strings_are_checked_too(tmp_path, home):
    src = tmp_path / "mixed"
    shutil.copytree(FIXTURE, src, ignore=shutil.ignore_patterns("*.md"))
    cases = pl.read_csv(src / "cases.csv", infer_schema=False)
    cases.with_columns(pl.col("hours").replace("8", "eight")).write_parquet(src / "cases.parquet")
    (src / "cases.csv").unlink()
    message = refused(src, home)
    assert "cases.parquet row 3, column hours: 'eight' is not a number" in message


@pytest.mark.parametrize(
    ("table", "old", "new", "expected"),
    [
        # wrong type
        ("entitlements", "consumable,hours,100,", "consumable,hours,1e2x,",
         "entitlements.csv row 1, column purchased: '1e2x' is not a number"),
        ("deliveries", "8,7.5,delivered", "8,nan,delivered",
         "deliveries.csv row 1, column hours_delivered: 'nan' is not a number"),
        ("users", "cara@acme.example,true", "cara@acme.example,yes",
         "users.csv row 1, column is_customer_admin: 'yes' is not true or false"),
        ("contracts", "2026-01-01,2026-12-31,K-OLD", "2026-01-01,2026-02-30,K-OLD",
         "contracts.csv row 1, column end_date: '2026-02-30' is not a date"),
        ("packages", "P-A1,K-A,Enterprise Support 2026,enterprise,2026-01-01",
         "P-A1,K-A,Enterprise Support 2026,enterprise,01/01/2026",
         "packages.csv row 1, column start_date: '01/01/2026' is not a date"),
        ("cases", "2026-02-01T10:00:00Z", "yesterday",
         "cases.csv row 1, column created_at: 'yesterday' is not an ISO 8601 timestamp"),
        # null in a required column
        ("cases", "K1,W1,K-A,E-REA,Login fails", "K1,W1,K-A,E-REA,",
         "cases.csv row 1, column title: is empty but required"),
        # unknown enum value
        ("cases", "Login fails,reactive,STD,A", "Login fails,reactive,STD,Z",
         "cases.csv row 1, column severity: 'Z' is not one of A, B, C"),
        ("role_grants", "u-act,W1,customer_activity", "u-act,W1,superuser",
         "role_grants.csv row 1, column role: 'superuser' is not one of customer_activity"),
        # negative quantity or hours
        ("cases", "u-cadmin,10", "u-cadmin,-10",
         "cases.csv row 1, column hours: '-10' is negative"),
        ("deliveries", "Security workshop,8,", "Security workshop,-8,",
         "deliveries.csv row 1, column quantity: '-8' is negative"),
        # duplicate id
        ("cases", "K2,W1", "K1,W1", "cases.csv row 2, column case_id: 'K1' appears twice"),
        ("role_grants", "u-act,W2,customer_activity", "u-act,W1,customer_activity",
         "role_grants.csv row 2, column user_id + workspace_id + role: "
         "'u-act + W1 + customer_activity' appears twice"),
        # dangling reference
        ("cases", "K1,W1,K-A,E-REA", "K1,W9,K-A,E-REA",
         "cases.csv row 1, column workspace_id: 'W9' is not a workspace_id in workspaces.csv"),
        ("entitlements", "E-REA,P-A1", "E-REA,P-ZZ",
         "entitlements.csv row 1, column package_id: 'P-ZZ' is not a package_id in packages.csv"),
        # end before start
        ("contracts", "2026-03-01,2026-09-15", "2026-03-01,2026-02-15",
         "contracts.csv row 3, column end_date: '2026-02-15' is before start_date"),
        ("cases", "2026-02-02T10:00:00Z", "2026-01-02T10:00:00Z",
         "cases.csv row 1, column closed_at: '2026-01-02T10:00:00Z' is before created_at"),
        # references across customers or contracts
        ("role_grants", "u-act,W1,customer_activity", "u-act,W3,customer_activity",
         "role_grants.csv row 1, column user_id: 'u-act' belongs to another customer"),
        ("cases", "K20,W3,K-G,E-GREA", "K20,W3,K-A,E-REA",
         "cases.csv row 11, column contract_id: 'K-A' belongs to another customer"),
        ("cases", "K1,W1,K-A,E-REA", "K1,W1,K-A,E-BREA",
         "cases.csv row 1, column entitlement_id: 'E-BREA' belongs to another contract"),
        ("case_shares", "K3,u-shared", "K3,u-gadmin",
         "case_shares.csv row 1, column user_id: 'u-gadmin' belongs to another customer"),
    ],
)  # fmt: skip
def test_every_kind_of_bad_value_is_refused(src, home, table, old, new, expected):
    edit(src, table, old, new)
    assert expected in refused(src, home)


def test_missing_table(src, home):
    (src / "deliveries.csv").unlink()
    message = refused(src, home)
    assert "1 missing or unreadable files" in message
    assert "deliveries.csv: is missing (or deliveries.parquet)" in message


def test_unreadable_file(src, home):
    (src / "groups.csv").write_bytes(b"group_id,customer_id,name\nG1,C1,\xff\xfe bad\n")
    assert "groups.csv: cannot be read" in refused(src, home)


def test_both_csv_and_parquet(src, home):
    pl.read_csv(src / "groups.csv").write_parquet(src / "groups.parquet")
    assert "groups.csv: and groups.parquet both exist" in refused(src, home)


def test_missing_and_unknown_columns(src, home):
    edit(src, "cases", "case_id,workspace_id", "case_id,workspace")
    message = refused(src, home)
    assert "cases.csv, column workspace_id: is missing" in message
    assert "cases.csv, column workspace: is not a column of cases" in message


def test_only_the_first_class_of_problem_is_reported(src, home):
    edit(src, "cases", "u-cadmin,10", "u-cadmin,ten")  # wrong type
    edit(src, "cases", "Login fails,reactive,STD,A", "Login fails,reactive,STD,Z")  # enum
    message = refused(src, home)
    assert "'ten' is not a number" in message
    assert "'Z'" not in message


def test_problems_beyond_the_limit_are_counted(src, home):
    text = (src / "cases.csv").read_text()
    (src / "cases.csv").write_text(text.replace(",reactive,", ",proactive,"))
    before = fingerprint(home)
    with pytest.raises(ImportRejected) as rejected:
        import_dataset(src, home, FIXTURE_AS_OF, limit=3)
    assert fingerprint(home) == before
    lines = str(rejected.value).splitlines()
    # eight reactive cases: K1, K2, K4-K8 and K20
    assert lines[0].startswith("Import refused: 8 values outside their list")
    assert len(lines) == 5 and lines[-1] == "  ... and 5 more"


def test_an_import_that_dies_midway_changes_nothing(src, home, monkeypatch):
    written = []
    real = parquet_layout.write_table

    def dying(folder, name, frame):
        if len(written) == 5:
            raise OSError("disk full")
        written.append(name)
        return real(folder, name, frame)

    monkeypatch.setattr(parquet_layout, "write_table", dying)
    before = fingerprint(home)
    with pytest.raises(OSError, match="disk full"):
        import_dataset(src, home, FIXTURE_AS_OF)
    assert fingerprint(home) == before
    assert not list((home / "versions").glob(".staging-*"))


def test_a_good_import_replaces_the_live_dataset(src, home):
    before = fingerprint(home)
    edit(src, "entitlements", "consumable,hours,100,", "consumable,hours,120,")
    import_dataset(src, home, date(2026, 7, 1))
    after = fingerprint(home)
    assert after["folder"] != before["folder"]
    assert after["entitlements.parquet"] != before["entitlements.parquet"]
    assert after["cases.parquet"] == before["cases.parquet"]  # same rows, same bytes
    assert parquet_layout.read_manifest(data_home.current_dataset(home))["as_of"] == "2026-07-01"


def test_cli_import_reports_and_exits_non_zero(src, home, capsys):
    edit(src, "cases", "u-cadmin,10", "u-cadmin,ten")
    before = fingerprint(home)
    code = main(["import", str(src), "--data", str(home), "--as-of", "2026-06-30"])
    assert code == 1
    err = capsys.readouterr().err
    assert "cases.csv row 1, column hours: 'ten' is not a number" in err
    assert fingerprint(home) == before


def test_cli_import_success(src, tmp_path, capsys):
    code = main(["import", str(src), "--data", str(tmp_path / "new"), "--as-of", "2026-06-30"])
    assert code == 0
    assert "imported 117 rows as of 2026-06-30" in capsys.readouterr().out


def test_cli_import_of_a_missing_folder(tmp_path, capsys):
    code = main(["import", str(tmp_path / "nowhere"), "--data", str(tmp_path / "home")])
    assert code == 1
    assert "is not a folder" in capsys.readouterr().err


def test_import_shows_a_progress_bar(tmp_path, capsys):
    import_dataset(FIXTURE, tmp_path / "home", FIXTURE_AS_OF, progress=True)
    err = capsys.readouterr().err
    frames = err.split("\r")
    assert any("reading cases.csv" in f for f in frames)
    assert any("checking" in f for f in frames)
    assert any("writing deliveries (11 rows)" in f for f in frames)
    assert frames[-1].startswith("import [#########################] 100% done")
    percents = [int(f.split("]")[1].split("%")[0]) for f in frames if "]" in f]
    assert percents == sorted(percents)  # it only moves forward


def test_a_refused_import_ends_its_progress_bar_before_the_report(src, tmp_path, capsys):
    (src / "cases.csv").unlink()
    with pytest.raises(ImportRejected):
        import_dataset(src, tmp_path / "home", FIXTURE_AS_OF, progress=True)
    assert capsys.readouterr().err.endswith("\n")
