"""The browser is the benchmark: for each viewpoint, in a browser session of its own against one
server of the app, every page it opens clicked from the sidebar, and the start of the dates
moved on each page, timed from the click or the key to the page drawn; the floor, a bare
two-page Streamlit app (`floor_pages.py`), clicked between in the same rounds."""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import server, shapes
from benchmarks.measure import Timings
from benchmarks.runs import FinishedRuns
from benchmarks.scopes import Viewpoint
from dashboard.app import pages as registry
from dashboard.query.dataset import Dataset

ROUNDS = 7
QUICK_ROUNDS = 3  # with --quick: its few minutes would be doubled by 7
FLOOR_PAGES = Path(__file__).with_name("floor_pages.py")
HOOK = Path(__file__).with_name("drawn.js")  # notes the click or key, and charts drawing
VIEWPORT = {"width": 1400, "height": 1000}
WAIT_S = 30  # a page not drawn within this is None, not the end of the benchmark
# After the page is drawn, this long without a chart drawing before the time is read: a chart
# given new data could draw after the page has settled (where seen, they had drawn before).
QUIET_MS = 50
# The first day moved to, before the as-of day: inside the data, so that the charts over time
# change and are drawn again, as when a person narrows the dates; a day earlier each change.
FIRST_DAY_BACK = 365
ALL_CONTRACTS = "All contracts"  # the sidebar's Contract choice of none
FROM_YEAR = "[data-testid='stSidebar'] [role='spinbutton'][aria-label='year, From']"
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"
CHARTS = "[data-testid='stVegaLiteChart']"
TABLES = "[data-testid='stDataFrame']"
# The pages with a drill-down (by address): the key its bar charts' keys start with (the
# Enterprise-wide page's consumption bars, Additional cases' reason bars); the first is clicked.
DRILLS = {"": "category_", "additional-cases": "reason_"}
CLEAR = "[data-testid='stButton'] button:has-text('Clear selection')"  # shown with a pick
DRILL_WAIT_S = 10  # a bar click that picks nothing runs nothing: given up on sooner
# The page drawn: its script run over, nothing loading, every chart given its Vega view; the
# time, on the page's clock, of the first poll that finds it so.
_DRAWN = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
    if (document.querySelector("[data-testid='stSkeleton']")) return false;
    const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
    if (!charts.every((chart) => chart.querySelector("svg.marks, canvas.marks"))) return false;
    return performance.now();
}"""
_FROM_TEXT = """() => document
    .querySelector("[data-testid='stSidebar'] [data-testid='stDateInput'] [role='group']")
    .textContent"""
_QUIET = """([drawn, quiet]) =>
    performance.now() - Math.max(drawn, window.__bench.chart) >= quiet"""
_ELAPSED = "(drawn) => Math.max(drawn, window.__bench.chart) - window.__bench.start"
# When the frame saying the run finished arrived, after the click or key: the server's part
_SERVED = "(frame) => window.__bench.frames[frame] - window.__bench.start"
# Where to click the largest bar of the chart `selector` so that the bar itself is hit (not a
# label or a rule drawn over it): [x, y] in the viewport, the chart scrolled into view first;
# null for none. Streamlit draws these small charts in SVG, a bar a path named for its data.
_BAR = """(selector) => {
    const chart = document.querySelector(selector);
    if (!chart) return null;
    chart.scrollIntoView({ block: "center" });
    const bars = [...chart.querySelectorAll("path[aria-roledescription='bar']")]
        .map((bar) => [bar, bar.getBoundingClientRect()])
        .filter(([, box]) => box.width > 4 && box.height > 4)
        .sort(([, a], [, b]) => b.width * b.height - a.width * a.height);
    // its middle may be under a label or the purchased mark: a few points along it are tried
    for (const [bar, box] of bars) {
        for (const along of [0.5, 0.25, 0.75, 0.1, 0.9]) {
            const x = box.left + box.width * along, y = box.top + box.height / 2;
            if (document.elementFromPoint(x, y) === bar) return [x, y];
        }
    }
    return null;
}"""


@dataclass(frozen=True)
class Visit:
    """A page as a viewpoint opens it from the sidebar."""

    title: str  # as the AppTest results name it
    path: str  # after the app's root: "" for the home page
    filtered: bool  # whether the sidebar's filters apply (else it is drawn again by "r")
    one_contract: bool  # drawn with the viewpoint's contract picked in the sidebar


@dataclass(frozen=True)
class Session:
    """What one viewpoint's browser session opens: its link, its pages in the order visited,
    and the contract picked (by its number) for the one-contract pages."""

    label: str
    user: str
    query: str  # the link's query string: the viewer and the viewpoint's filters
    visits: tuple[Visit, ...]
    contract: str | None


def visiting_order(account_manager: bool) -> tuple[Visit, ...]:
    """The pages of a customer user or an account manager in the order each round visits
    them: those the filters do not apply to, then the others, those showing one contract at
    a time after them (the contract is picked once before them and dropped once after), and
    the home page last, the session being opened there."""
    shown = [
        page
        for page in registry.visible(administers=False, account_manager=account_manager)
        if page is not registry.HOME
    ]
    ordered = sorted(shown, key=lambda page: (page.filtered, page.one_contract))
    return tuple(
        Visit(
            page.short_title or page.title, registry.address(page), page.filtered, page.one_contract
        )
        for page in [*ordered, registry.HOME]
    )


def sessions(dataset: Dataset, points: list[Viewpoint]) -> list[Session]:
    """A session for each viewpoint: the account manager's link picks the customer (My
    customers spans every customer whatever is picked)."""
    found = []
    for point in points:
        query = urlencode({"as": point.user, **point.params}, doseq=True)
        visits = visiting_order(point.account_manager)
        found.append(
            Session(point.label, point.user, query, visits, _contract_number(dataset, point))
        )
    return found


def _contract_number(dataset: Dataset, point: Viewpoint) -> str | None:
    """The number of the viewpoint's contract, which picks it in the sidebar."""
    if point.contract is None:
        return None
    contracts = dataset.run("contracts", point.user, point.filters)
    numbers = dict(zip(contracts["contract_id"], contracts["contract_number"], strict=True))
    return numbers.get(point.contract)


