"""On-demand assessments: purchased and used, each with its technology, status and dates."""

from __future__ import annotations

import streamlit as st

from dashboard import export
from dashboard.app.results import Context, page_context
from dashboard.app.tables import download, grid
from dashboard.app.views.common import against_purchased, entitlements_of, scope_line, totals
from dashboard.formats import number
from dashboard.language import _
from dashboard.text import inert


def render(ctx: Context) -> None:
    st.title(_("On-demand assessments"))
    scope_line(ctx)
    bought = entitlements_of(ctx, "assessments")
    totals(bought, "assessments")
    against_purchased(bought, _("No assessments with a purchased quantity in this selection."))
    listing(ctx)


def listing(ctx: Context) -> None:
    st.subheader(_("Assessments"))
    found = ctx.run("assessments")
    if found.is_empty():
        st.info(_("No assessment in this selection."))
        return
    by_status = export.named(found.group_by("status").len().sort("status"))
    said = " · ".join(f"{status}: {number(n)}" for status, n in by_status.iter_rows())
    st.caption(inert(said))
    shown = found.select(
        "name",
        "technology",
        "status",
        "started_on",
        "completed_on",
        "entitlement",
        "package_name",
        "contract_number",
    )
    grid(shown)
    download(shown, "assessments", ctx)


render(page_context())
