"""`python -m dashboard import SRC`: read CSV or Parquet tables, validate them against the data
contract, and make them the live dataset, or change nothing and say exactly what is wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from dashboard import layout, location
from dashboard.contract import TABLES
from dashboard.progress import Bar
from dashboard.validation import CLASSES, ROW, Problem, Source

LIMIT = 20


class ImportRejected(Exception):
    """The source breaks the contract; str() is the whole report."""


def import_dataset(
    src: Path, home: Path, as_of: date, *, limit: int = LIMIT, progress: bool = False
) -> dict:
    """Validate every table in `src`, then build the dataset aside and swap it in atomically."""
    bar = Bar("import", 2 * len(TABLES) + len(CLASSES) + 1, progress)
    try:
        sources = _read(Path(src), home, limit, bar)
        for title, check in CLASSES:
            bar.show(f"checking {title}")
            problems = check(sources)
            if problems:
                raise ImportRejected(report(problems, title, home, limit))
            bar.advance()
        with location.building(home) as staging:
            while sources:  # each table let go once written: less held for the next
                name, source = sources.popitem()
                bar.show(f"writing {name} ({source.raw.height:,} rows)")
                layout.write_table(staging, name, source.typed_frame())
                bar.advance()
            bar.show("writing the manifest")
            manifest = layout.write_manifest(staging, as_of)
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


def _read(src: Path, home: Path, limit: int, bar: Bar) -> dict[str, Source]:
    """Read every table's file as text (CSV) or as stored (Parquet); check files and columns."""
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    for table in TABLES:
        csv, parquet = src / f"{table.name}.csv", src / f"{table.name}.parquet"
        if csv.is_file() and parquet.is_file():
            problems.append(
                Problem(csv.name, None, None, None, f"and {parquet.name} both exist: keep one")
            )
            continue
        path = csv if csv.is_file() else parquet if parquet.is_file() else None
        if path is None:
            problems.append(
                Problem(
                    f"{table.name}.csv", None, None, None, f"is missing (or {table.name}.parquet)"
                )
            )
            continue
        bar.show(f"reading {path.name}")
        try:
            if path.suffix == ".csv":
                frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
            else:
                frame = pl.read_parquet(path)
        except Exception as error:  # any unreadable file is reported, never raised
            reason = str(error).strip().splitlines()[0][:160] if str(error).strip() else "unknown"
            problems.append(Problem(path.name, None, None, None, f"cannot be read: {reason}"))
            continue
        sources[table.name] = Source(
            table, path.name, frame.with_row_index(ROW, offset=1).cast({ROW: pl.Int64})
        )
        bar.advance()
    if problems:
        raise ImportRejected(report(problems, "missing or unreadable files", home, limit))
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
