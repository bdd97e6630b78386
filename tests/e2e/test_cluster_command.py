"""`python -m dashboard cluster`, as `make cluster` runs it: everything it starts answers, and
Ctrl-C stops everything it started."""

import os
import re
import signal
import subprocess
import sys
import urllib.request

import pytest

from dashboard import local_services
from tests.e2e.conftest import ROOT


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


def test_ctrl_c_stops_everything_the_cluster_started(tiny_home):
    if local_services.postgres_bin() is None or local_services.haproxy() is None:
        if os.environ.get("CI"):
            pytest.fail("postgresql or haproxy missing in CI: .ci/run must install them")
        pytest.skip("postgresql or haproxy not installed here (.ci/run installs them)")
    port = local_services.free_port()
    command = [sys.executable, "-m", "dashboard", "cluster", "--replicas", "1"]
    command += ["--port", str(port), "--dataset", str(tiny_home)]
    cluster = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    said = []
    try:
        for line in cluster.stdout:
            said.append(line)
            if "Ctrl-C stops everything" in line or "cluster:" in line:
                break
        started = "".join(said)
        assert f"Customer Activity: http://127.0.0.1:{port}" in started, started
        urls = re.findall(r"^  (?:s3|haproxy|replica \d): (http://\S+)", started, re.MULTILINE)
        assert len(urls) == 3, started
        postgres = re.search(r"postgresql://postgres@127\.0\.0\.1:(\d+)/", started)
        assert postgres, started
        assert answers(f"http://127.0.0.1:{port}/_stcore/health")
    finally:
        cluster.send_signal(signal.SIGINT)
        rest, _ = cluster.communicate(timeout=60)
    assert cluster.returncode == 0, rest
    assert "cluster: stopped" in rest
    for url in urls:
        assert not answers(url), f"{url} still answers"
    assert not answers(f"http://127.0.0.1:{port}/_stcore/health")
    # nothing listens on PostgreSQL's port any more
    probe = subprocess.run(
        [str(local_services.postgres_bin() / "pg_isready"), "-h", "127.0.0.1", "-p", postgres[1]],
        capture_output=True,
        check=False,
    )
    assert probe.returncode != 0
