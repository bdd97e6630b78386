"""Where the app's own state lives (grants and revocations with their audit trail, sign-ins; later
saved views and subscriptions): SQLite files in the data home, or one PostgreSQL database shared
by every replica of the app.

`CUSTOMER_ACTIVITY_STATE` chooses. Unset: each store is an SQLite file in the data home
(`access.sqlite`, `sign_ins.sqlite`), as it always was. `postgresql://USER:PASSWORD@HOST:PORT/DB`:
every store's tables in that database, reached through one connection pool per URL per process.

A store is a name, its SQLite file and a numbered list of migrations. The schema is created and
migrated on first use: in SQLite the version applied is the file's `user_version`; in PostgreSQL
a row of `state_schema`, under a transaction-scoped advisory lock so that replicas starting
together migrate once, one after the other. Statements are written once, in the SQL both
databases understand (`ON CONFLICT`, `RETURNING`), with `?` placeholders (turned into `%s` for
psycopg) and a list given as generated placeholders (`placeholders(n)`), never pasted values.

`write(store, home)` is one transaction: it returns only once the change is on disk (SQLite's
`synchronous = FULL`; PostgreSQL's default `synchronous_commit`), and a failure leaves nothing
of it. The writers of a store take turns (SQLite's `BEGIN IMMEDIATE`, an advisory lock in
PostgreSQL), so numbered changes are committed in the order of their numbers.
`read(store, home, sql, params)` is one statement.

When PostgreSQL cannot be reached (down, restarting, the network cut), both raise
`StateUnavailable` within a few seconds: CONNECT_SECONDS to connect, POOL_WAIT_SECONDS to wait
for a connection, STATEMENT_SECONDS for a statement. A page must not hang while its reader
waits; two to three seconds is longer than any healthy connection takes, even across a data
centre, and short enough that the page says what is wrong before the reader gives up on it.
A write that cannot be made is refused, and nothing of it is written. Permissions come first
for reads: the pages read who may see what at every run, and `LastKnown` lets them fall back to
what this process last read of the same workspaces. That differs from the truth only by the
changes confirmed in the seconds between that read and the outage (a page is read every few
seconds per session), and a page says it applies the changes as they were at that time.
A process that never read them refuses the page rather than guess. Once the database is found
unreachable, reads fail at once for DOWN_SECONDS, so a page waits a few seconds at most, not a
few seconds per read. Every pooled connection is checked when it is borrowed, so connections
broken by a restart are replaced, and the pool reconnects by itself: nothing needs restarting
once the database is back.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from dashboard.language import _

ENV_VAR = "CUSTOMER_ACTIVITY_STATE"
CONNECT_SECONDS = 2  # libpq's connect_timeout: whole seconds, 2 at least
POOL_WAIT_SECONDS = 3.0  # for a free connection, or a new one while the database is away
STATEMENT_SECONDS = 5  # no statement of ours takes more than milliseconds
# Once the database is found unreachable, reads fail at once for this long instead of each
# waiting POOL_WAIT_SECONDS: a page reads a dozen times, and would otherwise hang for half a
# minute. Writes always try (someone asked for them), and any success ends the wait.
DOWN_SECONDS = 5.0
# Streamlit runs each session's script in a thread of its own, and app/prefetch.py runs at most
# four queries ahead of a page. A read holds a connection for well under a millisecond, so a
# few connections serve dozens of sessions; 10 per replica leaves PostgreSQL's default 100
# connections room for eight replicas and the command line. Two are kept open so that the
# first reads after a quiet spell do not pay for connecting.
POOL_MIN = 2
POOL_MAX = 10
_MIGRATION_LOCK = 0x5EC0_57A7E  # pg_advisory_xact_lock's key: this module's migrations
_SQLITE_SETUP_TRIES = 200  # at _SQLITE_SETUP_PAUSE seconds apart: ten seconds in all
_SQLITE_SETUP_PAUSE = 0.05

log = logging.getLogger("customer_activity")
T = TypeVar("T")


class StateUnavailable(Exception):
    """The state database cannot be reached just now; str() says so in one line, never with a
    password."""

    def __init__(self, where: str, writing: bool = True, unsure: bool = False):
        self.where, self.writing, self.unsure = where, writing, unsure
        if unsure:  # the connection was lost while the commit was on its way
            outcome = "the change may or may not have been recorded: check before trying again"
        elif writing:
            outcome = "nothing was changed; try again in a minute"
        else:
            outcome = "try again in a minute"
        self.outcome = outcome
        super().__init__(
            f"the app's state database cannot be reached just now ({where}): {outcome}"
        )

    def for_people(self) -> str:
        """The same without where the database is: what a page shows (the log says where), in
        the run's language."""
        if self.unsure:
            return _(
                "the app's state database cannot be reached just now: the change may or may "
                "not have been recorded: check before trying again"
            )
        if self.writing:
            return _(
                "the app's state database cannot be reached just now: nothing was changed; "
                "try again in a minute"
            )
        return _("the app's state database cannot be reached just now: try again in a minute")

    def in_a_change(self) -> StateUnavailable:
        """This, as said of a change it stopped (a read made for a change changes nothing)."""
        return self if self.writing else StateUnavailable(self.where, writing=True)


