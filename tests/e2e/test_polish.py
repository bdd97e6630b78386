"""Every page in Polish in a real browser whose language is Polish (no `lang` in the link): the
page's title in Polish, no sideways scrolling and no figure cut short at a laptop's and a
phone's width (Polish words are longer). Screenshots of each page go to
test-artifacts/polish_*.png to be looked at."""

import pytest

from dashboard.app import pages
from dashboard.language import _, speaking
from tests.e2e.conftest import ARTIFACTS, wait_for_app
from tests.e2e.test_dashboard import CUT_FIGURES, open_app

ADMIN = [page for page in pages.visible(administers=True) if page.url_path != "customers"]
WIDE = "[document.documentElement.scrollWidth, ...[...document.querySelectorAll('[data-testid=stMain]')].map(e => e.scrollWidth)]"  # noqa: E501


def polish(text: str) -> str:
    with speaking("pl"):
        return _(text)


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
    widths = page.evaluate(WIDE)
    assert max(widths) <= width, widths
    assert page.evaluate(CUT_FIGURES) == []
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
        ".map(e => e.scrollHeight), 900)"
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 6000)})
    wait_for_app(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"polish_{entry.url_path}_{width}.png")
