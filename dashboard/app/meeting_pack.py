"""The meeting pack: what to put in front of a customer at a renewal meeting, readable without
the app, as a workbook (xlsx) or a PDF.

Both hold the same things (dashboard.app.pack_content gathers them): a title block naming the
customer, the scope in words, the activity dates, the data's as-of day, when it was made and by
whom; the headline figures, Enterprise-wide consumption and the entitlements it sums, the
renewal risks, what was delivered (totals, then item by item) and the charts. The workbook is
written by dashboard.app.pack_xlsx, the PDF by dashboard.app.pack_pdf (imported, with fpdf2 and
vl_convert, only when a pack is made: every server would hold them otherwise).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import polars as pl

from dashboard import export
from dashboard.app import charts, pack_content, pack_xlsx
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters

FORMATS = ("xlsx", "pdf")
PDF_ROWS = 20  # the delivered items the PDF lists: a page's worth, one line each
ALL_ITEMS = "Proof of delivery's CSV download lists all of them, a contract at a time"
# what a file system refuses in a name (Windows' set, which holds the others'), and controls
_REFUSED = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def chart_png(chart) -> bytes:
    import vl_convert  # only when a pack is made: it is large, and every server would hold it

    return vl_convert.vegalite_to_png(chart.to_json(), scale=2)


def build(
    dataset: Dataset, viewer: str, viewer_name: str, filters: Filters, format: str = "xlsx"
) -> bytes:
    """The pack for what `filters` pick, as `viewer` may see it, as an xlsx workbook or (with
    `format="pdf"`) a PDF."""
    if format not in FORMATS:
        raise ValueError(f"a meeting pack is xlsx or pdf, not {format!r}")
    if format == "pdf":
        return build_pdf(dataset, viewer, viewer_name, filters)
    rows = export.WORKBOOK_ROWS
    content = pack_content.gather(dataset, viewer, viewer_name, filters, rows, ALL_ITEMS)
    return pack_xlsx.write(content, _timeline(content))


def build_pdf(dataset: Dataset, viewer: str, viewer_name: str, filters: Filters) -> bytes:
    """The pack as a PDF: the workbook's content, its Delivered list cut to a page's worth."""
    from dashboard.app import pack_pdf

    elsewhere = f"the workbook (xlsx) pack lists up to {export.WORKBOOK_ROWS:,}; {ALL_ITEMS}"
    content = pack_content.gather(dataset, viewer, viewer_name, filters, PDF_ROWS, elsewhere)
    pictures = [
        (f"Consumption against purchased ({unit}), whole term", chart_png(_bars(content, unit)))
        for unit in charts.units(content.consumption_rows)
    ]
    timeline = _timeline(content)
    if timeline:
        pictures.append(("When packages end", timeline))
    return pack_pdf.write(content, pictures)


def _bars(content: pack_content.Content, unit: str):
    """Enterprise-wide's consumption bars of `unit`, as a picture's chart."""
    recipe = charts.consumption_bars(content.consumption_rows, unit=unit)
    return recipe.chart().properties(width=640)


def _timeline(content: pack_content.Content) -> bytes | None:
    """The package timeline as a PNG, or None with no package in view."""
    if content.packages.is_empty():
        return None
    chart = charts.timeline(content.packages, content.as_of).chart().properties(width=640)
    return chart_png(chart)


def file_name(dataset: Dataset, viewer: str, filters: Filters, extension: str) -> str:
    """`Acme Corporation - CN-100 - meeting pack - 2026-06-30.xlsx`: the viewer's customer, the
    contract's number when one is picked, and the data's as-of day, with nothing a file system
    refuses."""
    customer = dataset.run("viewer", viewer, filters).item(0, "customer_name")
    number = None
    if filters.contract:
        contracts = dataset.run("contracts", viewer, replace(filters, contract=None, package=None))
        number = contract_number(contracts, filters.contract)
    return named_file(customer, number, dataset.as_of, extension)


def contract_number(contracts: pl.DataFrame, contract_id: str) -> str | None:
    """The number of `contract_id` among `contracts` (None when it is not there)."""
    numbers = contracts.filter(pl.col("contract_id") == contract_id)["contract_number"]
    return numbers.item(0) if numbers.len() else None


def named_file(customer: str, number: str | None, as_of: date, extension: str) -> str:
    """file_name's name from its parts, for a caller that has them already (a page)."""
    parts = [_safe(part[:80]) for part in (customer, number) if part]
    stem = " - ".join([*(p for p in parts if p), "meeting pack", as_of.isoformat()])
    return f"{stem}.{extension}"


def _safe(text: str) -> str:
    """`text` with what a file system refuses made a space, spaces run together, and no dot or
    space at either end (Windows drops them)."""
    return " ".join(_REFUSED.sub(" ", text).split()).strip(" .")
