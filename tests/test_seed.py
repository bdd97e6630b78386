"""The demo-data generator: deterministic, true to the contract, and covering what it must show."""

# Table and column names in these queries come from the contract, never from input.
# ruff: noqa: S608

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from dashboard.ingest.parquet_layout import DERIVED, arrow_schema, sha256_of
from dashboard.ingest.schema import (
    ADDITIONAL_CASE_REASONS,
    BY_NAME,
    CATEGORIES,
    SPECIAL_SERVICE_CODES,
    TABLE_NAMES,
    TABLES,
    UNITS,
)
from seed.generator import DEFAULT_AS_OF, generate

AS_OF = DEFAULT_AS_OF
USAGE = ("cases", "deliveries")


def _generate(folder: Path, **options) -> dict[str, int]:
    folder.mkdir()
    return generate(folder, **options)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: sha256_of(p) for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("seed") / "scale1"
    return folder, _generate(folder)


@pytest.fixture(scope="module")
def db(seeded) -> duckdb.DuckDBPyConnection:
    folder, _rows = seeded
    con = duckdb.connect()
    for name in TABLE_NAMES:
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')")
    con.execute("SET TimeZone = 'UTC'")
    return con


def _values(con, sql: str, **params) -> list:
    return [row[0] for row in con.execute(sql, params).fetchall()]


def _frame(con, sql: str, **params) -> pl.DataFrame:
    return con.sql(sql, params=params).pl()


def _one(con, sql: str, **params):
    return con.execute(sql, params).fetchall()[0][0]


# --- same arguments, same data -------------------------------------------------------------


def test_same_arguments_give_the_same_bytes(seeded, tmp_path):
    folder, rows = seeded
    again = tmp_path / "again"
    assert _generate(again) == rows
    assert _hashes(again) == _hashes(folder)
    assert sorted(_hashes(folder)) == sorted(f"{name}.parquet" for name in TABLE_NAMES)


def test_another_seed_gives_other_data(seeded, tmp_path):
    folder, _rows = seeded
    other = tmp_path / "other"
    _generate(other, seed=8)
    mine, theirs = _hashes(folder), _hashes(other)
    for name in ("users.parquet", "entitlements.parquet", "cases.parquet", "deliveries.parquet"):
        assert mine[name] != theirs[name], name
    # the fixed part of the estate does not depend on the seed
    assert mine["customers.parquet"] == theirs["customers.parquet"]


def test_every_date_is_relative_to_as_of(seeded, tmp_path):
    folder, _rows = seeded
    later = tmp_path / "later"
    shift = 100
    _generate(later, as_of=AS_OF + timedelta(days=shift))
    for table, column in (
        ("contracts", "end_date"),
        ("packages", "start_date"),
        ("deliveries", "date"),
        ("cases", "created_at"),
        ("enrollments", "enrolled_on"),
    ):
        before = pl.read_parquet(folder / f"{table}.parquet").get_column(column)
        after = pl.read_parquet(later / f"{table}.parquet").get_column(column)
        assert (after - before).dt.total_days().unique().to_list() == [shift], table


# --- true to the contract ------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_columns_and_types_are_the_contracts(seeded, table):
    folder, rows = seeded
    schema = pq.read_schema(folder / f"{table.name}.parquet")
    expected = arrow_schema(table)
    assert schema.names == expected.names
    assert [f.type for f in schema] == [f.type for f in expected]
    assert rows[table.name] == pq.ParquetFile(folder / f"{table.name}.parquet").metadata.num_rows
    assert rows[table.name] > 0


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_values_keep_the_contracts_rules(db, table):
    name = table.name
    for column in table.columns:
        if not column.nullable:
            assert _one(db, f"SELECT count(*) FROM {name} WHERE {column.name} IS NULL") == 0
        if column.enum:
            values = _values(db, f"SELECT DISTINCT {column.name} FROM {name}")
            assert set(values) <= set(column.enum), column.name
        if column.non_negative:
            assert _one(db, f"SELECT count(*) FROM {name} WHERE {column.name} < 0") == 0
    key = ", ".join(table.key)
    assert _one(db, f"SELECT count(*) - count(DISTINCT ({key})) FROM {name}") == 0
    for ref in table.refs:
        dangling = f"""
            SELECT count(*) FROM {name} AS t
            WHERE t.{ref.column} IS NOT NULL
              AND t.{ref.column} NOT IN (SELECT {ref.target} FROM {ref.table})"""
        assert _one(db, dangling) == 0, ref
    for earlier, later in table.date_order:
        assert _one(db, f"SELECT count(*) FROM {name} WHERE {later} < {earlier}") == 0


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_rows_are_in_the_production_order(seeded, table):
    folder, _rows = seeded
    frame = pl.read_parquet(folder / f"{table.name}.parquet")
    assert frame.equals(frame.sort(list(table.sort_by), nulls_last=True, maintain_order=True))


