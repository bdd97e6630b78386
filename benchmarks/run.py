"""What the benchmark measures at one size; see benchmarks/README.md for the list."""

from __future__ import annotations

import functools
import random
import shutil
import sys
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl

from benchmarks import browser as web
from benchmarks import datasets, naive, pages, server
from benchmarks.measure import Timings, interleaved, run_child, timed
from benchmarks.scopes import Viewpoint, viewpoints
from dashboard.app.results import LIST_ROWS
from dashboard.ingest import data_home
from dashboard.ingest.parquet_layout import DERIVED
from dashboard.query.dataset import Dataset
from dashboard.query.filters import LINK

HOME_QUERIES = (
    "active_contracts",
    "enterprise_consumption",
    "monthly_consumption",
    "support_request_counts",
)


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def measure_size(
    size: str,
    rounds: int,
    browser: bool,
    browser_rounds: int = web.ROUNDS,
    only_browser: bool = False,
) -> dict:
    """Everything at one size; with `only_browser`, the dataset and the browser part alone
    (every viewpoint's pages in the browser, beside the floor)."""
    home, built = datasets.production(size)
    control = datasets.unsorted(size)
    fast = Dataset(data_home.current_dataset(home))
    slow = Dataset(control)
    say(f"{size}: {built['usage_rows']:,} usage rows")
    result: dict = {
        "dataset": {
            **built,
            "row_groups": {
                "production": datasets.row_groups(fast.folder, "cases"),
                "unsorted": datasets.row_groups(slow.folder, "cases"),
            },
        },
        "viewpoints": [],
    }
    points = viewpoints(fast)
    if only_browser:
        result["browser"] = every_page_in_the_browser(size, home, fast, points, browser_rounds)
        fast.close()
        slow.close()
        return result
    for point in points:
        say(f"{size}: {point.label} ({point.user})")
        result["viewpoints"].append(measure_viewpoint(home, fast, slow, point, rounds))
    say(f"{size}: concurrency")
    admin = points[0]
    sets = [p["calls"] for p in result["viewpoints"][0].pop("_sets")]
    for entry in result["viewpoints"][1:]:
        entry.pop("_sets")
    result["concurrency"] = {n: concurrent(fast, sets, n) for n in (1, 4, 8)}
    result["apptest_floor"] = Timings(pages.floor(rounds)).summary()
    say(f"{size}: import")
    result["import"] = measure_import(fast.folder)
    if browser:
        say(f"{size}: a fresh server and a browser")
        result["process"] = {"import_s": round(server.import_seconds(), 3)}
        result["process"].update(server.serve_and_browse(home, admin.user, admin.contract))
        result["browser"] = every_page_in_the_browser(size, home, fast, points, browser_rounds)
    fast.close()
    slow.close()
    return result


def every_page_in_the_browser(
    size: str, home: Path, dataset: Dataset, points: list[Viewpoint], rounds: int
) -> dict:
    """Each viewpoint's pages clicked and redrawn in a browser session of its own, beside the
    floor (benchmarks/browser.py)."""
    say(f"{size}: every viewpoint's pages in the browser, {rounds} rounds")
    found = web.measure(home, dataset.as_of, web.sessions(dataset, points), rounds)
    say(f"{size}: the browser took {found.get('seconds', 0):.0f} s")
    return found


