"""Text from users or data, made safe to show: never markup, never a wall of characters."""

from __future__ import annotations

import re
import unicodedata

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
MAX_SHOWN = 60


def quoted(value: object, limit: int = MAX_SHOWN) -> str:
    """`value` in quotes, with control and invisible characters dropped and cut to `limit`."""
    text = "".join(ch for ch in str(value) if unicodedata.category(ch)[0] != "C" or ch == " ")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"


def inert(text: str) -> str:
    """`text` with every Markdown and HTML character escaped, for st.markdown and friends."""
    return _MARKDOWN.sub(r"\\\1", text)


def amount(value: float | None) -> str:
    """A quantity as people write it: 12, 39.5, 1,250 (at most one decimal)."""
    if value is None:
        return "—"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`1 support request`, `3 support requests`."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def hidden_note(hidden: int) -> str:
    """`3 support requests are hidden by your permissions.`"""
    verb = "is" if hidden == 1 else "are"
    return f"{count(hidden, 'support request')} {verb} hidden by your permissions."
