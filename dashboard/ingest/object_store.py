"""Datasets on object storage: a data home at `s3://BUCKET/PREFIX`, followed by every replica.

Under the prefix:

    current              the pointer: {"id", "published_at", "manifest_sha256", "replaced"}
    versions/<id>/       a complete dataset: <table>.parquet, derived/, manifest.json

Publishing (`publishing`, which `data_home.building` uses for an `s3://` home, so `import` and
`seed`) builds the version in the local cache, uploads every file, checks that every object is
there with its size, and only then writes `current`: a reader that follows the pointer never finds
half a version, and a publish that fails or is killed leaves the pointer as it was.

Reading: each process reads a local cache of the data home ($CUSTOMER_ACTIVITY_CACHE/<bucket>/
<prefix>, by default under ~/.cache/customer-activity), itself a data home (versions/<id> and a
`current` link), so every reader works as it does on a local one. The first read in a process
brings it up to date (blocking); the app also starts a thread that reads the pointer every
POLL_SECONDS and, when it names another version, downloads that version into a staging folder of
the cache, checks every file against its manifest and switches `current` as a local import does.
A download that fails, is damaged or is killed leaves the old version live; it is tried again
later, and a killed one's staging folder is removed by the next download.

Why polling rather than notifications: S3 tells nobody about a new object unless more services are
provisioned (SNS or SQS queues, EventBridge, a store-specific webhook), each one more thing to set
up per replica and a message that can be lost while a replica restarts. Reading a 200-byte object
every two seconds costs each replica nothing, works with every S3-compatible store, and keeps no
state: a replica that was down or cut off converges at its next read.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from dashboard.ingest import data_home
from dashboard.ingest.data_home import CURRENT, MANIFEST, VERSIONS, DatasetMissing

log = logging.getLogger("customer_activity")

CACHE_ENV = "CUSTOMER_ACTIVITY_CACHE"
POINTER = "current"
POLL_SECONDS = 2.0
# a version that failed is tried again after 2, 4, 8 ... seconds, at most this long: a damaged
# upload stays damaged until it is published again, which moves the pointer and is tried at once
MAX_RETRY_SECONDS = 300.0
TRANSFERS = 4  # files uploaded or downloaded at once
CHUNK = 8 << 20
CONNECT_SECONDS = 3.0  # a replica starting with S3 out of reach serves its cache soon
REQUEST_SECONDS = 60.0
MAX_POINTER_BYTES = 64 << 10
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")  # a version id, a part of a prefix or a key
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


class RemoteFailed(DatasetMissing):
    """Object storage could not be read or written, or holds no usable version; one line."""


@dataclass(frozen=True)
class Remote:
    """A data home on object storage."""

    bucket: str
    prefix: str  # "" or parts joined by "/"

    @classmethod
    def parse(cls, uri: str) -> Remote:
        bucket, _, prefix = uri.removeprefix(data_home.REMOTE_SCHEME).partition("/")
        parts = [part for part in prefix.split("/") if part]
        if not _BUCKET.fullmatch(bucket) or not all(_NAME.fullmatch(p) for p in parts):
            raise DatasetMissing(
                f"{uri} is not a data home on object storage: write s3://BUCKET/PREFIX, the "
                "prefix made of letters, digits, '.', '_' and '-'"
            )
        return cls(bucket, "/".join(parts))

    @property
    def uri(self) -> str:
        return f"{data_home.REMOTE_SCHEME}{self.path()}"

    def path(self, *parts: str) -> str:
        """The path pyarrow's S3 file system names an object by: bucket/prefix/parts."""
        return "/".join(p for p in (self.bucket, self.prefix, *parts) if p)


@dataclass(frozen=True)
class Pointer:
    id: str
    published_at: str
    manifest_sha256: str
    replaced: tuple[tuple[str, str], ...]  # (id, when) of versions it replaced lately

    def to_json(self) -> bytes:
        replaced = [{"id": version, "at": at} for version, at in self.replaced]
        fields = {
            "id": self.id,
            "published_at": self.published_at,
            "manifest_sha256": self.manifest_sha256,
            "replaced": replaced,
        }
        return json.dumps(fields, indent=1).encode()


def cache_home(remote: Remote) -> Path:
    """The local data home that mirrors `remote`: <cache root>/<bucket>/<prefix>."""
    root = os.environ.get(CACHE_ENV)
    if root:
        base = Path(root).expanduser()
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        base = base / "customer-activity"
    return base / remote.bucket / remote.prefix


def filesystem():
    """pyarrow's S3 client, from the standard AWS_* variables (AWS_ENDPOINT_URL passed on
    explicitly: pyarrow's own client does not read it)."""
    from pyarrow import fs

    _stop_followers_before_s3_finalizes()
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    return fs.S3FileSystem(
        endpoint_override=endpoint or None,
        region=region or None,
        connect_timeout=CONNECT_SECONDS,
        request_timeout=REQUEST_SECONDS,
        retry_strategy=fs.AwsStandardS3RetryStrategy(max_attempts=3),
    )


