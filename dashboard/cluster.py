"""`python -m dashboard cluster --replicas N --port PORT` (`make cluster`): the replicated
set-up on one machine, for a demo and for the tests that prove it.

It starts, each on a free port and in a folder of its own:
- a PostgreSQL server holding the app's state (grants, sign-ins), `CUSTOMER_ACTIVITY_STATE`;
- an S3 API (moto's server mode) holding the datasets, `CUSTOMER_ACTIVITY_DATA=s3://...`, with
  the local demo dataset imported into it (built first if there is none);
- N replicas of the app (`python -m dashboard serve`), each following the dataset into a cache
  of its own, as replicas on separate machines would;
- HAProxy in front, with deploy/haproxy.cfg and deploy/replicas.cfg's backend listing these
  replicas: every session sticks to the replica that served its first request (a cookie), since
  Streamlit keeps a session and its downloads in one process's memory.

Ctrl-C (or SIGTERM) stops everything it started, the balancer first and PostgreSQL last.
deploy/ holds the same topology for a real deployment; the README's deployment section says how
to run it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dashboard import local_services
from dashboard.local_services import Service, ServiceFailed

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
BUCKET = "customer-activity"
PREFIX = "datasets"
REPLICA_OPTIONS = {
    "--server.address": "127.0.0.1",
    "--server.headless": "true",
    "--browser.gatherUsageStats": "false",
    "--server.fileWatcherType": "none",
}


def replicas_config(addresses: list[str]) -> str:
    """deploy/replicas.cfg's backend with one `server` line per replica address (host:port):
    the balancing, affinity and health checks stay defined in that one file."""
    kept = [
        line
        for line in (DEPLOY / "replicas.cfg").read_text(encoding="utf-8").splitlines()
        if not line.strip().startswith("server ")
    ]
    servers = [f"    server r{n} {address} cookie r{n}" for n, address in enumerate(addresses, 1)]
    return "\n".join([*kept, *servers]) + "\n"


@dataclass
class Cluster:
    """The services of one cluster, started by `start` and stopped by `stop`."""

    folder: Path
    replicas: int = 2
    port: int | None = None
    dataset: Path | None = None  # a local data home or dataset folder to import; None: the demo
    services: list[Service] = field(default_factory=list)
    replica_services: list[Service] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)  # what every replica runs with
    url: str = ""

    def start(self) -> Cluster:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        postgres = local_services.start_postgres(self.folder / "postgres")
        self.services.append(postgres)
        s3 = local_services.start_s3(self.folder / "s3")
        self.services.append(s3)
        self.env = {
            **local_services.s3_environment(s3.url),
            "CUSTOMER_ACTIVITY_STATE": postgres.url,
            "CUSTOMER_ACTIVITY_DATA": f"s3://{BUCKET}/{PREFIX}",
        }
        _create_bucket(self.env, BUCKET)
        self.publish(self.dataset or _demo_dataset())
        addresses = []
        for n in range(1, self.replicas + 1):
            self.replica_services.append(self._start_replica(n))
            addresses.append(self.replica_services[-1].url.removeprefix("http://"))
        config = self.folder / "replicas.cfg"
        config.write_text(replicas_config(addresses), encoding="utf-8")
        port = self.port or local_services.free_port()
        balancer = local_services.start_haproxy(
            [DEPLOY / "haproxy.cfg", config],
            {"CA_LISTEN": f"127.0.0.1:{port}"},
            self.folder / "haproxy.log",
            f"http://127.0.0.1:{port}/_stcore/health",
        )
        self.services.append(balancer)
        self.url = f"http://127.0.0.1:{port}"

    def publish(self, source: Path, as_of: date | None = None) -> None:
        """Import `source` (a data home or a dataset folder) into the cluster's object storage,
        as of its own day unless `as_of` is given: every replica picks it up within seconds."""
        folder = source
        if (source / "current").exists():
            folder = (source / "current").resolve()
        as_of = as_of or json.loads((folder / "manifest.json").read_text())["as_of"]
        command = [sys.executable, "-m", "dashboard", "import", str(folder), "--as-of", str(as_of)]
        done = subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise ServiceFailed(f"importing {folder} failed: {done.stderr.strip()}")

    def restart_replica(self, n: int) -> None:
        """Stop replica `n` (if it still runs) and start it again on its port, as its service
        manager would."""
        old = self.replica_services[n - 1]
        old.stop()
        self.replica_services[n - 1] = self._start_replica(n, int(old.url.rsplit(":", 1)[1]))

    def _start_replica(self, n: int, port: int | None = None) -> Service:
        """Replica `n` on `port` (a free one if None), following the cluster's dataset into a
        cache of its own."""
        port = port or local_services.free_port()
        log = self.folder / f"replica-{n}.log"
        env = {
            **os.environ,
            **self.env,
            "CUSTOMER_ACTIVITY_CACHE": str(self.folder / f"cache-{n}"),
        }
        options = {"--server.port": str(port), **REPLICA_OPTIONS}
        command = [sys.executable, "-m", "dashboard", "serve"]
        command += [part for pair in options.items() for part in pair]
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        local_services.wait_until_up(f"{url}/_stcore/health", process, log)
        return Service(f"replica {n}", url, process, log)

    def stop(self) -> None:
        everything = [*self.services[:2], *self.replica_services, *self.services[2:]]
        for service in reversed(everything):
            service.stop()
        self.services, self.replica_services = [], []


def _create_bucket(env: dict[str, str], bucket: str) -> None:
    from pyarrow import fs

    fs.S3FileSystem(
        access_key=env["AWS_ACCESS_KEY_ID"],
        secret_key=env["AWS_SECRET_ACCESS_KEY"],
        region=env["AWS_DEFAULT_REGION"],
        endpoint_override=env["AWS_ENDPOINT_URL"],
        allow_bucket_creation=True,
    ).create_dir(bucket)


def _demo_dataset() -> Path:
    """The local demo data home (`make run`'s), built first if there is none."""
    home = ROOT / "data"
    subprocess.run(
        [sys.executable, "-m", "dashboard", "seed", "--out", str(home), "--if-missing"],
        cwd=ROOT,
        check=True,
    )
    return home


def add_parser(commands) -> None:
    cluster = commands.add_parser(
        "cluster", help="PostgreSQL, an S3 API, N replicas and HAProxy on this machine (a demo)"
    )
    cluster.add_argument("--replicas", type=int, default=2, help="app replicas (default 2)")
    cluster.add_argument("--port", type=int, default=8501, help="the balancer's port (8501)")
    cluster.add_argument("--dataset", help="a data home or dataset folder (default: the demo)")


def run(args: argparse.Namespace) -> int:
    if args.replicas < 1:
        print("cluster: --replicas must be at least 1", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="customer-activity-cluster-"))
    dataset = Path(args.dataset) if args.dataset else None
    cluster = Cluster(folder, args.replicas, args.port, dataset)
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    try:
        cluster.start()
    except ServiceFailed as problem:
        print(f"cluster: {problem}", file=sys.stderr)
        return 1
    print(f"Customer Activity: {cluster.url} (HAProxy in front of {args.replicas} replicas)")
    for service in [*cluster.services, *cluster.replica_services]:
        print(f"  {service.name}: {service.url}  log: {service.log}")
    print("Ctrl-C stops everything.", flush=True)
    try:
        while not stopping.wait(1.0):
            for replica in cluster.replica_services:
                if replica.process is not None and replica.process.poll() is not None:
                    print(f"cluster: {replica.name} ended; see {replica.log}", file=sys.stderr)
                    replica.process = None
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print("cluster: stopped")
    return 0
