"""The benchmark's report: ratios on the terminal, RESULTS.md and results.json, and the checks
of `--check` (on ratios, row counts and memory, never on absolute milliseconds)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from benchmarks import shapes

HERE = Path(__file__).resolve().parent

# The targets of the performance issue, at 10M usage rows.
TARGET_PAGE_MEDIAN_MS = 40
TARGET_PAGE_P95_MS = 80
TARGET_RERUN_MS = 75
TARGET_CONCURRENT_P95_MS = 120
MAX_X_FIRST_PAGE = 1.5  # the first page after start, against the stack's own first page
MAX_X_BOUND = 3
MAX_CHART_ROWS = 5000
MAX_CHART_BYTES = 100_000
RSS_OVER_STACK_MB = 250  # the server's peak memory, over the stack alone's
MAX_RSS_GROWTH = 0.10
SLOWER_SORTED = 0.85  # unsorted / sorted below this: the production layout lost
# Read in the browser (reported, never checked): a page drawn within this of the click on its
# link and within this many times the floor's one-chart page; a filter change redrawn within.
TARGET_CLICK_MS = 400
MAX_X_FLOOR = 1.6
TARGET_FILTER_MS = 300
TARGET_DRILL_MS = 250  # a bar clicked to drill down, its list shown within
LOAD_REPLICAS = 2  # under load: the sessions through this machine's two replicas
MAX_X_ALONE = 3  # their p95 page time, against a lone session's


# The app against the naive way, whose every rerun does all of its work again: after moving
# the dates or picking other workspaces, the viewer's kept results are at hand; for a viewer
# first seen (the first page after signing in), nothing is.
_NAIVE_AFTER = (
    ("x_naive_dates", "after moving the dates or other workspaces"),
    ("x_naive", "for a viewer first seen"),
)
# What picking other workspaces runs: every query that reads a filter, the viewer's kept results
# at hand (`workspaces`); results from before those stayed had nothing kept (`production`).
_AFTER = (("dates", "moving the dates"), ("workspaces", "other workspaces"))


def _ratio(a: float, b: float) -> float:
    return round(a / b, 1) if b and not math.isnan(a) and not math.isnan(b) else float("nan")


def ratios(size: dict) -> list[dict]:
    """Per viewpoint: ×naive, ×bound, sorted/unsorted, rerun/floor, for the pages."""
    found = []
    floor = size.get("apptest_floor", {}).get("median_ms", float("nan"))
    for point in size["viewpoints"]:
        home = point["home"]
        pages = point["pages"]
        enterprise = pages["Enterprise-wide"]["production"]["median_ms"]
        worst = max(pages, key=lambda t: pages[t]["production"]["median_ms"])
        found.append(
            {
                "viewpoint": point["label"],
                "x_naive": _ratio(home["naive"]["median_ms"], home["app"]["median_ms"]),
                "x_naive_dates": _ratio(
                    home["naive"]["median_ms"],
                    home.get("app_dates", {}).get("median_ms", float("nan")),
                ),
                "x_bound_home": _ratio(enterprise, home["bound"]["median_ms"]),
                "x_bound_worst": _ratio(
                    pages[worst]["production"]["median_ms"], home["bound"]["median_ms"]
                ),
                "worst_page": worst,
                "x_bound_list": _ratio(
                    point["list"]["app"]["median_ms"], point["list"]["bound"]["median_ms"]
                )
                if "list" in point
                else float("nan"),
                "unsorted_over_sorted": {
                    t: _ratio(p["unsorted"]["median_ms"], p["production"]["median_ms"])
                    for t, p in pages.items()
                },
                "rerun_over_floor": {
                    t: _ratio(p["apptest_rerun"]["median_ms"], floor) for t, p in pages.items()
                },
            }
        )
    return found


def checks(results: dict) -> list[tuple[str, bool, str]]:
    """(what, held, detail) for every check that --check enforces."""
    found = []
    sizes = results["sizes"]
    for name, size in sizes.items():
        big = name == "10M"
        for point, ratio in zip(size["viewpoints"], ratios(size), strict=True):
            who = f"{name} {point['label']}"
            found.append(
                (
                    f"{who}: naive figures equal the app's",
                    all(point["naive_agrees"].values()),
                    str(point["naive_agrees"]),
                )
            )
            for title, page in point["pages"].items():
                for n, chart in enumerate(page["charts"]):
                    found.append(
                        (
                            f"{who}: {title} chart {n + 1} ≤ {MAX_CHART_ROWS} rows, "
                            f"≤ {MAX_CHART_BYTES // 1000} KB",
                            chart["rows"] <= MAX_CHART_ROWS and chart["bytes"] <= MAX_CHART_BYTES,
                            f"{chart['rows']} rows, {chart['bytes']:,} bytes",
                        )
                    )
            if big:
                found.append(
                    (
                        f"{who}: home page ≤ {MAX_X_BOUND}× the bare scan",
                        ratio["x_bound_home"] <= MAX_X_BOUND,
                        f"{ratio['x_bound_home']}×",
                    )
                )
                # Pages that read no usage rows read the same small tables either way: their
                # ratio is 1 give or take the noise of a shared machine (0.8 to 1.2 has been
                # seen). So a page counts as slower sorted only when its median is beyond the
                # unsorted one's p95 too, outside that noise.
                slower = {
                    t: r
                    for t, r in ratio["unsorted_over_sorted"].items()
                    if r < SLOWER_SORTED
                    and point["pages"][t]["production"]["median_ms"]
                    > point["pages"][t]["unsorted"]["p95_ms"]
                }
                found.append(
                    (
                        f"{who}: no page more than {1 - SLOWER_SORTED:.0%} slower sorted than "
                        "unsorted",
                        not slower,
                        str(slower or "none"),
                    )
                )
        budget = _memory_budget(size.get("process", {}))
        if budget is not None:
            found.append(
                (
                    f"{name}: server peak RSS ≤ the stack alone + {RSS_OVER_STACK_MB} MB",
                    budget[0] <= budget[1],
                    f"{budget[0]} MB, within {budget[1]} MB",
                )
            )
    small = sizes.get("1M", {}).get("process", {}).get("server_peak_rss_mb")
    large = sizes.get("10M", {}).get("process", {}).get("server_peak_rss_mb")
    if small and large:
        growth = large / small - 1
        found.append(
            (
                f"server peak RSS grows ≤ {MAX_RSS_GROWTH:.0%} from 1M to 10M",
                growth <= MAX_RSS_GROWTH,
                f"{small} → {large} MB ({growth:+.0%})",
            )
        )
    return found


def targets(name: str, size: dict) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for the issue's targets, read at this size."""
    found = []
    for point, ratio in zip(size["viewpoints"], ratios(size), strict=True):
        pages = point["pages"]
        who = point["label"]
        for kind, label in _AFTER:
            if all(kind not in page for page in pages.values()):
                kind = "production"  # measured before kept results stayed: nothing was kept
            worst = max(pages, key=lambda t, k=kind: pages[t][k]["median_ms"])
            worst_p95 = max(pages, key=lambda t, k=kind: pages[t][k]["p95_ms"])
            median = pages[worst][kind]["median_ms"]
            p95 = pages[worst_p95][kind]["p95_ms"]
            found += [
                (
                    f"{who}: the queries after {label} ≤ {TARGET_PAGE_MEDIAN_MS} ms median",
                    f"{median:.0f} ms ({worst})",
                    median <= TARGET_PAGE_MEDIAN_MS,
                ),
                (
                    f"{who}: … and ≤ {TARGET_PAGE_P95_MS} ms p95",
                    f"{p95:.0f} ms ({worst_p95})",
                    p95 <= TARGET_PAGE_P95_MS,
                ),
            ]
        slowest = max(pages, key=lambda t: pages[t]["apptest_rerun"]["median_ms"])
        rerun = pages[slowest]["apptest_rerun"]["median_ms"]
        found += [
            (
                f"{who}: ≤ {MAX_X_BOUND}× the bare scan (Enterprise-wide)",
                f"{ratio['x_bound_home']}×",
                ratio["x_bound_home"] <= MAX_X_BOUND,
            ),
            (
                f"{who}: a full page rerun (after moving the dates) ≤ {TARGET_RERUN_MS} ms",
                f"{rerun:.0f} ms ({slowest})",
                rerun <= TARGET_RERUN_MS,
            ),
        ]
    charts = [c for p in size["viewpoints"] for page in p["pages"].values() for c in page["charts"]]
    rows = max((c["rows"] for c in charts), default=0)
    size_kb = max((c["bytes"] for c in charts), default=0) / 1000
    found.append(
        (
            f"no chart above {MAX_CHART_ROWS:,} rows or {MAX_CHART_BYTES // 1000} KB",
            f"largest {rows:,} rows, {size_kb:.0f} KB",
            rows <= MAX_CHART_ROWS and size_kb <= MAX_CHART_BYTES / 1000,
        )
    )
    concurrency = size.get("concurrency", {})  # not measured by --only-browser
    four = concurrency.get(4) or concurrency.get("4")
    if four:
        found.append(
            (
                f"4 concurrent sessions p95 ≤ {TARGET_CONCURRENT_P95_MS} ms",
                f"{four['p95_ms']:.0f} ms",
                four["p95_ms"] <= TARGET_CONCURRENT_P95_MS,
            )
        )
    for point in size.get("browser", {}).get("viewpoints", []):
        found += _browser_targets(point)
    process = size.get("process", {})
    budget = _memory_budget(process)
    if budget is not None:
        found.append(
            (
                f"server peak RSS ≤ the stack alone + {RSS_OVER_STACK_MB} MB",
                f"{budget[0]} MB{_floor(process, 'server_peak_rss_mb', 'MB')}",
                budget[0] <= budget[1],
            )
        )
    stack_first = process.get("floor", {}).get("process_start_to_first_page_s")
    if "process_start_to_first_page_s" in process and stack_first:
        first = process["process_start_to_first_page_s"]
        found.append(
            (
                f"process start to first page ≤ {MAX_X_FIRST_PAGE}× the stack alone's",
                f"{first} s, {first / stack_first:.2f}×"
                f"{_floor(process, 'process_start_to_first_page_s', 's')}",
                first <= MAX_X_FIRST_PAGE * stack_first,
            )
        )
    return [(f"{name}: {what}", value, met) for what, value, met in found]


