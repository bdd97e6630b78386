"""Renewal status and lapsed workspaces on the Enterprise-wide page, over the dataset of
tests/sql/test_renewals.py (its docstring works the answers out), and over the hand-made one."""

import pytest

from tests.app.conftest import opener, plain, texts
from tests.sql.test_renewals import HIDDEN, build


@pytest.fixture(scope="module")
def renewals_home(tmp_path_factory):
    return build(tmp_path_factory.mktemp("renewals-page"))


@pytest.fixture
def page(monkeypatch, renewals_home):
    return opener(monkeypatch, renewals_home)


def figure(at, label):
    return next(m for m in at.metric if m.label == label)


def table_with(at, name):
    return next(df.value for df in at.dataframe if name in df.value.columns)


def cells(column) -> list:
    """A column of a grid as values, an empty cell as None."""
    return [None if column.isna()[i] else v for i, v in enumerate(column)]


def test_the_next_contract_to_end_skips_the_renewed_ones(page):
    at = page(**{"as": "u-admin"})
    assert not at.exception
    soonest = figure(at, "Soonest contract end")
    # CN-A (31 days) and CN-B (46) are renewed: CN-C, 77 days, ends first of the others
    assert soonest.value == "77 days"
    assert plain(soonest.proto.delta) == "CN-C"
    assert "CN-C" in plain(soonest.help) and "15 Sep 2026" in soonest.help
    contracts = table_with(at, "renewed_by")
    assert list(contracts["contract_number"]) == ["CN-A", "CN-B", "CN-C", "CN-E"]
    assert cells(contracts["renewed_by"]) == ["CN-AN", "CN-BN", "Not renewed", "CN-EN"]
    assert list(contracts["expiring_soon"]) == ["", "", "Yes", ""]  # as text, not checkboxes


def test_a_renewal_the_viewer_may_not_see_is_not_named(page):
    at = page(**{"as": "u-ws"})
    assert not at.exception
    assert figure(at, "Soonest contract end").value == "77 days"
    contracts = table_with(at, "renewed_by")
    assert cells(contracts["renewed_by"]) == ["CN-AN", HIDDEN, "Not renewed", HIDDEN]
    shown = "\n".join(df.value.to_csv() for df in at.dataframe) + texts(at)
    assert "CN-BN" not in shown and "CN-EN" not in shown


def test_the_soonest_end_when_every_contract_is_renewed_or_none_is_active(page):
    at = page(**{"as": "u-admin", "contract": "KA"})  # KA alone: renewed by CN-AN
    assert figure(at, "Soonest contract end").value == "All renewed"
    at = page(**{"as": "u-ws", "ws": "WL"})  # Old Lab: no active contract
    assert figure(at, "Soonest contract end").value == "—"


def test_lapsed_workspaces_listed_as_the_viewer_may_see_them(page):
    at = page(**{"as": "u-admin"})
    assert "Lapsed workspaces" in [s.value for s in at.subheader]
    lapsed = table_with(at, "last_contract_number")
    assert list(lapsed["workspace_name"]) == ["Secret", "Old Lab"]
    assert list(lapsed["support_requests"]) == [1, 3]
    at = page(**{"as": "u-ws"})
    lapsed = table_with(at, "last_contract_number")
    assert list(lapsed["workspace_name"]) == ["Old Lab"]  # u-ws cannot open Secret (WS)
    assert list(lapsed["support_requests"]) == [1]  # L1, its own
    assert "Secret" not in "\n".join(df.value.to_csv() for df in at.dataframe) + texts(at)


def test_packages_expiring_soon_are_listed(page):
    at = page(**{"as": "u-admin"})
    assert figure(at, "Packages expiring soon").value == "1"
    listed = next(e for e in at.expander if e.label.startswith("Packages expiring soon"))
    assert plain(listed.markdown[0].value) == "- CN-C · Support C: ends 15 Sep 2026, 77 days left"


def test_no_lapsed_section_without_a_lapsed_workspace(app):
    at = app(**{"as": "u-cadmin"})  # the hand-made dataset: W1, W2 and W3 all have active ones
    assert not at.exception
    assert "Lapsed workspaces" not in [s.value for s in at.subheader]
    # none of K-B (77 days), K-A, K-NULL is renewed (K-A renews K-OLD, which has expired)
    soonest = figure(at, "Soonest contract end")
    assert (soonest.value, plain(soonest.proto.delta)) == ("77 days", "CN-200")
