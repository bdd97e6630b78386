"""What changed since a meeting snapshot (dashboard.query.snapshots): the figures it kept set
against the same scope's figures now, read through the visibility layer as the viewer sees them
today. Whatever of the snapshot the viewer may no longer see is left out and counted, never
shown: permissions are those of now, not of the day it was taken.

Per entitlement: used then and now and the use since, remaining then and now, the status then
and now. Per category and unit: the use since, summed over the entitlements in both. Per
contract: days left then and now, and whether it ended, started or was renewed since. The
additional cases per reason then and now, and those raised since the snapshot's as-of day.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import polars as pl

from dashboard.language import N_, _
from dashboard.query import snapshots
from dashboard.query.snapshots import Figures, Runner, Snapshot

# what changed, as the `change` columns hold it (and the code compares it); `worded` says it in
# the run's language
NEW = N_("new since")
STATUS_CHANGED = N_("status changed")
ENDED, STARTED, RENEWED = N_("ended"), N_("started"), "renewed by"
RENEWED_BY = N_("renewed by {contracts}")  # RENEWED and the contracts that renew it
# the per-entitlement table's columns, in order (the CLI's CSV and the pack's sheet)
ENTITLEMENT_COLUMNS = (
    "change",
    "contract_number",
    "package_name",
    "name",
    "category",
    "unit",
    "used_then",
    "used_now",
    "used_since",
    "remaining_then",
    "remaining_now",
    "status_then",
    "status_now",
    "purchased_then",
    "purchased_now",
    "entitlement_id",
)
CONTRACT_COLUMNS = (
    "change",
    "contract_number",
    "name",
    "state_then",
    "state_now",
    "days_left_then",
    "days_left_now",
    "end_date",
    "contract_id",
)


@dataclass(frozen=True)
class Changes:
    snapshot: Snapshot
    as_of: date  # the data's as-of day now
    entitlements: pl.DataFrame  # ENTITLEMENT_COLUMNS: changed ones first
    used_since: pl.DataFrame  # category, unit, used_then, used_now, used_since, entitlements
    contracts: pl.DataFrame  # CONTRACT_COLUMNS: changed ones first
    cases: pl.DataFrame  # reason ("all" last), then, now, change
    raised_since: int  # additional cases raised after the snapshot's as-of day
    unseen: int  # entitlements and contracts of the snapshot the viewer may no longer see

    @property
    def status_changed(self) -> pl.DataFrame:
        return self.entitlements.filter(pl.col("change") == STATUS_CHANGED)

    @property
    def same_data(self) -> bool:
        """Whether the snapshot is of the data of the same as-of day as now."""
        return self.snapshot.as_of == self.as_of


def worded(change: pl.Expr) -> pl.Expr:
    """A `change` column in the run's language, for a page or the meeting pack: each of its
    parts ("new since; renewed by K2") said in words; the same text in English."""
    renewed = _(RENEWED_BY)
    before, _placeholder, after = renewed.partition("{contracts}")
    part = pl.element()
    said = (
        pl.when(part.str.starts_with(RENEWED + " "))
        .then(pl.lit(before) + part.str.slice(len(RENEWED) + 1) + pl.lit(after))
        .otherwise(part.replace({w: _(w) for w in (NEW, STATUS_CHANGED, ENDED, STARTED)}))
    )
    return change.str.split("; ").list.eval(said).list.join("; ")


def since(
    run: Runner, snapshot: Snapshot, then: Figures, as_of: date, now: Figures | None = None
) -> Changes:
    """What changed in `snapshot`'s scope between `then` (its figures) and `now` (the figures
    of the data of `as_of`, read with `run` unless given), as `run`'s viewer sees it now."""
    scope = snapshot.scope
    now = now or snapshots.figures(run, scope)
    entitlements, unseen_e = _entitlements(run, scope, then.entitlements, now.entitlements)
    contracts, unseen_c = _contracts(run, scope, then.contracts, now.contracts)
    raised = 0
    if as_of > snapshot.as_of:
        after = replace(scope, date_from=snapshot.as_of + timedelta(days=1))
        raised = int(run("additional_case_count", after, reasons=(), service=None).item(0, 0))
    return Changes(
        snapshot=snapshot,
        as_of=as_of,
        entitlements=entitlements,
        used_since=_used_since(entitlements),
        contracts=contracts,
        cases=_cases(then.cases, now.cases),
        raised_since=raised,
        unseen=unseen_e + unseen_c,
    )


