"""The dashboard in a real browser over the hand-made dataset: every page, filters, a chart
click, a copied link, and a CSV download. Screenshots land in test-artifacts/."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import metric, shot, wait_for_app

BAR = "[aria-roledescription='bar'][aria-label*='shown: {}; measure: Used']"


def click_bar(page, label: str, then_dimmed: str | None) -> None:
    """Click a bar, wait for the rerun and for the chart to show the selection it now has."""
    page.locator(BAR.format(label)).first.click()
    wait_for_app(page)
    other = page.locator(BAR.format(then_dimmed or label)).first
    expect(other).to_have_attribute("opacity", "0.35" if then_dimmed else "1")


def pick_option(page, label: str, option: str) -> None:
    """Choose `option` in the select box labelled `label`, by typing it as a person would."""
    box = page.get_by_role("combobox", name=re.compile(label))
    box.click()
    box.press_sequentially(option)
    expect(page.get_by_role("option", name=option)).to_be_visible(timeout=15_000)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_for_app(page)


def open_app(page, url: str, query: str | None = None) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url if query is None else f"{url}/{query}")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert errors == []


def test_every_page_renders(page, app_url):
    open_app(page, app_url, "?as=u-cadmin")
    assert page.get_by_role("heading", name="Enterprise-wide").is_visible()
    assert metric(page, "Active contracts") == "3"
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    shot(page, "enterprise_customer_admin")
    page.get_by_role("link", name="Add-on packages").click()
    wait_for_app(page)
    expect(page.get_by_text("one contract at a time")).to_be_visible()
    shot(page, "add_ons_pick_a_contract")
    open_app(page, app_url, "add-ons?as=u-cadmin&contract=K-A&status=all")
    expect(page.get_by_text("Workshop add-on").first).to_be_visible()
    assert page.get_by_text("Expiring soon").first.is_visible()
    shot(page, "add_ons_contract")
    page.get_by_role("link", name="About the data").click()
    wait_for_app(page)
    expect(page.get_by_text("Every figure in the app is worked out")).to_be_visible()
    shot(page, "about_the_data")


def test_no_access_page(page, app_url):
    open_app(page, app_url, "?as=u-none")
    assert page.get_by_role("heading", name="No access to Customer Activity").is_visible()
    expect(page.get_by_text("Cara Admin")).to_be_visible()
    assert page.locator("[data-testid='stMetric']").count() == 0
    shot(page, "no_access")


def test_changing_a_filter_updates_the_page_and_the_link(page, app_url, browser):
    open_app(page, app_url, "?as=u-cadmin")
    assert metric(page, "Active contracts") == "3"
    pick_option(page, "Workspaces", "Acme Lab")
    expect(page.get_by_test_id("stMetric").filter(has_text="Active contracts")).to_contain_text("1")
    wait_for_app(page)
    assert "ws=W2" in page.url and "as=u-cadmin" in page.url
    shot(page, "enterprise_workspace_filter")
    page.get_by_role("link", name="Add-on packages").click()
    wait_for_app(page)
    assert "ws=W2" in page.url  # the filters survive a page change
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_text("Acme Lab", exact=True).is_visible()
    page.get_by_role("link", name="Enterprise-wide").click()
    wait_for_app(page)
    assert metric(page, "Active contracts") == "1"
    copied = page.url
    other = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    open_app(other, copied)
    assert metric(other, "Active contracts") == "1"
    assert other.get_by_text("Acme Lab").first.is_visible()
    other.context.close()


def test_clicking_a_bar_filters_the_table_and_its_download(page, app_url):
    open_app(page, app_url, "?as=u-cadmin")
    click_bar(page, "Reactive support", then_dimmed="Advisory support")
    expect(page.get_by_text("Entitlements: Reactive support")).to_be_visible()
    shot(page, "enterprise_bar_clicked")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").nth(1).click()
    download = download_info.value
    assert re.fullmatch(r"enterprise_entitlements_all-workspaces_active_as-of-2026-06-30\.csv",
                        download.suggested_filename)  # fmt: skip
    text = open(download.path(), encoding="utf-8-sig").read()
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:6] == ["category", "unit", "contract_number", "package_name", "entitlement",
                          "purchased"]  # fmt: skip
    assert sorted(row[4] for row in rows) == [
        "Lab reactive support",
        "Reactive support",
        "Unassigned reactive",
    ]
    assert {row[0] for row in rows} == {"Reactive support"}  # as the bar says
    page.get_by_role("button", name="Clear selection").click()
    wait_for_app(page)
    expect(page.get_by_text("All entitlements behind the bars")).to_be_visible()
    click_bar(page, "Proactive services", then_dimmed="Advisory support")
    expect(page.get_by_text("Entitlements: Proactive services")).to_be_visible()
    click_bar(page, "Proactive services", then_dimmed=None)  # again: clears it
    expect(page.get_by_text("All entitlements behind the bars")).to_be_visible()


def test_a_reason_picked_on_additional_cases_narrows_the_list_and_its_download(page, app_url):
    open_app(page, app_url, "additional-cases?as=u-cadmin")
    reason = "[aria-roledescription='bar'][aria-label*='Reason: {}']"
    page.locator(reason.format("Special service")).first.click()
    wait_for_app(page)
    expect(page.locator(reason.format("No entitlement")).first).to_have_attribute("opacity", "0.35")
    # K5 (SU) and K7 (REC) are the special services; K7's contract ended 2025-12-31 as well
    expect(page.get_by_text("2 additional cases")).to_be_visible()
    shot(page, "additional_cases_reason_picked")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    with open(download_info.value.path(), encoding="utf-8-sig", newline="") as listed:
        reasons = {row["case_id"]: row["reasons"] for row in csv.DictReader(listed)}
    assert reasons == {"K5": "Special service", "K7": "Expired contract, Special service"}


def test_a_case_is_looked_up_by_its_number_and_title_words(page, app_url):
    open_app(page, app_url, "support?as=u-cadmin&status=all")
    find = page.get_by_role("searchbox", name="Find support requests")
    find.fill("k7")
    find.press("Enter")  # as a person commits it
    wait_for_app(page)
    expect(
        page.get_by_text("Matching “k7”: 1 of the support requests in this selection.")
    ).to_be_visible()
    grid = page.locator("[data-testid='stDataFrame']").first
    expect(grid).to_contain_text("Late case on the old term")
    find.fill("LAB contract")
    find.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Matching “LAB contract”: 1 of")).to_be_visible()
    shot(page, "support_request_found")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").first.click()
    with open(download_info.value.path(), encoding="utf-8-sig", newline="") as listed:
        assert [row["case_id"] for row in csv.DictReader(listed)] == ["K6"]
    # the search is in the link, beside the filters; the link opens with it
    assert "status=all" in page.url and "find-support_requests=LAB+contract" in page.url
    page.goto(page.url)
    wait_for_app(page)
    expect(find).to_have_value("LAB contract")
    expect(page.get_by_text("Matching “LAB contract”: 1 of")).to_be_visible()


def test_a_link_with_foreign_values_shows_a_notice(page, app_url):
    open_app(page, app_url, "?as=u-wsadmin&ws=W3&contract=%3Cb%3Ebold%3C/b%3E")
    notices = page.locator("[data-testid='stAlert']").all_inner_texts()
    assert any("W3" in n for n in notices)
    assert any("<b>bold</b>" in n for n in notices)  # shown as text, not markup
    assert metric(page, "Active contracts") == "1"
    shot(page, "link_with_foreign_values")


def test_a_picked_date_range_reads_whole_in_the_sidebar(page, app_url):
    open_app(page, app_url, "?as=u-cadmin&from=2026-03-01&to=2026-06-30")
    sidebar = page.locator("[data-testid='stSidebar']")
    for label, day in (("From", "2026-03-01"), ("To", "2026-06-30")):
        field = sidebar.locator("[data-testid='stDateInput']").filter(has_text=label)
        assert field.locator("input").input_value() == day
        # the whole day fits in the box, not cut at its edge ("2026-03-0")
        shown = field.locator("[data-testid='stDateInputFieldsScroller']")
        assert shown.evaluate("e => e.scrollWidth <= e.clientWidth"), label
    shot(page, "date_range_in_the_sidebar")


def test_a_quick_range_fills_the_days_and_the_link(page, app_url):
    open_app(page, app_url, "?as=u-cadmin")  # the hand-made dataset is as of 2026-06-30
    pick_option(page, "Range", "Last 90 days")
    sidebar = page.locator("[data-testid='stSidebar']")
    for label, day in (("From", "2026-04-02"), ("To", "2026-06-30")):
        field = sidebar.locator("[data-testid='stDateInput']").filter(has_text=label)
        expect(field.locator("input")).to_have_value(day)
    assert "from=2026-04-02" in page.url and "to=2026-06-30" in page.url
    expect(page.get_by_text("6 support requests opened in the date range")).to_be_visible()
    shot(page, "quick_range_last_90_days")


@pytest.mark.parametrize("name", ["enterprise", "enterprise-wide"])
def test_a_link_to_enterprise_by_name_opens_it_with_its_filters(page, app_url, name):
    # Streamlit serves the default page at the root only: /enterprise and /enterprise-wide (the
    # page's name in the sidebar) showed "Page not found"
    open_app(page, app_url, f"{name}?as=u-cadmin&ws=W2")
    expect(page.get_by_role("heading", name="Enterprise-wide")).to_be_visible()
    assert page.get_by_text("Page not found").count() == 0
    assert metric(page, "Active contracts") == "1"  # the link's workspace, not all three
    assert "ws=W2" in page.url and "as=u-cadmin" in page.url
    assert f"/{name}" not in page.url


DETAIL_VIEWS = {
    "renewal": "Renewal planning",
    "proof-of-delivery": "Proof of delivery",
    "support": "Support and proactive services",
    "education": "On-demand education",
    "contacts": "Named support contacts",
    "assessments": "On-demand assessments",
    "credits": "Proactive credits",
    "additional-cases": "Additional cases",
}


def test_every_detail_view_renders(page, app_url):
    for path, title in DETAIL_VIEWS.items():
        open_app(page, app_url, f"{path}?as=u-cadmin&status=all")
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        shot(page, f"detail_{path.replace('-', '_')}")


def test_learners_hidden_from_a_viewer_without_the_right(page, app_url):
    open_app(page, app_url, "education?as=u-act")
    expect(page.get_by_text("you see the counts above")).to_be_visible()
    assert page.get_by_role("button", name=re.compile("Training report")).count() == 0
    shot(page, "detail_education_without_learners")


def test_entitlement_detail_opens_its_view(page, app_url):
    page.set_viewport_size({"width": 1400, "height": 2400})
    open_app(page, app_url, "add-ons?as=u-cadmin&contract=K-A&status=all")
    grid = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    page.mouse.click(grid["x"] + 14, grid["y"] + 36 + 35 + 17)  # the second row's checkbox
    wait_for_app(page)
    expect(page.get_by_text("Usage history")).to_be_visible()
    shot(page, "add_ons_entitlement_detail")
    page.get_by_text("Open its detail view").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Support and proactive services")).to_be_visible()


CUT_FIGURES = """() => [...document.querySelectorAll("[data-testid='stMetric'] *")]
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1
                 && getComputedStyle(e).overflow !== "visible")
    .map(e => e.innerText)"""


@pytest.mark.parametrize("path", ["", "support", "renewal"])
def test_figures_are_whole_on_a_laptop_with_the_sidebar_open(page, app_url, path):
    """At 1,024 pixels the sidebar leaves about 560 for the page: four figures in columns had
    their labels cut ("Soonest contra…"); they wrap onto a second line instead."""
    page.set_viewport_size({"width": 1024, "height": 900})
    open_app(page, app_url, f"{path}?as=u-cadmin&status=all")
    assert page.locator("[data-testid='stSidebar']").is_visible()
    assert page.locator("[data-testid='stMetric']").count() >= 3
    assert page.evaluate(CUT_FIGURES) == []


def test_the_benchmark_times_every_page_opened_from_its_sidebar_link(browser, app_url):
    """What the benchmark reports as the wait after a click: every page is reached by its link
    and drawn (a link it could not find, or a page it could not see drawn, would be None), with
    the server's part of that wait (until the frame saying the run finished) inside it, and
    the charts the page drew counted."""
    from benchmarks.browser import Tab, visiting_order

    tab = Tab(browser, app_url, "as=u-cadmin&status=all")
    try:
        assert tab.runs.whole >= 1  # the first page's run, seen finished over the WebSocket
        for visit in visiting_order(account_manager=False):
            ms = tab.click(visit.path)
            assert ms is not None and ms > 0, visit.title
            assert tab.served is not None and 0 < tab.served <= ms, (visit.title, tab.served)
            shown = tab.shown()
            if visit.path == "":  # Enterprise-wide charts consumption
                assert shown["charts"] >= 1
            # each table the run sent, with its rows and columns (a bare page is drawn so)
            assert len(shown["table_sizes"]) == shown["tables"], visit.title
            if visit.path == "support":  # its list: the fixture's cases Carol sees, 15 columns
                assert any(rows > 0 and columns > 5 for rows, columns in shown["table_sizes"])
        assert tab.page.url.startswith(f"{app_url}/?")  # the home page, last, by its link
        assert "as=u-cadmin" in tab.page.url  # one session throughout: the viewer kept
    finally:
        tab.close()


def _inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
    )


@pytest.mark.parametrize("path", ["support", ""])
def test_a_phone_draws_the_bars_wide_and_every_legend_entry(page, app_url, path):
    """At 390 pixels, bar labels took up to 260 pixels of the 358 a chart has: the bars had
    what was left (nothing, beside an "over by N" note) and the legend's last entries were cut
    at the chart's edge. Labels now take at most two fifths of a narrow chart, and a legend too
    wide for one row takes two columns."""
    page.set_viewport_size({"width": 390, "height": 1400})
    open_app(page, app_url, f"{path}?as=u-cadmin&status=all")
    chart = page.locator("[data-testid='stVegaLiteChart'] svg").first  # against purchased
    whole = chart.bounding_box()
    # every unit's plot: Enterprise-wide draws them one above the other in one chart
    labels = chart.locator("[aria-roledescription='axis'][aria-label^='Y-axis']")
    bars = chart.locator("[aria-roledescription='axis'][aria-label^='X-axis']")
    assert labels.count() == bars.count() >= 1
    for n in range(labels.count()):
        # the limit, and the ticks beside it
        assert labels.nth(n).bounding_box()["width"] <= 0.4 * whole["width"] + 12
        assert bars.nth(n).bounding_box()["width"] >= 0.4 * whole["width"]  # 170 of 358, 29 before
    legend = chart.locator("[aria-roledescription='legend']")
    assert legend.count() == 1
    assert _inside(legend.bounding_box(), whole)
    shot(page, f"phone_{path or 'enterprise'}")


def test_a_phone_ends_a_long_chart_title_with_an_ellipsis(page, app_url):
    """On a small phone (320 pixels), the title over a credits balance ran past the chart's
    edge and was clipped mid-letter; it now ends with an ellipsis inside the chart."""
    page.set_viewport_size({"width": 320, "height": 1400})
    open_app(page, app_url, "credits?as=u-cadmin&status=all")
    chart = page.locator("[data-testid='stVegaLiteChart'] svg").first
    titles = chart.locator("g.role-title text")
    assert titles.count() >= 1
    whole = chart.bounding_box()
    for n in range(titles.count()):
        assert _inside(titles.nth(n).bounding_box(), whole), titles.nth(n).text_content()
    assert any(titles.nth(n).text_content().endswith("…") for n in range(titles.count()))
