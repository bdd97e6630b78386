"""The load test: `python -m benchmarks.load [--sessions 25] [--seconds 60] [--size 10M]
[--replicas N ...] [--think MIN MAX] [--alone]` (`make load`).

A real `streamlit run` server on localhost, and as many concurrent sessions as asked, each
speaking the app's own protocol over the WebSocket the browser uses (`/_stcore/stream`): a
session opens with filters from a link (a user, a date range, sometimes one workspace), then
switches pages a few times; then it closes and a new one opens with other filters. Latency is
from asking for a page to the server saying the script finished. An error is a page that
raised, showed the app's "Something went wrong", was not found or did not finish. The server's
peak memory is read from /proc. Results go to benchmarks/load.json and the load section of
benchmarks/RESULTS.md.

With `--replicas N [N ...]`, the sessions go through HAProxy to N replicas instead, started as
`python -m dashboard cluster` starts them (PostgreSQL for the state, an S3 API for the dataset),
each session keeping to its replica by the balancer's cookie as a browser does; one run per N,
side by side in benchmarks/load-replicas.json and RESULTS.md, with each process's peak memory.
With `--think MIN MAX` each session pauses between MIN and MAX seconds after a page, as a
person reading it does, and the sessions arrive spread over the first MAX seconds (back to
back, and all at once, without); with `--alone`, a lone session asking back to
back is timed first on the same cluster: the page time the others' is read against.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks import datasets, report
from benchmarks.measure import Timings, peak_rss_mb
from benchmarks.scopes import viewpoints
from benchmarks.server import PATHS, ROOT, _free_port, _wait_healthy, server_command
from dashboard.ingest.data_home import current_dataset
from dashboard.query.dataset import Dataset
from dashboard.query.filters import LINK

HERE = Path(__file__).resolve().parent
# every page by its URL path; the default page (Enterprise-wide) is at the root
PAGES = list(PATHS.values())
PAGE_TIMEOUT_S = 120
LOG = HERE / "out" / "load-server.log"  # the server's own log of the last run
BROKEN = "Something went wrong"


class Tally:
    def __init__(self) -> None:
        self.latency = Timings()
        self.sessions = 0
        self.pages = 0
        self.errors: list[str] = []
        self.by_replica: Counter[str] = Counter()  # sessions per balancer cookie


async def one_page(ws, query: str, path: str) -> str | None:
    """Ask for a page; wait for the script to finish. Returns what went wrong, if anything."""
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = path
    await ws.send(message.SerializeToString())
    problem = None
    while True:
        raw = await asyncio.wait_for(ws.recv(), PAGE_TIMEOUT_S)
        forward = ForwardMsg()
        forward.ParseFromString(raw)
        kind = forward.WhichOneof("type")
        if kind == "page_not_found":
            problem = f"{path}: page not found"
        elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            if element.WhichOneof("type") == "exception":
                problem = f"{path}: {element.exception.type}: {element.exception.message}"
            elif element.WhichOneof("type") == "alert" and BROKEN in element.alert.body:
                problem = f"{path or 'enterprise'}: {element.alert.body[:80]}"
        elif kind == "script_finished":
            status = forward.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue
            if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                problem = problem or f"{path}: script finished with status {status}"
            return problem


def replica_cookie(origin: str) -> dict[str, str]:
    """What a browser sends after the page's first answer: the balancer's cookie naming the
    replica of its session (none without a balancer)."""
    with urllib.request.urlopen(origin + "/", timeout=30) as reply:
        cookie = reply.headers.get("set-cookie")
    return {"Cookie": cookie.split(";", 1)[0]} if cookie else {}


async def session_loop(
    url: str,
    origin: str,
    links: list[str],
    until: float,
    seed: int,
    tally: Tally,
    think: tuple[float, float] | None = None,
):
    chance = random.Random(seed)
    if think:  # people arrive one by one, not all in the same instant
        await asyncio.sleep(chance.uniform(0, think[1]))
    while time.perf_counter() < until:
        query = chance.choice(links)
        try:
            headers = await asyncio.to_thread(replica_cookie, origin)
            tally.by_replica[headers.get("Cookie", "").partition("=")[2] or "direct"] += 1
            async with websockets.connect(
                url,
                subprotocols=["streamlit"],
                origin=origin,
                max_size=None,
                additional_headers=headers,
            ) as ws:
                tally.sessions += 1
                for _ in range(chance.randint(3, 6)):
                    if time.perf_counter() >= until:
                        break
                    path = chance.choice(PAGES)
                    start = time.perf_counter()
                    problem = await one_page(ws, query, path)
                    tally.latency.add((time.perf_counter() - start) * 1000)
                    tally.pages += 1
                    if problem:
                        tally.errors.append(problem)
                    if think:  # a person reads the page before the next click
                        await asyncio.sleep(chance.uniform(*think))
        except (OSError, TimeoutError, websockets.WebSocketException) as error:
            tally.errors.append(f"session: {type(error).__name__}: {error}")


def filter_links(home: Path) -> list[str]:
    """Query strings a session may open with: each viewpoint's user, all or one workspace,
    and a date range or none."""
    dataset = Dataset(current_dataset(home))
    links = []
    for point in viewpoints(dataset):
        pairs = [
            (k, v) for k, vs in point.params.items() for v in ([vs] if isinstance(vs, str) else vs)
        ]
        base = f"as={point.user}" + "".join(f"&{k}={v}" for k, v in pairs)
        for days in (None, 30, 90, 365):
            if days is None:
                links.append(base)
            else:
                start = dataset.as_of - timedelta(days=days)
                links.append(
                    f"{base}&{LINK['date_from']}={start}&{LINK['date_to']}={dataset.as_of}"
                )
    dataset.close()
    return links


async def drive(
    port: int,
    links: list[str],
    sessions: int,
    seconds: float,
    think: tuple[float, float] | None = None,
) -> Tally:
    tally = Tally()
    url, origin = f"ws://127.0.0.1:{port}/_stcore/stream", f"http://127.0.0.1:{port}"
    until = time.perf_counter() + seconds
    await asyncio.gather(
        *(session_loop(url, origin, links, until, n, tally, think) for n in range(sessions))
    )
    return tally


class Reimports:
    """Re-import the live dataset's own tables every `every` seconds while the load runs: the
    sessions must see no error across the swaps."""

    def __init__(self, home: Path, every: float | None):
        self.home, self.every, self.done = home, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> Reimports:
        if self.every:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.every:
            self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            live = current_dataset(self.home)
            as_of = json.loads((live / "manifest.json").read_text())["as_of"]
            options = ["--data", str(self.home), "--as-of", as_of]
            command = [sys.executable, "-m", "dashboard", "import", str(live), *options]
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
            self.done += 1


def run_load(home: Path, sessions: int, seconds: float, reimport: float | None = None) -> dict:
    links = filter_links(home)
    port = _free_port()
    env = {**os.environ, "CUSTOMER_ACTIVITY_DATA": str(home)}
    command = server_command(port)
    start = time.perf_counter()
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", server, start)
        wall = time.perf_counter()
        with Reimports(home, reimport) as reimports:
            tally = asyncio.run(drive(port, links, sessions, seconds))
        wall = time.perf_counter() - wall
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        _, server_log = server.communicate(timeout=60)
    LOG.parent.mkdir(parents=True, exist_ok=True)
    LOG.write_text(server_log, encoding="utf-8")
    tracebacks = server_log.count("Traceback")
    summary = tally.latency.summary()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "concurrent_sessions": sessions,
        "seconds": round(wall, 1),
        "sessions_served": tally.sessions,
        "pages_served": tally.pages,
        "pages_per_s": round(tally.pages / wall, 1),
        "errors": len(tally.errors) + tracebacks,
        "error_samples": sorted(set(tally.errors))[:10],
        "server_tracebacks": tracebacks,
        "page_p50_ms": round(summary["median_ms"]),
        "page_p95_ms": round(summary["p95_ms"]),
        "page_max_ms": round(max(tally.latency.samples, default=0)),
        "server_peak_rss_mb": rss,
        "links": len(links),
        "reimports": reimports.done,
    }


def run_replicated(
    home: Path,
    replicas: int,
    sessions: int,
    seconds: float,
    think: tuple[float, float] | None = None,
    alone: bool = False,
) -> dict:
    """The load through HAProxy to `replicas` replicas of a cluster over the dataset `home`,
    each session pausing `think` (min, max) seconds after a page; with `alone`, a lone session
    asking back to back first, on the same cluster."""
    from dashboard.cluster import Cluster

    links = filter_links(home)
    folder = Path(tempfile.mkdtemp(prefix="load-cluster-"))
    cluster = Cluster(folder, replicas=replicas, dataset=home).start()
    try:
        port = int(cluster.url.rsplit(":", 1)[1])
        warm = asyncio.run(drive(port, links[:1], replicas * 2, 5))  # each replica's first page
        lone = asyncio.run(drive(port, links, 1, seconds)) if alone else None
        wall, cpu, busy = time.perf_counter(), time.process_time(), _cpu_times()
        tally = asyncio.run(drive(port, links, sessions, seconds, think))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        busy = _busy_share(busy, _cpu_times())
        memory = {
            service.name: peak_rss_mb(service.process.pid)
            for service in [*cluster.replica_services, *cluster.services]
            if service.process is not None
        }
        memory["postgresql"] = _postgres_rss_mb(cluster.services[0])
        tracebacks = sum(_read(s.log).count("Traceback") for s in cluster.replica_services)
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    summary = tally.latency.summary()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "replicas": replicas,
        "concurrent_sessions": sessions,
        "seconds": round(wall, 1),
        "sessions_served": tally.sessions,
        "pages_served": tally.pages,
        "pages_per_s": round(tally.pages / wall, 1),
        "errors": len(tally.errors) + len(warm.errors) + tracebacks,
        "error_samples": sorted(set(tally.errors + warm.errors + (lone.errors if lone else [])))[
            :10
        ],
        "page_p50_ms": round(summary["median_ms"]),
        "page_p95_ms": round(summary["p95_ms"]),
        "page_max_ms": round(max(tally.latency.samples, default=0)),
        "peak_rss_mb": memory,
        "sessions_per_replica": dict(sorted(tally.by_replica.items())),
        "links": len(links),
        "think_s": list(think) if think else None,
        "machine_busy": busy,  # the share of the machine's CPU time not idle during the run
        "sessions_cpu_s": round(cpu, 1),  # what the sessions' own process took of it
        **(_alone(lone) if lone else {}),
    }


def _cpu_times() -> tuple[int, int]:
    """(busy, all) CPU time of the whole machine so far, in clock ticks (/proc/stat)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and waiting for I/O
    return sum(ticks) - idle, sum(ticks)