def measure(home: Path, as_of: date, found: list[Session], rounds: int = ROUNDS) -> dict:
    """Every session against one server of the app, the floor's tab against one of
    `floor_pages.py` taking a round before each of every session's rounds."""
    if not Path(server.CHROMIUM).exists():
        return {"skipped": f"no {server.CHROMIUM}"}
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "CUSTOMER_ACTIVITY_DATA": str(home)}
    start = time.perf_counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=server.CHROMIUM, args=server.CHROMIUM_ARGS)
        try:
            with (
                server._server(server.server_command, env) as app,
                server._server(floor_command, env) as floor,
            ):
                for started in (app, floor):
                    server._wait_healthy(started.base, started.process, started.start)
                floor_tab = Tab(browser, floor.base, "")
                points = [_viewpoint(browser, app.base, s, floor_tab, as_of, rounds) for s in found]
                floor_tab.close()
                shaped = _shaped(browser, floor.base, _shapes(points), rounds)
        finally:
            browser.close()
    chart = [ms for point in points for ms in point.pop("_floor_chart")]
    empty = [ms for point in points for ms in point.pop("_floor_empty")]
    return {
        "rounds": rounds,
        "seconds": round(time.perf_counter() - start, 1),
        "floor": {"chart": summary(chart), "empty": summary(empty)},
        "shaped": shaped,
        "viewpoints": points,
    }


def _shapes(points: list[dict]) -> list[str]:
    """Every shape (charts, tables) a page of the viewpoints showed."""
    pages = [page for point in points for page in point["pages"].values() if page["shown"]]
    return sorted({shapes.key(page["shown"]) for page in pages} - {"0,0", "0;"})


def _shaped(browser, base: str, shaped: list[str], rounds: int) -> dict[str, dict]:
    """The floor's shaped page as each of `shaped` (see benchmarks/shapes.py): as many charts,
    and tables of as many rows and columns, with nothing to compute, clicked from its sidebar
    after the empty page `rounds` times (after a warm-up)."""
    found = {}
    for shape in shaped:
        tab = Tab(browser, base, urlencode({"shape": shape}), path="shaped")
        try:
            times = []
            for round_no in range(rounds + 1):
                tab.click("")
                ms = tab.click("shaped")
                if round_no:
                    times.append(ms)
            found[shape] = summary(times)
        finally:
            tab.close()
    return found


def floor_command(port: int) -> list[str]:
    """The floor's two pages (`floor_pages.py`) served like the app."""
    options = [part for pair in server.SERVER_OPTIONS for part in pair]
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(FLOOR_PAGES),
        "--server.port",
        str(port),
        *options,
    ]


def summary(samples: list[float | None]) -> dict:
    """Median, p95 and max of the visits drawn, how many were not (within WAIT_S), and every
    sample as measured."""
    drawn = [ms for ms in samples if ms is not None]
    found = Timings(drawn).summary()
    found["max_ms"] = round(max(drawn), 1) if drawn else float("nan")
    found["not_drawn"] = len(samples) - len(drawn)
    found["samples"] = samples
    return found


