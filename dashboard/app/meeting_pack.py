"""The meeting pack: what to put in front of a customer at a renewal meeting, readable without
the app, as a workbook (xlsx) or a PDF.

Both hold the same things (dashboard.app.pack_content gathers them): a title block naming the
customer, the scope in words, the activity dates, the data's as-of day, when it was made and by
whom; the headline figures, Enterprise-wide consumption and the entitlements it sums, the
renewal risks, what was delivered (totals, then item by item) and the charts. The workbook is
written by dashboard.app.pack_xlsx, the PDF by dashboard.app.pack_pdf (imported, with fpdf2 and
vl_convert, only when a pack is made: every server would hold them otherwise).

A pack asked to (the page's download, the command line) keeps a snapshot of the figures it
shows (dashboard.query.snapshots), its number in the title block. Every pack opens with what
changed since the maker's previous snapshot of the same scope of older data
(dashboard.query.changes), when there is one: a meeting asks that first. The workbook and the
PDF of one meeting keep one snapshot between them.

A pack speaks the language of the run that makes it (dashboard.language): its words, numbers,
days, charts and file name.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import polars as pl

from dashboard import export, formats
from dashboard.app import charts, pack_content, pack_xlsx
from dashboard.language import DEFAULT, N_, _, current
from dashboard.query import changes, snapshots
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from dashboard.query.state_store import StateUnavailable

FORMATS = ("xlsx", "pdf")
PDF_ROWS = 20  # the delivered items the PDF lists: a page's worth, one line each
ALL_ITEMS = N_("Proof of delivery's CSV download lists all of them, a contract at a time")
# what a file system refuses in a name (Windows' set, which holds the others'), and controls
_REFUSED = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
SNAPSHOT_LINE = N_("Snapshot")
NOT_KEPT = N_("not kept: the app's state could not be reached just now")
# what keeping or reading a snapshot may meet: a state database that is down, or a data home
# that cannot be written (a read-only mount); the pack is made all the same
_STATE_PROBLEMS = (StateUnavailable, sqlite3.Error, OSError)
log = logging.getLogger("customer_activity")


@dataclass(frozen=True)
class Made:
    """A pack, and the snapshot of its figures kept for the next meeting."""

    data: bytes
    kept: snapshots.Snapshot | None  # None when none was to be kept, or it could not be
    unkept: str = ""  # why it could not be kept (the state's problem in one line)


def chart_png(chart) -> bytes:
    """`chart` as a PNG, its numbers and dates written as the run's language writes them."""
    import vl_convert  # only when a pack is made: it is large, and every server would hold it

    if current() == DEFAULT:  # Vega's own locale is English's
        return vl_convert.vegalite_to_png(chart.to_json(), scale=2)
    locale = formats.vega_locale()
    return vl_convert.vegalite_to_png(
        chart.to_json(),
        scale=2,
        format_locale=locale["number"],
        time_format_locale=locale["time"],
    )


def build(
    dataset: Dataset,
    viewer: str,
    viewer_name: str,
    filters: Filters,
    format: str = "xlsx",
    keep_snapshot: bool = False,
) -> bytes:
    """The pack for what `filters` pick, as `viewer` may see it, as an xlsx workbook or (with
    `format="pdf"`) a PDF. It opens with what changed since the viewer's last snapshot of the
    same scope (of older data), when there is one; with `keep_snapshot`, the figures it shows
    are kept as the snapshot the next meeting compares with."""
    return make(dataset, viewer, viewer_name, filters, format, keep_snapshot).data


def make(
    dataset: Dataset,
    viewer: str,
    viewer_name: str,
    filters: Filters,
    format: str = "xlsx",
    keep_snapshot: bool = False,
) -> Made:
    """build's pack, with the snapshot it kept (for the command line, which says which)."""
    if format not in FORMATS:
        raise ValueError(f"a meeting pack is xlsx or pdf, not {format!r}")

    def run(name: str, picked: Filters, **extra: object) -> pl.DataFrame:
        return dataset.run(name, viewer, picked, **extra)

    now = snapshots.figures(run, filters)
    since = changed_since(dataset, viewer, filters, run, now)
    content, write = (_pdf if format == "pdf" else _xlsx)(
        dataset, viewer, viewer_name, filters, since
    )
    if not keep_snapshot:
        return Made(write(content), None)
    try:
        kept = snapshots.take(dataset.home, viewer, filters, dataset.as_of, now, reason="pack")
    except _STATE_PROBLEMS as problem:
        log.warning("a meeting pack was made without keeping its snapshot: %s", problem)
        lines = (*content.title_lines, (_(SNAPSHOT_LINE), _(NOT_KEPT)))
        return Made(write(replace(content, title_lines=lines)), None, str(problem))
    said = _("#{id}, kept for the next meeting").format(id=kept.id)
    lines = (*content.title_lines, (_(SNAPSHOT_LINE), said))
    return Made(write(replace(content, title_lines=lines)), kept)


