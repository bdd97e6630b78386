"""Granting and revoking roles from the app, within the granter's reach.

A customer admin may change roles in every workspace of their customer, a workspace admin in
their workspaces; nobody may grant themselves anything new, and an account manager (one of the
support provider's staff) changes nothing. The app's Manage access and the command line's
`access` both change roles through `change`. The checks read the visibility
layer as the granter, so they follow exactly the rules every page follows.
"""

from __future__ import annotations

import polars as pl

from dashboard import words
from dashboard.ingest.schema import ROLES
from dashboard.language import _
from dashboard.query import access_store
from dashboard.query.dataset import Dataset
from dashboard.query.state_store import StateUnavailable
from dashboard.text import quoted

# each role as people read it, in English, for those that still import it (in the run's
# language: dashboard.words.role)
ROLE_LABELS = dict(words.ROLES)


class AccessRefused(Exception):
    """The change is outside the granter's reach or makes no sense; str() says why."""


def reach(dataset: Dataset, by_user: str) -> pl.DataFrame:
    """The workspaces `by_user` may change roles in."""
    return dataset.run("workspaces", by_user).filter(pl.col("is_admin"))


def _is_account_manager(dataset: Dataset, user_id: str) -> bool:
    found = dataset.run("viewer", user_id)
    return bool(found.height and found.item(0, "is_account_manager"))


def in_workspace(dataset: Dataset, by_user: str, user_id: str, workspace_id: str) -> bool:
    """Whether `user_id` is in `workspace_id` as Manage access lists it for `by_user`: a member
    of it, or holding a role in it."""
    listed = dataset.run("access_people", by_user).filter(
        (pl.col("user_id") == user_id) & (pl.col("workspace_id") == workspace_id)
    )
    return not listed.is_empty()


def change(
    dataset: Dataset, by_user: str, user_id: str, workspace_id: str, role: str, action: str
) -> int:
    """Grant or revoke `role` for `user_id` in `workspace_id` as `by_user`; return the change's
    number once it is safely recorded. AccessRefused when the rules forbid it;
    state_store.StateUnavailable, with nothing changed, when the state cannot be reached."""
    try:
        return _change(dataset, by_user, user_id, workspace_id, role, action)
    except StateUnavailable as problem:  # in the checks' reads, or the write itself
        raise problem.in_a_change() from None


def _change(
    dataset: Dataset, by_user: str, user_id: str, workspace_id: str, role: str, action: str
) -> int:
    if role not in ROLES:
        roles = ", ".join(words.role(r) for r in ROLES)
        said = _("{role} is not a role that can be granted ({roles})")
        raise AccessRefused(said.format(role=quoted(role), roles=roles))
    if action not in access_store.ACTIONS:
        raise AccessRefused(_("{action} is neither grant nor revoke").format(action=quoted(action)))
    if _is_account_manager(dataset, by_user):
        raise AccessRefused(
            _(
                "an account manager grants and revokes no role: a customer's admins and its "
                "workspaces' admins do"
            )
        )
    workspaces = reach(dataset, by_user)
    if workspace_id not in workspaces.get_column("workspace_id").to_list():
        raise AccessRefused(_("you cannot change roles in this workspace"))
    workspace = workspaces.filter(pl.col("workspace_id") == workspace_id).item(0, "name")
    people = dataset.run("people", by_user).filter(pl.col("user_id") == user_id)
    if people.is_empty():
        raise AccessRefused(_("the person chosen is not a person of your organisation"))
    name = people.item(0, "display_name")
    if action == "grant" and user_id == by_user:
        raise AccessRefused(_("you cannot grant yourself a role: ask another admin"))
    held = dataset.run("access_people", by_user).filter(
        (pl.col("user_id") == user_id) & (pl.col("workspace_id") == workspace_id)
    )
    holds = bool(held.height and held.item(0, role))
    held_as = {"name": name, "role": words.role(role), "workspace": workspace}
    if action == "grant" and holds:
        raise AccessRefused(
            _("{name} already holds the {role} role in {workspace}").format(**held_as)
        )
    if action == "revoke" and not holds:
        raise AccessRefused(
            _("{name} does not hold the {role} role in {workspace}").format(**held_as)
        )
    return access_store.record(dataset.home, by_user, user_id, workspace_id, role, action)
