"""The visibility layer's files (queries/layer/): read in the order of their names, each about one
subject, permissions apart; and `export QUERY --show-sql`, the one way to see what a query is
composed as."""

import re

import polars as pl
import pytest

from dashboard.cli import main
from dashboard.query import access_store, sql_files
from dashboard.query.filters import Filters
from tests.conftest import FIXTURE_AS_OF

# The tables of people and permissions: all the access file may read.
PERMISSION_TABLES = {
    "users",
    "account_managers",
    "account_assignments",
    "customers",
    "workspaces",
    "workspace_members",
    "role_grants",
    "groups",
    "group_members",
    "group_case_access",
}


def test_the_layer_is_a_folder_of_files_read_in_the_order_of_their_names():
    files = [path.name for path in sql_files.layer_files()]
    assert files == sorted(files) and "10_access.sql" in files and len(files) >= 5
    assert not (sql_files.QUERY_DIR / "_visibility.sql").exists()
    by_file: dict[str, list[str]] = {}
    for expression in sql_files.layer_expressions():
        by_file.setdefault(expression.file, []).append(expression.name)
    # every file opens with a header comment saying what it holds, and holds something
    for path in sql_files.layer_files():
        assert path.read_text().startswith("-- "), path.name
        assert by_file[f"layer/{path.name}"], path.name
    # the layer's order is the files' order, then each file's
    assert list(sql_files.layer()) == [name for names in by_file.values() for name in names]


def test_the_access_file_holds_only_permission_sql():
    access = [e for e in sql_files.layer_expressions() if e.file == "layer/10_access.sql"]
    names = {e.name for e in access}
    assert {"viewer", "role_grants", "openable_workspaces", "workspaces_in_view"} <= names
    assert "_viewer_case_workspaces" in names  # where the viewer sees every case: a permission
    read = {table for e in access for table in re.findall(r"\braw\.(\w+)", e.body)}
    assert read <= PERMISSION_TABLES, read - PERMISSION_TABLES
    # no contract, package, entitlement, case or usage row is made there
    assert not names & {"_contracts", "_viewer_contracts", "_entitlements", "visible_cases"}
    header = (sql_files.QUERY_DIR / "layer" / "10_access.sql").read_text().split("\n\n")[0]
    assert "reviewer of a permission change reads this file" in " ".join(header.split())


def test_a_name_defined_in_two_files_is_refused_naming_both(query_dir):
    (query_dir / "layer" / "80_again.sql").write_text(
        "-- Defines viewer again.\nviewer AS (\n    SELECT 1 AS user_id\n)\n"
    )
    with pytest.raises(
        sql_files.QueryError,
        match=r"defines viewer \(in layer/10_access\.sql and layer/80_again\.sql\) more than once",
    ):
        sql_files.load("active_contracts")


def test_an_expression_reading_one_defined_after_it_is_refused(query_dir):
    (query_dir / "layer" / "05_early.sql").write_text(
        "-- Reads what the access file defines.\n"
        "early AS (\n    SELECT * FROM openable_workspaces\n)\n"
    )
    with pytest.raises(
        sql_files.QueryError,
        match=r"layer/05_early\.sql: early reads openable_workspaces \(layer/10_access\.sql\), "
        "defined after it",
    ):
        sql_files.load("workspaces")


def test_text_outside_the_expressions_of_a_layer_file_is_refused(query_dir):
    # written with a capital, the block would not be read as an expression: said, not skipped
    (query_dir / "layer" / "80_typo.sql").write_text(
        "-- A block that is not an expression.\nLater AS (\n    SELECT 1 AS one\n)\n"
    )
    with pytest.raises(sql_files.QueryError, match=r"layer/80_typo\.sql holds text outside"):
        sql_files.load("workspaces")


def show_sql(capsys, *args) -> tuple[int, str, str]:
    code = main(["export", *args, "--show-sql"])
    out, err = capsys.readouterr()
    return code, out, err


def test_show_sql_prints_the_composed_sql_without_a_user_or_a_dataset(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("CUSTOMER_ACTIVITY_DATA", str(tmp_path / "no-data-here"))
    code, out, err = show_sql(capsys, "active_contracts")
    assert (code, err) == (0, "")
    # the kept results it reads first, then the query: the layer's expressions, its own text
    titles = re.findall(r"^-- (\w+) \(binds ([^)]*)\)$", out, re.MULTILINE)
    assert titles == [
        ("kept_openable_workspaces", "$access_changes, $as_of, $customer, $viewer"),
        ("kept__viewer_contracts", "$as_of, $customer, $viewer"),
        ("active_contracts", "$contract, $workspaces"),
    ]
    query = out.split("\n-- active_contracts ")[1]
    assert "contracts_in_view AS (" in query and "FROM contracts_in_view AS c" in query
    assert "SELECT * FROM kept__viewer_contracts" in query
    assert "_usage AS (" not in out  # only what it reads


def test_show_sql_never_writes_a_value_into_the_text(capsys):
    _, plain, _ = show_sql(capsys, "support_requests")
    code, given, _ = show_sql(
        capsys, "support_requests", "--user", "u-cadmin", "--workspace", "W2", "--contract", "K-B"
    )
    assert code == 0 and given == plain
    assert "$viewer" in given and "$workspaces" in given
    assert not re.search(r"u-cadmin|'W2'|K-B", given)


def statements(out: str) -> list[tuple[str, list[str], str]]:
    """The printed statements: (title, the parameters it binds, its SQL)."""
    found = []
    for block in out.split("\n\n-- ")[1:]:
        head, sql = block.split("\n", 1)
        title, binds = re.fullmatch(r"(\w+) \(binds (.*)\)", head).groups()
        names = [] if binds == "nothing" else [b.lstrip("$") for b in binds.split(", ")]
        found.append((title, names, sql.rstrip().removesuffix(";")))
    return found


@pytest.mark.parametrize(
    ("name", "viewer"),
    [
        ("active_contracts", "u-act"),
        ("renewal_forecast", "u-cadmin"),
        ("support_requests", "u-contact"),
    ],
)
def test_the_sql_shown_is_what_the_app_runs(capsys, tiny, name, viewer):
    code, out, _ = show_sql(capsys, name)
    assert code == 0
    values = {
        "viewer": viewer,
        "as_of": FIXTURE_AS_OF,
        "access_changes": access_store.changes(tiny.home, tiny.customer_workspaces(viewer)),
        **Filters().parameters(),
        **sql_files.OPTIONAL_DEFAULTS,
    }
    cursor = tiny._con.cursor()
    *kept, (_, binds, sql) = statements(out)
    for title, names, text in kept:  # each kept result, read by the statements after it
        result = cursor.execute(text, {n: values[n] for n in names}).to_arrow_table()
        cursor.register(title, result)
    shown = pl.from_arrow(cursor.execute(sql, {n: values[n] for n in binds}).to_arrow_table())
    assert not shown.is_empty() and shown.equals(tiny.run(name, viewer, Filters()))
    if name == "active_contracts":
        assert shown.get_column("contract_id").to_list() == ["K-B", "K-A"]  # as test_cli's


def test_show_sql_of_a_query_that_is_not_there_is_one_line(capsys):
    code, out, err = show_sql(capsys, "nope")
    assert (code, out) == (1, "")
    assert err.startswith("error: no query named") and err.count("\n") == 1
    code, _, err = show_sql(capsys, "sign_in")
    assert code == 1 and "is not a query that can be exported" in err
