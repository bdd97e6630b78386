"""Sign-in end to end: the app configured for OpenID Connect against a local provider."""

import json
import subprocess
import sys

import pytest

from tests.e2e.conftest import (
    ARTIFACTS,
    free_port,
    metric,
    shot,
    start_app,
    stop,
    wait_for,
    wait_for_app,
)


@pytest.fixture(scope="module")
def signed_in_app(tiny_home, tmp_path_factory):
    """A local OpenID provider with two people, and the app configured to sign in through it."""
    provider_port = free_port()
    people = [
        {"sub": "tess", "email": "tess@acme.example", "name": "Tess Training"},
        {"sub": "stranger", "email": "stranger@example.com", "name": "A Stranger"},
    ]
    claims = [arg for person in people for arg in ("--user-claims", json.dumps(person))]
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "oidc-provider.log"
    provider = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "-p", str(provider_port), *claims],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{provider_port}"
    wait_for(f"{issuer}/.well-known/openid-configuration", provider, log)
    app_port = free_port()
    secrets = tmp_path_factory.mktemp("auth") / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        'cookie_secret = "a-cookie-secret-for-tests-only"\n'
        'client_id = "customer-activity"\n'
        'client_secret = "not-a-secret"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
    )
    url, app = start_app(
        tiny_home, "signed-in-server", "--secrets.files", str(secrets), port=app_port
    )
    yield url
    stop(app)
    stop(provider)


def sign_in(page, url: str, subject: str) -> None:
    page.goto(f"{url}/?as=u-cadmin")  # `as` is ignored when sign-in is configured
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").click()
    page.fill("input[name=sub]", subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**")
    wait_for_app(page)


def test_sign_in_matches_the_user_by_email(page, signed_in_app):
    page.goto(signed_in_app)
    wait_for_app(page)
    assert page.get_by_role("button", name="Sign in").is_visible()
    assert page.locator("[data-testid='stMetric']").count() == 0  # nothing before signing in
    sign_in(page, signed_in_app, "tess")
    assert page.get_by_text("Signed in as tess@acme.example").is_visible()
    assert metric(page, "Active contracts") == "1"  # Tess's W2 only, not Cara's view
    assert page.get_by_text("Demo mode").count() == 0
    shot(page, "signed_in_training_manager")


def test_signed_in_email_that_matches_no_user(page, signed_in_app):
    sign_in(page, signed_in_app, "stranger")
    assert page.get_by_role("heading", name="No access to Customer Activity").is_visible()
    assert page.get_by_text("stranger@example.com is not a user").is_visible()
    assert page.locator("[data-testid='stMetric']").count() == 0
    shot(page, "signed_in_stranger")
