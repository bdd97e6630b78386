"""The four viewers the benchmark looks through: a customer admin over all their workspaces,
a user of one median workspace, a user of the largest workspace (sized by usage rows), and the
account manager with the most customers, on My customers and on the pages of the largest of
them."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from benchmarks.naive import Scope
from dashboard.query.dataset import Dataset
from dashboard.query.filters import LINK, Filters


@dataclass(frozen=True)
class Viewpoint:
    label: str
    user: str
    filters: Filters
    params: dict  # the same filters as the app's query string
    contract: str | None  # the largest active contract in view, for one-contract pages
    usage_rows: int  # usage rows in the workspaces in view
    scope: Scope
    account_manager: bool = False  # opens My customers too, and one customer's pages
    book_usage_rows: int = 0  # an account manager's: usage rows of every customer they serve


def _usage_by_workspace(dataset: Dataset) -> pl.DataFrame:
    con = duckdb.connect()
    folder = dataset.folder
    return con.sql(
        f"""
        SELECT w.workspace_id, w.customer_id, count(u.workspace_id) AS rows
        FROM read_parquet('{folder}/workspaces.parquet') AS w
        LEFT JOIN (
            SELECT workspace_id FROM read_parquet('{folder}/cases.parquet')
            UNION ALL
            SELECT k.workspace_id FROM read_parquet('{folder}/deliveries.parquet') AS d
            JOIN read_parquet('{folder}/entitlements.parquet') AS e USING (entitlement_id)
            JOIN read_parquet('{folder}/packages.parquet') AS p USING (package_id)
            JOIN read_parquet('{folder}/contracts.parquet') AS k USING (contract_id)
        ) AS u USING (workspace_id)
        GROUP BY ALL ORDER BY rows, w.workspace_id
        """
    ).pl()


def _sole_user(dataset: Dataset, customer: str, workspace: str) -> str | None:
    """A user who can open exactly this workspace (not a customer admin), if there is one."""
    users = (
        duckdb.connect()
        .sql(
            f"SELECT user_id FROM read_parquet('{dataset.folder}/users.parquet') "
            "WHERE customer_id = $c AND NOT is_customer_admin ORDER BY user_id",
            params={"c": customer},
        )
        .fetchall()
    )
    for (user,) in users:
        if dataset.run("viewer", user).get_column("openable_workspaces").to_list() != [1]:
            continue
        if dataset.run("workspaces", user).get_column("workspace_id").to_list() == [workspace]:
            return user
    return None


def _admin_of(dataset: Dataset, customer: str) -> str:
    return (
        duckdb.connect()
        .sql(
            f"SELECT min(user_id) FROM read_parquet('{dataset.folder}/users.parquet') "
            "WHERE customer_id = $c AND is_customer_admin",
            params={"c": customer},
        )
        .fetchall()[0][0]
    )


def viewpoints(dataset: Dataset) -> list[Viewpoint]:
    sizes = _usage_by_workspace(dataset)
    per_customer = sizes.group_by("customer_id").agg(pl.col("rows").sum()).sort("rows")
    biggest_customer = per_customer.get_column("customer_id")[-1]
    largest = sizes.row(-1, named=True)
    median = sizes.row(sizes.height // 2, named=True)
    found = [
        _viewpoint(
            dataset,
            "customer admin, all workspaces",
            _admin_of(dataset, biggest_customer),
            None,
            sizes,
        )
    ]
    for label, ws in (("median workspace", median), ("largest workspace", largest)):
        user = _sole_user(dataset, ws["customer_id"], ws["workspace_id"])
        if user is None:  # no such user in the data: its customer admin, narrowed to it
            user = _admin_of(dataset, ws["customer_id"])
            label += " (customer admin narrowed to it)"
        found.append(_viewpoint(dataset, label, user, ws["workspace_id"], sizes))
    book = _book_manager(dataset)
    if book is not None:
        found.append(_account_manager(dataset, *book, sizes))
    return found


def _book_manager(dataset: Dataset) -> tuple[str, list[str]] | None:
    """The account manager who may open the most customers on the as-of day (the first by id
    of those with as many), with those customers; None for a dataset with none."""
    path = dataset.folder / "account_managers.parquet"
    if not path.is_file():
        return None
    managers = duckdb.connect().sql(f"SELECT user_id FROM read_parquet('{path}') ORDER BY 1")
    best: tuple[str, list[str]] | None = None
    for (user,) in managers.fetchall():
        customers = dataset.run("viewer_customers", user).get_column("customer_id").to_list()
        if customers and (best is None or len(customers) > len(best[1])):
            best = (user, customers)
    return best


def _account_manager(
    dataset: Dataset, user: str, customers: list[str], sizes: pl.DataFrame
) -> Viewpoint:
    """The account manager on the pages of the largest customer they serve (by usage rows),
    picked in the link as they pick it from My customers. Within it they see what its customer
    admin sees: every workspace, the contracts mapped to none, every support request."""
    served = sizes.filter(pl.col("customer_id").is_in(customers))
    per_customer = served.group_by("customer_id").agg(pl.col("rows").sum())
    customer = per_customer.sort(["rows", "customer_id"]).get_column("customer_id")[-1]
    filters = Filters(customer=customer)
    workspaces = tuple(dataset.run("workspaces", user, filters).get_column("workspace_id"))
    rows = served.filter(pl.col("customer_id") == customer)
    scope = Scope(
        viewer=user,
        customer_id=customer,
        is_customer_admin=True,  # naive.py: sees the contracts mapped to no workspace
        workspaces=workspaces,
        sees_all=workspaces,
        no_workspace_filter=True,
    )
    return Viewpoint(
        label=f"account manager of {len(customers)} customers",
        user=user,
        filters=filters,
        params={LINK["customer"]: customer},
        contract=_heaviest_contract(dataset, user, filters),
        usage_rows=int(rows["rows"].sum()),
        scope=scope,
        account_manager=True,
        book_usage_rows=int(served["rows"].sum()),
    )


def _heaviest_contract(dataset: Dataset, user: str, filters: Filters) -> str | None:
    """The active contract in view with the most support requests: the heaviest one-contract
    page."""
    contracts = dataset.run("active_contracts", user, filters)
    if contracts.is_empty():
        return None
    counts = (
        duckdb.connect()
        .sql(
            "SELECT contract_id, count(*) AS n "
            f"FROM read_parquet('{dataset.folder}/cases.parquet') "
            "WHERE list_contains($ids, contract_id) GROUP BY ALL ORDER BY n DESC, contract_id",
            params={"ids": contracts.get_column("contract_id").to_list()},
        )
        .fetchall()
    )
    return counts[0][0] if counts else contracts.get_column("contract_id")[0]


def _viewpoint(
    dataset: Dataset, label: str, user: str, workspace: str | None, sizes: pl.DataFrame
) -> Viewpoint:
    viewer = dataset.run("viewer", user).row(0, named=True)
    openable = dataset.run("workspaces", user)
    filters = Filters(workspaces=(workspace,) if workspace else ())
    in_view = openable.filter(pl.col("workspace_id").is_in(list(filters.workspaces)))
    in_view = in_view if filters.workspaces else openable
    contract = _heaviest_contract(dataset, user, filters)
    rows = sizes.filter(pl.col("workspace_id").is_in(in_view.get_column("workspace_id").to_list()))
    scope = Scope(
        viewer=user,
        customer_id=viewer["customer_id"],
        is_customer_admin=viewer["is_customer_admin"],
        workspaces=tuple(in_view.get_column("workspace_id")),
        sees_all=tuple(
            in_view.filter(pl.col("is_admin") | pl.col("sees_all_cases")).get_column("workspace_id")
        ),
        no_workspace_filter=not filters.workspaces,
    )
    params = {LINK["workspaces"]: list(filters.workspaces)} if filters.workspaces else {}
    return Viewpoint(label, user, filters, params, contract, int(rows["rows"].sum()), scope)
