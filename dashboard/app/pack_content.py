"""What the meeting pack says, gathered once for both of its forms (the workbook, pack_xlsx, and
the PDF, pack_pdf): its title block, its headline figures, each table with the headers people
read, and the notes that say where two figures count different things.

Every figure is the one its page shows, from the same query for the same viewer and filters
(tests/test_pack_reconciles.py holds the pack to them). No internal id reaches a table: contracts
are named by number, workspaces, packages and entitlements by name.

When the previous meeting kept a snapshot, the pack opens with what changed since it
(ChangedSince, from dashboard.query.changes): which snapshot, headline lines, then the
entitlements, contracts and additional cases then and now.

It speaks the run's language (dashboard.language): the words below are marked for the
catalogue where they are defined and translated as `gather` runs, so a Table or a Figure holds
the words its reader reads (a Table's units also as codes, which say how its quantities are
written).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import polars as pl

from dashboard import export, formats, rules, words
from dashboard.app.charts import WHOLE_UNITS
from dashboard.language import N_, _, ngettext, pgettext
from dashboard.query import changes, date_ranges, snapshots
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from dashboard.rules import BURN_WINDOW_DAYS, UNUSED_SHARE
from dashboard.text import ADDITIONAL_REASONS, without_invisible

# How a column's cells are written: text, or a number or day in one of formats' forms. A
# QUANTITY is in its row's unit: an amount (hours, credits) or a count (seats, assessments).
TEXT = "text"
AMOUNT = "amount"
COUNT = "count"
PERCENT = "percent"
DAY = "day"
RATE = "rate"
QUANTITY = "quantity"


@dataclass(frozen=True)
class Column:
    source: str  # the query's column
    header: str  # what the reader sees
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    sheet: str  # the workbook's sheet, or the PDF's section
    heading: str
    columns: tuple[Column, ...]
    rows: pl.DataFrame  # the sources of `columns`, codes in words, in this order
    notes: tuple[str, ...] = ()
    units: tuple[str | None, ...] | None = None  # each row's unit as its code, when in words

    def unit_codes(self) -> list[str | None]:
        """Each row's unit code (which says how its QUANTITY cells are written), None where it
        has none."""
        if self.units is not None:
            return list(self.units)
        if "unit" in self.rows.columns:
            return self.rows.get_column("unit").to_list()
        return [None] * self.rows.height


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    note: str = ""
    kind: str = COUNT  # how `value` is written: a count, or an AMOUNT of hours or credits


@dataclass(frozen=True)
class ChangedSince:
    """What changed since the snapshot the previous meeting's pack kept: the part a pack opens
    with when there is one."""

    heading: str
    lines: tuple[tuple[str, str], ...]  # (label, value): which snapshot, the days compared
    notes: tuple[str, ...]  # how then and now are read, and what is left out
    figures: tuple[Figure, ...]  # the headline lines
    entitlements: Table
    contracts: Table
    cases: Table


@dataclass(frozen=True)
class Content:
    customer: str
    title_lines: tuple[tuple[str, object], ...]  # (label, value): the title block
    figures: tuple[Figure, ...]
    consumption: Table  # Enterprise-wide consumption, whole term
    contracts: Table  # the active contracts in view
    entitlements: Table  # the entitlements summed into `consumption`
    risks: Table
    totals: Table  # delivered, per category
    delivered: Table  # the items, as many as were asked for
    items: int  # delivered items counted in the totals
    hidden: int  # of them, hidden from the list by the viewer's permissions
    more: str  # how many items the list leaves out beyond its first rows, and where they are
    consumption_rows: pl.DataFrame  # enterprise_consumption as the query gives it
    packages: pl.DataFrame  # every package in view, labelled, for the timeline
    as_of: date
    changed: ChangedSince | None = None  # what changed since the last meeting's snapshot


def _quantity(name: str, header: str) -> Column:
    return Column(name, header, QUANTITY)


# the columns' headers are marked here and translated as a Table is made (see _table)
FIGURES = (
    _quantity("purchased", N_("Purchased")),
    _quantity("used", N_("Used")),
    _quantity("scheduled", N_("Scheduled")),
    _quantity("remaining", N_("Remaining")),
    _quantity("over_by", N_("Over by")),
)
CONSUMPTION = (
    Column("category", N_("Category")),
    Column("unit", N_("Unit")),
    *FIGURES,
    _quantity("used_without_limit", N_("Used with no limit")),
    Column("utilisation", N_("Utilisation"), PERCENT),
)
ENTITLEMENTS = (
    Column("category", N_("Category")),
    Column("unit", N_("Unit")),
    Column("contract_number", N_("Contract")),
    Column("package_name", N_("Package")),
    Column("entitlement", N_("Entitlement")),
    *FIGURES,
    Column("utilisation", N_("Utilisation"), PERCENT),
    Column("end_date", N_("Ends"), DAY),
    Column("days_left", N_("Days left"), COUNT),
)
RISKS = (
    Column("status", N_("Status")),
    Column("contract_number", N_("Contract")),
    Column("package_name", N_("Package")),
    Column("name", N_("Entitlement")),
    Column("unit", N_("Unit")),
    *FIGURES,
    Column("burn_per_day", N_("Used per day"), RATE),
    Column("projected_exhaustion_date", N_("Runs out on"), DAY),
    Column("runs_out_between", N_("Runs out between")),
    _quantity("projected_unused_at_expiry", N_("Unused at expiry")),
    Column("end_date", N_("Ends"), DAY),
    Column("days_left", N_("Days left"), COUNT),
)
TOTALS = (
    Column("category", N_("Category")),
    Column("unit", N_("Unit")),
    Column("items", N_("Items"), COUNT),
    _quantity("quantity", N_("Quantity")),
    Column("hours_delivered", N_("Hours delivered"), AMOUNT),
    Column("hidden", N_("Hidden from the list"), COUNT),
)
DELIVERED = (
    Column("category", N_("Category")),
    Column("day", N_("Date"), DAY),
    Column("item", N_("Item")),
    Column("reference", N_("Reference")),
    _quantity("quantity", N_("Quantity")),
    Column("unit", N_("Unit")),
    Column("hours_delivered", N_("Hours delivered"), AMOUNT),
    Column("contract_number", N_("Contract")),
    Column("package_name", N_("Package")),
)
CONTRACTS = (
    Column("contract_number", N_("Contract")),
    Column("name", N_("Name")),
    Column("workspace_name", N_("Workspace")),
    Column("start_date", N_("Starts"), DAY),
    Column("end_date", N_("Ends"), DAY),
    Column("days_left", N_("Days left"), COUNT),
    Column("renewed_by", N_("Renewed by")),
)
STATUS_WORDS = {
    "active": N_("Active packages"),
    "inactive": N_("Inactive packages (expired or not started)"),
    "all": N_("Every package, active or not"),
}
FORECASTS = (  # the forecast's statuses, as the Summary counts them ({share}: UNUSED_SHARE)
    ("will run out before expiry", N_("Entitlements that will run out before expiry")),
    ("will leave unused", N_("Entitlements that will leave more than {share} unused")),
    ("on track", N_("Entitlements on track")),
    ("expired", N_("Entitlements of expired packages")),
)
# the forecast's statuses as a sentence says them, in lower case (as a table's cells write
# them: words.forecasts)
FORECAST_SAID = {
    "will run out before expiry": N_("will run out before expiry"),
    "will leave unused": N_("will leave unused"),
    "on track": N_("on track"),
}
NOT_FORECAST = N_("not forecast")
WHOLE_TERM = N_(
    "Whole term: all use since each package started, whatever the activity dates. Each row is "
    "the sum of its category's rows on the Enterprise entitlements sheet (the active "
    "enterprise packages of the active contracts in view). Remaining adds up what the "
    "entitlements not over their purchase have left, Over by how far the others went past "
    "theirs: one contract's remaining never offsets another's overage. Utilisation is used, "
    "less use with no limit, over purchased."
)
ALL_PACKAGES = N_(
    "Delivery totals count every package of the contracts in view, add-ons and expired "
    "packages too, and every support request booked against them, whatever workspace it was "
    "raised in; Enterprise-wide consumption counts the active enterprise packages only, so "
    "the two can differ."
)
HIDDEN = N_(
    "Items and Quantity count every item, those your permissions hide from the list too: the "
    "Delivered sheet lists Items less Hidden from the list."
)
ENTITLEMENTS_NOTE = N_(
    "Whole term, whatever the activity dates. The Summary's Enterprise-wide consumption adds "
    "these up per category and unit."
)


def risks_note() -> str:
    """How the Renewal risks sheet reads its pace, in the run's language."""
    return ngettext(
        "Whole term. Used per day is the average use a day over the last {days} day (or since "
        "the package started, when shorter); at that pace, what remains after what is "
        "scheduled runs out on the day under Runs out on. Named contacts and unlimited "
        "entitlements are not forecast.",
        "Whole term. Used per day is the average use a day over the last {days} days (or since "
        "the package started, when shorter); at that pace, what remains after what is "
        "scheduled runs out on the day under Runs out on. Named contacts and unlimited "
        "entitlements are not forecast.",
        BURN_WINDOW_DAYS,
    ).format(days=formats.number(BURN_WINDOW_DAYS))


