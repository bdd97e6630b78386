"""The load balancer of deploy/haproxy.cfg (with deploy/replicas.cfg's backend, one replica) in
front of a real server: its security headers on every answer, Streamlit's metrics hidden, and
every page drawn under its content-security policy without one violation."""

import os
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from dashboard.app import pages
from dashboard.cluster import replicas_config
from tests.e2e.conftest import (
    ARTIFACTS,
    ROOT,
    free_port,
    shot,
    start_app,
    stop,
    wait_for,
    wait_for_app,
)

CONFIG = ROOT / "deploy" / "haproxy.cfg"
PAGES = [pages.address(page) for page in pages.PAGES]
# collected in the page before any of its scripts run
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def balanced(tiny_home, tmp_path_factory):
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        if os.environ.get("CI"):
            pytest.fail("haproxy is missing in CI: .ci/run must install it")
        pytest.skip("haproxy is not installed here (`apt-get install haproxy`; .ci/run does)")
    app_url, app = start_app(tiny_home, "balanced-server")
    port = free_port()
    env = {**os.environ, "CA_LISTEN": f"127.0.0.1:{port}"}
    replicas = tmp_path_factory.mktemp("balancer") / "replicas.cfg"
    replicas.write_text(replicas_config([app_url.removeprefix("http://")]), encoding="utf-8")
    log = ARTIFACTS / "haproxy.log"
    proxy = subprocess.Popen(
        [haproxy, "-f", str(CONFIG), "-f", str(replicas), "-db"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/_stcore/health", proxy, log)
    yield url, app_url
    stop(proxy)
    stop(app)


def headers_of(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=10) as reply:
        return {name.lower(): value for name, value in reply.headers.items()}


def test_every_answer_carries_the_security_headers(balanced):
    url, _ = balanced
    for path in ("/", "/support", "/_stcore/health"):
        headers = headers_of(url + path)
        assert headers["x-frame-options"] == "DENY", path
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]
        assert headers["x-content-type-options"] == "nosniff"


def test_metrics_are_hidden_behind_the_balancer_only(balanced):
    url, app_url = balanced
    for path in ("/_stcore/metrics", "/_stcore/%6detrics", "/_stcore/metrics?x=1"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + path, timeout=10)
        assert refused.value.code == 404, path
    with urllib.request.urlopen(f"{app_url}/_stcore/metrics", timeout=10) as reply:
        assert reply.status == 200  # still there for whoever runs the servers


def test_every_page_is_drawn_under_the_policy_without_a_violation(browser, balanced):
    url, _ = balanced
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        for path in PAGES:
            page.goto(f"{url}/{path}?as=u-cadmin")
            wait_for_app(page)
            assert page.locator("[data-testid='stException']").count() == 0, path
            if path in ("", "support", "renewal"):
                page.locator("[data-testid='stVegaLiteChart'] svg, canvas").first.wait_for()
            violations = page.evaluate("window.__violations")
            assert violations == [], (path, violations)
            # the sidebar's own script (Enter applies a typed day) ran under the policy
            assert page.evaluate("window.enterAppliesTypedDay") is True, path
            # and the one telling the browser the page's language
            assert page.evaluate("[document.documentElement.lang, navigator.languages]") == [
                "en",
                ["en"],
            ], path
        shot(page, "behind_the_load_balancer")
    finally:
        context.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_the_first_answer_names_the_replica_for_the_session(balanced):
    url, _ = balanced
    cookie = headers_of(url + "/")["set-cookie"]
    assert cookie.startswith("ca_replica=r1;") and "HttpOnly" in cookie
    # a browser that names its replica is not given the cookie again
    request = urllib.request.Request(url + "/", headers={"Cookie": "ca_replica=r1"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.headers.get("set-cookie") is None