def _one_line(problem: BaseException) -> str:
    text = str(problem).strip()
    return text.splitlines()[0] if text else type(problem).__name__


def read_pointer(s3, remote: Remote) -> Pointer | None:
    """The published pointer, or None when nothing is published there yet."""
    try:
        with s3.open_input_stream(remote.path(POINTER)) as stream:
            raw = stream.read(MAX_POINTER_BYTES)
    except FileNotFoundError:
        _bucket_exists(s3, remote)
        return None
    except OSError as problem:
        raise RemoteFailed(f"cannot read {remote.uri}/{POINTER}: {_one_line(problem)}") from None
    try:
        fields = json.loads(raw)
        pointer = Pointer(
            str(fields["id"]),
            str(fields["published_at"]),
            str(fields["manifest_sha256"]),
            tuple((str(e["id"]), str(e["at"])) for e in fields.get("replaced", [])),
        )
    except (ValueError, KeyError, TypeError):
        pointer = None
    if pointer is None or not _NAME.fullmatch(pointer.id):
        raise RemoteFailed(
            f"{remote.uri}/{POINTER} is not a pointer this app wrote: publish again with "
            f"`python -m dashboard import SRC --data {remote.uri}`"
        )
    return pointer


def _bucket_exists(s3, remote: Remote) -> None:
    """Raise RemoteFailed when the bucket is missing (an object in it is "not found" too)."""
    from pyarrow import fs

    try:
        missing = s3.get_file_info(remote.bucket).type == fs.FileType.NotFound
    except OSError as problem:
        raise RemoteFailed(f"cannot read {remote.uri}: {_one_line(problem)}") from None
    if missing:
        raise RemoteFailed(
            f"there is no bucket {remote.bucket} for {remote.uri}: create it, or check "
            "AWS_ENDPOINT_URL and the credentials in the AWS_* variables"
        )


def published(uri: str) -> bool:
    """Whether a version is published at `uri`."""
    return read_pointer(filesystem(), Remote.parse(uri)) is not None


# Publishing ---------------------------------------------------------------------------------


