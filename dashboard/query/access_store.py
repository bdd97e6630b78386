"""Grants and revocations made in the app: an SQLite file beside the datasets (`access.sqlite`
in the data home), created on first use, apart from the imported data so that it survives
restarts and re-imports. Every change is one row, which is also the audit trail.

Writes are serialised by SQLite and committed durably before they are confirmed, so two
sessions granting at once both take effect and a crash loses nothing already confirmed.

A change belongs to the customer of its workspace. Readers ask for the changes of one
customer's workspaces only (`changes`, `version`), so that one customer's changes never slow
down, nor clear the cached results of, another customer's pages.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

from dashboard.ingest.schema import ROLES

FILE = "access.sqlite"
ACTIONS = ("grant", "revoke")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    changed_at TEXT NOT NULL,
    by_user TEXT NOT NULL,
    user_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('grant', 'revoke'))
)
"""
# The changes of some workspaces, and the latest of them, are read by index, however many
# changes other workspaces (other customers) have.
_INDEX = "CREATE INDEX IF NOT EXISTS changes_by_workspace ON changes (workspace_id, seq)"


_SETUP_TRIES = 200  # at _SETUP_PAUSE seconds apart: ten seconds in all
_SETUP_PAUSE = 0.05


def _connect(home: Path) -> sqlite3.Connection:
    home.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(home / FILE, timeout=30, isolation_level=None)
    # WAL mode is kept in the file, so only the first connections switch to it and create the
    # table. Connections doing that at once, while another writes, can be refused at once with
    # "database is locked" (SQLite does not wait there as it does for writes): tried again.
    for attempt in range(_SETUP_TRIES):
        try:
            if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                con.execute("PRAGMA journal_mode = WAL")
            con.execute(_SCHEMA)
            con.execute(_INDEX)
            break
        except sqlite3.OperationalError as problem:
            if "locked" not in str(problem) or attempt == _SETUP_TRIES - 1:
                con.close()
                raise
            time.sleep(_SETUP_PAUSE)
    con.execute("PRAGMA synchronous = FULL")
    return con


def record(
    home: Path, by_user: str, user_id: str, workspace_id: str, role: str, action: str
) -> int:
    """Append one change and return its number once it is safely on disk."""
    if role not in ROLES or action not in ACTIONS:
        raise ValueError(f"unknown role {role!r} or action {action!r}")
    changed_at = datetime.now(UTC).isoformat(timespec="seconds")
    con = _connect(home)
    try:
        con.execute("BEGIN IMMEDIATE")
        cursor = con.execute(
            "INSERT INTO changes (changed_at, by_user, user_id, workspace_id, role, action) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (changed_at, by_user, user_id, workspace_id, role, action),
        )
        con.execute("COMMIT")
        return int(cursor.lastrowid)
    finally:
        con.close()


_COLUMNS = "seq, changed_at, by_user, user_id, workspace_id, role, action"


def changes(home: Path, workspaces: Collection[str] | None = None) -> list[dict]:
    """The changes made in `workspaces` (None: every change), oldest first, as the visibility
    layer binds them."""
    if not (home / FILE).exists() or (workspaces is not None and not workspaces):
        return []
    con = _connect(home)
    try:
        con.row_factory = sqlite3.Row
        if workspaces is None:
            rows = con.execute(f"SELECT {_COLUMNS} FROM changes ORDER BY seq").fetchall()  # noqa: S608
        else:
            rows = con.execute(
                f"SELECT {_COLUMNS} FROM changes "  # noqa: S608 (a constant list of columns)
                "WHERE workspace_id IN (SELECT value FROM json_each(?)) ORDER BY seq",
                (json.dumps(sorted(workspaces)),),
            ).fetchall()
        return [dict(row) for row in rows]
    finally:
        con.close()


_readers: dict[Path, tuple[int, sqlite3.Connection]] = {}
_readers_lock = threading.Lock()


def version(home: Path, workspaces: Collection[str] | None = None) -> int:
    """The number of the latest change made in `workspaces` (None: in any; 0 before any): with
    one customer's workspaces, part of the key of every cached result of that customer's
    viewers, so read for every result a page asks for. Read through one connection per file,
    kept open (opening and setting one up costs far more than the read); each read is
    a transaction of its own, which sees every change committed before it, by any process."""
    if workspaces is not None and not workspaces:
        return 0
    path = home / FILE
    try:
        inode = path.stat().st_ino
    except FileNotFoundError:
        return 0
    with _readers_lock:
        held = _readers.get(path)
        if held is None or held[0] != inode:  # first read, or the file was replaced
            if held is not None:
                held[1].close()
            con = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            held = _readers[path] = (inode, con)
        try:
            if workspaces is None:
                found = held[1].execute("SELECT coalesce(max(seq), 0) FROM changes")
            else:  # the latest of each workspace, each found by index
                found = held[1].execute(
                    "SELECT coalesce(max((SELECT max(c.seq) FROM changes AS c "
                    "WHERE c.workspace_id = w.value)), 0) FROM json_each(?) AS w",
                    (json.dumps(sorted(workspaces)),),
                )
            return int(found.fetchone()[0])
        except sqlite3.OperationalError as problem:
            if "no such table" in str(problem):  # the file is being created: no change yet
                return 0
            raise
