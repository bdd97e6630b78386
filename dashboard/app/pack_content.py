"""What the meeting pack says, gathered once for both of its forms (the workbook, pack_xlsx, and
the PDF, pack_pdf): its title block, its headline figures, each table with the headers people
read, and the notes that say where two figures count different things.

Every figure is the one its page shows, from the same query for the same viewer and filters
(tests/test_pack_reconciles.py holds the pack to them). No internal id reaches a table: contracts
are named by number, workspaces, packages and entitlements by name.

When the previous meeting kept a snapshot, the pack opens with what changed since it
(ChangedSince, from dashboard.query.changes): which snapshot, headline lines, then the
entitlements, contracts and additional cases then and now.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import polars as pl

from dashboard import export, formats, rules
from dashboard.app.charts import WHOLE_UNITS
from dashboard.ingest.schema import CATEGORY_LABELS
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


FIGURES = (
    _quantity("purchased", "Purchased"),
    _quantity("used", "Used"),
    _quantity("scheduled", "Scheduled"),
    _quantity("remaining", "Remaining"),
    _quantity("over_by", "Over by"),
)
CONSUMPTION = (
    Column("category", "Category"),
    Column("unit", "Unit"),
    *FIGURES,
    _quantity("used_without_limit", "Used with no limit"),
    Column("utilisation", "Utilisation", PERCENT),
)
ENTITLEMENTS = (
    Column("category", "Category"),
    Column("unit", "Unit"),
    Column("contract_number", "Contract"),
    Column("package_name", "Package"),
    Column("entitlement", "Entitlement"),
    *FIGURES,
    Column("utilisation", "Utilisation", PERCENT),
    Column("end_date", "Ends", DAY),
    Column("days_left", "Days left", COUNT),
)
RISKS = (
    Column("status", "Status"),
    Column("contract_number", "Contract"),
    Column("package_name", "Package"),
    Column("name", "Entitlement"),
    Column("unit", "Unit"),
    *FIGURES,
    Column("burn_per_day", "Used per day", RATE),
    Column("projected_exhaustion_date", "Runs out on", DAY),
    Column("runs_out_between", "Runs out between"),
    _quantity("projected_unused_at_expiry", "Unused at expiry"),
    Column("end_date", "Ends", DAY),
    Column("days_left", "Days left", COUNT),
)
TOTALS = (
    Column("category", "Category"),
    Column("unit", "Unit"),
    Column("items", "Items", COUNT),
    _quantity("quantity", "Quantity"),
    Column("hours_delivered", "Hours delivered", AMOUNT),
    Column("hidden", "Hidden from the list", COUNT),
)
DELIVERED = (
    Column("category", "Category"),
    Column("day", "Date", DAY),
    Column("item", "Item"),
    Column("reference", "Reference"),
    _quantity("quantity", "Quantity"),
    Column("unit", "Unit"),
    Column("hours_delivered", "Hours delivered", AMOUNT),
    Column("contract_number", "Contract"),
    Column("package_name", "Package"),
)
CONTRACTS = (
    Column("contract_number", "Contract"),
    Column("name", "Name"),
    Column("workspace_name", "Workspace"),
    Column("start_date", "Starts", DAY),
    Column("end_date", "Ends", DAY),
    Column("days_left", "Days left", COUNT),
    Column("renewed_by", "Renewed by"),
)
STATUS_WORDS = {
    "active": "Active packages",
    "inactive": "Inactive packages (expired or not started)",
    "all": "Every package, active or not",
}
FORECASTS = (  # the forecast's statuses, as the Summary counts them
    ("will run out before expiry", "Entitlements that will run out before expiry"),
    (
        "will leave unused",
        f"Entitlements that will leave more than {formats.percent(UNUSED_SHARE)} unused",
    ),
    ("on track", "Entitlements on track"),
    ("expired", "Entitlements of expired packages"),
)
WHOLE_TERM = (
    "Whole term: all use since each package started, whatever the activity dates. Each row is "
    "the sum of its category's rows on the Enterprise entitlements sheet (the active "
    "enterprise packages of the active contracts in view). Remaining adds up what the "
    "entitlements not over their purchase have left, Over by how far the others went past "
    "theirs: one contract's remaining never offsets another's overage. Utilisation is used, "
    "less use with no limit, over purchased."
)
ALL_PACKAGES = (
    "Delivery totals count every package of the contracts in view, add-ons and expired "
    "packages too, and every support request booked against them, whatever workspace it was "
    "raised in; Enterprise-wide consumption counts the active enterprise packages only, so "
    "the two can differ."
)
HIDDEN = (
    "Items and Quantity count every item, those your permissions hide from the list too: the "
    "Delivered sheet lists Items less Hidden from the list."
)
ENTITLEMENTS_NOTE = (
    "Whole term, whatever the activity dates. The Summary's Enterprise-wide consumption adds "
    "these up per category and unit."
)
RISKS_NOTE = (
    "Whole term. Used per day is the average use a day over the last "
    f"{BURN_WINDOW_DAYS} days (or since the package started, when shorter); at that pace, what "
    "remains after what is scheduled runs out on the day under Runs out on. Named contacts and "
    "unlimited entitlements are not forecast."
)
# The forecast band in one sentence, as Renewal planning and the pack state it, with the
# numbers of dashboard/rules.py (which queries/_derived.sql's macros agree with).
BAND_LEAST_DAYS = rules.BAND_LEAST_DAYS
BAND_METHOD = (
    f"The range (Runs out between) is where an {rules.BAND_SHARE:.0%} range of the pace puts the "
    f"day it runs out: the average use a day less and plus {rules.BAND_Z:.2f} standard errors "
    "(the standard deviation of the "
    "daily use, days without use counted as 0, over the square root of the days counted), "
    "which says how sure the pace is, not whether it will change. It has no latest day when "
    "the slow end may never use it all, and there is none with under "
    f"{BAND_LEAST_DAYS} days of history or nothing used in the window."
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
        pl.col("workspace_name").fill_null("No workspace")
    )
    forecast = with_run_out_range(run("renewal_forecast"))
    dates = dated_note(filters)
    more = _more_note(items - hidden, delivered.height, elsewhere)
    hidden_notes = (_hidden_note(hidden), HIDDEN if hidden else "")
    return Content(
        customer=customer,
        title_lines=title_lines(dataset, viewer, viewer_name, filters, customer),
        figures=_figures(contracts.height, items, hidden, forecast, dates, more),
        consumption=_table(
            "Summary",
            "Enterprise-wide consumption, whole term",
            CONSUMPTION,
            _split(consumption),
            (WHOLE_TERM,),
        ),
        contracts=_table("Summary", "Active contracts", CONTRACTS, contracts),
        entitlements=_table(
            "Enterprise entitlements",
            "Enterprise-wide consumption, entitlement by entitlement, whole term",
            ENTITLEMENTS,
            _split(run("enterprise_entitlements")),
            (ENTITLEMENTS_NOTE,),
        ),
        risks=_table(
            "Renewal risks",
            "Renewal risks, riskiest first",
            RISKS,
            _split(forecast),
            (RISKS_NOTE, BAND_METHOD),
        ),
        totals=_table(
            "Delivery totals",
            "Delivered, per category",
            TOTALS,
            _with_total(totals),
            (dates, ALL_PACKAGES, *hidden_notes),
        ),
        delivered=_table(
            "Delivered", "Delivered, item by item", DELIVERED, delivered, (dates, hidden_notes[0])
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


def run_out_range(low: date | None, high: date | None) -> str | None:
    """The forecast band in words: `3 Aug – 2 Sep 2026`, `26 Sep 2026 – 3 Jan 2027`, `26 Sep
    2026 or later` (no latest date), one day when both are the same; None without a band."""
    if low is None:
        return None
    if high is None:
        return f"{formats.day(low)} or later"
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
    """A Table of `rows`' columns that `columns` name, codes in words, empty notes left out."""
    named = export.named(rows.select(c.source for c in columns))
    return Table(sheet, heading, columns, named, tuple(n for n in notes if n))


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
            "category": ["All categories"],
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
        Figure("Active contracts", active, "On the data's as-of day; listed below."),
        Figure("Items delivered", items, said),
    ]
    statuses = forecast.get_column("status")
    for place, (status, label) in enumerate(FORECASTS):
        count = int((statuses == status).sum())
        if count or status != "expired":  # expired ones only with the inactive packages
            note = "Whole term; each is on the Renewal risks sheet." if place == 0 else ""
            found.append(Figure(label, count, note))
    return tuple(found)