@pytest.mark.parametrize(
    "table",
    ["customers", "workspaces", "groups", "contracts", "packages", "entitlements", *USAGE,
     "enrollments", "contacts", "assessments"],
)  # fmt: skip
def test_ids_sort_in_the_order_rows_were_made(seeded, table):
    folder, _rows = seeded
    ids = pl.read_parquet(folder / f"{table}.parquet").get_column(BY_NAME[table].key[0])
    assert ids.str.len_chars().n_unique() == 1
    assert ids.to_list() == sorted(ids.to_list())


def test_nothing_crosses_customers(db):
    same_customer = {
        "workspace_members": "workspace_members AS x JOIN users AS u USING (user_id) "
        "JOIN workspaces AS w USING (workspace_id) WHERE u.customer_id <> w.customer_id",
        "role_grants": "role_grants AS x JOIN users AS u USING (user_id) "
        "JOIN workspaces AS w USING (workspace_id) WHERE u.customer_id <> w.customer_id",
        "group_members": "group_members AS x JOIN users AS u USING (user_id) "
        "JOIN groups AS g USING (group_id) WHERE u.customer_id <> g.customer_id",
        "group_case_access": "group_case_access AS x JOIN groups AS g USING (group_id) "
        "JOIN workspaces AS w USING (workspace_id) WHERE g.customer_id <> w.customer_id",
        "case_shares": "case_shares AS x JOIN users AS u USING (user_id) JOIN cases AS c "
        "USING (case_id) JOIN workspaces AS w ON w.workspace_id = c.workspace_id "
        "WHERE u.customer_id <> w.customer_id",
        "primary contacts": "cases AS c JOIN users AS u ON u.user_id = c.primary_contact_id "
        "JOIN workspaces AS w ON w.workspace_id = c.workspace_id "
        "WHERE u.customer_id <> w.customer_id",
        "contract workspaces": "contracts AS k JOIN workspaces AS w USING (workspace_id) "
        "WHERE k.customer_id <> w.customer_id",
        "case contracts": "cases AS c JOIN contracts AS k USING (contract_id) "
        "JOIN workspaces AS w ON w.workspace_id = c.workspace_id "
        "WHERE k.customer_id <> w.customer_id",
        "case entitlements": "cases AS c JOIN entitlements AS e USING (entitlement_id) "
        "JOIN packages AS p USING (package_id) WHERE p.contract_id IS DISTINCT FROM c.contract_id",
        "contact users": "contacts AS t JOIN users AS u USING (user_id) JOIN entitlements AS e "
        "USING (entitlement_id) JOIN packages AS p USING (package_id) JOIN contracts AS k "
        "USING (contract_id) WHERE u.customer_id <> k.customer_id",
    }
    for what, rows in same_customer.items():
        assert _one(db, f"SELECT count(*) FROM {rows}") == 0, what


def test_nothing_happens_after_as_of_except_what_is_scheduled(db):
    end = f"TIMESTAMPTZ '{AS_OF + timedelta(days=1)} 00:00:00+00'"
    assert _one(db, f"SELECT max(created_at) < {end} FROM cases")
    assert _one(db, f"SELECT max(closed_at) < {end} FROM cases")
    assert _one(db, "SELECT bool_and((status = 'open') = (closed_at IS NULL)) FROM cases")
    dated = "SELECT status, bool_and(date <= $d), bool_and(date > $d) FROM deliveries GROUP BY 1"
    by_status = {
        s: (past, future) for s, past, future in db.execute(dated, {"d": AS_OF}).fetchall()
    }
    assert by_status["delivered"] == (True, False)
    assert by_status["scheduled"] == (False, True)
    for table, column in (("enrollments", "completed_on"), ("assessments", "completed_on")):
        assert _one(db, f"SELECT max({column}) <= $d FROM {table}", d=AS_OF)


# --- coverage of what the dashboard must be able to show ----------------------------------


def test_customers_and_workspaces_of_very_different_sizes(db):
    assert len(_values(db, "SELECT name FROM customers")) >= 3
    assert "Northwind Manufacturing" in _values(db, "SELECT name FROM customers")
    per_workspace = _values(
        db,
        """SELECT count(c.case_id) FROM workspaces AS w
           LEFT JOIN cases AS c USING (workspace_id)
           WHERE w.customer_id = 'C01' GROUP BY w.workspace_id ORDER BY 1""",
    )
    assert len(per_workspace) >= 4
    assert per_workspace[-1] > 10 * per_workspace[0]  # one large, some small


def test_every_category_unit_and_kind(db):
    assert set(_values(db, "SELECT DISTINCT category FROM entitlements")) == set(CATEGORIES)
    assert set(_values(db, "SELECT DISTINCT unit FROM entitlements")) == set(UNITS)
    assert _one(db, "SELECT bool_and(purchased IS NULL) FROM entitlements WHERE kind = 'benefit'")
    unlimited = "SELECT count(*) FROM entitlements WHERE kind = 'consumable' AND purchased IS NULL"
    assert _one(db, unlimited) >= 1
    assert (
        0
        < _one(db, "SELECT count(action_url) FROM entitlements")
        < _one(db, "SELECT count(*) FROM entitlements")
    )
    assert set(_values(db, "SELECT DISTINCT scope FROM packages")) == {"enterprise", "add_on"}


