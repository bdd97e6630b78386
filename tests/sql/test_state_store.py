"""The app's state in SQLite or PostgreSQL (dashboard/query/state_store.py): the schema created
and migrated on first use, concurrent writers, durability across a restart of the server, and
what happens while the server is down: writes refused with nothing written, reads falling back
to what this process last read, everything back without a restart."""

import sqlite3
import subprocess
import threading
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from dashboard import local_services
from dashboard.query import access_store, sign_ins, state_store
from dashboard.query.state_store import Migration, StateUnavailable, Store

GRANT = ("u-cadmin", "u-none", "W1", "customer_activity", "grant")
NOTES_V1 = Migration(("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",))
NOTES_V2 = Migration(("ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'nobody'",))


def schema_version(backend: str, home, store: Store) -> int:
    if backend == "sqlite":
        with sqlite3.connect(home / store.sqlite_file) as con:
            return con.execute("PRAGMA user_version").fetchone()[0]
    found = state_store.read(store, home, "SELECT version FROM state_schema WHERE store = ?",
                             (store.name,))  # fmt: skip
    return found[0]["version"]


def test_the_schema_is_created_on_first_use(tmp_path, state_backend):
    home = tmp_path / "home"
    assert access_store.version(home) == 0 and access_store.changes(home) == []
    assert access_store.record(home, *GRANT) == 1
    assert sign_ins.bind(home, "u-act", "https://idp", "ada") is True
    assert schema_version(state_backend, home, access_store.STORE) == 1
    assert schema_version(state_backend, home, sign_ins.STORE) == 1
    assert [c["user_id"] for c in access_store.changes(home, ["W1"])] == ["u-none"]


def test_a_store_is_migrated_from_an_older_version(tmp_path, state_backend):
    home = tmp_path / "home"
    older = Store("notes", "notes.sqlite", (NOTES_V1,))
    with state_store.write(older, home) as tx:
        tx.rows("INSERT INTO notes (id, body) VALUES (?, ?)", (1, "kept"))
    assert schema_version(state_backend, home, older) == 1
    state_store.close_pools()  # a new process, with the newer code
    newer = Store("notes", "notes.sqlite", (NOTES_V1, NOTES_V2))
    with state_store.write(newer, home) as tx:
        tx.rows("INSERT INTO notes (id, body, author) VALUES (?, ?, ?)", (2, "new", "ada"))
    rows = state_store.read(newer, home, "SELECT id, body, author FROM notes ORDER BY id")
    assert rows == [{"id": 1, "body": "kept", "author": "nobody"},
                    {"id": 2, "body": "new", "author": "ada"}]  # fmt: skip
    assert schema_version(state_backend, home, newer) == 2


def test_an_access_file_written_before_migrations_were_counted_keeps_working(tmp_path):
    """A data home from before: `access.sqlite` with its table, at user_version 0."""
    home = tmp_path / "home"
    home.mkdir()
    with sqlite3.connect(home / access_store.FILE) as con:
        con.execute(
            "CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, changed_at TEXT NOT NULL,"
            " by_user TEXT NOT NULL, user_id TEXT NOT NULL, workspace_id TEXT NOT NULL,"
            " role TEXT NOT NULL, action TEXT NOT NULL CHECK (action IN ('grant', 'revoke')))"
        )
        con.execute(
            "INSERT INTO changes (changed_at, by_user, user_id, workspace_id, role, action) VALUES"
            " ('2026-06-01T09:00:00+00:00', 'u-cadmin', 'u-act', 'W2', 'training_manager', 'grant')"
        )
    assert access_store.version(home, ["W2"]) == 1
    assert access_store.record(home, *GRANT) == 2
    assert [c["user_id"] for c in access_store.changes(home)] == ["u-act", "u-none"]
    with sqlite3.connect(home / access_store.FILE) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 1


def test_two_threads_granting_at_once_on_first_use_are_both_recorded(tmp_path, state_backend):
    home = tmp_path / "home"
    errors, start = [], threading.Barrier(4)

    def grant(n):
        try:
            start.wait()
            access_store.record(home, "u-cadmin", f"u{n}", "W1", "customer_activity", "grant")
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=grant, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    changes = access_store.changes(home)
    assert sorted(c["user_id"] for c in changes) == ["u0", "u1", "u2", "u3"]
    assert [c["seq"] for c in changes] == [1, 2, 3, 4]


def test_lists_are_bound_never_pasted(tmp_path, state_backend):
    home = tmp_path / "home"
    hostile = "W1') OR 1=1 --"
    access_store.record(home, *GRANT)
    assert access_store.changes(home, [hostile]) == []
    assert access_store.version(home, [hostile, "W9"]) == 0
    assert access_store.version(home, [hostile, "W1"]) == 1


