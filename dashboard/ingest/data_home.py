"""Where datasets live and how a new one replaces the old without anyone seeing a half-written one.

A data home (`data/` under the project, `CUSTOMER_ACTIVITY_DATA`, or `--data DIR`) holds:

    current -> versions/<id>        a symbolic link, the live dataset
    versions/<id>/                  complete datasets: <table>.parquet + manifest.json
    versions/.staging-<id>/         a dataset being built (removed if the build fails)

A new dataset is built in a staging folder, renamed into versions/ and made live by replacing
the `current` link in one rename, which is atomic: readers see the old dataset or the new one,
never a mix, and a build that fails or is killed leaves `current` exactly as it was.
A plain dataset folder (manifest.json at its top) is also accepted wherever a data home is read.

A data home may also be `s3://BUCKET/PREFIX` (dashboard/ingest/object_store.py): the versions are
published there, and each process reads a local cache of it, itself a data home as above, which
`data_home()` returns; `building()` given such a URI publishes to it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ENV_VAR = "CUSTOMER_ACTIVITY_DATA"
# In a dataset folder: the manifest, and the folder of the files derived from the tables
# (queries/_derived.sql). Named here, not where they are written
# (dashboard/ingest/parquet_layout.py), so that finding a dataset imports none of the libraries
# that write one: `python -m dashboard serve` reads this module before Streamlit starts.
MANIFEST = "manifest.json"
DERIVED = "derived"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
CURRENT = "current"
VERSIONS = "versions"
STAGING_PREFIX = ".staging-"
KEEP_VERSIONS = 2  # the live one and the one before, which running sessions may still be reading
# A version replaced less than this long ago is kept whatever KEEP_VERSIONS says: a page that
# started on it before the swap reads it to the end (a page takes seconds, never minutes).
GRACE_SECONDS = 600
REMOTE_SCHEME = "s3://"


class DatasetMissing(Exception):
    """There is no usable dataset where one was expected."""


def is_remote(spec: str | os.PathLike) -> bool:
    """Whether a data home as given (`--data`, $CUSTOMER_ACTIVITY_DATA) is on object storage."""
    return isinstance(spec, str) and spec.startswith(REMOTE_SCHEME)


def destination(explicit: str | os.PathLike | None = None) -> Path | str:
    """Where `import` and `seed` publish: `--data` if given, else $CUSTOMER_ACTIVITY_DATA, else
    `data/`; a local folder as a Path, an `s3://` data home as its URI (for `building`)."""
    spec = explicit or os.environ.get(ENV_VAR)
    if not spec:
        return PROJECT_ROOT / "data"
    if is_remote(str(spec)):
        return str(spec)
    return Path(spec).expanduser()


def data_home(explicit: str | os.PathLike | None = None, *, follow: bool = False) -> Path:
    """The data home to read: `--data DIR` if given, else $CUSTOMER_ACTIVITY_DATA, else `data/`.

    For an `s3://` data home, the local cache of it, brought up to date once per process
    (blocking); with `follow`, a thread also keeps it up to date while the process runs.
    """
    spec = destination(explicit)
    if isinstance(spec, Path):
        return spec
    from dashboard.ingest import object_store

    return object_store.local_home(spec, follow=follow)


def current_dataset(home: Path | str) -> Path:
    """The folder of the live dataset under `home`, resolved to its version folder."""
    if is_remote(home):
        home = data_home(home)
    link = home / CURRENT
    if link.exists():
        folder = link.resolve()
    elif (home / MANIFEST).is_file():
        folder = home.resolve()
    else:
        raise DatasetMissing(
            f"no dataset in {home}: build one with `python -m dashboard seed --out {home}` "
            f"or `python -m dashboard import SRC --data {home}`"
        )
    if not (folder / MANIFEST).is_file():
        raise DatasetMissing(f"the dataset {folder} has no {MANIFEST}: import it again")
    return folder


def home_of(folder: Path) -> Path:
    """The data home a dataset folder belongs to: a version's home, or a plain folder itself."""
    return folder.parent.parent if folder.parent.name == VERSIONS else folder


def has_dataset(home: Path | str) -> bool:
    if is_remote(home):
        from dashboard.ingest import object_store

        return object_store.published(home)
    try:
        current_dataset(home)
    except DatasetMissing:
        return False
    return True


@contextlib.contextmanager
def _import_lock(home: Path) -> Iterator[None]:
    """One build at a time per data home."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def building(home: Path | str) -> Iterator[Path]:
    """Yield an empty staging folder; when the block succeeds, publish it as the live dataset.

    When the block raises (or the process dies), `current` is untouched; the staging folder is
    removed now, or by the next build if the process was killed. `home` may be an `s3://` URI
    (`destination()`): the version is built in the local cache, uploaded, then published.
    """
    if is_remote(home):
        from dashboard.ingest import object_store

        with object_store.publishing(home) as staging:
            yield staging
        return
    with staged(home) as (staging, version_id):
        yield staging
        switch(home, staging, version_id)


def new_version_id() -> str:
    """A version's name: its time first, so that names sort in the order they were built."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f") + "-" + secrets.token_hex(3)


@contextlib.contextmanager
def staged(home: Path, version_id: str | None = None) -> Iterator[tuple[Path, str]]:
    """Under the data home's lock, yield an empty staging folder for version `version_id` (a new
    one if None) and its id. Staging folders left by killed builds are removed first; this one is
    removed when the block ends unless the block `switch`ed to it (which renames it)."""
    with _import_lock(home):
        versions = home / VERSIONS
        versions.mkdir(parents=True, exist_ok=True)
        for stale in versions.glob(STAGING_PREFIX + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        version_id = version_id or new_version_id()
        staging = versions / (STAGING_PREFIX + version_id)
        staging.mkdir()
        try:
            yield staging, version_id
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def switch(home: Path, staging: Path, version_id: str) -> Path:
    """Make the complete dataset in `staging` the live version `version_id` of `home` in one
    rename of the `current` link, then prune old versions. Call it inside `staged`."""
    _sync_files(staging)
    versions = home / VERSIONS
    final = versions / version_id
    os.rename(staging, final)
    _fsync_dir(versions)
    make_live(home, version_id)
    return final


def make_live(home: Path, version_id: str) -> None:
    """Point `current` at the complete version `version_id` (in one rename), then prune."""
    link_tmp = home / f".{CURRENT}-{version_id}"
    link_tmp.unlink(missing_ok=True)
    os.symlink(Path(VERSIONS) / version_id, link_tmp)
    os.replace(link_tmp, home / CURRENT)
    _fsync_dir(home)
    _prune(home)


def _sync_files(folder: Path) -> None:
    """Flush every file of the folder, and of its subfolders, to disk."""
    for path in folder.iterdir():
        if path.is_dir():
            _sync_files(path)
            continue
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    _fsync_dir(folder)


def _prune(home: Path) -> None:
    """Remove old versions: all but the live one, the newest KEEP_VERSIONS and those replaced
    within GRACE_SECONDS (a version was replaced when the one after it was published)."""
    live = (home / CURRENT).resolve().name
    newest_first = sorted(
        (p for p in (home / VERSIONS).iterdir() if not p.name.startswith(".")),
        key=lambda p: p.name,
        reverse=True,
    )
    keep = {live, *(p.name for p in newest_first[:KEEP_VERSIONS])}
    now = time.time()
    published = [p.stat().st_mtime for p in newest_first]
    for replaced_at, old in zip(published, newest_first[1:], strict=False):
        if old.name not in keep and now - replaced_at >= GRACE_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
