"""A day typed into the sidebar applies when Enter is pressed, as a typed search does."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import shot, wait_for_app


def test_a_typed_day_applies_on_enter(page, app_url):
    page.goto(f"{app_url}/?as=u-cadmin&to=2026-06-30")  # the hand-made dataset: as of 2026-06-30
    wait_for_app(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("spinbutton", name="year, From").click()
    page.keyboard.type("20260402")  # year, month and day: each segment moves on to the next
    assert "from=" not in page.url  # typed, not yet applied
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"from=2026-04-02"))
    # the days of the last 90, as the quick range test counts them
    expect(page.get_by_text("6 support requests opened in the date range")).to_be_visible()
    shot(page, "typed_day_applied_on_enter")
