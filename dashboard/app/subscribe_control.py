"""The "E-mail me this" choice beside a saved view and on the Alerts page: a subscription to a
digest (python -m dashboard digest sends it), daily, weekly or monthly, or none."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import streamlit as st

from dashboard import language
from dashboard.language import N_, _
from dashboard.query import subscriptions
from dashboard.query.saved_views import Refused
from dashboard.query.state_store import StateUnavailable
from dashboard.text import inert

NEVER = "never"
CHOICES = (NEVER, *subscriptions.FREQUENCIES)
LABELS = {
    NEVER: N_("No e-mail"),
    "daily": N_("Every day"),
    "weekly": N_("Every week"),
    "monthly": N_("Every month"),
}
# what a subscription changed to says, one sentence for each (Polish words them differently)
SUBSCRIBED = {
    "daily": N_("You will get it by e-mail every day."),
    "weekly": N_("You will get it by e-mail every week."),
    "monthly": N_("You will get it by e-mail every month."),
}
SAID = "subscribe_said"

log = logging.getLogger("customer_activity")


def in_page_language(callback: Callable[..., None]) -> Callable[..., None]:
    """`callback`, speaking the language of the run that draws its widget: Streamlit runs a
    widget's callback before the next run has chosen its language (in a thread of its own), and
    what the callback says is shown by that run."""
    code = language.current()

    @functools.wraps(callback)
    def spoken(*args, **kwargs) -> None:
        with language.speaking(code):
            callback(*args, **kwargs)

    return spoken


def email_me(home, user: str, view_id: int | None, key: str) -> None:
    """The choice for the view `view_id` (None: the Alerts page) of `user`."""
    try:
        held = {s.view_id: s for s in subscriptions.listed(home, user)}
    except StateUnavailable as problem:
        log.error("subscriptions could not be read: %s", problem)
        st.caption(inert(_("E-mail digests: {problem}.").format(problem=problem.for_people())))
        return
    current = held.get(view_id)
    st.session_state[key] = current.frequency if current else NEVER
    # worded here, not in format_func: Streamlit may call that outside the run's language
    labels = {choice: _(label) for choice, label in LABELS.items()}
    st.selectbox(
        _("E-mail me this"),
        CHOICES,
        key=key,
        format_func=labels.get,
        on_change=in_page_language(_changed),
        args=(home, user, view_id, key, current.id if current else None),
        help=_(
            "A digest of its headline figures, its alerts, its chart and its table, sent by "
            "e-mail once a day, week or month, with a link back here. What you may no longer "
            "see is left out."
        ),
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
            st.session_state[SAID] = ("success", _("No more e-mails of this."))
        else:
            subscriptions.subscribe(home, user, view_id, wanted)
            st.session_state[SAID] = ("success", _(SUBSCRIBED[wanted]))
    except StateUnavailable as problem:
        log.error("a subscription could not be changed: %s", problem)
        text = _("Not done: {problem}.").format(problem=problem.for_people())
        st.session_state[SAID] = ("error", text)
    except Refused as refused:
        st.session_state[SAID] = ("error", str(refused))
