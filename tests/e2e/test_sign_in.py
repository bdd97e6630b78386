"""Sign-in end to end: the app configured for OpenID Connect against a local provider, and the
attacks on it that once worked, each in a real browser."""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    ARTIFACTS,
    ROOT,
    free_port,
    metric,
    shot,
    start_app,
    stop,
    wait_for,
    wait_for_app,
)

PEOPLE = [
    {"sub": "tess", "email": "tess@acme.example", "email_verified": True, "name": "Tess"},
    {"sub": "stranger", "email": "stranger@example.com", "email_verified": True},
    # claims Cara's address (Acme's customer admin) without the provider having verified it
    {"sub": "mallory", "email": "Cara@acme.example", "email_verified": False},
    # the provider vouches for Tess's address again, for another account
    {"sub": "tess-again", "email": "tess@acme.example", "email_verified": True},
    # account managers of the hand-made dataset: Ann serves C1 Acme and C2 Globex on its as-of
    # day (30 June 2026); Bo's one assignment ended the day before
    {"sub": "am-ann", "email": "ann@provider.example", "email_verified": True, "name": "Ann"},
    {"sub": "am-bo", "email": "bo@provider.example", "email_verified": True, "name": "Bo"},
]
EXAMPLE_SECRET = "a long random string"  # what the example secrets file once shipped


def secrets_file(folder, app_port: int, issuer: str, cookie_secret: str, section="auth"):
    path = folder / f"secrets-{secrets.token_hex(4)}.toml"
    path.write_text(
        f"[{section}]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{cookie_secret}"\n'
        'client_id = "customer-activity"\n'
        'client_secret = "not-a-secret"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
    )
    return path


@pytest.fixture(scope="module")
def provider():
    """A local OpenID provider with the people above; its issuer URL."""
    port = free_port()
    claims = [arg for person in PEOPLE for arg in ("--user-claims", json.dumps(person))]
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "oidc-provider.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "-p", str(port), *claims],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    wait_for(f"{issuer}/.well-known/openid-configuration", process, log)
    yield issuer
    stop(process)


@pytest.fixture(scope="module")
def signed_in_app(provider, tiny_home, tmp_path_factory):
    """The app signing in through the provider, over a data home of its own (sign-ins bind
    people to the provider's accounts)."""
    folder = tmp_path_factory.mktemp("auth")
    home = folder / "home"
    shutil.copytree(tiny_home, home, symlinks=True)
    app_port = free_port()
    secret = secrets.token_urlsafe(48)
    path = secrets_file(folder, app_port, provider, secret)
    url, app = start_app(home, "signed-in-server", "--secrets.files", str(path), port=app_port)
    yield url, secret
    stop(app)


def shown(text: str) -> re.Pattern:
    """`text` as a page shows it: with invisible word joiners where an address could start
    (they keep it from being made a link)."""
    return re.compile("\u2060?".join(re.escape(ch) for ch in text))


