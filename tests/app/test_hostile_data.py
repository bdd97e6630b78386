"""Hostile values in the data itself (markup, script tags, Markdown, formula prefixes,
right-to-left and zero-width characters, very long names, web and e-mail addresses), imported and
drawn on every page: none breaks a page, and wherever the app writes text as Markdown, they are
escaped and no address in them is made a link. The same for a link's own values."""

import csv
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import pages, results
from dashboard.ingest import data_home
from dashboard.ingest.importer import import_dataset
from tests.app.conftest import APP, plain
from tests.conftest import FIXTURE, FIXTURE_AS_OF
from tests.test_text import autolinks

ADD_ONS = pages.by_path("add-ons").file

LONG = "Enterprise " + "L" * 600
# an entitlement's description with an image that calls another server, a phishing link and
# styling, all shown as text; an action link that is no web address, never offered
DESCRIPTION = "![b](https://evil.example/b.png) [renew](https://phish.example) **bold**"
NOT_A_WEB_LINK = "javascript:alert(document.domain)"
HOSTILE = {
    ("contracts", "K-A", "name"): "<script>alert('k')</script> **Acme** www.evil.example " + LONG,
    ("workspaces", "W1", "name"): "<b>Prod</b> \u202eevil\u200b [click](http://evil.example)",
    ("users", "u-viewall", "display_name"): '=HYPERLINK("http://evil.example") # Vic',
    ("cases", "K1", "title"): "<img src=x onerror=alert(1)> `code` $x$ ~~gone~~",
    ("entitlements", "E-REA", "name"): "**Reactive** <i>support</i> \u200b\u202e",
    ("packages", "P-A1", "name"): "| table | row |\n<style>*{display:none}</style>",
    ("entitlements", "E-WS", "description"): DESCRIPTION,
    ("entitlements", "E-WS", "action_url"): NOT_A_WEB_LINK,
    ("entitlements", "E-OC", "action_url"): "https://services.example/credits",  # kept
}
# a fragment of each that would act if written into Markdown unescaped
ACTIVE = re.compile(
    r"(?<!\\)<(script|b|img|i|style)\b|(?<!\\)\*\*(Acme|Reactive)|(?<!\\)\[click(?<!\\)\]"
)
PAGES = [page.file for page in pages.PAGES]


def hostile_copy(values: dict[tuple[str, str, str], str], src) -> None:
    """The hand-made dataset copied to `src`, with `values` put in: (table, row id, column)."""
    shutil.copytree(FIXTURE, src)
    for (table, row_id, column), value in values.items():
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


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    hostile_copy(HOSTILE, base / "src")
    import_dataset(base / "src", base / "home", FIXTURE_AS_OF)
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
    monkeypatch.setenv(data_home.ENV_VAR, str(hostile_home))
    results.forget_results()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as"] = "u-cadmin"
    at.query_params["contract"] = "K-A"  # the contract with the hostile name, picked
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not [e for e in at.error if "went wrong" in e.value]
    acting = [t for t in written_text(at) if ACTIVE.search(t)]
    assert acting == []
    assert [t for t in written_text(at) if autolinks(t)] == []  # "www.evil.example", K-A's


def test_hostile_names_reach_the_page_as_text(hostile_home, monkeypatch):
    """They are shown, not dropped: the contract's name is in the sidebar's choices."""
    monkeypatch.setenv(data_home.ENV_VAR, str(hostile_home))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as"] = "u-cadmin"
    at.run()
    options = [o for box in at.sidebar.selectbox for o in box.options]
    assert any("alert('k')" in o for o in options)


def test_invisible_layout_characters_are_taken_out_of_what_is_shown(hostile_home, monkeypatch):
    """A right-to-left override would show "http://evil.example" reversed; a zero-width space
    would hide inside a name. Both are gone from the grid, the rest of the text is kept."""
    monkeypatch.setenv(data_home.ENV_VAR, str(hostile_home))
    results.forget_results()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as"] = "u-cadmin"
    at.run()
    names = [
        str(v) for frame in at.dataframe for column in frame.value.columns
        if column.endswith("name") for v in frame.value[column]
    ]  # fmt: skip
    assert "<b>Prod</b> evil [click](http://evil.example)" in names
    assert not [n for n in names if "\u202e" in n or "\u200b" in n]


def picked_entitlement(hostile_home, monkeypatch, name: str) -> AppTest:
    """The add-on packages of K-A (all of them) with the entitlement `name` picked in their
    table, which shows its detail."""
    monkeypatch.setenv(data_home.ENV_VAR, str(hostile_home))
    results.forget_results()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"as": "u-cadmin", "contract": "K-A", "status": "all"})
    at.run()
    at.switch_page(ADD_ONS).run()
    names = list(at.dataframe[0].value["name"])
    at.session_state["addon_entitlement_0"] = {
        "selection": {"rows": [names.index(name)], "columns": []}
    }
    at.run()
    assert not at.exception, at.exception
    assert at.get("page_link"), "no detail shown"
    return at


def test_a_description_is_shown_as_text_never_as_markdown(hostile_home, monkeypatch):
    """Written as Markdown, it called evil.example for an image on every view and showed a
    link to phish.example; it is shown as it is written, the literal text."""
    at = picked_entitlement(hostile_home, monkeypatch, "Workshops")
    assert [t.value for t in at.text] == [DESCRIPTION]
    as_markdown = [t for t in written_text(at) if "b.png" in t or "phish" in t or "bold" in t]
    assert as_markdown == []


@pytest.mark.parametrize(
    ("name", "opened"),
    [("Workshops", []), ("Spring credits", ["https://services.example/credits"])],
)
def test_an_action_link_opens_only_a_web_address(hostile_home, monkeypatch, name, opened):
    at = picked_entitlement(hostile_home, monkeypatch, name)
    assert [b.proto.url for b in at.get("link_button")] == opened


def test_a_link_value_dropped_with_a_notice_is_shown_as_text_never_as_a_link(
    hostile_home, monkeypatch
):
    """`?ws=https://evil.example`: the notice says what was dropped, as text."""
    monkeypatch.setenv(data_home.ENV_VAR, str(hostile_home))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(
        {"as": "u-cadmin", "ws": ["https://evil.example", "www.evil.example"],
         "contract": "someone@evil.example", "package": "[x](https://evil.example)"}
    )  # fmt: skip
    at.run()
    assert not at.exception, at.exception
    notices = [w.value for w in at.warning]
    said = plain(" ".join(notices)).replace("\u2060", "")
    for value in ("https://evil.example", "www.evil.example", "someone@evil.example",
                  "[x](https://evil.example)"):  # fmt: skip
        assert f"“{value}”" in said
    assert [n for n in notices if autolinks(n) or ACTIVE.search(n)] == []