# The forecast band in one sentence, as Renewal planning and the pack state it, with the
# numbers of dashboard/rules.py (which queries/_derived.sql's macros agree with).
BAND_LEAST_DAYS = rules.BAND_LEAST_DAYS


def band_method() -> str:
    """The forecast band in one paragraph, in the run's language."""
    return ngettext(
        "The range (Runs out between) is where an {share} range of the pace puts the day it "
        "runs out: the average use a day less and plus {z} standard errors (the standard "
        "deviation of the daily use, days without use counted as 0, over the square root of "
        "the days counted), which says how sure the pace is, not whether it will change. It "
        "has no latest day when the slow end may never use it all, and there is none with "
        "under {least} day of history or nothing used in the window.",
        "The range (Runs out between) is where an {share} range of the pace puts the day it "
        "runs out: the average use a day less and plus {z} standard errors (the standard "
        "deviation of the daily use, days without use counted as 0, over the square root of "
        "the days counted), which says how sure the pace is, not whether it will change. It "
        "has no latest day when the slow end may never use it all, and there is none with "
        "under {least} days of history or nothing used in the window.",
        BAND_LEAST_DAYS,
    ).format(
        share=formats.percent(rules.BAND_SHARE),
        z=formats.rate(rules.BAND_Z),
        least=formats.number(BAND_LEAST_DAYS),
    )


