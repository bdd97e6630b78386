"""The load balancer's content-security policy (deploy/haproxy.cfg) lets run every script the
page has inline, and only those, by their hashes: Streamlit's own page's, and the two the app
adds (a typed day applied on Enter; the page's language told to the browser). A script changed
without its hash would be refused in the browser, silently."""

import base64
import hashlib
import re
from pathlib import Path

import streamlit

from dashboard.app.page_language import SAYS_THE_LANGUAGE
from dashboard.app.sidebar import ENTER_APPLIES_A_TYPED_DAY

POLICY = Path(__file__).parents[1] / "deploy" / "haproxy.cfg"


def hashes_allowed() -> set[str]:
    header = re.search(r'Content-Security-Policy "([^"]+)"', POLICY.read_text())[1]
    scripts = next(part for part in header.split(";") if part.strip().startswith("script-src"))
    return set(re.findall(r"'(sha256-[^']+)'", scripts))


def hash_of(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


def streamlits_inline_scripts() -> list[str]:
    page = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page, re.S)


def test_the_policy_allows_each_inline_script_by_its_hash_and_no_other():
    ours = [re.fullmatch(r"<script>(.*)</script>", ENTER_APPLIES_A_TYPED_DAY, re.S)[1]]
    ours.append(SAYS_THE_LANGUAGE)
    theirs = streamlits_inline_scripts()
    assert len(theirs) == 1  # `window.prerenderReady = false`
    assert hashes_allowed() == {hash_of(script) for script in ours + theirs}