def browser_rows(point: dict) -> list[dict]:
    """A browser viewpoint's pages against the targets: the click's median against the floor's
    one-chart page measured in the same rounds, and the filter change's median. A page with a
    visit not drawn (within the wait) meets no target."""
    floor = point["floor"]["chart"]["median_ms"]
    rows = []
    for title, page in point["pages"].items():
        click, change = page["click"], page["filter"]
        x_floor = click["median_ms"] / floor if floor else float("nan")
        rows.append(
            {
                "page": title,
                "click": click,
                "x_floor": x_floor,
                "filter": change,
                "rerun": page["filter_by"] == "rerun",
                "click_met": not click["not_drawn"]
                and click["median_ms"] <= TARGET_CLICK_MS
                and x_floor <= MAX_X_FLOOR,
                "filter_met": not change["not_drawn"] and change["median_ms"] <= TARGET_FILTER_MS,
            }
        )
    return rows


def _slowest(rows: list[dict], kind: str) -> dict:
    """The row whose `kind` median is highest, a page with a visit not drawn counting as the
    highest (the wait a person remembers)."""
    return max(rows, key=lambda r: _or_infinite(r[kind]))


def _or_infinite(timing: dict) -> float:
    return float("inf") if timing["not_drawn"] else timing["median_ms"]