class StateMisconfigured(ValueError):
    """CUSTOMER_ACTIVITY_STATE names no database this module can use."""


@dataclass(frozen=True)
class Migration:
    """One step of a store's schema: the statements for each database (the same unless given)."""

    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...] | None = None

    def statements(self, dialect: str) -> tuple[str, ...]:
        if dialect == "postgresql" and self.postgresql is not None:
            return self.postgresql
        return self.sqlite


@dataclass(frozen=True)
class Store:
    """A part of the app's state: its name (its schema version's key), its file in the data home
    when the state is in SQLite, and its migrations in order (version n is the first n)."""

    name: str
    sqlite_file: str
    migrations: tuple[Migration, ...]


def placeholders(n: int) -> str:
    """`?, ?, ?` for a list of `n` values bound one by one (SQLite allows 32,766 in a
    statement, PostgreSQL 65,535: far more workspaces than a customer has)."""
    return ", ".join("?" * n)


def location() -> str | None:
    """The PostgreSQL URL the state lives in, or None for SQLite files in the data home."""
    url = os.environ.get(ENV_VAR, "").strip()
    if not url:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        raise StateMisconfigured(
            f"{ENV_VAR} must be unset or a postgresql://USER:PASSWORD@HOST:PORT/DB URL, "
            f"not {redacted(url)}"
        )
    return url


def redacted(url: str) -> str:
    """`url` without its password (and without any query string, which may hold one)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(a URL that cannot be read)"
    user = f"{parts.username}@" if parts.username else ""
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"


def where(home: Path, store: Store) -> str:
    """Where `store` lives, as messages name it."""
    url = location()
    return redacted(url) if url else str(home / store.sqlite_file)


class Transaction:
    """Statements run in one transaction: `?` placeholders, rows as dicts."""

    def __init__(self, cursor: Any, dialect: str):
        self._cursor = cursor
        self._dialect = dialect

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[dict]:
        self._cursor.execute(_for(self._dialect, sql), tuple(params))
        if self._cursor.description is None:
            return []
        return [_as_dict(self._cursor, row) for row in self._cursor.fetchall()]

    def one(self, sql: str, params: Sequence[object] = ()) -> dict | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        self._cursor.executemany(_for(self._dialect, sql), [tuple(r) for r in rows])


def _for(dialect: str, sql: str) -> str:
    """The statement with psycopg's placeholders: `?` becomes `%s` (our statements hold no `?`
    in a literal) and a literal `%` is doubled."""
    if dialect == "sqlite":
        return sql
    return sql.replace("%", "%%").replace("?", "%s")


def _as_dict(cursor: Any, row: Sequence[object]) -> dict:
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


@contextlib.contextmanager
def write(store: Store, home: Path) -> Iterator[Transaction]:
    """One transaction that changes `store`: committed, on disk, when the block ends without an
    error; rolled back, leaving nothing, when it raises. StateUnavailable when the database
    cannot be reached."""
    url = location()
    if url is None:
        with _sqlite_write(home / store.sqlite_file, store) as tx:
            yield tx
    else:
        with _pg_write(url, store) as tx:
            yield tx


def read(store: Store, home: Path, sql: str, params: Sequence[object] = ()) -> list[dict]:
    """The rows of one statement over `store`. In SQLite, none while its file does not exist yet
    (a read creates nothing); StateUnavailable when PostgreSQL cannot be reached."""
    url = location()
    if url is None:
        return _sqlite_read(home / store.sqlite_file, store, sql, params)
    return _pg_read(url, store, sql, params)


# SQLite -------------------------------------------------------------------------------------


def _sqlite_open(path: Path, store: Store) -> sqlite3.Connection:
    """A connection to `path` for writing, with the file in WAL mode and migrated."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    # WAL mode is kept in the file, so only the first connections switch to it and migrate.
    # Connections doing that at once, while another writes, can be refused at once with
    # "database is locked" (SQLite does not wait there as it does for writes): tried again.
    for attempt in range(_SQLITE_SETUP_TRIES):
        try:
            if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                con.execute("PRAGMA journal_mode = WAL")
            _sqlite_migrate(con, store)
            break
        except sqlite3.OperationalError as problem:
            if "locked" not in str(problem) or attempt == _SQLITE_SETUP_TRIES - 1:
                con.close()
                raise
            time.sleep(_SQLITE_SETUP_PAUSE)
    con.execute("PRAGMA synchronous = FULL")  # a commit returns once it is on disk
    return con


