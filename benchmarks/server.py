"""A fresh process: module import time, a real `streamlit run` server's start, its health
check, the time to the first rendered page in a browser, and its peak memory over every page;
and the same first page and memory for the stack's floor (`floor_app.py`)."""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import Timings, peak_rss_mb, resident_split_mb, run_child
from dashboard.app.pages import HOME, HOME_ALIASES, PAGES, address, visible

ROOT = Path(__file__).resolve().parents[1]
FLOOR_APP = Path(__file__).with_name("floor_app.py")
FIRST_PAGE_ROUNDS = 3
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The pages by name and address of the customer admin it browses as (every page but the
# administrators' own and the account managers' My customers); the default page
# (Enterprise-wide) lives at the root, named by its first alias.
PATHS = {
    (HOME_ALIASES[0] if page is HOME else page.url_path): address(page)
    for page in visible(administers=False)
}
ONE_CONTRACT = {page.url_path for page in PAGES if page.one_contract}  # opened with a contract
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# Streamlit's options for every server started here, after its port: on localhost, headless,
# sending no usage statistics and watching no files
SERVER_OPTIONS = (
    ("--server.address", "127.0.0.1"),
    ("--server.headless", "true"),
    ("--browser.gatherUsageStats", "false"),
    ("--server.fileWatcherType", "none"),
)


@dataclass(frozen=True)
class _Started:
    process: subprocess.Popen
    base: str  # http://127.0.0.1:<port>
    start: float  # perf_counter() just before the process was started


def import_seconds() -> float:
    """A fresh interpreter importing what the app imports."""
    code = (
        "import streamlit, polars, duckdb, altair, pyarrow,"
        " dashboard.app.charts, dashboard.app.results"
    )
    seconds, _, _ = run_child([sys.executable, "-c", code])
    return seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - localhost only
        return response.read()


def server_command(port: int) -> list[str]:
    """The app's server (`python -m dashboard serve`, as `make run` starts it) on
    localhost:`port`, headless, watching no files."""
    return [sys.executable, "-m", "dashboard", "serve", *_server_options(port)]


def floor_command(port: int) -> list[str]:
    """The stack's floor (`floor_app.py`, a one-chart Streamlit script) served like the app."""
    return [sys.executable, "-m", "streamlit", "run", str(FLOOR_APP), *_server_options(port)]


def _server_options(port: int) -> list[str]:
    """Streamlit's command-line options for a server on localhost:`port`."""
    pairs = [("--server.port", str(port)), *SERVER_OPTIONS]
    return [part for pair in pairs for part in pair]


def serve_and_browse(
    home: Path, user: str, contract: str | None, rounds: int = FIRST_PAGE_ROUNDS
) -> dict:
    """Start the app's server with a browser already waiting, open the first page, then every
    page, and measure (the browser's own start is not counted). Then, `rounds` times each,
    alternating, a fresh server of the app's and one of the stack's floor (`floor_app.py`) to
    their first page: the medians of those are the first-page figures, the first page being
    the one number of a single run that varies by a second or more from run to run here."""
    if not Path(CHROMIUM).exists():
        return {"browser": f"skipped: no {CHROMIUM}"}
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "CUSTOMER_ACTIVITY_DATA": str(home)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            measured = _browse_app(browser, env, user, contract)
            runs: dict[str, list[dict]] = {"app": [], "floor": []}
            for _ in range(rounds):
                runs["app"].append(_first_page_only(browser, env, server_command, f"?as={user}"))
                runs["floor"].append(_first_page_only(browser, env, floor_command, ""))
        finally:
            browser.close()
    first = {kind: _median_run(found) for kind, found in runs.items()}
    measured["start_to_healthy_s"] = first["app"]["start_to_healthy_s"]
    measured["process_start_to_first_page_s"] = first["app"]["process_start_to_first_page_s"]
    measured["first_page_rounds"] = rounds
    measured["floor"] = first["floor"]
    return measured


def _median_run(runs: list[dict]) -> dict:
    """The median of each figure of `runs` (the server's memory included)."""
    return {
        "start_to_healthy_s": _median([r["start_to_healthy_s"] for r in runs], 3),
        "process_start_to_first_page_s": _median(
            [r["process_start_to_first_page_s"] for r in runs], 3
        ),
        "server_peak_rss_mb": _median([r["server_peak_rss_mb"] for r in runs], 0),
        "server_resident_at_end_mb": {
            part: _median([r["server_resident_at_end_mb"][part] for r in runs], 0)
            for part in ("own", "files")
        },
    }


def _median(values: list[float], digits: int) -> float:
    found = round(statistics.median(values), digits)
    return int(found) if digits == 0 else found


@contextlib.contextmanager
def _server(command: Callable[[int], list[str]], env: dict[str, str]) -> Iterator[_Started]:
    """A server started from `command(port)` on a free port; stopped on the way out."""
    port = _free_port()
    start = time.perf_counter()
    process = subprocess.Popen(
        command(port), env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield _Started(process, f"http://127.0.0.1:{port}", start)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _browse_app(browser, env: dict[str, str], user: str, contract: str | None) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    with _server(server_command, env) as server:
        _first_page(page, server, f"?as={user}")
        health = Timings()
        for _ in range(20):
            t = time.perf_counter()
            _get(f"{server.base}/_stcore/health")
            health.add((time.perf_counter() - t) * 1000)
        pages = {}
        for name, path in PATHS.items():
            one_contract = contract and name in ONE_CONTRACT
            extra = f"&contract={contract}" if one_contract else ""
            t = time.perf_counter()
            page.goto(f"{server.base}/{path}?as={user}{extra}")
            _settle(page)
            pages[name] = round((time.perf_counter() - t) * 1000)
            if page.locator("[data-testid='stException']").count():
                raise RuntimeError(f"the page {name} shows an exception")
        rss, split = peak_rss_mb(server.process.pid), resident_split_mb(server.process.pid)
        page.close()  # before the server stops: a page left open would keep reconnecting
    return {
        "health_check": health.summary(),
        "browser_page_ms": pages,
        "server_peak_rss_mb": rss,
        "server_resident_at_end_mb": split,
    }


def _first_page_only(browser, env: dict[str, str], command, query: str) -> dict:
    """A fresh server from `command`, opened at its root with `query` up to its first page."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    with _server(command, env) as server:
        healthy, first = _first_page(page, server, query)
        rss, split = peak_rss_mb(server.process.pid), resident_split_mb(server.process.pid)
        page.close()  # before the server stops: a page left open would keep reconnecting
    return {
        "start_to_healthy_s": round(healthy, 3),
        "process_start_to_first_page_s": round(first, 3),
        "server_peak_rss_mb": rss,
        "server_resident_at_end_mb": split,
    }


def _first_page(page, server: _Started, query: str) -> tuple[float, float]:
    """Wait for the server's health check, open its root with `query`, and wait until the first
    chart is drawn and the script has finished: the seconds from the server's start to each."""
    _wait_healthy(server.base, server.process, server.start)
    healthy = time.perf_counter() - server.start
    page.goto(f"{server.base}/{query}")
    page.wait_for_selector("[data-testid='stVegaLiteChart']", timeout=120_000)
    page.wait_for_selector(IDLE, timeout=120_000)
    return healthy, time.perf_counter() - server.start


def _wait_healthy(base: str, server: subprocess.Popen, start: float) -> None:
    while True:
        try:
            _get(f"{base}/_stcore/health")
            return
        except OSError:
            if server.poll() is not None or time.perf_counter() - start > 60:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.02)


def _settle(page) -> None:
    page.wait_for_selector("[data-testid='stApp']", timeout=120_000)
    page.wait_for_timeout(200)
    page.wait_for_selector(IDLE, timeout=120_000)
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stSkeleton']\")", timeout=120_000
    )
