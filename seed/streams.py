"""Machinery for the big usage tables: time slices, lookups, buffered sorted writing, progress.

Rows are produced one (sort group, 30-day slice) at a time, already in the table's sort order, and
written in large batches, so memory stays flat however large the scale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from dashboard.ingest.parquet_layout import TableWriter
from dashboard.ingest.progress import Bar
from seed.ids import idents

DAY = 86_400  # seconds
SLICE_DAYS = 30
FLUSH_ROWS = 200_000
_EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    """Days since 1970-01-01, which is also how Parquet stores a date."""
    return (day - _EPOCH).days


@dataclass(frozen=True)
class Window:
    first: int  # day number, inclusive
    last: int  # day number, inclusive

    @property
    def days(self) -> int:
        return max(self.last - self.first + 1, 0)


def slice_starts(windows: list[Window]) -> np.ndarray:
    """Day numbers where the 30-day slices covering every window begin."""
    first = min(w.first for w in windows)
    last = max(w.last for w in windows)
    return np.arange(first, last + 1, SLICE_DAYS, dtype=np.int64)


def spread(rng: np.random.Generator, count: int, window: Window, starts: np.ndarray) -> np.ndarray:
    """Split `count` rows over the slices, in proportion to how much of each the window covers."""
    ends = starts + SLICE_DAYS
    overlap = np.clip(np.minimum(ends, window.last + 1) - np.maximum(starts, window.first), 0, None)
    if count == 0 or overlap.sum() == 0:
        return np.zeros(len(starts), dtype=np.int64)
    return rng.multinomial(count, overlap / overlap.sum())


def clip(window: Window, start: int) -> tuple[int, int]:
    """The days [low, high) of the slice starting at `start` that lie in the window."""
    return max(window.first, start), min(window.last + 1, start + SLICE_DAYS)


class Lookup:
    """Strings by integer code; code -1 gives null."""

    def __init__(self, values: list[str] | tuple[str, ...]):
        self.values = list(values)
        self._series = pl.Series(self.values, dtype=pl.String)
        # a search of the list per look-up was a sixth of the generator's time with 44 customers
        self._codes: dict[str, int] = {}
        for code, value in enumerate(self.values):
            self._codes.setdefault(value, code)

    def code(self, value: str | None) -> int:
        return -1 if value is None else self._codes[value]

    def __call__(self, codes: np.ndarray) -> pl.Series:
        codes = codes.astype(np.int64)
        values = self._series.gather(pl.Series(np.where(codes >= 0, codes, 0)))
        return _null_where(values, codes < 0)


def timestamps(seconds: np.ndarray, missing: np.ndarray | None = None) -> pl.Series:
    series = pl.Series(seconds.astype(np.int64) * 1_000_000).cast(pl.Datetime("us"))
    series = series.dt.replace_time_zone("UTC")
    return _null_where(series, missing)


def dates(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def numbers(values: np.ndarray, missing: np.ndarray | None = None) -> pl.Series:
    return _null_where(pl.Series(values.astype(np.float64)), missing)


def _null_where(series: pl.Series, missing: np.ndarray | None) -> pl.Series:
    if missing is None or not missing.any():
        return series
    nulls = pl.Series(dtype=series.dtype).extend_constant(None, len(series))
    return series.zip_with(pl.Series(~missing), nulls)


class Progress(Bar):
    """A percentage of usage rows written, on stderr."""

    def __init__(self, total: int, enabled: bool):
        super().__init__("usage rows", total, enabled)

    def advance(self, rows: int, detail: str = "") -> None:
        super().advance(rows, detail or f"({self.done + rows:,} of about {self.total:,})")


Chunk = dict[str, np.ndarray]


class Sink:
    """Numbers rows as they arrive (ids follow the sort order) and writes them in big batches."""

    def __init__(
        self,
        folder: Path,
        table: str,
        prefix: str,
        build: Callable[[Chunk, pl.Series], pl.DataFrame],
        progress: Progress,
    ):
        self.writer = TableWriter(folder, table)
        self.prefix = prefix
        self.build = build
        self.progress = progress
        self.count = 0  # rows numbered so far
        self._buffer: list[Chunk] = []
        self._buffered = 0
        self._first = 1  # number of the first buffered row

    def add(self, chunk: Chunk) -> int:
        """Buffer a sorted chunk; returns the number of its first row."""
        rows = len(next(iter(chunk.values())))
        first = self.count + 1
        if rows:
            if self._buffered + rows > FLUSH_ROWS:
                self._flush()
            self._buffer.append(chunk)
            self._buffered += rows
            self.count += rows
        return first

    def _flush(self) -> None:
        if not self._buffered:
            return
        merged = {k: np.concatenate([c[k] for c in self._buffer]) for k in self._buffer[0]}
        self.writer.write(self.build(merged, idents(self.prefix, self._first, self._buffered)))
        self.progress.advance(self._buffered)
        self._first += self._buffered
        self._buffer, self._buffered = [], 0

    def close(self) -> int:
        self._flush()
        return self.writer.close()
