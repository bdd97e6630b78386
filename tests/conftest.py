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
