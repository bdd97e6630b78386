"""The one place queries run: a DuckDB connection per dataset, a cursor per query.

The connection defines the dataset's tables in the schema `raw` (read only by the visibility
layer), loads the roll-ups written with it (`queries/_derived.sql`) into memory, then locks
itself down so that no query can read or write anything else.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from dashboard.ingest import data_home, integrity
from dashboard.ingest.parquet_layout import DERIVED
from dashboard.ingest.schema import TABLE_NAMES
from dashboard.query import access_store, sql_files
from dashboard.query.filters import Filters
from dashboard.query.lru import Kept

# The copy it warns of is of a page's rows at most: whole lists take the other path (batches).
warnings.filterwarnings("ignore", "Arrow output on a DB-API result", UserWarning)
USAGE_TABLES = ("cases", "deliveries")
# kept expressions' results held per dataset, the least recently used dropped beyond either
KEPT_RESULTS = 1024
KEPT_BYTES = 64 * 1024 * 1024
BATCH_ROWS = 100_000  # rows at a time when a whole list is written out (Dataset.batches)
BULK_MEMORY = "256MB"  # what DuckDB may hold for a whole list written out, before it spills
# What DuckDB may hold for the pages' queries (the tables loaded into memory, its caches and
# every query's working memory) before it spills to disk: without it DuckDB may take 80% of the
# machine's memory, and a long-running server could grow past its budget (the stack alone +
# 250 MB). Every viewpoint's pages at 10M, first seen included, peaked at 100-111 MB.
MEMORY_LIMIT = "160MB"
_WHOLE_LISTS = threading.Lock()  # one whole list written out at a time, in this process
_ENDS_ORDERED = re.compile(
    r"\bORDER BY\b[^()]*$", re.IGNORECASE
)  # the tables that grow; every other one is small


class WholeListTooLarge(Exception):
    """A whole list that cannot be written out within BULK_MEMORY: what to do, in one line."""


@functools.cache
def _customer_workspaces_sql() -> str:
    """The workspaces of the viewer's customer, as the layer defines them."""
    return sql_files.compose("SELECT w.workspace_id FROM _customer_workspaces AS w")


