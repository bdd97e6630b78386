"""Saved views in the app's state (dashboard/query/saved_views.py), in SQLite and in PostgreSQL:
saved, listed, renamed and deleted by their owner only; the refusals, each in one line; names
unique per user whatever their case, but not across users; nothing written, and nothing lost,
while the PostgreSQL server is down."""

import subprocess

import pytest

from dashboard.query import saved_views, state_store
from dashboard.query.saved_views import NameTaken, Refused
from dashboard.query.state_store import StateUnavailable


def names(home, user) -> list[str]:
    return [view.name for view in saved_views.listed(home, user)]


def test_save_list_rename_delete(tmp_path, state_backend):
    home = tmp_path / "home"
    assert saved_views.listed(home, "u-cadmin") == []
    first = saved_views.save(home, "u-cadmin", "  Renewal   W1 ", "renewal", "ws=W1&status=all")
    second = saved_views.save(home, "u-cadmin", "b lab", "start", "ws=W2")
    third = saved_views.save(home, "u-cadmin", "All of Acme", "support", "")
    # the spaces around and inside a name are tidied; listed by name, whatever its case
    assert names(home, "u-cadmin") == ["All of Acme", "b lab", "Renewal W1"]
    assert len({first.id, second.id, third.id}) == 3
    held = {view.id: view for view in saved_views.listed(home, "u-cadmin")}[first.id]
    assert (held.user_id, held.page, held.query) == ("u-cadmin", "renewal", "ws=W1&status=all")
    assert held.params == [("ws", "W1"), ("status", "all")]
    assert held.created_at == held.updated_at

    renamed = saved_views.rename(home, "u-cadmin", second.id, "Lab overview")
    assert (renamed.id, renamed.name, renamed.page, renamed.query) == (
        second.id, "Lab overview", "start", "ws=W2"
    )  # fmt: skip
    assert names(home, "u-cadmin") == ["All of Acme", "Lab overview", "Renewal W1"]
    saved_views.delete(home, "u-cadmin", third.id)
    assert names(home, "u-cadmin") == ["Lab overview", "Renewal W1"]


def test_the_demo_viewer_is_never_saved_and_repeated_names_are_kept(tmp_path, state_backend):
    home = tmp_path / "home"
    view = saved_views.save(
        home, "u-cadmin", "Both", "start", "as=u-cadmin&ws=W1&ws=W2&to=2026-06-30"
    )
    assert view.query == "ws=W1&ws=W2&to=2026-06-30"
    assert view.params == [("ws", "W1"), ("ws", "W2"), ("to", "2026-06-30")]


def test_only_the_owner_renames_or_deletes(tmp_path, state_backend):
    home = tmp_path / "home"
    view = saved_views.save(home, "u-cadmin", "Mine", "renewal", "ws=W1")
    with pytest.raises(Refused, match=r"^That view is not one of yours, or it was deleted\.$"):
        saved_views.rename(home, "u-act", view.id, "Taken over")
    with pytest.raises(Refused, match="not one of yours"):
        saved_views.delete(home, "u-act", view.id)
    assert saved_views.listed(home, "u-act") == []
    assert [(v.id, v.name) for v in saved_views.listed(home, "u-cadmin")] == [(view.id, "Mine")]
    saved_views.delete(home, "u-cadmin", view.id)
    with pytest.raises(Refused, match="or it was deleted"):  # a second click
        saved_views.delete(home, "u-cadmin", view.id)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("", "A saved view needs a name."),
        ("  \t ", "A saved view needs a name."),
        ("x" * 81, "A saved view's name is at most 80 characters, not 81."),
    ],
)
def test_an_empty_or_long_name_is_refused_in_one_line(tmp_path, state_backend, name, said):
    home = tmp_path / "home"
    kept = saved_views.save(home, "u-cadmin", "Kept", "start", "")
    with pytest.raises(Refused) as refusal:
        saved_views.save(home, "u-cadmin", name, "start", "")
    assert str(refusal.value) == said
    with pytest.raises(Refused) as refusal:
        saved_views.rename(home, "u-cadmin", kept.id, name)
    assert str(refusal.value) == said
    assert names(home, "u-cadmin") == ["Kept"]


def test_eighty_characters_are_enough(tmp_path, state_backend):
    home = tmp_path / "home"
    assert saved_views.save(home, "u-cadmin", "y" * 80, "start", "").name == "y" * 80