def gather(
    dataset: Dataset,
    viewer: str,
    viewer_name: str,
    filters: Filters,
    listed: int,
    elsewhere: str,
    since: changes.Changes | None = None,
) -> Content:
    """The pack's content for what `filters` pick, as `viewer` may see it, its Delivered list
    cut to its first `listed` items; `elsewhere` says where to find every one of them. With
    `since`, what changed since the last meeting's snapshot, which the pack opens with."""

    def run(name: str) -> pl.DataFrame:
        return without_invisible(dataset.run(name, viewer, filters))

    customer = dataset.run("viewer", viewer, filters).item(0, "customer_name")
    consumption, totals = run("enterprise_consumption"), run("proof_of_delivery_totals")
    items, hidden = int(totals["items"].sum()), int(totals["hidden"].sum())
    delivered = without_invisible(dataset.head("proof_of_delivery", viewer, filters, listed))
    contracts = run("active_contracts").with_columns(
        pl.col("workspace_name").fill_null(_("No workspace"))
    )
    forecast = with_run_out_range(run("renewal_forecast"))
    dates = dated_note(filters)
    more = _more_note(items - hidden, delivered.height, elsewhere)
    hidden_notes = (_hidden_note(hidden), _(HIDDEN) if hidden else "")
    summary = _("Summary")
    return Content(
        customer=customer,
        title_lines=title_lines(dataset, viewer, viewer_name, filters, customer),
        figures=_figures(contracts.height, items, hidden, forecast, dates, more),
        consumption=_table(
            summary,
            _("Enterprise-wide consumption, whole term"),
            CONSUMPTION,
            _split(consumption),
            (_(WHOLE_TERM),),
        ),
        contracts=_table(summary, _("Active contracts"), CONTRACTS, contracts),
        entitlements=_table(
            _("Enterprise entitlements"),
            _("Enterprise-wide consumption, entitlement by entitlement, whole term"),
            ENTITLEMENTS,
            _split(run("enterprise_entitlements")),
            (_(ENTITLEMENTS_NOTE),),
        ),
        risks=_table(
            _("Renewal risks"),
            _("Renewal risks, riskiest first"),
            RISKS,
            _split(forecast).with_columns(words.forecast_worded(pl.col("status"))),
            (risks_note(), band_method()),
        ),
        totals=_table(
            _("Delivery totals"),
            _("Delivered, per category"),
            TOTALS,
            _with_total(totals),
            (dates, _(ALL_PACKAGES), *hidden_notes),
        ),
        delivered=_table(
            _("Delivered"),
            _("Delivered, item by item"),
            DELIVERED,
            delivered,
            (dates, hidden_notes[0]),
        ),
        items=items,
        hidden=hidden,
        more=more,
        consumption_rows=consumption,
        packages=run("packages").with_columns(
            (pl.col("contract_number") + " · " + pl.col("name")).alias("label")
        ),
        as_of=dataset.as_of,
        changed=changed_since(since) if since is not None else None,
    )