def _viewpoint(browser, base: str, session: Session, floor: Tab, as_of: date, rounds: int) -> dict:
    """One viewpoint's session: a warm-up round and `rounds` timed rounds of clicks, the floor
    clicked before each; then on each page `rounds` moves of the dates (or reruns)."""
    clicks: dict[str, list] = {visit.title: [] for visit in session.visits}
    served: dict[str, list] = {visit.title: [] for visit in session.visits}  # of each click
    shown: dict[str, dict] = {}  # the charts and tables each page drew
    changes: dict[str, list] = {visit.title: [] for visit in session.visits}
    drills: dict[str, list] = {v.title: [] for v in session.visits if v.path in DRILLS}
    floor_chart: list[float | None] = []
    floor_empty: list[float | None] = []
    floor_served: list[float | None] = []  # of each click on the floor's chart page
    errors: list[str] = []
    tab = None
    days = (as_of - timedelta(days=n) for n in itertools.count(FIRST_DAY_BACK))
    try:
        tab = Tab(browser, base, session.query)
        for round_no in range(rounds + 1):
            chart = floor.click("chart")
            chart_served, empty = floor.served, floor.click("")
            if round_no == 0:  # the warm-up: every page seen once, its errors noted
                _walk(tab, session, lambda v: errors.extend(tab.errors(v, tab.click(v.path))))
                continue
            floor_chart.append(chart)
            floor_served.append(chart_served)
            floor_empty.append(empty)

            def visit(v: Visit) -> None:
                clicks[v.title].append(tab.click(v.path))
                served[v.title].append(tab.served)
                shown[v.title] = tab.shown()

            _walk(tab, session, visit)

        def change(visit: Visit) -> None:
            tab.click(visit.path)  # the dates of the page before: a first run, untimed
            for _ in range(rounds):
                ms = tab.move_from(next(days)) if visit.filtered else tab.rerun()
                changes[visit.title].append(ms)
            if visit.title in drills and not tab.charted(DRILLS[visit.path]):
                del drills[visit.title]  # nothing charted for this viewpoint: nothing to click
            elif visit.title in drills:
                errors.extend(_drill_down(tab, visit, drills[visit.title], days, rounds))

        _walk(tab, session, change)
    except Exception as failed:  # noqa: BLE001 - the other viewpoints are still measured
        errors.append(f"stopped: {type(failed).__name__}: {str(failed).splitlines()[0]}")
    finally:
        if tab is not None:
            tab.close()
    return {
        "label": session.label,
        "user": session.user,
        "link": session.query,
        "contract": session.contract,
        "floor": {
            "chart": summary(floor_chart),
            "chart_served": summary(floor_served),
            "empty": summary(floor_empty),
        },
        "pages": {
            visit.title: {
                "click": summary(clicks[visit.title]),
                "served": summary(served[visit.title]),
                "shown": shown.get(visit.title, {}),
                "filter": summary(changes[visit.title]),
                "filter_by": "dates" if visit.filtered else "rerun",
                **({"drill": summary(drills[visit.title])} if visit.title in drills else {}),
            }
            for visit in session.visits
        },
        "errors": errors,
        "_floor_chart": floor_chart,
        "_floor_empty": floor_empty,
    }


def _drill_down(tab: Tab, visit: Visit, found: list, days: Iterator[date], rounds: int) -> list:
    """`rounds` clicks on a bar of the page's drill-down, each timed to the page drawn with the
    list of what it picks, after the pick before cleared and the dates moved (both untimed): the
    list's query misses the cache, as on a first click after the page is drawn. The errors: a
    first click that showed no list ends them."""
    for _ in range(rounds):
        tab.clear_pick()
        tab.move_from(next(days))
        ms = tab.drill(DRILLS[visit.path])
        found.append(ms)
        if ms is None:
            return [f"{visit.title}: clicking a bar showed no list within {DRILL_WAIT_S} s"]
    tab.clear_pick()
    return []


def _walk(tab: Tab, session: Session, visit_page: Callable[[Visit], object]) -> None:
    """Every page of the session in turn, the contract picked in the sidebar before those
    showing one contract at a time and dropped after them (both untimed)."""
    picked = False
    for visit in session.visits:
        if session.contract and visit.one_contract != picked:
            tab.pick_contract(session.contract if visit.one_contract else ALL_CONTRACTS)
            picked = visit.one_contract
        visit_page(visit)


