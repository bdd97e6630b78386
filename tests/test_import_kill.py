"""Killing the import at random points never changes the live dataset, or leaves it unreadable,
unless the import had already published a whole new one."""

import random
import signal
import subprocess
import sys
import time

import pytest

from dashboard.ingest import data_home
from dashboard.ingest.data_home import current_dataset
from dashboard.ingest.importer import import_dataset
from dashboard.query.dataset import Dataset
from tests.conftest import FIXTURE, FIXTURE_AS_OF

ROOT = data_home.PROJECT_ROOT


def run_import(src, home):
    command = [sys.executable, "-m", "dashboard", "import", str(src), "--data", str(home),
               "--as-of", "2026-06-30"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def big_source(tmp_path_factory):
    """A source folder large enough that an import takes a few seconds: the demo data's tables."""
    out = tmp_path_factory.mktemp("demo")
    subprocess.run(
        [sys.executable, "-m", "dashboard", "seed", "--out", str(out), "--scale", "30"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return current_dataset(out)


def test_killing_the_import_anywhere_leaves_the_live_dataset_as_it_was(big_source, tmp_path):
    home = tmp_path / "home"
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    live = current_dataset(home)
    before = {p.relative_to(live): p.read_bytes() for p in live.rglob("*") if p.is_file()}
    start = time.perf_counter()
    scratch = run_import(big_source, tmp_path / "scratch")
    assert scratch.wait(timeout=300) == 0, scratch.stderr.read().decode()
    takes = time.perf_counter() - start
    chance = random.Random(8)
    killed = 0
    for n in range(8):
        process = run_import(big_source, home)
        time.sleep(chance.uniform(0.05, takes * 0.8))
        if process.poll() is not None:  # it finished first: that import is the live one now
            assert process.returncode == 0
            live = current_dataset(home)
            before = {p.relative_to(live): p.read_bytes() for p in live.rglob("*") if p.is_file()}
            continue
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        killed += 1
        if current_dataset(home) != live:
            # killed after it had published its dataset, while it removed old versions: the
            # import was done, and what it published must be whole (every checksum matches)
            live = current_dataset(home)
            Dataset(live).close()
            assert (live / "manifest.json").is_file()
            before = {p.relative_to(live): p.read_bytes() for p in live.rglob("*") if p.is_file()}
            continue
        after = {p.relative_to(live): p.read_bytes() for p in live.rglob("*") if p.is_file()}
        assert after == before, f"kill {n}: a file of the live dataset changed"
        dataset = Dataset(current_dataset(home))  # every checksum still matches
        assert dataset.run("demo_users", None).height > 0  # and it answers queries
        dataset.close()
    assert killed >= 5  # most were killed part way
    # the next import clears what the killed ones left behind, and completes
    assert run_import(big_source, home).wait(timeout=300) == 0
    assert current_dataset(home) != live
    versions = home / data_home.VERSIONS
    assert not [p for p in versions.iterdir() if p.name.startswith(data_home.STAGING_PREFIX)]
    Dataset(current_dataset(home)).close()
