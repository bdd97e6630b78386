"""Every page rendered in Polish, through AppTest, for a customer admin and an account manager:
no English word left in what the page says (titles, texts, figures, widgets, tables' headers,
charts' titles), apart from names and ids that come from the data.

An English word is one of the words of the catalogue's English messages that no Polish
translation uses too ("CSV" and "PDF" are both), looked for in what is left of a text once the
hand-made dataset's own values (names, titles) are taken out of it."""

import csv
import json
import re
from functools import cache

import pytest
from babel.messages.pofile import read_po

from dashboard.app import pages
from dashboard.language import LOCALE_DIR, speaking
from tests.app.conftest import plain
from tests.conftest import FIXTURE

WORD = re.compile(r"[^\W\d_]{3,}")
CODE = re.compile(r"^[a-z_]+$")


@cache
def english_words() -> frozenset[str]:
    with (LOCALE_DIR / "pl" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        held = read_po(file, locale="pl")
    english, polish = set(), set()
    for entry in held:
        if not entry.id:
            continue
        for text in entry.id if isinstance(entry.id, tuple) else (entry.id,):
            english |= {
                w.lower() for w in WORD.findall(re.sub(r"\{\w*\}|:material/\w+:", "", text))
            }
        for text in entry.string if isinstance(entry.string, tuple) else (entry.string,):
            polish |= {w.lower() for w in WORD.findall(re.sub(r"\{\w*\}", "", text or ""))}
    return frozenset(english - polish)


@cache
def data_values() -> tuple[str, ...]:
    """The hand-made dataset's names, titles and other texts, longest first; not its codes
    (`open`, `reactive`), which a page must show in words."""
    found = set()
    for path in FIXTURE.glob("*.csv"):
        with path.open(encoding="utf-8") as file:
            for row in csv.reader(file):
                found |= {cell for cell in row if WORD.search(cell) and not CODE.match(cell)}
    return tuple(sorted(found, key=len, reverse=True))


def without_data(text: str) -> str:
    for value in data_values():
        if value in text:
            text = text.replace(value, " ")
    return text


def _spec_titles(part: object) -> list[str]:
    """Every title in a Vega-Lite spec (charts, axes, legends, tooltips)."""
    found = []
    if isinstance(part, dict):
        for key, value in part.items():
            if key in ("title", "text") and isinstance(value, str):
                found.append(value)
            elif key == "title" and isinstance(value, dict) and isinstance(value.get("text"), str):
                found.append(value["text"])
            elif key != "datasets":
                found += _spec_titles(value)
    elif isinstance(part, list):
        for item in part:
            found += _spec_titles(item)
    return found


def page_texts(at) -> list[str]:
    """What the page and its sidebar say, piece by piece."""
    said = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info",
                 "error", "success", "exception"):  # fmt: skip
        said += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        said += [m.label, str(m.value), m.proto.help]
    for kind in ("selectbox", "multiselect", "radio"):
        for widget in getattr(at, kind):
            said += [widget.label, *map(str, widget.options), widget.help or ""]
    for kind in ("button", "toggle", "checkbox", "date_input", "text_input", "expander", "tabs"):
        for widget in at.get(kind):
            said += [
                str(getattr(widget, "label", "") or ""),
                str(getattr(widget, "help", "") or ""),
            ]
    for table in at.dataframe:
        cells = table.value
        columns = json.loads(table.proto.columns or "{}")
        for name in cells.columns:  # text cells: codes the app words, and the data's own text
            if _kind(columns.get(name)) != "link":  # a link shows its display text, not the URL
                said += [v for v in cells[name].dropna().unique() if isinstance(v, str)]
        said += [str(c.get("label") or "") for c in columns.values() if isinstance(c, dict)]
        said += [str(c.get("help") or "") for c in columns.values() if isinstance(c, dict)]
    for chart in at.get("vega_lite_chart"):
        said += _spec_titles(json.loads(chart.proto.spec))
    return [s for s in said if s]


def _kind(column: object) -> str | None:
    return (
        ((column or {}).get("type_config") or {}).get("type") if isinstance(column, dict) else None
    )


def english_left(at) -> list[str]:
    found = []
    for text in page_texts(at):
        said = without_data(plain(text))
        words = {w for w in WORD.findall(said) if w.lower() in english_words()}
        if words:
            found.append(f"{sorted(words)} in {text[:90]!r}")
    return found


def opened(app, entry, **params):
    at = app(**params, lang="pl")
    if entry is not pages.HOME:
        at.switch_page(entry.file).run()
    return at


ADMIN = list(pages.visible(administers=True))
MANAGER = list(pages.visible(administers=False, account_manager=True))


def test_the_words_looked_for_are_english_ones():
    # a sanity check of the test itself: words of the English messages, not the data's
    assert {"contract", "purchased", "remaining"} <= english_words()
    assert "umowa" not in english_words()
    assert without_data("Acme Corporation: 3 of 10") == " : 3 of 10"


# AppTest reads a widget's options back through its format_func in the test's own thread:
# that thread speaks Polish too


@pytest.mark.parametrize("entry", ADMIN, ids=[page.url_path for page in ADMIN])
def test_a_customer_admins_pages_are_all_polish(app, entry):
    with speaking("pl"):
        at = opened(app, entry, **{"as": "u-cadmin", "status": "all"})
        assert not at.exception
        assert english_left(at) == []


@pytest.mark.parametrize("entry", MANAGER, ids=[page.url_path for page in MANAGER])
def test_an_account_managers_pages_are_all_polish(app, entry):
    with speaking("pl"):
        at = opened(app, entry, **{"as": "am-ann", "customer": "C1", "status": "all"})
        assert not at.exception
        assert english_left(at) == []
