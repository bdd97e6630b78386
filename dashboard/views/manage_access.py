"""Manage access: who holds which role in the workspaces you administer; grant and revoke
customer_activity, view_all_support_requests and training_manager; groups that see support
requests; and the audit trail of every change made here."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import access_admin
from dashboard.contract import ROLES
from dashboard.data import Context, page_context
from dashboard.grids import download, grid, label
from dashboard.text import inert

FLASH = "access_done"


def render(ctx: Context) -> None:
    st.title("Manage access")
    st.caption(
        "Changes take effect at the affected person's next interaction. Customer admins manage "
        "every workspace of their organisation, workspace admins their own workspaces."
    )
    reach = access_admin.reach(ctx.dataset, ctx.viewer.user_id)
    if reach.is_empty():
        st.info("You administer no workspace, so there is nothing for you to manage here.")
        return
    names = dict(zip(reach["workspace_id"], reach["name"], strict=True))
    workspace = st.selectbox("Workspace", list(names), format_func=names.get, key="access_ws")
    people(ctx, workspace)
    change_form(ctx, workspace, names[workspace])
    groups(ctx, workspace)
    audit(ctx)


def people(ctx: Context, workspace: str) -> None:
    st.subheader("People and their roles")
    rows = ctx.run("access_people").filter(pl.col("workspace_id") == workspace)
    shown = rows.select("display_name", "email", "is_customer_admin", "is_workspace_admin", *ROLES)
    grid(shown)
    download(shown, "access_people", ctx)


def change_form(ctx: Context, workspace: str, workspace_name: str) -> None:
    st.subheader("Grant or revoke a role")
    done = st.session_state.pop(FLASH, None)
    if done:
        st.success(inert(done), icon=":material/check:")
    people_frame = ctx.run("people")
    names = dict(zip(people_frame["user_id"], people_frame["display_name"], strict=True))
    with st.form("access_change", clear_on_submit=False, border=True):
        left, middle = st.columns(2)
        user = left.selectbox("Person", list(names), format_func=lambda u: f"{names[u]} ({u})",
                              index=None, placeholder="Choose a person")  # fmt: skip
        role = middle.selectbox("Role", list(ROLES), format_func=label)
        grant_col, revoke_col = st.columns([1, 6])
        grant = grant_col.form_submit_button("Grant", type="primary")
        revoke = revoke_col.form_submit_button("Revoke")
    if not (grant or revoke):
        return
    if user is None:
        st.warning("Choose a person first.")
        return
    action = "grant" if grant else "revoke"
    try:
        access_admin.change(ctx.dataset, ctx.viewer.user_id, user, workspace, role, action)
    except access_admin.AccessRefused as refused:
        st.error(inert(f"Not done: {refused}."), icon=":material/block:")
        return
    verb = "granted" if grant else "revoked"
    st.session_state[FLASH] = f"{label(role)} {verb} for {names[user]} in {workspace_name}."
    st.rerun()  # redraw the lists above with the change in them  # fmt: skip


def groups(ctx: Context, workspace: str) -> None:
    st.subheader("Groups that see this workspace's support requests")
    found = ctx.run("access_groups").filter(pl.col("workspace_id") == workspace)
    if found.is_empty():
        st.caption("No group has access to this workspace's support requests.")
        return
    grid(found.select("group_name", "members"))


def audit(ctx: Context) -> None:
    st.subheader("Changes made here")
    trail = ctx.run("access_audit")
    if trail.is_empty():
        st.caption("No change has been made in the app yet.")
        return
    shown = trail.select(
        "changed_at", "changed_by", "action",
        pl.col("role").map_elements(label, return_dtype=pl.String), "user_name",
        "workspace_name",
    )  # fmt: skip
    grid(shown)
    download(shown, "access_audit", ctx)


render(page_context())
