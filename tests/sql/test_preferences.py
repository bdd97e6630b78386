"""A signed-in user's language, remembered in the app's state (dashboard/query/preferences.py), in
SQLite and in PostgreSQL: none until chosen, the last choice kept, one user's never another's."""

import pytest

from dashboard.query import preferences


def test_a_language_is_remembered_per_user(tmp_path, state_backend):
    home = tmp_path / "home"
    assert preferences.language(home, "u-cadmin") is None
    preferences.choose_language(home, "u-cadmin", "pl")
    assert preferences.language(home, "u-cadmin") == "pl"
    assert preferences.language(home, "u-act") is None
    preferences.choose_language(home, "u-cadmin", "en")  # chosen again: the last choice holds
    preferences.choose_language(home, "u-act", "pl")
    assert preferences.language(home, "u-cadmin") == "en"
    assert preferences.language(home, "u-act") == "pl"


def test_a_language_not_offered_is_refused_and_nothing_is_written(tmp_path, state_backend):
    home = tmp_path / "home"
    with pytest.raises(ValueError, match="no such language: 'xx'"):
        preferences.choose_language(home, "u-cadmin", "xx")
    assert preferences.language(home, "u-cadmin") is None
