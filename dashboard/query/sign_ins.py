"""What the server remembers of sign-ins, in `sign_ins.sqlite` in the data home beside
`access.sqlite`: which provider identity each person is bound to, and which sessions have been
signed out.

A person is bound to the provider's `(iss, sub)` at their first verified sign-in; a later
sign-in with the same e-mail and another identity is refused, so that an e-mail address
re-issued or claimed at the provider cannot borrow an account. Signing out records the session,
so that a copy of its cookie no longer signs anyone in.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

FILE = "sign_ins.sqlite"
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS bindings (
        user_id TEXT PRIMARY KEY,
        issuer TEXT NOT NULL,
        subject TEXT NOT NULL,
        bound_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS ended (
        session TEXT PRIMARY KEY,
        ended_at TEXT NOT NULL,
        forget_after REAL NOT NULL
    )""",
)


def _connect(home: Path) -> sqlite3.Connection:
    home.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(home / FILE, timeout=30, isolation_level=None)
    con.execute("PRAGMA busy_timeout = 30000")
    for statement in _SCHEMA:
        con.execute(statement)
    return con


def session_key(claims: Mapping[str, object]) -> str:
    """One sign-in's name: the claims the provider signed for it, which every copy of its
    cookie carries and no other sign-in shares (a new sign-in has a new `iat` and nonce)."""
    parts = [claims.get(name) for name in ("iss", "sub", "aud", "iat", "exp", "nonce")]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def bind(home: Path, user_id: str, issuer: str, subject: str) -> bool:
    """Bind `user_id` to the provider identity `(issuer, subject)` if it is bound to none yet;
    True when it is (now or before) bound to that identity, False when to another one."""
    con = _connect(home)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute(
            "INSERT OR IGNORE INTO bindings (user_id, issuer, subject, bound_at) "
            "VALUES (?, ?, ?, ?)",
            (user_id, issuer, subject, datetime.now(UTC).isoformat(timespec="seconds")),
        )
        bound = con.execute(
            "SELECT issuer, subject FROM bindings WHERE user_id = ?", (user_id,)
        ).fetchone()
        con.execute("COMMIT")
        return tuple(bound) == (issuer, subject)
    finally:
        con.close()


def end(home: Path, session: str, forget_after: float) -> None:
    """Record that `session` was signed out; it is forgotten once its cookie could no longer
    be accepted anyway (`forget_after`, seconds since the epoch)."""
    con = _connect(home)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("DELETE FROM ended WHERE forget_after < ?", (time.time(),))
        con.execute(
            "INSERT OR REPLACE INTO ended (session, ended_at, forget_after) VALUES (?, ?, ?)",
            (session, datetime.now(UTC).isoformat(timespec="seconds"), forget_after),
        )
        con.execute("COMMIT")
    finally:
        con.close()


def has_ended(home: Path, session: str) -> bool:
    """Whether `session` was signed out: read at every run of a signed-in page, so a plain
    read, without setting the file up."""
    path = home / FILE
    if not path.exists():
        return False
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        found = con.execute("SELECT 1 FROM ended WHERE session = ?", (session,)).fetchone()
        return found is not None
    except sqlite3.OperationalError as problem:
        if "no such table" in str(problem):  # being set up: nothing ended yet
            return False
        raise
    finally:
        con.close()