def sign_in(page, url: str, subject: str) -> None:
    page.goto(f"{url}/?as=u-cadmin")  # `as` is ignored when sign-in is configured
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").click()
    page.fill("input[name=sub]", subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**")
    wait_for_app(page)


def test_sign_in_matches_the_user_by_email(page, signed_in_app):
    url, _ = signed_in_app
    page.goto(url)
    wait_for_app(page)
    assert page.get_by_role("button", name="Sign in").is_visible()
    assert page.locator("[data-testid='stMetric']").count() == 0  # nothing before signing in
    sign_in(page, url, "tess")
    assert page.get_by_text(shown("Signed in as tess@acme.example")).is_visible()
    assert metric(page, "Active contracts") == "1"  # Tess's W2 only, not Cara's view
    assert page.get_by_text("Demo mode").count() == 0
    shot(page, "signed_in_training_manager")


def test_signed_in_email_that_matches_no_user(page, signed_in_app):
    url, _ = signed_in_app
    sign_in(page, url, "stranger")
    assert page.get_by_role("heading", name="No access to Customer Activity").is_visible()
    assert page.get_by_text(shown("stranger@example.com is not a user")).is_visible()
    assert page.locator("[data-testid='stMetric']").count() == 0
    shot(page, "signed_in_stranger")


def test_an_unverified_email_is_not_an_identity(page, signed_in_app):
    url, _ = signed_in_app
    sign_in(page, url, "mallory")
    assert page.get_by_role("heading", name="Cannot sign you in").is_visible()
    assert page.get_by_text(
        shown("has not verified the e-mail address cara@acme.example")
    ).is_visible()
    assert page.locator("[data-testid='stMetric']").count() == 0
    assert page.get_by_text("Manage access").count() == 0  # Cara's admin page stays hers
    shot(page, "signed_in_unverified")


def test_a_second_account_for_one_email_is_refused(browser, signed_in_app):
    url, _ = signed_in_app
    first = browser.new_context()
    sign_in(first.new_page(), url, "tess")  # binds Tess to the provider's "tess"
    first.close()
    second = browser.new_context()
    page = second.new_page()
    sign_in(page, url, "tess-again")
    assert page.get_by_role("heading", name="Cannot sign you in").is_visible()
    assert page.get_by_text("signs in with another account").is_visible()
    assert page.locator("[data-testid='stMetric']").count() == 0
    second.close()


def in_sidebar(page):
    return page.locator("[data-testid='stSidebar']")


def assert_on_anns_customers(page, url: str) -> None:
    """Ann's start: My customers with both her customers, a Customer select aside, and nothing
    of the demo mode or of anyone the link's `as=` named."""
    page.wait_for_url(f"{url}/customers**")  # the root sends an account manager on to it
    wait_for_app(page)
    assert "as=" not in page.url
    expect(page.get_by_role("heading", name="My customers", exact=True)).to_be_visible()
    assert page.get_by_text(shown("Signed in as ann@provider.example")).is_visible()
    table = page.locator("[data-testid='stDataFrame']").first
    expect(table).to_contain_text("Acme Corporation")
    expect(table).to_contain_text("Globex")
    assert in_sidebar(page).get_by_role("combobox", name="Customer").is_visible()
    assert page.get_by_text("Demo mode").count() == 0
    assert page.get_by_text("Manage access").count() == 0  # Cara's (u-cadmin) page stays hers


def test_an_account_manager_is_matched_by_email(page, signed_in_app):
    url, _ = signed_in_app
    sign_in(page, url, "am-ann")  # from a link naming Cara as the viewer
    assert_on_anns_customers(page, url)
    shot(page, "signed_in_account_manager")


def test_an_account_manager_with_no_active_assignment_is_told_why(page, signed_in_app):
    url, _ = signed_in_app
    sign_in(page, url, "am-bo")
    assert page.get_by_role("heading", name="No access to Customer Activity").is_visible()
    assert page.get_by_text(shown("Signed in as bo@provider.example")).is_visible()
    reason = "is an account manager with no customer assigned on 30 June 2026"
    assert page.get_by_text(reason).is_visible()
    assert page.get_by_text("An account manager sees the customers they are assigned to").count()
    assert page.locator("[data-testid='stMetric']").count() == 0
    assert page.get_by_text("My customers").count() == 0
    shot(page, "signed_in_account_manager_unassigned")


def test_as_in_the_link_is_ignored_for_a_signed_in_account_manager(browser, signed_in_app):
    url, _ = signed_in_app
    for subject, viewer in (("am-ann", "u-cadmin"), ("am-ann", "am-bo"), ("tess", "am-ann")):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        sign_in(page, url, subject)
        page.goto(f"{url}/?as={viewer}")  # a new session, with the cookie of the sign-in
        wait_for_app(page)
        if subject == "am-ann":
            assert_on_anns_customers(page, url)
        else:  # Tess stays Tess, and sees nothing of an account manager's
            assert page.get_by_text(shown("Signed in as tess@acme.example")).is_visible()
            assert metric(page, "Active contracts") == "1"
            assert page.get_by_text("My customers").count() == 0
            assert in_sidebar(page).get_by_role("combobox", name="Customer").count() == 0
        context.close()
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, url, "am-bo")
    page.goto(f"{url}/customers?as=am-ann")  # Bo stays refused, not Ann with her customers
    wait_for_app(page)
    assert page.get_by_role("heading", name="No access to Customer Activity").is_visible()
    assert page.get_by_text("Acme Corporation").count() == 0
    context.close()


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(browser, signed_in_app):
    url, _ = signed_in_app
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, url, "tess")
    assert metric(page, "Active contracts") == "1"
    copied = context.cookies()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda address: not address.startswith(url))  # on to the provider's
    page.screenshot(path=ARTIFACTS / "signed_out.png")
    context.close()
    thief = browser.new_context()
    thief.add_cookies(copied)
    page = thief.new_page()
    page.goto(url)
    wait_for_app(page)
    assert page.get_by_text("You signed out of this session").is_visible()
    assert page.locator("[data-testid='stMetric']").count() == 0
    thief.close()


