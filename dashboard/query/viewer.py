"""What a viewer may open, checked through the visibility layer before anything is shown.

Filters requested in a link or on the command line are fitted to what the viewer may see:
values the viewer may not see, or that do not exist, are dropped with a notice saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import polars as pl
from babel.dates import format_date

from dashboard import words
from dashboard.language import _, current, ngettext
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from dashboard.text import quoted


class AccessDenied(Exception):
    """The viewer can open the dashboard nowhere, or is not a user of this dataset."""


class NoCustomerAssigned(AccessDenied):
    """An account manager with no assignment active on the as-of day."""


@dataclass(frozen=True)
class Viewer:
    user_id: str
    display_name: str
    is_customer_admin: bool
    is_account_manager: bool
    customers: pl.DataFrame  # the customers the viewer may open (query `viewer_customers`)
    # The customer in view: a customer user's own; for an account manager the one picked, or
    # the only one they may open. None: an account manager with several and none picked.
    customer_id: str | None
    customer_name: str
    workspaces: pl.DataFrame  # the workspaces the viewer can open there (query `workspaces`)

    @property
    def needs_customer(self) -> bool:
        """Whether a page other than the portfolio must first ask which customer."""
        return self.customer_id is None

    @property
    def scope(self) -> Filters:
        """No filter but the customer in view: what a query of the whole customer runs with."""
        return Filters(customer=self.customer_id if self.is_account_manager else None)


Run = Callable[[str, Filters], pl.DataFrame]  # runs a query as the viewer


def viewer_of(
    dataset: Dataset, user_id: str, run: Run | None = None, customer: str | None = None
) -> Viewer:
    """Who `user_id` is and where they may open the dashboard, in the customer `customer` for an
    account manager (ignored for a customer user: they have one); `run(name, filters)` runs a
    query as them (the app passes its cached runner: this happens on every rerun). A customer
    the account manager may not open is refused like no access at all: callers fit a link's
    customer first (fit_customer)."""
    run = run or (lambda name, filters: dataset.run(name, user_id, filters))
    found = run("viewer", Filters())
    if found.is_empty():
        raise AccessDenied(_("there is no user {user} in this dataset").format(user=repr(user_id)))
    person = found.row(0, named=True)
    name = person["display_name"]
    if person["is_account_manager"]:
        if person["customers"] == 0:
            raise NoCustomerAssigned(
                _(
                    "{name} is an account manager with no customer assigned on {day}: an "
                    "assignment that has started and not ended opens a customer's data"
                ).format(name=name, day=_long_day(dataset.as_of))
            )
        customers = run("viewer_customers", Filters())
        if customer is not None and customer not in customers.get_column("customer_id"):
            raise AccessDenied(
                _("{name} may not open customer {customer}").format(
                    name=name, customer=quoted(customer)
                )
            )
        if customer is None and customers.height == 1:
            customer = customers.item(0, "customer_id")
        scope = Filters(customer=customer)
        person = run("viewer", scope).row(0, named=True) if customer else person
    else:
        customers = run("viewer_customers", Filters())
        scope = Filters()
        if person["openable_workspaces"] == 0:
            raise AccessDenied(
                _(
                    "{name} can open the dashboard in no workspace: a customer admin, or a "
                    "workspace admin of the workspace, can grant the {role} role"
                ).format(name=name, role=words.role("customer_activity"))
            )
    return Viewer(
        user_id=user_id,
        display_name=name,
        is_customer_admin=person["is_customer_admin"],
        is_account_manager=person["is_account_manager"],
        customers=customers,
        customer_id=scope.customer if person["is_account_manager"] else person["customer_id"],
        customer_name=person["customer_name"] or "",
        workspaces=run("workspaces", scope),
    )


def _long_day(day: date) -> str:
    """A day written out, as `%d %B %Y` writes it in English (05 December 2026), in the run's
    language (05 grudnia 2026)."""
    return format_date(day, "dd MMMM yyyy", locale=current())


def fit_customer(viewer: Viewer, wanted: str | None) -> tuple[str | None, list[str]]:
    """The customer a link asks for, fitted to the viewer: dropped with a notice when the viewer
    is a customer user (who has one customer and no customer filter) or an account manager who
    may not open it."""
    if wanted is None:
        return None, []
    if not viewer.is_account_manager:
        return None, [_("the customer filter is for account managers only")]
    if wanted not in viewer.customers.get_column("customer_id"):
        return None, [_("customer {customer} is not one you serve").format(customer=quoted(wanted))]
    return wanted, []


def fit_filters(run: Run, viewer: Viewer, wanted: Filters) -> tuple[Filters, list[str]]:
    """Drop from `wanted` what the viewer may not see or what does not exist, saying what."""
    notices = []
    wanted = replace(wanted, customer=viewer.scope.customer)  # fitted with the viewer
    openable = set(viewer.workspaces.get_column("workspace_id").to_list())
    unknown = [w for w in wanted.workspaces if w not in openable]
    if unknown:
        shown = ", ".join(quoted(w) for w in unknown)
        # one message, with a plural form for several workspaces (the same in English)
        said = ngettext(
            "workspace {workspaces} is not one you can open",
            "workspace {workspaces} is not one you can open",
            len(unknown),
        )
        notices.append(said.format(workspaces=shown))
    fitted = replace(wanted, workspaces=tuple(w for w in wanted.workspaces if w in openable))
    if fitted.contract:
        contracts = run("contracts", replace(fitted, contract=None, package=None))
        if fitted.contract not in contracts.get_column("contract_id").to_list():
            said = _("contract {contract} is not one you can see in these workspaces")
            notices.append(said.format(contract=quoted(fitted.contract)))
            fitted = replace(fitted, contract=None)
    if fitted.package:
        packages = run("packages", replace(fitted, package=None))
        if fitted.package not in packages.get_column("package_id").to_list():
            said = _("package {package} is not one you can see in this selection")
            notices.append(said.format(package=quoted(fitted.package)))
            fitted = replace(fitted, package=None)
    return fitted, notices
