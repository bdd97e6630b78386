"""A fresh process: module import time, a real `streamlit run` server's start, its health
check, the time to the first rendered page in a browser, and its peak memory over every page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks.measure import Timings, peak_rss_mb, resident_split_mb, run_child

ROOT = Path(__file__).resolve().parents[1]
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
# The pages by name and address; the default page (Enterprise-wide) lives at the root.
PATHS = {
    "enterprise": "",
    "add-ons": "add-ons",
    "renewal": "renewal",
    "proof-of-delivery": "proof-of-delivery",
    "support": "support",
    "education": "education",
    "contacts": "contacts",
    "assessments": "assessments",
    "credits": "credits",
    "additional-cases": "additional-cases",
    "data": "data",
}
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def import_seconds() -> float:
    """A fresh interpreter importing what the app imports."""
    code = "import streamlit, polars, duckdb, altair, pyarrow, dashboard.charts, dashboard.data"
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
    return [sys.executable, "-m", "dashboard", "serve",
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none"]  # fmt: skip


def serve_and_browse(home: Path, user: str, contract: str | None) -> dict:
    """Start the server with a browser already waiting, open the first page, then every page;
    measure (the browser's own start is not counted)."""
    if not Path(CHROMIUM).exists():
        return {"browser": f"skipped: no {CHROMIUM}"}
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "CUSTOMER_ACTIVITY_DATA": str(home)}
    command = server_command(port)
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        server = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            _wait_healthy(base, server, start)
            healthy = time.perf_counter() - start
            page.goto(f"{base}/?as={user}")
            page.wait_for_selector("[data-testid='stVegaLiteChart']", timeout=120_000)
            page.wait_for_selector(IDLE, timeout=120_000)
            first = time.perf_counter() - start
            health = Timings()
            for _ in range(20):
                t = time.perf_counter()
                _get(f"{base}/_stcore/health")
                health.add((time.perf_counter() - t) * 1000)
            pages = {}
            for name, path in PATHS.items():
                one_contract = contract and name in {"add-ons", "proof-of-delivery"}
                extra = f"&contract={contract}" if one_contract else ""
                t = time.perf_counter()
                page.goto(f"{base}/{path}?as={user}{extra}")
                _settle(page)
                pages[name] = round((time.perf_counter() - t) * 1000)
                if page.locator("[data-testid='stException']").count():
                    raise RuntimeError(f"the page {name} shows an exception")
            rss, split = peak_rss_mb(server.pid), resident_split_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
            browser.close()
    return {
        "start_to_healthy_s": round(healthy, 3),
        "health_check": health.summary(),
        "process_start_to_first_page_s": round(first, 3),
        "browser_page_ms": pages,
        "server_peak_rss_mb": rss,
        "server_resident_at_end_mb": split,
    }


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
