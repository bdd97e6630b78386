"""Text from users or data, made safe to show: never markup, never a wall of characters."""

from __future__ import annotations

import re
import unicodedata

import polars as pl

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
MAX_SHOWN = 60
# Characters that change how the text around them is laid out without being seen: the
# bidirectional controls (a right-to-left override shows "evil.example" as "elpmaxe.live") and
# the zero-width ones. Right-to-left letters themselves are kept.
INVISIBLE = "[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"


def quoted(value: object, limit: int = MAX_SHOWN) -> str:
    """`value` in quotes, with control and invisible characters dropped and cut to `limit`."""
    text = "".join(ch for ch in str(value) if unicodedata.category(ch)[0] != "C" or ch == " ")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"


SEARCHED_WORDS = 6  # the words of a search that texts are tested for (raw.is_found)


def search_words(text: str) -> tuple[str, ...]:
    """The words typed in a search box, each once whatever its case, without invisible or
    control characters: `"  Azure sign  AZURE"` -> `("Azure", "sign")`."""
    text = re.sub(INVISIBLE, "", text)
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    words: dict[str, str] = {}
    for word in text.split():
        words.setdefault(word.casefold(), word)
    return tuple(words.values())


def inert(text: str) -> str:
    """`text` with every Markdown and HTML character escaped, for st.markdown and friends."""
    return _MARKDOWN.sub(r"\\\1", text)


def amount(value: float | None) -> str:
    """A quantity as people write it: 12, 39.5, 1,250 (at most one decimal)."""
    if value is None:
        return "—"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def rate(value: float) -> str:
    """A rate as people write it: 19,660.18, 2.5, 0.01 (at most two decimals)."""
    text = f"{value:,.2f}".rstrip("0")
    return text.rstrip(".")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`1 support request`, `3 support requests`."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def hidden_note(hidden: int) -> str:
    """`3 support requests are hidden by your permissions.`"""
    verb = "is" if hidden == 1 else "are"
    return f"{count(hidden, 'support request')} {verb} hidden by your permissions."


def visible(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with the invisible layout characters (INVISIBLE) taken out of its text columns,
    ids aside (an id is matched, never read): for what a page shows or a download holds."""
    text = [c for c, t in frame.schema.items() if t == pl.String and not c.endswith("_id")]
    if not text:
        return frame
    return frame.with_columns(pl.col(text).str.replace_all(INVISIBLE, ""))
