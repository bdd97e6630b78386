"""Named support contacts against the number allowed, and who was added and removed when."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.app.results import Context, page_context
from dashboard.app.tables import download, grid
from dashboard.app.views.common import entitlements_of, figure_row, scope_line
from dashboard.formats import number
from dashboard.language import _


def render(ctx: Context) -> None:
    st.title(_("Named support contacts"))
    scope_line(ctx)
    allowed = entitlements_of(ctx, "contacts").filter(pl.col("kind") == "consumable")
    contacts = ctx.run("named_contacts")
    headline(allowed, contacts)
    roster(ctx, contacts)


def headline(allowed: pl.DataFrame, contacts: pl.DataFrame) -> None:
    row = figure_row()
    limit = (
        allowed["purchased"].sum() if allowed["purchased"].null_count() < allowed.height else None
    )
    named = contacts.filter(pl.col("counted")).height
    row.metric(_("Contacts allowed"), "—" if limit is None else number(round(limit)))
    row.metric(_("Named now"), named, help=_("Not removed, or removed after the as-of day."))
    if limit is not None:
        left = limit - named
        row.metric(
            _("Places left"),
            number(round(left)),
            delta=_("over the limit") if left < 0 else None,
            delta_color="inverse",
        )


def roster(ctx: Context, contacts: pl.DataFrame) -> None:
    st.subheader(_("Who was added and removed when"))
    if contacts.is_empty():
        st.info(_("No named support contact in this selection."))
        return
    shown = contacts.select(
        "name",
        "email",
        "added_on",
        "removed_on",
        "counted",
        "entitlement",
        "package_name",
        "contract_number",
    ).rename({"counted": "named_now"})
    grid(shown)
    download(shown, "named_contacts", ctx)


render(page_context())
