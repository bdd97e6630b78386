"""Datasets on object storage, against a real S3 API on localhost (moto's server mode): publishing
moves the pointer last, and every follower switches to a new version only once it is whole."""

import hashlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from dashboard import local_services
from dashboard.ingest import data_home, object_store
from dashboard.ingest.data_home import MANIFEST
from tests.conftest import FIXTURE, FIXTURE_AS_OF
from tests.ingest.conftest import client

PREFIX = "datasets/activity"
ROOT = Path(__file__).resolve().parents[2]


def publish(uri: str, folder: Path, cache: Path, before_pointer=None) -> str:
    """Publish the dataset in `folder` to `uri` as a machine whose cache is `cache` would; the
    id of the version."""
    kept = os.environ[object_store.CACHE_ENV]
    os.environ[object_store.CACHE_ENV] = str(cache)
    try:
        with object_store.publishing(uri, before_pointer=before_pointer) as staging:
            shutil.copytree(folder, staging, dirs_exist_ok=True)
    finally:
        os.environ[object_store.CACHE_ENV] = kept
    return object_store.live_id(cache / uri.removeprefix("s3://"))


def pointer(s3_env, bucket) -> dict:
    body = client(s3_env).get_object(Bucket=bucket, Key=f"{PREFIX}/current")["Body"]
    return json.loads(body.read())


def objects(s3_env, bucket, under: str = "") -> dict[str, int]:
    """Every object under PREFIX/under: its key relative to PREFIX -> its size."""
    listed = client(s3_env).list_objects_v2(Bucket=bucket, Prefix=f"{PREFIX}/{under}")
    return {o["Key"][len(PREFIX) + 1 :]: o["Size"] for o in listed.get("Contents", [])}


def files(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_size for p in folder.rglob("*") if p.is_file()
    }


def versions_in(s3_env, bucket) -> set[str]:
    """The versions with objects (pyarrow leaves an empty `versions/` marker when it deletes)."""
    keys = objects(s3_env, bucket, "versions/")
    return {key.split("/")[1] for key in keys if key.count("/") >= 2}


@pytest.fixture
def tiny_folder(tiny_home) -> Path:
    """The hand-made dataset as of 2026-06-30: a version folder."""
    return data_home.current_dataset(tiny_home)


def eventually(check, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.1)


def cache_of(s3_env, bucket) -> Path:
    return Path(s3_env[object_store.CACHE_ENV]) / bucket / PREFIX


def test_import_publishes_every_file_then_the_pointer_last(s3_env, bucket, uri, tmp_path):
    from dashboard.ingest.importer import import_dataset

    # the call `python -m dashboard import SRC --data s3://...` makes
    import_dataset(FIXTURE, data_home.destination(uri), FIXTURE_AS_OF)
    first = pointer(s3_env, bucket)["id"]
    first_folder = data_home.current_dataset(cache_of(s3_env, bucket))
    assert first_folder.name == first
    assert objects(s3_env, bucket, f"versions/{first}/") == {
        f"versions/{first}/{name}": size for name, size in files(first_folder).items()
    }
    seen = {}

    def between_upload_and_pointer(version_id):
        seen["objects"] = objects(s3_env, bucket, f"versions/{version_id}/")
        seen["pointer"] = pointer(s3_env, bucket)["id"]

    second = publish(uri, first_folder, tmp_path / "publisher", between_upload_and_pointer)
    # when the pointer moves, every file of the version is there already, with its size
    assert seen["pointer"] == first
    assert seen["objects"] == {
        f"versions/{second}/{name}": size for name, size in files(first_folder).items()
    }
    written = pointer(s3_env, bucket)
    assert written["id"] == second != first
    manifest = client(s3_env).get_object(
        Bucket=bucket, Key=f"{PREFIX}/versions/{second}/{MANIFEST}"
    )
    assert written["manifest_sha256"] == hashlib.sha256(manifest["Body"].read()).hexdigest()
    assert [entry["id"] for entry in written["replaced"]] == [first]
    assert versions_in(s3_env, bucket) == {first, second}


