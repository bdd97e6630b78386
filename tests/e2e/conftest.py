"""Browser tests: one Streamlit server per session over the hand-made dataset, and Chromium."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.local_services import ServiceFailed, free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    try:
        wait_until_up(url, process, log)
    except ServiceFailed as problem:
        pytest.fail(str(problem))


def start_app(
    data_home: Path, name: str, *extra: str, port: int | None = None
) -> tuple[str, subprocess.Popen]:
    """The app's server as `make run` starts it (`python -m dashboard serve`) on a free port
    over `data_home`; its log in ARTIFACTS."""
    port = port or free_port()
    env = {**os.environ, "CUSTOMER_ACTIVITY_DATA": str(data_home)}
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"{name}.log"
    server = subprocess.Popen(
        [
            sys.executable, "-m", "dashboard", "serve",
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", *extra,
        ],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/_stcore/health", server, log)
    return url, server


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def app_url(tiny_home):
    url, server = start_app(tiny_home, "server")
    yield url
    stop(server)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run must install it")
        pytest.skip("chromium is not installed here (`apt-get install chromium`; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def wait_for_app(page) -> None:
    """Wait until the script run has finished and nothing is still loading."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    page.wait_for_function("!document.querySelector(\"[data-testid='stSkeleton']\")")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")


# the page's widths and its main area's: none wider than the window means no sideways scrolling
PAGE_WIDTHS = (
    "[document.documentElement.scrollWidth, "
    "...[...document.querySelectorAll('[data-testid=stMain]')].map(e => e.scrollWidth)]"
)


def shot(page, name: str) -> None:
    """Save a screenshot of the whole app (its main area scrolls on its own) as an artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
        ".map(e => e.scrollHeight), 900)"
    )
    wanted = min(int(height) + 40, 6000)
    if wanted > page.viewport_size["height"]:  # only ever grow: a resize redraws the grids
        page.set_viewport_size({"width": page.viewport_size["width"], "height": wanted})
        wait_for_app(page)
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has_text=label)
    return box.locator("[data-testid='stMetricValue']").inner_text()