STATE = """CASE WHEN end_date < $d THEN 'expired' WHEN start_date > $d THEN 'upcoming'
    ELSE 'active' END"""


def test_contracts_in_every_state_with_renewals_and_an_unmapped_one(db):
    states = _values(db, f"SELECT DISTINCT {STATE} FROM contracts", d=AS_OF)
    assert set(states) == {"active", "expired", "upcoming"}
    assert _one(db, "SELECT count(*) FROM contracts WHERE workspace_id IS NULL") >= 1
    renewals = """
        SELECT count(*) FROM contracts AS new JOIN contracts AS old
            ON old.contract_id = new.renews_contract_id
        WHERE old.end_date < $d AND new.start_date <= $d AND $d <= new.end_date
          AND old.workspace_id = new.workspace_id AND new.start_date > old.end_date"""
    assert _one(db, renewals, d=AS_OF) >= 1


def test_packages_expiring_soon_expired_and_upcoming(db):
    rows = db.execute(
        f"""SELECT scope, {STATE} AS state,
                bool_or({STATE} = 'active' AND end_date - $d BETWEEN 0 AND 90) AS soon
            FROM packages GROUP BY ALL""",
        {"d": AS_OF},
    ).fetchall()
    states = {(scope, state) for scope, state, _soon in rows}
    for scope in ("enterprise", "add_on"):
        assert {(scope, s) for s in ("active", "expired", "upcoming")} <= states
        assert any(soon for s, _state, soon in rows if s == scope), scope


USAGE_SQL = """
WITH used AS (
    SELECT entitlement_id, sum(hours) AS used, 0 AS scheduled FROM cases
    WHERE entitlement_id IS NOT NULL GROUP BY 1
    UNION ALL
    SELECT entitlement_id,
        coalesce(sum(quantity) FILTER (status = 'delivered'), 0),
        coalesce(sum(quantity) FILTER (status = 'scheduled'), 0)
    FROM deliveries GROUP BY 1
    UNION ALL
    SELECT entitlement_id, count(*) FILTER (status <> 'cancelled'), 0 FROM enrollments GROUP BY 1
    UNION ALL
    SELECT entitlement_id, count(*) FILTER (removed_on IS NULL OR removed_on > $d), 0
    FROM contacts GROUP BY 1
    UNION ALL
    SELECT entitlement_id, count(*) FILTER (status <> 'cancelled'), 0 FROM assessments GROUP BY 1
)
SELECT e.entitlement_id, e.category, e.purchased, p.start_date, p.end_date,
    coalesce(sum(u.used), 0) AS used, coalesce(sum(u.scheduled), 0) AS scheduled
FROM entitlements AS e JOIN packages AS p USING (package_id)
LEFT JOIN used AS u USING (entitlement_id)
WHERE e.kind = 'consumable' AND e.purchased IS NOT NULL
GROUP BY ALL
"""


def _consumption(db) -> pl.DataFrame:
    return _frame(db, USAGE_SQL, d=AS_OF)


def test_over_and_under_consumed_entitlements(db):
    usage = _consumption(db).filter(pl.col("start_date") <= AS_OF)
    over = usage.filter(pl.col("used") + pl.col("scheduled") > pl.col("purchased"))
    assert set(over.get_column("category")) == set(CATEGORIES)
    active = usage.filter(pl.col("end_date") >= AS_OF)
    under = active.filter(pl.col("used") + pl.col("scheduled") < 0.25 * pl.col("purchased"))
    assert {"reactive", "advisory", "proactive", "credits"} <= set(under.get_column("category"))
    # most entitlements are used at a believable pace: neither untouched nor far over
    utilisation = usage.select(pl.col("used") / pl.col("purchased")).to_series()
    assert utilisation.median() is not None and 0.3 < utilisation.median() < 1.0


def test_benefits_have_detail_rows_that_count_for_nothing(db):
    rows = """SELECT count(*) FROM entitlements AS e
        WHERE e.kind = 'benefit' AND (
            e.entitlement_id IN (SELECT entitlement_id FROM deliveries)
            OR e.entitlement_id IN (SELECT entitlement_id FROM enrollments))"""
    assert _one(db, rows) >= 2


def test_deliveries_in_every_status(db):
    statuses = _values(db, "SELECT DISTINCT status FROM deliveries")
    assert set(statuses) == {"delivered", "scheduled", "cancelled"}
    hours = """SELECT d.status = 'delivered' AND e.category = 'proactive',
            bool_and(hours_delivered IS NOT NULL), bool_or(hours_delivered IS NOT NULL)
        FROM deliveries AS d JOIN entitlements AS e USING (entitlement_id) GROUP BY 1"""
    by_kind = {row[0]: row[1:] for row in db.execute(hours).fetchall()}
    assert by_kind[True] == (True, True)  # delivered proactive ones have delivered hours
    assert by_kind[False] == (False, False)
    assert _one(db, "SELECT count(*) FROM deliveries WHERE delivered_by IS NULL") > 0