def forged_cookie(url: str, secret: str, claims: dict) -> dict:
    """The sign-in cookie as Streamlit writes it, signed with `secret`."""
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

    value = json.dumps({**claims, "origin": url, "is_logged_in": True, "provider": "default"})
    signed = create_signed_value(secret, "_streamlit_user", value).decode()
    return {"name": "_streamlit_user", "value": signed, "url": url}


def cara(issuer: str, verified: bool = True) -> dict:
    now = int(time.time())
    return {"iss": issuer, "sub": "cara", "aud": "customer-activity", "iat": now, "exp": now + 600,
            "email": "cara@acme.example", "email_verified": verified}  # fmt: skip


def test_a_cookie_signed_with_another_secret_signs_in_nobody(browser, signed_in_app, provider):
    url, secret = signed_in_app
    for key, verified in ((EXAMPLE_SECRET, True), (secret, False)):
        context = browser.new_context()
        context.add_cookies([forged_cookie(url, key, cara(provider, verified))])
        page = context.new_page()
        page.goto(url)
        wait_for_app(page)
        assert page.locator("[data-testid='stMetric']").count() == 0
        assert page.get_by_text("Manage access").count() == 0
        assert (
            page.get_by_role("button", name="Sign in").count()
            + page.get_by_role("heading", name="Cannot sign you in").count()
            == 1
        )
        context.close()


@pytest.mark.parametrize(
    ("case", "secret", "section"),
    [
        ("unterminated string", '"abc', "auth"),
        ("section spelt [Auth]", None, "Auth"),
        ("the example's secret", EXAMPLE_SECRET, "auth"),
        ("an empty secret", "", "auth"),
        ("a short secret", "x" * 31, "auth"),
    ],
)
def test_an_unusable_secrets_file_stops_the_server(
    page, provider, tiny_home, tmp_path, case, secret, section
):
    port = free_port()
    key = secrets.token_urlsafe(48) if secret is None else secret
    path = secrets_file(tmp_path, port, provider, key, section)
    if secret == '"abc':  # `cookie_secret = "abc` on its line
        path.write_text(path.read_text().replace('cookie_secret = ""abc"', 'cookie_secret = "abc'))
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--server.port", str(port),
         "--server.headless", "true", "--secrets.files", str(path)],
        cwd=ROOT, env={**os.environ, "CUSTOMER_ACTIVITY_DATA": str(tiny_home)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        out, err = server.communicate(timeout=60)
    finally:
        stop(server)
    assert server.returncode == 2, case
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: sign-in is misconfigured: "), err
    assert str(path) in lines[0]
    with pytest.raises(Exception, match="ERR_CONNECTION_REFUSED"):  # nothing serves: no demo
        page.goto(f"http://127.0.0.1:{port}/?as=u-cadmin")


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses something listens on at `port`, from the kernel's own table."""
    found = set()
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, at = local.split(":")
        if state == "0A" and int(at, 16) == port:  # 0A: LISTEN
            found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


def test_demo_mode_listens_on_this_machine_only(page, tiny_home):
    port = free_port()
    log = ARTIFACTS / "demo-address-server.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "CUSTOMER_ACTIVITY_DATA": str(tiny_home)},
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/_stcore/health", server, log)
        assert listening_addresses(port) == {"127.0.0.1"}
        page.goto(f"http://127.0.0.1:{port}/?as=u-act")
        wait_for_app(page)
        main = page.locator("[data-testid='stMain']")
        assert main.get_by_text("Demo mode").first.is_visible()  # on the page, not only aside
    finally:
        stop(server)
