"""Two replicas behind HAProxy, their state in a real PostgreSQL and their dataset followed from
a real S3 API (moto's server), as `python -m dashboard cluster` starts them: the faults a
deployment of several replicas must survive, each driven in the browser."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import date

import pytest
from playwright.sync_api import expect

from dashboard import local_services
from dashboard.cluster import Cluster
from tests.conftest import FIXTURE_AS_OF
from tests.e2e.conftest import ARTIFACTS, ROOT, metric, shot, wait_for_app

# On FIXTURE_AS_OF the customer admin's active contracts are CN-100, CN-200 and CN-400; on this
# later day CN-300 (from 1 August 2026) has started too and CN-200 (to 15 September) still runs.
LATER = date(2026, 9, 1)
ACTIVE_THEN, ACTIVE_LATER = "3", "4"
SUPPORT = "Support and proactive services"
SWITCH_SECONDS = 20  # a new version is noticed within seconds (2 s polls), then downloaded
RECONNECT_SECONDS = 30  # the page's own retries back off: a few seconds


@pytest.fixture(scope="module")
def cluster(tiny_home, tmp_path_factory):
    missing = [
        name
        for name, found in (
            ("postgresql", local_services.postgres_bin()),
            ("haproxy", local_services.haproxy()),
        )
        if found is None
    ]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} missing in CI: .ci/run must install it")
        pytest.skip(f"{', '.join(missing)} not installed here (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("cluster")
    running = Cluster(folder, replicas=2, dataset=tiny_home).start()
    yield running
    running.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    for log in folder.glob("*.log"):  # for whoever reads a failure
        (ARTIFACTS / f"cluster-{log.name}").write_bytes(log.read_bytes())


def replica(cluster: Cluster, n: int) -> str:
    return cluster.replica_services[n - 1].url


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def rerun(page) -> None:
    """What any click does: run the page's script again, in the same session."""
    page.locator("h1").first.click()  # focus on the page, not in a field
    page.keyboard.press("r")  # Streamlit's own shortcut for "Rerun"
    wait_for_app(page)


def test_a_grant_made_through_one_replica_takes_effect_in_the_other(cluster, browser):
    grantee = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_page(grantee, f"{replica(cluster, 2)}/?as=u-none")
    expect(grantee.get_by_role("heading", name="No access to Customer Activity")).to_be_visible()

    admin = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
    open_page(admin, f"{replica(cluster, 1)}/manage-access?as=u-wsadmin")
    grant(admin, "Nora", "Nora None")
    expect(admin.get_by_text("Customer activity granted for Nora None")).to_be_visible()

    rerun(grantee)  # the same session, on the other replica
    expect(grantee.get_by_role("heading", name="Enterprise-wide")).to_be_visible()
    assert metric(grantee, "Active contracts") == "1"
    shot(grantee, "replicas_grant_seen_on_the_other")
    grantee.context.close()
    admin.context.close()


def grant(page, typed: str, person: str) -> None:
    chooser = page.get_by_role("combobox", name=re.compile("Person"))
    chooser.click()
    chooser.press_sequentially(typed)
    expect(page.get_by_role("option", name=re.compile(person))).to_be_visible(timeout=15_000)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Grant").click()
    # the click's outcome, or first the question whether to grant anyway (not a member of the
    # workspace yet: the role makes them one); waited for, as the run may not have begun yet
    anyway = page.get_by_role("button", name="Grant anyway")
    outcome = page.get_by_text(re.compile(r"granted for|^Not done: "))
    expect(anyway.or_(outcome).first).to_be_visible(timeout=20_000)
    if anyway.count():
        anyway.click()
        wait_for_app(page)


def test_postgres_restarted_while_serving(cluster, browser):
    postgres = cluster.services[0]
    page = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
    open_page(page, f"{replica(cluster, 1)}/?as=u-cadmin")
    assert metric(page, "Active contracts") == ACTIVE_THEN
    subprocess.run(postgres.stop_command, check=True, capture_output=True)
    try:
        # a page needs only the dataset and the grants last read: it is drawn, and says so
        rerun(page)
        assert metric(page, "Active contracts") == ACTIVE_THEN
        expect(page.get_by_text(re.compile("cannot be read just now"))).to_be_visible()
        shot(page, "replicas_page_while_postgres_is_down")
        # a grant fails with one clear line, and writes nothing
        open_page(page, f"{replica(cluster, 1)}/manage-access?as=u-wsadmin")
        grant(page, "Otto", "Otto Viewonly")
        refused = page.get_by_text(re.compile("^Not done: .* cannot be reached just now"))
        # after the connection attempts time out, which a busy machine makes slower
        expect(refused).to_be_visible(timeout=20_000)
        expect(page.get_by_text("Traceback")).to_have_count(0)
        shot(page, "replicas_grant_while_postgres_is_down")
    finally:
        local_services.restart(postgres)
    # back without restarting the replica: the same grant now goes through, once
    open_page(page, f"{replica(cluster, 1)}/manage-access?as=u-wsadmin")
    grant(page, "Otto", "Otto Viewonly")
    expect(page.get_by_text("Customer activity granted for Otto Viewonly")).to_be_visible()
    audit = access_audit(cluster)
    assert len([line for line in audit if "u-viewonly" in line]) == 1, audit
    page.context.close()