def test_enrollments_contacts_and_assessments_in_every_state(db):
    assert set(_values(db, "SELECT DISTINCT status FROM enrollments")) == {
        "enrolled",
        "completed",
        "cancelled",
    }
    assert _one(
        db, "SELECT bool_and((status = 'completed') = (completed_on IS NOT NULL)) FROM enrollments"
    )
    contacts = """SELECT count(*) FILTER (removed_on < $d), count(*) FILTER (removed_on > $d),
            count(*) FILTER (removed_on IS NULL), count(user_id), count(*) - count(user_id)
        FROM contacts"""
    assert all(n > 0 for n in db.execute(contacts, {"d": AS_OF}).fetchone())
    assert set(_values(db, "SELECT DISTINCT status FROM assessments")) == {
        "not_started",
        "in_progress",
        "completed",
        "cancelled",
    }
    dates = """SELECT status, bool_and(started_on IS NULL), bool_and(completed_on IS NULL)
        FROM assessments GROUP BY 1"""
    by_status = {s: (no_start, no_end) for s, no_start, no_end in db.execute(dates).fetchall()}
    assert by_status["not_started"] == (True, True)
    assert by_status["in_progress"] == (False, True)
    assert by_status["completed"] == (False, False)


def test_cases_of_every_kind(db):
    assert set(_values(db, "SELECT DISTINCT case_type FROM cases")) == {"reactive", "advisory"}
    assert set(_values(db, "SELECT DISTINCT severity FROM cases")) == {"A", "B", "C"}
    assert set(_values(db, "SELECT DISTINCT status FROM cases")) == {"open", "closed"}
    codes = set(_values(db, "SELECT DISTINCT service_code FROM cases"))
    assert set(SPECIAL_SERVICE_CODES) | {"STD", "ADV", "PRM"} <= codes


REASONS_SQL = """
SELECT
    count(*) FILTER (c.contract_id IS NULL OR c.entitlement_id IS NULL) AS no_entitlement,
    count(*) FILTER (k.end_date < $d) AS expired_contract,
    count(*) FILTER (c.contract_id IS NOT NULL
        AND (k.workspace_id IS NULL OR k.workspace_id <> c.workspace_id)) AS unmapped_contract,
    count(*) FILTER (c.service_code IN ('SU', 'DSA', 'X85', 'REC')) AS special_service,
    count(*) FILTER (c.contract_id IS NOT NULL AND c.entitlement_id IS NULL) AS contract_only,
    count(*) FILTER (k.workspace_id IS NULL AND c.contract_id IS NOT NULL) AS to_no_workspace
FROM cases AS c LEFT JOIN contracts AS k USING (contract_id)
"""


def test_every_additional_case_reason(db):
    counts = _frame(db, REASONS_SQL, d=AS_OF).row(0, named=True)
    for reason in (*ADDITIONAL_CASE_REASONS, "contract_only", "to_no_workspace"):
        assert counts[reason] > 0, reason
    ordinary = """SELECT count(*) FROM cases AS c JOIN contracts AS k USING (contract_id)
        WHERE c.entitlement_id IS NOT NULL AND k.end_date >= $d AND k.workspace_id = c.workspace_id
          AND c.service_code NOT IN ('SU', 'DSA', 'X85', 'REC')"""
    assert _one(db, ordinary, d=AS_OF) > counts["no_entitlement"]  # most cases are ordinary


# --- the demo users ------------------------------------------------------------------------

OPENS_SQL = """
SELECT w.workspace_id FROM workspaces AS w JOIN users AS u ON u.customer_id = w.customer_id
WHERE u.user_id = $u AND (
    u.is_customer_admin
    OR EXISTS (SELECT 1 FROM workspace_members AS m WHERE m.workspace_id = w.workspace_id
               AND m.user_id = u.user_id AND m.is_workspace_admin)
    OR EXISTS (SELECT 1 FROM role_grants AS g WHERE g.workspace_id = w.workspace_id
               AND g.user_id = u.user_id AND g.role = 'customer_activity'))
ORDER BY 1
"""

SEES_SQL = f"""
WITH opens AS ({OPENS_SQL}), me AS (SELECT * FROM users WHERE user_id = $u)
SELECT c.case_id FROM cases AS c JOIN opens USING (workspace_id) CROSS JOIN me
WHERE me.is_customer_admin
   OR EXISTS (SELECT 1 FROM workspace_members AS m WHERE m.workspace_id = c.workspace_id
              AND m.user_id = $u AND m.is_workspace_admin)
   OR EXISTS (SELECT 1 FROM role_grants AS g WHERE g.workspace_id = c.workspace_id
              AND g.user_id = $u AND g.role = 'view_all_support_requests')
   OR c.primary_contact_id = $u
   OR EXISTS (SELECT 1 FROM case_shares AS s WHERE s.case_id = c.case_id AND s.user_id = $u)
   OR EXISTS (SELECT 1 FROM group_members AS gm JOIN group_case_access AS a USING (group_id)
              WHERE gm.user_id = $u AND a.workspace_id = c.workspace_id)
"""


