"""The language the interface speaks: gettext catalogues, and which language a run speaks.

Every word a user reads is written in English in the code, marked `_("...")` (or `N_` where it
is defined before it is shown, `ngettext` where it has plural forms, `pgettext` where the same
English word needs two translations), and translated from `locale/<code>/LC_MESSAGES/
messages.po`. `make install` compiles each catalogue (`pybabel compile`) next to it; a catalogue
not compiled yet is read from its `.po` instead. `make messages` extracts the marked strings
into `locale/messages.pot` and merges them into every catalogue.

Adding a language is its catalogue and one line in LANGUAGES (see the README).

The language is held per thread of execution (a context variable): Streamlit runs each
session's script in a thread of its own, and one process serves sessions in several languages.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import io
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path

# each language by its code, with its name as its own speakers write it (the picker shows it)
LANGUAGES = {
    "en": "English",
    "pl": "Polski",
}
DEFAULT = "en"  # the language the code is written in: it has no catalogue
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).with_name("locale")
LINK = "lang"  # the link's parameter: ?lang=pl

_current: ContextVar[str] = ContextVar("language", default=DEFAULT)


def current() -> str:
    """The code of the language this run speaks."""
    return _current.get()


def use(code: str) -> None:
    """Speak `code` from here on in this run (the thread of a session's script)."""
    _current.set(code if code in LANGUAGES else DEFAULT)


@contextlib.contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak `code` inside the block only (an e-mail, a file made for someone else)."""
    token = _current.set(code if code in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def supported(code: str | None) -> str | None:
    """The supported language `code` names (`pl`, `pl-PL`, `PL_pl`), or None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-", 1)[0].strip().lower()
    return base if base in LANGUAGES else None


def chosen(*candidates: str | None) -> str:
    """The first of `candidates` that names a supported language (in the order given: the link,
    then what a signed-in user chose before, then the browser's), else the default."""
    for candidate in candidates:
        code = supported(candidate)
        if code:
            return code
    return DEFAULT


def from_browser(languages: Iterable[str] | str | None) -> str | None:
    """The first supported language of the browser's (its `Accept-Language` header, or the
    locale it reports), or None."""
    if not languages:
        return None
    if isinstance(languages, str):
        languages = [part.split(";", 1)[0] for part in languages.split(",")]
    for language in languages:
        code = supported(language)
        if code:
            return code
    return None


@functools.cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalogue of `code`: compiled (`.mo`) when it is, read from its `.po` otherwise; the
    default language's is the identity."""
    if code == DEFAULT or code not in LANGUAGES:
        return gettext.NullTranslations()
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    compiled, source = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if compiled.exists() and (
        not source.exists() or compiled.stat().st_mtime >= source.stat().st_mtime
    ):
        with compiled.open("rb") as file:
            return gettext.GNUTranslations(file)
    return gettext.GNUTranslations(io.BytesIO(compiled_catalogue(source)))


def compiled_catalogue(source: Path) -> bytes:
    """The `.mo` bytes of the catalogue `source` (a `.po` file), as `pybabel compile` writes."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with source.open("rb") as file:
        catalogue = read_po(file)
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


def _(message: str) -> str:
    """`message` in the run's language."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for `n` in the run's language (Polish has three)."""
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the run's language, as it reads in `context` (one English word, two
    meanings)."""
    return translations(current()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark `message` for the catalogue where it is defined; `_()` translates it where shown."""
    return message