def bars_title(unit: str) -> str:
    """The title of a unit's consumption bars (the PDF's picture, the workbook's chart)."""
    return _("Consumption against purchased ({unit}), whole term").format(unit=words.unit(unit))


def run_out_range(low: date | None, high: date | None) -> str | None:
    """The forecast band in words: `3 Aug – 2 Sep 2026`, `26 Sep 2026 – 3 Jan 2027`, `26 Sep
    2026 or later` (no latest date), one day when both are the same; None without a band."""
    if low is None:
        return None
    if high is None:
        return _("{day} or later").format(day=formats.day(low))
    if low == high:
        return formats.day(low)
    first = formats.day(low)
    if low.year == high.year:  # the year said once
        first = first.removesuffix(f" {low.year}")
    return f"{first} – {formats.day(high)}"


def with_run_out_range(forecast: pl.DataFrame) -> pl.DataFrame:
    """The renewal forecast with its band in words (`runs_out_between`); none where nothing is
    left already (its band is the as-of day: nothing to say beyond the forecast's own words)."""
    ranges = [
        None if remaining <= 0 else run_out_range(low, high)
        for low, high, remaining in zip(
            forecast["exhaustion_low_date"],
            forecast["exhaustion_high_date"],
            forecast["remaining"],
            strict=True,
        )
    ]
    return forecast.with_columns(pl.Series("runs_out_between", ranges, dtype=pl.String))


def _table(
    sheet: str, heading: str, columns: tuple[Column, ...], rows: pl.DataFrame, notes=()
) -> Table:
    """A Table of `rows`' columns that `columns` name, codes in words (units too, their codes
    kept beside), headers in the run's language, empty notes left out."""
    named = export.named(rows.select(c.source for c in columns))
    units = tuple(rows.get_column("unit").to_list()) if "unit" in named.columns else None
    headed = tuple(replace(c, header=_(c.header)) for c in columns)
    return Table(sheet, heading, headed, named, tuple(n for n in notes if n), units)


def _split(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with `remaining` below zero told apart as `over_by` (how far past what was
    purchased its entitlement went) and remaining 0, as Enterprise-wide sums them: a column of
    remaining then adds up to what is left, one of over_by to the overage. Enterprise-wide's
    own rows give their overage."""
    if "overage" in frame.columns:
        return frame.rename({"overage": "over_by"})
    return frame.with_columns(
        pl.col("remaining").clip(lower_bound=0),
        (-pl.col("remaining")).clip(lower_bound=0).alias("over_by"),
    )


def _with_total(totals: pl.DataFrame) -> pl.DataFrame:
    """The delivery totals and, under them, every category's items (their units differ, so
    their quantities are not added up)."""
    if totals.is_empty():
        return totals
    total = pl.DataFrame(
        {
            "category": [_("All categories")],
            "items": [totals.get_column("items").sum()],
            "hidden": [totals.get_column("hidden").sum()],
        },
        schema_overrides={"items": totals.schema["items"], "hidden": totals.schema["hidden"]},
    )
    return pl.concat([totals, total], how="diagonal_relaxed")


def _figures(
    active: int, items: int, hidden: int, forecast: pl.DataFrame, dates: str, more: str
) -> tuple[Figure, ...]:
    """The Summary's headline figures, each with what a reader must know beside it."""
    said = " ".join(n for n in (dates, _hidden_note(hidden), more) if n)
    found = [
        Figure(_("Active contracts"), active, _("On the data's as-of day; listed below.")),
        Figure(_("Items delivered"), items, said),
    ]
    statuses = forecast.get_column("status")
    share = formats.percent(UNUSED_SHARE)
    for place, (status, label) in enumerate(FORECASTS):
        count = int((statuses == status).sum())
        if count or status != "expired":  # expired ones only with the inactive packages
            note = _("Whole term; each is on the Renewal risks sheet.") if place == 0 else ""
            found.append(Figure(_(label).format(share=share), count, note))
    return tuple(found)


