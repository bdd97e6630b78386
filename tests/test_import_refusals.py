"""What the import refuses beyond bad values: two people with one e-mail, rows that point across
customers, files that are not regular files, columns of the wrong type, and tables over the
limits. Each refusal names the file, row, column and value, and leaves the live dataset as it was.
"""

import os
import shutil
import threading
from pathlib import Path

import polars as pl
import pytest

from dashboard.cli import main
from dashboard.ingest.importer import ImportRejected, import_dataset
from tests.conftest import FIXTURE, FIXTURE_AS_OF
from tests.test_import import edit, fingerprint, refused

AS_OF = FIXTURE_AS_OF.isoformat()


def as_parquet(src: Path, table: str, **columns: pl.Expr) -> None:
    """Replace `<table>.csv` by `<table>.parquet`, with `columns` changed."""
    frame = pl.read_csv(src / f"{table}.csv", infer_schema=False).with_columns(**columns)
    frame.write_parquet(src / f"{table}.parquet")
    (src / f"{table}.csv").unlink()


def cli_refused(src: Path, home: Path, capsys, *options: str) -> str:
    """The CLI's report on stderr of an import it refused, having changed nothing."""
    before = fingerprint(home)
    code = main(["import", str(src), "--data", str(home), "--as-of", AS_OF, *options])
    err = capsys.readouterr().err
    assert code == 1, err
    assert fingerprint(home) == before, "a refused import changed the live dataset"
    assert "Traceback" not in err
    return err


# One e-mail, one person ---------------------------------------------------------------------------


def test_the_email_normalisation_trims_and_lowers_ascii_only():
    from dashboard.ingest.schema import normalised_email

    assert normalised_email("  Cara@ACME.Example\t") == "cara@acme.example"
    assert normalised_email("\u212aara@acme.example") == "\u212aara@acme.example"  # Kelvin sign
    assert normalised_email("ÉLODIE@acme.example") == "Élodie@acme.example"
    assert normalised_email("STRASSE@x.example") == "strasse@x.example"
    assert normalised_email("\r\n a@x.example \t") == "a@x.example"
    assert normalised_email("\u00a0a@x.example") == "\u00a0a@x.example"  # as the sign-in trims


def test_two_users_of_one_customer_with_one_email(src, home):
    edit(src, "users", "Walt Wsadmin,walt@acme.example", "Walt Wsadmin, Cara@ACME.example")
    message = refused(src, home)
    assert "1 people with one e-mail" in message
    assert (
        "users.csv row 2, column email: ' Cara@ACME.example' is the e-mail of users.csv row 1 too"
    ) in message


def test_two_users_of_two_customers_with_one_email(src, home):
    edit(src, "users", "Gina Globex,gina@globex.example", "Gina Globex,cara@acme.example")
    message = refused(src, home)
    assert (
        "users.csv row 11, column email: 'cara@acme.example' is the e-mail of users.csv row 1 too"
    ) in message


def test_every_later_holder_of_an_email_is_named(src, home):
    edit(src, "users", "Walt Wsadmin,walt@acme.example", "Walt Wsadmin,CARA@acme.example")
    edit(src, "users", "Ada Activity,ada@acme.example", "Ada Activity,cara@acme.EXAMPLE")
    message = refused(src, home)
    assert (
        "users.csv row 2, column email: 'CARA@acme.example' is the e-mail of users.csv row 1"
        in (message)
    )
    assert (
        "users.csv row 3, column email: 'cara@acme.EXAMPLE' is the e-mail of users.csv row 1"
        in (message)
    )


def test_a_kelvin_sign_is_not_a_k(src, tmp_path):
    # "K" (U+212A) lower-cases to "k" in Unicode: compared so, these two would be one person
    edit(src, "users", "Walt Wsadmin,walt@acme.example", "Walt Wsadmin,kara@acme.example")
    edit(src, "users", "Ada Activity,ada@acme.example", "Ada Activity,\u212aara@acme.example")
    manifest = import_dataset(src, tmp_path / "new", FIXTURE_AS_OF)
    assert manifest["tables"]["users"]["rows"] == 11


