"""Every page in Polish in a real browser whose language is Polish (no `lang` in the link): the
page's title in Polish, no sideways scrolling and no figure cut short at a laptop's and a
phone's width (Polish words are longer). Screenshots of each page go to
test-artifacts/polish_*.png to be looked at. And the language picked in an English browser:
the tables' numbers follow it, and every choice made stays through the change."""

import re

import pytest
from playwright.sync_api import expect

from dashboard.app import pages
from dashboard.app.sidebar import status_label
from dashboard.language import _, speaking
from tests.e2e.conftest import ARTIFACTS, PAGE_WIDTHS, shot
from tests.e2e.test_dashboard import CUT_FIGURES, open_app, pick_option

ADMIN = [page for page in pages.visible(administers=True) if page.url_path != "customers"]


def polish(text: str) -> str:
    return in_polish(_, text)


def in_polish(words, *args) -> str:
    with speaking("pl"):
        return words(*args)


@pytest.fixture
def polish_browser(browser):
    contexts = []

    def tab(width: int):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="pl-PL")
        contexts.append(context)
        return context.new_page()

    yield tab
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("entry", ADMIN, ids=[page.url_path for page in ADMIN])
def test_each_page_reads_in_polish_and_fits(polish_browser, app_url, entry, width):
    page = polish_browser(width)
    open_app(page, app_url, f"{pages.address(entry)}?as=u-cadmin&status=all")
    heading = page.locator("h1").first.inner_text().strip()
    assert heading and heading != entry.title  # the page's own heading, not in English
    assert polish(entry.title) != entry.title  # the page's name has a Polish form
    if width > 390:  # the sidebar is folded away on a phone
        navigation = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert polish(entry.title) in navigation
    widths = page.evaluate(PAGE_WIDTHS)
    assert max(widths) <= width, widths
    assert page.evaluate(CUT_FIGURES) == []
    shot(page, f"polish_{entry.url_path}_{width}")


# what the page told the browser, and a number as Streamlit writes a table's ("localized": with
# the browser's Intl.NumberFormat for navigator.languages)
TOLD = (
    "[navigator.languages, document.documentElement.lang,"
    " new Intl.NumberFormat(navigator.languages).format(1234.5),"
    " new Intl.NumberFormat(navigator.languages, {maximumFractionDigits: 1}).format(25.5)]"
)
SUPPORT = pages.by_path("support")


def test_tables_follow_the_language_picked_and_choices_stay(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    page = context.new_page()
    try:
        open_app(page, app_url, "support?as=u-cadmin&status=all")
        assert page.evaluate(TOLD) == [["en"], "en", "1,234.5", "25.5"]
        for _ in range(2):  # there and back twice: a choice once went astray the second time
            pick_option(page, "Language", "Polski")
            expect(page.locator("h1").first).to_have_text(polish(SUPPORT.title))
            assert page.evaluate(TOLD) == [["pl"], "pl", "1\u00a0234,5", "25,5"]
            assert_choices_kept(page, in_polish(status_label, "all"))
            pick_option(page, "Język", "English")
            expect(page.locator("h1").first).to_have_text(SUPPORT.title)
            assert page.evaluate(TOLD) == [["en"], "en", "1,234.5", "25.5"]
            assert_choices_kept(page, status_label("all"))
        pick_option(page, "Language", "Polski")
        grid = page.locator("[data-testid='stDataFrame']").first
        grid.scroll_into_view_if_needed()
        grid.screenshot(path=ARTIFACTS / "polish_table_in_an_english_browser.png")
    finally:
        context.close()


def assert_choices_kept(page, all_statuses: str) -> None:
    """Still the support page, seen as Cara Admin, with packages of every status."""
    assert re.search(r"/support\?", page.url) and "as=u-cadmin" in page.url, page.url
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_role("combobox").first).to_have_value(re.compile("^Cara Admin"))
    expect(sidebar.get_by_role("radio", name=all_statuses, exact=True)).to_be_checked()