ADMIN_SQL = """SELECT bool_or(u.is_customer_admin OR coalesce(m.is_workspace_admin, false))
    FROM users AS u LEFT JOIN workspace_members AS m USING (user_id) WHERE u.user_id = $u"""


def _opens(db, user: str) -> list[str]:
    return _values(db, OPENS_SQL, u=user)


def _sees(db, user: str) -> int:
    return _one(db, f"SELECT count(*) FROM ({SEES_SQL})", u=user)


def _cases_in(db, workspaces: list[str]) -> int:
    return _one(
        db, "SELECT count(*) FROM cases WHERE list_contains($w, workspace_id)", w=workspaces
    )


def _roles(db, user: str) -> set[tuple[str, str]]:
    rows = db.execute("SELECT workspace_id, role FROM role_grants WHERE user_id = $u", {"u": user})
    return set(rows.fetchall())


def test_customer_admins_see_their_customer_only(db):
    northwind = _values(db, "SELECT workspace_id FROM workspaces WHERE customer_id = 'C01'")
    assert _opens(db, "nw-admin") == sorted(northwind)
    assert _sees(db, "nw-admin") == _cases_in(db, northwind)
    contoso = _values(db, "SELECT workspace_id FROM workspaces WHERE customer_id = 'C02'")
    assert _one(db, "SELECT name FROM customers WHERE customer_id = 'C02'") == "Contoso Health"
    assert _opens(db, "ct-admin") == sorted(contoso)
    assert not set(_opens(db, "ct-admin")) & set(northwind)


def test_workspace_admin_opens_one_workspace(db):
    assert not _one(db, "SELECT is_customer_admin FROM users WHERE user_id = 'nw-wsadmin'")
    (workspace,) = _opens(db, "nw-wsadmin")
    assert _roles(db, "nw-wsadmin") == set()  # being its admin is enough
    assert _sees(db, "nw-wsadmin") == _cases_in(db, [workspace]) > 0


def test_customer_activity_alone_shows_no_support_requests(db):
    assert len(_opens(db, "nw-activity")) == 2
    assert _roles(db, "nw-activity") == {
        (w, "customer_activity") for w in _opens(db, "nw-activity")
    }
    assert _sees(db, "nw-activity") == 0
    assert _cases_in(db, _opens(db, "nw-activity")) > 0


def test_view_all_and_training_manager(db):
    (workspace,) = _opens(db, "nw-viewall")
    assert "view_all_support_requests" in {r for _w, r in _roles(db, "nw-viewall")}
    assert _sees(db, "nw-viewall") == _cases_in(db, [workspace]) > 0
    (workspace,) = _opens(db, "nw-training")
    assert _roles(db, "nw-training") == {
        (workspace, "customer_activity"),
        (workspace, "training_manager"),
    }
    learners = """SELECT count(*) FROM enrollments JOIN entitlements USING (entitlement_id)
        JOIN packages USING (package_id) JOIN contracts USING (contract_id)
        WHERE workspace_id = $w"""
    assert _one(db, learners, w=workspace) > 0


def test_group_shares_and_primary_contacts_each_open_a_path(db):
    for user in ("nw-group", "nw-shared", "nw-contact"):
        (workspace,) = _opens(db, user)
        assert _roles(db, user) == {(workspace, "customer_activity")}, user
        assert not _one(db, ADMIN_SQL, u=user), user
    (workspace,) = _opens(db, "nw-group")
    assert _sees(db, "nw-group") == _cases_in(db, [workspace]) > 0
    shared = _one(db, "SELECT count(*) FROM case_shares WHERE user_id = 'nw-shared'")
    assert _sees(db, "nw-shared") == shared > 0
    mine = _one(db, "SELECT count(*) FROM cases WHERE primary_contact_id = 'nw-contact'")
    assert _sees(db, "nw-contact") == mine > 0


def test_a_member_without_a_role_opens_nothing(db):
    assert _one(db, "SELECT count(*) FROM workspace_members WHERE user_id = 'nw-noaccess'") > 0
    assert _opens(db, "nw-noaccess") == []


def test_many_ordinary_users(db):
    people = "SELECT count(*) FROM users WHERE customer_id = $c"
    for customer in _values(db, "SELECT customer_id FROM customers"):
        assert _one(db, people, c=customer) >= 10
    assert _one(db, "SELECT count(DISTINCT primary_contact_id) FROM cases") >= 40


# --- scale ---------------------------------------------------------------------------------


def test_usage_is_about_ten_thousand_rows_at_scale_one(seeded):
    _folder, rows = seeded
    assert 8_000 <= rows["cases"] + rows["deliveries"] <= 12_000
    assert max(rows[t] for t in ("enrollments", "contacts", "assessments", "case_shares")) < 1_000