# References across customers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "old", "new", "expected"),
    [
        # a case with no contract, on another customer's entitlement
        ("cases", "K4,W1,,,Billing", "K4,W1,,E-GREA,Billing",
         "cases.csv row 4, column entitlement_id: 'E-GREA' belongs to another customer than its "
         "workspace"),
        # a contract renewing another customer's contract
        ("contracts", "K-G,C2,W3,GX-1,Globex Premier,2026-01-01,2026-12-31,",
         "K-G,C2,W3,GX-1,Globex Premier,2026-01-01,2026-12-31,K-A",
         "contracts.csv row 6, column renews_contract_id: 'K-A' belongs to another customer"),
    ],
)  # fmt: skip
def test_new_references_across_customers_are_refused(src, home, table, old, new, expected):
    edit(src, table, old, new)
    message = refused(src, home)
    assert "references across customers or contracts" in message
    assert expected in message


@pytest.mark.parametrize(
    ("table", "old", "new", "expected"),
    [
        # a case on another customer's contract (and that contract's entitlement)
        ("cases", "K1,W1,K-A,E-REA", "K1,W1,K-G,E-GREA",
         "cases.csv row 1, column contract_id: 'K-G' belongs to another customer than its "
         "workspace"),
        # a case's entitlement of another customer, under its own contract
        ("cases", "K1,W1,K-A,E-REA", "K1,W1,K-A,E-GREA",
         "cases.csv row 1, column entitlement_id: 'E-GREA' belongs to another contract"),
        # a case's entitlement of its customer, not under its contract
        ("cases", "K1,W1,K-A,E-REA", "K1,W1,K-A,E-BREA",
         "cases.csv row 1, column entitlement_id: 'E-BREA' belongs to another contract"),
        ("cases", "u-cadmin,10", "u-gadmin,10",
         "cases.csv row 1, column primary_contact_id: 'u-gadmin' belongs to another customer"),
        ("contacts", "T1,E-CON,Cara Admin,cara@acme.example,u-cadmin",
         "T1,E-CON,Cara Admin,cara@acme.example,u-gadmin",
         "contacts.csv row 1, column user_id: 'u-gadmin' belongs to another customer"),
        ("case_shares", "K6,u-shared", "K6,u-gadmin",
         "case_shares.csv row 2, column user_id: 'u-gadmin' belongs to another customer"),
        ("group_members", "G1,u-group", "G1,u-gadmin",
         "group_members.csv row 1, column user_id: 'u-gadmin' belongs to another customer"),
        ("workspace_members", "W1,u-act,false", "W3,u-act,false",
         "workspace_members.csv row 4, column user_id: 'u-act' belongs to another customer"),
        ("role_grants", "u-shared,W1,customer_activity", "u-shared,W3,customer_activity",
         "role_grants.csv row 8, column user_id: 'u-shared' belongs to another customer"),
        ("group_case_access", "G2,W2", "G2,W3",
         "group_case_access.csv row 2, column workspace_id: 'W3' belongs to another customer"),
        ("contracts", "K-B,C1,W2", "K-B,C1,W3",
         "contracts.csv row 3, column workspace_id: 'W3' belongs to another customer"),
    ],
)  # fmt: skip
def test_references_across_customers_stay_refused(src, home, table, old, new, expected):
    edit(src, table, old, new)
    assert expected in refused(src, home)


# Only regular files, never followed out of the folder ---------------------------------------------


def test_a_symlinked_table_is_refused_without_being_read(src, home, tmp_path):
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("TOP-SECRET first line\nmore\n")
    (src / "cases.csv").unlink()
    (src / "cases.csv").symlink_to(secret)
    message = refused(src, home)
    assert "cases.csv: is a symbolic link, not a regular file" in message
    assert "TOP-SECRET" not in message
    assert "is missing" not in message


def test_a_symlink_to_a_good_table_is_refused_too(src, home):
    (src / "cases.csv").unlink()
    (src / "cases.csv").symlink_to(FIXTURE / "cases.csv")
    assert "cases.csv: is a symbolic link, not a regular file" in refused(src, home)