def _browser_targets(point: dict) -> list[tuple[str, str, bool]]:
    """A browser viewpoint's two targets: how many pages meet each, and the slowest page."""
    who, rows = point["label"], browser_rows(point)
    if not rows:
        return []
    clicks = sum(r["click_met"] for r in rows)
    changes = sum(r["filter_met"] for r in rows)
    slow, late = _slowest(rows, "click"), _slowest(rows, "filter")
    drilled = _drills(point)
    drill = (
        [
            (
                f"{who}: clicking a bar to drill down shows its table within {TARGET_DRILL_MS} "
                "ms (browser)",
                ", ".join(f"{title} {_browser_ms(timing)}" for title, timing in drilled.items()),
                all(_drill_met(timing) for timing in drilled.values()),
            )
        ]
        if drilled
        else []
    )
    return [
        (
            f"{who}: every page drawn within {TARGET_CLICK_MS} ms of the click and "
            f"{MAX_X_FLOOR}× the floor (browser)",
            f"{clicks} of {len(rows)} pages; slowest {slow['page']} "
            f"{_browser_ms(slow['click'])}, {_times(slow['x_floor'])}",
            clicks == len(rows),
        ),
        (
            f"{who}: a filter change redrawn within {TARGET_FILTER_MS} ms (browser)",
            f"{changes} of {len(rows)} pages; slowest {late['page']} {_browser_ms(late['filter'])}",
            changes == len(rows),
        ),
    ] + drill


def _drills(point: dict) -> dict[str, dict]:
    """The drill-downs timed on a browser viewpoint's pages, by page."""
    return {title: page["drill"] for title, page in point["pages"].items() if "drill" in page}


def _drill_met(timing: dict) -> bool:
    return (
        bool(timing["samples"])
        and not timing["not_drawn"]
        and (timing["median_ms"] <= TARGET_DRILL_MS)
    )


def _browser_ms(timing: dict) -> str:
    """A browser median in ms, or how many visits were not drawn."""
    if not timing["samples"]:  # the viewpoint stopped before it (its errors say why)
        return "not measured"
    if timing["not_drawn"]:
        return f"not drawn {timing['not_drawn']} of {len(timing['samples'])} times"
    return f"{timing['median_ms']:.0f} ms"


def _memory_budget(process: dict) -> tuple[int, int] | None:
    """The server's peak memory and its budget (the stack alone's, measured beside it, and
    RSS_OVER_STACK_MB); None when either was not measured."""
    peak = process.get("server_peak_rss_mb")
    stack = process.get("floor", {}).get("server_peak_rss_mb")
    if peak is None or stack is None:
        return None
    return peak, stack + RSS_OVER_STACK_MB


