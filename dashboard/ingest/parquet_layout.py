"""The production layout of a dataset: one Parquet file per table, rows sorted by the table's
sort key, row groups of ROW_GROUP_ROWS with statistics, zstd-compressed; the roll-ups of the
usage tables in derived/; and manifest.json.

Both the demo-data generator and the import write through here, so every dataset has the same
layout, and the same rows always give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.ingest.data_home import DERIVED, MANIFEST
from dashboard.ingest.schema import BOOL, BY_NAME, DATE, NUMBER, TABLES, TIMESTAMP, Table
from dashboard.query import sql_files

ROW_GROUP_ROWS = 122_880
# the sorted copies that lists read (derived views): small row groups, so that a list of the
# newest rows skips all but a few
LIST_ROW_GROUP_ROWS = 16_384  # DuckDB writes row groups in multiples of 2,048 rows
DERIVED_MEMORY = "512MB"  # what computing the derived files may hold in memory

_ARROW_TYPES = {
    "string": pa.string(),
    DATE: pa.date32(),
    TIMESTAMP: pa.timestamp("us", tz="UTC"),
    BOOL: pa.bool_(),
    NUMBER: pa.float64(),
}


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema(
        [pa.field(c.name, _ARROW_TYPES[c.type], nullable=c.nullable) for c in table.columns]
    )


class TableWriter:
    """Appends already-sorted batches to `<table>.parquet` in full row groups.

    Buffering to whole row groups keeps the file's layout independent of how the caller
    chunked its batches, which keeps output byte-identical for the same rows.
    """

    def __init__(self, folder: Path, table_name: str):
        self.table = BY_NAME[table_name]
        self.schema = arrow_schema(self.table)
        self.path = folder / f"{table_name}.parquet"
        self._writer = pq.ParquetWriter(
            self.path,
            self.schema,
            compression="zstd",
            write_statistics=True,
            use_dictionary=True,
        )
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        self.rows = 0

    def write(self, frame: pl.DataFrame | pa.Table) -> None:
        arrow = frame.to_arrow() if isinstance(frame, pl.DataFrame) else frame
        arrow = arrow.select(list(self.table.column_names)).cast(self.schema)
        for batch in arrow.to_batches():
            if batch.num_rows:
                self._pending.append(batch)
                self._pending_rows += batch.num_rows
        while self._pending_rows >= ROW_GROUP_ROWS:
            self._flush(ROW_GROUP_ROWS)

    def _flush(self, rows: int) -> None:
        buffered = pa.Table.from_batches(self._pending, schema=self.schema)
        head, rest = buffered.slice(0, rows), buffered.slice(rows)
        # one chunk per column: where the writer falls back from a dictionary that grew too
        # large is checked batch by batch, so the caller's batches would show in the bytes
        self._writer.write_table(head.combine_chunks(), row_group_size=ROW_GROUP_ROWS)
        self.rows += head.num_rows
        self._pending = rest.to_batches()
        self._pending_rows = rest.num_rows

    def close(self) -> int:
        if self._pending_rows:
            self._flush(self._pending_rows)
        self._writer.close()
        return self.rows


def write_table(folder: Path, table_name: str, frame: pl.DataFrame) -> int:
    """Write `frame` in the production layout, sorted by the table's sort key, a row group at
    a time: the rows of each are gathered by their place in that order, so that a sorted copy
    is one row group's, not the whole table's (sorting a large table whole raises the import's
    peak memory). Every sort key ends with the table's id, so the order, and the bytes, are
    the same for the same rows."""
    table = BY_NAME[table_name]
    frame = frame.select(table.column_names)
    order = frame.select(pl.arg_sort_by(list(table.sort_by), nulls_last=True)).to_series()
    writer = TableWriter(folder, table_name)
    for start in range(0, frame.height, ROW_GROUP_ROWS):
        writer.write(frame[order.slice(start, ROW_GROUP_ROWS)])
    return writer.close()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_derived(folder: Path) -> None:
    """Compute the roll-ups of `queries/_derived.sql` from the folder's tables and write each to
    derived/<name>.parquet, in a fixed order (one thread, so that sums are added in the same
    order and the same rows always give the same bytes)."""
    out = folder / DERIVED
    out.mkdir(exist_ok=True)
    spill = folder / ".derived-spill"
    con = duckdb.connect(":memory:", config={"threads": 1})
    try:
        con.execute("SET enable_progress_bar = false")  # the caller shows its own
        # sorting the sorted copies of millions of rows spills to disk past this, instead of
        # holding them all: a lower peak of memory, for a slower import
        con.execute(f"SET memory_limit = '{DERIVED_MEMORY}'")
        quoted = str(spill).replace("'", "''")
        con.execute(f"SET temp_directory = '{quoted}'")
        con.execute("SET GLOBAL TimeZone = 'UTC'")
        con.execute("CREATE SCHEMA raw")
        for table in TABLES:
            path = str(folder / f"{table.name}.parquet").replace("'", "''")
            con.execute(f"CREATE VIEW raw.{table.name} AS SELECT * FROM read_parquet('{path}')")  # noqa: S608
        for name, select in sql_files.derived_tables().items():
            rows = con.sql(f"SELECT * FROM ({select}) AS derived ORDER BY ALL").to_arrow_table()  # noqa: S608
            pq.write_table(rows, out / f"{name}.parquet", compression="zstd")
            # a roll-up may read those before it, as when the runner opens the dataset
            con.register("written", rows)
            con.execute(f"CREATE TABLE raw.{name} AS SELECT * FROM written")  # noqa: S608
            con.unregister("written")
        for name, select in sql_files.derived_views().items():
            # written by DuckDB straight from the sort (no copy of millions of rows in Python)
            path = str(out / f"{name}.parquet").replace("'", "''")
            con.execute(
                f"COPY ({select}) TO '{path}' (FORMAT parquet, COMPRESSION zstd, "  # noqa: S608
                f"ROW_GROUP_SIZE {LIST_ROW_GROUP_ROWS})"
            )
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def _files(folder: Path, names: list[str]) -> dict[str, dict]:
    return {name: _file(folder / f"{name}.parquet") for name in names}


def _file(path: Path) -> dict:
    """A file's entry in the manifest: its rows and its bytes' digest."""
    return {"rows": pq.ParquetFile(path).metadata.num_rows, "sha256": sha256_of(path)}


def write_manifest(folder: Path, as_of: date) -> dict:
    """Write the roll-ups, then manifest.json with every table's row count and checksum, read
    back from the files."""
    write_derived(folder)
    manifest = {
        "as_of": as_of.isoformat(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": _files(folder, [table.name for table in TABLES]),
        "derived": _files(folder / DERIVED, sql_files.derived_names()),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
