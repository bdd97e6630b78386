"""What the server remembers of sign-ins, in `sign_ins.sqlite` in the data home beside
`access.sqlite` (or in the PostgreSQL database `CUSTOMER_ACTIVITY_STATE` names: see
state_store): which provider identity each person is bound to, and which sessions have been
signed out.

A person is bound to the provider's `(iss, sub)` at their first verified sign-in; a later
sign-in with the same e-mail and another identity is refused, so that an e-mail address
re-issued or claimed at the provider cannot borrow an account. Signing out records the session,
so that a copy of its cookie no longer signs anyone in.

When the state cannot be reached, binding and signing out raise StateUnavailable with nothing
written, and `has_ended` answers as this process last read it for that session.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from dashboard.query import state_store
from dashboard.query.state_store import Migration

FILE = "sign_ins.sqlite"
_BINDINGS = """CREATE TABLE IF NOT EXISTS bindings (
    user_id TEXT PRIMARY KEY,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    bound_at TEXT NOT NULL
)"""
_ENDED = """CREATE TABLE IF NOT EXISTS ended (
    session TEXT PRIMARY KEY,
    ended_at TEXT NOT NULL,
    forget_after {seconds} NOT NULL
)"""
STORE = state_store.Store(
    "sign_ins",
    FILE,
    (
        Migration(
            sqlite=(_BINDINGS, _ENDED.format(seconds="REAL")),
            # seconds since the epoch: PostgreSQL's REAL has 24 bits, too few for them
            postgresql=(_BINDINGS, _ENDED.format(seconds="DOUBLE PRECISION")),
        ),
    ),
)
_last = state_store.LastKnown()


def session_key(claims: Mapping[str, object]) -> str:
    """One sign-in's name: the claims the provider signed for it, which every copy of its
    cookie carries and no other sign-in shares (a new sign-in has a new `iat` and nonce)."""
    parts = [claims.get(name) for name in ("iss", "sub", "aud", "iat", "exp", "nonce")]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def bind(home: Path, user_id: str, issuer: str, subject: str) -> bool:
    """Bind `user_id` to the provider identity `(issuer, subject)` if it is bound to none yet;
    True when it is (now or before) bound to that identity, False when to another one."""
    with state_store.write(STORE, home) as tx:
        tx.rows(
            "INSERT INTO bindings (user_id, issuer, subject, bound_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO NOTHING",
            (user_id, issuer, subject, datetime.now(UTC).isoformat(timespec="seconds")),
        )
        bound = tx.one("SELECT issuer, subject FROM bindings WHERE user_id = ?", (user_id,))
    return bound is not None and (bound["issuer"], bound["subject"]) == (issuer, subject)


def end(home: Path, session: str, forget_after: float) -> None:
    """Record that `session` was signed out; it is forgotten once its cookie could no longer
    be accepted anyway (`forget_after`, seconds since the epoch)."""
    with state_store.write(STORE, home) as tx:
        tx.rows("DELETE FROM ended WHERE forget_after < ?", (time.time(),))
        tx.rows(
            "INSERT INTO ended (session, ended_at, forget_after) VALUES (?, ?, ?) "
            "ON CONFLICT (session) DO UPDATE SET ended_at = excluded.ended_at, "
            "forget_after = excluded.forget_after",
            (session, datetime.now(UTC).isoformat(timespec="seconds"), float(forget_after)),
        )


def has_ended(home: Path, session: str) -> bool:
    """Whether `session` was signed out: read at every run of a signed-in page, so a plain
    read, which creates nothing."""
    key = (state_store.location() or str(home), session)

    def read() -> bool:
        sql = "SELECT 1 AS found FROM ended WHERE session = ?"
        return bool(state_store.read(STORE, home, sql, (session,)))

    return _last.read(key, read)
