"""Roles granted and revoked in the app belong to the customer of their workspace: a query binds
only its viewer's customer's changes, and a change clears only that customer's kept and cached
results. In the hand-made dataset W1 and W2 are Acme's (C1), W3 Globex's (C2, u-gadmin)."""

import pytest

from dashboard.app import results
from dashboard.ingest.data_home import current_dataset
from dashboard.ingest.importer import import_dataset
from dashboard.query import access_admin, access_store, sql_files, state_store
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.conftest import FIXTURE, FIXTURE_AS_OF

MANY = 2_000


@pytest.fixture
def dataset(tmp_path, state_backend):
    home = tmp_path / "home"
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    return Dataset(current_dataset(home))


def record_many(home, workspace: str, n: int = MANY) -> None:
    """`n` grants in `workspace`, as access_store records them, in one transaction (one at a
    time, each committed to disk, they would take seconds)."""
    access_store.record(home, "u-cadmin", "u-x0", workspace, "customer_activity", "grant")
    with state_store.write(access_store.STORE, home) as tx:
        tx.many(
            "INSERT INTO changes (changed_at, by_user, user_id, workspace_id, role, action) "
            "VALUES ('2026-06-30T00:00:00+00:00', 'u-cadmin', ?, ?, 'customer_activity', 'grant')",
            [(f"u-x{i}", workspace) for i in range(1, n)],
        )
    assert len(access_store.changes(home)) == n


def app_changes_seen(dataset, viewer: str) -> int:
    """How many rows the layer's relation of app changes holds for a query of `viewer`, with
    what the runner binds for it."""
    values = dataset._values(sql_files.load("access_audit"), viewer, None, {})
    sql = sql_files.compose("SELECT count(*) FROM _app_changes")
    cursor = dataset._con.cursor()
    try:
        return cursor.execute(sql, {"access_changes": values["access_changes"]}).fetchone()[0]
    finally:
        cursor.close()


@pytest.fixture
def bound(monkeypatch):
    """The access changes the runner binds, per query run: [(viewer, changes)]."""
    seen: list[tuple[str, list]] = []
    original = Dataset._values

    def values(self, query, viewer, filters, extra):
        found = original(self, query, viewer, filters, extra)
        if "access_changes" in found:
            seen.append((viewer, found["access_changes"]))
        return found

    monkeypatch.setattr(Dataset, "_values", values)
    return seen


def test_a_query_binds_none_of_another_customers_changes(dataset, bound):
    record_many(dataset.home, "W1")  # Acme's
    assert dataset.run("support_requests", "u-gadmin").get_column("case_id").to_list() == ["K20"]
    assert dataset.run("contracts", "u-gadmin").get_column("contract_id").to_list() == ["K-G"]
    assert dataset.run("access_audit", "u-gadmin").is_empty()
    assert [viewer for viewer, _ in bound] == ["u-gadmin"] * 3
    assert all(changes == [] for _, changes in bound)
    assert app_changes_seen(dataset, "u-gadmin") == 0
    # an Acme viewer binds every one of Acme's
    bound.clear()
    assert dataset.run("access_audit", "u-cadmin").height == MANY
    assert [len(changes) for _, changes in bound] == [MANY]
    assert app_changes_seen(dataset, "u-cadmin") == MANY
    assert app_changes_seen(dataset, "u-act") == MANY  # not an admin: the same roles apply


def test_a_change_recomputes_only_its_own_customers_kept_and_cached_results(dataset, monkeypatch):
    record_many(dataset.home, "W1")
    kept: list[tuple[str, str]] = []
    compute_kept = Dataset._compute_kept

    def counted_kept(self, query, values):
        kept.append((values["viewer"], query.name))
        return compute_kept(self, query, values)

    monkeypatch.setattr(Dataset, "_compute_kept", counted_kept)
    cached: list[tuple[str, str]] = []
    rows = results._rows

    def counted_rows(dataset, name, viewer, *rest):
        cached.append((viewer, name))
        return rows(dataset, name, viewer, *rest)

    monkeypatch.setattr(results, "_rows", counted_rows)
    results.forget_results()
    pages = ("contracts", "support_requests", "package_entitlements")

    def draw(viewer: str) -> dict[str, list]:
        return {name: results.run_cached(dataset, viewer, name, Filters()).rows() for name in pages}

    def keys(viewer: str) -> list[tuple]:
        return [results._key(dataset, name, viewer, Filters(), ()) for name in pages]

    before = {viewer: draw(viewer) for viewer in ("u-gadmin", "u-cadmin")}
    globex_keys, acme_keys = keys("u-gadmin"), keys("u-cadmin")
    assert {viewer for viewer, _ in kept} == {"u-gadmin", "u-cadmin"}
    kept.clear()
    cached.clear()

    access_admin.change(dataset, "u-cadmin", "u-none", "W1", "customer_activity", "grant")
    kept.clear()  # what the change's own checks computed
    cached.clear()

    # Globex's results are neither cached anew nor kept anew ...
    assert draw("u-gadmin") == before["u-gadmin"]
    assert keys("u-gadmin") == globex_keys
    assert kept == [] and cached == []
    # ... while Acme's are computed again, with the change in them
    assert draw("u-cadmin") == before["u-cadmin"]
    assert keys("u-cadmin") != acme_keys
    assert {viewer for viewer, _ in kept} == {"u-cadmin"} and "openable_workspaces" in {
        name for _, name in kept
    }
    assert sorted(cached) == sorted(("u-cadmin", name) for name in pages)


def test_a_change_takes_effect_at_once_for_its_own_customers_viewers(dataset):
    record_many(dataset.home, "W1")
    results.forget_results()

    def openable(viewer: str) -> list[str]:
        found = results.run_cached(dataset, viewer, "workspaces", Filters())
        return sorted(found.get_column("workspace_id"))

    assert openable("u-none") == [] and openable("u-gadmin") == ["W3"]
    assert dataset.access_version("u-none") == MANY
    assert dataset.access_version("u-gadmin") == 0
    seq = access_admin.change(dataset, "u-wsadmin", "u-none", "W1", "customer_activity", "grant")
    # the version of Acme's viewers is this change's number: their next page computes anew
    assert dataset.access_version("u-none") == dataset.access_version("u-cadmin") == seq
    assert dataset.access_version("u-gadmin") == 0
    assert openable("u-none") == ["W1"]
    assert sorted(dataset.run("contracts", "u-none").get_column("contract_id")) == ["K-A", "K-OLD"]
    access_admin.change(dataset, "u-cadmin", "u-none", "W1", "customer_activity", "revoke")
    assert openable("u-none") == []
    assert openable("u-gadmin") == ["W3"]


def test_the_store_reads_the_changes_and_version_of_some_workspaces(tmp_path, state_backend):
    home = tmp_path / "home"
    assert access_store.changes(home, ["W1"]) == [] and access_store.version(home, ["W1"]) == 0
    record_many(home, "W1", 5)
    last = access_store.record(home, "u-gadmin", "u-g", "W3", "training_manager", "grant")
    assert [c["user_id"] for c in access_store.changes(home, ["W3"])] == ["u-g"]
    assert len(access_store.changes(home, ("W1", "W2"))) == 5
    assert access_store.changes(home, []) == []
    assert access_store.version(home, ["W1", "W2"]) == 5
    assert access_store.version(home, ["W3"]) == last == access_store.version(home) == 6
    assert access_store.version(home, ["W9"]) == 0 and access_store.version(home, []) == 0
