"""Hostile values in the data itself (markup, script tags, Markdown, formula prefixes,
right-to-left and zero-width characters, very long names), imported and drawn on every page:
none breaks a page, and wherever the app writes text as Markdown, they are escaped."""

import csv
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data, location
from dashboard.importer import import_dataset
from tests.app.conftest import APP
from tests.conftest import FIXTURE, FIXTURE_AS_OF

LONG = "Enterprise " + "L" * 600
HOSTILE = {
    ("contracts", "K-A", "name"): "<script>alert('k')</script> **Acme** " + LONG,
    ("workspaces", "W1", "name"): "<b>Prod</b> \u202eevil\u200b [click](http://evil.example)",
    ("users", "u-viewall", "display_name"): '=HYPERLINK("http://evil.example") # Vic',
    ("cases", "K1", "title"): "<img src=x onerror=alert(1)> `code` $x$ ~~gone~~",
    ("entitlements", "E-REA", "name"): "**Reactive** <i>support</i> \u200b\u202e",
    ("packages", "P-A1", "name"): "| table | row |\n<style>*{display:none}</style>",
}
# a fragment of each that would act if written into Markdown unescaped
ACTIVE = re.compile(
    r"(?<!\\)<(script|b|img|i|style)\b|(?<!\\)\*\*(Acme|Reactive)|(?<!\\)\[click(?<!\\)\]"
)
PAGES = [
    "views/enterprise.py", "views/addons.py", "views/renewal.py", "views/proof_of_delivery.py",
    "views/support.py", "views/education.py", "views/contacts.py", "views/assessments.py",
    "views/credits.py", "views/additional_cases.py", "views/dataset_page.py",
    "views/manage_access.py",
]  # fmt: skip


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    src = base / "src"
    shutil.copytree(FIXTURE, src)
    for (table, row_id, column), value in HOSTILE.items():
        path = src / f"{table}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        key = next(iter(rows[0]))
        changed = [r for r in rows if r[key] == row_id]
        assert len(changed) == 1, (table, row_id)
        changed[0][column] = value
        with path.open("w", newline="", encoding="utf-8") as handle:
            out = csv.DictWriter(handle, list(rows[0]))
            out.writeheader()
            out.writerows(rows)
    import_dataset(src, base / "home", FIXTURE_AS_OF)
    return base / "home"


def written_text(at) -> list[str]:
    """Everything the page wrote as Markdown (or as a label that Streamlit reads as Markdown)."""
    kinds = ("markdown", "caption", "title", "header", "subheader", "warning", "error", "info",
             "success", "metric")  # fmt: skip
    found = []
    for kind in kinds:
        for element in getattr(at, kind):
            found.append(str(getattr(element, "label", "") or ""))
            found.append(str(element.value))
    return found


@pytest.mark.parametrize("page", PAGES)
def test_hostile_names_never_act_and_never_break_a_page(hostile_home, monkeypatch, page):
    monkeypatch.setenv(location.ENV_VAR, str(hostile_home))
    data.forget_results()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as"] = "u-cadmin"
    at.query_params["contract"] = "K-A"  # the contract with the hostile name, picked
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not [e for e in at.error if "went wrong" in e.value]
    acting = [t for t in written_text(at) if ACTIVE.search(t)]
    assert acting == []


def test_hostile_names_reach_the_page_as_text(hostile_home, monkeypatch):
    """They are shown, not dropped: the contract's name is in the sidebar's choices."""
    monkeypatch.setenv(location.ENV_VAR, str(hostile_home))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as"] = "u-cadmin"
    at.run()
    options = [o for box in at.sidebar.selectbox for o in box.options]
    assert any("alert('k')" in o for o in options)


def test_invisible_layout_characters_are_taken_out_of_what_is_shown(hostile_home, monkeypatch):
    """A right-to-left override would show "http://evil.example" reversed; a zero-width space
    would hide inside a name. Both are gone from the grid, the rest of the text is kept."""
    monkeypatch.setenv(location.ENV_VAR, str(hostile_home))
    data.forget_results()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as"] = "u-cadmin"
    at.run()
    names = [
        str(v) for frame in at.dataframe for column in frame.value.columns
        if column.endswith("name") for v in frame.value[column]
    ]  # fmt: skip
    assert "<b>Prod</b> evil [click](http://evil.example)" in names
    assert not [n for n in names if "\u202e" in n or "\u200b" in n]
