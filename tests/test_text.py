"""Numbers in sentences, written as people write them; text from data or links, never markup."""

import re
import unicodedata

import pytest

from dashboard.formats import amount, rate
from dashboard.text import inert, search_words


def test_an_amount_has_thousands_separated_and_at_most_one_decimal():
    assert amount(7_242_339.62) == "7,242,339.6"
    assert amount(3_153_022.0) == "3,153,022"  # never 3.15302e+06
    assert amount(5.04) == "5"
    assert amount(0.0) == "0"
    assert amount(None) == "—"


def test_a_rate_has_thousands_separated_and_at_most_two_decimals():
    assert rate(19_660.1834) == "19,660.18"
    assert rate(1 / 90) == "0.01"
    assert rate(2.5) == "2.5"
    assert rate(3.0) == "3"
    assert rate(100.0) == "100"  # the zeros of the whole part stay
    assert rate(0.0) == "0"


def test_search_words_are_each_word_typed_once_without_hidden_characters():
    assert search_words("  Azure sign  AZURE ") == ("Azure", "sign")
    assert search_words("CS000006663") == ("CS000006663",)
    assert search_words("sign\u200bin\tfails\n") == ("signin", "fails")  # a zero-width space
    assert search_words("") == ()
    assert search_words(" \t ") == ()


# What inert text reads as once Markdown has read it: each backslash escape as its character.
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
WEB = re.compile(r"(?:https?://|www(?=\.))[-.\w]+", re.IGNORECASE | re.ASCII)
EMAIL = re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII)


def _may_start_a_link(text: str, at: int, email: bool) -> bool:
    """GitHub-flavoured Markdown makes a link of an address in plain text only where it starts
    the text or follows a space or a punctuation mark or symbol (an e-mail address, not `/`)."""
    if at == 0:
        return True
    before = text[at - 1]
    if email and before == "/":
        return False
    return before.isspace() or unicodedata.category(before)[0] in "PS"


def autolinks(markdown: str) -> list[str]:
    """The addresses that Markdown text would be given links to without any link markup (the
    "autolink literals" of GitHub-flavoured Markdown, which Streamlit's Markdown reads after the
    backslash escapes): `www.x.example`, `https://x.example`, `a@x.example` each where
    _may_start_a_link."""
    text = ESCAPE.sub(r"\1", markdown)
    return [
        found[0]
        for at in range(len(text))
        for pattern, email in ((WEB, False), (EMAIL, True))
        if (found := pattern.match(text, at)) and _may_start_a_link(text, at, email)
    ]


def read(markdown: str) -> str:
    """Inert text as a reader sees it: escapes read, the zero-width word joiners unseen."""
    return ESCAPE.sub(r"\1", markdown).replace("\u2060", "")


ADDRESSES = [
    "https://evil.example",
    "http://evil.example/beacon.png?id=1",
    "HTTPS://EVIL.EXAMPLE/x",
    "www.evil.example",
    "WWW.evil.example",
    "https://www.evil.example",
    "“https://evil.example”",  # as a notice quotes a link's value
    "(www.evil.example)",
    "see https://evil.example.",
    "someone@evil.example",
    "first.last+tag@evil.example",
    "a_b-c@mail.evil.example",
    "mailto:someone@evil.example",
    "xmpp:someone@evil.example",
    "<https://evil.example>",
    "Filter dropped: “https://evil.example” in “ws” is not a workspace you may see.",
]


@pytest.mark.parametrize("text", ADDRESSES)
def test_an_address_in_inert_text_is_shown_as_written_and_never_made_a_link(text):
    assert autolinks(text)  # an address as the autolink rules find one
    shown = inert(text)
    assert autolinks(shown) == []
    assert read(shown) == text


# entities, emoji and icon names, HTML, maths, tables, headings, footnotes
MARKUP = [
    "&copy; &amp; &#60;",
    ":smile: :material/home: :red[red]",
    "<b>x</b> <!-- -->",
    "$x$ | a | b |",
    "# one\n=== \n[^1]",
    "a \\ b `c` ~~d~~ _e_ {f} @g %h ;i ,j",
]


def test_inert_text_has_every_markdown_and_html_character_escaped():
    text = "![b](https://evil.example/b.png) [renew](https://phish.example) **bold**"
    assert inert(text) == (
        r"\!\[b\]\(" "\u2060" r"https\:\/\/evil\.example\/b\.png\) "
        r"\[renew\]\(" "\u2060" r"https\:\/\/phish\.example\) \*\*bold\*\*"
    )  # fmt: skip
    for text in MARKUP:
        shown = inert(text)
        assert re.fullmatch(r"(?:\\[!-/:-@\[-`{-~]|[^!-/:-@\[-`{-~])*", shown), shown
        assert read(shown) == text


def test_only_a_web_address_is_given_as_a_link_to_open():
    from dashboard.text import web_link

    for address in ("https://services.example.com/book", "http://support.example/b?x=1#y",
                    "HTTPS://Support.Example"):  # fmt: skip
        assert web_link(address) == address
    for address in (None, "", "javascript:alert(1)", "JavaScript:alert(1)", " javascript:x",
                    "java\tscript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x",
                    "//evil.example", "/relative", "https:evil.example", "https://",
                    "https://evil.example/\u202egpj.exe", "https://evil .example",
                    "file:///etc/passwd", "mailto:a@evil.example"):  # fmt: skip
        assert web_link(address) is None, address