def _busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    busy, total = after[0] - before[0], after[1] - before[1]
    return round(busy / total, 2) if total else 0.0


def _alone(tally: Tally) -> dict:
    """What the lone session's pages took, and what went wrong in them."""
    summary = tally.latency.summary()
    return {
        "alone_pages": tally.pages,
        "alone_p50_ms": round(summary["median_ms"]),
        "alone_p95_ms": round(summary["p95_ms"]),
        "alone_errors": len(tally.errors),
    }


def _read(path: Path | None) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path else ""


def _postgres_rss_mb(postgres) -> int:
    """PostgreSQL's peak memory: the largest of its processes (they share their buffers)."""
    data = Path(postgres.stop_command[postgres.stop_command.index("-D") + 1])
    main_pid = int((data / "postmaster.pid").read_text().split()[0])
    children = Path(f"/proc/{main_pid}/task/{main_pid}/children").read_text().split()
    peaks = []
    for pid in [main_pid, *map(int, children)]:
        try:
            peaks.append(peak_rss_mb(pid))
        except (OSError, RuntimeError):
            continue
    return max(peaks, default=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--sessions", type=int, default=25)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--size", choices=["100k", "1M", "10M"], default="10M")
    parser.add_argument(
        "--reimport", type=float, metavar="S", help="re-import the dataset every S seconds"
    )
    parser.add_argument(
        "--replicas", type=int, nargs="+", metavar="N", help="through HAProxy to N replicas"
    )
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        metavar=("MIN", "MAX"),
        help="seconds each session pauses after a page (with --replicas)",
    )
    parser.add_argument(
        "--alone",
        action="store_true",
        help="time a lone session first, on the same cluster (with --replicas)",
    )
    args = parser.parse_args(argv)
    home, _ = datasets.production(args.size)
    if args.replicas:
        return _main_replicated(home, args)
    result = run_load(home, args.sessions, args.seconds, args.reimport)
    result["size"] = args.size
    name = "load-reimport.json" if args.reimport else "load.json"
    (HERE / name).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("\n".join(report.load_section(result)))
    for sample in result["error_samples"]:
        print(f"error: {sample}")
    results = HERE / "results.json"
    if results.is_file():  # RESULTS.md again, with this load section
        report.write(json.loads(results.read_text(encoding="utf-8")), HERE)
    return 1 if result["errors"] else 0


def _main_replicated(home: Path, args: argparse.Namespace) -> int:
    think = tuple(args.think) if args.think else None
    runs = [
        run_replicated(home, n, args.sessions, args.seconds, think, args.alone)
        for n in args.replicas
    ]
    for run in runs:
        run["size"] = args.size
    (HERE / "load-replicas.json").write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    print("\n".join(report.replicas_section(runs)))
    for run in runs:
        for sample in run["error_samples"]:
            print(f"error ({run['replicas']} replicas): {sample}")
    results = HERE / "results.json"
    if results.is_file():
        report.write(json.loads(results.read_text(encoding="utf-8")), HERE)
    return 1 if any(run["errors"] or run.get("alone_errors") for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
