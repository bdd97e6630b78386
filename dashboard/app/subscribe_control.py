"""The "E-mail me this" choice beside a saved view and on the Alerts page: a subscription to a
digest (python -m dashboard digest sends it), daily, weekly or monthly, or none."""

from __future__ import annotations

import logging

import streamlit as st

from dashboard.query import subscriptions
from dashboard.query.saved_views import Refused
from dashboard.query.state_store import StateUnavailable
from dashboard.text import inert

NEVER = "never"
CHOICES = (NEVER, *subscriptions.FREQUENCIES)
LABELS = {
    NEVER: "No e-mail",
    "daily": "Every day",
    "weekly": "Every week",
    "monthly": "Every month",
}
SAID = "subscribe_said"

log = logging.getLogger("customer_activity")


def email_me(home, user: str, view_id: int | None, key: str) -> None:
    """The choice for the view `view_id` (None: the Alerts page) of `user`."""
    try:
        held = {s.view_id: s for s in subscriptions.listed(home, user)}
    except StateUnavailable as problem:
        log.error("subscriptions could not be read: %s", problem)
        st.caption(inert(f"E-mail digests: {problem.for_people()}."))
        return
    current = held.get(view_id)
    st.session_state[key] = current.frequency if current else NEVER
    st.selectbox(
        "E-mail me this",
        CHOICES,
        key=key,
        format_func=LABELS.get,
        on_change=_changed,
        args=(home, user, view_id, key, current.id if current else None),
        help="A digest of its headline figures, its alerts, its chart and its table, sent by "
        "e-mail once a day, week or month, with a link back here. What you may no longer see "
        "is left out.",
    )
    said = st.session_state.pop(SAID, None)
    if said:
        (st.success if said[0] == "success" else st.error)(inert(said[1]))


def _changed(home, user: str, view_id: int | None, key: str, held: int | None) -> None:
    wanted = st.session_state[key]
    try:
        if wanted == NEVER:
            if held is not None:
                subscriptions.unsubscribe(home, user, held)
            st.session_state[SAID] = ("success", "No more e-mails of this.")
        else:
            subscriptions.subscribe(home, user, view_id, wanted)
            st.session_state[SAID] = (
                "success",
                f"You will get it by e-mail {LABELS[wanted].lower()}.",
            )
    except StateUnavailable as problem:
        log.error("a subscription could not be changed: %s", problem)
        st.session_state[SAID] = ("error", f"Not done: {problem.for_people()}.")
    except Refused as refused:
        st.session_state[SAID] = ("error", str(refused))