def dated_note(filters: Filters) -> str:
    """Where delivered items are counted in the activity dates only, while the entitlements'
    figures cover the whole term: the sentence that says so ('' with no dates picked)."""
    if not filters.dated:
        return ""
    days = formats.days(filters.date_from, filters.date_to)
    return _(
        "Delivered in the activity dates only ({days}): the consumption figures (Summary, "
        "Enterprise entitlements, Renewal risks) cover the whole term, so they differ."
    ).format(days=days)


def _hidden_note(hidden: int) -> str:
    """What the list leaves out that the totals count: the items its viewer may not see."""
    if not hidden:
        return ""
    return ngettext(
        "{n} support request hidden by your permissions: counted in the totals, not listed.",
        "{n} support requests hidden by your permissions: counted in the totals, not listed.",
        hidden,
    ).format(n=formats.number(hidden))


def _more_note(listable: int, listed: int, elsewhere: str) -> str:
    """How many of the `listable` items are beyond the list's first `listed`, and where
    they are."""
    if listed >= listable:
        return ""
    return _(
        "The list holds the first {listed} of {listable} items, by category and day: {more} "
        "more are not listed here ({elsewhere})."
    ).format(
        listed=formats.number(listed),
        listable=formats.number(listable),
        more=formats.number(listable - listed),
        elsewhere=elsewhere,
    )


def title_lines(
    dataset: Dataset, viewer: str, viewer_name: str, filters: Filters, customer: str
) -> tuple[tuple[str, object], ...]:
    """The title block: whose, what it covers in words, as of when, made when and by whom."""
    contracts = dataset.run("contracts", viewer, replace(filters, contract=None, package=None))
    packages = dataset.run("packages", viewer, replace(filters, package=None))
    return (
        (_("Customer"), customer),
        (_("Workspaces"), _workspaces(dataset, viewer, filters)),
        (_("Contract"), _contract(contracts, filters.contract)),
        (_("Package"), _package(packages, filters.package)),
        (_("Package status"), _(STATUS_WORDS[filters.status])),
        (_("Activity dates"), _activity_dates(dataset.as_of, filters, contracts, packages)),
        (_("Data as of"), dataset.as_of),
        (_("Made"), datetime.now(UTC)),
        (_("Prepared by"), viewer_name),
    )


def _workspaces(dataset: Dataset, viewer: str, filters: Filters) -> str:
    scope = Filters(customer=filters.customer)  # an account manager's: that customer's only
    rows = dataset.run("workspaces", viewer, scope).select("workspace_id", "name")
    names = dict(rows.iter_rows())
    if not filters.workspaces:
        every = ", ".join(sorted(names.values()))
        return _("All workspaces you can open: {workspaces}").format(workspaces=every)
    unknown = _("a workspace you cannot open")
    return ", ".join(sorted(names.get(w, unknown) for w in filters.workspaces))


def _contract(contracts: pl.DataFrame, picked: str | None) -> str:
    if picked is None:
        return _("All contracts in these workspaces")
    rows = contracts.filter(pl.col("contract_id") == picked)
    if rows.is_empty():
        return _("A contract you cannot see")
    return f"{rows.item(0, 'contract_number')} · {rows.item(0, 'name')}"


def _package(packages: pl.DataFrame, picked: str | None) -> str:
    if picked is None:
        return _("All packages")
    rows = packages.filter(pl.col("package_id") == picked)
    if rows.is_empty():
        return _("A package you cannot see")
    state = words.word(rows.item(0, "state"))
    state = state[:1].lower() + state[1:]  # inside the brackets: `(active)`
    return f"{rows.item(0, 'contract_number')} · {rows.item(0, 'name')} ({state})"


