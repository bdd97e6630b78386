"""Meeting snapshots (dashboard/query/snapshots.py) and what changed since one
(dashboard/query/changes.py), on the two meetings of tests/sql/meeting_datasets.py, whose
docstring works out every figure expected here. Snapshots are kept in SQLite and PostgreSQL."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from dashboard.ingest import data_home
from dashboard.query import changes, snapshots
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.sql.meeting_datasets import FIRST, SECOND, first_home, next_meeting

EVERYTHING = Filters()


def opened(home: Path) -> Dataset:
    return Dataset(data_home.current_dataset(home))


def runner(dataset: Dataset, user: str):
    return lambda name, filters, **extra: dataset.run(name, user, filters, **extra)


def snap(home: Path, user: str, filters: Filters = EVERYTHING, reason: str = "pack"):
    dataset = opened(home)
    taken = snapshots.figures(runner(dataset, user), filters)
    return snapshots.take(home, user, filters, dataset.as_of, taken, reason)


def since(home: Path, user: str, snapshot_id: int) -> changes.Changes:
    dataset = opened(home)
    snapshot, then = snapshots.opened(home, user, snapshot_id)
    return changes.since(runner(dataset, user), snapshot, then, dataset.as_of)


@pytest.fixture
def meetings(tmp_path, state_backend):
    """A home with the first meeting's data, a snapshot of u-admin's and of u-lab's of every
    workspace, then the second meeting's data live."""
    home = first_home(tmp_path)
    taken = {user: snap(home, user) for user in ("u-admin", "u-lab")}
    next_meeting(home, tmp_path)
    return home, taken


def rows(frame: pl.DataFrame, key: str, *columns: str) -> dict:
    return {row[0]: row[1:] for row in frame.select(key, *columns).iter_rows()}


def test_a_snapshot_keeps_the_figures_as_they_were(tmp_path, state_backend):
    home = first_home(tmp_path)
    taken = snap(home, "u-admin")
    assert (taken.as_of, taken.reason, taken.user_id) == (FIRST, "pack", "u-admin")
    snapshot, then = snapshots.opened(home, "u-admin", taken.id)
    assert snapshot == taken
    # E4 is a benefit: never counted, so never kept; E3 has no limit: kept without a status
    assert rows(
        then.entitlements, "entitlement_id", "used", "scheduled", "remaining", "status"
    ) == {
        "E1": (50.0, 0.0, 50.0, "on track"),
        "E2": (10.0, 5.0, 35.0, "will leave unused"),
        "E3": (5.0, 0.0, None, None),
        "E5": (10.0, 0.0, 30.0, "will leave unused"),
    }
    assert rows(then.contracts, "contract_number", "state", "days_left") == {
        "CN-1": ("active", 199),
        "CN-2": ("active", 15),
    }
    assert then.contracts["end_date"].to_list() == [date(2026, 12, 31), date(2026, 6, 30)]
    assert then.cases == {"no_entitlement": 1, "all": 1}


def test_the_workbook_and_pdf_of_one_meeting_keep_one_snapshot(tmp_path, state_backend):
    home = first_home(tmp_path)
    first, again = snap(home, "u-admin"), snap(home, "u-admin", reason="button")
    assert again == first
    lab = snap(home, "u-admin", Filters(workspaces=("W2",)))
    dated = snap(home, "u-admin", Filters(date_from=date(2026, 6, 1)))  # dates are no scope
    assert lab.id != first.id and dated == first
    assert [s.id for s in snapshots.listed(home, "u-admin", EVERYTHING)] == [first.id]
    assert [s.id for s in snapshots.listed(home, "u-admin", Filters(workspaces=("W2",)))] == [
        lab.id
    ]
    assert [s.id for s in snapshots.listed(home, "u-admin")] == [lab.id, first.id]


def test_a_snapshot_is_its_takers_own(meetings):
    home, taken = meetings
    assert snapshots.listed(home, "u-lab", EVERYTHING)[0].id == taken["u-lab"].id
    with pytest.raises(snapshots.NotFound, match=f"snapshot {taken['u-admin'].id} is not one"):
        snapshots.opened(home, "u-lab", taken["u-admin"].id)


