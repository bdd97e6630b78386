"""An entitlement's detail: what it is, its totals, its action link and its usage history."""

from __future__ import annotations

import streamlit as st

from dashboard import words
from dashboard.app import pages
from dashboard.app.results import Context
from dashboard.app.tables import listing
from dashboard.app.views.common import figure_row
from dashboard.formats import amount, number
from dashboard.language import _, ngettext
from dashboard.text import inert, web_link

# Each detail view's page file (relative to the app's entry), by what it details.
DETAIL_VIEWS = {page.details: page.file for page in pages.PAGES if page.details}
VIEW_OF_CATEGORY = {  # the detail view of each category of entitlement
    "reactive": "support",
    "advisory": "support",
    "proactive": "support",
    "education": "education",
    "contacts": "contacts",
    "assessments": "assessments",
    "credits": "credits",
}
# the usage history's columns, in the grid and in its CSV
HISTORY_COLUMNS = [
    "day",
    "record",
    "record_id",
    "title",
    "person",
    "status",
    "amount",
    "hours_delivered",
]


def entitlement_detail(ctx: Context, entitlement: dict) -> None:
    with st.container(border=True):
        st.markdown(f"### {inert(entitlement['name'])}")
        if entitlement["description"]:  # the data's text as it is written, never as Markdown
            st.text(entitlement["description"])
        if entitlement["kind"] == "benefit":
            st.caption(_("A benefit: listed in the contract, never counted against anything."))
        else:
            figures(entitlement)
        link = web_link(entitlement["action_url"])  # an http or https address, or none
        if link:
            st.link_button(_("Request or book"), link, icon=":material/open_in_new:")
        view = VIEW_OF_CATEGORY.get(entitlement["category"])
        if view:
            st.page_link(
                DETAIL_VIEWS[view],
                label=_("Open its detail view"),
                icon=":material/arrow_forward:",
            )
        which = {"entitlement": entitlement["entitlement_id"]}
        st.markdown("**" + _("Usage history") + "**")
        st.caption(
            _("Everything booked against this entitlement, whatever workspace it was raised in.")
        )
        hidden = int(ctx.run("entitlement_history_hidden", **which).item(0, "hidden"))
        if hidden:
            said = ngettext(
                "{n} support request booked against this entitlement is hidden by your "
                "permissions.",
                "{n} support requests booked against this entitlement are hidden by your "
                "permissions.",
                hidden,
            )
            st.caption(said.format(n=number(hidden)))
        if not ctx.listing("entitlement_history", **which)[1]:
            st.caption(_("Nothing recorded in the date range that you may see."))
            return
        listing(ctx, "entitlement_history", HISTORY_COLUMNS, "records", **which)


def figures(entitlement: dict) -> None:
    """Purchased, used, scheduled and remaining, the unit in the labels as on the detail
    views' figures."""
    unit = inert(words.unit(entitlement["unit"]))
    row = figure_row()
    purchased = entitlement["purchased"]
    row.metric(
        _("Purchased ({unit})").format(unit=unit),
        _("No limit") if purchased is None else amount(purchased),
    )
    row.metric(_("Used ({unit})").format(unit=unit), amount(entitlement["used"]))
    row.metric(_("Scheduled ({unit})").format(unit=unit), amount(entitlement["scheduled"]))
    remaining = entitlement["remaining"]
    row.metric(
        _("Remaining ({unit})").format(unit=unit),
        amount(remaining),
        delta=_("overage") if remaining is not None and remaining < 0 else None,
        delta_color="inverse",
    )