def test_a_symlinked_parquet_table_is_refused(src, home, tmp_path):
    pl.read_csv(src / "groups.csv").write_parquet(tmp_path / "groups.parquet")
    (src / "groups.csv").unlink()
    (src / "groups.parquet").symlink_to(tmp_path / "groups.parquet")
    assert "groups.parquet: is a symbolic link, not a regular file" in refused(src, home)


@pytest.mark.parametrize("swap", ["link", "other file"])
def test_a_file_swapped_after_the_scan_is_not_followed(src, home, tmp_path, monkeypatch, swap):
    from dashboard.ingest import importer

    secret = tmp_path / "elsewhere.txt"
    secret.write_text("TOP-SECRET first line\nmore\n")
    scan = importer._entries

    def scanned_then_swapped(folder):
        found = scan(folder)
        (src / "cases.csv").unlink()
        if swap == "link":
            (src / "cases.csv").symlink_to(secret)
        else:
            shutil.copy(secret, src / "cases.csv")
        return found

    monkeypatch.setattr(importer, "_entries", scanned_then_swapped)
    message = refused(src, home)
    assert "cases.csv: was replaced while the import read the folder" in message
    assert "TOP-SECRET" not in message


def test_a_fifo_is_refused_without_hanging(src, home):
    (src / "users.csv").unlink()
    os.mkfifo(src / "users.csv")
    outcome: list = []

    def run():
        try:
            outcome.append(refused(src, home))
        except BaseException as error:  # handed to the test's thread
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():  # let the reader go before failing
        os.close(os.open(src / "users.csv", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("the import hung on a FIFO")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    assert "users.csv: is a FIFO (named pipe), not a regular file" in outcome[0]


def test_a_directory_named_like_a_table_is_refused(src, home):
    (src / "x.csv").mkdir()
    (src / "cases.parquet").mkdir()
    message = refused(src, home)
    assert "x.csv: is a directory, not a regular file" in message
    assert "cases.parquet: is a directory, not a regular file" in message


def test_a_symlinked_source_folder_is_followed(src, tmp_path):
    link = tmp_path / "link-to-src"
    link.symlink_to(src, target_is_directory=True)
    manifest = import_dataset(link, tmp_path / "new", FIXTURE_AS_OF)
    assert manifest["tables"]["cases"]["rows"] == 11


# Columns of the wrong type ------------------------------------------------------------------------


def test_a_list_column_is_refused(src, home, capsys):
    as_parquet(src, "users", email=pl.col("email").str.split("@"))
    err = cli_refused(src, home, capsys)
    assert "1 columns of the wrong type" in err
    assert "users.parquet, column email: is of type List(String), not a string" in err


def test_a_struct_column_is_refused(src, home):
    as_parquet(src, "cases", hours=pl.struct("hours"))
    message = refused(src, home)
    assert "cases.parquet, column hours: is of type Struct({'hours': String}), not a number" in (
        message
    )


def test_numbers_where_text_is_expected_are_refused(src, home):
    as_parquet(src, "workspaces", name=pl.int_range(pl.len()))
    assert "workspaces.parquet, column name: is of type Int64, not a string" in refused(src, home)


def test_booleans_where_a_number_is_expected_are_refused(src, home):
    as_parquet(src, "cases", hours=pl.col("hours") != "0")
    assert "cases.parquet, column hours: is of type Boolean, not a number" in refused(src, home)


def test_a_date_where_a_timestamp_is_expected_is_refused(src, home):
    as_parquet(src, "cases", created_at=pl.col("created_at").str.slice(0, 10).str.to_date())
    assert "cases.parquet, column created_at: is of type Date, not a timestamp" in refused(
        src, home
    )


# Limits on rows and bytes -------------------------------------------------------------------------


def test_too_many_csv_rows_are_refused(src, home, capsys):
    err = cli_refused(src, home, capsys, "--max-rows", "10")
    assert "tables over the import's limits" in err
    assert "cases.csv: has more than 10 rows, the limit per table" in err
    assert "--max-rows" in err and "CUSTOMER_ACTIVITY_MAX_ROWS" in err


def test_parquet_rows_are_counted_before_the_data_is_read(src, home, capsys, monkeypatch):
    as_parquet(src, "cases")

    def no_read(*args, **kwargs):
        raise AssertionError("the data was read")

    monkeypatch.setattr(pl, "read_parquet", no_read)
    err = cli_refused(src, home, capsys, "--max-rows", "10")
    assert "cases.parquet: has more than 10 rows, the limit per table" in err
    assert "the data was read" not in err


def test_too_many_bytes_are_refused_before_anything_is_read(src, home, capsys, monkeypatch):
    size = (src / "cases.csv").stat().st_size

    def no_read(*args, **kwargs):
        raise AssertionError("a file was read")

    monkeypatch.setattr(pl, "read_csv", no_read)
    err = cli_refused(src, home, capsys, "--max-bytes", "1KiB")
    assert f"cases.csv: is {size:,} bytes, over the limit of 1,024 bytes per table" in err
    assert "--max-bytes" in err and "CUSTOMER_ACTIVITY_MAX_BYTES" in err
    assert "a file was read" not in err


def test_limits_from_the_environment(src, home, capsys, monkeypatch):
    monkeypatch.setenv("CUSTOMER_ACTIVITY_MAX_ROWS", "10")
    assert "cases.csv: has more than 10 rows" in cli_refused(src, home, capsys)
    # the option wins over the environment
    code = main(["import", str(src), "--data", str(home), "--as-of", AS_OF, "--max-rows", "11"])
    assert "entitlements.csv: has more than 11 rows" in capsys.readouterr().err and code == 1
    code = main(["import", str(src), "--data", str(home), "--as-of", AS_OF, "--max-rows", "18"])
    assert code == 0, capsys.readouterr().err


def test_a_bad_limit_in_the_environment_is_one_line(src, home, capsys, monkeypatch):
    monkeypatch.setenv("CUSTOMER_ACTIVITY_MAX_BYTES", "lots")
    before = fingerprint(home)
    code = main(["import", str(src), "--data", str(home), "--as-of", AS_OF])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: CUSTOMER_ACTIVITY_MAX_BYTES") and "'lots'" in err
    assert fingerprint(home) == before


def test_a_bad_limit_option_is_refused(src, home, capsys):
    with pytest.raises(SystemExit):
        main(["import", str(src), "--data", str(home), "--max-rows", "0"])
    assert "--max-rows" in capsys.readouterr().err


def test_the_default_limits_are_generous():
    from dashboard.ingest.importer import Limits

    # the benchmark imports ten million usage rows (about five million in its largest table)
    assert Limits().rows == 50_000_000
    assert Limits().bytes == 4 * 1024**3


def test_refusals_of_files_name_no_traceback(src, home, capsys):
    (src / "cases.csv").unlink()
    (src / "cases.csv").symlink_to(FIXTURE / "cases.csv")
    err = cli_refused(src, home, capsys)
    assert "cases.csv: is a symbolic link" in err


def test_refused_errors_are_the_importers_own(src, home):
    as_parquet(src, "users", email=pl.col("email").str.split("@"))
    with pytest.raises(ImportRejected):
        import_dataset(src, home, FIXTURE_AS_OF)


# Account managers ------------------------------------------------------------------------------


def with_account_managers(src: Path, managers: str, assignments: str) -> None:
    (src / "account_managers.csv").write_text("user_id,display_name,email\n" + managers)
    (src / "account_assignments.csv").write_text(
        "user_id,customer_id,start_date,end_date\n" + assignments
    )


def without_account_managers(src: Path) -> None:
    for table in ("account_managers", "account_assignments"):
        (src / f"{table}.csv").unlink()


def test_account_managers_may_be_absent_or_present(src, tmp_path):
    from dashboard.ingest.data_home import current_dataset
    from dashboard.query.dataset import Dataset

    home = tmp_path / "without"
    without_account_managers(src)
    import_dataset(src, home, FIXTURE_AS_OF)
    dataset = Dataset(current_dataset(home))
    assert dataset.manifest["tables"]["account_managers"]["rows"] == 0
    with_account_managers(
        src,
        "am-1,Ann Manager,ann@provider.example\n",
        "am-1,C1,2026-01-01,\nam-1,C2,2026-01-01,2026-03-31\n",
    )
    home = tmp_path / "with"
    import_dataset(src, home, FIXTURE_AS_OF)
    tables = Dataset(current_dataset(home)).manifest["tables"]
    assert (tables["account_managers"]["rows"], tables["account_assignments"]["rows"]) == (1, 2)


def test_an_account_manager_who_is_also_a_user(src, home):
    with_account_managers(src, "u-act,Ada Activity,ada.am@provider.example\n", "")
    message = refused(src, home)
    assert (
        "account_managers.csv row 1, column user_id: 'u-act' is a user in users.csv too"
    ) in message


def test_an_account_manager_with_a_users_email(src, home):
    with_account_managers(src, "am-1,Ann Manager,ADA@acme.example\n", "")
    message = refused(src, home)
    assert (
        "account_managers.csv row 1, column email: 'ADA@acme.example' is the e-mail of "
        "users.csv row 3 too"
    ) in message


def test_an_assignment_ending_before_it_starts(src, home):
    with_account_managers(
        src, "am-1,Ann Manager,ann@provider.example\n", "am-1,C1,2026-05-01,2026-04-30\n"
    )
    message = refused(src, home)
    assert (
        "account_assignments.csv row 1, column end_date: '2026-04-30' is before start_date"
    ) in message


def test_assignments_to_nobody_or_to_no_customer(src, home):
    with_account_managers(
        src, "am-1,Ann Manager,ann@provider.example\n", "am-2,C1,2026-01-01,\nam-1,C9,2026-01-01,\n"
    )
    message = refused(src, home)
    file = "account_assignments.csv"
    assert f"{file} row 1, column user_id: 'am-2' is not a user_id in account_managers" in message
    assert f"{file} row 2, column customer_id: 'C9' is not a customer_id in customers" in message


def test_a_source_without_account_managers_is_written_with_them_empty(src, tmp_path):
    """The tables may be absent from a source, never from a dataset: the import writes them,
    with the contract's columns and no rows, and the app reads them as no account managers."""
    import pyarrow.parquet as pq

    from dashboard.ingest.data_home import current_dataset
    from dashboard.query.dataset import Dataset

    without_account_managers(src)
    import_dataset(src, tmp_path / "home", FIXTURE_AS_OF)
    folder = current_dataset(tmp_path / "home")
    managers = pq.read_table(folder / "account_managers.parquet")
    assignments = pq.read_table(folder / "account_assignments.parquet")
    assert (managers.num_rows, managers.column_names) == (0, ["user_id", "display_name", "email"])
    assert (assignments.num_rows, assignments.column_names) == (
        0,
        ["user_id", "customer_id", "start_date", "end_date"],
    )
    dataset = Dataset(folder)
    counted = dataset._con.cursor().sql(
        "SELECT (SELECT count(*) FROM raw.account_managers), "
        "(SELECT count(*) FROM raw.account_assignments WHERE end_date IS NULL)"
    )
    assert counted.fetchall() == [(0, 0)]
    assert dataset.run("demo_users", None).height == 11  # the 11 rows of users.csv, no manager


def test_a_dataset_written_before_account_managers_is_refused(home):
    from dashboard.ingest.data_home import current_dataset
    from dashboard.ingest.integrity import DatasetDamaged
    from dashboard.query.dataset import Dataset
    from tests.conftest import in_older_layout

    folder = current_dataset(home)
    in_older_layout(folder, tables=("account_managers", "account_assignments"))
    with pytest.raises(DatasetDamaged) as refused:
        Dataset(folder)
    message = str(refused.value)
    assert "older layout: manifest.json lists no account_managers.parquet, " in message
    assert f"python -m dashboard import SRC --data {home}" in message
    assert "\n" not in message
