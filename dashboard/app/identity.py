"""Who is looking: a signed-in user matched by e-mail, or, with no sign-in configured, the user
picked in the demo mode's "view as" list (or named by `?as=USER_ID`)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.app import sign_in_settings as settings
from dashboard.app.results import run_cached
from dashboard.ingest.schema import normalised_email
from dashboard.language import _
from dashboard.query import sign_ins
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from dashboard.query.state_store import StateUnavailable
from dashboard.text import inert, quoted

AS_PARAM = "as"
PICK_KEY = "demo_viewer"
BOUND_KEY = "bound_to_provider"
SIGN_OUT_FAILED = "sign_out_failed"
log = logging.getLogger("customer_activity")


@dataclass(frozen=True)
class Identity:
    user_id: str | None  # None: signed in, but not a user of this dataset
    demo: bool
    email: str | None = None
    notice: str | None = None  # said on the page when `?as=` named nobody


def mode() -> str:
    """ "sign-in" or "demo"; a page saying what is wrong when the secrets cannot be used. Demo
    mode only when there is no secrets file at all: a broken or misnamed one never opens it.
    (`python -m dashboard serve` refuses to start in those cases; this holds for any start.)"""
    files = [Path(name) for name in st.get_option("secrets.files") or []]
    try:
        try:
            has_auth = "auth" in st.secrets
        except Exception:  # a file that does not parse, or none at all
            if settings.existing(files):
                raise settings.SignInMisconfigured("the secrets file cannot be read") from None
            return "demo"
        if not has_auth:
            if settings.existing(files):
                raise settings.SignInMisconfigured("the secrets file has no [auth] section")
            return "demo"
        settings.check_auth(st.secrets["auth"].to_dict(), "[auth]")
        return "sign-in"
    except settings.SignInMisconfigured as problem:
        log.error("sign-in is misconfigured: %s", problem)
        st.title(_("Customer Activity"))
        st.error(
            _(
                "Sign-in is misconfigured on this server, so nobody can sign in. Tell your "
                "administrator; the server's log says what is wrong."
            ),
            icon=":material/lock:",
        )
        st.stop()
        raise  # not reached: st.stop() ends the run


def identify(dataset: Dataset) -> Identity:
    if mode() == "sign-in":
        return _signed_in(dataset)
    return _demo(dataset)


def _signed_in(dataset: Dataset) -> Identity:
    if not st.user.is_logged_in:
        _sign_in_page(
            _(
                "Sign in to see what your contracts bought, what has been delivered and what "
                "is left."
            )
        )
    claims = st.user.to_dict()
    home = dataset.home
    session = sign_ins.session_key(claims)
    if sign_ins.has_ended(home, session):
        _sign_in_page(_("You signed out of this session. Sign in again to continue."))
    if _expired(claims):
        _sign_in_page(_("Your session has ended. Sign in again to continue."))
    email = normalised_email(str(claims.get("email") or ""))
    with st.sidebar:
        st.caption(inert(_("Signed in as {email}").format(email=email)))
        st.button(_("Sign out"), on_click=_sign_out, args=(home, claims), icon=":material/logout:")
        if st.session_state.pop(SIGN_OUT_FAILED, False):
            still = _(
                "You are still signed in: the app's state database cannot be reached, so "
                "nothing was changed. Try again in a minute."
            )
            st.error(still, icon=":material/cloud_off:")
    if claims.get("email_verified") is not True:
        _refused(
            _(
                "Your identity provider has not verified the e-mail address {email}, so it "
                "cannot sign you in to Customer Activity."
            ).format(email=email or _("(none)"))
        )
    found = run_cached(dataset, None, "sign_in", Filters(), email=email)
    if found.height == 0:
        return Identity(None, demo=False, email=email)
    if found.height > 1:  # the import refuses this; never guess between two people
        _refused(_("More than one person has the e-mail address {email}.").format(email=email))
    user_id = found.item(0, "user_id")
    issuer, subject = str(claims.get("iss") or ""), str(claims.get("sub") or "")
    try:
        bound = bool(issuer and subject) and _bound(home, user_id, issuer, subject)
    except StateUnavailable as problem:
        log.error("a sign-in could not be completed: %s", problem)
        _refused(
            _(
                "Signing in cannot be completed just now: the app's state database cannot be "
                "reached, so nothing was changed. Try again in a minute."
            )
        )
    if not bound:
        log.warning("refused a sign-in for %s from another provider identity", user_id)
        _refused(
            _(
                "{email} signs in with another account at your identity provider. Sign in "
                "with that account, or ask your administrator."
            ).format(email=email)
        )
    return Identity(user_id, demo=False, email=email)


def _bound(home: Path, user_id: str, issuer: str, subject: str) -> bool:
    """sign_ins.bind, once per session: a binding never changes, and binding is a write."""
    checked = (str(home), user_id, issuer, subject)
    if st.session_state.get(BOUND_KEY) == checked:
        return True
    if not sign_ins.bind(home, user_id, issuer, subject):
        return False
    st.session_state[BOUND_KEY] = checked
    return True


def _expired(claims: dict) -> bool:
    """Past the ID token's expiry, or signed in longer ago than the configured session age."""
    now = time.time()
    try:
        issued, expires = float(claims["iat"]), float(claims["exp"])
    except (KeyError, TypeError, ValueError):
        return True  # a token without them cannot be aged: sign in again
    return now >= expires or now - issued >= settings.session_hours() * 3600


