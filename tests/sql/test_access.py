"""Managing access: roles granted and revoked in the app, within reach, with an audit trail,
against a fresh copy of the hand-made dataset."""

import shutil
import subprocess
import sys
import threading

import pytest

from dashboard.cli import main
from dashboard.ingest.data_home import PROJECT_ROOT, current_dataset
from dashboard.ingest.importer import import_dataset
from dashboard.query import access_admin, access_store
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.conftest import FIXTURE, FIXTURE_AS_OF


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    return home


@pytest.fixture
def dataset(home):
    return Dataset(current_dataset(home))


def openable(dataset, user):
    return sorted(dataset.run("workspaces", user).get_column("workspace_id").to_list())


def roles(dataset, admin, user, workspace):
    people = dataset.run("access_people", admin)
    row = people.filter((people["user_id"] == user) & (people["workspace_id"] == workspace))
    if row.is_empty():
        return set()
    return {r for r in ("customer_activity", "view_all_support_requests", "training_manager")
            if row.item(0, r)}  # fmt: skip


def test_access_people_lists_members_and_role_holders(dataset):
    people = dataset.run("access_people", "u-wsadmin")
    assert set(people.get_column("workspace_id")) == {"W1"}  # Walt administers W1 only
    # members of W1 (u-wsadmin, u-none, u-act) and holders of a role there
    assert sorted(people.get_column("user_id")) == [
        "u-act", "u-group", "u-none", "u-shared", "u-viewall", "u-wsadmin"
    ]  # fmt: skip
    assert roles(dataset, "u-wsadmin", "u-viewall", "W1") == {
        "customer_activity",
        "view_all_support_requests",
    }
    assert dataset.run("access_people", "u-act").is_empty()  # not an admin anywhere
    assert set(dataset.run("access_people", "u-cadmin").get_column("workspace_id")) == {"W1", "W2"}


def test_access_groups(dataset):
    found = dataset.run("access_groups", "u-cadmin")
    assert sorted(found.select("workspace_id", "group_name", "members").rows()) == [
        ("W1", "Operations team", 1),
        ("W2", "Lab team", 0),
    ]
    assert dataset.run("access_groups", "u-wsadmin").get_column("workspace_id").to_list() == ["W1"]


def test_people_are_those_of_the_viewers_customer(dataset):
    assert len(dataset.run("people", "u-cadmin")) == 10
    assert dataset.run("people", "u-gadmin").get_column("user_id").to_list() == ["u-gadmin"]


def test_people_are_listed_for_admins_only(dataset, capsysbinary):
    # whom to grant a role to: only the manage-access page asks, for those who administer a
    # workspace; anyone else gets no rows, and its export is refused to them
    assert len(dataset.run("people", "u-wsadmin")) == 10
    for user in ("u-act", "u-viewall", "u-train", "u-group", "u-contact", "u-none", "nobody"):
        assert dataset.run("people", user).is_empty(), user
    home = str(dataset.home)
    assert main(["export", "people", "--user", "u-act", "--data", home]) == 1
    err = capsysbinary.readouterr().err.decode("utf-8")
    assert err == "error: u-act is not an admin: people is for admins only\n"
    assert main(["export", "people", "--user", "u-wsadmin", "--data", home]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert "Cara Admin" in out and len(out.splitlines()) == 11  # a header and ten people


def test_grant_opens_the_dashboard_and_revoke_closes_it(dataset, state_backend):
    assert openable(dataset, "u-none") == []
    access_admin.change(dataset, "u-wsadmin", "u-none", "W1", "customer_activity", "grant")
    assert openable(dataset, "u-none") == ["W1"]
    access_admin.change(dataset, "u-cadmin", "u-none", "W1", "customer_activity", "revoke")
    assert openable(dataset, "u-none") == []


def test_revoking_an_imported_grant(dataset, state_backend):
    assert openable(dataset, "u-act") == ["W1", "W2"]
    access_admin.change(dataset, "u-cadmin", "u-act", "W2", "customer_activity", "revoke")
    assert openable(dataset, "u-act") == ["W1"]
    access_admin.change(dataset, "u-cadmin", "u-act", "W2", "customer_activity", "grant")
    assert openable(dataset, "u-act") == ["W1", "W2"]


def test_view_all_granted_in_the_app_shows_support_requests(dataset, state_backend):
    assert dataset.run("support_requests", "u-act").is_empty()
    access_admin.change(dataset, "u-wsadmin", "u-act", "W1", "view_all_support_requests", "grant")
    seen = sorted(dataset.run("support_requests", "u-act").get_column("case_id"))
    assert seen == ["K1", "K10", "K2", "K3", "K4", "K7", "K8"]  # every case of W1


@pytest.mark.parametrize(
    ("by", "user", "workspace", "role", "action", "why"),
    [
        ("u-wsadmin", "u-act", "W2", "customer_activity", "grant", "cannot change roles"),
        ("u-act", "u-none", "W1", "customer_activity", "grant", "cannot change roles"),
        ("u-cadmin", "u-gadmin", "W1", "customer_activity", "grant", "not a person of your"),
        ("u-gadmin", "u-act", "W1", "customer_activity", "grant", "cannot change roles"),
        ("u-wsadmin", "u-wsadmin", "W1", "training_manager", "grant", "cannot grant yourself"),
        ("u-wsadmin", "u-act", "W1", "customer_activity", "grant", "already holds"),
        ("u-wsadmin", "u-none", "W1", "training_manager", "revoke", "does not hold"),
        ("u-wsadmin", "u-none", "W1", "superuser", "grant", "not a role"),
        ("am-ann", "u-none", "W1", "customer_activity", "grant", "account manager grants"),
    ],
)
def test_changes_outside_reach_are_refused(
    dataset, state_backend, by, user, workspace, role, action, why
):
    with pytest.raises(access_admin.AccessRefused, match=why):
        access_admin.change(dataset, by, user, workspace, role, action)
    assert access_store.changes(dataset.home) == []


def test_the_audit_trail(dataset, state_backend):
    access_admin.change(dataset, "u-wsadmin", "u-none", "W1", "customer_activity", "grant")
    access_admin.change(dataset, "u-cadmin", "u-contact", "W2", "training_manager", "grant")
    trail = dataset.run("access_audit", "u-cadmin")
    assert trail.select("changed_by", "action", "role", "user_name", "workspace_name").rows() == [
        ("Cara Admin", "grant", "training_manager", "Cole Contact", "Acme Lab"),
        ("Walt Wsadmin", "grant", "customer_activity", "Nora None", "Acme Production"),
    ]
    assert all(t.endswith("+00:00") for t in trail.get_column("changed_at"))
    # a workspace admin sees the changes in their workspaces only; others see none
    assert dataset.run("access_audit", "u-wsadmin").get_column("workspace_id").to_list() == ["W1"]
    assert dataset.run("access_audit", "u-act").is_empty()
    assert dataset.run("access_audit", "u-gadmin").is_empty()


def test_concurrent_grants_from_two_connections_both_take_effect(dataset, state_backend):
    errors = []

    def grant(user, workspace):
        try:
            other = Dataset(dataset.folder)  # a connection of its own, as another session
            access_admin.change(other, "u-cadmin", user, workspace, "customer_activity", "grant")
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=grant, args=("u-none", "W1")),
               threading.Thread(target=grant, args=("u-viewonly", "W2"))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert openable(dataset, "u-none") == ["W1"]
    assert openable(dataset, "u-viewonly") == ["W2"]
    assert [c["seq"] for c in access_store.changes(dataset.home)] == [1, 2]


