"""The runner's connection: settings that every query's cursor must see."""

import os
import time

from dashboard.location import current_dataset
from dashboard.runner import Dataset


def test_every_cursor_runs_in_utc_with_the_metadata_cache(tiny_home, monkeypatch):
    # a machine in another time zone: the dataset's days must still be UTC days
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        dataset = Dataset(current_dataset(tiny_home))
        cursor = dataset._con.cursor()
        settings = cursor.sql(
            "SELECT current_setting('TimeZone'), current_setting('parquet_metadata_cache')"
        ).fetchall()
        assert settings == [("UTC", True)]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert os.environ.get("TZ") is None