@contextlib.contextmanager
def publishing(uri: str, *, before_pointer: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Yield an empty local staging folder; when the block succeeds, upload it as a new version of
    `uri`, check the upload, and only then move the pointer (and this machine's cache) to it.
    When anything fails, or the process is killed, the pointer stays as it was.
    `before_pointer(version_id)` runs between the upload and the pointer (for tests)."""
    remote = Remote.parse(uri)
    home = cache_home(remote)
    s3 = filesystem()
    read_pointer(s3, remote)  # out of reach or unreadable: say so before the build
    with data_home.staged(home) as (staging, version_id):
        yield staging
        _upload(s3, remote, staging, version_id)
        if before_pointer is not None:
            before_pointer(version_id)
        pointer = _move_pointer(s3, remote, version_id, _sha256(staging / MANIFEST))
        data_home.switch(home, staging, version_id)
    log.info("published version %s to %s", version_id, remote.uri)
    try:
        _prune_remote(s3, remote, pointer)
    except OSError as problem:  # published all the same: the next publish prunes again
        log.warning("could not remove old versions from %s: %s", remote.uri, _one_line(problem))


def _files(folder: Path) -> list[str]:
    """Every file under `folder`, as a path relative to it with '/' between parts."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _upload(s3, remote: Remote, staging: Path, version_id: str) -> None:
    target = remote.path(VERSIONS, version_id)
    files = _files(staging)
    try:
        with ThreadPoolExecutor(TRANSFERS) as pool:
            for _ in pool.map(
                lambda rel: _upload_file(s3, staging / rel, f"{target}/{rel}"), files
            ):
                pass
        uploaded = _listed(s3, target)
    except OSError as problem:
        raise RemoteFailed(
            f"uploading to {remote.uri} failed, nothing was published: {_one_line(problem)}"
        ) from None
    for rel in files:
        size = (staging / rel).stat().st_size
        if uploaded.get(rel, (None,))[0] != size:
            raise RemoteFailed(
                f"{remote.uri}/{VERSIONS}/{version_id}/{rel} is not there with its {size:,} bytes "
                "after the upload: nothing was published"
            )


def _upload_file(s3, path: Path, key: str) -> None:
    with path.open("rb") as source, s3.open_output_stream(key) as target:
        shutil.copyfileobj(source, target, CHUNK)


def _listed(s3, folder: str) -> dict[str, tuple[int, float]]:
    """Every object under `folder`: its path relative to it -> (size, modified at)."""
    from pyarrow import fs

    infos = s3.get_file_info(fs.FileSelector(folder, recursive=True, allow_not_found=True))
    return {
        info.path[len(folder) + 1 :]: (info.size, info.mtime.timestamp() if info.mtime else 0.0)
        for info in infos
        if info.type == fs.FileType.File
    }


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _move_pointer(s3, remote: Remote, version_id: str, manifest_sha256: str) -> Pointer:
    """Write the pointer to `version_id`, remembering the versions replaced lately (which the
    pruning keeps for sessions and replicas still reading them)."""
    now = datetime.now(UTC)
    previous = read_pointer(s3, remote)
    replaced: list[tuple[str, str]] = []
    if previous is not None:
        replaced.append((previous.id, now.isoformat()))
        replaced += [(v, at) for v, at in previous.replaced if _age(at, now) < _grace()]
    pointer = Pointer(version_id, now.isoformat(), manifest_sha256, tuple(replaced))
    try:
        with s3.open_output_stream(remote.path(POINTER)) as stream:
            stream.write(pointer.to_json())
    except OSError as problem:
        raise RemoteFailed(
            f"moving the pointer of {remote.uri} failed, nothing was published: "
            f"{_one_line(problem)}"
        ) from None
    return pointer


def _grace() -> float:
    return data_home.GRACE_SECONDS


def _age(at: str, now: datetime) -> float:
    try:
        return (now - datetime.fromisoformat(at)).total_seconds()
    except (ValueError, TypeError):
        return float("inf")


def _prune_remote(s3, remote: Remote, pointer: Pointer) -> None:
    """Remove the versions that are neither live, nor the one before, nor replaced within the
    grace period, nor written to within it (another publisher's upload under way)."""
    base = remote.path(VERSIONS)
    keep = {pointer.id, *(version for version, _ in pointer.replaced)}
    newest: dict[str, float] = {}
    for rel, (_, modified) in _listed(s3, base).items():
        version = rel.split("/", 1)[0]
        newest[version] = max(newest.get(version, 0.0), modified)
    now = time.time()
    for version, modified in newest.items():
        if version not in keep and now - modified >= _grace():
            s3.delete_dir(f"{base}/{version}")


# Following ----------------------------------------------------------------------------------


def live_id(home: Path) -> str | None:
    """The id of the version the cache serves, or None."""
    try:
        return Path(os.readlink(home / CURRENT)).name
    except OSError:
        return None


def sync(remote: Remote, home: Path, s3=None, stop: threading.Event | None = None) -> str:
    """Bring the cache `home` to the version the pointer names; its id. Raises RemoteFailed,
    leaving the version served before live."""
    s3 = s3 or filesystem()
    pointer = read_pointer(s3, remote)
    if pointer is None:
        raise RemoteFailed(
            f"nothing is published at {remote.uri} yet: publish a dataset with "
            f"`python -m dashboard import SRC --data {remote.uri}`"
        )
    if live_id(home) != pointer.id:
        switch_to(s3, remote, home, pointer, stop)
    return pointer.id


def switch_to(s3, remote: Remote, home: Path, pointer: Pointer, stop=None) -> None:
    """Download the version `pointer` names into a staging folder of the cache, check every file
    and make it live."""
    with data_home.staged(home, pointer.id) as (staging, version_id):
        if live_id(home) == version_id:  # another process on this machine did it meanwhile
            return
        if (home / VERSIONS / version_id).is_dir():  # published again after a later version
            _check(remote, pointer, home / VERSIONS / version_id)
            data_home.make_live(home, version_id)
        else:
            _download(s3, remote, version_id, staging, stop)
            _check(remote, pointer, staging)
            data_home.switch(home, staging, version_id)
    log.info(
        "now serving version %s of %s (published %s)", version_id, remote.uri, pointer.published_at
    )


def _download(s3, remote: Remote, version_id: str, staging: Path, stop) -> None:
    base = remote.path(VERSIONS, version_id)
    where = f"version {version_id} of {remote.uri}"
    try:
        listed = _listed(s3, base)
        if MANIFEST not in listed:
            raise RemoteFailed(f"{where} has no {MANIFEST}: publish it again")
        unsafe = [rel for rel in listed if not all(map(_NAME.fullmatch, PurePosixPath(rel).parts))]
        if unsafe:
            raise RemoteFailed(f"{where} holds an object named {unsafe[0]!r}: publish it again")
        with ThreadPoolExecutor(TRANSFERS) as pool:
            fetch = lambda rel: _download_file(s3, f"{base}/{rel}", staging / rel, stop)  # noqa: E731
            for _ in pool.map(fetch, sorted(listed)):
                pass
    except OSError as problem:
        raise RemoteFailed(f"downloading {where} failed: {_one_line(problem)}") from None


def _download_file(s3, key: str, path: Path, stop) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with s3.open_input_stream(key) as source, path.open("wb") as target:
        while chunk := source.read(CHUNK):
            if stop is not None and stop.is_set():
                raise RemoteFailed("stopped")
            target.write(chunk)


def _check(remote: Remote, pointer: Pointer, folder: Path) -> None:
    """Every file of the version in `folder` against its manifest, and the manifest against the
    pointer."""
    from dashboard.ingest import integrity

    where = f"version {pointer.id} of {remote.uri}"
    again = f"publish it again with `python -m dashboard import SRC --data {remote.uri}`"
    if _sha256(folder / MANIFEST) != pointer.manifest_sha256:
        raise RemoteFailed(f"{where} is damaged: {MANIFEST} is not the one published; {again}")
    try:
        integrity.read_checked_manifest(folder)
    except integrity.DatasetDamaged as problem:
        what = str(problem).removesuffix("; " + integrity.fix(folder))
        what = what.removeprefix(f"the dataset in {folder} ")
        raise RemoteFailed(f"{where} {what}; {again}") from None


class Follower:
    """A daemon thread that keeps the cache `home` on the version `remote` publishes."""

    def __init__(self, remote: Remote, home: Path, unreachable: str | None = None):
        self.remote = remote
        self.home = home
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"follow {remote.uri}", daemon=True)
        self._s3 = None
        self._unreachable = unreachable  # the problem reading the pointer, logged already
        self._failed: str | None = None  # the version that failed to download or check
        self._attempts = 0
        self._retry_at = 0.0

    def start(self) -> Follower:
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout)
        self._s3 = None

    def _run(self) -> None:
        while not self.stopping.wait(POLL_SECONDS):
            try:
                self.poll()
            except Exception as problem:  # the thread must outlive any one failure
                log.warning("following %s: %s", self.remote.uri, _one_line(problem))

    def poll(self) -> None:
        """Read the pointer once; switch to the version it names if that is due."""
        if self._s3 is None:
            self._s3 = filesystem()
        try:
            pointer = read_pointer(self._s3, self.remote)
        except RemoteFailed as problem:
            if str(problem) != self._unreachable:  # once, not every two seconds
                log.warning("%s; serving version %s", problem, live_id(self.home))
                self._unreachable = str(problem)
            return
        if self._unreachable is not None:
            log.info("%s can be read again", self.remote.uri)
            self._unreachable = None
        if pointer is None or live_id(self.home) == pointer.id:
            return
        if pointer.id == self._failed and time.monotonic() < self._retry_at:
            return
        try:
            switch_to(self._s3, self.remote, self.home, pointer, self.stopping)
        except RemoteFailed as problem:
            if self.stopping.is_set():
                return
            self._attempts = self._attempts + 1 if pointer.id == self._failed else 1
            self._failed = pointer.id
            delay = min(POLL_SECONDS * 2**self._attempts, MAX_RETRY_SECONDS)
            self._retry_at = time.monotonic() + delay
            log.warning(
                "%s; still serving version %s, trying again in %.0f s",
                problem,
                live_id(self.home),
                delay,
            )
        else:
            self._failed, self._attempts = None, 0