def _sign_out(home: Path, claims: dict) -> None:
    """End the session on the server too, then drop the browser's cookie. While the server
    cannot record it, the session stays signed in and says so: a copy of the cookie would
    otherwise still sign in after it seemed to be signed out."""
    try:
        forget_after = float(claims.get("iat") or 0) + settings.session_hours() * 3600
        sign_ins.end(home, sign_ins.session_key(claims), max(forget_after, time.time()))
    except StateUnavailable as problem:
        log.error("a sign-out could not be recorded: %s", problem)
        st.session_state[SIGN_OUT_FAILED] = True
        return
    except Exception:
        st.logout()
        raise
    st.logout()


def _sign_in_page(message: str) -> None:
    st.title(_("Customer Activity"))
    st.write(message)
    st.button(_("Sign in"), type="primary", on_click=st.login, icon=":material/login:")
    st.stop()


def _refused(message: str) -> None:
    st.title(_("Cannot sign you in"))
    st.error(inert(message), icon=":material/lock:")
    st.stop()


def _demo(dataset: Dataset) -> Identity:
    users = run_cached(dataset, None, "demo_users", Filters())
    ids = users.get_column("user_id").to_list()
    notice = None
    if PICK_KEY not in st.session_state:
        wanted = st.query_params.get(AS_PARAM)
        if wanted and wanted not in ids:
            notice = _("there is no user {user} in this dataset").format(user=quoted(wanted))
        st.session_state[PICK_KEY] = wanted if wanted in ids else (ids[0] if ids else None)
    labels = {row["user_id"]: demo_label(row) for row in users.iter_rows(named=True)}
    with st.sidebar:
        st.info(
            _(
                "**Demo mode**: no sign-in is configured, so you can view the dashboard as any "
                "user."
            ),
            icon=":material/theater_comedy:",
        )
        user_id = st.selectbox(
            _("View as"), ids, key=PICK_KEY, format_func=lambda u: labels.get(u, u)
        )
    return Identity(user_id, demo=True, notice=notice)


def demo_label(person: dict) -> str:
    """A person as *View as* offers them: `Cara Admin · Acme (admin)`, or for one of the
    support provider's staff `Priya Raman · account manager`."""
    name = person["display_name"]
    if person["is_account_manager"]:
        return _("{name} · account manager").format(name=name)
    if person["is_customer_admin"]:
        return _("{name} · {customer} (admin)").format(name=name, customer=person["customer_name"])
    return f"{name} · {person['customer_name']}"