def test_publishing_keeps_the_live_version_and_the_one_before(
    s3_env, bucket, uri, tmp_path, tiny_folder
):
    first = publish(uri, tiny_folder, tmp_path / "publisher")
    second = publish(uri, tiny_folder, tmp_path / "publisher")
    third = publish(uri, tiny_folder, tmp_path / "publisher")
    # the first was replaced a moment ago: a replica may still be downloading it
    assert versions_in(s3_env, bucket) == {first, second, third}
    data_home.GRACE_SECONDS, kept = 0, data_home.GRACE_SECONDS
    try:
        fourth = publish(uri, tiny_folder, tmp_path / "publisher")
    finally:
        data_home.GRACE_SECONDS = kept
    assert versions_in(s3_env, bucket) == {third, fourth}


def test_a_failed_build_publishes_nothing(s3_env, bucket, uri, tmp_path, tiny_folder):
    first = publish(uri, tiny_folder, tmp_path / "publisher")
    before = objects(s3_env, bucket)
    with pytest.raises(RuntimeError):
        with object_store.publishing(uri) as staging:
            (staging / "cases.parquet").write_text("half")
            raise RuntimeError("the import died")
    assert objects(s3_env, bucket) == before
    assert pointer(s3_env, bucket)["id"] == first


def test_a_follower_switches_to_a_new_version_within_seconds(
    s3_env, bucket, uri, tmp_path, later_folder, caplog, tiny_folder
):
    caplog.set_level(logging.INFO, "customer_activity")
    first = publish(uri, tiny_folder, tmp_path / "publisher")
    home = data_home.data_home(uri, follow=True)
    assert home == cache_of(s3_env, bucket)
    assert data_home.current_dataset(home).name == first
    second = publish(uri, later_folder, tmp_path / "publisher")
    started = time.monotonic()
    eventually(lambda: object_store.live_id(home) == second, seconds=8)
    assert time.monotonic() - started < 2 * object_store.POLL_SECONDS + 2
    live = data_home.current_dataset(home)
    assert json.loads((live / MANIFEST).read_text())["as_of"] == "2026-10-01"
    assert any(f"now serving version {second}" in r.getMessage() for r in caplog.records)


def test_a_damaged_object_leaves_the_follower_on_the_old_version(
    s3_env, bucket, uri, tmp_path, later_folder, caplog, tiny_folder
):
    caplog.set_level(logging.INFO, "customer_activity")
    first = publish(uri, tiny_folder, tmp_path / "publisher")
    home = data_home.data_home(uri, follow=True)

    def damage(version_id):  # other bytes of the same size: the upload's size check passes
        key = f"{PREFIX}/versions/{version_id}/cases.parquet"
        s3 = client(s3_env)
        data = bytearray(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
        data[len(data) // 2] ^= 0xFF
        s3.put_object(Bucket=bucket, Key=key, Body=bytes(data))

    damaged = publish(uri, later_folder, tmp_path / "publisher", damage)
    assert pointer(s3_env, bucket)["id"] == damaged
    warned = lambda: [  # noqa: E731
        r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
    ]
    eventually(warned, seconds=8)
    assert warned()[0].startswith(f"version {damaged} of {uri} is damaged: cases.parquet does ")
    assert f"still serving version {first}" in warned()[0]
    assert object_store.live_id(home) == first
    assert data_home.current_dataset(home).name == first
    assert not list((home / "versions").glob(".staging-*"))
    # publishing again moves the pointer: tried at once, and whole this time
    fixed = publish(uri, later_folder, tmp_path / "publisher")
    eventually(lambda: object_store.live_id(home) == fixed, seconds=8)


KILLED_SYNC = textwrap.dedent(
    """
    import sys, time
    from dashboard.ingest import object_store

    download = object_store._download_file

    def slowly(*args):  # one file written, then the replica is killed before the next
        download(*args)
        print("downloading", flush=True)
        time.sleep(60)

    object_store._download_file = slowly
    object_store.local_home(sys.argv[1])
    """
)


def test_a_replica_killed_mid_download_serves_the_old_version_and_the_next_sync_completes(
    s3_env, bucket, uri, tmp_path, later_folder, tiny_folder
):
    first = publish(uri, tiny_folder, tmp_path / "publisher")
    remote = object_store.Remote.parse(uri)
    home = cache_of(s3_env, bucket)
    assert object_store.sync(remote, home) == first
    second = publish(uri, later_folder, tmp_path / "publisher")
    replica = subprocess.Popen(
        [sys.executable, "-c", KILLED_SYNC, uri],
        cwd=ROOT,
        env={**os.environ, **s3_env},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert replica.stdout.readline().strip() == "downloading"
    finally:
        replica.send_signal(signal.SIGKILL)
        replica.wait()
    staging = home / "versions" / f".staging-{second}"
    assert staging.is_dir() and any(p.is_file() for p in staging.rglob("*"))
    assert data_home.current_dataset(home).name == first
    assert object_store.sync(remote, home) == second
    assert data_home.current_dataset(home).name == second
    assert not staging.exists()


def test_a_replica_that_cannot_reach_s3_serves_its_cached_version(
    s3_env, bucket, uri, tmp_path, monkeypatch, caplog, tiny_folder
):
    caplog.set_level(logging.INFO, "customer_activity")
    first = publish(uri, tiny_folder, tmp_path / "publisher")
    home = data_home.data_home(uri)
    object_store.stop_following()  # as a replica starting again
    nobody = f"http://127.0.0.1:{local_services.free_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", nobody)
    started = time.monotonic()
    assert data_home.data_home(uri, follow=True) == home
    assert time.monotonic() - started < 10
    assert data_home.current_dataset(home).name == first
    time.sleep(object_store.POLL_SECONDS + 1)  # the follower reads the pointer, in vain
    assert data_home.current_dataset(home).name == first
    warning = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warning) == 1  # once, not at every poll
    assert f"cannot read {uri}/current" in warning[0]
    assert f"serving the cached version {first}" in warning[0]


def test_a_replica_that_cannot_reach_s3_and_has_nothing_cached_says_so(
    s3_env, bucket, uri, monkeypatch
):
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{local_services.free_port()}")
    with pytest.raises(data_home.DatasetMissing, match="no version of it is cached in"):
        data_home.data_home(uri)


def test_export_over_an_s3_data_home_reads_the_live_version(
    s3_env, bucket, uri, tmp_path, later_folder, tiny_folder
):
    publish(uri, tiny_folder, tmp_path / "publisher")
    publish(uri, later_folder, tmp_path / "publisher")
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "active_contracts", "--user", "u-act"],
        cwd=ROOT,
        env={**os.environ, **s3_env, data_home.ENV_VAR: uri},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # and the S3 client shut down quietly
    # on 2026-10-01 K-B (ended 2026-09-15) is no longer active and K-UP (from 2026-08-01) is;
    # the first version, as of 2026-06-30, would list K-B and K-A
    assert [line.split(",")[0] for line in done.stdout.splitlines()[1:]] == ['"K-A"', '"K-UP"']


