"""Pace, sizing and the term comparison on the Renewal planning page, over the dataset of
tests/sql/test_sizing.py (its docstring works the answers out)."""

import pytest

from dashboard.app import pages
from tests.app.conftest import opener, texts
from tests.sql.test_sizing import build

RENEWAL = pages.by_path("renewal").file


@pytest.fixture(scope="module")
def sizing_home(tmp_path_factory):
    return build(tmp_path_factory.mktemp("sizing-page"))


@pytest.fixture
def renewal(monkeypatch, sizing_home):
    at = opener(monkeypatch, sizing_home)(**{"as": "u-admin", "status": "all"})
    at.switch_page(RENEWAL).run()
    assert not at.exception
    assert not at.error
    return at


def table_with(at, name):
    return next(df.value for df in at.dataframe if name in df.value.columns)


def test_the_suggestion_and_its_arithmetic_are_shown(renewal):
    sizing = table_with(renewal, "suggestion")
    by_name = {n: (s, a) for n, s, a in zip(sizing["name"], sizing["suggestion"],
                                            sizing["arithmetic"], strict=True)}  # fmt: skip
    # 200 in 146 of 365 days: 500; 72 in the last 90 days: 292
    assert by_name["E-RANGE"] == (
        "500 (last 90 days: 292)",
        "used 200 hours in 146 of 365 days → 500 for a year; last 90 days: 72 → 292",
    )
    # 100 in 73 of 365 days: 500; its last 90 days are its 73
    assert by_name["E-AVG"][0] == "500 (last 90 days: 500)"
    assert by_name["E-AVG"][1].endswith("last 73 days: 100 → 500")
    assert by_name["E-NEW"] == (
        "too little history",
        "used 20 hours in 29 of 365 days (at least 30 days needed)",
    )
    assert by_name["E-FEW"] == (
        "too little history",
        "used 100 hours in 181 of 365 days, from 2 usage events (at least 3 needed)",
    )
    # 30 days elapsed is enough: 30 in 30 of 365 days, and the last 90 days are those 30
    assert by_name["E-EDGE"] == (
        "365 (last 90 days: 365)",
        "used 30 hours in 30 of 365 days → 365 for a year; last 30 days: 30 → 365",
    )
    assert "too little history to suggest anything" in texts(renewal)


def test_the_previous_term_is_compared_like_for_like(renewal):
    compared = table_with(renewal, "used_previous_term_same_share")
    assert list(compared["contract_number"].unique()) == ["CN-T2"]  # CN-T3 is upcoming
    row = compared[compared["category"] == "Proactive services"].iloc[0]
    assert (row["used_this_term"], row["used_previous_term_same_share"]) == (45, 30)
    assert (row["change_in_use"], row["used_previous_term"]) == (15, 120)
    assert "Like for like" in texts(renewal)