def measure_viewpoint(
    home: Path, fast: Dataset, slow: Dataset, point: Viewpoint, rounds: int
) -> dict:
    runs = []
    for _, page in pages.pages_of(point.account_manager):
        params = dict(point.params)
        if page == pages.PORTFOLIO:  # opened as from the start, before a customer is picked
            params.pop(LINK["customer"], None)
        if page in pages.ONE_CONTRACT and point.contract:
            params["contract"] = point.contract
        runs.append(pages.after_filter_changes(home, point.user, params, page, fast.as_of, rounds))
    contenders = {}
    for run in runs:
        contenders[f"{run.title}|production"] = lambda c=run.full: pages.replay(fast, c, True)
        # after other workspaces: every query reading a filter, the viewer's kept results made
        # first (they depend on the viewer alone, so they stay as the filters change)
        at_hand = functools.partial(pages.replay, fast, run.full)
        contenders[f"{run.title}|workspaces"] = (at_hand, at_hand)
        contenders[f"{run.title}|unsorted"] = lambda c=run.full: pages.replay(slow, c, True)
        contenders[f"{run.title}|dates"] = lambda c=run.calls: pages.replay(fast, c)
        contenders[f"{run.title}|dates_one_by_one"] = lambda c=run.calls: pages.replay(
            fast, c, one_by_one=True
        )
    contenders["home|app"] = lambda: home_figures(fast, point)
    at_hand = functools.partial(home_figures_at_hand, fast, point)
    contenders["home|app_dates"] = (at_hand, at_hand)  # the viewer's kept results made first
    contenders["home|naive"] = lambda: naive.enterprise_page(fast.folder, fast.as_of, point.scope)
    contenders["home|bound"] = lambda: bare_scan(fast, point)
    contenders["list|app"] = lambda: newest_cases(fast, point)
    contenders["list|bound"] = lambda: bare_newest_cases(fast, point)
    timings = interleaved(contenders, rounds)
    agree = compare(
        home_figures(fast, point), naive.enterprise_page(fast.folder, fast.as_of, point.scope)
    )
    page_results = {}
    for run in runs:
        rerun, queries = Timings(run.rerun), Timings(run.queries)
        render = Timings([r - q for r, q in zip(run.rerun, run.queries, strict=True)])
        page_results[run.title] = {
            "queries": [c.name for c in run.full],
            "date_queries": [c.name for c in run.calls],
            "production": timings[f"{run.title}|production"].summary(),
            "workspaces": timings[f"{run.title}|workspaces"].summary(),
            "unsorted": timings[f"{run.title}|unsorted"].summary(),
            "dates": timings[f"{run.title}|dates"].summary(),
            "dates_one_by_one": timings[f"{run.title}|dates_one_by_one"].summary(),
            "apptest_rerun": rerun.summary(),
            "apptest_queries": queries.summary(),
            "apptest_render": render.summary(),
            "apptest_cold": Timings(run.cold).summary(),
            "apptest_cold_queries": Timings(run.cold_queries).summary(),
            "charts": [{"rows": r, "bytes": b} for r, b in run.charts],
        }
    book = {"customer": point.filters.customer, "book_usage_rows": point.book_usage_rows}
    return {
        "label": point.label,
        "user": point.user,
        "usage_rows_in_view": point.usage_rows,
        **(book if point.account_manager else {}),
        "filters": point.params,
        "contract": point.contract,
        "pages": page_results,
        "home": {k: timings[f"home|{k}"].summary() for k in ("app", "app_dates", "naive", "bound")},
        "list": {k: timings[f"list|{k}"].summary() for k in ("app", "bound")},
        "naive_agrees": agree,
        "_sets": [{"calls": run.full} for run in runs],
    }


def home_figures(dataset: Dataset, point: Viewpoint) -> dict[str, pl.DataFrame]:
    """The Enterprise-wide page's figures with nothing kept (a viewer first seen): every step of
    the work is done."""
    dataset.forget_kept()
    return home_figures_at_hand(dataset, point)


def home_figures_at_hand(dataset: Dataset, point: Viewpoint) -> dict[str, pl.DataFrame]:
    """The same figures with the viewer's kept results at hand, as after moving the dates or
    picking other workspaces: the per-viewer expressions of the layer depend on no filter, so
    only the figures' own queries run (the naive way does all of its work again after any
    filter change)."""
    return {name: dataset.run(name, point.user, point.filters) for name in HOME_QUERIES}


def bare_scan(dataset: Dataset, point: Viewpoint) -> tuple:
    """The bound: one bare scan summing the fact columns of the usage rows in view."""
    folder = dataset.folder
    con = duckdb.connect(config={"threads": 2})
    cases = con.sql(
        f"SELECT count(*), sum(hours) FROM read_parquet('{folder}/cases.parquet') "
        "WHERE list_contains($ws, workspace_id)",
        params={"ws": list(point.scope.workspaces)},
    ).fetchall()
    ids = con.sql(
        f"SELECT e.entitlement_id FROM read_parquet('{folder}/entitlements.parquet') AS e "
        f"JOIN read_parquet('{folder}/packages.parquet') AS p USING (package_id) "
        f"JOIN read_parquet('{folder}/contracts.parquet') AS k USING (contract_id) "
        "WHERE list_contains($ws, k.workspace_id)",
        params={"ws": list(point.scope.workspaces)},
    ).fetchall()
    deliveries = con.sql(
        "SELECT count(*), sum(quantity), sum(hours_delivered) "
        f"FROM read_parquet('{folder}/deliveries.parquet') "
        "WHERE list_contains($ids, entitlement_id)",
        params={"ids": [i for (i,) in ids]},
    ).fetchall()
    con.close()
    return cases, deliveries


