"""Zero-padded ids, so that sorting ids as text keeps the order they were made in."""

from __future__ import annotations

import numpy as np
import polars as pl

# Usage ids are wide enough for the largest scale (about ten million rows).
USAGE_WIDTH = 9


def ident(prefix: str, number: int, width: int) -> str:
    return f"{prefix}{number:0{width}d}"


def idents(prefix: str, first: int, count: int, width: int = USAGE_WIDTH) -> pl.Series:
    """`count` consecutive ids starting at number `first`, built column-wise for big batches."""
    numbers = pl.Series(np.arange(first, first + count, dtype=np.int64))
    return (prefix + numbers.cast(pl.String).str.zfill(width)).rename("id")
