"""The Enterprise-wide page's figures computed the naive way, as a typical Streamlit script does
it on every rerun: pandas `read_parquet` of the tables, boolean masks, `groupby`.

Written from the data contract, independently of the SQL, so that agreeing with the app's
results is a check on both. `Scope` carries what the naive script is given about the viewer
(who they are, which workspaces they may open and where they see every case).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Scope:
    viewer: str
    customer_id: str
    is_customer_admin: bool
    workspaces: tuple[str, ...]  # the workspaces in view (the filter, or every openable one)
    sees_all: tuple[str, ...]  # of those, where the viewer sees every case
    no_workspace_filter: bool  # a customer admin with no workspace picked also sees unmapped


def _read(folder: Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    return pd.read_parquet(folder / f"{table}.parquet", columns=columns)


def enterprise_page(folder: Path, as_of: date, scope: Scope) -> dict[str, pd.DataFrame]:
    day = pd.Timestamp(as_of)
    contracts = _read(folder, "contracts")
    contracts = contracts[contracts.customer_id == scope.customer_id]
    mapped = contracts.workspace_id.isin(scope.workspaces)
    unmapped = contracts.workspace_id.isna() & scope.no_workspace_filter & scope.is_customer_admin
    contracts = contracts[mapped | unmapped]
    start, end = pd.to_datetime(contracts.start_date), pd.to_datetime(contracts.end_date)
    active = contracts[(start <= day) & (end >= day)].copy()
    active["days_left"] = (pd.to_datetime(active.end_date) - day).dt.days

    packages = _read(folder, "packages")
    packages = packages[packages.contract_id.isin(active.contract_id)]
    p_start, p_end = pd.to_datetime(packages.start_date), pd.to_datetime(packages.end_date)
    packages = packages[(packages.scope == "enterprise") & (p_start <= day) & (p_end >= day)]
    entitlements = _read(folder, "entitlements")
    entitlements = entitlements[
        entitlements.package_id.isin(packages.package_id) & (entitlements.kind == "consumable")
    ]
    events = _events(folder, entitlements)
    used = events.groupby("entitlement_id")["used"].sum()
    scheduled = _read(folder, "deliveries", ["entitlement_id", "status", "quantity"])
    scheduled = scheduled[
        (scheduled.status == "scheduled")
        & scheduled.entitlement_id.isin(
            entitlements.entitlement_id[entitlements.category.isin(["proactive", "credits"])]
        )
    ]
    scheduled = scheduled.groupby("entitlement_id")["quantity"].sum()
    contacts = _read(folder, "contacts")
    headcount = entitlements.entitlement_id[entitlements.category == "contacts"]
    contacts = contacts[
        contacts.entitlement_id.isin(headcount)
        & (contacts.removed_on.isna() | (pd.to_datetime(contacts.removed_on) > day))
    ]
    figures = entitlements.set_index("entitlement_id")[["category", "unit", "purchased"]].copy()
    figures["used"] = used.reindex(figures.index).fillna(0)
    figures["used"] += contacts.groupby("entitlement_id").size().reindex(figures.index).fillna(0)
    figures["scheduled"] = scheduled.reindex(figures.index).fillna(0)
    remaining = figures.purchased - figures.used - figures.scheduled
    # one contract's remaining never offsets another's overage: summed apart
    figures["remaining"] = remaining.clip(lower=0)
    figures["overage"] = (-remaining).clip(lower=0)
    summed = ["purchased", "used", "scheduled", "remaining", "overage"]
    consumption = figures.groupby(["category", "unit"])[summed].sum(min_count=1).reset_index()
    consumption["overage"] = consumption.overage.fillna(0)
    events["month"] = events.day.dt.to_period("M").dt.to_timestamp()
    meta = entitlements.set_index("entitlement_id")[["category", "unit"]]
    events = events.join(meta, on="entitlement_id")
    monthly = events.groupby(["month", "category", "unit"])["used"].sum().reset_index()
    return {
        "active_contracts": active[["contract_id", "days_left"]],
        "enterprise_consumption": consumption,
        "monthly_consumption": monthly.rename(columns={"used": "amount"}),
        "support_request_counts": _case_counts(folder, scope),
    }


def _events(folder: Path, entitlements: pd.DataFrame) -> pd.DataFrame:
    """Every dated row of consumption of these entitlements: entitlement_id, day, used."""
    by = entitlements.set_index("entitlement_id").category
    cases = _read(folder, "cases", ["entitlement_id", "created_at", "hours"])
    cases = cases[cases.entitlement_id.isin(by.index[by.isin(["reactive", "advisory"])])]
    deliveries = _read(folder, "deliveries", ["entitlement_id", "date", "status", "quantity"])
    deliveries = deliveries[
        deliveries.entitlement_id.isin(by.index[by.isin(["proactive", "credits"])])
        & (deliveries.status == "delivered")
    ]
    enrollments = _read(folder, "enrollments")
    enrollments = enrollments[
        enrollments.entitlement_id.isin(by.index[by == "education"])
        & (enrollments.status != "cancelled")
    ]
    assessments = _read(folder, "assessments")
    assessments = assessments[
        assessments.entitlement_id.isin(by.index[by == "assessments"])
        & (assessments.status != "cancelled")
    ]
    assessed_on = assessments.started_on.fillna(assessments.completed_on)
    opened = cases.created_at.dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    parts = [
        pd.DataFrame({"entitlement_id": cases.entitlement_id, "day": opened, "used": cases.hours}),
        pd.DataFrame(
            {
                "entitlement_id": deliveries.entitlement_id,
                "day": pd.to_datetime(deliveries.date),
                "used": deliveries.quantity,
            }
        ),
        pd.DataFrame(
            {
                "entitlement_id": enrollments.entitlement_id,
                "day": pd.to_datetime(enrollments.enrolled_on),
                "used": 1.0,
            }
        ),
        pd.DataFrame(
            {
                "entitlement_id": assessments.entitlement_id,
                "day": pd.to_datetime(assessed_on),
                "used": 1.0,
            }
        ),
    ]
    return pd.concat(parts, ignore_index=True)


def _case_counts(folder: Path, scope: Scope) -> pd.DataFrame:
    cases = _read(folder, "cases", ["case_id", "workspace_id", "primary_contact_id"])
    cases = cases[cases.workspace_id.isin(scope.workspaces)]
    shares = _read(folder, "case_shares")
    groups = _read(folder, "groups")
    members = _read(folder, "group_members")
    access = _read(folder, "group_case_access")
    mine = members[members.user_id == scope.viewer].group_id
    mine = groups[groups.group_id.isin(mine) & (groups.customer_id == scope.customer_id)].group_id
    group_workspaces = access[access.group_id.isin(mine)].workspace_id
    visible = (
        cases.workspace_id.isin(scope.sees_all)
        | (cases.primary_contact_id == scope.viewer)
        | cases.case_id.isin(shares[shares.user_id == scope.viewer].case_id)
        | cases.workspace_id.isin(group_workspaces)
    )
    return pd.DataFrame(
        {
            "in_view": [len(cases)],
            "visible": [int(visible.sum())],
            "hidden": [len(cases) - int(visible.sum())],
        }
    )