@pytest.fixture
def server(postgres, monkeypatch):
    """The tests' PostgreSQL server, the state in a fresh database of it, and a quick wait for
    a connection (the pool's default 3 s would make these tests slow, not different)."""
    from tests.conftest import fresh_database

    monkeypatch.setattr(state_store, "POOL_WAIT_SECONDS", 1.0)
    monkeypatch.setenv(state_store.ENV_VAR, fresh_database(postgres))
    yield postgres
    subprocess.run(postgres.start_command, capture_output=True, check=False)  # if stopped
    state_store.close_pools()


def stop(server):
    subprocess.run(server.stop_command, capture_output=True, check=True)


def start(server):
    subprocess.run(server.start_command, capture_output=True, check=True)


def test_a_confirmed_change_survives_a_fast_restart_of_the_server(tmp_path, server):
    home = tmp_path / "home"
    seq = access_store.record(home, *GRANT)
    local_services.restart(server)  # fast stop: only what was committed is there after
    state_store.close_pools()
    assert [(c["seq"], c["user_id"]) for c in access_store.changes(home)] == [(seq, "u-none")]


def test_with_the_server_down_a_grant_is_refused_and_nothing_is_written(tmp_path, server):
    home = tmp_path / "home"
    access_store.record(home, *GRANT)
    assert sign_ins.has_ended(home, "a-session") is False  # its tables made
    stop(server)
    with pytest.raises(StateUnavailable, match="nothing was changed; try again in a minute"):
        access_store.record(home, "u-cadmin", "u-act", "W2", "training_manager", "grant")
    with pytest.raises(StateUnavailable):
        sign_ins.bind(home, "u-act", "https://idp", "ada")
    with pytest.raises(StateUnavailable):
        sign_ins.end(home, "a-session", 4e9)
    start(server)
    # the same process, no restart: the pool connects again by itself
    assert access_store.record(home, "u-cadmin", "u-viewall", "W1", "training_manager", "grant")
    assert [c["user_id"] for c in access_store.changes(home)] == ["u-none", "u-viewall"]
    with psycopg.connect(state_store.location()) as con:
        assert con.execute("SELECT count(*) FROM bindings").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM ended").fetchone()[0] == 0


def test_with_the_server_down_reads_fall_back_to_the_last_known(tmp_path, server):
    home = tmp_path / "home"
    access_store.record(home, *GRANT)
    before = datetime.now(UTC)
    acme = ["W1", "W2"]
    assert access_store.version(home, acme) == 1
    assert len(access_store.changes(home, acme)) == 1
    assert access_store.stale_since(home, acme) is None
    assert sign_ins.has_ended(home, "a-session") is False
    stop(server)
    assert access_store.version(home, acme) == 1
    assert [c["user_id"] for c in access_store.changes(home, acme)] == ["u-none"]
    since = access_store.stale_since(home, acme)
    assert since is not None and before - timedelta(seconds=1) <= since <= datetime.now(UTC)
    assert sign_ins.has_ended(home, "a-session") is False
    # what this process never read it refuses, rather than guess
    with pytest.raises(StateUnavailable, match="cannot be reached just now"):
        access_store.version(home, ["W3"])
    with pytest.raises(StateUnavailable):
        sign_ins.has_ended(home, "another-session")
    start(server)
    access_store.record(home, "u-cadmin", "u-act", "W2", "training_manager", "grant")
    assert access_store.version(home, acme) == 2
    assert access_store.stale_since(home, acme) is None
    assert access_store.version(home, ["W3"]) == 0


def test_a_page_waits_seconds_not_seconds_per_read(tmp_path, server):
    import time

    home = tmp_path / "home"
    access_store.record(home, *GRANT)
    assert access_store.version(home, ["W1"]) == 1
    stop(server)
    began = time.monotonic()
    for _ in range(12):  # a page's dozen results
        assert access_store.version(home, ["W1"]) == 1
    assert time.monotonic() - began < 3 * state_store.POOL_WAIT_SECONDS


def test_the_password_is_never_said(tmp_path, monkeypatch, caplog):
    port = local_services.free_port()  # nothing listens there
    monkeypatch.setenv(state_store.ENV_VAR, f"postgresql://admin:Sup3rS3cret@127.0.0.1:{port}/db")
    monkeypatch.setattr(state_store, "POOL_WAIT_SECONDS", 1.0)
    try:
        with pytest.raises(StateUnavailable) as raised:
            access_store.record(tmp_path, *GRANT)
    finally:
        state_store.close_pools()
    said = str(raised.value)
    assert f"(postgresql://admin@127.0.0.1:{port}/db)" in said and "Sup3rS3cret" not in said
    assert "Sup3rS3cret" not in caplog.text
    monkeypatch.setenv(state_store.ENV_VAR, "mysql://admin:Sup3rS3cret@db/x")
    with pytest.raises(state_store.StateMisconfigured) as raised:
        state_store.location()
    assert "Sup3rS3cret" not in str(raised.value) and "mysql://admin@db/x" in str(raised.value)