def dated_note(filters: Filters) -> str:
    """Where delivered items are counted in the activity dates only, while the entitlements'
    figures cover the whole term: the sentence that says so ('' with no dates picked)."""
    if not filters.dated:
        return ""
    days = formats.days(filters.date_from, filters.date_to)
    return (
        f"Delivered in the activity dates only ({days}): the consumption figures (Summary, "
        "Enterprise entitlements, Renewal risks) cover the whole term, so they differ."
    )


def _hidden_note(hidden: int) -> str:
    """What the list leaves out that the totals count: the items its viewer may not see."""
    if not hidden:
        return ""
    return (
        f"{formats.count(hidden, 'support request')} hidden by your permissions: counted in "
        "the totals, not listed."
    )


def _more_note(listable: int, listed: int, elsewhere: str) -> str:
    """How many of the `listable` items are beyond the list's first `listed`, and where
    they are."""
    if listed >= listable:
        return ""
    return (
        f"The list holds the first {formats.number(listed)} of {formats.number(listable)} "
        f"items, by category and day: {formats.number(listable - listed)} more are not listed "
        f"here ({elsewhere})."
    )


def title_lines(
    dataset: Dataset, viewer: str, viewer_name: str, filters: Filters, customer: str
) -> tuple[tuple[str, object], ...]:
    """The title block: whose, what it covers in words, as of when, made when and by whom."""
    contracts = dataset.run("contracts", viewer, replace(filters, contract=None, package=None))
    packages = dataset.run("packages", viewer, replace(filters, package=None))
    return (
        ("Customer", customer),
        ("Workspaces", _workspaces(dataset, viewer, filters)),
        ("Contract", _contract(contracts, filters.contract)),
        ("Package", _package(packages, filters.package)),
        ("Package status", STATUS_WORDS[filters.status]),
        ("Activity dates", _activity_dates(dataset.as_of, filters, contracts, packages)),
        ("Data as of", dataset.as_of),
        ("Made", datetime.now(UTC)),
        ("Prepared by", viewer_name),
    )


