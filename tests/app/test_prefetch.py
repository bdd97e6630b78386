"""Queries started ahead of a page: the pool's rules, and a page drawn again with them."""

import threading
from datetime import date

from dashboard.app import pages, prefetch, results
from dashboard.query import sql_files
from dashboard.query.dataset import Dataset
from tests.app.conftest import metrics, texts

SUPPORT = pages.by_path("support").file

WAIT = 10  # seconds; every wait below ends as soon as what it waits for happens


def _busy_pool() -> threading.Event:
    """Occupy every worker of the pool until the returned event is set."""
    gate, busy = threading.Event(), threading.Barrier(prefetch.WORKERS + 1, timeout=WAIT)

    def hold() -> None:
        busy.wait()
        gate.wait(WAIT)

    for _ in range(prefetch.WORKERS):
        prefetch.start([(object(), hold)])
    busy.wait()
    return gate


def test_work_that_has_not_started_is_done_by_whoever_asks_for_it():
    gate = _busy_pool()
    try:
        started = prefetch.start([("figure", lambda: "from the pool")])
        assert prefetch.take(started["figure"], lambda: "made here") == "made here"
        assert started["figure"].cancelled()  # and the pool will not do it again
    finally:
        gate.set()


def test_work_that_is_running_is_waited_for_not_done_twice():
    running, release = threading.Event(), threading.Event()
    made_here: list[str] = []

    def slow() -> str:
        running.set()
        release.wait(WAIT)
        return "from the pool"

    started = prefetch.start([("figure", slow)])
    assert running.wait(WAIT)
    threading.Timer(0.05, release.set).start()
    assert prefetch.take(started["figure"], lambda: made_here.append("x") or "made here") == (
        "from the pool"
    )
    assert made_here == []


def test_nothing_started_means_made_here_and_dropping_cancels_what_has_not_started():
    assert prefetch.take(None, lambda: 42) == 42
    gate = _busy_pool()
    try:
        started = prefetch.start([("a", lambda: 1), ("b", lambda: 2)])
        prefetch.drop(started.values())
        assert all(f.cancelled() for f in started.values())
    finally:
        gate.set()


def _watch_threads(monkeypatch) -> dict[str, list[str]]:
    """{query name: the threads that ran it}, from now on."""
    ran_on: dict[str, list[str]] = {}
    original = Dataset.run

    def run(self, name, *args, **kwargs):
        ran_on.setdefault(name, []).append(threading.current_thread().name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(Dataset, "run", run)
    return ran_on


def _watch_starts(monkeypatch) -> list[str]:
    """The names of the queries started ahead, from now on."""
    started: list[str] = []
    original = prefetch.start

    def start(work):
        work = list(work)
        started.extend(asked.name for asked, _make in work)
        return original(work)

    monkeypatch.setattr(prefetch, "start", start)
    return started


def test_a_page_drawn_again_starts_what_it_asked_for_ahead_with_the_same_figures(app, monkeypatch):
    results.forget_results()
    ran_on, started = _watch_threads(monkeypatch), _watch_starts(monkeypatch)
    at = app(**{"as": "u-cadmin"})
    at.switch_page(SUPPORT).run()
    assert started == []  # first drawn: nothing to go by
    ran_on.clear()
    at.date_input(key="f_from").set_value(date(2026, 3, 1)).run()
    assert not at.exception
    # what reads the dates was started ahead, in the order the page asks; nothing else was
    assert {"support_totals", "support_by_month", "support_requests"} <= set(started)
    assert all("date_from" in sql_files.load(name).parameters for name in started)
    assert started.index("support_totals") < started.index("support_requests")
    # each ran once, in the pool or (not started yet when the page asked) by the page itself
    assert sorted(ran_on) == sorted(started)
    assert all(len(threads) == 1 for threads in ran_on.values()), ran_on

    # the same page and dates drawn from nothing, one query after another, shows the same
    results.forget_results()
    fresh = app(**{"as": "u-cadmin"})
    fresh.date_input(key="f_from").set_value(date(2026, 3, 1)).run()
    fresh.switch_page(SUPPORT).run()
    assert metrics(fresh) == metrics(at)
    assert texts(fresh) == texts(at)
    assert [d.value.to_csv() for d in fresh.dataframe] == [d.value.to_csv() for d in at.dataframe]


def test_a_result_cached_already_is_not_started_ahead_again(app, monkeypatch):
    results.forget_results()
    at = app(**{"as": "u-cadmin"})
    at.switch_page(SUPPORT).run()
    at.date_input(key="f_from").set_value(date(2026, 3, 1)).run()
    ran_on, started = _watch_threads(monkeypatch), _watch_starts(monkeypatch)
    at.date_input(key="f_from").set_value(date(2026, 2, 1)).run()
    assert ran_on and started  # a day not picked before: its results are started ahead
    ran_on.clear()
    started.clear()
    at.date_input(key="f_from").set_value(date(2026, 3, 1)).run()  # back to a day seen
    assert not at.exception
    assert started == [] and ran_on == {}  # all cached: nothing started, nothing ran
