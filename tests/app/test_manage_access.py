"""The manage-access page through AppTest: only admins see it, a grant takes effect for the
person at their next interaction, refusals are plain messages."""

import os
import re
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import pages
from dashboard.ingest import data_home
from dashboard.ingest.importer import import_dataset
from dashboard.query import access_store, state_store
from tests.app.conftest import APP, metrics, plain
from tests.conftest import FIXTURE, FIXTURE_AS_OF

MANAGE_ACCESS = pages.by_path("manage-access").file


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """A data home of its own, since these tests change access."""
    home = tmp_path / "home"
    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    import_dataset(src, home, FIXTURE_AS_OF)
    monkeypatch.setenv(data_home.ENV_VAR, str(home))

    def open_as(user: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        at.query_params["as"] = user
        return at.run()

    return open_as


@pytest.mark.parametrize(("user", "listed"), [("u-cadmin", True), ("u-wsadmin", True),
                                               ("u-act", False), ("u-viewall", False)])  # fmt: skip
def test_only_admins_are_offered_the_page(fresh, user, listed):
    at = fresh(user)
    if listed:
        at.switch_page(MANAGE_ACCESS).run()
        assert not at.exception
        assert at.title[0].value == "Manage access"
    else:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(MANAGE_ACCESS)  # not in this user's navigation at all


def grant(at, person: str, role: str, workspace: str | None = None):
    if workspace:
        at.selectbox(key="access_ws").select(workspace).run()
    form = [s for s in at.selectbox if s.label in ("Person", "Role")]
    form[0].select(person)
    form[1].select(role)
    next(b for b in at.button if b.label == "Grant").click().run()
    return at


def test_a_grant_takes_effect_at_the_persons_next_interaction(fresh, state_backend):
    nora = fresh("u-none")
    assert nora.title[0].value == "No access to Customer Activity"
    admin = fresh("u-wsadmin")
    admin.switch_page(MANAGE_ACCESS).run()
    [roles] = [s for s in admin.selectbox if s.label == "Role"]
    assert roles.options == ["Customer activity", "View all support requests", "Training manager"]
    grant(admin, "u-none", "customer_activity")
    assert not admin.exception
    assert "Customer activity granted for Nora None in Acme Production" in plain(
        admin.success[0].value
    )
    trail = admin.dataframe[-1].value
    assert list(trail["user_name"]) == ["Nora None"] and list(trail["action"]) == ["Granted"]
    assert list(trail["role"]) == ["Customer activity"]
    nora.run()  # her next interaction, same session: no restart, no stale cache
    assert nora.title[0].value == "Enterprise-wide"
    assert metrics(nora)["Active contracts"] == "1"  # K-A, in W1


def test_a_refused_change_says_why(fresh):
    admin = fresh("u-wsadmin")
    admin.switch_page(MANAGE_ACCESS).run()
    grant(admin, "u-wsadmin", "training_manager")
    assert not admin.exception
    assert "cannot grant yourself a role" in plain(admin.error[0].value)


def home() -> Path:
    return Path(os.environ[data_home.ENV_VAR])


def manage(fresh, user: str = "u-wsadmin"):
    at = fresh(user)
    at.switch_page(MANAGE_ACCESS).run()
    assert not at.exception
    return at


def test_a_grant_to_someone_outside_the_workspace_warns_and_needs_confirming(fresh, state_backend):
    admin = manage(fresh)
    grant(admin, "u-train", "customer_activity")  # Tess: no member of W1, no role there
    assert not admin.exception and not admin.success
    warning = plain(admin.warning[0].value)
    assert "Tess Training is not a member of Acme Production" in warning
    assert "Customer activity" in warning and "u-train" not in warning
    assert access_store.changes(home()) == []  # nothing done yet
    next(b for b in admin.button if b.label == "Grant anyway").click().run()
    assert not admin.exception and not admin.warning
    assert "Customer activity granted for Tess Training in Acme Production" in plain(
        admin.success[0].value
    )
    assert [c["user_id"] for c in access_store.changes(home())] == ["u-train"]


def test_a_grant_to_someone_outside_the_workspace_can_be_called_off(fresh, state_backend):
    admin = manage(fresh)
    grant(admin, "u-contact", "training_manager")
    assert "Cole Contact is not a member of Acme Production" in plain(admin.warning[0].value)
    next(b for b in admin.button if b.label == "Cancel").click().run()
    assert not admin.exception and not admin.warning and not admin.success
    assert access_store.changes(home()) == []


@pytest.mark.parametrize("person", ["u-none", "u-viewall"])  # a member; a holder of a role
def test_a_grant_to_someone_in_the_workspace_does_not_warn(fresh, state_backend, person):
    admin = manage(fresh)
    [people] = [s for s in admin.selectbox if s.label == "Person"]
    assert "Nora None" in people.options and not any("(u-" in o for o in people.options)
    grant(admin, person, "training_manager")
    assert not admin.exception and not admin.warning
    assert "Training manager granted for" in plain(admin.success[0].value)
    assert [c["user_id"] for c in access_store.changes(home())] == [person]


@pytest.mark.parametrize(
    ("person", "role", "action", "said"),
    [
        ("u-act", "customer_activity", "Grant",
         "Ada Activity already holds the Customer activity role in Acme Production"),
        ("u-none", "training_manager", "Revoke",
         "Nora None does not hold the Training manager role in Acme Production"),
    ],
)  # fmt: skip
def test_a_refusal_names_the_person_the_role_and_the_workspace(fresh, person, role, action, said):
    admin = manage(fresh)
    form = [s for s in admin.selectbox if s.label in ("Person", "Role")]
    form[0].select(person)
    form[1].select(role)
    next(b for b in admin.button if b.label == action).click().run()
    error = plain(admin.error[0].value)
    assert said in error
    assert person not in error and role not in error


def test_the_audit_trail_gives_times_as_people_read_them(fresh, state_backend):
    access_store.record(home(), "u-wsadmin", "u-none", "W1", "customer_activity", "grant")
    with state_store.write(access_store.STORE, home()) as tx:
        tx.rows("UPDATE changes SET changed_at = '2026-06-30T12:00:00+00:00'")
    admin = manage(fresh)
    trail = admin.dataframe[-1].value
    assert list(trail["changed_at"]) == ["30 Jun 2026, 12:00 UTC"]
    assert list(trail["action"]) == ["Granted"]
    assert list(trail["role"]) == ["Customer activity"]


def test_the_roles_of_people_read_as_text_not_checkboxes(fresh):
    admin = manage(fresh)
    people = admin.dataframe[0]
    rows = {r["display_name"]: r for r in people.value.to_dict("records")}
    assert rows["Walt Wsadmin"]["is_workspace_admin"] == "Yes"
    assert rows["Ada Activity"]["customer_activity"] == "Yes"
    assert rows["Ada Activity"]["is_workspace_admin"] == ""
    assert "checkbox" not in people.proto.columns


@pytest.fixture
def outage(postgres, monkeypatch):
    """The state in a fresh PostgreSQL database, and the server's stop and start (as a restart
    of PostgreSQL would have it), started again at the end whatever happens."""
    from tests.conftest import fresh_database

    monkeypatch.setattr(state_store, "POOL_WAIT_SECONDS", 1.0)
    monkeypatch.setattr(state_store, "DOWN_SECONDS", 2.0)
    monkeypatch.setenv(state_store.ENV_VAR, fresh_database(postgres))

    def run(command):
        subprocess.run(command, capture_output=True, check=False)

    yield lambda: run(postgres.stop_command), lambda: run(postgres.start_command)
    run(postgres.start_command)
    state_store.close_pools()


def test_with_the_state_away_pages_apply_the_last_known_and_grants_are_refused(fresh, outage):
    stop, start = outage
    admin = manage(fresh)
    before = datetime.now(UTC)
    grant(admin, "u-none", "training_manager")
    assert "Training manager granted for Nora None" in plain(admin.success[0].value)
    stop()
    admin.run()
    assert not admin.exception and admin.title[0].value == "Manage access"
    [notice] = [plain(w.value) for w in admin.warning]
    said = re.fullmatch(
        r"Access changes made in the app cannot be read just now: this page applies them as "
        r"they were at (\d\d:\d\d) UTC\.",
        notice,
    )
    # read as the grant's page was drawn, between these two moments
    assert said and said[1] in {f"{before:%H:%M}", f"{datetime.now(UTC):%H:%M}"}
    assert list(admin.dataframe[-1].value["user_name"]) == ["Nora None"]  # the trail as it was
    grant(admin, "u-viewall", "training_manager")
    assert not admin.exception and not admin.success
    [error] = [plain(e.value) for e in admin.error]
    # where the database is goes to the log, not to the page
    assert error == (
        "Not done: the app's state database cannot be reached just now: nothing was changed; "
        "try again in a minute."
    )
    # a process that never read the changes refuses the page, in one line
    access_store._last.clear()
    refused = AppTest.from_file(APP, default_timeout=30)
    refused.query_params["as"] = "u-wsadmin"
    refused.run()
    assert not refused.exception and not refused.metric
    assert [plain(e.value) for e in refused.error] == [
        "Who may see what cannot be read just now: the app's state database cannot be reached, "
        "and this server has not read it since it started. Try again in a minute."
    ]
    start()
    time.sleep(state_store.DOWN_SECONDS)  # reads try the database again
    admin.run()
    assert not admin.warning and not admin.exception
    grant(admin, "u-viewall", "training_manager")
    assert "Training manager granted for Vic Viewall" in plain(admin.success[0].value)
    assert [c["user_id"] for c in access_store.changes(home())] == ["u-none", "u-viewall"]