def _sqlite_migrate(con: sqlite3.Connection, store: Store) -> None:
    """Apply the migrations the file has not had yet (its `user_version` counts them). Files
    written before migrations were counted are at 0, and their first migration creates only
    what is missing."""
    if con.execute("PRAGMA user_version").fetchone()[0] >= len(store.migrations):
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        applied = con.execute("PRAGMA user_version").fetchone()[0]  # another may have done it
        for migration in store.migrations[applied:]:
            for statement in migration.statements("sqlite"):
                con.execute(statement)
        # a pragma takes no parameter; the number is the length of a constant list
        con.execute(f"PRAGMA user_version = {len(store.migrations):d}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


@contextlib.contextmanager
def _sqlite_write(path: Path, store: Store) -> Iterator[Transaction]:
    con = _sqlite_open(path, store)
    try:
        con.execute("BEGIN IMMEDIATE")  # writes are serialised here, not at the first INSERT
        try:
            yield Transaction(con.cursor(), "sqlite")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    finally:
        con.close()


# One reading connection per file, kept open: opening and setting one up costs far more than a
# read such as access_store.version, which runs for every result a page asks for. Each read is a
# transaction of its own, which sees every change committed before it, by any process.
_readers: dict[Path, tuple[int, sqlite3.Connection]] = {}
_readers_lock = threading.Lock()


def _sqlite_read(path: Path, store: Store, sql: str, params: Sequence[object]) -> list[dict]:
    try:
        inode = path.stat().st_ino
    except FileNotFoundError:
        return []
    with _readers_lock:
        held = _readers.get(path)
        if held is None or held[0] != inode:  # first read, or the file was replaced
            if held is not None:
                held[1].close()
            con = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            if con.execute("PRAGMA user_version").fetchone()[0] < len(store.migrations):
                _sqlite_open(path, store).close()  # an older file: migrated before it is read
            held = _readers[path] = (inode, con)
        try:
            cursor = held[1].execute(sql, tuple(params))
            return [_as_dict(cursor, row) for row in cursor.fetchall()]
        except sqlite3.OperationalError as problem:
            if "no such table" in str(problem):  # the file is being created: nothing in it yet
                return []
            raise


# PostgreSQL ---------------------------------------------------------------------------------

_pools: dict[str, Any] = {}
_migrated: set[tuple[str, str]] = set()
_down_until: dict[str, float] = {}  # by URL: when reads try the database again
_pools_lock = threading.Lock()


def _pool(url: str):
    """This process's pool for `url`, opened on first use without waiting for the database."""
    from psycopg_pool import ConnectionPool

    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            pool = ConnectionPool(
                url,
                min_size=POOL_MIN,
                max_size=POOL_MAX,
                timeout=POOL_WAIT_SECONDS,
                # a connection broken by a restart is found here and replaced, not handed out
                check=ConnectionPool.check_connection,
                # short retries: the database is back within seconds of a restart, and a client
                # waits POOL_WAIT_SECONDS at most whatever the pool does
                reconnect_timeout=30,
                kwargs={
                    "connect_timeout": CONNECT_SECONDS,
                    "options": f"-c statement_timeout={STATEMENT_SECONDS * 1000}",
                    "application_name": "customer-activity",
                },
                name=f"state {redacted(url)}",
                open=False,
            )
            pool.open(wait=False)
            _pools[url] = pool
        return pool


def _discard(url: str, pool) -> None:
    """Drop a pool that could give no connection: after a long outage its own retries wait
    longer and longer, so the next use starts a fresh pool, which connects at once."""
    with _pools_lock:
        if _pools.get(url) is pool:
            del _pools[url]
    threading.Thread(target=pool.close, kwargs={"timeout": 1.0}, daemon=True).start()


def close_pools() -> None:
    """Close every pool of this process (tests, and a process that is ending)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
        _migrated.clear()
        _down_until.clear()
    for pool in pools:
        pool.close()


@contextlib.contextmanager
def _pg_connection(url: str, store: Store, writing: bool) -> Iterator[Any]:
    """A connection from the pool, the store migrated; StateUnavailable when the database
    cannot be reached."""
    import psycopg

    if not writing and time.monotonic() < _down_until.get(url, 0.0):
        raise StateUnavailable(redacted(url), writing=False)
    pool = _pool(url)
    try:
        con = pool.getconn()
    except psycopg.OperationalError as problem:  # PoolTimeout among them
        _discard(url, pool)
        raise _unavailable(url, problem, writing) from None
    try:
        try:
            # a read is a statement of its own; a write, the transaction `write` commits
            con.autocommit = not writing
            if (url, store.name) not in _migrated:
                _pg_migrate(con, store)
                _migrated.add((url, store.name))
        except psycopg.OperationalError as problem:
            raise _unavailable(url, problem, writing) from None
        yield con
        _down_until.pop(url, None)
    finally:
        if not con.closed and con.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            with contextlib.suppress(psycopg.Error):
                con.rollback()
        pool.putconn(con)  # a broken connection is discarded by the pool


def _lock_key(store: Store) -> int:
    """The advisory lock of `store`'s writers: a number of its own, the same in every process."""
    return _MIGRATION_LOCK + zlib.crc32(store.name.encode())


def _pg_migrate(con, store: Store) -> None:
    """Apply `store`'s migrations that the database has not had, one replica at a time."""
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        con.execute(
            "CREATE TABLE IF NOT EXISTS state_schema "
            "(store TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        found = con.execute(
            "SELECT version FROM state_schema WHERE store = %s", (store.name,)
        ).fetchone()
        applied = found[0] if found else 0
        for migration in store.migrations[applied:]:
            for statement in migration.statements("postgresql"):
                con.execute(statement)
        if applied < len(store.migrations):
            con.execute(
                "INSERT INTO state_schema (store, version) VALUES (%s, %s) "
                "ON CONFLICT (store) DO UPDATE SET version = excluded.version",
                (store.name, len(store.migrations)),
            )


@contextlib.contextmanager
def _pg_write(url: str, store: Store) -> Iterator[Transaction]:
    import psycopg

    with _pg_connection(url, store, writing=True) as con:
        try:
            with con.cursor() as cursor:
                # one writer of a store at a time, as SQLite's BEGIN IMMEDIATE has it, so that
                # numbers drawn from a sequence are committed in their order: a reader that saw
                # change n has seen every change before it
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(store),))
                yield Transaction(cursor, "postgresql")
        except psycopg.OperationalError as problem:
            raise _unavailable(url, problem, writing=True) from None
        try:
            con.commit()  # returns once the commit is on disk (synchronous_commit's default)
        except psycopg.OperationalError as problem:
            raise _unavailable(url, problem, writing=True, unsure=True) from None


