"""Hostile values in the data itself (markup, script tags, Markdown, formula prefixes,
right-to-left and zero-width characters, very long names, web and e-mail addresses), imported and
drawn on every page: none breaks a page, and wherever the app writes text as Markdown, they are
escaped and no address in them is made a link. The same for a link's own values."""

import csv
import json
import re
import shutil

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import pages, results
from dashboard.ingest import data_home
from dashboard.ingest.importer import import_dataset
from tests.app.conftest import APP, plain
from tests.conftest import FIXTURE, FIXTURE_AS_OF
from tests.test_text import autolinks

ADD_ONS = pages.by_path("add-ons").file
PORTFOLIO = pages.PORTFOLIO.file
RENEWAL = pages.by_path("renewal").file

LONG = "Enterprise " + "L" * 600
# an entitlement's description with an image that calls another server, a phishing link and
# styling, all shown as text; an action link that is no web address, never offered
DESCRIPTION = "![b](https://evil.example/b.png) [renew](https://phish.example) **bold**"
NOT_A_WEB_LINK = "javascript:alert(document.domain)"
# a customer's name, shown to its account managers: in the portfolio's table and charts, the
# which-customer links, the sidebar's Customer and the pages' captions; the quote would end a
# string in a chart's expression were one built from it
CUSTOMER = "<b>Acme</b> **Acme** [click](http://evil.example) www.evil.example 'Corp\u202e"
HOSTILE = {
    ("customers", "C1", "name"): CUSTOMER,
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
# every page as the customer admin, and as an account manager in the same customer (Manage
# access is not theirs); My customers is an account manager's only
VIEWS = [
    *[("u-cadmin", page.file) for page in pages.PAGES if not page.account_managers_only],
    *[("am-ann", page.file) for page in pages.PAGES if not page.admin_only],
]


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


def link_labels(at) -> list[str]:
    """The labels of the page's links (st.page_link reads its label as Markdown)."""
    return [element.proto.label for element in at.get("page_link")]


@pytest.mark.parametrize(("user", "page"), VIEWS)
def test_hostile_names_never_act_and_never_break_a_page(hostile_home, monkeypatch, user, page):
    monkeypatch.setenv(data_home.ENV_VAR, str(hostile_home))
    results.forget_results()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as"] = user
    if user.startswith("am-"):
        at.query_params["customer"] = "C1"  # the customer with the hostile name, am-ann's
    at.query_params["contract"] = "K-A"  # the contract with the hostile name, picked
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not [e for e in at.error if "went wrong" in e.value]
    shown = written_text(at) + link_labels(at)
    acting = [t for t in shown if ACTIVE.search(t)]
    assert acting == []
    assert [t for t in shown if autolinks(t)] == []  # "www.evil.example", K-A's and C1's


def test_a_hostile_customer_name_is_data_in_the_portfolio_never_markup(hostile_home, monkeypatch):
    """The portfolio shows C1's name as it is written (less the right-to-left override), in
    its table and as a label in its charts: there it is a value of the chart's rows, never part
    of the spec Vega reads as expressions or formats."""
    monkeypatch.setenv(data_home.ENV_VAR, str(hostile_home))
    results.forget_results()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as"] = "am-ann"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "My customers"
    name = CUSTOMER.removesuffix("\u202e")
    assert list(at.dataframe[0].value["customer_name"]) == [name, "Globex"]
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    sent = [
        [pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in chart.proto.datasets]
        for chart in at.get("vega_lite_chart")
    ]
    assert len(specs) == 2  # the renewal timeline and the hours
    # each chart labels C1's bars with its name: a value of the rows sent with the spec
    values = [
        {v for rows in datasets for row in rows for v in row.values() if isinstance(v, str)}
        for datasets in sent
    ]
    assert [name in chart_values for chart_values in values] == [True, True]
    assert not [s for s in specs if "evil" in json.dumps(s) or "Acme" in json.dumps(s)]
    assert not [v for chart_values in values for v in chart_values if "\u202e" in v]


def test_a_hostile_customer_name_is_an_inert_link_on_a_page_asking_which(hostile_home, monkeypatch):
    """Renewal planning for am-ann, no customer picked: a link per customer, C1's label its
    name as text (escaped), the link itself only ever to the page with `customer=C1`."""
    monkeypatch.setenv(data_home.ENV_VAR, str(hostile_home))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as"] = "am-ann"
    at.run()
    at.switch_page(RENEWAL).run()
    assert not at.exception, at.exception
    links = at.get("page_link")
    labels = [plain(label) for label in link_labels(at)]
    assert labels[:2] == [CUSTOMER.removesuffix("\u202e"), "Globex"]
    assert [link.proto.query_string for link in links[:2]] == ["customer=C1", "customer=C2"]
    assert [t for t in link_labels(at) if ACTIVE.search(t) or autolinks(t)] == []
    # the sidebar's Customer offers it as text (a select box's options are never Markdown)
    assert CUSTOMER.removesuffix("\u202e") in at.selectbox(key="f_customer").options


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