class Tab:
    """One browser session (a context of its own: no cookie shared) on one app, its page
    opened at `path` (the root unless given) with `query` and drawn."""

    def __init__(self, browser, base: str, query: str, path: str = "") -> None:
        self.base = base
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.add_init_script(path=str(HOOK))
        self.page = self.context.new_page()
        self.runs = FinishedRuns(self.page)
        self.served: float | None = None  # of the last timed act, ms until the run finished
        self._timed(lambda: self.page.goto(f"{base}/{path}?{query}" if query else f"{base}/"))

    def click(self, path: str) -> float | None:
        """Click the page's link in the sidebar: ms to the page drawn."""
        link = self.page.locator(f"[data-testid='stSidebarNav'] a[href='{self.base}/{path}']")
        return self._timed(link.click)

    def move_from(self, day: date) -> float | None:
        """Type `day` into the sidebar's From and press Enter: ms from the key to the page
        drawn again. Typing runs nothing; Enter applies it (the app's own script)."""
        self.page.locator(FROM_YEAR).focus()
        # a part at a time (the field moves on by itself): a third of the time of typing it key
        # by key on a busy machine, which is done when that did not give the day
        for part in (f"{day:%Y}", f"{day:%m}", f"{day:%d}"):
            self.page.keyboard.insert_text(part)
        if self.page.evaluate(_FROM_TEXT) != day.isoformat():
            self.page.locator(FROM_YEAR).focus()
            self.page.keyboard.type(day.strftime("%Y%m%d"))
        if self.page.evaluate(_FROM_TEXT) != day.isoformat():
            raise RuntimeError(f"the sidebar's From did not take {day}")
        return self._timed(lambda: self.page.keyboard.press("Enter"))

    def rerun(self) -> float | None:
        """Streamlit's "r" key, on a page the filters do not apply to: ms to it drawn again."""
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        return self._timed(lambda: self.page.keyboard.press("r"))

    def pick_contract(self, text: str) -> None:
        """Pick the contract whose label starts with `text` in the sidebar (untimed)."""
        box = self.page.locator("[data-testid='stSidebar']").get_by_role(
            "combobox", name="Contract", exact=True
        )
        box.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)
        if self._timed(lambda: self.page.keyboard.press("Enter")) is None:
            raise RuntimeError(f"picking the contract {text} was not drawn")

    def charted(self, key: str) -> bool:
        """Whether the page shows a chart whose key starts with `key`."""
        return bool(
            self.page.locator(f"[class*='st-key-{key}'] [data-testid='stVegaLiteChart']").count()
        )

    def drill(self, key: str) -> float | None:
        """Click the largest bar of the first chart whose key starts with `key`: ms from the
        click to the page drawn with the list of what it picks (the pick's clear button
        shown); None if not within DRILL_WAIT_S."""
        chart = f"[class*='st-key-{key}'] [data-testid='stVegaLiteChart']"
        point = self.page.evaluate(_BAR, chart)
        if point is None:
            raise RuntimeError(f"no bar to click in {chart}")
        ms = self._timed(lambda: self.page.mouse.click(*point), DRILL_WAIT_S, fragments=True)
        return ms if ms is not None and self.page.locator(CLEAR).count() else None

    def clear_pick(self) -> None:
        """Clear the drill-down's pick, if there is one (untimed)."""
        clear = self.page.locator(CLEAR)
        if clear.count():
            self._timed(clear.first.click, fragments=True)

    def shown(self) -> dict:
        """How many charts (Vega views) and tables (data grids) the page shows, and the rows and
        columns of each table the last timed run sent."""
        return {
            "charts": self.page.locator(CHARTS).count(),
            "tables": self.page.locator(TABLES).count(),
            "table_sizes": list(self.runs.tables),
        }

    def errors(self, visit: Visit, ms: float | None) -> list[str]:
        """What is wrong with the page just visited: not drawn, or showing an error."""
        if ms is None:
            return [f"{visit.title}: not drawn within {WAIT_S} s"]
        if self.page.locator(ERRORS).count():
            return [f"{visit.title}: shows an error"]
        return []

    def close(self) -> None:
        self.context.close()  # before the servers stop: a page left open would reconnect

    def _timed(
        self, act: Callable[[], object], wait_s: float = WAIT_S, fragments: bool = False
    ) -> float | None:
        """Do `act` and wait for a script run to finish (counted over the WebSocket: a fast
        run can be over before the page shows it running; with `fragments`, a fragment's
        run too), the page drawn and its charts quiet: ms from the last click or key down to
        the page drawn or its last chart drawn, whichever came later, on the page's clock.
        None if not drawn within `wait_s`."""
        from playwright.sync_api import TimeoutError as NotDrawn

        def finished() -> int:
            return self.runs.whole + (self.runs.fragments if fragments else 0)

        before = finished()
        self.runs.tables.clear()  # the tables this run sends
        act()
        deadline = time.perf_counter() + wait_s
        while finished() == before:
            if time.perf_counter() > deadline:
                return None
            self.page.wait_for_timeout(5)  # lets the page's events (the frames) be handled
        self.served = None
        try:
            drawn = self.page.wait_for_function(_DRAWN, timeout=wait_s * 1000, polling=5)
            at = drawn.json_value()
            self.page.wait_for_function(
                _QUIET, arg=[at, QUIET_MS], timeout=wait_s * 1000, polling=5
            )
        except NotDrawn:
            return None
        self.served = round(self.page.evaluate(_SERVED, self.runs.last_finished), 1)
        return round(self.page.evaluate(_ELAPSED, at), 1)