_lock = threading.Lock()
_synced: set[tuple[str, Path]] = set()
_followers: dict[tuple[str, Path], Follower] = {}
_exit_registered = False


def local_home(uri: str, *, follow: bool = False) -> Path:
    """The local cache of the data home `uri`, brought up to date the first time in this process
    (blocking); with `follow`, kept up to date by a thread from then on (one per process)."""
    remote = Remote.parse(uri)
    home = cache_home(remote)
    key = (remote.uri, home)
    with _lock:
        problem = None
        if key not in _synced:
            problem = _first_sync(remote, home)
            _synced.add(key)
        if follow and key not in _followers:
            _followers[key] = Follower(remote, home, problem).start()
    return home


def _first_sync(remote: Remote, home: Path) -> str | None:
    """Sync, or serve the cached version if there is one, saying why (the problem, returned)."""
    try:
        sync(remote, home)
    except RemoteFailed as problem:
        if not data_home.has_dataset(home):
            raise RemoteFailed(f"{problem}; no version of it is cached in {home}") from None
        log.warning("%s; serving the cached version %s", problem, live_id(home))
        return str(problem)
    return None


def stop_following() -> None:
    """Stop every follower thread of this process (at exit, before pyarrow's S3 shuts down)."""
    with _lock:
        followers = list(_followers.values())
        _followers.clear()
        _synced.clear()
    for follower in followers:
        follower.stop()


def _stop_followers_before_s3_finalizes() -> None:
    """Exit handlers run last registered first: registered after pyarrow.fs (which finalizes S3
    at exit) is imported, this stops the followers while their S3 client still works."""
    global _exit_registered
    if not _exit_registered:
        atexit.register(stop_following)
        _exit_registered = True