def access_audit(cluster: Cluster) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "access", "audit", "--by", "u-cadmin"],
        cwd=ROOT,
        env={**os.environ, **cluster.env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_an_import_published_while_both_serve_is_picked_up_by_both(cluster, browser):
    pages = []
    for n in (1, 2):
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        open_page(page, f"{replica(cluster, n)}/?as=u-cadmin")
        pages.append(page)
    then, later = f"Data as of {day(FIXTURE_AS_OF)}", f"Data as of {day(LATER)}"
    consistent = {(then, ACTIVE_THEN), (later, ACTIVE_LATER)}
    cluster.publish(cluster.dataset, as_of=LATER)
    until_both_show(pages, (later, ACTIVE_LATER), consistent)
    cluster.publish(cluster.dataset)  # as it was, for the tests after this one
    until_both_show(pages, (then, ACTIVE_THEN), consistent)
    for page in pages:
        page.context.close()


def until_both_show(pages, wanted: tuple[str, str], consistent: set) -> None:
    """Rerun each page until every one shows `wanted`, each run showing one version whole."""
    deadline = time.monotonic() + SWITCH_SECONDS
    switched = [False] * len(pages)
    while not all(switched) and time.monotonic() < deadline:
        for n, page in enumerate(pages):
            rerun(page)
            seen = (as_of_line(page), metric(page, "Active contracts"))
            assert seen in consistent, f"replica {n + 1} mixes two versions: {seen}"
            switched[n] = seen == wanted
        time.sleep(0.5)
    assert all(switched), f"not every replica shows {wanted} within {SWITCH_SECONDS} s"


def as_of_line(page) -> str:
    text = page.get_by_text(re.compile(r"^Data as of \d+ \w+ \d{4}")).first.inner_text()
    return re.match(r"Data as of \d+ \w+ \d{4}", text).group(0)


def day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def test_a_replica_killed_loses_only_its_own_sessions(cluster, browser):
    pages = {}
    for n in (1, 2):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        # as the balancer's cookie would, after a first answer from replica n
        context.add_cookies([{"name": "ca_replica", "value": f"r{n}", "url": cluster.url}])
        pages[n] = context.new_page()
        open_page(pages[n], f"{cluster.url}/support?as=u-cadmin")
        expect(pages[n].get_by_role("heading", level=1)).to_have_text(SUPPORT)
    opened = sessions_opened(replica(cluster, 2))
    killed = cluster.replica_services[0]
    killed.process.send_signal(signal.SIGKILL)
    killed.process.wait()
    try:
        # the other replica's session goes on as if nothing happened
        pages[2].get_by_role("link", name="Enterprise-wide").click()
        wait_for_app(pages[2])
        assert metric(pages[2], "Active contracts") == ACTIVE_THEN
        # the killed one's page reconnects by itself, through the balancer to the other
        # replica, where it opens a new session and is drawn again from its link
        deadline = time.monotonic() + RECONNECT_SECONDS
        while sessions_opened(replica(cluster, 2)) == opened and time.monotonic() < deadline:
            time.sleep(0.25)
        assert sessions_opened(replica(cluster, 2)) == opened + 1
        rerun(pages[1])  # and it goes on there
        expect(pages[1].get_by_role("heading", level=1)).to_have_text(SUPPORT)
        expect(pages[1].get_by_text(re.compile("Data as of 30 Jun 2026"))).to_be_visible()
        expect(pages[1].get_by_text(re.compile("Connecting|Connection error"))).to_have_count(0)
        shot(pages[1], "replicas_after_a_replica_was_killed")
        assert sessions_opened(replica(cluster, 2)) == opened + 1  # the page's new session
        shot(pages[1], "replicas_after_a_replica_was_killed")
    finally:
        cluster.restart_replica(1)
    for page in pages.values():
        page.context.close()


def sessions_opened(url: str) -> int:
    """How many sessions the replica has opened, from its own metrics (which the balancer
    hides from the outside)."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=10) as reply:
        text = reply.read().decode()
    found = re.search(r'^session_events(?:_total)?\{type="connect"\} (\d+)', text, re.MULTILINE)
    assert found, text[:500]
    return int(found.group(1))