def _activity_dates(
    as_of: date, filters: Filters, contracts: pl.DataFrame, packages: pl.DataFrame
) -> str:
    """The activity dates as the sidebar's Range names them, with the days themselves."""
    if not filters.dated:
        return _("Every date")
    spans = date_ranges.ranges(
        as_of,
        contract=date_ranges.term(contracts, "contract_id", filters.contract),
        package=date_ranges.term(packages, "package_id", filters.package),
    )
    name = date_ranges.matching(spans, filters.dates)
    days = formats.days(filters.date_from, filters.date_to)
    if name == date_ranges.PICKED:
        return days[:1].upper() + days[1:]
    return f"{_(date_ranges.LABELS[name])} ({days})"


def in_unit(quantity_kind: str, unit: str | None) -> str:
    """The kind a QUANTITY cell of `unit` is written as: a count for units counted one by one,
    an amount otherwise."""
    if quantity_kind != QUANTITY:
        return quantity_kind
    return COUNT if unit in WHOLE_UNITS else AMOUNT


# What changed since the last meeting's snapshot (dashboard.query.changes), in the pack's words
CHANGED_SHEET = N_("Changed since")
CHANGED_FIGURES = N_("What changed")  # the heading of its headline lines
CHANGED_ENTITLEMENTS = (
    Column("change", N_("Change")),
    Column("contract_number", N_("Contract")),
    Column("package_name", N_("Package")),
    Column("name", N_("Entitlement")),
    Column("unit", N_("Unit")),
    _quantity("used_then", N_("Used then")),
    _quantity("used_now", N_("Used now")),
    _quantity("used_since", N_("Used since")),
    _quantity("remaining_then", N_("Remaining then")),
    _quantity("remaining_now", N_("Remaining now")),
    Column("status_then", N_("Status then")),
    Column("status_now", N_("Status now")),
)
CHANGED_CONTRACTS = (
    Column("contract_number", N_("Contract")),
    Column("name", N_("Name")),
    Column("change", N_("Change")),
    Column("state_then", N_("State then")),
    Column("state_now", N_("State now")),
    Column("days_left_then", N_("Days left then"), COUNT),
    Column("days_left_now", N_("Days left now"), COUNT),
    Column("end_date", N_("Ends"), DAY),
)
CHANGED_CASES = (
    Column("reason", N_("Reason")),
    Column("then", N_("Then"), COUNT),
    Column("now", N_("Now"), COUNT),
    Column("change", N_("Change"), COUNT),
)
ALL_CASES = N_("All additional cases")
NAMED = 3  # the entitlements a headline line names; its table lists every one
USED_SINCE_NOTE = N_(
    "Used since is used now less used then, over the entitlements in both: a new one's use "
    "before the snapshot is not known. Remaining is what was purchased less what was used and "
    "scheduled."
)
OVER_NOTE = N_("Remaining below zero is how far use and what is scheduled went past the purchase.")
NO_LIMIT_NOTE = N_("An entitlement with no purchased quantity has no remaining and no forecast.")
TWO_REASONS = N_(
    "A case may have more than one reason: the reasons can add up to more than all additional "
    "cases."
)


def changed_since(found: changes.Changes) -> ChangedSince:
    """The Changed since part of `found`: which snapshot, the headline lines, then a table each
    of the entitlements, the contracts and the additional cases."""
    found = replace(
        found,
        entitlements=without_invisible(found.entitlements),
        contracts=without_invisible(found.contracts),
    )
    snapshot = found.snapshot
    then, now = formats.day(snapshot.as_of), formats.day(found.as_of)
    kept = formats.moment(snapshot.taken_at)
    compared = _("Snapshot #{id}, kept {moment} ({reason})").format(
        id=snapshot.id, moment=kept, reason=_reason(snapshot.reason)
    )
    lines = ((_("Compared with"), compared), (_("Data as of"), f"{then} → {now}"))
    about = _(
        "Then is what snapshot #{id} kept of this pack's scope, on the data of {then}; now is "
        "the data of {now}, as you may see it today. Both cover the whole term, whatever the "
        "activity dates."
    ).format(id=snapshot.id, then=then, now=now)
    sheet = _(CHANGED_SHEET)
    return ChangedSince(
        heading=_("Changed since snapshot #{id} (data as of {day})").format(
            id=snapshot.id, day=then
        ),
        lines=lines,
        notes=tuple(n for n in (about, _unseen_note(found.unseen)) if n),
        figures=_changed_figures(found),
        entitlements=_table(
            sheet,
            _("Entitlements, status changes and new ones first"),
            CHANGED_ENTITLEMENTS,
            _change_worded(found.entitlements).with_columns(
                words.forecast_worded(pl.col("status_then")),
                words.forecast_worded(pl.col("status_now")),
            ),
            _entitlement_notes(found.entitlements),
        ),
        contracts=_table(
            sheet,
            _("Contracts, changed ones first"),
            CHANGED_CONTRACTS,
            _change_worded(found.contracts).with_columns(
                _state_worded("state_then"), _state_worded("state_now")
            ),
        ),
        cases=_table(
            sheet,
            _("Additional cases, per reason"),
            CHANGED_CASES,
            _case_rows(found.cases),
            (_meanings(found.cases), _two_reasons(found.cases)),
        ),
    )