def _workspaces(dataset: Dataset, viewer: str, filters: Filters) -> str:
    scope = Filters(customer=filters.customer)  # an account manager's: that customer's only
    rows = dataset.run("workspaces", viewer, scope).select("workspace_id", "name")
    names = dict(rows.iter_rows())
    if not filters.workspaces:
        return "All workspaces you can open: " + ", ".join(sorted(names.values()))
    return ", ".join(
        sorted(names.get(w, "a workspace you cannot open") for w in filters.workspaces)
    )


def _contract(contracts: pl.DataFrame, picked: str | None) -> str:
    if picked is None:
        return "All contracts in these workspaces"
    rows = contracts.filter(pl.col("contract_id") == picked)
    if rows.is_empty():
        return "A contract you cannot see"
    return f"{rows.item(0, 'contract_number')} · {rows.item(0, 'name')}"


def _package(packages: pl.DataFrame, picked: str | None) -> str:
    if picked is None:
        return "All packages"
    rows = packages.filter(pl.col("package_id") == picked)
    if rows.is_empty():
        return "A package you cannot see"
    return f"{rows.item(0, 'contract_number')} · {rows.item(0, 'name')} ({rows.item(0, 'state')})"


def _activity_dates(
    as_of: date, filters: Filters, contracts: pl.DataFrame, packages: pl.DataFrame
) -> str:
    """The activity dates as the sidebar's Range names them, with the days themselves."""
    if not filters.dated:
        return "Every date"
    spans = date_ranges.ranges(
        as_of,
        contract=date_ranges.term(contracts, "contract_id", filters.contract),
        package=date_ranges.term(packages, "package_id", filters.package),
    )
    name = date_ranges.matching(spans, filters.dates)
    days = formats.days(filters.date_from, filters.date_to)
    if name == date_ranges.PICKED:
        return days[:1].upper() + days[1:]
    return f"{date_ranges.LABELS[name]} ({days})"