def _pg_read(url: str, store: Store, sql: str, params: Sequence[object]) -> list[dict]:
    import psycopg

    with _pg_connection(url, store, writing=False) as con:
        try:
            with con.cursor() as cursor:
                return Transaction(cursor, "postgresql").rows(sql, params)
        except psycopg.OperationalError as problem:
            raise _unavailable(url, problem, writing=False) from None


def _unavailable(
    url: str, problem: Exception, writing: bool, unsure: bool = False
) -> StateUnavailable:
    detail = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
    password = urlsplit(url).password
    if password:
        detail = detail.replace(password, "***")
    _down_until[url] = time.monotonic() + DOWN_SECONDS
    log.warning("the state database %s cannot be reached: %s", redacted(url), detail)
    return StateUnavailable(redacted(url), writing=writing, unsure=unsure)


# Falling back to what was last read ---------------------------------------------------------


@dataclass(frozen=True)
class Known:
    value: Any
    read_at: datetime


class LastKnown:
    """What this process last read of each key, for the reads every page makes: when the state
    cannot be read, the last value read stands in for it (see the module's docstring), and
    `stale_since(key)` says from when, until a read succeeds again."""

    def __init__(self):
        self._known: dict[Hashable, Known] = {}
        self._stale: set[Hashable] = set()
        self._lock = threading.Lock()

    def read(self, key: Hashable, fetch: Callable[[], T]) -> T:
        """`fetch()`, remembered under `key`; when it raises StateUnavailable, the value last
        remembered (the StateUnavailable if there is none)."""
        try:
            value = fetch()
        except StateUnavailable:
            known = self.fall_back(key)
            if known is None:
                raise
            return known
        self.remember(key, value)
        return value

    def fall_back(self, key: Hashable) -> Any:
        """The value last remembered under `key`, now marked as stood in for the state; None
        when there is none."""
        with self._lock:
            known = self._known.get(key)
            if known is None:
                return None
            self._stale.add(key)
            return known.value

    def remember(self, key: Hashable, value: object, read_at: datetime | None = None) -> None:
        with self._lock:
            self._known[key] = Known(value, read_at or datetime.now(UTC))
            self._stale.discard(key)

    def known(self, key: Hashable) -> Known | None:
        with self._lock:
            return self._known.get(key)

    def stale_since(self, key: Hashable) -> datetime | None:
        """When the value the latest read of `key` fell back to was read; None when that read
        succeeded (or there was none)."""
        with self._lock:
            return self._known[key].read_at if key in self._stale else None

    def clear(self) -> None:
        with self._lock:
            self._known.clear()
            self._stale.clear()
