"""`python -m dashboard import SRC`: read CSV or Parquet tables, validate them against the data
contract, and make them the live dataset, or change nothing and say exactly what is wrong."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import polars as pl
import pyarrow.parquet as pq

from dashboard.ingest import data_home, parquet_layout
from dashboard.ingest.progress import Bar
from dashboard.ingest.schema import BY_NAME, TABLES
from dashboard.ingest.validation import CLASSES, ROW, Problem, Source

LIMIT = 20

# Per table, generous: the benchmark's ten million usage rows are about five million per table
# and well under a gigabyte of CSV.
MAX_ROWS = 50_000_000
MAX_BYTES = 4 * 1024**3
ROWS_VARIABLE = "CUSTOMER_ACTIVITY_MAX_ROWS"
BYTES_VARIABLE = "CUSTOMER_ACTIVITY_MAX_BYTES"
TABLE_SUFFIXES = (".csv", ".parquet")


class ImportRejected(Exception):
    """The source breaks the contract; str() is the whole report."""


@dataclass(frozen=True)
class Limits:
    """The most rows and bytes one table's file may hold."""

    rows: int = MAX_ROWS
    bytes: int = MAX_BYTES


KIB, MIB, GIB, TIB = 1024, 1024**2, 1024**3, 1024**4
KB, MB, GB, TB = 1000, 1000**2, 1000**3, 1000**4
# the suffixes a size may have (case aside): bare and binary ones count in 1024s, SI ones in 1000s
_UNITS = {"": 1, "b": 1}
_UNITS |= {"k": KIB, "kib": KIB, "m": MIB, "mib": MIB, "g": GIB, "gib": GIB, "t": TIB, "tib": TIB}
_UNITS |= {"kb": KB, "mb": MB, "gb": GB, "tb": TB}