def changed_since(
    dataset: Dataset, viewer: str, filters: Filters, run: snapshots.Runner, now: snapshots.Figures
) -> changes.Changes | None:
    """What changed since `viewer`'s newest snapshot of `filters`' scope of older data than
    now's (`now` being the figures of now); None when there is none, or when the state cannot
    be read (the pack is made without it: logged)."""
    try:
        earlier = snapshots.before(snapshots.listed(dataset.home, viewer, filters), dataset.as_of)
        if earlier is None:
            return None
        snapshot, then = snapshots.opened(dataset.home, viewer, earlier.id)
    except (*_STATE_PROBLEMS, snapshots.NotFound) as problem:
        log.warning("a meeting pack was made without what changed since: %s", problem)
        return None
    return changes.since(run, snapshot, then, dataset.as_of, now=now)


Writer = Callable[[pack_content.Content], bytes]


def _xlsx(
    dataset: Dataset,
    viewer: str,
    viewer_name: str,
    filters: Filters,
    since: changes.Changes | None,
) -> tuple[pack_content.Content, Writer]:
    """The workbook's content, and what writes it (its charts drawn already)."""
    rows = export.WORKBOOK_ROWS
    content = pack_content.gather(dataset, viewer, viewer_name, filters, rows, _(ALL_ITEMS), since)
    timeline = _timeline(content)
    return content, lambda final: pack_xlsx.write(final, timeline)


def _pdf(
    dataset: Dataset,
    viewer: str,
    viewer_name: str,
    filters: Filters,
    since: changes.Changes | None,
) -> tuple[pack_content.Content, Writer]:
    """The PDF's content, its Delivered list cut to a page's worth, and what writes it (its
    pictures drawn already)."""
    from dashboard.app import pack_pdf

    elsewhere = _("the workbook (xlsx) pack lists up to {rows}; {all_items}").format(
        rows=formats.number(export.WORKBOOK_ROWS), all_items=_(ALL_ITEMS)
    )
    content = pack_content.gather(dataset, viewer, viewer_name, filters, PDF_ROWS, elsewhere, since)
    pictures = [
        (pack_content.bars_title(unit), chart_png(_bars(content, unit)))
        for unit in charts.units(content.consumption_rows)
    ]
    timeline = _timeline(content)
    if timeline:
        pictures.append((_("When packages end"), timeline))
    return content, lambda final: pack_pdf.write(final, pictures)


def _bars(content: pack_content.Content, unit: str):
    """Enterprise-wide's consumption bars of `unit`, as a picture's chart."""
    recipe = charts.consumption_bars(content.consumption_rows, unit=unit)
    return recipe.chart().properties(width=640)


def _timeline(content: pack_content.Content) -> bytes | None:
    """The package timeline as a PNG, or None with no package in view."""
    if content.packages.is_empty():
        return None
    chart = charts.timeline(content.packages, content.as_of).chart()
    # padded to hold all it draws: fitted to a width, as on the page, its legend on top was cut
    return chart_png(chart.properties(width=640, autosize="pad"))


def file_name(dataset: Dataset, viewer: str, filters: Filters, extension: str) -> str:
    """`Acme Corporation - CN-100 - meeting pack - 2026-06-30.xlsx`: the viewer's customer, the
    contract's number when one is picked, and the data's as-of day, with nothing a file system
    refuses; `meeting pack` in the run's language."""
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
    stem = " - ".join([*(p for p in parts if p), _("meeting pack"), as_of.isoformat()])
    return f"{stem}.{extension}"


def _safe(text: str) -> str:
    """`text` with what a file system refuses made a space, spaces run together, and no dot or
    space at either end (Windows drops them)."""
    return " ".join(_REFUSED.sub(" ", text).split()).strip(" .")
