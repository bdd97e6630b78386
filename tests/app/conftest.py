"""AppTest helpers: open the app over the hand-made dataset as a user, and read what it shows."""

import json
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard.ingest import data_home

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app" / "main.py")


def opener(monkeypatch, home):
    """A function that opens the app over the data home `home` with the link's `params`."""
    monkeypatch.setenv(data_home.ENV_VAR, str(home))

    def open_app(**params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()

    return open_app


@pytest.fixture
def app(monkeypatch, tiny_home):
    return opener(monkeypatch, tiny_home)


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """What each download button made only when clicked would give, by file name: a function
    that makes it, as a click would (AppTest cannot click one)."""
    made: dict = {}
    register = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **options):
        made[file_name] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name, **options)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return made


def plain(text: str) -> str:
    """Markdown-escaped text as a reader sees it (without the invisible word joiners that
    keep addresses from becoming links)."""
    return text.replace("\\", "").replace("\u2060", "")


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "warning", "error", "info", "title")
             for e in getattr(at, kind)]  # fmt: skip
    return plain("\n".join(str(p) for p in parts))


def charts(at) -> list[tuple[dict, list[int]]]:
    """Each chart's Vega-Lite spec and the row counts of the datasets sent with it."""
    found = []
    for element in at.get("vega_lite_chart"):
        rows = [pa.ipc.open_stream(d.data.data).read_all().num_rows for d in element.proto.datasets]
        found.append((json.loads(element.proto.spec), rows))
    return found


def cells(table):
    """A grid's cells under the data's column names: in a language other than English the grid
    names its columns for it (`used.pl`; dashboard/app/tables.py)."""
    return table.value.rename(columns=lambda name: name.rsplit(".", 1)[0] if "." in name else name)