def parse_rows(text: str) -> int:
    """A positive whole number of rows (`50000000` or `50_000_000`)."""
    try:
        rows = int(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number of rows") from None
    if rows < 1:
        raise ValueError(f"{text!r} is not a positive number of rows")
    return rows


def parse_bytes(text: str) -> int:
    """A positive size in bytes, with an optional unit: `4294967296`, `4GiB` (or `4G`), `500MB`."""
    found = re.fullmatch(r"\s*(\d[\d_]*)\s*([a-z]*)\s*", text, re.IGNORECASE)
    unit = found and _UNITS.get(found.group(2).lower())
    if not unit or int(found.group(1)) < 1:
        raise ValueError(f"{text!r} is not a positive size in bytes (such as 4GiB or 500MB)")
    return int(found.group(1)) * unit


def limits_from(
    rows: int | None = None, size: int | None = None, environ: Mapping[str, str] = os.environ
) -> Limits:
    """The limits given, else those in the environment, else the defaults."""
    if rows is None and environ.get(ROWS_VARIABLE):
        try:
            rows = parse_rows(environ[ROWS_VARIABLE])
        except ValueError as problem:
            raise ValueError(f"{ROWS_VARIABLE}: {problem}") from None
    if size is None and environ.get(BYTES_VARIABLE):
        try:
            size = parse_bytes(environ[BYTES_VARIABLE])
        except ValueError as problem:
            raise ValueError(f"{BYTES_VARIABLE}: {problem}") from None
    return Limits(MAX_ROWS if rows is None else rows, MAX_BYTES if size is None else size)


def import_dataset(
    src: Path,
    home: Path,
    as_of: date,
    *,
    limit: int = LIMIT,
    progress: bool = False,
    limits: Limits | None = None,
) -> dict:
    """Validate every table in `src`, then build the dataset aside and swap it in atomically."""
    bar = Bar("import", 2 * len(TABLES) + len(CLASSES) + 1, progress)
    try:
        sources = _read(Path(src), home, limit, limits or Limits(), bar)
        for title, check in CLASSES:
            bar.show(f"checking {title}")
            problems = check(sources)
            if problems:
                raise ImportRejected(report(problems, title, home, limit))
            bar.advance()
        with data_home.building(home) as staging:
            while sources:  # each table let go once written: less held for the next
                name, source = sources.popitem()
                bar.show(f"writing {name} ({source.raw.height:,} rows)")
                parquet_layout.write_table(staging, name, source.typed_frame())
                bar.advance()
            bar.show("writing the manifest")
            manifest = parquet_layout.write_manifest(staging, as_of)
            bar.advance(detail="done")
            return manifest
    finally:
        bar.finish()


def report(problems: list[Problem], title: str, home: Path, limit: int) -> str:
    lines = [
        f"Import refused: {len(problems)} {title} (nothing was changed: the dataset in {home} is "
        "as it was). Rows are counted from 1 after the header.",
        *(p.line() for p in problems[:limit]),
    ]
    if len(problems) > limit:
        lines.append(f"  ... and {len(problems) - limit} more")
    return "\n".join(lines)


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file"


def _entries(src: Path) -> tuple[dict[str, os.stat_result], list[Problem]]:
    """The regular files of `src` by name; and a problem for each entry named like a table
    (`*.csv`, `*.parquet`) that is anything else. Nothing is followed or opened: a symbolic link
    could lead out of the folder, and a FIFO would wait for a writer for ever."""
    files, problems = {}, []
    with os.scandir(src) as entries:
        for entry in entries:
            found = entry.stat(follow_symlinks=False)
            kind = _kind(found.st_mode)
            if kind is None:
                files[entry.name] = found
            elif entry.name.lower().endswith(TABLE_SUFFIXES):
                message = f"is {kind}, not a regular file: only regular files are imported"
                problems.append(Problem(entry.name, None, None, None, message))
    return files, sorted(problems, key=lambda p: p.file)


class _Changed(Exception):
    """The file at a path is no longer the one examined before it was opened."""


def _open(path: Path, seen: os.stat_result) -> BinaryIO:
    """`path`, opened only if it is still the regular file `seen` describes: never through a
    symbolic link, and never waiting on a FIFO put in its place since."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:  # a symbolic link now, which O_NOFOLLOW does not follow
            raise _Changed from None
        raise
    try:
        now = os.fstat(descriptor)
        # an inode number freed by the file's removal may be given to its replacement at once
        same = ("st_dev", "st_ino", "st_size", "st_mtime_ns")
        if not stat.S_ISREG(now.st_mode) or any(
            getattr(now, field) != getattr(seen, field) for field in same
        ):
            raise _Changed
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _read_file(path: Path, seen: os.stat_result, limits: Limits) -> pl.DataFrame | None:
    """The file's table, or None when it holds more rows than `limits` allow: a Parquet file's
    rows are counted from its metadata before its data is read, a CSV file's as it is read
    (never more than one row past the limit)."""
    with _open(path, seen) as handle:
        if path.suffix == ".csv":
            frame = pl.read_csv(handle, infer_schema=False, encoding="utf8", n_rows=limits.rows + 1)
            return None if frame.height > limits.rows else frame
        if pq.ParquetFile(handle).metadata.num_rows > limits.rows:
            return None
        handle.seek(0)
        return pl.read_parquet(handle)


def _over_rows(name: str, limits: Limits) -> Problem:
    message = (
        f"has more than {limits.rows:,} rows, the limit per table: raise it with --max-rows N "
        f"(or the environment variable {ROWS_VARIABLE})"
    )
    return Problem(name, None, None, None, message)


def _read(src: Path, home: Path, limit: int, limits: Limits, bar: Bar) -> dict[str, Source]:
    """Read every table's file as text (CSV) or as stored (Parquet); check files and columns."""
    files, problems = _entries(src)
    odd = {p.file for p in problems}  # reported already: neither missing nor read
    chosen: list[tuple[str, Path, os.stat_result]] = []
    for table in TABLES:
        csv, parquet = f"{table.name}.csv", f"{table.name}.parquet"
        if csv in odd or parquet in odd:
            continue
        if csv in files and parquet in files:
            problems.append(Problem(csv, None, None, None, f"and {parquet} both exist: keep one"))
            continue
        name = csv if csv in files else parquet if parquet in files else None
        if name is None and table.optional:
            continue  # imported empty
        if name is None:
            problems.append(Problem(csv, None, None, None, f"is missing (or {parquet})"))
            continue
        chosen.append((table.name, src / name, files[name]))
    if problems:
        raise ImportRejected(report(problems, "missing or unreadable files", home, limit))
    # sizes as found before anything is opened
    raise_it = f"raise it with --max-bytes SIZE (or the environment variable {BYTES_VARIABLE})"
    problems = [
        Problem(path.name, None, None, None, f"{_over(seen.st_size, limits.bytes)}: {raise_it}")
        for _, path, seen in chosen
        if seen.st_size > limits.bytes
    ]
    if problems:
        raise ImportRejected(report(problems, "tables over the import's limits", home, limit))
    over: list[Problem] = []
    sources: dict[str, Source] = {}
    for name, path, seen in chosen:
        bar.show(f"reading {path.name}")
        try:
            frame = _read_file(path, seen, limits)
        except _Changed:
            problems.append(
                Problem(
                    path.name, None, None, None, "was replaced while the import read the folder"
                )
            )
            continue
        except Exception as error:  # any unreadable file is reported, never raised
            reason = str(error).strip().splitlines()[0][:160] if str(error).strip() else "unknown"
            problems.append(Problem(path.name, None, None, None, f"cannot be read: {reason}"))
            continue
        if frame is None:
            over.append(_over_rows(path.name, limits))
            continue
        sources[name] = Source(
            BY_NAME[name], path.name, frame.with_row_index(ROW, offset=1).cast({ROW: pl.Int64})
        )
        bar.advance()
    if problems:
        raise ImportRejected(report(problems, "missing or unreadable files", home, limit))
    for table in TABLES:
        if table.optional and table.name not in sources:
            empty = pl.DataFrame({ROW: []}, schema={ROW: pl.Int64}).with_columns(
                pl.lit(None, pl.String).alias(column) for column in table.column_names
            )
            sources[table.name] = Source(table, f"{table.name}.csv", empty)
            bar.advance()
    if over:
        raise ImportRejected(report(over, "tables over the import's limits", home, limit))
    for source in sources.values():
        found, wanted = source.raw.columns[1:], source.table.column_names
        problems += [
            Problem(source.file, None, c, None, "is missing") for c in wanted if c not in found
        ]
        problems += [
            Problem(
                source.file,
                None,
                c,
                None,
                f"is not a column of {source.table.name} (columns: {', '.join(wanted)})",
            )
            for c in found
            if c not in wanted
        ]
    if problems:
        raise ImportRejected(report(problems, "missing or unknown columns", home, limit))
    return sources


def _over(size: int, limit: int) -> str:
    return f"is {size:,} bytes, over the limit of {limit:,} bytes per table"
