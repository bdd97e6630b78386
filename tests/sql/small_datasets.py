"""Small datasets made in a test: rows per table written as the import reads them, imported."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from dashboard.ingest.importer import import_dataset
from dashboard.ingest.schema import TABLES


def as_csv(value) -> str:
    """A value as a CSV cell of the data contract."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def imported(rows: dict[str, list[dict]], base: Path, as_of: date) -> Path:
    """`rows` of each table written as CSV under `base` and imported into a data home there;
    returns the home."""
    src = base / "src"
    src.mkdir()
    write_tables(rows, src)
    import_dataset(src, base / "home", as_of)
    return base / "home"


def write_tables(rows: dict[str, list[dict]], src: Path) -> None:
    """`rows` of each table written as CSV files in the folder `src`, as the import reads them."""
    columns = {t.name: t.column_names for t in TABLES}
    for name, table_rows in rows.items():
        with (src / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            out = csv.DictWriter(handle, columns[name])
            out.writeheader()
            for row in table_rows:
                out.writerow({k: as_csv(v) for k, v in row.items()})


def one_admin() -> dict[str, list[dict]]:
    """The rows every small dataset starts from: the required tables empty, but one customer
    (C1, Acme) with one workspace (W1, Production) and its admin, u-admin."""
    rows: dict[str, list[dict]] = {t.name: [] for t in TABLES if not t.optional}
    rows["customers"] = [{"customer_id": "C1", "name": "Acme"}]
    rows["workspaces"] = [{"workspace_id": "W1", "customer_id": "C1", "name": "Production"}]
    rows["users"] = [
        {
            "user_id": "u-admin",
            "customer_id": "C1",
            "display_name": "Ann Admin",
            "email": "ann@acme.example",
            "is_customer_admin": True,
        }
    ]
    return rows
