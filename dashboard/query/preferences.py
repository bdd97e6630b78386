"""What a signed-in user chose for themselves: the language of the interface. Kept in the app's
state (`preferences.sqlite` in the data home, or the PostgreSQL database
`CUSTOMER_ACTIVITY_STATE` names; see state_store), so that it follows them to any browser."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from dashboard.language import LANGUAGES
from dashboard.query import state_store
from dashboard.query.state_store import Migration

FILE = "preferences.sqlite"
_TABLE = """
CREATE TABLE IF NOT EXISTS preferences (
    user_id TEXT PRIMARY KEY,
    language TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
"""
STORE = state_store.Store("preferences", FILE, (Migration(sqlite=(_TABLE,), postgresql=(_TABLE,)),))


def language(home: Path, user: str) -> str | None:
    """The language `user` chose last (None if they never did, or it is no longer offered);
    StateUnavailable when the state cannot be read."""
    rows = state_store.read(
        STORE, home, "SELECT language FROM preferences WHERE user_id = ?", (user,)
    )
    chosen = rows[0]["language"] if rows else None
    return chosen if chosen in LANGUAGES else None


def choose_language(home: Path, user: str, code: str) -> None:
    """Remember `code` as `user`'s language; ValueError for one not offered, StateUnavailable
    (nothing written) when the state cannot be reached."""
    if code not in LANGUAGES:
        raise ValueError(f"no such language: {code!r}")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with state_store.write(STORE, home) as tx:
        tx.one(
            "INSERT INTO preferences (user_id, language, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET language = excluded.language, "
            "updated_at = excluded.updated_at RETURNING user_id",
            (user, code, now),
        )