def _reason(code: str) -> str:
    return _(snapshots.REASONS[code]) if code in snapshots.REASONS else code


def _unseen_note(unseen: int) -> str:
    """What the comparison leaves out: what of the snapshot the viewer may no longer see."""
    if not unseen:
        return ""
    return ngettext(
        "{n} of the snapshot's entitlements and contracts is no longer visible to you and is "
        "left out.",
        "{n} of the snapshot's entitlements and contracts are no longer visible to you and are "
        "left out.",
        unseen,
    ).format(n=formats.number(unseen))


def _state_worded(name: str) -> pl.Expr:
    """The contract states of column `name` in words, starting with a capital as the pack's
    other tables write statuses (a contract's: Polish words agree with its gender)."""
    code = pl.col(name)
    said = {
        "active": pgettext("a contract's state", "Active"),
        "expired": pgettext("a contract's state", "Expired"),
        "upcoming": pgettext("a contract's state", "Upcoming"),
    }
    return code.replace_strict(said, default=words.worded(code), return_dtype=pl.String)


def _change_worded(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its changes (changes' words, `; ` between them) as the Change column says
    them, starting with a capital: `New since`, `Ended; renewed by CN-3`."""
    said = [_change_said(change) for change in frame.get_column("change")]
    return frame.with_columns(pl.Series("change", said, dtype=pl.String))


def _change_said(change: str | None) -> str | None:
    if not change:
        return change
    said = "; ".join(_change_part(part) for part in change.split("; "))
    return said[:1].upper() + said[1:]


def _change_part(part: str) -> str:
    """One of changes' words for what happened to an entitlement or a contract."""
    renewed = changes.RENEWED + " "
    if part.startswith(renewed):
        return _("renewed by {contracts}").format(contracts=part.removeprefix(renewed))
    said = {
        changes.NEW: _("new since"),
        changes.STATUS_CHANGED: _("status changed"),
        changes.ENDED: pgettext("a contract", "ended"),
        changes.STARTED: pgettext("a contract", "started"),
    }
    return said.get(part, part)


def _entitlement_notes(entitlements: pl.DataFrame) -> tuple[str, ...]:
    remaining = pl.concat([entitlements["remaining_then"], entitlements["remaining_now"]])
    over = _(OVER_NOTE) if (remaining < 0).any() else ""
    no_limit = _(NO_LIMIT_NOTE) if entitlements["purchased_now"].is_null().any() else ""
    return tuple(n for n in (_(USED_SINCE_NOTE), over, no_limit) if n)


def _two_reasons(cases: pl.DataFrame) -> str:
    """TWO_REASONS, when the reasons do add up to more than all additional cases."""
    is_all = pl.col("reason") == "all"
    reasons = cases.filter(~is_all).select("then", "now").sum().row(0)
    every = cases.filter(is_all).select("then", "now").sum().row(0)
    more = any(r > e for r, e in zip(reasons, every, strict=True))
    return _(TWO_REASONS) if more else ""


def _case_rows(cases: pl.DataFrame) -> pl.DataFrame:
    """The cases per reason, each reason by its label."""
    labels = {code: _(label) for code, (label, _meaning) in ADDITIONAL_REASONS.items()}
    code = pl.col("reason")
    return cases.with_columns(
        pl.when(code == "all")
        .then(pl.lit(_(ALL_CASES)))
        .otherwise(code.replace_strict(labels, default=export.worded(code)))
        .alias("reason")
    )


def _meanings(cases: pl.DataFrame) -> str:
    """What makes a case additional for each reason listed, in a sentence each (said under the
    table rather than in a column of it: the sheet's columns are shared with wider tables)."""
    said = []
    for code in cases.get_column("reason"):
        if code in ADDITIONAL_REASONS:
            label, meaning = ADDITIONAL_REASONS[code]
            said.append(_("{reason}: {meaning}.").format(reason=_(label), meaning=_(meaning)))
    return " ".join(said)


def _changed_figures(found: changes.Changes) -> tuple[Figure, ...]:
    """The headline lines: the use since per unit, the entitlements whose status changed and
    the new ones, the additional cases raised since, the contracts ended and renewed."""
    figures = [_used_since(found.used_since, unit) for unit in _units(found.used_since)]
    changed = found.status_changed
    figures.append(
        Figure(_("Entitlements whose status changed"), changed.height, _status_note(changed))
    )
    new = found.entitlements.filter(pl.col("change") == changes.NEW)
    if new.height:
        figures.append(Figure(_("Entitlements new since"), new.height, _names(new)))
    cases = dict(zip(found.cases["reason"], found.cases.select("then", "now").rows(), strict=True))
    then_all, now_all = cases.get("all", (0, 0))
    said = _(
        "Raised after {day}, the snapshot's as-of day; {then} then and {now} now in all."
    ).format(
        day=formats.day(found.snapshot.as_of),
        then=formats.number(then_all),
        now=formats.number(now_all),
    )
    figures.append(Figure(_("Additional cases raised since"), found.raised_since, said))
    parts = found.contracts.get_column("change").str.split("; ")
    ended = found.contracts.filter(parts.list.contains(changes.ENDED))
    figures.append(
        Figure(_("Contracts ended"), ended.height, ", ".join(ended.get_column("contract_number")))
    )
    renewed = changes.RENEWED + " "
    renewals = [
        _("{contract} renewed by {contracts}").format(
            contract=number, contracts=part.removeprefix(renewed)
        )
        for number, said_parts in zip(found.contracts["contract_number"], parts, strict=True)
        for part in said_parts
        if part.startswith(changes.RENEWED)
    ]
    figures.append(Figure(_("Contracts renewed"), len(renewals), "; ".join(renewals)))
    return tuple(figures)


def _units(used_since: pl.DataFrame) -> list[str]:
    """The units used since, hours first."""
    return sorted(set(used_since.get_column("unit")), key=lambda unit: (unit != "hours", unit))


def _used_since(used_since: pl.DataFrame, unit: str) -> Figure:
    """The use since of `unit`, and of each category in it."""
    rows = used_since.filter(pl.col("unit") == unit).sort("used_since", descending=True)
    kind = in_unit(QUANTITY, unit)
    per_category = "; ".join(
        f"{words.category(category)} {_written(value, kind)}"
        for category, value in rows.select("category", "used_since").iter_rows()
    )
    total = float(rows.get_column("used_since").sum())
    label = _("{unit} used since").format(unit=words.unit(unit))
    return Figure(label[:1].upper() + label[1:], total, per_category, kind)


def _written(value: float, kind: str) -> str:
    return formats.number(round(value)) if kind == COUNT else formats.amount(value)


def _status_note(changed: pl.DataFrame) -> str:
    """The first few entitlements whose status changed, from what to what."""
    said = [
        f"{name}: {_forecast_said(then)} → {_forecast_said(now)}"
        for name, then, now in changed.select("name", "status_then", "status_now").iter_rows()
    ]
    return _first(said)


def _forecast_said(status: str | None) -> str:
    """A forecast status as a sentence says it, in lower case (`not forecast` for none)."""
    if not status:
        return _(NOT_FORECAST)
    if status == "expired":
        return pgettext("an entitlement's forecast", "expired")
    return _(FORECAST_SAID[status]) if status in FORECAST_SAID else status


def _names(entitlements: pl.DataFrame) -> str:
    return _first(
        [
            f"{name} ({number})"
            for name, number in entitlements.select("name", "contract_number").iter_rows()
        ]
    )


def _first(said: list[str]) -> str:
    """The first NAMED of `said`, and how many more the table lists."""
    more = len(said) - NAMED
    shown = "; ".join(said[:NAMED])
    if more <= 0:
        return shown
    return _("{shown}; and {n} more, listed below").format(shown=shown, n=formats.number(more))
