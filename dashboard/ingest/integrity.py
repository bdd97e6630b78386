"""Checking a dataset folder against its manifest before it is served.

A folder whose manifest is missing or unreadable, or lists a file that is missing or whose bytes
no longer match its checksum, is refused with one line that names the file and says how to put
it right; the app shows that line instead of any page, and the command line exits with it. So is
a folder written in an older layout, whose manifest lacks a table of the contract or a derived
file: a re-import rewrites a dataset, so only the current layout is served.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dashboard.ingest.data_home import DERIVED, MANIFEST, DatasetMissing, home_of
from dashboard.ingest.schema import TABLES
from dashboard.language import _, current, speaking
from dashboard.query import sql_files


class DatasetDamaged(DatasetMissing):
    """The dataset folder is there but cannot be trusted: a file is missing or changed."""


def fix(folder: Path) -> str:
    """How to put a damaged dataset right, for the data home the folder belongs to."""
    said = _(
        "import the data again with `python -m dashboard import SRC --data {home}` "
        "(or, for the demo data, `python -m dashboard seed --out {home}`)"
    )
    return said.format(home=home_of(folder))


def damaged(folder: Path, what: str) -> DatasetDamaged:
    said = _("the dataset in {folder} is damaged: {what}; {fix}")
    return DatasetDamaged(said.format(folder=folder, what=what, fix=fix(folder)))


def older(folder: Path, what: str) -> DatasetDamaged:
    said = _("the dataset in {folder} was written in an older layout: {what}; {fix}")
    return DatasetDamaged(said.format(folder=folder, what=what, fix=fix(folder)))


def read_checked_manifest(folder: Path) -> dict:
    """The folder's manifest, once every file it lists is present with the bytes it records."""
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        tables = manifest["tables"]
        derived = manifest.get("derived", {})
        manifest["as_of"]
        if not isinstance(tables, dict) or not isinstance(derived, dict):
            raise TypeError
    except FileNotFoundError:
        raise damaged(folder, _missing(MANIFEST)) from None
    except (OSError, ValueError, KeyError, TypeError) as problem:
        raise damaged(folder, _unreadable(MANIFEST, type(problem).__name__)) from None
    listed = [(f"{name}.parquet", entry) for name, entry in tables.items()]
    listed += [(f"{DERIVED}/{name}.parquet", entry) for name, entry in derived.items()]
    # every table of the contract (an optional one empty) and every derived file, as the
    # import writes them: the app reads no other layout
    absent = [f"{t.name}.parquet" for t in TABLES if t.name not in tables]
    absent += [f"{DERIVED}/{n}.parquet" for n in sql_files.derived_names() if n not in derived]
    if absent:
        said = _("{manifest} lists no {files}")
        raise older(folder, said.format(manifest=MANIFEST, files=", ".join(absent)))
    # two at a time: hashing releases the interpreter lock, and the two largest files (the
    # cases and their newest-first copy) are most of the bytes; a failure is raised for the
    # first file in the manifest's order that fails, said in the run's language (a worker
    # thread speaks the default one unless told)
    code = current()
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _checked in pool.map(lambda item: _check_file_in(code, folder, *item), listed):
            pass
    return manifest


def _check_file_in(code: str, folder: Path, relative: str, entry: dict) -> None:
    with speaking(code):
        _check_file(folder, relative, entry)


def _check_file(folder: Path, relative: str, entry: dict) -> None:
    path = folder / relative
    try:
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        raise damaged(folder, _missing(relative)) from None
    except OSError as problem:
        raise damaged(folder, _unreadable(relative, problem.strerror)) from None
    if not isinstance(entry, dict) or digest != entry.get("sha256"):
        said = _("{file} does not match the checksum in {manifest}")
        raise damaged(folder, said.format(file=relative, manifest=MANIFEST))


def _missing(relative: str) -> str:
    return _("{file} is missing").format(file=relative)


def _unreadable(relative: str, why: object) -> str:
    return _("{file} cannot be read ({why})").format(file=relative, why=why)
