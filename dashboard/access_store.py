"""Grants and revocations made in the app: an SQLite file beside the datasets (`access.sqlite`
in the data home), created on first use, apart from the imported data so that it survives
restarts and re-imports. Every change is one row, which is also the audit trail.

Writes are serialised by SQLite and committed durably before they are confirmed, so two
sessions granting at once both take effect and a crash loses nothing already confirmed.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from dashboard.contract import ROLES

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


def changes(home: Path) -> list[dict]:
    """Every change, oldest first, as the visibility layer binds them."""
    if not (home / FILE).exists():
        return []
    con = _connect(home)
    try:
        con.row_factory = sqlite3.Row
        rows = con.execute(
            "SELECT seq, changed_at, by_user, user_id, workspace_id, role, action "
            "FROM changes ORDER BY seq"
        ).fetchall()
        return [dict(row) for row in rows]
    finally:
        con.close()


_readers: dict[Path, tuple[int, sqlite3.Connection]] = {}
_readers_lock = threading.Lock()


def version(home: Path) -> int:
    """The number of the latest change (0 before any): part of every cached result's key, so
    read for every result a page asks for. Read through one connection per file, kept open
    (opening and setting one up took about 0.6 ms, ten times the read); each read is a
    transaction of its own, which sees every change committed before it, by any process."""
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
            return int(held[1].execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])
        except sqlite3.OperationalError as problem:
            if "no such table" in str(problem):  # the file is being created: no change yet
                return 0
            raise
