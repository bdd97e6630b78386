"""The dataset page run through Streamlit's AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import location

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def test_dataset_page_shows_as_of_and_table_sizes(monkeypatch, tiny_home):
    monkeypatch.setenv(location.ENV_VAR, str(tiny_home))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["as"] = "u-act"
    at.run()
    at.switch_page("views/dataset_page.py").run()
    assert not at.exception
    assert at.title[0].value == "About the data"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["As of"] == "2026-06-30"
    # 2 + 3 + 11 + 4 + 10 + 2 + 1 + 2 + 6 + 9 + 18 + 11 + 2 + 11 + 7 + 4 + 4 rows in the CSVs
    assert metrics["Rows in all tables"] == "107"
    sizes = dict(at.dataframe[0].value[["table", "rows"]].itertuples(index=False))
    assert sizes["cases"] == 11 and sizes["entitlements"] == 18 and sizes["customers"] == 2


def test_missing_dataset_is_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv(location.ENV_VAR, str(tmp_path / "nowhere"))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    message = at.error[0].value.replace("\\", "")
    assert "No dataset to show" in message
    assert "python -m dashboard import SRC" in message
