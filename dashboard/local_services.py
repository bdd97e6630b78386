"""Real services started on this machine, each on a port of its own and in a folder of its own:
a PostgreSQL server (Debian's `postgresql`), an S3 API (moto's server mode) and HAProxy.

`python -m dashboard cluster` starts them for a demo of the replicated set-up, and the tests
start them for real instead of mocking them. Each `start_*` returns a `Service` whose `stop()`
ends it and waits; none outlives the process that started it by more than a stop.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

POSTGRES_BIN = Path("/usr/lib/postgresql")
POSTGRES_USER = "postgres"  # Debian's package's user: initdb refuses to run as root
STARTUP_SECONDS = 60


class ServiceFailed(Exception):
    """A service did not start; str() says which and where its log is."""


@dataclass
class Service:
    name: str
    url: str
    process: subprocess.Popen | None = None
    log: Path | None = None
    stop_command: list[str] = field(default_factory=list)  # when a command stops it
    start_command: list[str] = field(default_factory=list)  # when a command starts it again
    scratch: Path | None = None  # a folder of its own, removed once it is stopped

    def stop(self) -> None:
        if self.stop_command:
            subprocess.run(self.stop_command, capture_output=True, check=False, timeout=60)
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen | None, log: Path | None) -> None:
    """Wait for `url` to answer 200, failing early if the process behind it ends."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        ended = process is not None and process.poll() is not None
        if ended or time.monotonic() > deadline:
            if process is not None and not ended:
                process.kill()
            raise ServiceFailed(f"{url} did not come up; see {log}")
        time.sleep(0.1)


# PostgreSQL ---------------------------------------------------------------------------------


def postgres_bin() -> Path | None:
    """The folder of the newest PostgreSQL server installed from Debian's packages, if any."""
    found = sorted(POSTGRES_BIN.glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def _as_postgres_user() -> list[str]:
    """How to run PostgreSQL's commands: as its own user when we are root."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", POSTGRES_USER, "--"]


def _postgres_folder(folder: Path) -> Path:
    """`folder`, created, or when we are root and PostgreSQL's user cannot reach it (a private
    temporary folder), a folder of that user's own under the system's temporary folder."""
    folder.mkdir(parents=True, exist_ok=True)
    runner = _as_postgres_user()
    if not runner:
        return folder
    reachable = subprocess.run([*runner, "test", "-x", str(folder)], check=False).returncode == 0
    if not reachable:
        folder = Path(tempfile.mkdtemp(prefix="customer-activity-postgres-"))
    owner = pwd.getpwnam(POSTGRES_USER)
    os.chown(folder, owner.pw_uid, owner.pw_gid)
    return folder


def start_postgres(folder: Path, port: int | None = None, database: str = "activity") -> Service:
    """A PostgreSQL server with its cluster in `folder` (see _postgres_folder), listening on
    127.0.0.1 only, trusting local connections, with `database` created. Its url names that
    database."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise ServiceFailed("PostgreSQL is not installed (`apt-get install postgresql`)")
    port = port or free_port()
    asked = folder
    folder = _postgres_folder(folder)
    runner = _as_postgres_user()
    data = folder / "cluster"
    log = folder / "postgres.log"
    if not (data / "PG_VERSION").exists():
        _run([*runner, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"])
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=on"
    pg_ctl = [*runner, str(bin_dir / "pg_ctl"), "-D", str(data)]
    start = [*pg_ctl, "-o", options, "-l", str(log), "-w", "start"]
    _run(start)
    service = Service(
        "postgresql",
        f"postgresql://postgres@127.0.0.1:{port}/{database}",
        log=log,
        stop_command=[*pg_ctl, "-m", "fast", "-w", "stop"],
        start_command=start,
        scratch=folder if folder != asked else None,
    )
    created = subprocess.run(
        [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database],
        capture_output=True,
        text=True,
        check=False,
    )
    if created.returncode != 0 and "already exists" not in created.stderr:
        service.stop()
        raise ServiceFailed(f"createdb {database} failed: {created.stderr.strip()}")
    return service


def restart(service: Service, down_seconds: float = 0.0) -> None:
    """Stop a service started by a command, wait `down_seconds`, and start it again as before
    (PostgreSQL: same folder, same port)."""
    subprocess.run(service.stop_command, capture_output=True, check=False, timeout=60)
    time.sleep(down_seconds)
    _run(service.start_command)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ServiceFailed(f"{' '.join(command)} failed: {(done.stderr or done.stdout).strip()}")


# An S3 API ----------------------------------------------------------------------------------


def start_s3(folder: Path, port: int | None = None) -> Service:
    """An S3 API on 127.0.0.1 (moto's server mode), its log in `folder`. Clients find it through
    `AWS_ENDPOINT_URL`; any key is accepted."""
    port = port or free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "s3.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(f"{url}/moto-api/", process, log)
    return Service("s3", url, process, log)


def s3_environment(endpoint: str) -> dict[str, str]:
    """What a client of the local S3 API needs in its environment (moto takes any key)."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


# HAProxy ------------------------------------------------------------------------------------


def haproxy() -> str | None:
    return shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )


def start_haproxy(configs: list[Path], env: dict[str, str], log: Path, health_url: str) -> Service:
    """HAProxy in the foreground with `configs` (read in order), their variables from `env`."""
    binary = haproxy()
    if binary is None:
        raise ServiceFailed("HAProxy is not installed (`apt-get install haproxy`)")
    process = subprocess.Popen(
        [binary, *(part for config in configs for part in ("-f", str(config))), "-db"],
        env={**os.environ, **env},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    wait_until_up(health_url, process, log)
    return Service("haproxy", health_url.rsplit("/_stcore", 1)[0], process, log)


@contextlib.contextmanager
def stopped_at_exit(services: list[Service]):
    """Stop every service in `services` (the last started first) when the block ends."""
    try:
        yield services
    finally:
        for service in reversed(services):
            service.stop()
