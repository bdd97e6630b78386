"""What a viewer may open, checked through the visibility layer before anything is shown.

Filters requested in a link or on the command line are fitted to what the viewer may see:
values the viewer may not see, or that do not exist, are dropped with a notice saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import polars as pl

from dashboard.query.access_admin import ROLE_LABELS
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from dashboard.text import quoted

GRANTERS = "a customer admin, or a workspace admin of the workspace"


class AccessDenied(Exception):
    """The viewer can open the dashboard nowhere, or is not a user of this dataset."""


@dataclass(frozen=True)
class Viewer:
    user_id: str
    display_name: str
    customer_name: str
    is_customer_admin: bool
    workspaces: pl.DataFrame  # the workspaces the viewer can open (query `workspaces`)


def viewer_of(
    dataset: Dataset, user_id: str, run: Callable[[str], pl.DataFrame] | None = None
) -> Viewer:
    """Who `user_id` is and where they may open the dashboard; `run(name)` runs a query as
    them (the app passes its cached runner: this happens on every rerun)."""
    run = run or (lambda name: dataset.run(name, user_id))
    found = run("viewer")
    if found.is_empty():
        raise AccessDenied(f"there is no user {user_id!r} in this dataset")
    person = found.row(0, named=True)
    if person["openable_workspaces"] == 0:
        raise AccessDenied(
            f"{person['display_name']} can open the dashboard in no workspace: "
            f"{GRANTERS}, can grant the {ROLE_LABELS['customer_activity']} role"
        )
    return Viewer(
        user_id=user_id,
        display_name=person["display_name"],
        customer_name=person["customer_name"],
        is_customer_admin=person["is_customer_admin"],
        workspaces=run("workspaces"),
    )


Run = Callable[[str, Filters], pl.DataFrame]  # runs a query as the viewer


def fit_filters(run: Run, viewer: Viewer, wanted: Filters) -> tuple[Filters, list[str]]:
    """Drop from `wanted` what the viewer may not see or what does not exist, saying what."""
    notices = []
    openable = set(viewer.workspaces.get_column("workspace_id").to_list())
    unknown = [w for w in wanted.workspaces if w not in openable]
    if unknown:
        shown = ", ".join(quoted(w) for w in unknown)
        notices.append(f"workspace {shown} is not one you can open")
    fitted = replace(wanted, workspaces=tuple(w for w in wanted.workspaces if w in openable))
    if fitted.contract:
        contracts = run("contracts", replace(fitted, contract=None, package=None))
        if fitted.contract not in contracts.get_column("contract_id").to_list():
            shown = quoted(fitted.contract)
            notices.append(f"contract {shown} is not one you can see in these workspaces")
            fitted = replace(fitted, contract=None)
    if fitted.package:
        packages = run("packages", replace(fitted, package=None))
        if fitted.package not in packages.get_column("package_id").to_list():
            shown = quoted(fitted.package)
            notices.append(f"package {shown} is not one you can see in this selection")
            fitted = replace(fitted, package=None)
    return fitted, notices
