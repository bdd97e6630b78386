"""Granting a role in the browser, then viewing the dashboard as that person."""

import re
import shutil

import pytest
from playwright.sync_api import expect

from dashboard.ingest.importer import import_dataset
from tests.conftest import FIXTURE, FIXTURE_AS_OF
from tests.e2e.conftest import metric, shot, start_app, stop, wait_for_app


@pytest.fixture(scope="module")
def own_app(tmp_path_factory):
    """A server over a data home of its own: this test changes who may see what."""
    root = tmp_path_factory.mktemp("access")
    shutil.copytree(FIXTURE, root / "src")
    import_dataset(root / "src", root / "home", FIXTURE_AS_OF)
    url, server = start_app(root / "home", "manage-access-server")
    yield url
    stop(server)


def test_grant_a_role_then_view_as_that_person(page, own_app):
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{own_app}/?as=u-none")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="No access to Customer Activity")).to_be_visible()

    page.goto(f"{own_app}/manage-access?as=u-wsadmin")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Manage access", exact=True)).to_be_visible()
    person = page.get_by_role("combobox", name=re.compile("Person"))
    person.click()
    person.press_sequentially("Nora")
    expect(page.get_by_role("option", name=re.compile("Nora None"))).to_be_visible(timeout=15_000)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Grant").click()
    wait_for_app(page)
    expect(page.get_by_text("Customer activity granted for Nora None")).to_be_visible()
    shot(page, "manage_access_after_grant")

    page.goto(f"{own_app}/?as=u-none")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Enterprise-wide")).to_be_visible()
    assert metric(page, "Active contracts") == "1"
    shot(page, "enterprise_after_grant")
