"""The meeting pack: one xlsx workbook to take into a renewal meeting, readable without the app.

Sheets: the scope and figures on the first page, renewal risks, proof of delivery, and the main
charts as images (drawn offline, with no browser).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import polars as pl
import xlsxwriter

from dashboard import charts, date_ranges, export
from dashboard.filters import Filters
from dashboard.runner import Dataset


def chart_png(chart) -> bytes:
    import vl_convert  # only when a pack is made: it is large, and every server would hold it

    return vl_convert.vegalite_to_png(chart.to_json(), scale=2)


def build(dataset: Dataset, viewer: str, viewer_name: str, filters: Filters) -> bytes:
    """The pack for what `filters` pick, as `viewer` may see it."""
    consumption = dataset.run("enterprise_consumption", viewer, filters)
    contracts = dataset.run("active_contracts", viewer, filters)
    forecast = dataset.run("renewal_forecast", viewer, filters)
    delivered_totals = dataset.run("proof_of_delivery_totals", viewer, filters)
    delivered = dataset.head("proof_of_delivery", viewer, filters, export.WORKBOOK_ROWS)
    packages = dataset.run("packages", viewer, filters).with_columns(
        (pl.col("contract_number") + " · " + pl.col("name")).alias("label")
    )
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    items = int(delivered_totals.get_column("items").sum())
    hidden = int(delivered_totals.get_column("hidden").sum())
    _summary(book, dataset, viewer_name, filters, contracts, consumption, forecast, items, hidden)
    export.write_sheet(book, "Renewal risks", [export.named(forecast)])
    export.write_sheet(book, "Delivery totals", [export.named(delivered_totals)])
    export.write_sheet(book, "Delivered", [export.named(delivered)])
    sheet = book.add_worksheet("Charts")
    row = 0
    images = []
    for unit in charts.units(consumption) if consumption.height else []:
        chart = charts.consumption_bars(consumption, unit=unit)
        images.append((f"Consumption against purchased ({unit})", chart))
    if packages.height:
        images.append(("When packages end", charts.timeline(packages, dataset.as_of)))
    for title, chart in images:
        sheet.write_string(row, 0, title, book.add_format({"bold": True, "font_size": 13}))
        png = chart_png(chart.chart().properties(width=640))
        sheet.insert_image(
            row + 1,
            0,
            f"{title}.png",
            {"image_data": io.BytesIO(png), "x_scale": 0.5, "y_scale": 0.5},
        )
        row += 2 + _rows_for(png)
    book.close()
    return buffer.getvalue()


def _range_in_words(dataset: Dataset, filters: Filters) -> str:
    """The activity dates as the sidebar's Range names them, or what they are otherwise."""
    if not filters.dated:
        return "Every date"
    named = date_ranges.named(dataset.as_of, filters.dates)
    return named.capitalize() if named else "The days above"


def _listed(items: int, hidden: int) -> str:
    """What the Delivered sheet lists of `items`, `hidden` of which it may not list."""
    said = ""
    if hidden:
        said = (
            f"; {hidden:,} of them support requests hidden by your permissions, counted here and "
            "in Delivery totals but not listed on the Delivered sheet"
        )
    if items - hidden <= export.WORKBOOK_ROWS:
        return said
    return said + (
        f"; the Delivered sheet lists the first {export.WORKBOOK_ROWS:,}, by category and day "
        "(all of them: Proof of delivery's CSV download, a contract at a time)"
    )


def _rows_for(png: bytes) -> int:
    """Spreadsheet rows an image of this PNG takes at half scale (20 px a row)."""
    height = int.from_bytes(png[20:24], "big")  # the PNG header's height
    return height // 2 // 20 + 1


def _summary(
    book, dataset, viewer_name, filters, contracts, consumption, forecast, items, hidden
) -> None:
    sheet = book.add_worksheet("Summary")
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 16})
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 60)
    sheet.write_string(0, 0, "Customer Activity: renewal meeting pack", title)
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        ("Data as of", dataset.as_of.isoformat()),
        ("Made", made),
        ("Prepared by", viewer_name),
        ("Workspaces", ", ".join(filters.workspaces) or "all the viewer can open"),
        ("Contract", filters.contract or "all in view"),
        ("Package", filters.package or "all"),
        ("Package status", filters.status),
        ("Activity from", str(filters.date_from or "the start")),
        ("Activity to", str(filters.date_to or dataset.as_of)),
        ("Activity range", _range_in_words(dataset, filters)),
        ("Active contracts", str(contracts.height)),
        ("Items delivered", f"{items:,}" + _listed(items, hidden)),
    ]
    for status in ("will run out before expiry", "will leave unused", "on track"):
        count = forecast.filter(pl.col("status") == status).height
        lines.append((f"Entitlements that {status}".replace("that on track", "on track"),
                      str(count)))  # fmt: skip
    for i, (label, value) in enumerate(lines, start=2):
        sheet.write_string(i, 0, label, bold)
        sheet.write_string(i, 1, export.neutralise(pl.DataFrame({"v": [value]})).item())
    start = len(lines) + 3
    sheet.write_string(start, 0, "Enterprise-wide consumption (whole term)", bold)
    headers = ["category", "unit", "purchased", "used", "scheduled", "remaining", "overage",
               "used_without_limit", "utilisation"]  # fmt: skip
    for col, name in enumerate(headers):
        sheet.write_string(start + 1, col, name, bold)
    for r, row in enumerate(export.named(consumption).select(headers).iter_rows(), start=start + 2):
        for col, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, col, value)
            elif value is not None:
                sheet.write_number(r, col, value)
    sheet.write_string(
        start + 2 + consumption.height,
        0,
        "Remaining is what the entitlements not over their purchase have left; overage, how far "
        "the others went past theirs: one contract's remaining never offsets another's overage. "
        "Utilisation is used less used_without_limit (use on entitlements with no purchased "
        "quantity), over purchased.",
    )