def in_unit(quantity_kind: str, unit: str | None) -> str:
    """The kind a QUANTITY cell of `unit` is written as: a count for units counted one by one,
    an amount otherwise."""
    if quantity_kind != QUANTITY:
        return quantity_kind
    return COUNT if unit in WHOLE_UNITS else AMOUNT


# What changed since the last meeting's snapshot (dashboard.query.changes), in the pack's words
CHANGED_SHEET = "Changed since"
CHANGED_FIGURES = "What changed"  # the heading of its headline lines
CHANGED_ENTITLEMENTS = (
    Column("change", "Change"),
    Column("contract_number", "Contract"),
    Column("package_name", "Package"),
    Column("name", "Entitlement"),
    Column("unit", "Unit"),
    _quantity("used_then", "Used then"),
    _quantity("used_now", "Used now"),
    _quantity("used_since", "Used since"),
    _quantity("remaining_then", "Remaining then"),
    _quantity("remaining_now", "Remaining now"),
    Column("status_then", "Status then"),
    Column("status_now", "Status now"),
)
CHANGED_CONTRACTS = (
    Column("contract_number", "Contract"),
    Column("name", "Name"),
    Column("change", "Change"),
    Column("state_then", "State then"),
    Column("state_now", "State now"),
    Column("days_left_then", "Days left then", COUNT),
    Column("days_left_now", "Days left now", COUNT),
    Column("end_date", "Ends", DAY),
)
CHANGED_CASES = (
    Column("reason", "Reason"),
    Column("then", "Then", COUNT),
    Column("now", "Now", COUNT),
    Column("change", "Change", COUNT),
)
ALL_CASES = "All additional cases"
NAMED = 3  # the entitlements a headline line names; its table lists every one
USED_SINCE_NOTE = (
    "Used since is used now less used then, over the entitlements in both: a new one's use "
    "before the snapshot is not known. Remaining is what was purchased less what was used and "
    "scheduled."
)
OVER_NOTE = "Remaining below zero is how far use and what is scheduled went past the purchase."
NO_LIMIT_NOTE = "An entitlement with no purchased quantity has no remaining and no forecast."
TWO_REASONS = (
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
    lines = (
        ("Compared with", f"Snapshot #{snapshot.id}, kept {kept} ({_reason(snapshot.reason)})"),
        ("Data as of", f"{then} → {now}"),
    )
    about = (
        f"Then is what snapshot #{snapshot.id} kept of this pack's scope, on the data of {then}; "
        f"now is the data of {now}, as you may see it today. Both cover the whole term, "
        "whatever the activity dates."
    )
    return ChangedSince(
        heading=f"Changed since snapshot #{snapshot.id} (data as of {then})",
        lines=lines,
        notes=tuple(n for n in (about, _unseen_note(found.unseen)) if n),
        figures=_changed_figures(found),
        entitlements=_table(
            CHANGED_SHEET,
            "Entitlements, status changes and new ones first",
            CHANGED_ENTITLEMENTS,
            _worded(found.entitlements, "change", "status_then", "status_now"),
            _entitlement_notes(found.entitlements),
        ),
        contracts=_table(
            CHANGED_SHEET,
            "Contracts, changed ones first",
            CHANGED_CONTRACTS,
            _worded(found.contracts, "change", "state_then", "state_now"),
        ),
        cases=_table(
            CHANGED_SHEET,
            "Additional cases, per reason",
            CHANGED_CASES,
            _case_rows(found.cases),
            (_meanings(found.cases), _two_reasons(found.cases)),
        ),
    )


def _reason(code: str) -> str:
    return snapshots.REASONS.get(code, code)


def _unseen_note(unseen: int) -> str:
    """What the comparison leaves out: what of the snapshot the viewer may no longer see."""
    if not unseen:
        return ""
    verb = "is" if unseen == 1 else "are"
    return (
        f"{formats.number(unseen)} of the snapshot's entitlements and contracts {verb} no longer "
        f"visible to you and {verb} left out."
    )


def _worded(frame: pl.DataFrame, *names: str) -> pl.DataFrame:
    """`frame` with the words of `names` starting with a capital, as the pack's other tables
    write statuses (an empty change stays empty)."""
    return frame.with_columns(export.worded(pl.col(name)) for name in names)


def _entitlement_notes(entitlements: pl.DataFrame) -> tuple[str, ...]:
    remaining = pl.concat([entitlements["remaining_then"], entitlements["remaining_now"]])
    over = OVER_NOTE if (remaining < 0).any() else ""
    no_limit = NO_LIMIT_NOTE if entitlements["purchased_now"].is_null().any() else ""
    return tuple(n for n in (USED_SINCE_NOTE, over, no_limit) if n)


def _two_reasons(cases: pl.DataFrame) -> str:
    """TWO_REASONS, when the reasons do add up to more than all additional cases."""
    is_all = pl.col("reason") == "all"
    reasons = cases.filter(~is_all).select("then", "now").sum().row(0)
    every = cases.filter(is_all).select("then", "now").sum().row(0)
    more = any(r > e for r, e in zip(reasons, every, strict=True))
    return TWO_REASONS if more else ""


def _case_rows(cases: pl.DataFrame) -> pl.DataFrame:
    """The cases per reason, each reason by its label."""
    labels = {code: label for code, (label, _) in ADDITIONAL_REASONS.items()}
    code = pl.col("reason")
    return cases.with_columns(
        pl.when(code == "all")
        .then(pl.lit(ALL_CASES))
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
            said.append(f"{label}: {meaning}.")
    return " ".join(said)


def _changed_figures(found: changes.Changes) -> tuple[Figure, ...]:
    """The headline lines: the use since per unit, the entitlements whose status changed and
    the new ones, the additional cases raised since, the contracts ended and renewed."""
    figures = [_used_since(found.used_since, unit) for unit in _units(found.used_since)]
    changed = found.status_changed
    figures.append(
        Figure("Entitlements whose status changed", changed.height, _status_note(changed))
    )
    new = found.entitlements.filter(pl.col("change") == changes.NEW)
    if new.height:
        figures.append(Figure("Entitlements new since", new.height, _names(new)))
    cases = dict(zip(found.cases["reason"], found.cases.select("then", "now").rows(), strict=True))
    then_all, now_all = cases.get("all", (0, 0))
    said = (
        f"Raised after {formats.day(found.snapshot.as_of)}, the snapshot's as-of day; "
        f"{formats.number(then_all)} then and {formats.number(now_all)} now in all."
    )
    figures.append(Figure("Additional cases raised since", found.raised_since, said))
    parts = found.contracts.get_column("change").str.split("; ")
    ended = found.contracts.filter(parts.list.contains(changes.ENDED))
    figures.append(
        Figure("Contracts ended", ended.height, ", ".join(ended.get_column("contract_number")))
    )
    renewals = [
        f"{number} {part}"
        for number, words in zip(found.contracts["contract_number"], parts, strict=True)
        for part in words
        if part.startswith(changes.RENEWED)
    ]
    figures.append(Figure("Contracts renewed", len(renewals), "; ".join(renewals)))
    return tuple(figures)


def _units(used_since: pl.DataFrame) -> list[str]:
    """The units used since, hours first."""
    return sorted(set(used_since.get_column("unit")), key=lambda unit: (unit != "hours", unit))


def _used_since(used_since: pl.DataFrame, unit: str) -> Figure:
    """The use since of `unit`, and of each category in it."""
    rows = used_since.filter(pl.col("unit") == unit).sort("used_since", descending=True)
    kind = in_unit(QUANTITY, unit)
    per_category = "; ".join(
        f"{CATEGORY_LABELS.get(category, category)} {_written(value, kind)}"
        for category, value in rows.select("category", "used_since").iter_rows()
    )
    total = float(rows.get_column("used_since").sum())
    return Figure(f"{unit.capitalize()} used since", total, per_category, kind)


def _written(value: float, kind: str) -> str:
    return formats.number(round(value)) if kind == COUNT else formats.amount(value)


def _status_note(changed: pl.DataFrame) -> str:
    """The first few entitlements whose status changed, from what to what."""
    said = [
        f"{name}: {then or 'not forecast'} → {now or 'not forecast'}"
        for name, then, now in changed.select("name", "status_then", "status_now").iter_rows()
    ]
    return _first(said)


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
    return f"{shown}; and {formats.number(more)} more, listed below" if more > 0 else shown
