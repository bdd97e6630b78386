"""The page for someone who may open the dashboard nowhere: why, and who can grant access."""

from __future__ import annotations

import streamlit as st

from dashboard import words
from dashboard.app.results import run_cached
from dashboard.language import _
from dashboard.query.dataset import Dataset
from dashboard.text import inert


def render(
    dataset: Dataset, user_id: str | None, reason: str, account_manager: bool = False
) -> None:
    st.title(_("No access to Customer Activity"))
    st.error(inert(reason if reason.endswith(".") else f"{reason}."), icon=":material/lock:")
    if account_manager:
        st.write(
            _(
                "An account manager sees the customers they are assigned to, from the first day "
                "of an assignment to its last. Assignments come with the data: ask whoever "
                "maintains the account assignments to add yours, or to correct its dates."
            )
        )
        return
    said = _(
        "Customer Activity shows a workspace's contracts and consumption to its customer's "
        "admins, the workspace's admins and people who hold the **{role}** role in it."
    )
    st.write(said.format(role=words.role("customer_activity")))
    if user_id is None:
        st.write(_("Ask your organisation's administrator to add your e-mail address."))
        return
    granters = run_cached(dataset, user_id, "access_granters", _no_filters())
    if granters.is_empty():
        st.write(_("Your organisation has no administrator in this dataset yet."))
        return
    st.write(_("These people can grant you access:"))
    for row in granters.iter_rows(named=True):
        st.markdown(
            f"- **{inert(row['display_name'])}** ({inert(row['email'])}): {inert(row['grants_in'])}"
        )


def _no_filters():
    from dashboard.query.filters import Filters

    return Filters()
