"""A page's shape: how many charts it draws and the rows and columns of each of its tables,
named as the floor's shaped page reads it from its link (`floor_pages.py`)."""

from __future__ import annotations


def key(shown: dict) -> str:
    """The shape of a page as shown: "2;2000x15+48x5" (charts; each table's rows x columns), or
    "2,1" (charts, tables) where the tables' sizes were not read."""
    sizes = shown.get("table_sizes")
    if sizes is None:
        return f"{shown['charts']},{shown['tables']}"
    return f"{shown['charts']};" + "+".join(f"{rows}x{columns}" for rows, columns in sizes)


def words(shape: str) -> str:
    """A shape in words: "2 charts and tables of 2,000 and 48 rows"."""
    if ";" not in shape:
        charts, tables = (int(n) for n in shape.split(","))
        return f"{charts} chart{'s' * (charts != 1)} and {tables} table{'s' * (tables != 1)}"
    charts, _, sizes = shape.partition(";")
    rows = [f"{int(size.split('x')[0]):,}" for size in sizes.split("+") if size]
    drawn = f"{charts} chart{'s' * (charts != '1')}"
    if not rows:
        return f"{drawn} and no table"
    listed = rows[0] if len(rows) == 1 else ", ".join(rows[:-1]) + f" and {rows[-1]}"
    plural = "" if rows == ["1"] else "s"
    return f"{drawn} and {'a table' if len(rows) == 1 else 'tables'} of {listed} row{plural}"
