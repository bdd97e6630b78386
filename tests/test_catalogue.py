"""The interface's catalogues are complete: every string marked for translation in dashboard/ is
in the Polish catalogue, translated, with its three plural forms where it has plurals and the
same placeholders as the English; no string a user reads is handed to Streamlit unmarked; and
the compiled catalogues are made by the install, never committed."""

import ast
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from dashboard.language import DEFAULT, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def keywords() -> dict:
    """gettext's keywords and the Makefile's own (`KEYWORDS := -k N_ -k count:2,3`)."""
    from babel.messages.extract import DEFAULT_KEYWORDS
    from babel.messages.frontend import parse_keywords

    line = next(
        line for line in (ROOT / "Makefile").read_text().splitlines() if line.startswith("KEYWORDS")
    )
    extra = parse_keywords(line.split(":=", 1)[1].replace("-k", " ").split())
    return {**DEFAULT_KEYWORDS, **extra}


def marked() -> dict[tuple[str | None, str], tuple]:
    """Every string marked in dashboard/: (context, msgid) -> the message as extracted."""
    found = {}
    method_map = [("**.py", "python")]
    for filename, _line, message, _comments, context in extract_from_dir(
        ROOT / "dashboard", method_map, keywords=keywords()
    ):
        msgid = message if isinstance(message, str) else message[0]
        found[(context, msgid)] = (filename, message)
    return found


def catalogue(code: str):
    with (LOCALE_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=code)


OTHERS = [code for code in LANGUAGES if code != DEFAULT]


@pytest.mark.parametrize("code", OTHERS)
def test_every_marked_string_is_translated(code):
    held = catalogue(code)
    problems = []
    for (context, msgid), (filename, message) in sorted(marked().items(), key=str):
        entry = held.get(msgid, context=context)
        where = f"{filename}: {msgid!r}"
        if entry is None:
            problems.append(f"not in the catalogue (run `make messages`): {where}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {where}")
        elif isinstance(message, tuple):
            forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            if len(forms) != held.num_plurals or not all(forms):
                problems.append(
                    f"{len([f for f in forms if f])} of {held.num_plurals} forms: {where}"
                )
        elif not entry.string:
            problems.append(f"untranslated: {where}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", OTHERS)
def test_translations_keep_the_placeholders(code):
    problems = []
    for entry in catalogue(code):
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for form in entry.string if isinstance(entry.string, tuple) else (entry.string,):
            if set(PLACEHOLDER.findall(form)) - wanted:
                problems.append(f"{ids[0]!r} -> {form!r}: a placeholder the English has not")
            if not entry.pluralizable and set(PLACEHOLDER.findall(form)) != wanted:
                problems.append(f"{ids[0]!r} -> {form!r}: placeholders differ")
    assert not problems, "\n".join(problems)


def test_polish_has_three_plural_forms():
    assert catalogue("pl").num_plurals == 3


def test_no_compiled_catalogue_is_committed():
    listed = subprocess.run(
        ["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    assert listed.stdout == ""


# Streamlit calls whose text argument a user reads, and the keywords that carry text
TEXT_CALLS = {
    "title", "header", "subheader", "caption", "markdown", "info", "warning", "error",
    "success", "metric", "expander", "button", "selectbox", "multiselect", "toggle",
    "checkbox", "radio", "date_input", "text_input", "download_button", "popover",
    "form_submit_button", "tabs", "segmented_control", "link_button", "page_link", "spinner",
    "toast", "dialog", "number_input", "text_area",
}  # fmt: skip
TEXT_KEYWORDS = {"label", "help", "placeholder", "title", "caption", "body", "file_name"}


def _unmarked(node: ast.AST) -> bool:
    """Text written straight into the call: a literal with a letter in it, or an f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{2}", node.value))
    return isinstance(node, ast.JoinedStr) and any(
        isinstance(part, ast.Constant) and re.search(r"[A-Za-z]{2}", str(part.value))
        for part in node.values
    )


def _logged(receiver: ast.AST) -> bool:
    """A logger's call (`log.error(...)`): for whoever runs the server, in English."""
    return isinstance(receiver, ast.Name) and receiver.id in ("log", "logger", "logging")


def test_no_text_reaches_streamlit_unmarked():
    problems = []
    for path in sorted((ROOT / "dashboard" / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if node.func.attr not in TEXT_CALLS or _logged(node.func.value):
                continue
            texts = node.args[:1] + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
            for text in texts:
                if _unmarked(text):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    problems.append(f"{where}: {ast.unparse(text)[:70]}")
    assert not problems, "unmarked text:\n" + "\n".join(problems)
