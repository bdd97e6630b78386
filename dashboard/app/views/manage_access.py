"""Manage access: who holds which role in the workspaces you administer; grant and revoke
customer_activity, view_all_support_requests and training_manager; groups that see support
requests; and the audit trail of every change made here."""

from __future__ import annotations

import logging
from collections import Counter

import polars as pl
import streamlit as st

from dashboard import words
from dashboard.app.results import Context, page_context
from dashboard.app.tables import download, grid
from dashboard.formats import moment
from dashboard.ingest.schema import ROLES
from dashboard.language import N_, _
from dashboard.query import access_admin
from dashboard.query.state_store import StateUnavailable
from dashboard.text import inert

FLASH = "access_done"
PENDING = "access_pending"  # a grant to someone outside the workspace, to confirm
ACTIONS = {"grant": N_("Granted"), "revoke": N_("Revoked")}

log = logging.getLogger("customer_activity")


def render(ctx: Context) -> None:
    st.title(_("Manage access"))
    st.caption(
        _(
            "Changes take effect at the affected person's next interaction. Customer admins "
            "manage every workspace of their organisation, workspace admins their own "
            "workspaces."
        )
    )
    reach = access_admin.reach(ctx.dataset, ctx.viewer.user_id)
    if reach.is_empty():
        st.info(_("You administer no workspace, so there is nothing for you to manage here."))
        return
    names = dict(zip(reach["workspace_id"], reach["name"], strict=True))
    workspace = st.selectbox(_("Workspace"), list(names), format_func=names.get, key="access_ws")
    people(ctx, workspace)
    change_form(ctx, workspace, names[workspace])
    groups(ctx, workspace)
    audit(ctx)


def people(ctx: Context, workspace: str) -> None:
    st.subheader(_("People and their roles"))
    rows = ctx.run("access_people").filter(pl.col("workspace_id") == workspace)
    shown = rows.select("display_name", "email", "is_customer_admin", "is_workspace_admin", *ROLES)
    grid(shown)
    download(shown, "access_people", ctx)


def change_form(ctx: Context, workspace: str, workspace_name: str) -> None:
    st.subheader(_("Grant or revoke a role"))
    done = st.session_state.pop(FLASH, None)
    if done:
        st.success(inert(done), icon=":material/check:")
    people_frame = ctx.run("people")
    names = dict(zip(people_frame["user_id"], people_frame["display_name"], strict=True))
    shown = _told_apart(names)
    with st.form("access_change", clear_on_submit=False, border=True):
        left, middle = st.columns(2)
        user = left.selectbox(
            _("Person"),
            list(names),
            format_func=shown.get,
            index=None,
            placeholder=_("Choose a person"),
        )
        role = middle.selectbox(_("Role"), list(ROLES), format_func=words.role)
        grant_col, revoke_col = st.columns([1, 6])
        grant = grant_col.form_submit_button(_("Grant"), type="primary")
        revoke = revoke_col.form_submit_button(_("Revoke"))
    if grant or revoke:
        st.session_state.pop(PENDING, None)
        if user is None:
            st.warning(_("Choose a person first."))
            return
        outsider = not access_admin.in_workspace(ctx.dataset, ctx.viewer.user_id, user, workspace)
        if grant and outsider and user != ctx.viewer.user_id:
            st.session_state[PENDING] = (user, workspace, role)
        else:
            action = "grant" if grant else "revoke"
            _change(ctx, user, names[user], workspace, workspace_name, role, action)
            return
    _confirm(ctx, workspace, workspace_name, names)


def _confirm(ctx: Context, workspace: str, workspace_name: str, names: dict) -> None:
    """A grant to someone who is not a member of the workspace, held until confirmed."""
    pending = st.session_state.get(PENDING)
    if not pending or pending[1] != workspace:
        st.session_state.pop(PENDING, None)
        return
    user, _workspace, role = pending
    said = _(
        "{name} is not a member of {workspace}: granting them the {role} role makes them one, "
        "for this role. Grant it anyway?"
    )
    st.warning(
        inert(said.format(name=names[user], workspace=workspace_name, role=words.role(role))),
        icon=":material/person_add:",
    )
    yes_col, no_col = st.columns([1, 6])
    if yes_col.button(_("Grant anyway"), type="primary", key="access_confirm"):
        st.session_state.pop(PENDING, None)
        _change(ctx, user, names[user], workspace, workspace_name, role, "grant")
    elif no_col.button(_("Cancel"), key="access_cancel"):
        st.session_state.pop(PENDING, None)
        st.rerun()


def _change(
    ctx: Context, user: str, name: str, workspace: str, workspace_name: str, role: str, action: str
) -> None:
    try:
        access_admin.change(ctx.dataset, ctx.viewer.user_id, user, workspace, role, action)
    except access_admin.AccessRefused as refused:
        said = _("Not done: {reason}.").format(reason=refused)
        st.error(inert(said), icon=":material/block:")
        return
    except StateUnavailable as problem:
        log.error("a change of access was not made: %s", problem)
        said = _("Not done: {reason}.").format(reason=problem.for_people())
        st.error(inert(said), icon=":material/cloud_off:")
        return
    if action == "grant":
        done = _("{role} granted for {name} in {workspace}.")
    else:
        done = _("{role} revoked for {name} in {workspace}.")
    st.session_state[FLASH] = done.format(
        role=words.role(role), name=name, workspace=workspace_name
    )
    st.rerun()  # redraw the lists above with the change in them


def _told_apart(names: dict[str, str]) -> dict[str, str]:
    """Each person as the list of people shows them: their name, with their user id only where
    two people share a name (it is then all that tells them apart)."""
    times = Counter(names.values())
    return {u: f"{n} ({u})" if times[n] > 1 else n for u, n in names.items()}


def groups(ctx: Context, workspace: str) -> None:
    st.subheader(_("Groups that see this workspace's support requests"))
    found = ctx.run("access_groups").filter(pl.col("workspace_id") == workspace)
    if found.is_empty():
        st.caption(_("No group has access to this workspace's support requests."))
        return
    grid(found.select("group_name", "members"))


def audit(ctx: Context) -> None:
    st.subheader(_("Changes made here"))
    trail = ctx.run("access_audit")
    if trail.is_empty():
        st.caption(_("No change has been made in the app yet."))
        return
    actions = {action: _(said) for action, said in ACTIONS.items()}
    worded = trail.select(
        "changed_at",
        "changed_by",
        pl.col("action").replace_strict(actions, return_dtype=pl.String),
        pl.col("role").replace_strict(words.roles(), return_dtype=pl.String),
        "user_name",
        "workspace_name",
    )
    zone = st.context.timezone  # the reader's, from the browser; the download keeps UTC
    readable = pl.col("changed_at").map_elements(lambda t: moment(t, zone), return_dtype=pl.String)
    grid(worded.with_columns(readable))
    download(worded, "access_audit", ctx)


render(page_context())
