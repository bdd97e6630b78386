"""Who is looking: a signed-in user matched by e-mail, or, with no sign-in configured, the user
picked in the demo mode's "view as" list (or named by `?as=USER_ID`)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.data import run_cached
from dashboard.filters import Filters
from dashboard.runner import Dataset
from dashboard.text import inert, quoted

AS_PARAM = "as"
PICK_KEY = "demo_viewer"


@dataclass(frozen=True)
class Identity:
    user_id: str | None  # None: signed in, but not a user of this dataset
    demo: bool
    email: str | None = None
    notice: str | None = None  # said on the page when `?as=` named nobody


def auth_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an `[auth]` section (OpenID Connect)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def identify(dataset: Dataset) -> Identity:
    if auth_configured():
        return _signed_in(dataset)
    return _demo(dataset)


def _signed_in(dataset: Dataset) -> Identity:
    if not st.user.is_logged_in:
        st.title("Customer Activity")
        st.write(
            "Sign in to see what your contracts bought, what has been delivered and what is left."
        )
        st.button("Sign in", type="primary", on_click=st.login, icon=":material/login:")
        st.stop()
    email = str(st.user.get("email") or "")
    with st.sidebar:
        st.caption(inert(f"Signed in as {email}"))
        st.button("Sign out", on_click=st.logout, icon=":material/logout:")
    if not email:
        return Identity(None, demo=False, email=email)
    found = run_cached(dataset, None, "sign_in", Filters(), email=email)
    return Identity(found.item(0, "user_id") if found.height else None, demo=False, email=email)


def _demo(dataset: Dataset) -> Identity:
    users = run_cached(dataset, None, "demo_users", Filters())
    ids = users.get_column("user_id").to_list()
    notice = None
    if PICK_KEY not in st.session_state:
        wanted = st.query_params.get(AS_PARAM)
        if wanted and wanted not in ids:
            notice = f"there is no user {quoted(wanted)} in this dataset"
        st.session_state[PICK_KEY] = wanted if wanted in ids else (ids[0] if ids else None)
    labels = {
        row["user_id"]: f"{row['display_name']} · {row['customer_name']}"
        + (" (admin)" if row["is_customer_admin"] else "")
        for row in users.iter_rows(named=True)
    }
    with st.sidebar:
        st.info(
            "**Demo mode**: no sign-in is configured, so you can view the dashboard as any user.",
            icon=":material/theater_comedy:",
        )
        user_id = st.selectbox("View as", ids, key=PICK_KEY, format_func=lambda u: labels.get(u, u))
    return Identity(user_id, demo=True, notice=notice)