def test_a_process_following_s3_exits_cleanly(s3_env, bucket, uri, tmp_path, tiny_folder):
    publish(uri, tiny_folder, tmp_path / "publisher")
    follows = (
        "import sys, time\n"
        "from dashboard.ingest import data_home\n"
        "data_home.data_home(sys.argv[1], follow=True)\n"
        "time.sleep(2.5)\n"  # a poll of the pointer under way or done
    )
    done = subprocess.run(
        [sys.executable, "-c", follows, uri],
        cwd=ROOT,
        env={**os.environ, **s3_env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_an_s3_data_home_is_named_whole(s3_env):
    for wrong in ("s3://", "s3://UPPER/x", "s3://bucket/../etc", "s3://bucket/a/.hidden"):
        with pytest.raises(data_home.DatasetMissing, match="s3://BUCKET/PREFIX"):
            object_store.Remote.parse(wrong)
    assert data_home.destination("s3://bucket/a/b") == "s3://bucket/a/b"
    assert data_home.destination("relative/home") == Path("relative/home")


def test_the_servers_warm_up_syncs_first_and_starts_one_follower(
    s3_env, bucket, uri, tmp_path, tiny_folder, monkeypatch
):
    from dashboard import serve
    from dashboard.app import live_dataset

    first = publish(uri, tiny_folder, tmp_path / "publisher")
    monkeypatch.setenv(data_home.ENV_VAR, uri)
    monkeypatch.setattr(serve, "_server_started", lambda: None)
    opened = []
    monkeypatch.setattr(live_dataset, "_open", opened.append)
    serve.warm_up()  # before the first page: the cache holds the published version
    live_dataset.live_dataset()  # the first page
    folder = cache_of(s3_env, bucket) / "versions" / first
    assert opened == [str(folder), str(folder)]
    followers = [t for t in threading.enumerate() if t.name == f"follow {uri}"]
    assert len(followers) == 1 and followers[0].daemon
