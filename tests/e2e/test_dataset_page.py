"""The dataset page in a real browser: it renders, shows the as-of day and every table."""

from tests.e2e.conftest import ARTIFACTS, wait_for_app


def test_dataset_page_renders(page, app_url):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_text("Table sizes").wait_for()
    assert page.get_by_test_id("stMetricValue").first.inner_text() == "2026-06-30"
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=ARTIFACTS / "dataset_page.png", full_page=True)
    assert errors == []
