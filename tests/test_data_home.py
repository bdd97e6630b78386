"""Data homes and the atomic swap of datasets."""

from pathlib import Path

import pytest

from dashboard.ingest import data_home
from dashboard.ingest.parquet_layout import MANIFEST


def build(home: Path, marker: str) -> Path:
    with data_home.building(home) as staging:
        (staging / MANIFEST).write_text(marker)
    return data_home.current_dataset(home)


def test_data_home_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv(data_home.ENV_VAR, raising=False)
    assert data_home.data_home() == data_home.PROJECT_ROOT / "data"
    monkeypatch.setenv(data_home.ENV_VAR, str(tmp_path / "env"))
    assert data_home.data_home() == tmp_path / "env"
    assert data_home.data_home(tmp_path / "flag") == tmp_path / "flag"


def test_missing_dataset_says_how_to_make_one(tmp_path):
    with pytest.raises(data_home.DatasetMissing, match="python -m dashboard import SRC --data"):
        data_home.current_dataset(tmp_path)


def test_plain_dataset_folder_is_accepted(tmp_path):
    (tmp_path / MANIFEST).write_text("{}")
    assert data_home.current_dataset(tmp_path) == tmp_path.resolve()


def test_building_publishes_and_keeps_one_previous_version(tmp_path, monkeypatch):
    monkeypatch.setattr(data_home, "GRACE_SECONDS", 0)  # versions replaced long enough ago
    first = build(tmp_path, "one")
    assert (tmp_path / "current").is_symlink()
    assert (first / MANIFEST).read_text() == "one"
    second = build(tmp_path, "two")
    assert second != first and (second / MANIFEST).read_text() == "two"
    assert first.exists()  # sessions still reading the previous version keep it
    third = build(tmp_path, "three")
    assert not first.exists() and second.exists() and third.exists()
    assert data_home.current_dataset(tmp_path) == third


def test_a_failed_build_changes_nothing(tmp_path):
    live = build(tmp_path, "live")
    before = sorted(p.name for p in (tmp_path / "versions").iterdir())
    with pytest.raises(RuntimeError):
        with data_home.building(tmp_path) as staging:
            (staging / "cases.parquet").write_text("half")
            raise RuntimeError("the import died")
    assert data_home.current_dataset(tmp_path) == live
    assert (live / MANIFEST).read_text() == "live"
    assert sorted(p.name for p in (tmp_path / "versions").iterdir()) == before


def test_a_killed_build_is_cleaned_up_by_the_next(tmp_path):
    build(tmp_path, "live")
    stale = tmp_path / "versions" / ".staging-killed"
    stale.mkdir()
    (stale / "cases.parquet").write_text("half")
    assert data_home.current_dataset(tmp_path).name != stale.name
    build(tmp_path, "next")
    assert not stale.exists()