def test_a_users_names_are_unique_whatever_their_case(tmp_path, state_backend):
    home = tmp_path / "home"
    first = saved_views.save(home, "u-cadmin", "Q3 Review", "renewal", "ws=W1")
    other = saved_views.save(home, "u-cadmin", "Lab", "start", "ws=W2")
    with pytest.raises(NameTaken) as refusal:
        saved_views.save(home, "u-cadmin", "q3 REVIEW", "support", "ws=W2")
    assert str(refusal.value) == "You already have a view named “Q3 Review”."
    # a name folded beyond ASCII, which SQLite's lower() would not fold
    saved_views.save(home, "u-cadmin", "Übersicht", "start", "")
    with pytest.raises(NameTaken):
        saved_views.save(home, "u-cadmin", "übersicht", "start", "")
    with pytest.raises(NameTaken, match="“Q3 Review”"):
        saved_views.rename(home, "u-cadmin", other.id, "Q3 review")
    # nothing changed by the refusals
    held = {v.id: v for v in saved_views.listed(home, "u-cadmin")}
    assert (held[first.id].page, held[first.id].query) == ("renewal", "ws=W1")
    assert held[other.id].name == "Lab"
    # renaming a view to its own name in another case is no clash
    assert saved_views.rename(home, "u-cadmin", first.id, "Q3 REVIEW").name == "Q3 REVIEW"


def test_saving_again_under_a_name_replaces_only_when_asked(tmp_path, state_backend):
    home = tmp_path / "home"
    first = saved_views.save(home, "u-cadmin", "Q3", "renewal", "ws=W1")
    again = saved_views.save(home, "u-cadmin", "q3", "support", "ws=W2", replace=True)
    assert (again.id, again.created_at) == (first.id, first.created_at)
    assert (again.name, again.page, again.query) == ("q3", "support", "ws=W2")
    assert [(v.name, v.page) for v in saved_views.listed(home, "u-cadmin")] == [("q3", "support")]


def test_names_are_a_users_own(tmp_path, state_backend):
    home = tmp_path / "home"
    cara = saved_views.save(home, "u-cadmin", "Renewal", "renewal", "ws=W1&ws=W2")
    walt = saved_views.save(home, "u-wsadmin", "renewal", "renewal", "ws=W1")
    assert cara.id != walt.id
    assert [(v.id, v.query) for v in saved_views.listed(home, "u-cadmin")] == [
        (cara.id, "ws=W1&ws=W2")
    ]
    assert [(v.id, v.query) for v in saved_views.listed(home, "u-wsadmin")] == [(walt.id, "ws=W1")]
    saved_views.delete(home, "u-wsadmin", walt.id)
    assert names(home, "u-cadmin") == ["Renewal"]


def test_names_and_queries_are_bound_never_pasted(tmp_path, state_backend):
    home = tmp_path / "home"
    hostile = "x'); DROP TABLE saved_views; --"
    saved_views.save(home, hostile, hostile, "start", "q=%27%3B+--")
    assert names(home, hostile) == [hostile]
    assert saved_views.listed(home, hostile)[0].params == [("q", "'; --")]


# While the PostgreSQL server is down ------------------------------------------------------------


@pytest.fixture
def server(postgres, monkeypatch):
    """The tests' PostgreSQL server, the state in a fresh database of it (as in
    test_state_store.py), started again at the end if a test left it stopped."""
    from tests.conftest import fresh_database

    monkeypatch.setattr(state_store, "POOL_WAIT_SECONDS", 1.0)
    monkeypatch.setenv(state_store.ENV_VAR, fresh_database(postgres))
    yield postgres
    subprocess.run(postgres.start_command, capture_output=True, check=False)
    state_store.close_pools()


def test_with_the_server_down_nothing_is_written_and_nothing_lost(tmp_path, server):
    home = tmp_path / "home"
    kept = saved_views.save(home, "u-cadmin", "Kept", "renewal", "ws=W1")
    subprocess.run(server.stop_command, capture_output=True, check=True)
    for change in (
        lambda: saved_views.save(home, "u-cadmin", "New", "start", ""),
        lambda: saved_views.save(home, "u-cadmin", "Kept", "start", "", replace=True),
        lambda: saved_views.rename(home, "u-cadmin", kept.id, "Renamed"),
        lambda: saved_views.delete(home, "u-cadmin", kept.id),
    ):
        with pytest.raises(StateUnavailable, match="nothing was changed; try again in a minute"):
            change()
    with pytest.raises(StateUnavailable):
        saved_views.listed(home, "u-cadmin")
    subprocess.run(server.start_command, capture_output=True, check=True)
    # the same process: the pool connects again by itself (a write tries at once; reads wait
    # for DOWN_SECONDS or a write), and the view refused is saved now, the other as it was
    new = saved_views.save(home, "u-cadmin", "New", "start", "")
    assert saved_views.listed(home, "u-cadmin") == [kept, new]
