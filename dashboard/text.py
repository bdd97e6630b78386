"""Text from users or data, made safe to show: never markup, never a wall of characters."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import polars as pl

from dashboard.formats import count
from dashboard.rules import SPECIAL_SERVICE_CODES

_MARKDOWN = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
# Where GitHub-flavoured Markdown would start a link of its own in plain text (its "autolink
# literals", which Streamlit's Markdown makes after escapes are read, so that no backslash stops
# them): at `http://`, `https://` and `www.`, and at each place an e-mail address's name may
# start. It does so only after the start, a space or a punctuation mark; a word joiner (U+2060,
# zero-width and no break) put there is none of these, so the text is left as text.
_LINK_START = re.compile(r"(?=https?://|www\.)", re.IGNORECASE)
_EMAIL_NAME = re.compile(r"[-.\w+]+(?=@)", re.ASCII)  # as GFM reads it: ASCII letters and digits
_EMAIL_NAME_STARTS = re.compile(r"^|(?<=[-.+_])")
WORD_JOINER = "\u2060"
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
    """`text` with every Markdown and HTML character escaped, for st.markdown and friends, and
    no web or e-mail address in it made a link: `https://evil.example`, `www.evil.example` and
    `a@evil.example` are shown as they are written, as text."""
    text = _LINK_START.sub(WORD_JOINER, text)
    text = _EMAIL_NAME.sub(lambda name: _EMAIL_NAME_STARTS.sub(WORD_JOINER, name[0]), text)
    return _MARKDOWN.sub(r"\\\1", text)


def web_link(address: object) -> str | None:
    """`address` if it is one a link may safely open: an http or https address with a host,
    nothing hidden in it (spaces, control or invisible characters). None otherwise (a
    `javascript:` or `data:` address, a relative one, one that only looks like a web address)."""
    if not isinstance(address, str) or not address:
        return None
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in address):
        return None  # the invisible characters (INVISIBLE) are all of category C
    try:
        parts = urlsplit(address)
    except ValueError:  # such as a malformed IPv6 host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return address


def hidden_note(hidden: int) -> str:
    """`3 support requests are hidden by your permissions.`"""
    verb = "is" if hidden == 1 else "are"
    return f"{count(hidden, 'support request')} {verb} hidden by your permissions."


def without_invisible(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with the invisible layout characters (INVISIBLE) taken out of its text columns,
    ids aside (an id is matched, never read): for what a page shows or a download holds."""
    text = [c for c, t in frame.schema.items() if t == pl.String and not c.endswith("_id")]
    if not text:
        return frame
    return frame.with_columns(pl.col(text).str.replace_all(INVISIBLE, ""))


def alert_kind_words(code: str) -> str:
    """An alert's kind in words, as the Alerts page and the digests say it: contract_ends_30 ->
    Contract ends within 30 days."""
    found = re.fullmatch(r"([a-z_]+?)_?(\d+)d?", code)
    name, number = (found.group(1), found.group(2)) if found else (code, "")
    words = {
        "used": f"Used {number}% or more",
        "runs_out_before_end": "Will run out before its end",
        "unused_over": f"Will leave over {number}% unused",
        "contract_ends": f"Contract ends within {number} days",
        "package_ends": f"Package ends within {number} days",
        "additional_cases": f"Additional cases, last {number} days",
    }
    return words.get(name, code.replace("_", " ").capitalize())


# each reason (the data contract's name, which the queries take) as the page shows it, and what
# it means
ADDITIONAL_REASONS = {
    "expired_contract": ("Expired contract", "its contract had expired"),
    "no_entitlement": ("No entitlement", "raised against no contract or no entitlement"),
    "special_service": (
        "Special service",
        f"a special service ({', '.join(SPECIAL_SERVICE_CODES)})",
    ),
    "unmapped_contract": (
        "Unmapped contract",
        "its contract is mapped to another workspace, or to none",
    ),
}