def test_scale_grows_usage_and_nothing_else(seeded, tmp_path, capsys):
    folder, rows = seeded
    bigger = tmp_path / "scale3"
    rows3 = _generate(bigger, scale=3, progress=True)
    assert "100%" in capsys.readouterr().err
    usage, usage3 = (sum(r[t] for t in USAGE) for r in (rows, rows3))
    assert 2.8 <= usage3 / usage <= 3.2
    for name in TABLE_NAMES:
        if name not in (*USAGE, "entitlements", "case_shares"):
            assert sha256_of(bigger / f"{name}.parquet") == sha256_of(folder / f"{name}.parquet")
    before = pl.read_parquet(folder / "entitlements.parquet")
    after = pl.read_parquet(bigger / "entitlements.parquet")
    assert before.drop("purchased").equals(after.drop("purchased"))
    scaled = pl.col("unit").is_in(["hours", "credits"])
    assert (after.filter(scaled)["purchased"] == 3 * before.filter(scaled)["purchased"]).all()
    assert after.filter(~scaled)["purchased"].equals(before.filter(~scaled)["purchased"])


def test_scale_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        generate(tmp_path, scale=0)
    assert list(tmp_path.iterdir()) == []


def test_roll_ups_add_up_and_are_the_same_bytes_for_the_same_rows(seeded, tmp_path):
    from dashboard.ingest.parquet_layout import write_derived

    folder, rows = seeded
    copies = []
    for name in ("one", "two"):
        copy = tmp_path / name
        shutil.copytree(folder, copy)
        write_derived(copy)
        copies.append(copy / DERIVED)
    assert _hashes(copies[0]) == _hashes(copies[1])
    con = duckdb.connect()
    groups = con.sql(
        f"SELECT sum(cases), sum(hours) FROM '{copies[0]}/case_groups.parquet'"
    ).fetchall()[0]
    cases = con.sql(f"SELECT count(*), sum(hours) FROM '{folder}/cases.parquet'").fetchall()[0]
    assert groups[0] == cases[0] == rows["cases"]
    assert groups[1] == pytest.approx(cases[1])
    days = con.sql(
        f"SELECT sum(deliveries), sum(quantity) FROM '{copies[0]}/delivery_days.parquet'"
    ).fetchall()[0]
    deliveries = con.sql(f"SELECT count(*), sum(quantity) FROM '{folder}/deliveries.parquet'")
    assert days[0] == rows["deliveries"]
    assert days[1] == pytest.approx(deliveries.fetchall()[0][1])


def _derived_in_small_row_groups(seeded, tmp_path, monkeypatch) -> tuple[Path, dict]:
    """A copy of the seeded dataset with its derived files written again in row groups of
    2,048 rows (a multiple of 2,048, as 16,384 is), so that the seeded rows fill several."""
    from dashboard.ingest import parquet_layout

    monkeypatch.setattr(parquet_layout, "LIST_ROW_GROUP_ROWS", 2_048)
    seeded_folder, rows = seeded
    folder = tmp_path / "copy"
    shutil.copytree(seeded_folder, folder)
    parquet_layout.write_derived(folder)
    return folder, rows


