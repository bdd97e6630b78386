"""The figures that matter on Enterprise-wide and Renewal planning are in view without scrolling
sideways: on a laptop (1,400 pixels, and 1,024 with the sidebar open, which leaves the page
about 560) every key column of each grid, and on a phone (390) the first two of each row.

A grid is drawn on a canvas; beside it, for screen readers, it keeps a table of the cells in
view, a column as soon as any of it is in view. So the key columns are whole when they are the
first headers of that table and a further column has begun to be drawn after them."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, wait_for_app

HEADERS = "grid => [...grid.querySelectorAll('[role=columnheader]')].map(h => h.innerText.trim())"

# each grid's key columns, as the headers read, in the order they must come
KEY_COLUMNS = {
    "": [
        ["Contract number", "Days left", "End", "Renewed by", "Expiring soon"],
        ["Entitlement", "Utilisation", "Remaining", "Used", "Purchased"],
    ],
    "renewal": [
        ["Name", "Forecast", "Days left", "Contract number"],
        ["Name", "Suggestion", "Purchased", "Used"],
        ["Category", "Change in use", "Used this term", "Used previous term same share"],
    ],
}
ON_A_PHONE = 2  # the key columns a phone shows: what the row is and its first figure


def open_page(page, app_url: str, path: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{app_url}/{path}?as=u-cadmin&status=all")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert errors == []


def headers_in_view(grid) -> list[str]:
    """The headers of the columns of `grid` in view, once it is scrolled into the page's view
    (a grid out of view draws nothing)."""
    grid.scroll_into_view_if_needed()
    expect(grid.locator("[role=columnheader]").first).to_be_attached()
    return grid.evaluate(HEADERS)


def grid_led_by(page, first: list[str]):
    """The grid whose first columns are headed `first`, and the headers it shows."""
    grids = page.locator("[data-testid='stDataFrame']")
    seen = []
    for i in range(grids.count()):
        if not grids.nth(i).is_visible():  # in a closed expander
            continue
        headers = headers_in_view(grids.nth(i))
        if headers[: len(first)] == first:
            return grids.nth(i), headers
        seen.append(headers)
    pytest.fail(f"no grid begins with {first}; the grids show {seen}")


def assert_whole(page, keys: list[str]) -> None:
    grid, headers = grid_led_by(page, keys[:2])
    assert headers[: len(keys)] == keys, headers
    # a further column begun: the key ones end before the grid's right edge
    assert len(headers) > len(keys), f"{keys[-1]} runs past the edge: {headers}"
    box = grid.bounding_box()
    main = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    right = min(main["x"] + main["width"], page.viewport_size["width"])
    assert box["x"] >= main["x"] - 0.5 and box["x"] + box["width"] <= right + 0.5


@pytest.mark.parametrize("width", [1400, 1024])
@pytest.mark.parametrize("path", ["", "renewal"])
def test_every_key_figure_is_in_view_on_a_laptop(page, app_url, path, width):
    open_page(page, app_url, path, width)
    if width == 1024:  # the narrowest laptop page: the sidebar takes its share
        assert page.locator("[data-testid='stSidebar']").is_visible()
    for keys in KEY_COLUMNS[path]:
        assert_whole(page, keys)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"key_figures_{path or 'enterprise'}_{width}.png")


@pytest.mark.parametrize("path", ["", "renewal"])
def test_a_phone_shows_what_each_row_is_and_its_first_figure(page, app_url, path):
    open_page(page, app_url, path, 390)
    for keys in KEY_COLUMNS[path]:
        assert_whole(page, keys[:ON_A_PHONE])
    page.screenshot(path=ARTIFACTS / f"key_figures_{path or 'enterprise'}_390.png")
