"""Which language a run speaks, and the sidebar's picker that changes it.

The first that says one: the link (`?lang=pl`, kept in it once chosen), the language picked in
this session, what a signed-in user chose before (the app's state), the browser's language;
English otherwise.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from dashboard import language
from dashboard.language import LANGUAGES, LINK, _
from dashboard.query import preferences
from dashboard.query.state_store import StateUnavailable

PICKER = "language_picker"
PICKED = "language_picked"  # the language picked or linked in this session
REMEMBERED = "language_remembered"  # (user, what the state said) read once a session
log = logging.getLogger("customer_activity")


def begin_run() -> None:
    """Speak, from the start of the run, the language of the link, of this session's choice
    or of the browser (a signed-in user's remembered one is applied once they are known)."""
    linked = language.supported(st.query_params.get(LINK))
    if linked:
        st.session_state[PICKED] = linked
    language.use(language.chosen(st.session_state.get(PICKED), _browser()))


def signed_in(home: Path, user: str | None) -> None:
    """For a signed-in user: their remembered language, unless the link or this session chose
    one. Read once a session; the state being away leaves the language as it is."""
    if not user or st.session_state.get(PICKED):
        return
    held = st.session_state.get(REMEMBERED)
    if held is None or held[0] != user:
        try:
            held = (user, preferences.language(home, user))
        except StateUnavailable:
            return  # read again on the next run
        st.session_state[REMEMBERED] = held
    if held[1]:
        language.use(held[1])


def kept_in_link() -> dict[str, str]:
    """The link's `lang`, once a language was picked or linked: a copied link then opens in it."""
    picked = st.session_state.get(PICKED)
    return {LINK: picked} if picked else {}


def picker(home: Path, user: str | None) -> None:
    """The sidebar's language picker, each language in its own name. A choice is kept in the
    link and, for a signed-in user, remembered in the app's state."""
    codes = list(LANGUAGES)
    st.sidebar.selectbox(
        _("Language"),
        codes,
        index=codes.index(language.current()),
        format_func=LANGUAGES.__getitem__,
        key=PICKER,
        on_change=_picked,
        args=(home, user),
    )


def _picked(home: Path, user: str | None) -> None:
    code = st.session_state[PICKER]
    _keep_choices()
    st.session_state[PICKED] = code
    st.query_params[LINK] = code
    language.use(code)
    if user:
        try:
            preferences.choose_language(home, user, code)
            st.session_state[REMEMBERED] = (user, code)
        except StateUnavailable:
            log.warning("the language chosen could not be remembered: the state is away")


def _keep_choices() -> None:
    """Keep every list's choice through the change of language. The browser hands a choice
    back in the words it showed ("Aktywne"), which the next run, speaking the other language,
    would not find among its options (a demo viewer became a stranger; a filter its default).
    Read here, before that run, each is still the option itself; set again, it is shown in the
    new words."""
    for key in list(st.session_state):
        value = st.session_state[key]
        if key != PICKER and (isinstance(value, str) or _all_text(value)):
            st.session_state[key] = value


def _all_text(value: object) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)


def _browser() -> str | None:
    """The browser's language: the locale it reports, else its Accept-Language header."""
    try:
        return language.from_browser(st.context.locale) or language.from_browser(
            st.context.headers.get("Accept-Language")
        )
    except Exception:  # no browser (AppTest, the command line): the default
        return None
