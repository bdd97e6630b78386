"""A chart's drill-down is kept in the link: a copied link opens the same list, drawn selected,
and can be clicked on from there or cleared."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import shot, wait_for_app
from tests.e2e.test_dashboard import BAR, click_bar, open_app


def test_a_bar_picked_is_in_the_link_and_the_link_opens_it(page, app_url, browser):
    open_app(page, app_url, "?as=u-cadmin")
    click_bar(page, "Reactive support", then_dimmed="Advisory support")
    expect(page).to_have_url(re.compile(r"pick-category=reactive"))
    link = page.url
    other = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        other.goto(link)
        wait_for_app(other)
        expect(other.get_by_text("Entitlements: Reactive support")).to_be_visible()
        # drawn as picked: the other bars dimmed before any click
        expect(other.locator(BAR.format("Advisory support")).first).to_have_attribute(
            "opacity", "0.35"
        )
        shot(other, "drill_down_opened_from_a_link")
        # a click adds to what the link picked, as a click adds to what earlier clicks did
        click_bar(other, "Advisory support", then_dimmed="Proactive services")
        expect(
            other.get_by_text("Entitlements: Advisory support, Reactive support")
        ).to_be_visible()
        expect(other).to_have_url(re.compile(r"pick-category=advisory&pick-category=reactive"))
        other.get_by_role("button", name="Clear selection").click()
        wait_for_app(other)
        expect(other.get_by_text("All entitlements behind the bars")).to_be_visible()
        assert "pick-category" not in other.url
    finally:
        other.close()
