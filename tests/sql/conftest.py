"""Fixtures of the SQL tests."""

import shutil

import pytest

from dashboard.query import sql_files


@pytest.fixture
def query_dir(tmp_path, monkeypatch):
    """A copy of queries/ that a test may add query or layer files to."""
    folder = tmp_path / "queries"
    shutil.copytree(sql_files.QUERY_DIR, folder)
    monkeypatch.setattr(sql_files, "QUERY_DIR", folder)
    sql_files.layer.cache_clear()
    sql_files._load.cache_clear()
    yield folder
    sql_files.layer.cache_clear()
    sql_files._load.cache_clear()
