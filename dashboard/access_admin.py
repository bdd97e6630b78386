"""Granting and revoking roles from the app, within the granter's reach.

A customer admin may change roles in every workspace of their customer, a workspace admin in
their workspaces; nobody may grant themselves anything new. The checks read the visibility
layer as the granter, so they follow exactly the rules every page follows.
"""

from __future__ import annotations

import polars as pl

from dashboard import access_store
from dashboard.contract import ROLES
from dashboard.runner import Dataset


class AccessRefused(Exception):
    """The change is outside the granter's reach or makes no sense; str() says why."""


def reach(dataset: Dataset, by_user: str) -> pl.DataFrame:
    """The workspaces `by_user` may change roles in."""
    return dataset.run("workspaces", by_user).filter(pl.col("is_admin"))


def change(
    dataset: Dataset, by_user: str, user_id: str, workspace_id: str, role: str, action: str
) -> int:
    """Grant or revoke `role` for `user_id` in `workspace_id` as `by_user`; return the change's
    number once it is safely recorded."""
    if role not in ROLES:
        raise AccessRefused(f"{role!r} is not a role that can be granted ({', '.join(ROLES)})")
    if action not in access_store.ACTIONS:
        raise AccessRefused(f"{action!r} is neither grant nor revoke")
    if workspace_id not in reach(dataset, by_user).get_column("workspace_id").to_list():
        raise AccessRefused(f"you cannot change roles in workspace {workspace_id!r}")
    people = dataset.run("people", by_user).get_column("user_id").to_list()
    if user_id not in people:
        raise AccessRefused(f"{user_id!r} is not a person of your organisation")
    if action == "grant" and user_id == by_user:
        raise AccessRefused("you cannot grant yourself a role: ask another admin")
    held = dataset.run("access_people", by_user).filter(
        (pl.col("user_id") == user_id) & (pl.col("workspace_id") == workspace_id)
    )
    holds = bool(held.height and held.item(0, role))
    if action == "grant" and holds:
        raise AccessRefused(f"{user_id} already holds {role} there")
    if action == "revoke" and not holds:
        raise AccessRefused(f"{user_id} does not hold {role} there")
    return access_store.record(dataset.home, by_user, user_id, workspace_id, role, action)
