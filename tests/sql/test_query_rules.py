"""The rules of queries/: one file a query, read only through the visibility layer."""

import pytest

from dashboard.query import sql_files
from dashboard.query.filters import Filters

REQUIRED_QUERIES = {
    "active_contracts",
    "enterprise_consumption",
    "package_entitlements",
    "support_requests",
    "additional_cases",
}


def test_every_query_loads_and_reads_only_through_the_layer():
    names = sql_files.names()
    assert REQUIRED_QUERIES <= set(names)
    for name in names:
        text = (sql_files.QUERY_DIR / f"{name}.sql").read_text()
        code = sql_files.strip_comments(text).lower()
        assert "raw." not in code and "read_parquet" not in code, name
        query = sql_files.load(name)
        assert query.description, f"{name} has no header comment"
        if name not in sql_files.SIGN_IN_QUERIES:
            assert "viewer" in query.parameters, f"{name} does not depend on the viewer"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * FROM raw.cases", "raw."),
        ("SELECT * FROM RAW . cases", "RAW ."),
        ("SELECT * FROM read_parquet('data/current/cases.parquet')", "read_parquet("),
        ("SELECT 1 AS one", "reads nothing of the visibility layer"),
        ("SELECT * FROM _cases_in_view", "building blocks"),
        (
            "WITH visible_cases AS (SELECT 1) SELECT * FROM visible_cases",
            "redefines layer names: visible_cases",
        ),
        ("SELECT * FROM visible_cases WHERE case_id = $case", "unknown parameters: case"),
        ("COPY (SELECT * FROM visible_cases) TO '/tmp/x.csv'", "COPY"),
        ("SELECT * FROM directory", "only sign-in queries may read"),
        ("SELECT * FROM kept_contracts_in_view", "kept_contracts_in_view"),
    ],
)
def test_a_query_that_bypasses_the_layer_is_refused(query_dir, text, message):
    (query_dir / "sneaky.sql").write_text(f"-- A query that breaks the rules.\n{text}\n")
    with pytest.raises(sql_files.QueryError, match=message.replace("(", r"\(").replace(".", r"\.")):
        sql_files.load("sneaky")


def test_unknown_query_names_are_refused():
    for name in ("nope", "../queries/layer/10_access", "_derived", "Active_Contracts", "x" * 5000):
        with pytest.raises(sql_files.QueryError, match="no query named"):
            sql_files.load(name)


def test_compose_takes_only_what_a_query_needs():
    sql = sql_files.load("workspaces").sql
    assert "openable_workspaces AS (" in sql
    assert "_usage AS (" not in sql and "visible_cases AS (" not in sql


def test_compose_takes_a_name_only_where_it_is_a_whole_word():
    layer = {
        "viewer": "SELECT 1 AS user_id",
        "contacts": "SELECT * FROM viewer",  # reads viewer
        "people": "SELECT 2 AS contacts_seen",  # a longer word: not contacts
    }
    assert sql_files._needed("SELECT * FROM people", layer) == ["people"]
    assert sql_files._needed("SELECT $viewer, c.x FROM contacts AS c", layer) == [
        "viewer",
        "contacts",
    ]  # in layer order, with what contacts reads in turn
    assert sql_files._needed("SELECT * FROM contacts", layer, kept=frozenset({"contacts"})) == [
        "contacts"
    ]  # a kept name's own reads are the kept result's, not the query's
    assert sql_files._needed("SELECT my_viewer, viewers FROM t", layer) == []


@pytest.mark.parametrize(
    "hostile",
    [
        "u-cadmin' OR '1'='1",
        "u-cadmin; DROP VIEW raw.cases; --",
        "' UNION SELECT * FROM raw.users --",
    ],
)
def test_values_are_bound_never_pasted(tiny, hostile):
    assert tiny.run("support_requests", hostile).is_empty()
    assert tiny.run("contracts", "u-cadmin", Filters(workspaces=(hostile,))).is_empty()
    assert tiny.run("support_requests", "u-cadmin", Filters(contract=hostile)).is_empty()


def test_queries_cannot_read_files_outside_the_dataset(tiny):
    cursor = tiny._con.cursor()
    with pytest.raises(Exception, match="(?i)permission|disabled|not allowed"):
        cursor.sql("SELECT * FROM read_csv('/etc/passwd')").fetchall()
    with pytest.raises(Exception, match="(?i)lock|configuration"):
        cursor.sql("SET enable_external_access = true")


def test_every_query_is_tested_against_the_fixture():
    tests = "\n".join(
        p.read_text() for p in (sql_files.QUERY_DIR.parent / "tests" / "sql").glob("*.py")
    )
    untested = [name for name in sql_files.names() if f'"{name}"' not in tests]
    assert untested == []
