"""Pieces every page shares: the scope line under the title."""

from __future__ import annotations

import streamlit as st

from dashboard.data import Context
from dashboard.text import inert


def scope_line(ctx: Context) -> None:
    """What the page covers, as of when, and what the date range does and does not narrow."""
    f = ctx.filters
    names = dict(
        zip(ctx.viewer.workspaces["workspace_id"], ctx.viewer.workspaces["name"], strict=True)
    )
    where = (
        ", ".join(names.get(w, w) for w in f.workspaces) if f.workspaces else "all your workspaces"
    )
    dates = ""
    if f.date_from or f.date_to:
        dates = f" · activity {f.date_from or 'start'} to {f.date_to or ctx.dataset.as_of}"
    st.caption(
        inert(f"Data as of {ctx.dataset.as_of:%d %B %Y} · {where}{dates}. ")
        + "Entitlement totals always cover the whole term; the date range narrows activity only."
    )
