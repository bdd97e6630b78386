"""Queries run ahead of the page that will ask for them, a few at a time.

A page draws one figure after another, and each waits for its query: run one by one, a page's
independent queries leave a core idle while DuckDB binds and plans, or reads a single row group.
When a page is drawn again (after a filter change), the queries it asked for the last time are
started here, in a small pool shared by every session, before the page starts drawing; when
the page asks, it takes the result, waits for one that is running, or runs one that has not
started yet itself (so a page never waits in the queue behind other pages' work).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# as many as the machine has cores, at most 4: each query is already parallel inside DuckDB
WORKERS = min(os.cpu_count() or 2, 4)
_POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="ahead")


def start(work: Iterable[tuple[Hashable, Callable[[], T]]]) -> dict[Hashable, Future[T]]:
    """Start each piece of work (in the order given, the order a page asks) in the pool."""
    return {key: _POOL.submit(make) for key, make in work}


def take(future: Future[T] | None, make: Callable[[], T]) -> T:
    """The result of work started ahead: taken when done, waited for while it runs, and made
    here (`make`) if it has not started yet or was never started."""
    if future is None or future.cancel():
        return make()
    return future.result()


def drop(futures: Iterable[Future]) -> None:
    """Cancel the work not started yet (a page run that was cut short by a newer one)."""
    for future in futures:
        future.cancel()