def _entitlements(
    run: Runner, scope, then: pl.DataFrame, now: pl.DataFrame
) -> tuple[pl.DataFrame, int]:
    """Then and now side by side, and how many of then the viewer may no longer see. One that
    left the scope (its package ended, with active packages picked) is found among every
    package the viewer may see, and shown as it is now."""
    gone = then.filter(~pl.col("entitlement_id").is_in(now["entitlement_id"].implode()))
    if not gone.is_empty():
        anywhere = snapshots.entitlements(run, replace(scope, status="all"))
        now = pl.concat(
            [now, anywhere.filter(pl.col("entitlement_id").is_in(gone["entitlement_id"].implode()))]
        )
    unseen = then.filter(~pl.col("entitlement_id").is_in(now["entitlement_id"].implode())).height
    named = ("contract_number", "package_name", "name", "category", "unit")
    joined = now.join(
        then.filter(pl.col("entitlement_id").is_in(now["entitlement_id"].implode())),
        on="entitlement_id",
        how="left",
        suffix="_then",
    )
    figures = ("purchased", "used", "remaining", "status")
    table = joined.select(
        "entitlement_id",
        *named,
        *(pl.col(f"{f}_then") for f in figures),
        *(pl.col(f).alias(f"{f}_now") for f in figures),
        pl.col("contract_id_then").is_null().alias("new"),
    ).with_columns((pl.col("used_now") - pl.col("used_then")).alias("used_since"))
    change = (
        pl.when(pl.col("new"))
        .then(pl.lit(NEW))
        .when(pl.col("status_then").ne_missing(pl.col("status_now")))
        .then(pl.lit(STATUS_CHANGED))
        .otherwise(pl.lit(""))
    )
    table = table.with_columns(change.alias("change"))
    ordered = table.sort(
        pl.col("change") == "", "contract_number", "package_name", "name", "entitlement_id"
    )
    return ordered.select(ENTITLEMENT_COLUMNS), unseen


def _used_since(entitlements: pl.DataFrame) -> pl.DataFrame:
    """The use since per category and unit, over the entitlements in both (a new one's use
    before the snapshot is not known)."""
    both = entitlements.filter(pl.col("change") != NEW)
    return (
        both.group_by("category", "unit")
        .agg(
            pl.col("used_then").sum(),
            pl.col("used_now").sum(),
            pl.col("used_since").sum(),
            pl.len().alias("entitlements"),
        )
        .sort("category", "unit")
    )


def _contracts(
    run: Runner, scope, then: pl.DataFrame, now: pl.DataFrame
) -> tuple[pl.DataFrame, int]:
    """Then and now side by side, with what happened to each; how many of then the viewer may
    no longer see."""
    unseen = then.filter(~pl.col("contract_id").is_in(now["contract_id"].implode())).height
    known = then["contract_id"].to_list()
    renewals = (
        now.filter(~pl.col("contract_id").is_in(known) & pl.col("renews_contract_id").is_in(known))
        .group_by("renews_contract_id")
        .agg(pl.col("contract_number").sort().str.join(", ").alias("renewed_by"))
        .rename({"renews_contract_id": "contract_id"})
    )
    joined = (
        now.join(
            then.select("contract_id", "state", "days_left"),
            on="contract_id",
            how="left",
            suffix="_then",
        )
        .join(renewals, on="contract_id", how="left")
        .with_columns(pl.col("contract_id").is_in(known).not_().alias("new"))
    )
    words = pl.concat_str(
        [
            pl.when(pl.col("new")).then(pl.lit(NEW)),
            pl.when(~pl.col("new") & (pl.col("state_then") != pl.col("state"))).then(
                pl.when(pl.col("state") == "expired").then(pl.lit(ENDED)).otherwise(pl.lit(STARTED))
            ),
            pl.when(pl.col("renewed_by").is_not_null()).then(
                pl.lit(RENEWED + " ") + pl.col("renewed_by")
            ),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    table = joined.with_columns(
        words.alias("change"),
        pl.col("state").alias("state_now"),
        pl.col("days_left").alias("days_left_now"),
    )
    ordered = table.sort(
        pl.col("change") == "",
        pl.col("end_date"),
        "contract_number",
        descending=[False, True, False],
    )
    return ordered.select(CONTRACT_COLUMNS), unseen


def _cases(then: dict[str, int], now: dict[str, int]) -> pl.DataFrame:
    """The additional cases per reason then and now ("all" last)."""
    reasons = sorted((set(then) | set(now)) - {"all"}) + ["all"]
    return pl.DataFrame(
        {
            "reason": reasons,
            "then": [then.get(r, 0) for r in reasons],
            "now": [now.get(r, 0) for r in reasons],
        },
        schema={"reason": pl.String, "then": pl.Int64, "now": pl.Int64},
    ).with_columns((pl.col("now") - pl.col("then")).alias("change"))
