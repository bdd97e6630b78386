"""A support request a viewer may see may be booked against a contract they may not see: K8 (W1)
against K-NULL, mapped to no workspace (only customer admins see those), and K6 (W2) against
K-A, mapped to W1. Its row then names no contract: id, number and name are null, and `contract`
says so in words. Customer admins see every contract named."""

import pytest

from dashboard.cli import main
from dashboard.query import sql_files
from dashboard.query.filters import Filters

HIDDEN = "a contract you cannot see"
EVERY = Filters(status="all")
CASE_LISTS = ("support_requests", "additional_cases")


def contract_of(tiny, name, user, case_id, key="case_id"):
    rows = tiny.run(name, user, EVERY).filter(tiny.run(name, user, EVERY)[key] == case_id)
    assert rows.height == 1, (name, user, case_id)
    return rows.row(0, named=True)


@pytest.mark.parametrize("name", CASE_LISTS)
@pytest.mark.parametrize(("user", "case_id"), [("u-wsadmin", "K8"), ("u-viewall", "K8"),
                                               ("u-group", "K8"), ("u-train", "K6")])  # fmt: skip
def test_a_case_names_no_contract_the_viewer_may_not_see(tiny, name, user, case_id):
    row = contract_of(tiny, name, user, case_id)
    assert row["contract_id"] is None
    assert row["contract"] == HIDDEN
    if name == "additional_cases":  # still booked against a contract: not "no_entitlement"
        assert row["reasons"] == "unmapped_contract"


@pytest.mark.parametrize(("user", "case_id"), [("u-wsadmin", "K8"), ("u-train", "K6")])
def test_proof_of_delivery_holds_no_case_of_a_contract_the_viewer_may_not_see(tiny, user, case_id):
    """Proof of delivery holds what was booked against the contracts in view: a case the viewer
    may see on a contract they may not see is not in it, nor in its totals."""
    items = tiny.run("proof_of_delivery", user, EVERY)
    assert case_id not in set(items.get_column("reference"))
    assert HIDDEN not in set(items.get_column("contract"))
    totals = tiny.run("proof_of_delivery_totals", user, EVERY)
    reactive = totals.filter(totals["category"] == "reactive").row(0, named=True)
    if user == "u-wsadmin":  # K-A and K-OLD: K1 10 + K2 25.5 + K6 4 (hidden) + K7 3; not K8's 2
        assert (reactive["items"], reactive["quantity"], reactive["hidden"]) == (4, 42.5, 1)
    else:  # K-B and K-UP: K5 12, which Tess may not see; not K6's 4
        assert (reactive["items"], reactive["quantity"], reactive["hidden"]) == (1, 12, 1)


def test_contracts_the_viewer_may_see_are_named(tiny):
    for name in CASE_LISTS:
        row = contract_of(tiny, name, "u-wsadmin", "K7")
        assert (row["contract_id"], row["contract"]) == ("K-OLD", "CN-090")
        assert contract_of(tiny, name, "u-wsadmin", "K4")["contract"] is None  # no contract
    row = contract_of(tiny, "support_requests", "u-wsadmin", "K1")
    assert (row["contract_id"], row["contract"]) == ("K-A", "CN-100")
    row = contract_of(tiny, "proof_of_delivery", "u-wsadmin", "K1", key="reference")
    assert (row["contract_number"], row["contract"]) == ("CN-100", "CN-100")


def test_a_customer_admin_sees_every_contract_named(tiny):
    for name in CASE_LISTS:
        row = contract_of(tiny, name, "u-cadmin", "K8")
        assert (row["contract_id"], row["contract"]) == ("K-NULL", "CN-400")
        row = contract_of(tiny, name, "u-cadmin", "K6")
        assert (row["contract_id"], row["contract"]) == ("K-A", "CN-100")
    row = contract_of(tiny, "proof_of_delivery", "u-cadmin", "K8", key="reference")
    assert (row["contract_number"], row["contract"]) == ("CN-400", "CN-400")


# Every contract of Acme (C1): id, number and name.
ACME_CONTRACTS = {
    "K-A": ("CN-100", "Acme Unified 2026"),
    "K-OLD": ("CN-090", "Acme Unified 2025"),
    "K-B": ("CN-200", "Acme Lab Support"),
    "K-UP": ("CN-300", "Acme Lab 2027"),
    "K-NULL": ("CN-400", "Acme Unassigned"),
}
ENTITLEMENTS = ("E-REA", "E-NREA", "E-BREA", "E-PRO", "E-EDU", "E-CRD")


NOT_ADMINS = ("u-wsadmin", "u-act", "u-viewall", "u-train", "u-group", "u-shared", "u-contact")


def test_no_query_names_a_contract_the_viewer_may_not_see(tiny):
    for user in NOT_ADMINS:
        no_hidden_contract_named(tiny, user)


def no_hidden_contract_named(tiny, user):
    """No cell of any query's rows for `user` is the id, number or name of an Acme contract
    they may not see."""
    seen = set(tiny.run("contracts", user, EVERY).get_column("contract_id"))
    assert seen != set(ACME_CONTRACTS)  # each of them misses one at least
    hidden = {
        text
        for contract_id, named in ACME_CONTRACTS.items()
        if contract_id not in seen
        for text in (contract_id, *named)
    }
    for name in sql_files.names():
        parameters = sql_files.load(name).parameters
        if "email" in parameters:  # signing in: no contract
            continue
        runs = [{"entitlement": e} for e in ENTITLEMENTS] if "entitlement" in parameters else [{}]
        for extra in runs:
            frame = tiny.run(name, user, EVERY, **extra)
            cells = {v for column in frame.iter_columns() for v in column.to_list()}
            assert not cells & hidden, (user, name, extra, sorted(cells & hidden))


@pytest.mark.parametrize("name", ["support_requests", "additional_cases", "proof_of_delivery"])
def test_the_export_names_no_contract_the_viewer_may_not_see(capsysbinary, tiny_home, name):
    code = main(["export", name, "--user", "u-wsadmin", "--status", "all",
                 "--data", str(tiny_home)])  # fmt: skip
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert code == 0
    # K8, on K-NULL: named so in the case lists; not in proof of delivery, which holds what was
    # booked against the contracts in view
    assert (HIDDEN in out) == (name != "proof_of_delivery")
    assert not [text for text in ("K-NULL", "CN-400", "Acme Unassigned") if text in out]
    code = main(["export", name, "--user", "u-cadmin", "--status", "all",
                 "--data", str(tiny_home)])  # fmt: skip
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert code == 0
    assert "CN-400" in out and HIDDEN not in out
