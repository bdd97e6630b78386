"""Text from users or data, made safe to show: never markup, never a wall of characters."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import polars as pl

from dashboard import words
from dashboard.formats import amount, day, number
from dashboard.language import N_, _, ngettext
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
    """`3 support requests are hidden by your permissions.`, in the run's language."""
    said = ngettext(
        "{n} support request is hidden by your permissions.",
        "{n} support requests are hidden by your permissions.",
        hidden,
    )
    return said.format(n=number(hidden))


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
    name, figure = (found.group(1), found.group(2)) if found else (code, "")
    days = int(figure or 0)  # the form of "days" that the number takes
    words = {
        "used": _("Used {share} or more"),
        "runs_out_before_end": _("Will run out before its end"),
        "unused_over": _("Will leave over {share} unused"),
        "contract_ends": ngettext(
            "Contract ends within {number} day", "Contract ends within {number} days", days
        ),
        "package_ends": ngettext(
            "Package ends within {number} day", "Package ends within {number} days", days
        ),
        "additional_cases": ngettext(
            "Additional cases, last {number} day", "Additional cases, last {number} days", days
        ),
    }
    if name not in words:
        return code.replace("_", " ").capitalize()
    # the share as "80%": a "%" of the message itself would read as a printf format
    return words[name].format(number=figure, share=f"{figure}%")


def alert_figure(alert: dict) -> str:
    """What triggered an alert, in the run's language, from its parts (the alerts query's
    figure_ columns): "9 of 10 hours used (90%)", "ends 30 Jun 2026, 0 days"."""
    kind = alert["alert_kind"]
    amount_, of, share = alert["figure_amount"], alert["figure_of"], alert["figure_share"]
    unit = words.unit(alert["figure_unit"]) if alert["figure_unit"] else ""
    ends, days_left = alert["figure_ends"], alert["days_left"]
    if kind.startswith("used_"):
        return _("{used} of {purchased} {unit} used ({share})").format(
            used=amount(amount_), purchased=amount(of), unit=unit, share=f"{share}%"
        )
    if kind == "runs_out_before_end":
        if amount_ > 0:
            said = _("{over} {unit} over what was purchased, scheduled included").format(
                over=amount(amount_), unit=unit
            )
        elif amount_ == 0:
            said = _("none left, scheduled included")
        else:
            said = _("forecast to run out on {day}").format(day=day(alert["figure_day"]))
        return _("{said}; package ends {day}").format(said=said, day=day(ends))
    if kind.startswith("unused_over_"):
        return ngettext(
            "{unused} of {purchased} {unit} forecast unused ({share}); package ends {day}, "
            "{n} day",
            "{unused} of {purchased} {unit} forecast unused ({share}); package ends {day}, "
            "{n} days",
            days_left,
        ).format(
            unused=amount(amount_), purchased=amount(of), unit=unit, share=f"{share}%",
            day=day(ends), n=number(days_left),
        )  # fmt: skip
    if kind.startswith(("contract_ends_", "package_ends_")):
        return ngettext("ends {day}, {n} day", "ends {day}, {n} days", days_left).format(
            day=day(ends), n=number(days_left)
        )
    if kind.startswith("additional_cases_"):
        cases = alert["figure_cases"]
        return ngettext(
            "{n} additional case raised {first} to {last}",
            "{n} additional cases raised {first} to {last}",
            cases,
        ).format(n=number(cases), first=day(alert["figure_day"]), last=day(ends))
    return alert["figure"]  # a kind this function does not know: the query's own words


# each reason (the data contract's name, which the queries take) as the page shows it, and what
# it means, in English: reason_label and reason_meaning say them in the run's language
SPECIAL_SERVICE = N_("a special service ({codes})")
ADDITIONAL_REASONS = {
    "expired_contract": (N_("Expired contract"), N_("its contract had expired")),
    "no_entitlement": (
        N_("No entitlement"),
        N_("raised against no contract or no entitlement"),
    ),
    "special_service": (
        N_("Special service"),
        SPECIAL_SERVICE.format(codes=", ".join(SPECIAL_SERVICE_CODES)),
    ),
    "unmapped_contract": (
        N_("Unmapped contract"),
        N_("its contract is mapped to another workspace, or to none"),
    ),
}


def reason_label(code: str) -> str:
    """A reason's label in the run's language: expired_contract -> "Expired contract"; a code
    that is no reason, as it is."""
    return _(ADDITIONAL_REASONS[code][0]) if code in ADDITIONAL_REASONS else code


def reason_labels() -> dict[str, str]:
    """Every reason's code -> its label in the run's language (for polars `.replace`)."""
    return {code: _(label) for code, (label, _meaning) in ADDITIONAL_REASONS.items()}


def reason_meaning(code: str) -> str:
    """What makes a case additional for the reason `code`, in the run's language."""
    if code == "special_service":
        return _(SPECIAL_SERVICE).format(codes=", ".join(SPECIAL_SERVICE_CODES))
    return _(ADDITIONAL_REASONS[code][1])