class Dataset:
    """One immutable dataset folder, open for queries from any number of threads."""

    def __init__(self, folder: Path, home: Path | None = None):
        self.folder = folder.resolve()
        # the data home, where the app's own state lives; a plain dataset folder is its own
        self.home = home or data_home.home_of(self.folder)
        # refused with one line (integrity.DatasetDamaged) unless every file is as imported
        self.manifest = integrity.read_checked_manifest(self.folder)
        self.as_of = date.fromisoformat(self.manifest["as_of"])
        self.version = self.folder.name
        try:
            self._con = self._connect()
        except duckdb.Error as problem:
            raise self._damaged(problem) from None
        # queries started together often need the same one: the first computes it, the others
        # wait for it
        self._kept: Kept[pa.Table] = Kept(KEPT_RESULTS, KEPT_BYTES, size=lambda t: t.nbytes)
        self._workspaces_of: dict[str | None, tuple[str, ...]] = {}

    def _spill_folder(self, use: str) -> Path:
        """Where a connection of this dataset for `use` spills beyond its memory limit: made by
        DuckDB when it first needs it, removed when the connection closes."""
        name = f"customer-activity-{os.getpid()}-{id(self):x}-{use}"
        return Path(tempfile.gettempdir()) / name

    def _connect(self, config: dict[str, str] | None = None) -> duckdb.DuckDBPyConnection:
        # the pages' connection unless `config` says otherwise (a whole list's: its own limit)
        limits = {"memory_limit": MEMORY_LIMIT, "temp_directory": str(self._spill_folder("pages"))}
        con = duckdb.connect(":memory:", config={"threads": 2, **limits, **(config or {})})
        # GLOBAL: every query runs on a cursor of its own, which keeps no session setting
        con.execute("SET GLOBAL TimeZone = 'UTC'")
        con.execute("SET GLOBAL parquet_metadata_cache = true")
        con.execute("CREATE SCHEMA raw")
        for table in TABLE_NAMES:
            path = str(self.folder / f"{table}.parquet").replace("'", "''")
            # The usage tables stay on disk, read through views (row groups pruned by their
            # statistics); the small tables are copied into memory once, which spares every
            # query the reading of a dozen files' metadata.
            kind = "VIEW" if table in USAGE_TABLES else "TABLE"
            # Paths come from the dataset folder, never from a user; views take no parameters.
            con.execute(f"CREATE {kind} raw.{table} AS SELECT * FROM read_parquet('{path}')")  # noqa: S608
        # The roll-ups are held in memory, the sorted copies read from disk through views; every
        # one was written with the dataset (integrity refuses a dataset without one).
        derived = [("TABLE", name) for name in sql_files.derived_tables()]
        derived += [("VIEW", name) for name in sql_files.derived_views()]
        for kind, name in derived:
            path = str(self.folder / DERIVED / f"{name}.parquet").replace("'", "''")
            written = f"SELECT * FROM read_parquet('{path}')"  # noqa: S608
            con.execute(f"CREATE {kind} raw.{name} AS {written}")
        for macro in sql_files.derived_macros():
            con.execute(macro)
        folder = str(self.folder).replace("'", "''")
        con.execute(f"SET allowed_directories = ['{folder}/']")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        return con

    def run(
        self,
        name: str,
        viewer: str | None,
        filters: Filters | None = None,
        *,
        limit: int | None = None,
        **extra: object,
    ) -> pl.DataFrame:
        """Run the query `name` as `viewer` with `filters` (and `extra` parameters such as
        `entitlement`); every value is a bound parameter, never pasted into the text. With
        `limit`, only the query's first `limit` rows (a page-sized list); a result that may
        hold millions of rows is read with `batches`."""
        sql, params, kept = self._prepared(name, viewer, filters, limit, extra)
        return self._fetch(sql, params, kept)

    def _prepared(
        self,
        name: str,
        viewer: str | None,
        filters: Filters | None,
        limit: int | None,
        extra: dict[str, object],
    ) -> tuple[str, dict[str, object], dict[str, pa.Table]]:
        """The query `name` (cut to its first `limit` rows), its bound values and the kept
        results it reads."""
        query = sql_files.load(name)
        values = self._values(query, viewer, filters, extra)
        params = {key: values[key] for key in query.bound}
        sql = query.sql
        if "row_limit" in params:  # the query can skip what is beyond the limit
            params["row_limit"] = limit
        if limit is not None:
            if not _ENDS_ORDERED.search(sql):
                raise sql_files.QueryError(f"{name} has no final ORDER BY: its first rows are any")
            # Appended to the query's own ORDER BY, so that DuckDB keeps only the first rows
            # (a top-N) instead of sorting the whole list; the limit is bound.
            sql = f"{sql}\nLIMIT $row_limit"
            params["row_limit"] = int(limit)
        return sql, params, self._kept_tables(query, values)

    def count(
        self, name: str, viewer: str | None, filters: Filters | None = None, **extra: object
    ) -> int:
        """How many rows the query `name` gives, without fetching them."""
        query = sql_files.load(name)
        values = self._values(query, viewer, filters, extra)
        params = {key: values[key] for key in query.bound}
        counted = f"SELECT count(*) AS n FROM (\n{query.sql}\n) AS listed"  # noqa: S608
        return self._fetch(counted, params, self._kept_tables(query, values)).item()

    def _values(
        self, query: sql_files.Query, viewer: str | None, filters: Filters | None, extra: dict
    ) -> dict[str, object]:
        """Every parameter the query's result depends on, by name."""
        values = {"viewer": viewer, "as_of": self.as_of, **(filters or Filters()).parameters()}
        values.update(sql_files.OPTIONAL_DEFAULTS)
        if "access_changes" in query.parameters:  # the changes of the viewer's customer only
            values["access_changes"] = access_store.changes(
                self.home, self.customer_workspaces(viewer)
            )
        # tuples (hashable, for the result cache) bind as lists
        values.update({k: list(v) if isinstance(v, tuple) else v for k, v in extra.items()})
        missing = set(query.parameters) - set(values)
        if missing:
            raise TypeError(f"query {query.name} needs {', '.join(sorted(missing))}")
        return {key: values[key] for key in query.parameters}

    def _kept_tables(
        self, query: sql_files.Query, values: dict[str, object]
    ) -> dict[str, pa.Table]:
        """The results of the kept expressions `query` reads, for these values."""
        return {name: self._kept_result(name, values) for name in query.kept}

    def _kept_result(self, name: str, values: dict[str, object]) -> pa.Table:
        """The kept expression `name` for these values: computed by the layer the first time,
        then kept (keyed by every value it depends on) until the least recently used go."""
        query = sql_files.kept_query(name)
        key = (name, json.dumps([values[p] for p in query.parameters], default=str))
        return self._kept.get(key, functools.partial(self._compute_kept, query, values))

    def _compute_kept(self, query: sql_files.Query, values: dict[str, object]) -> pa.Table:
        params = {p: values[p] for p in query.bound}
        cursor = self._cursor(self._kept_tables(query, values))
        try:
            return cursor.execute(query.sql, params).to_arrow_table()
        finally:
            cursor.close()

    def forget_kept(self) -> None:
        """Drop every kept result (they are computed again when next read)."""
        self._kept.clear()

    def batches(
        self,
        name: str,
        viewer: str | None,
        filters: Filters | None = None,
        *,
        rows: int | None = None,
        limit: int | None = None,
        **extra: object,
    ) -> Iterator[pl.DataFrame]:
        """Every row of the query `name` (or its first `limit`), `rows` (BATCH_ROWS) at a time
        as DuckDB streams them (at least one frame, empty if there are none): for a whole
        list written out, which then never holds all of its rows at once."""
        sql, params, kept = self._prepared(name, viewer, filters, limit, extra)
        with _WHOLE_LISTS, self._reading():
            # On a connection of its own, which may hold BULK_MEMORY and spills beyond it to a
            # folder it makes when it first needs it and removes when it closes: sorting
            # millions of cases would otherwise hold them all in memory. A shared limit would
            # let a whole list starve the pages' queries of memory. A list that still runs out
            # of memory is refused in one line rather than let grow past the server's budget.
            spill = self._spill_folder("lists")
            con = self._connect({"memory_limit": BULK_MEMORY, "temp_directory": str(spill)})
            try:
                cursor = self._cursor(kept, con)
                try:
                    reader = cursor.sql(sql, params=params).to_arrow_reader(rows or BATCH_ROWS)
                    first = reader.read_next_batch()  # the sorting, if any, is done here
                    yield pl.from_arrow(pa.Table.from_batches([first]))
                    for batch in reader:
                        yield pl.from_arrow(pa.Table.from_batches([batch]))
                except StopIteration:
                    yield pl.from_arrow(reader.schema.empty_table())
                except duckdb.OutOfMemoryException:
                    raise WholeListTooLarge(
                        f"the list is too long to write out within {BULK_MEMORY} of memory; "
                        "narrow it with the filters (fewer workspaces, a contract, a shorter "
                        "date range) and download it in parts"
                    ) from None
            finally:
                con.close()

    def head(
        self, name: str, viewer: str | None, filters: Filters | None, limit: int, **extra: object
    ) -> pl.DataFrame:
        """The first `limit` rows of the query `name` for a workbook, made as a whole list is
        (see batches): the first 100,000 of millions cost as much memory as all of them."""
        return pl.concat(self.batches(name, viewer, filters, limit=limit, **extra))

    def _cursor(
        self, kept: dict[str, pa.Table] | None, con: duckdb.DuckDBPyConnection | None = None
    ) -> duckdb.DuckDBPyConnection:
        """A cursor of its own for one query (on the dataset's connection unless `con` is
        given), with the kept results it reads registered."""
        cursor = (con or self._con).cursor()
        for name, table in (kept or {}).items():
            cursor.register(sql_files.KEPT_PREFIX + name, table)
        return cursor

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn a file of the dataset removed or changed on disk while it is being served into
        DatasetDamaged, which the app reports in one line."""
        try:
            yield
        except (duckdb.IOException, duckdb.InvalidInputException) as problem:
            if str(self.folder) in str(problem) or "parquet" in str(problem).lower():
                raise self._damaged(problem) from None
            raise

    def _fetch(
        self,
        sql: str,
        params: dict[str, object],
        kept: dict[str, pa.Table] | None = None,
    ) -> pl.DataFrame:
        cursor = self._cursor(kept)
        try:
            with self._reading():
                # execute() binds and plans the query once where sql() plans it twice: about a
                # third of a small query's time, for a copy of a few rows
                result = pl.from_arrow(cursor.execute(sql, params).to_arrow_table())
        finally:
            cursor.close()
        assert isinstance(result, pl.DataFrame)
        return result

    def _damaged(self, problem: Exception) -> integrity.DatasetDamaged:
        detail = str(problem).splitlines()[0].replace(str(self.folder) + "/", "")
        return integrity.damaged(self.folder, f"a file cannot be read ({detail})")

    def customer_workspaces(self, viewer: str | None) -> tuple[str, ...]:
        """Every workspace of `viewer`'s customer (an account manager's: of every customer they
        may open; none for an unknown viewer): the changes to
        access made in them are the only ones that `viewer`'s results depend on. Read through
        the layer once per viewer; a dataset never changes."""
        found = self._workspaces_of.get(viewer)
        if found is None:
            cursor = self._con.cursor()
            try:
                # an account manager's: those of every customer they may open
                values = {"viewer": viewer, "customer": None, "as_of": self.as_of}
                rows = cursor.execute(_customer_workspaces_sql(), values).fetchall()
            finally:
                cursor.close()
            found = self._workspaces_of[viewer] = tuple(row[0] for row in rows)
        return found

    def access_version(self, viewer: str | None = None) -> int:
        """The latest change to access made in the app in the workspaces of `viewer`'s customer
        (without a viewer: in any workspace): part of the key of every cached result of that
        viewer, so that a change clears the results of its own customer's viewers only."""
        if viewer is None:
            return access_store.version(self.home)
        return access_store.version(self.home, self.customer_workspaces(viewer))

    def access_stale_since(self, viewer: str | None = None) -> datetime | None:
        """While the app's state cannot be read: when the changes to access this viewer's
        results apply (those last read) were read. None while it is read as usual."""
        workspaces = None if viewer is None else self.customer_workspaces(viewer)
        return access_store.stale_since(self.home, workspaces)

    def close(self) -> None:
        self._con.close()