def test_the_list_copy_holds_every_case_by_workspace_newest_first_in_small_row_groups(
    seeded, tmp_path, monkeypatch
):
    """derived/case_list.parquet: the same rows as cases.parquet, by workspace and then newest
    first (ties by id), in row groups of at most LIST_ROW_GROUP_ROWS rows, each with the min and
    max workspace and time a top-N skips by. (Made smaller here, so that the seeded cases fill
    several.)"""
    folder, rows = _derived_in_small_row_groups(seeded, tmp_path, monkeypatch)
    copy = folder / DERIVED / "case_list.parquet"
    listed = pl.read_parquet(copy)
    cases = pl.read_parquet(folder / "cases.parquet")
    assert listed.height == rows["cases"]
    assert listed.columns == cases.columns
    in_order = cases.sort(
        ["workspace_id", "created_at", "case_id"], descending=[False, True, False]
    )
    assert listed.equals(in_order)
    meta = pq.ParquetFile(copy).metadata
    assert meta.num_row_groups == -(-rows["cases"] // 2_048)
    assert listed["workspace_id"].n_unique() > 1  # the seeded cases span several workspaces
    spaces, times = listed.columns.index("workspace_id"), listed.columns.index("created_at")
    previous = None
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        assert group.num_rows <= 2_048
        space, time = group.column(spaces).statistics, group.column(times).statistics
        assert space is not None and space.has_min_max
        assert time is not None and time.has_min_max
        if previous is not None:
            assert space.min >= previous.max  # workspaces in order (rows: checked above)
        previous = space


def test_the_case_roll_up_lies_on_disk_by_workspace_in_small_row_groups(
    seeded, tmp_path, monkeypatch
):
    """derived/case_groups.parquet is read from disk: one row per workspace, contract,
    entitlement, day, type and service, in that order, in row groups a viewer of one workspace
    can pick by their statistics. (Row groups made smaller here, so the seeded ones fill
    several.)"""
    folder, rows = _derived_in_small_row_groups(seeded, tmp_path, monkeypatch)
    path = folder / DERIVED / "case_groups.parquet"
    groups = pl.read_parquet(path)
    keys = ["workspace_id", "contract_id", "entitlement_id", "day", "case_type", "service_code"]
    assert groups.select(keys).is_duplicated().sum() == 0  # one row per group
    assert groups["cases"].sum() == rows["cases"]
    assert groups.equals(groups.sort(groups.columns, nulls_last=True))
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups == -(-groups.height // 2_048) > 1
    spaces = groups.columns.index("workspace_id")
    previous = None
    for i in range(meta.num_row_groups):
        space = meta.row_group(i).column(spaces).statistics
        assert space is not None and space.has_min_max
        if previous is not None:
            assert space.min >= previous.max
        previous = space


def test_a_table_is_the_same_bytes_however_its_rows_were_chunked(seeded, tmp_path):
    """The generator hands its rows to TableWriter in batches of any size; the file must not
    depend on them (row groups and pages alike), so the same rows always give the same bytes."""
    from dashboard.ingest.parquet_layout import TableWriter

    folder, _rows = seeded
    # enough rows for two row groups, and enough distinct ids that a row group's dictionary of
    # them overflows part way (where that happens must not depend on the batches)
    cases = pl.concat([pl.read_parquet(folder / "cases.parquet")] * 40)
    cases = cases.with_columns(pl.format("CS{}", pl.int_range(pl.len())).alias("case_id"))
    written = []
    for name, sizes in (("whole", [cases.height]), ("pieces", [1, 7, 500, 2048, 10_000])):
        out = tmp_path / name
        out.mkdir()
        writer = TableWriter(out, "cases")
        start = 0
        for size in sizes * (cases.height // sum(sizes) + 1):
            writer.write(cases.slice(start, size))
            start += size
        assert writer.close() == cases.height
        written.append(sha256_of(out / "cases.parquet"))
    assert written[0] == written[1]


# --- more customers (--customers N) ----------------------------------------------------------

FOUR = ["Northwind Manufacturing", "Contoso Health", "Fabrikam Logistics", "Woodgrove Bank"]
HAND_PLACED_MANAGERS = ["am-lena", "am-marco", "am-omar", "am-priya"]


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """44 customers: the four and 40 made up, am-book's whole book."""
    folder = tmp_path_factory.mktemp("seed") / "customers44"
    return folder, _generate(folder, customers=44)


@pytest.fixture(scope="module")
def db44(many) -> duckdb.DuckDBPyConnection:
    folder, _rows = many
    con = duckdb.connect()
    for name in TABLE_NAMES:
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')")
    return con


ACTIVE = "start_date <= $d AND (end_date IS NULL OR $d <= end_date)"


def test_more_customers_are_the_four_then_made_up_ones(db44):
    rows = db44.execute("SELECT customer_id, name FROM customers ORDER BY 1").fetchall()
    assert [c for c, _ in rows] == [f"C{n:02d}" for n in range(1, 45)]
    names = [n for _, n in rows]
    assert names[:4] == FOUR
    assert len(set(names)) == 44
    made_up = """SELECT c.customer_id, count(DISTINCT w.workspace_id), count(DISTINCT u.user_id),
            count(DISTINCT u.user_id) FILTER (u.is_customer_admin), count(DISTINCT g.group_id)
        FROM customers AS c JOIN workspaces AS w USING (customer_id)
        JOIN users AS u USING (customer_id) LEFT JOIN groups AS g USING (customer_id)
        WHERE c.customer_id > 'C04' GROUP BY 1"""
    for customer, workspaces, users, admins, groups in db44.execute(made_up).fetchall():
        assert 2 <= workspaces <= 6, customer
        assert users >= 12 and admins >= 1 and groups >= 1, customer
    live = f"SELECT count(DISTINCT customer_id) FROM contracts WHERE {ACTIVE}"
    assert _one(db44, live, d=AS_OF) == 44  # every customer has an active contract
    # some made-up customer's contract ends within 90 days with nothing renewing it yet
    ending = f"""SELECT count(*) FROM contracts AS k
        WHERE k.customer_id > 'C04' AND {ACTIVE} AND end_date - $d BETWEEN 0 AND 90
          AND NOT EXISTS (
              SELECT 1 FROM contracts AS r WHERE r.renews_contract_id = k.contract_id)"""
    assert _one(db44, ending, d=AS_OF) > 0


def test_made_up_customers_have_account_managers_of_their_own(db44, db):
    managers = _values(db44, "SELECT user_id FROM account_managers ORDER BY 1")
    # am-book and one more for every six of the 40 made-up customers (6 of six, 1 of four)
    assert managers == [f"am-0{n}" for n in range(1, 8)] + ["am-book", *HAND_PLACED_MANAGERS]
    assert _one(db44, "SELECT count(*) FROM account_assignments") == 6 + 40 + 40
    book = f"SELECT customer_id FROM account_assignments WHERE user_id = 'am-book' AND {ACTIVE}"
    assert sorted(_values(db44, book, d=AS_OF)) == [f"C{n:02d}" for n in range(5, 45)]
    per_customer = f"""SELECT customer_id, count(*) FROM account_assignments
        WHERE customer_id > 'C04' AND {ACTIVE} GROUP BY 1"""
    counts = dict(db44.execute(per_customer, {"d": AS_OF}).fetchall())
    assert len(counts) == 40 and set(counts.values()) == {2}  # am-book and a smaller book
    every = "SELECT * FROM account_assignments WHERE customer_id <= 'C04' ORDER BY ALL"
    assert db44.execute(every).fetchall() == db.execute(every).fetchall()  # the four's as ever
    orphans = """SELECT count(*) FROM account_assignments
        WHERE customer_id NOT IN (SELECT customer_id FROM customers)"""
    assert _one(db44, orphans) == 0
    emails = """SELECT count(*) - count(DISTINCT lower(email)) FROM (
        SELECT email FROM users UNION ALL SELECT email FROM account_managers)"""
    assert _one(db44, emails) == 0  # one e-mail, one person, as the import requires


def test_fewer_than_forty_made_up_customers_are_all_in_am_books_book(tmp_path):
    folder = tmp_path / "customers10"
    rows = _generate(folder, customers=10)
    assert rows["customers"] == 10
    assert rows["account_managers"] == 4 + 2  # am-book, and am-01 with all six
    assert rows["account_assignments"] == 6 + 6 + 6
    served = pl.read_parquet(folder / "account_assignments.parquet").filter(
        pl.col("user_id") == "am-book"
    )
    assert sorted(served["customer_id"]) == [f"C{n:02d}" for n in range(5, 11)]


def test_more_customers_share_the_same_usage(seeded, many, db44):
    _folder, four = seeded
    _folder, more = many
    usage, usage44 = (sum(r[t] for t in USAGE) for r in (four, more))
    assert 0.9 <= usage44 / usage <= 1.1
    share = """SELECT avg(CASE WHEN w.customer_id <= 'C04' THEN 1 ELSE 0 END)
        FROM cases AS c JOIN workspaces AS w USING (workspace_id)"""
    assert 0.4 <= _one(db44, share) <= 0.6  # the four keep about half


def test_more_customers_are_the_same_for_the_same_seed(many, tmp_path):
    folder, rows = many
    again = tmp_path / "again"
    assert _generate(again, customers=44) == rows
    assert _hashes(again) == _hashes(folder)
    other = tmp_path / "other"
    _generate(other, customers=44, seed=8)
    names = [pl.read_parquet(f / "customers.parquet")["name"] for f in (folder, other)]
    assert names[0][:4].equals(names[1][:4])  # the four are fixed
    assert not names[0][4:].equals(names[1][4:])  # the made-up ones are drawn by the seed


@pytest.mark.parametrize(
    "table",
    ["customers", "workspaces", "groups", "contracts", "packages", "entitlements", *USAGE,
     "enrollments", "contacts", "assessments"],
)  # fmt: skip
def test_ids_of_more_customers_sort_in_the_order_rows_were_made(many, table):
    folder, _rows = many
    ids = pl.read_parquet(folder / f"{table}.parquet").get_column(BY_NAME[table].key[0])
    assert ids.str.len_chars().n_unique() == 1
    assert ids.to_list() == sorted(ids.to_list())


def test_more_customers_import_and_am_book_may_open_forty(many, tmp_path):
    from dashboard.ingest.data_home import current_dataset
    from dashboard.ingest.importer import import_dataset
    from dashboard.query.dataset import Dataset

    folder, _rows = many
    import_dataset(folder, tmp_path / "home", AS_OF)  # every rule of the contract checked
    dataset = Dataset(current_dataset(tmp_path / "home"))
    assert dataset.run("viewer", "am-book").item(0, "customers") == 40
    assert dataset.run("viewer", "am-07").item(0, "customers") == 4  # C41 to C44
    assert dataset.run("viewer", "am-priya").item(0, "customers") == 3


@pytest.mark.parametrize("customers", [3, 100])
def test_customers_out_of_range_are_refused(tmp_path, capsys, customers):
    from dashboard.cli import main
    from dashboard.ingest import data_home

    with pytest.raises(ValueError, match="customers"):
        generate(tmp_path, customers=customers)
    assert list(tmp_path.iterdir()) == []
    home = tmp_path / "home"
    assert main(["seed", "--out", str(home), "--customers", str(customers)]) == 1
    assert capsys.readouterr().err == "error: --customers must be from 4 to 99\n"
    assert not data_home.has_dataset(home)


def test_the_seed_command_passes_customers_through(tmp_path, capsys):
    from dashboard.cli import main
    from dashboard.ingest.data_home import current_dataset

    home = tmp_path / "home"
    assert main(["seed", "--out", str(home), "--customers", "5"]) == 0
    customers = pl.read_parquet(current_dataset(home) / "customers.parquet")
    assert customers["customer_id"].to_list() == ["C01", "C02", "C03", "C04", "C05"]
    assert customers["name"].to_list()[:4] == FOUR
