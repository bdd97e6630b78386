"""In the browser: a download clicked after a re-import is refused, and says why under its
button."""

from dashboard.ingest.importer import import_dataset
from tests.conftest import FIXTURE, FIXTURE_AS_OF
from tests.e2e.conftest import shot, start_app, stop, wait_for_app


def test_a_download_clicked_after_a_reimport_says_why_it_was_refused(page, tmp_path):
    home = tmp_path / "home"
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    url, server = start_app(home, "download-recheck-server")
    try:
        page.goto(f"{url}/?as=u-cadmin")
        wait_for_app(page)
        button = page.get_by_role("button", name="Download CSV").first
        with page.expect_download() as made:  # as usual while nothing changed
            button.click()
        assert made.value.suggested_filename.endswith(".csv")
        import_dataset(FIXTURE, home, FIXTURE_AS_OF)
        button.click()
        error = page.locator("[data-testid='stDownloadButtonError']").first
        error.wait_for()
        assert "the data has been updated since the page was drawn" in error.inner_text()
        shot(page, "download_refused_after_reimport")
    finally:
        stop(server)
