"""The benchmark's datasets: built by the seed generator in the production layout (what
`python -m dashboard seed` and `import` write), and an unsorted control holding the same rows.

The control is laid out the way a typical export is: usage rows in time order (as a ticketing
system hands them out), pyarrow's default row groups of 1,048,576 rows and default compression.
Datasets are kept under benchmarks/out/data and reused while the generator is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from benchmarks.measure import run_child
from dashboard.ingest import data_home, parquet_layout

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
DATA = OUT / "data"

# The four hand-placed customers and the 40 of am-book, the account manager of the fourth
# viewpoint (benchmarks/scopes.py); the four keep half of the usage rows (seed/customers.py).
CUSTOMERS = 44
# Usage rows (cases and deliveries together) per unit of --scale: about 9,540 with 44 customers.
SIZES = {"100k": 10, "1M": 105, "10M": 1050}
UNSORTED_ORDER = {"cases": "created_at", "deliveries": "date"}


def _generator_digest() -> str:
    """Datasets are rebuilt when the generator, its customers, the layout or the roll-ups
    change."""
    digest = hashlib.sha256(f"customers={CUSTOMERS}".encode())
    sources = [
        ROOT / "dashboard" / "ingest" / "parquet_layout.py",
        ROOT / "dashboard" / "ingest" / "schema.py",  # the tables' sort keys
        ROOT / "queries" / "_derived.sql",
    ]
    for path in sorted((ROOT / "seed").glob("*.py")) + sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def production(size: str) -> tuple[Path, dict]:
    """The production-layout dataset of this size: (data home, how building it went)."""
    home = DATA / f"{size}-production"
    stamp = home / "bench.json"
    if stamp.is_file() and json.loads(stamp.read_text())["digest"] == _generator_digest():
        return home, json.loads(stamp.read_text())
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    command = [
        sys.executable,
        "-m",
        "dashboard",
        "seed",
        "--out",
        str(home),
        "--scale",
        str(SIZES[size]),
        "--customers",
        str(CUSTOMERS),
        "--progress",
    ]
    seconds, rss, _ = run_child(command)
    folder = data_home.current_dataset(home)
    manifest = parquet_layout.read_manifest(folder)
    info = {
        "digest": _generator_digest(),
        "customers": CUSTOMERS,
        "seed_seconds": round(seconds, 2),
        "seed_peak_rss_mb": rss,
        "usage_rows": manifest["tables"]["cases"]["rows"]
        + manifest["tables"]["deliveries"]["rows"],
        "bytes": sum(p.stat().st_size for p in folder.glob("*.parquet")),
    }
    stamp.write_text(json.dumps(info, indent=2))
    return home, info


def unsorted(size: str) -> Path:
    """The same rows as production(size), in the unsorted control layout: a dataset folder."""
    home, info = production(size)
    folder = DATA / f"{size}-unsorted"
    stamp = folder / "bench.json"
    if stamp.is_file() and json.loads(stamp.read_text())["digest"] == info["digest"]:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = data_home.current_dataset(home)
    for path in source.glob("*.parquet"):
        table = pq.read_table(path)
        order = UNSORTED_ORDER.get(path.stem)
        if order:
            table = table.sort_by([(order, "ascending")])
        pq.write_table(table, folder / path.name)  # pyarrow's defaults
        del table
    parquet_layout.write_manifest(
        folder, date.fromisoformat(parquet_layout.read_manifest(source)["as_of"])
    )
    stamp.write_text(json.dumps({"digest": info["digest"]}))
    return folder


def row_groups(folder: Path, table: str) -> tuple[int, int]:
    """(row groups, rows in the largest) of a table's file."""
    meta = pq.ParquetFile(folder / f"{table}.parquet").metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    return len(sizes), max(sizes, default=0)