def test_what_changed_since_the_last_meeting(meetings):
    home, taken = meetings
    found = since(home, "u-admin", taken["u-admin"].id)
    assert (found.snapshot.as_of, found.as_of, found.same_data) == (FIRST, SECOND, False)
    assert rows(
        found.entitlements,
        "entitlement_id",
        "change",
        "used_then",
        "used_now",
        "used_since",
        "remaining_then",
        "remaining_now",
        "status_then",
        "status_now",
    ) == {
        "E1": ("status changed", 50.0, 75.0, 25.0, 50.0, 25.0, "on track",
               "will run out before expiry"),
        "E5": ("status changed", 10.0, 13.0, 3.0, 30.0, 27.0, "will leave unused", "expired"),
        "E6": ("new since", None, 0.0, None, None, 60.0, None, "will leave unused"),
        "E2": ("", 10.0, 15.0, 5.0, 35.0, 35.0, "will leave unused", "will leave unused"),
        "E3": ("", 5.0, 9.0, 4.0, None, None, None, None),
    }  # fmt: skip
    # what changed comes first
    assert found.entitlements["change"].to_list()[:3] == ["status changed"] * 2 + ["new since"]
    assert found.status_changed["entitlement_id"].to_list() == ["E1", "E5"]
    assert rows(found.used_since, "category", "unit", "used_since", "entitlements") == {
        "advisory": ("hours", 4.0, 1),
        "credits": ("credits", 5.0, 1),
        "reactive": ("hours", 28.0, 2),  # E6 is new: its use before is not known
    }
    assert rows(
        found.contracts, "contract_number", "change", "days_left_then", "days_left_now"
    ) == {
        "CN-3": ("new since", None, 350),
        "CN-2": ("ended; renewed by CN-3", 15, -15),
        "CN-1": ("", 199, 169),
    }
    assert rows(found.cases, "reason", "then", "now", "change") == {
        "expired_contract": (0, 2, 2),  # c7, and c3 as its contract has ended since
        "no_entitlement": (1, 2, 1),
        "all": (1, 4, 3),
    }
    assert (found.raised_since, found.unseen) == (2, 0)  # c7 and c8


def test_what_the_viewer_may_no_longer_see_is_left_out(meetings):
    home, taken = meetings
    found = since(home, "u-lab", taken["u-lab"].id)  # u-lab has lost Production (W1) since
    assert rows(found.entitlements, "entitlement_id", "change") == {
        "E5": ("status changed",),
        "E6": ("new since",),
    }
    assert rows(found.contracts, "contract_number", "change") == {
        "CN-3": ("new since",),
        "CN-2": ("ended; renewed by CN-3",),
    }
    assert found.unseen == 4  # E1, E2, E3 and CN-1
    assert found.used_since["used_since"].to_list() == [3.0]


def test_nothing_changed_on_the_same_data(tmp_path, state_backend):
    home = first_home(tmp_path)
    taken = snap(home, "u-admin")
    found = since(home, "u-admin", taken.id)
    assert found.same_data
    assert set(found.entitlements["change"]) == {""}
    assert found.entitlements["used_since"].to_list() == [0.0] * 4
    assert set(found.contracts["change"]) == {""}
    assert found.cases["change"].to_list() == [0, 0]
    assert (found.raised_since, found.unseen) == (0, 0)


def test_the_snapshot_a_meeting_compares_with_is_of_older_data(meetings):
    home, taken = meetings
    assert snapshots.before(snapshots.listed(home, "u-admin", EVERYTHING), FIRST) is None
    newer = snap(home, "u-admin")  # the second meeting's own pack
    listed = snapshots.listed(home, "u-admin", EVERYTHING)
    assert [s.id for s in listed] == [newer.id, taken["u-admin"].id]
    assert snapshots.before(listed, SECOND).id == taken["u-admin"].id