def _floor(process: dict, figure: str, unit: str) -> str:
    """The stack floor's value of `figure`, to read beside the app's: '' if not measured."""
    floor = process.get("floor", {}).get(figure)
    return "" if floor is None else f" (the stack alone: {floor} {unit})"


def write(results: dict, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    quick = results["meta"]["mode"] == "quick"
    name = "results-quick" if quick else "results"
    (out / f"{name}.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    sections, runs = [], []
    if not quick:  # what `make load` found, if it ran
        for name in ("load.json", "load-reimport.json"):
            if (out / name).is_file():
                sections.append(load_section(json.loads((out / name).read_text("utf-8"))))
        if (out / "load-replicas.json").is_file():
            runs = json.loads((out / "load-replicas.json").read_text("utf-8"))
            sections.append(replicas_section(runs))
    text = markdown(results, load_targets(runs))
    text += "".join("\n" + "\n".join(section) for section in sections)
    target = out / ("RESULTS-quick.md" if quick else "RESULTS.md")
    target.write_text(text, encoding="utf-8")
    return target


def _ms(summary: dict | None) -> str:
    if summary is None:  # measured only by later versions of the benchmark
        return "—"
    return f"{summary['median_ms']:.1f} / {summary['p95_ms']:.1f}"


def _met(held: bool) -> str:
    return "met" if held else "**not met**"


def markdown(results: dict, more_targets: list[tuple[str, str, bool]] = ()) -> str:
    """The results as RESULTS.md, with `more_targets` (those under load) in its targets."""
    meta = results["meta"]
    lines = [
        "# Benchmark results",
        "",
        f"Made by `python -m benchmarks{' --quick' if meta['mode'] == 'quick' else ''}` on "
        f"{meta['date']} at commit `{meta['commit']}`; {meta['cpus']} CPUs, "
        f"{meta['memory_gb']} GB; Python {meta['python']}; "
        + ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
        + f". {meta['rounds']} interleaved rounds per figure; times are median / p95 in ms."
        + (
            f" In the browser, {meta['browser_rounds']} timed rounds after a warm-up."
            if "browser_rounds" in meta
            else ""
        ),
        "",
    ]
    largest = list(results["sizes"])[-1]
    lines += [f"## Targets, read at {largest}", "", "| target | measured | |", "|---|---|---|"]
    for what, value, met in [*targets(largest, results["sizes"][largest]), *more_targets]:
        lines.append(f"| {what.split(': ', 1)[1]} | {value} | {_met(met)} |")
    lines.append("")
    for name, size in results["sizes"].items():
        lines += _size_section(name, size)
    lines += ["## Checks (`--check`)", ""]
    for what, held, detail in checks(results):
        lines.append(f"- {'✔' if held else '✘'} {what}: {detail}")
    lines.append("")
    return "\n".join(lines)


def _size_section(name: str, size: dict) -> list[str]:
    data = size["dataset"]
    lines = [
        f"## {name}: {data['usage_rows']:,} usage rows (cases and deliveries)",
        "",
        f"{data.get('customers', 4)} customers, generated in {data['seed_seconds']} s with a "
        f"peak of {data['seed_peak_rss_mb']} MB; "
        f"{data['bytes'] / 1e6:.0f} MB of Parquet. Cases in "
        f"{data['row_groups']['production'][0]} row groups of up to "
        f"{data['row_groups']['production'][1]:,} rows (production) against "
        f"{data['row_groups']['unsorted'][0]} of up to {data['row_groups']['unsorted'][1]:,} "
        f"(unsorted control).{_imported(size)}",
        "",
    ]
    for point, ratio in zip(size["viewpoints"], ratios(size), strict=True):
        lines += [
            f"### {point['label']}: {point['user']}, {point['usage_rows_in_view']:,} usage rows "
            "in view",
            "",
            *_book(point),
            "Queries: every query the page runs with nothing kept (for a viewer first seen), "
            "on the production layout and on the unsorted control; the same with the viewer's "
            "kept results at hand (as after picking other workspaces); then those that moving "
            "the dates reruns, as the app runs them (started ahead, a few at a time) and one by "
            "one. AppTest: the page rerun after moving the dates (the time during which its "
            "queries ran, and the rest, drawing), and after other workspaces (no result cached, "
            "every chart built again).",
            "",
            "| page | queries | first seen | unsorted | ×sorted | after other workspaces "
            "| after moving the dates | one by one | AppTest rerun | of it queries | render "
            "| rerun/floor | AppTest, other workspaces | charts (rows/KB) |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for title, page in point["pages"].items():
            charts = ", ".join(f"{c['rows']}/{c['bytes'] / 1000:.0f}" for c in page["charts"])
            lines.append(
                f"| {title} | {len(page['queries'])} | {_ms(page['production'])} | "
                f"{_ms(page['unsorted'])} | {ratio['unsorted_over_sorted'][title]} | "
                f"{_ms(page.get('workspaces'))} | "
                f"{len(page['date_queries'])}: {_ms(page['dates'])} | "
                f"{_ms(page.get('dates_one_by_one'))} | "
                f"{_ms(page['apptest_rerun'])} | {_ms(page['apptest_queries'])} | "
                f"{_ms(page['apptest_render'])} | {ratio['rerun_over_floor'][title]} | "
                f"{_ms(page['apptest_cold'])} | {charts or '—'} |"
            )
        home = point["home"]
        lines += [
            "",
            f"Enterprise-wide figures ({', '.join(point['naive_agrees'])}): naive pandas "
            f"{_ms(home['naive'])} (equal to the app's: {all(point['naive_agrees'].values())}); "
            f"the app after moving the dates or picking other workspaces (the viewer's kept "
            f"results at hand) {_ms(home.get('app_dates'))}: **{ratio['x_naive_dates']}×**; for "
            f"a viewer first seen (nothing kept) {_ms(home['app'])}: **{ratio['x_naive']}×**; "
            f"bare scan {_ms(home['bound'])}; "
            f"the page's queries are **{ratio['x_bound_home']}×** the bare scan, the slowest "
            f"page ({ratio['worst_page']}) {ratio['x_bound_worst']}×.",
            "",
        ]
        if "list" in point:
            listed = point["list"]
            lines += [
                "Support request list (the newest 2,000 cases the viewer may see, kept results at "
                f"hand): app {_ms(listed['app'])}; the bound, the newest 2,000 cases of the "
                "workspaces in view read bare from the newest-first copy, the list's columns and "
                f"no visibility rules, {_ms(listed['bound'])}: **{ratio['x_bound_list']}×**.",
                "",
            ]
    if "apptest_floor" in size:  # not measured by --only-browser, nor what follows
        lines += [f"AppTest floor (a one-line script's rerun): {_ms(size['apptest_floor'])}.", ""]
    if "concurrency" in size:
        lines += [
            "Concurrent sessions (threads, a cursor per query), customer admin's pages:",
            "",
            "| sessions | page median / p95 | pages per second |",
            "|---|---|---|",
        ]
        for n, c in size["concurrency"].items():
            lines.append(f"| {n} | {_ms(c)} | {c['pages_per_s']} |")
        lines.append("")
    process = size.get("process")
    if process:
        lines += [
            f"A fresh process: importing the app's modules {process['import_s']} s; "
            f"`python -m dashboard serve` to a healthy server {process['start_to_healthy_s']} s; "
            f"health check {_ms(process['health_check'])}; process start to the first rendered "
            f"page {process.get('process_start_to_first_page_s', '—')} s; server peak RSS after "
            f"every page {process['server_peak_rss_mb']} MB{_split(process)}.",
            "",
        ]
        floor = process.get("floor")
        if floor:
            lines += [
                "The stack alone (`floor_app.py`: a Streamlit script drawing one Altair chart of "
                "a DuckDB result through polars, served and opened the same way): a healthy "
                f"server {floor['start_to_healthy_s']} s; process start to the first rendered "
                f"page {floor['process_start_to_first_page_s']} s; server peak RSS after its "
                f"one page {floor['server_peak_rss_mb']} MB{_split(floor, short=True)}. Both "
                "first pages and both health times are medians of "
                f"{process['first_page_rounds']} fresh servers each, the app's and the floor's "
                "taking turns.",
                "",
            ]
    if "browser" in size:
        lines += browser_section(size["browser"])
    return lines


def _imported(size: dict) -> str:
    """The import's time and peak, when measured (not by --only-browser)."""
    if "import" not in size:
        return ""
    found = size["import"]
    return (
        f" Import (`python -m dashboard import`, Parquet): {found['seconds']} s, peak "
        f"{found['peak_rss_mb']} MB."
    )


def browser_section(browser: dict) -> list[str]:
    """Every viewpoint's pages in the browser (benchmarks/browser.py), the floor first."""
    if "skipped" in browser:
        return [f"In the browser: skipped ({browser['skipped']}).", ""]
    floor = browser["floor"]
    medians = [p["floor"]["chart"]["median_ms"] for p in browser["viewpoints"]]
    lines = [
        "### In the browser: every page clicked from the sidebar, and the dates moved",
        "",
        "Headless Chromium, a session of its own for each viewpoint against one server of the "
        f"app, {browser['rounds']} timed rounds after a warm-up round ({browser['seconds']:.0f} s "
        "in all). A click runs from the mouse button going down on the page's link in the "
        "sidebar to the page drawn: its script run finished (counted over the WebSocket), "
        "nothing loading, every chart's Vega view drawn and no chart drawing for "
        "50 ms, on the page's clock. A filter change runs from Enter, a day never used "
        "before typed into the sidebar's From (a year and more before the as-of day, a day "
        "earlier each time: every query reading the dates misses the cache, and the charts "
        "over time change), to the page drawn again; a page the filters do not apply to (†) "
        "is drawn again by Streamlit's “r” key instead. The pages showing one contract at a "
        "time are drawn with the viewpoint's contract picked in the sidebar, the others with "
        "none.",
        "",
        "The floor (`floor_pages.py`: a bare two-page Streamlit app, clicked between from its "
        "sidebar in a round before each of every viewpoint's rounds): the one-chart page "
        f"**{floor['chart']['median_ms']:.0f} ms** (p95 {floor['chart']['p95_ms']:.0f}, max "
        f"{floor['chart']['max_ms']:.0f}; {min(medians, default=0):.0f}–"
        f"{max(medians, default=0):.0f} ms over each viewpoint's rounds), the empty page "
        f"{floor['empty']['median_ms']:.0f} ms (p95 {floor['empty']['p95_ms']:.0f}). Each "
        "viewpoint's pages are read against the floor measured in its own rounds.",
        "",
    ]
    shaped = browser.get("shaped", {})
    if shaped:
        lines += [
            "A bare page shaped like each of the app's (`floor_pages.py`'s third page: as many "
            "Altair charts of 8 bars as the app's page shows, and tables of as many rows and "
            "columns as it sent, nothing computed), clicked from its sidebar after the empty "
            "page in as many rounds: in "
            "the tables below beside each page, it is what the stack takes to draw that page's "
            "views with every result at hand. "
            + "; ".join(
                f"{shapes.words(shape)} {timing['median_ms']:.0f} ms"
                for shape, timing in shaped.items()
                if timing["samples"] and not timing["not_drawn"]
            )
            + ".",
            "",
        ]
    for point in browser["viewpoints"]:
        lines += _browser_table(point, shaped)
    return lines


def _browser_table(point: dict, shaped: dict[str, dict] | None = None) -> list[str]:
    """One viewpoint's pages in the browser, against the targets, each beside the bare page of
    its shape (`shaped`, by "charts,tables")."""
    chart = point["floor"]["chart"]
    split = _split_ms(chart, point["floor"].get("chart_served"))
    lines = [
        f"#### {point['label']}: {point['user']} (`?{point['link']}`)",
        "",
        f"The floor in these rounds: {chart['median_ms']:.0f} ms (p95 {chart['p95_ms']:.0f})"
        + (f"; of it, the server's run then drawing: {split}." if split != "—" else "."),
        "",
        "| page | click to drawn (median ms, p95) | × the floor | of it: the server's run, then "
        "drawing | charts, tables | a bare page so shaped | filter change to redrawn "
        f"(median ms) | meets {TARGET_CLICK_MS} ms and {MAX_X_FLOOR}× floor? "
        f"| filter ≤ {TARGET_FILTER_MS} ms? |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in browser_rows(point):
        click, change = row["click"], row["filter"]
        clicked = (
            _browser_ms(click)
            if click["not_drawn"] or not click["samples"]
            else f"{click['median_ms']:.0f} (p95 {click['p95_ms']:.0f})"
        )
        page = point["pages"][row["page"]]
        lines.append(
            f"| {row['page']} | {clicked} | {_times(row['x_floor'])} | "
            f"{_split_ms(click, page.get('served'))} | {_shown(page.get('shown'))} | "
            f"{_shaped_ms(page.get('shown'), shaped or {})} | "
            f"{_browser_ms(change).removesuffix(' ms')}{' †' if row['rerun'] else ''} | "
            f"{_yes(row['click_met'])} | {_yes(row['filter_met'])} |"
        )
    lines.append("")
    bounds = _bounds(point, shaped or {})
    if bounds:
        lines += ["What bounds the pages that miss: " + "; ".join(bounds) + ".", ""]
    drilled = _drills(point)
    if drilled:
        lines += [
            "A bar clicked to drill down, to the page drawn with the list of what it picks (the "
            "pick before cleared and the dates moved first, untimed: the list's query is not "
            "cached), within "
            f"{TARGET_DRILL_MS} ms? "
            + "; ".join(
                f"{title} {_browser_ms(timing)} (p95 {timing['p95_ms']:.0f}): "
                f"{_yes(_drill_met(timing))}"
                for title, timing in drilled.items()
            )
            + ".",
            "",
        ]
    if point["errors"]:
        lines += ["Not as expected: " + "; ".join(point["errors"]) + ".", ""]
    return lines


def _split_ms(click: dict, served: dict | None) -> str:
    """A click's median split at the frame saying the server's run finished: the server's part
    (its run, and the frames on their way) and the browser's drawing after it."""
    if not served or not served.get("samples") or served["not_drawn"] or click["not_drawn"]:
        return "—"
    return f"{served['median_ms']:.0f} + {click['median_ms'] - served['median_ms']:.0f}"


def _bounds(point: dict, shaped: dict[str, dict]) -> list[str]:
    """For each page drawn too slowly after a click, what its bare page of the same shape
    says: whether its views alone, with nothing computed, already miss the floor's ratio, or
    what the page adds over them."""
    floor = point["floor"]["chart"]["median_ms"]
    found = []
    for row in browser_rows(point):
        page = point["pages"][row["page"]]
        bare = _shaped_ms(page.get("shown"), shaped)
        if row["click_met"] or bare == "—" or row["click"]["not_drawn"]:
            continue
        ms, bare_ms = row["click"]["median_ms"], float(bare)
        shape = shapes.words(shapes.key(page["shown"]))
        if bare_ms > MAX_X_FLOOR * floor:
            found.append(
                f"{row['page']} {ms:.0f} ms: a bare page of {shape} takes {bare_ms:.0f} ms "
                f"({_times(bare_ms / floor)} the floor), its views alone"
            )
        else:
            found.append(
                f"{row['page']} {ms:.0f} ms: a bare page of {shape} takes {bare_ms:.0f} ms, "
                f"the page {ms - bare_ms:.0f} ms more"
            )
    return found


def _shaped_ms(shown: dict | None, shaped: dict[str, dict]) -> str:
    timing = shaped.get(shapes.key(shown)) if shown else None
    if not timing or not timing["samples"] or timing["not_drawn"]:
        return "—"
    return f"{timing['median_ms']:.0f}"


def _shown(shown: dict | None) -> str:
    return f"{shown['charts']}, {shown['tables']}" if shown else "—"


def _times(ratio: float) -> str:
    return "—" if math.isnan(ratio) else f"{ratio:.2f}×"


def _yes(held: bool) -> str:
    return "yes" if held else "**no**"


def _book(point: dict) -> list[str]:
    """What an account manager's viewpoint looks at: a paragraph, or nothing for the others."""
    if "customer" not in point:
        return []
    return [
        f"My customers spans every customer they serve ({point['book_usage_rows']:,} usage "
        f"rows); the other pages are those of {point['customer']}, the largest of them, picked "
        "in the link (`customer=`) as from My customers.",
        "",
    ]


def _split(process: dict, short: bool = False) -> str:
    split = process.get("server_resident_at_end_mb")
    if not split:
        return ""
    if short:
        return f" ({split['own']} MB of its own, {split['files']} MB of mapped files)"
    return (
        f" (resident at the end: {split['own']} MB of its own memory, and {split['files']} MB of "
        "mapped files, mostly the libraries' code: shared pages, which count more or less with "
        "how much of those files the page cache holds)"
    )


def load_section(result: dict) -> list[str]:
    """The load test's results (`make load`, benchmarks/load.json), as a section."""
    return [
        f"## Load: {result['concurrent_sessions']} concurrent sessions for "
        f"{result['seconds']:.0f} s at {result['size']} usage rows"
        + (", re-importing the data all along" if result.get("reimports") else ""),
        "",
        f"Run {result['date']} with `make load` against a real `python -m dashboard serve` server "
        "on localhost. Each session speaks the browser's WebSocket protocol: it opens with filters "
        f"from a link (one of {result['links']}: each viewpoint's user, all or one workspace or "
        "the account manager's customer, a date range or none), switches pages 3 to 6 times, "
        "then closes and a new one opens. A page's latency runs from asking for it to the "
        "server saying the script finished.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| sessions served | {result['sessions_served']:,} |",
        f"| pages served | {result['pages_served']:,} ({result['pages_per_s']}/s) |",
        f"| errors (pages and server tracebacks) | {result['errors']} |",
        f"| page latency p50 | {result['page_p50_ms']:,} ms |",
        f"| page latency p95 | {result['page_p95_ms']:,} ms |",
        f"| slowest page | {result['page_max_ms']:,} ms |",
        f"| server peak RSS | {result['server_peak_rss_mb']} MB |",
        *(
            [f"| re-imports of the dataset during the run | {result['reimports']} |"]
            if result.get("reimports")
            else []
        ),
        "",
    ]


def replicas_section(runs: list[dict]) -> list[str]:
    """The load through the balancer (`make load LOAD_ARGS="--replicas 1 2"`), one column per
    number of replicas, with pages per core-second: what sizing a deployment starts from."""
    first = runs[0]
    cores = os.cpu_count() or 1
    names = sorted({name for run in runs for name in run["peak_rss_mb"]}, key=_process_order)

    def row(label: str, cell) -> str:
        return f"| {label} | " + " | ".join(cell(run) for run in runs) + " |"

    return [
        f"## Load through the balancer: {first['concurrent_sessions']} sessions for "
        f"{first['seconds']:.0f} s at {first['size']} usage rows, 1 machine of {cores} cores",
        "",
        f'Run {first["date"]} with `make load LOAD_ARGS="--replicas '
        + " ".join(str(run["replicas"]) for run in runs)
        + (" --think {:g} {:g}".format(*first["think_s"]) if first.get("think_s") else "")
        + (" --alone" if "alone_p95_ms" in first else "")
        + '"`: the cluster of `python -m dashboard cluster` (HAProxy with cookie affinity, the '
        "replicas, PostgreSQL for the state, the dataset followed from an S3 API), the same "
        "sessions as above speaking the browser's protocol through the balancer, each keeping "
        "to its replica by the cookie. Pages per core-second divide pages per second by the "
        f"{cores} cores the replicas share with the balancer, the database and the sessions.",
        "",
        "| measure | " + " | ".join(_replicas(run["replicas"]) for run in runs) + " |",
        "|---|" + "---|" * len(runs),
        row("sessions served", lambda r: f"{r['sessions_served']:,}"),
        row(
            "sessions per replica",
            lambda r: ", ".join(map(str, r["sessions_per_replica"].values())),
        ),
        row("pages served", lambda r: f"{r['pages_served']:,}"),
        row("pages per second", lambda r: f"{r['pages_per_s']}"),
        row("pages per core-second", lambda r: f"{r['pages_per_s'] / cores:.1f}"),
        row("errors", lambda r: f"{r['errors']}"),
        row("page latency p50", lambda r: f"{r['page_p50_ms']:,} ms"),
        row("page latency p95", lambda r: f"{r['page_p95_ms']:,} ms"),
        row("slowest page", lambda r: f"{r['page_max_ms']:,} ms"),
        row("pause after each page", lambda r: _think(r.get("think_s"))),
        row("the machine's CPU busy", lambda r: _share(r.get("machine_busy"))),
        row(
            "of it, the sessions' own process",
            lambda r: f"{r['sessions_cpu_s']} s" if "sessions_cpu_s" in r else "—",
        ),
        *(
            [
                row("a lone session's page p50", lambda r: _alone_ms(r, "alone_p50_ms")),
                row("a lone session's page p95", lambda r: _alone_ms(r, "alone_p95_ms")),
                row("p95 against a lone session's", lambda r: _against_alone(r)),
            ]
            if any("alone_p95_ms" in run for run in runs)
            else []
        ),
        *(
            row(f"peak RSS, {name}", lambda r, n=name: _mb(r["peak_rss_mb"].get(n)))
            for name in names
        ),
        "",
    ]


def load_targets(runs: list[dict]) -> list[tuple[str, str, bool]]:
    """The target under load, read on each run through two replicas that timed a lone
    session first: the sessions' p95 within MAX_X_ALONE times the lone session's, no error."""
    found = []
    for run in runs:
        if run["replicas"] != LOAD_REPLICAS or "alone_p95_ms" not in run:
            continue
        ratio = _ratio(run["page_p95_ms"], run["alone_p95_ms"])
        errors = run["errors"] + run["alone_errors"]
        found.append(
            (
                f"{run['size']}: {run['concurrent_sessions']} sessions through "
                f"{LOAD_REPLICAS} replicas ({_think(run.get('think_s'))} after each page): "
                f"p95 ≤ {MAX_X_ALONE}× a lone session's, 0 errors",
                f"{run['page_p95_ms']:,} ms against {run['alone_p95_ms']:,} ms "
                f"({ratio}×), {errors} errors",
                run["page_p95_ms"] <= MAX_X_ALONE * run["alone_p95_ms"] and errors == 0,
            )
        )
    return found


def _share(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _think(think: list[float] | None) -> str:
    return f"{think[0]:g}–{think[1]:g} s" if think else "none (back to back)"


def _alone_ms(run: dict, key: str) -> str:
    return f"{run[key]:,} ms" if key in run else "—"


def _against_alone(run: dict) -> str:
    if "alone_p95_ms" not in run:
        return "—"
    return f"{_ratio(run['page_p95_ms'], run['alone_p95_ms'])}×"


def _replicas(n: int) -> str:
    return "1 replica" if n == 1 else f"{n} replicas"


def _mb(value: int | None) -> str:
    return "—" if value is None else f"{value} MB"


def _process_order(name: str) -> tuple[int, str]:
    return (0 if name.startswith("replica") else 1, name)