def test_changes_survive_a_restart_and_a_reimport(home, dataset, tmp_path, state_backend):
    access_admin.change(dataset, "u-wsadmin", "u-none", "W1", "customer_activity", "grant")
    dataset.close()
    restarted = Dataset(current_dataset(home))
    assert openable(restarted, "u-none") == ["W1"]
    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    import_dataset(src, home, FIXTURE_AS_OF)
    reimported = Dataset(current_dataset(home))
    assert reimported.folder != restarted.folder
    assert openable(reimported, "u-none") == ["W1"]
    assert len(reimported.run("access_audit", "u-cadmin")) == 1


def test_access_version_moves_with_every_change(dataset, state_backend):
    assert dataset.access_version() == 0
    access_admin.change(dataset, "u-wsadmin", "u-none", "W1", "customer_activity", "grant")
    assert dataset.access_version() == 1
    assert dataset.run("contracts", "u-none", Filters()).height == 2  # K-A and K-OLD in W1


def test_first_uses_of_the_access_file_at_once_never_fail(tmp_path):
    """Sessions reading and granting at once while the file is being created: SQLite refuses
    some of them outright ("database is locked", without waiting) unless the set-up is tried
    again. Before it was, about one fresh file in forty lost a grant this way."""
    from dashboard.query import access_store

    for attempt in range(100):
        home = tmp_path / str(attempt)
        errors = []

        def session(n, home=home, errors=errors):
            try:
                for _ in range(3):
                    access_store.changes(home)
                    access_store.version(home)
                access_store.record(home, "u-cadmin", f"u{n}", "W1", "customer_activity", "grant")
            except Exception as error:  # surfaced below
                errors.append(error)

        threads = [threading.Thread(target=session, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sorted(c["user_id"] for c in access_store.changes(home)) == ["u0", "u1", "u2", "u3"]


def test_the_version_sees_changes_from_another_process_and_a_replaced_file(tmp_path):
    """The version is read through a connection kept open: it must still see what another
    process commits after it was opened, and a file put in the old one's place."""
    home = tmp_path / "home"
    assert access_store.version(home) == 0  # no file yet
    access_store.record(home, "u-cadmin", "u-none", "W1", "customer_activity", "grant")
    assert access_store.version(home) == 1
    grant = (
        "import sys; from pathlib import Path; from dashboard.query import access_store; "
        "access_store.record(Path(sys.argv[1]), 'u-cadmin', 'u-act', 'W2', "
        "'customer_activity', 'grant')"
    )
    for expected in (2, 3):
        subprocess.run([sys.executable, "-c", grant, str(home)], check=True, cwd=PROJECT_ROOT)
        assert access_store.version(home) == expected
    other = tmp_path / "other"
    for user in ("a", "b", "c", "d", "e"):
        access_store.record(other, "u-cadmin", user, "W1", "customer_activity", "grant")
    for suffix in ("", "-wal", "-shm"):
        (home / f"access.sqlite{suffix}").unlink(missing_ok=True)
    shutil.copy(other / "access.sqlite", home / "access.sqlite")  # a restored backup, say
    assert access_store.version(home) == 5