def newest_cases(dataset: Dataset, point: Viewpoint) -> pl.DataFrame:
    """The support request list as a page shows it: the newest LIST_ROWS cases the viewer may
    see, through the layer, with the viewer's kept results at hand (as after moving the dates)."""
    return dataset.run("support_requests", point.user, point.filters, limit=LIST_ROWS)


def bare_newest_cases(dataset: Dataset, point: Viewpoint) -> pl.DataFrame:
    """The list's bound: the newest LIST_ROWS cases of the workspaces in view read bare from the
    newest-first copy, with the list's columns and none of the visibility rules."""
    path = dataset.folder / DERIVED / "case_list.parquet"
    return (
        _bare_connection()
        .sql(
            "SELECT case_id, workspace_id, contract_id, title, case_type, service_code, severity, "
            f"status, created_at, hours, closed_at, primary_contact_id FROM read_parquet('{path}') "
            "WHERE list_contains($ws, workspace_id) ORDER BY created_at DESC, case_id LIMIT $n",
            params={"ws": list(point.scope.workspaces), "n": LIST_ROWS},
        )
        .pl()
    )


@functools.cache
def _bare_connection() -> duckdb.DuckDBPyConnection:
    """One connection for the bare list reads, its Parquet metadata cached as the app's is."""
    con = duckdb.connect(config={"threads": 2})
    con.execute("SET parquet_metadata_cache = true")
    return con


def compare(app: dict[str, pl.DataFrame], plain: dict[str, pd.DataFrame]) -> dict[str, bool]:
    """Whether the naive figures equal the app's, query by query (floats to 1e-6)."""
    keys = {
        "active_contracts": ["contract_id"],
        "enterprise_consumption": ["category", "unit"],
        "monthly_consumption": ["month", "category", "unit"],
        "support_request_counts": [],
    }
    verdict = {}
    for name, frame in plain.items():
        ours = app[name].select(list(frame.columns)).to_pandas()
        theirs = frame.reset_index(drop=True)
        if name == "monthly_consumption":
            ours["month"] = pd.to_datetime(ours["month"])
        if keys[name]:
            ours = ours.sort_values(keys[name]).reset_index(drop=True)
            theirs = theirs.sort_values(keys[name]).reset_index(drop=True)
        try:
            pd.testing.assert_frame_equal(ours, theirs, check_dtype=False, atol=1e-6)
            verdict[name] = True
        except AssertionError as difference:
            say(f"naive and app differ on {name}: {difference}")
            verdict[name] = False
    return verdict


def concurrent(dataset: Dataset, sets: list[list], sessions: int) -> dict:
    """`sessions` threads, each running pages' query sets in its own order; every query on its
    own cursor, as the app does. Returns the latency of a page's set and pages per second."""
    per_thread = max(2 * len(sets) // sessions, 6)
    latencies: list[float] = []
    lock = threading.Lock()

    def session(seed: int) -> None:
        order = random.Random(seed).choices(sets, k=per_thread)
        for calls in order:
            ms, _ = timed(lambda c=calls: pages.replay(dataset, c))
            with lock:
                latencies.append(ms)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(sessions)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    summary = Timings(latencies).summary()
    summary["pages_per_s"] = round(len(latencies) / wall, 1)
    return summary


def measure_import(source: Path) -> dict:
    """`python -m dashboard import` of the dataset's own Parquet files into an empty home."""
    target = datasets.OUT / "import-home"
    shutil.rmtree(target, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "dashboard",
        "import",
        str(source),
        "--data",
        str(target),
        "--as-of",
        "2026-11-23",
        "--progress",
    ]
    seconds, rss, _ = run_child(command)
    shutil.rmtree(target, ignore_errors=True)
    return {"seconds": round(seconds, 2), "peak_rss_mb": rss}
