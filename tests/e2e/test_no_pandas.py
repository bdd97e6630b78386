"""The app's server never imports pandas (about 33 MB every server would hold, and 0.7 s of
imports): charts and tables reach Streamlit as Arrow, sent whole. Checked on a server of
its own, in a browser, after every page, from the libraries the server process has loaded."""

from pathlib import Path

import pytest

from dashboard.app import pages
from tests.e2e.conftest import start_app, stop, wait_for_app

# what a page's link needs besides the viewer to draw a chart or a table, by url path
PARAMS = {
    "add-ons": "&contract=K-A&status=all",
    "renewal": "&status=all",
    "proof-of-delivery": "&contract=K-A",
    "support": "&status=all",
    "credits": "&status=all",
}
NOTHING_DRAWN = {"data"}  # pages of text and figures only
PAGES = [
    f"{pages.address(page)}?as={'am-ann' if page.account_managers_only else 'u-cadmin'}"
    f"{PARAMS.get(page.url_path, '')}"
    for page in pages.PAGES
    if page.url_path not in NOTHING_DRAWN
]


@pytest.fixture(scope="module")
def own_server(tiny_home):
    url, server = start_app(tiny_home, "server-no-pandas")
    yield url, server
    stop(server)


def test_no_page_makes_the_server_import_pandas(page, own_server):
    url, server = own_server
    for path in PAGES:
        page.goto(f"{url}/{path}")
        wait_for_app(page)
        assert page.locator("[data-testid='stException']").count() == 0, path
        drawn = page.locator("[data-testid='stVegaLiteChart'], [data-testid='stDataFrame']")
        assert drawn.count() > 0, f"{path} drew no chart or table"
    loaded = Path(f"/proc/{server.pid}/maps").read_text()
    assert "/pyarrow/" in loaded  # what the server loads is readable here
    assert "/pandas/" not in loaded
