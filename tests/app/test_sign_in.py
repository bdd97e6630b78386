"""Signing in, through AppTest with the provider's claims set as `st.user` (AppTest cannot run
`st.login`): only a verified, current identity bound to its person opens the dashboard."""

import shutil
import time

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ingest import data_home
from dashboard.query import sign_ins
from tests.app.conftest import APP, metrics, plain, texts

ISSUER = "https://login.acme.example"
AUTH = {
    "client_id": "customer-activity",
    "client_secret": "not-a-secret",
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "k" * 40,
    "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration",
}


@pytest.fixture
def home(monkeypatch, tmp_path):
    """A data home of its own (sign-ins bind people, which must not leak into other tests),
    over the hand-made dataset with one more user, Kim, who may open nothing."""
    from dashboard.ingest.importer import import_dataset
    from tests.conftest import FIXTURE, FIXTURE_AS_OF

    source = tmp_path / "source"
    shutil.copytree(FIXTURE, source)
    with (source / "users.csv").open("a") as users:
        users.write("u-kim,C1,Kim Kelvin,kim@acme.example,false\n")
    import_dataset(source, tmp_path / "home", FIXTURE_AS_OF)
    monkeypatch.setenv(data_home.ENV_VAR, str(tmp_path / "home"))
    return tmp_path / "home"


def claims(email="tess@acme.example", sub="tess", **extra) -> dict:
    now = int(time.time())
    return {"is_logged_in": True, "email": email, "email_verified": True, "iss": ISSUER,
            "sub": sub, "aud": "customer-activity", "iat": now - 60, "exp": now + 3600,
            **extra}  # fmt: skip


def signed_in(user: dict, auth: dict | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = auth or AUTH
    at.user = user
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_a_verified_email_signs_in_matched_without_regard_to_ascii_case(home, state_backend):
    at = signed_in(claims(email=" Tess@ACME.example "), **{"as": "u-cadmin"})
    assert not at.exception
    assert metrics(at)["Active contracts"] == "1"  # Tess sees W2 only, not Cara's view
    assert "Demo mode" not in texts(at)


def test_an_unverified_email_is_refused(home):
    for verified in (False, "true", None):
        user = claims(email="cara@acme.example", sub="mallory")
        user["email_verified"] = verified
        at = signed_in(user)
        assert not at.exception
        assert at.title[0].value == "Cannot sign you in"
        assert "has not verified the e-mail address cara@acme.example" in plain(at.error[0].value)
        assert not at.metric


def test_the_kelvin_sign_is_not_a_k(home):
    at = signed_in(claims(email="KIM@acme.example", sub="kim"))
    assert "u-kim" in plain(at.error[0].value) or "Kim" in texts(at)  # matched: Kim, no access
    # "\u212a" is the Kelvin sign: a Unicode fold makes it "k", and so this address Kim's
    at = signed_in(claims(email="\u212aim@acme.example", sub="kelvin"))
    assert "\u212aim@acme.example is not a user" in plain(at.error[0].value)


def test_a_second_provider_identity_for_one_email_is_refused(home, state_backend):
    assert metrics(signed_in(claims(sub="tess")))["Active contracts"] == "1"
    at = signed_in(claims(sub="someone-else"))
    assert at.title[0].value == "Cannot sign you in"
    assert "signs in with another account" in plain(at.error[0].value)
    at = signed_in(claims(sub="tess", iss="https://other-provider.example"))
    assert at.title[0].value == "Cannot sign you in"
    assert metrics(signed_in(claims(sub="tess")))["Active contracts"] == "1"  # still Tess's


def test_an_expired_or_too_old_session_signs_in_again(home, monkeypatch):
    now = int(time.time())
    at = signed_in(claims(exp=now - 1))
    assert at.button[0].label == "Sign in" and not at.metric
    assert "Your session has ended" in texts(at)
    at = signed_in(claims(iat=now - 13 * 3600, exp=now + 3600))  # over the default 12 hours
    assert "Your session has ended" in texts(at) and not at.metric
    monkeypatch.setenv("CUSTOMER_ACTIVITY_SESSION_HOURS", "14")
    assert metrics(signed_in(claims(iat=now - 13 * 3600)))["Active contracts"] == "1"
    at = signed_in({k: v for k, v in claims().items() if k != "exp"})
    assert "Your session has ended" in texts(at) and not at.metric


def test_a_session_signed_out_stays_out(home, state_backend):
    user = claims()
    assert metrics(signed_in(user))["Active contracts"] == "1"
    sign_ins.end(home, sign_ins.session_key(user), time.time() + 3600)
    at = signed_in(user)  # the same cookie, copied before signing out
    assert "You signed out of this session" in texts(at) and not at.metric
    assert metrics(signed_in(claims(iat=int(time.time()))))["Active contracts"] == "1"


@pytest.mark.parametrize(
    "auth",
    [
        {"client_id": "x"},
        {**AUTH, "cookie_secret": ""},
        {**AUTH, "cookie_secret": "a long random string"},
        {**AUTH, "cookie_secret": "short-but-not-empty"},
    ],
)
def test_unusable_auth_settings_open_nothing(home, auth):
    at = signed_in(claims(), auth=auth, **{"as": "u-cadmin"})
    assert not at.exception
    assert "Sign-in is misconfigured" in plain(at.error[0].value)
    assert not at.metric and not at.selectbox  # no dashboard, no "view as" picker


def test_a_stranger_gets_no_access(home):
    at = signed_in(claims(email="stranger@example.com", sub="stranger"))
    assert not at.exception
    assert at.title[0].value == "No access to Customer Activity"
    assert "stranger@example.com is not a user" in plain(at.error[0].value)
