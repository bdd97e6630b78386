"""DuckDB's memory is capped: the pages' connection within MEMORY_LIMIT, a whole list written out
within BULK_MEMORY, spilling to a folder of its own that is removed after."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard.ingest.data_home import current_dataset
from dashboard.query import dataset as dataset_module
from dashboard.query.dataset import Dataset, WholeListTooLarge
from dashboard.query.filters import Filters
from tests.sql.small_datasets import imported, one_admin

ALL = Filters(status="all")


def _setting(con: duckdb.DuckDBPyConnection, name: str) -> str:
    return con.execute("SELECT current_setting($name)", {"name": name}).fetchone()[0]


def test_the_pages_connection_holds_at_most_the_memory_limit(tiny):
    # DuckDB's default is 80% of the machine's memory: far more than the server's budget
    expected = duckdb.connect(config={"memory_limit": dataset_module.MEMORY_LIMIT})
    assert _setting(tiny._con, "memory_limit") == _setting(expected, "memory_limit")
    assert _setting(tiny._con, "memory_limit").endswith("MiB")  # not GiB: below 1 GiB
    # and spills to a folder of this dataset's own, in the system's temporary folder
    spill = Path(_setting(tiny._con, "temp_directory"))
    assert spill.parent == Path(tempfile.gettempdir())
    assert spill.name.startswith("customer-activity-")


def _many_cases(count: int) -> dict[str, list[dict]]:
    """One admin's workspace with `count` cases, one a minute from 1 Jan 2026 (K000000 first),
    each with a long title: more than a few MB to sort."""
    rows = one_admin()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows["cases"] = [
        {
            "case_id": f"K{i:06d}",
            "workspace_id": "W1",
            "title": f"Case {i:06d} " + "x" * 200,
            "case_type": "reactive",
            "service_code": "STD",
            "severity": "C",
            "status": "closed",
            "created_at": (start + timedelta(minutes=i)).isoformat(),
            "primary_contact_id": "u-admin",
            "hours": 1,
        }
        for i in range(count)
    ]
    return rows


def test_a_whole_list_comes_out_complete_within_a_tiny_limit_by_spilling(tmp_path, monkeypatch):
    home = imported(_many_cases(20_000), tmp_path, date(2026, 6, 30))
    dataset = Dataset(current_dataset(home))
    monkeypatch.setattr(dataset_module, "BULK_MEMORY", "16MB")  # less than the sort needs
    parts = dataset.batches("support_requests", "u-admin", ALL, rows=5_000)
    first = next(parts)
    spill = dataset._spill_folder("lists")
    spilled = spill.is_dir() and any(spill.iterdir())  # the sort went to disk
    whole = pl.concat([first, *parts])
    assert spilled
    assert not spill.exists()  # removed when the list's connection closed
    # every case, newest first: K019999 (the last made) down to K000000
    assert whole.get_column("case_id").to_list() == [f"K{i:06d}" for i in reversed(range(20_000))]
    dataset.close()


def test_a_whole_list_beyond_its_limit_is_refused_in_one_line(tiny, monkeypatch):
    limits = []
    connect = Dataset._connect

    def recorded(self, config=None):
        limits.append((config or {}).get("memory_limit"))
        return connect(self, config)

    monkeypatch.setattr(Dataset, "_connect", recorded)
    monkeypatch.setattr(dataset_module, "BULK_MEMORY", "1MB")  # too little for any plan
    with pytest.raises(WholeListTooLarge) as refused:
        list(tiny.batches("proof_of_delivery", "u-cadmin", Filters(contract="K-A")))
    assert limits == ["1MB"]  # tried once within the limit; never again without one
    said = str(refused.value)
    assert "\n" not in said and "narrow it with the filters" in said and "1MB" in said


def test_an_export_beyond_its_limit_says_so_in_one_line_and_writes_nothing(
    tiny_home, tmp_path, monkeypatch, capsys
):
    from dashboard.cli import main

    monkeypatch.setattr(dataset_module, "BULK_MEMORY", "1MB")  # too little for any plan
    out = tmp_path / "proof.csv"
    code = main(
        ["export", "proof_of_delivery", "--user", "u-cadmin", "--contract", "K-A",
         "--out", str(out), "--data", str(tiny_home)]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert err.startswith("error: the list is too long to write out within 1MB of memory")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_download_beyond_its_limit_is_refused_saying_why(tiny, monkeypatch):
    from dashboard.app import downloads

    def too_long() -> bytes:
        raise WholeListTooLarge("the list is too long to write out within 1MB of memory")

    said: list[str] = []
    token = downloads._reasons.set(said)  # as while Streamlit handles the download's request
    try:
        make = downloads.checked(too_long, tiny, "u-cadmin", ())
        with pytest.raises(downloads.DownloadRefused):
            make()
    finally:
        downloads._reasons.reset(token)
    assert said == [
        "This download was refused: the list is too long to write out within 1MB of memory."
    ]
