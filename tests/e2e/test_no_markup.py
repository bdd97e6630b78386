"""Nothing from the data or from a link is drawn as markup, in a real browser: a link's values
in the notices that drop them and an entitlement's description are shown as text, with no link
or image of their own (which would call or open another server), while the app's own action
link still opens. Screenshots land in test-artifacts/."""

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from dashboard.ingest.importer import import_dataset
from tests.app.test_hostile_data import hostile_copy
from tests.conftest import FIXTURE_AS_OF
from tests.e2e.conftest import shot, start_app, stop, wait_for_app

DESCRIPTION = [
    "![b](https://evil.example/b.png) [renew](https://phish.example) **bold**",
    "Book at www.evil.example or write to someone@evil.example.",
]
ACTION = "https://services.example/credits"
HOSTILE = {
    ("entitlements", "E-WS", "description"): "\n".join(DESCRIPTION),
    ("entitlements", "E-WS", "action_url"): "javascript:alert(document.domain)",
    ("entitlements", "E-OC", "action_url"): ACTION,
    ("contracts", "K-A", "name"): "Acme www.evil.example",  # in the add-on page's caption
}
ELSEWHERE = ["evil.example", "phish.example"]  # hosts that no link or image may lead to


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("no-markup")
    hostile_copy(HOSTILE, root / "src")
    import_dataset(root / "src", root / "home", FIXTURE_AS_OF)
    url, server = start_app(root / "home", "no-markup-server")
    yield url
    stop(server)


def open_page(page, url: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert errors == []


def assert_nothing_leads_elsewhere(page) -> None:
    for host in ELSEWHERE:
        assert page.locator(f"a[href*='{host}']").count() == 0, host
        assert page.locator(f"img[src*='{host}']").count() == 0, host
    assert page.locator("a[href^='javascript:' i]").count() == 0


def test_a_link_value_dropped_with_a_notice_is_shown_as_text(page, hostile_app):
    query = urlencode(
        {"as": "u-cadmin", "ws": ["https://evil.example", "www.evil.example"],
         "contract": "someone@evil.example"},
        doseq=True,
    )  # fmt: skip
    open_page(page, f"{hostile_app}/?{query}")
    notices = page.locator("[data-testid='stAlert']").filter(has_text="Filter dropped")
    expect(notices.first).to_be_visible()
    for value in ("https://evil.example", "www.evil.example", "someone@evil.example"):
        expect(notices.filter(has_text=value)).to_have_count(1)
    assert notices.locator("a").count() == 0
    assert_nothing_leads_elsewhere(page)
    shot(page, "no_markup_link_notice")


def pick_row(page, row: int) -> None:
    """Tick row `row` (0 the first) of the page's first grid, and wait for the rerun."""
    grid = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    page.mouse.click(grid["x"] + 14, grid["y"] + 36 + 35 * row + 17)
    wait_for_app(page)


def test_an_entitlement_description_is_shown_as_text(page, hostile_app):
    page.set_viewport_size({"width": 1400, "height": 2400})
    open_page(page, f"{hostile_app}/add-ons?as=u-cadmin&contract=K-A&status=all")
    expect(page.get_by_text("Add-on packages of")).to_contain_text("www.evil.example")
    pick_row(page, 1)  # Workshops: add-ons are listed by end, Spring credits ended first
    expect(page.get_by_role("heading", name="Workshops")).to_be_visible()
    expect(page.get_by_text(DESCRIPTION[0])).to_be_visible()  # the literal text
    # as it is written, each line on its own
    assert page.get_by_test_id("stText").inner_text() == "\n".join(DESCRIPTION)
    assert page.locator("strong", has_text="bold").count() == 0
    assert page.get_by_role("link", name="Request or book").count() == 0  # not a web address
    assert_nothing_leads_elsewhere(page)
    shot(page, "no_markup_entitlement_detail")
    pick_row(page, 0)  # Spring credits: the app's own link to book, kept
    expect(page.get_by_role("heading", name="Spring credits")).to_be_visible()
    expect(page.get_by_role("link", name="Request or book")).to_have_attribute("href", ACTION)
