"""Changed since a snapshot, on Renewal planning and Enterprise-wide, through Streamlit's
AppTest over the two meetings of tests/sql/meeting_datasets.py, whose docstring works out
every figure expected here; and Renewal planning's Save a snapshot button."""

import pytest

from dashboard.app import pages
from dashboard.query import snapshots
from dashboard.query.filters import Filters
from tests.app.conftest import metrics, opener, texts
from tests.sql.meeting_datasets import FIRST, first_home, next_meeting

RENEWAL = pages.by_path("renewal").file
ENTERPRISE = pages.by_path(pages.HOME.url_path).file


def on(open_app, page: str, user: str):
    at = open_app(**{"as": user})
    at.switch_page(page).run()
    assert not at.exception
    return at


def section_figures(at) -> dict[str, str]:
    shown = metrics(at)
    labels = (
        "Hours used since",
        "Credits used since",
        "Status changed",
        "New additional cases",
        "Contracts ended",
        "Contracts renewed",
    )
    return {label: shown[label] for label in labels if label in shown}


def changed_entitlements(at):
    """The Entitlements tab's table: the one with both what changed and the use since."""
    [table] = [d.value for d in at.dataframe if {"change", "used_since"} <= set(d.value.columns)]
    return table


@pytest.fixture
def first(monkeypatch, tmp_path):
    home = first_home(tmp_path)
    return home, opener(monkeypatch, home)


def test_no_snapshot_yet_says_how_to_keep_one(first):
    _, open_app = first
    at = on(open_app, RENEWAL, "u-admin")
    assert "No snapshot of this selection yet" in texts(at)
    assert section_figures(at) == {}


def test_the_button_keeps_a_snapshot_of_the_selection(first):
    home, open_app = first
    at = on(open_app, RENEWAL, "u-admin")
    at = at.button(key="snapshot_take").click().run()
    assert not at.exception
    [kept] = snapshots.listed(home, "u-admin", Filters())
    assert (kept.reason, kept.as_of) == ("button", FIRST)
    assert f"Snapshot #{kept.id} kept: the figures of the data as of 15 Jun 2026." in [
        s.value for s in at.success
    ]
    # offered at once; of the same data, so nothing changed
    assert at.selectbox(key="changes_since").value == kept.id
    assert "The data is still as of 15 Jun 2026" in texts(at)
    assert section_figures(at)["Status changed"] == "0"


@pytest.fixture
def second(monkeypatch, tmp_path):
    """The first meeting's snapshot of u-admin's and u-lab's, then the second meeting's data."""
    home = first_home(tmp_path)
    for user in ("u-admin", "u-lab"):
        open_app = opener(monkeypatch, home)
        at = on(open_app, RENEWAL, user)
        at.button(key="snapshot_take").click().run()
    next_meeting(home, tmp_path)
    return opener(monkeypatch, home)


EXPECTED = {
    "Hours used since": "32",  # reactive 25 + 3, advisory 4
    "Credits used since": "5",
    "Status changed": "2",  # E1, E5
    "New additional cases": "2",  # c7, c8
    "Contracts ended": "1",  # CN-2
    "Contracts renewed": "1",  # CN-2, by CN-3
}


@pytest.mark.parametrize("page", [RENEWAL, ENTERPRISE])
def test_what_changed_since_the_last_meeting(second, page):
    at = on(second, page, "u-admin")
    assert section_figures(at) == EXPECTED
    said = texts(at)
    assert "From the data as of 15 Jun 2026 to the data as of 15 Jul 2026." in said
    assert "no longer visible" not in said
    entitlements = changed_entitlements(at)
    rows = list(zip(entitlements["name"], entitlements["change"], strict=True))
    assert rows == [
        ("Reactive E1", "status changed"),
        ("Reactive E5", "status changed"),
        ("Reactive E6", "new since"),
        ("Advisory E3", ""),
        ("Credits E2", ""),
    ]


def test_what_the_viewer_may_no_longer_see_is_left_out(second):
    at = on(second, RENEWAL, "u-lab")  # u-lab has lost Production (W1) since
    assert section_figures(at) == {
        "Hours used since": "3",
        "Status changed": "1",
        "New additional cases": "0",  # u-lab sees no case (none is theirs)
        "Contracts ended": "1",
        "Contracts renewed": "1",
    }
    assert "4 entitlements and contracts of the snapshot are no longer visible to you" in texts(at)
    names = changed_entitlements(at)["name"].to_list()
    assert names == ["Reactive E5", "Reactive E6"]
