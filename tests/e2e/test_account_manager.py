"""An account manager in a browser, over the hand-made dataset: am-ann serves C1 Acme
Corporation and C2 Globex. The root lands on My customers; a row of its table opens that
customer's Enterprise-wide page; the navigation leads back without the row opening again; the
sidebar's Customer changes customer and clears the workspaces picked. Screenshots of My customers
and of a page asking which customer, at a laptop's and a phone's widths."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PAGE_WIDTHS, shot, wait_for_app
from tests.e2e.test_dashboard import open_app, pick_option
from tests.e2e.test_key_figures import ON_A_PHONE, assert_whole

# the portfolio's key columns, as the headers read: whole on a laptop (the outlook, long, after
# them), the first two on a phone, as tests/e2e/test_key_figures.py has it for the other pages
KEY_COLUMNS = ["Customer", "Days left", "Next contract end"]

TITLE_OF_PAGE = "h1"


def heading(page):
    return page.locator(TITLE_OF_PAGE).first


def sidebar_field(page, label: str):
    """The sidebar's select box or multiselect labelled `label`: its text shows what is picked."""
    fields = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'], "
                          "[data-testid='stSidebar'] [data-testid='stMultiSelect']")  # fmt: skip
    return fields.filter(has=page.get_by_role("combobox", name=label)).first


def click_row(page, row: int) -> None:
    """Tick the checkbox of the table's `row` (from 0): a header 36 pixels high, rows 35."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 36 + 35 * row + 17)
    wait_for_app(page)


def test_my_customers_opens_a_customer_and_leads_back(page, app_url):
    open_app(page, app_url, "?as=am-ann")
    expect(heading(page)).to_have_text("My customers")
    expect(page).to_have_url(re.compile(r"/customers\?as=am-ann$"))
    grid = page.locator("[data-testid='stDataFrame']").first
    expect(grid).to_contain_text("Globex")
    click_row(page, 1)  # Globex: 184 days left, after Acme's 77
    expect(heading(page)).to_have_text("Enterprise-wide")
    expect(page).to_have_url(re.compile(r"customer=C2"))
    expect(page.get_by_role("combobox", name="Customer")).to_have_value("Globex")
    expect(
        page.get_by_text("Data as of 30 Jun 2026 · Globex · all your workspaces")
    ).to_be_visible()

    # back through the navigation: the portfolio again, the row not opening Globex once more
    page.get_by_role("link", name="My customers").click()
    wait_for_app(page)
    page.wait_for_timeout(1_000)  # a rerun the table's old pick would start comes by now
    wait_for_app(page)
    expect(heading(page)).to_have_text("My customers")
    expect(page).to_have_url(re.compile(r"/customers\?"))
    expect(page.locator("[data-testid='stDataFrame']").first).to_contain_text("Acme Corporation")

    # Globex with its workspace picked, then Acme in the sidebar: no workspace of Globex kept
    page.get_by_role("link", name="Enterprise-wide").click()
    wait_for_app(page)
    pick_option(page, "Workspaces", "Globex Main")
    expect(page).to_have_url(re.compile(r"ws=W3"))
    expect(sidebar_field(page, "Workspaces")).to_contain_text("Globex Main")
    pick_option(page, "Customer", "Acme Corporation")
    expect(page).to_have_url(re.compile(r"customer=C1"))
    assert "ws=" not in page.url
    expect(page.get_by_role("combobox", name="Customer")).to_have_value("Acme Corporation")
    expect(sidebar_field(page, "Workspaces")).not_to_contain_text("Globex Main")
    expect(page.get_by_text("Data as of 30 Jun 2026 · Acme Corporation · all your")).to_be_visible()
    assert page.locator("[data-testid='stAlert']").filter(has_text="dropped").count() == 0


def test_a_page_asking_which_customer_opens_the_one_clicked(page, app_url):
    open_app(page, app_url, "renewal?as=am-ann")
    expect(heading(page)).to_have_text("Renewal planning")
    page.get_by_role("link", name="Globex").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/renewal\?.*customer=C2"))
    expect(heading(page)).to_have_text("Renewal planning")
    expect(page.get_by_role("combobox", name="Customer")).to_have_value("Globex")
    expect(
        page.get_by_text("Data as of 30 Jun 2026 · Globex · all your workspaces")
    ).to_be_visible()
    assert page.get_by_role("link", name="Acme Corporation").count() == 0  # asked no more


@pytest.mark.parametrize("width", [1400, 1024, 390])
@pytest.mark.parametrize(("path", "name"), [("customers", "my_customers"), ("renewal", "which")])
def test_account_manager_pages_fit_the_width(browser, app_url, path, name, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        open_app(page, app_url, f"{path}?as=am-ann")
        if path == "renewal":  # no customer picked: the page asks which
            expect(page.get_by_role("link", name="Globex")).to_be_visible()
        else:
            page.locator("[data-testid='stVegaLiteChart']").nth(1).wait_for()
            assert_whole(page, KEY_COLUMNS if width > 390 else KEY_COLUMNS[:ON_A_PHONE])
        # nothing wider than the window: no sideways scrolling of the page itself
        widths = page.evaluate(PAGE_WIDTHS)
        assert max(widths) <= width, widths
        shot(page, f"account_manager_{name}_{width}")
    finally:
        context.close()
