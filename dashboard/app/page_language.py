"""Telling the browser the language the page speaks. Streamlit draws table cells in the
browser, writing their numbers as `navigator.languages` says ("localized" column formats); a
reader who picked Polish on an English browser would otherwise read "1,234.5" in the tables
and "1 234,5" around them. The page's own `lang` follows too (screen readers, hyphenation, the
browser's offer to translate)."""

from __future__ import annotations

import streamlit as st

from dashboard import language

# Its text is fixed, whatever the language (the script reads it from its own `data-lang`), so
# deploy/haproxy.cfg's policy allows it by one hash (tests/test_page_policy.py checks).
# Numbers are grouped from the thousands, as dashboard/formats.py writes them ("1 234,5"),
# where the browser's Polish would leave four digits whole.
SAYS_THE_LANGUAGE = (
    "(() => { const lang = document.currentScript.dataset.lang;"
    " document.documentElement.lang = lang;"
    " Object.defineProperty(navigator, 'language', { configurable: true, get: () => lang });"
    " Object.defineProperty(navigator, 'languages', { configurable: true, get: () => [lang] });"
    " if (Intl.NumberFormat.groupedFromThousands) return;"
    " const Native = Intl.NumberFormat;"
    " const Grouped = function (locales, options) {"
    " return new Native(locales, { useGrouping: 'always', ...options }); };"
    " Object.setPrototypeOf(Grouped, Native); Grouped.prototype = Native.prototype;"
    " Grouped.groupedFromThousands = true; Intl.NumberFormat = Grouped; })();"
)


def tell_the_browser() -> None:
    """Say the run's language to the browser, in the sidebar (where it takes no room)."""
    code = language.current()  # one of LANGUAGES' codes, never text from the link
    st.sidebar.html(
        f'<script data-lang="{code}">{SAYS_THE_LANGUAGE}</script>', unsafe_allow_javascript=True
    )
