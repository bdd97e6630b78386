"""Who sees what: every visibility path of the contract against the hand-made fixture."""

import pytest

from dashboard.query.filters import Filters


def ids(frame, column):
    return sorted(frame.get_column(column).to_list())


@pytest.mark.parametrize(
    ("user", "workspaces"),
    [
        ("u-cadmin", ["W1", "W2"]),  # customer admin: every workspace of the customer
        ("u-wsadmin", ["W1"]),  # workspace admin of W1; a plain member of W2
        ("u-act", ["W1", "W2"]),  # customer_activity in both
        ("u-viewall", ["W1"]),
        ("u-train", ["W2"]),
        ("u-group", ["W1"]),
        ("u-shared", ["W1"]),
        ("u-contact", ["W2"]),
        ("u-none", []),  # a member with no role
        ("u-viewonly", []),  # view_all_support_requests alone opens nothing
        ("u-gadmin", ["W3"]),  # the other customer's admin
        ("nobody", []),  # not a user at all
    ],
)
def test_openable_workspaces(tiny, user, workspaces):
    assert ids(tiny.run("workspaces", user), "workspace_id") == workspaces


def test_workspace_rights(tiny):
    rows = {r["workspace_id"]: r for r in tiny.run("workspaces", "u-viewall").iter_rows(named=True)}
    assert rows["W1"]["sees_all_cases"] and not rows["W1"]["is_admin"]
    train = tiny.run("workspaces", "u-train").row(0, named=True)
    assert train["sees_learners"] and not train["sees_all_cases"]
    assert tiny.run("workspaces", "u-wsadmin").row(0, named=True)["is_admin"]


@pytest.mark.parametrize(
    ("user", "filters", "contracts"),
    [
        ("u-cadmin", Filters(), ["K-A", "K-B", "K-NULL", "K-OLD", "K-UP"]),
        # a contract mapped to no workspace is in view only when no workspace is picked
        ("u-cadmin", Filters(workspaces=("W1",)), ["K-A", "K-OLD"]),
        ("u-cadmin", Filters(workspaces=("W1", "W2")), ["K-A", "K-B", "K-OLD", "K-UP"]),
        ("u-act", Filters(), ["K-A", "K-B", "K-OLD", "K-UP"]),  # never the unmapped one
        ("u-wsadmin", Filters(), ["K-A", "K-OLD"]),
        ("u-train", Filters(), ["K-B", "K-UP"]),
        ("u-none", Filters(), []),
        ("u-gadmin", Filters(), ["K-G"]),
        # a workspace the viewer cannot open adds nothing
        ("u-wsadmin", Filters(workspaces=("W2",)), []),
        ("u-gadmin", Filters(workspaces=("W1",)), []),
    ],
)
def test_contracts_in_view(tiny, user, filters, contracts):
    assert ids(tiny.run("contracts", user, filters), "contract_id") == contracts


CASES_BY_USER = {
    "u-cadmin": ["K1", "K10", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9"],
    "u-wsadmin": ["K1", "K10", "K2", "K3", "K4", "K7", "K8"],  # every case of W1
    "u-act": [],  # can open W1 and W2 but no rule lets them see a case
    "u-viewall": ["K1", "K10", "K2", "K3", "K4", "K7", "K8"],
    "u-train": ["K6"],  # primary contact
    "u-group": ["K1", "K10", "K2", "K3", "K4", "K7", "K8"],  # group with access to W1
    "u-shared": ["K3"],  # K6 is shared too, but in W2, which they cannot open
    "u-contact": ["K5", "K9"],
    "u-none": [],
    "u-viewonly": [],
    "u-gadmin": ["K20"],
}
HIDDEN_BY_USER = {
    "u-cadmin": 0,
    "u-wsadmin": 0,
    "u-act": 10,
    "u-viewall": 0,
    "u-train": 2,
    "u-group": 0,
    "u-shared": 6,
    "u-contact": 1,
    "u-none": 0,
    "u-viewonly": 0,
    "u-gadmin": 0,
}


@pytest.mark.parametrize("user", sorted(CASES_BY_USER))
def test_support_requests_visible(tiny, user):
    assert ids(tiny.run("support_requests", user), "case_id") == CASES_BY_USER[user]


@pytest.mark.parametrize("user", sorted(HIDDEN_BY_USER))
def test_hidden_support_requests_are_counted(tiny, user):
    counts = tiny.run("support_request_counts", user).row(0, named=True)
    assert counts["hidden"] == HIDDEN_BY_USER[user]
    assert counts["visible"] == len(CASES_BY_USER[user])


def test_nothing_of_another_customer(tiny):
    for name in ("contracts", "packages", "package_entitlements", "support_requests"):
        text = tiny.run(name, "u-cadmin", Filters(status="all")).write_csv()
        assert "K-G" not in text and "W3" not in text and "Globex" not in text
        text = tiny.run(name, "u-gadmin", Filters(status="all")).write_csv()
        assert "K-A" not in text and "W1" not in text and "Acme" not in text
