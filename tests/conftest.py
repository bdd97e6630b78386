"""Shared fixtures: the hand-made dataset under tests/fixtures/tiny, imported once per session.

Its expected answers are worked out by hand in tests/fixtures/tiny/ANSWERS.md.
"""

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from dashboard.ingest.data_home import current_dataset
from dashboard.query.dataset import Dataset

FIXTURE = Path(__file__).parent / "fixtures" / "tiny"
FIXTURE_AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="session")
def tiny_home(tmp_path_factory) -> Path:
    from dashboard.ingest.importer import import_dataset

    home = tmp_path_factory.mktemp("tiny-home")
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    return home


@pytest.fixture
def home(tmp_path) -> Path:
    """A data home with the hand-made dataset already live in it, for one test to change."""
    from dashboard.ingest.importer import import_dataset

    home = tmp_path / "home"
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    return home


@pytest.fixture
def src(tmp_path) -> Path:
    """A copy of the hand-made source that a test may break."""
    folder = tmp_path / "src"
    shutil.copytree(FIXTURE, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


@pytest.fixture(scope="session")
def tiny(tiny_home) -> Dataset:
    return Dataset(current_dataset(tiny_home))


def in_older_layout(folder: Path, tables=(), derived=()) -> None:
    """Make the dataset `folder` as if written in an older layout, before the `tables` and the
    derived files `derived` were part of it: neither their files nor the manifest's entries."""
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in tables:
        (folder / f"{name}.parquet").unlink()
        del manifest["tables"][name]
    for name in derived:
        (folder / "derived" / f"{name}.parquet").unlink()
        del manifest["derived"][name]
    (folder / "manifest.json").write_text(json.dumps(manifest))


# Property-based tests: the same examples on every CI run (a failure there reproduces), new ones
# on every local run.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def navigations(monkeypatch) -> list[dict]:
    """Every navigation the app builds while a test runs it, as the sections it passed to
    st.navigation (which still builds it)."""
    import streamlit as st

    built: list[dict] = []
    navigation = st.navigation

    def keep(sections, **options):
        built.append(sections)
        return navigation(sections, **options)

    monkeypatch.setattr(st, "navigation", keep)
    return built


# The app's state (grants, sign-ins) in either place it may live ---------------------------------


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """A PostgreSQL server of the tests' own (Debian's package), on a free port, stopped at the
    end. Missing here: skipped, but in CI a failure (.ci/run installs it)."""
    from dashboard import local_services

    if local_services.postgres_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing in CI: .ci/run must install it")
        pytest.skip("PostgreSQL is not installed here (`apt-get install postgresql`; .ci/run does)")
    server = local_services.start_postgres(tmp_path_factory.mktemp("postgres"))
    yield server
    from dashboard.query import state_store

    state_store.close_pools()
    server.stop()


def fresh_database(server) -> str:
    """The URL of a new, empty database on `server` (a test's own: about 50 ms)."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server.url, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")  # a name made here, never a user's
    return server.url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def state_backend(request, monkeypatch, tmp_path) -> str:
    """The app's state in SQLite files in the data home (CUSTOMER_ACTIVITY_STATE unset), or in
    a fresh PostgreSQL database of the test's own; the backend's name."""
    from dashboard.query import state_store

    monkeypatch.delenv(state_store.ENV_VAR, raising=False)
    if request.param == "postgresql":
        url = fresh_database(request.getfixturevalue("postgres"))
        monkeypatch.setenv(state_store.ENV_VAR, url)
    yield request.param
    state_store.close_pools()  # each pool holds connections and threads of its own
    if request.param == "postgresql":  # all of it went there: no state file was written
        assert not list(tmp_path.rglob("*.sqlite")), "state written to SQLite, not PostgreSQL"
