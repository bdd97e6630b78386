"""The dataset page run through Streamlit's AppTest."""

import re
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.app import pages, results
from dashboard.ingest import data_home
from dashboard.ingest.importer import import_dataset
from tests.conftest import FIXTURE, FIXTURE_AS_OF, in_older_layout

ABOUT_THE_DATA = pages.by_path("data").file
SUPPORT = pages.by_path("support").file

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app" / "main.py")


def test_dataset_page_shows_as_of_and_no_one_else_s_sizes(monkeypatch, tiny_home):
    monkeypatch.setenv(data_home.ENV_VAR, str(tiny_home))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["as"] = "u-act"
    at.run()
    at.switch_page(ABOUT_THE_DATA).run()
    assert not at.exception
    assert at.title[0].value == "About the data"
    # written by the import a moment ago; said as a reader says it, in UTC
    [built] = [c.value for c in at.caption if "built" in c.value]
    # no browser here to tell the reader's zone: UTC, said so
    assert re.search(r"built \d\d? [A-Z][a-z][a-z] 20\d\d, \d\d:\d\d UTC$", built)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["As of"] == "30 Jun 2026"
    [version] = [c.value for c in at.caption if c.value.startswith("Version: ")]
    assert re.fullmatch(r"Version: `\d{8}T\d{12}-[0-9a-f]{6}`", version)
    # the tables' sizes are every customer's together (117 rows, 11 cases of which 1 is
    # Globex's): Acme's Ada sees none of them
    assert "Rows in all tables" not in metrics
    assert not at.dataframe
    assert "117" not in " ".join(m.value for m in at.markdown)


def test_missing_dataset_is_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv(data_home.ENV_VAR, str(tmp_path / "nowhere"))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    message = at.error[0].value.replace("\\", "")
    assert "No dataset to show" in message
    assert "python -m dashboard import SRC" in message


def opened(monkeypatch, home) -> AppTest:
    """The app over `home`, run once as the customer admin."""
    monkeypatch.setenv(data_home.ENV_VAR, str(home))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["as"] = "u-cadmin"
    return at.run()


def fresh_home(tmp_path):
    home = tmp_path / "home"
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    return home


def test_a_damaged_dataset_is_a_page_saying_what_and_how_to_fix(monkeypatch, tmp_path):
    home = fresh_home(tmp_path)
    data = bytearray((data_home.current_dataset(home) / "cases.parquet").read_bytes())
    data[100] ^= 0xFF
    (data_home.current_dataset(home) / "cases.parquet").write_bytes(bytes(data))
    at = opened(monkeypatch, home)
    assert not at.exception
    message = at.error[0].value.replace("\\", "")
    assert "cases.parquet does not match the checksum in manifest.json" in message
    assert f"python -m dashboard import SRC --data {home}" in message
    assert not at.metric and not at.get("vega_lite_chart")  # nothing of the data is drawn
    # the commands that put it right, ready to copy
    assert [c.value for c in at.code] == [
        f"python -m dashboard import SRC --data {home}",
        f"python -m dashboard seed --out {home}",
    ]


def test_a_file_gone_while_serving_is_the_same_clear_page(monkeypatch, tmp_path):
    home = fresh_home(tmp_path)
    at = opened(monkeypatch, home)
    assert not at.exception and at.metric  # the overview, drawn
    (data_home.current_dataset(home) / "cases.parquet").unlink()
    results.forget_results()  # so that the next page reads the cases again
    at.switch_page(SUPPORT).run()
    assert not at.exception
    message = at.error[0].value.replace("\\", "")
    assert "the dataset in" in message and "cases.parquet" in message
    assert "python -m dashboard import SRC" in message
    assert "Traceback" not in message


def test_a_reimport_is_picked_up_at_the_next_rerun_without_a_restart(monkeypatch, tmp_path):
    home = fresh_home(tmp_path)
    at = opened(monkeypatch, home)
    at.switch_page(ABOUT_THE_DATA).run()
    assert {m.label: m.value for m in at.metric}["As of"] == "30 Jun 2026"
    import_dataset(FIXTURE, home, date(2026, 7, 31))
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["As of"] == "31 Jul 2026"


def test_a_dataset_in_an_older_layout_is_a_page_saying_to_import_again(monkeypatch, tmp_path):
    home = fresh_home(tmp_path)
    folder = data_home.current_dataset(home)
    in_older_layout(folder, derived=("case_list", "contact_case_groups"))
    at = opened(monkeypatch, home)
    assert not at.exception
    message = at.error[0].value.replace("\\", "")
    absent = "manifest.json lists no derived/case_list.parquet, derived/contact_case_groups"
    assert f"was written in an older layout: {absent}" in message
    assert not at.metric and not at.get("vega_lite_chart")  # nothing of the data is drawn
    assert [c.value for c in at.code] == [
        f"python -m dashboard import SRC --data {home}",
        f"python -m dashboard seed --out {home}",
    ]


def test_the_time_a_dataset_was_built_is_said_in_the_readers_zone_else_utc():
    from dashboard.app.views.dataset_page import built

    assert built("2026-11-29T10:54:30+01:00") == "29 Nov 2026, 09:54 UTC"
    assert built("2026-11-29T10:54:30+01:00", "Europe/Warsaw") == "29 Nov 2026, 10:54 CET"
    assert built("2026-07-01T10:54:30+00:00", "Europe/Warsaw") == "1 Jul 2026, 12:54 CEST"
    assert built("2026-11-29T10:54:30+01:00", "Not/AZone") == "29 Nov 2026, 09:54 UTC"
    assert built("not a time") == "not a time"
