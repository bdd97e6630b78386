"""Proof of delivery reconciles: its totals are the contract's, whatever workspaces are picked,
and each category's quantity is what its entitlements used plus what was booked against the
contract but no entitlement (`no_package`).

Worked by hand from the hand-made dataset (tests/fixtures/tiny/*.csv; ANSWERS.md)."""

from datetime import date

import pytest

from dashboard.query.filters import Filters

K_A = {
    # category: (items, quantity, hidden from Ada, no package)
    "proactive": (3, 36, 0, 0),  # D1 8, D2 16 (E-PRO), D7 12 (E-WS); D3 scheduled, D4 cancelled
    "credits": (2, 9, 0, 0),  # D5 4 (E-CRD), D9 5 (E-OC, an expired add-on: delivered)
    "reactive": (3, 39.5, 3, 0),  # K1 10, K2 25.5, K6 4 (raised in W2): all E-REA
    "advisory": (2, 14, 2, 0),  # K3 8 (E-ADV), K10 6 (E-UNL)
    "education": (3, 3, 0, 0),  # N1, N2, N4; N3 cancelled
    "assessments": (2, 2, 0, 0),  # A1 completed, A2 in progress; A3 cancelled, A4 not begun
}
K_B = {
    "reactive": (1, 12, 0, 0),  # K5 (E-BREA)
    "advisory": (1, 0.5, 0, 0.5),  # K9: against K-B, no entitlement
    "education": (3, 3, 0, 0),  # N5, N6, N7 (E-BEDU)
    "credits": (1, 3, 0, 0),  # D11 (E-BCR, the lab's add-on)
}


def totals(tiny, user, filters) -> dict[str, tuple]:
    frame = tiny.run("proof_of_delivery_totals", user, filters)
    return {r["category"]: (r["items"], r["quantity"], r["hidden"], r["no_package"])
            for r in frame.iter_rows(named=True)}  # fmt: skip


@pytest.mark.parametrize(
    ("user", "contract", "picks", "expected", "listed"),
    [
        # Ada holds customer_activity in W1 and W2 and sees no support request: K-A's 5 hidden
        ("u-act", "K-A", [("W1",), ("W1", "W2"), ()], K_A, 15 - 5),
        ("u-cadmin", "K-B", [("W2",), ("W1", "W2"), ()], K_B, 6),
    ],
)
def test_a_contracts_totals_and_list_are_the_same_whatever_workspaces_are_picked(
    tiny, user, contract, picks, expected, listed
):
    lists = []
    for picked in picks:
        filters = Filters(workspaces=picked, contract=contract, status="all")
        assert totals(tiny, user, filters) == expected, picked
        items = tiny.run("proof_of_delivery", user, filters)
        assert items.height == listed, picked
        lists.append(items)
    assert all(items.equals(lists[0]) for items in lists)


def test_the_package_filters_do_not_move_the_totals_either(tiny):
    for package, status in (("P-A2", "active"), ("P-A3", "inactive"), (None, "active")):
        filters = Filters(workspaces=("W1",), contract="K-A", package=package, status=status)
        assert totals(tiny, "u-act", filters) == K_A, package


def test_no_package_and_hidden_follow_the_date_range_and_the_viewer(tiny):
    # from June on K-B: K9 (15 June, no entitlement: all its 0.5 hours) and D11 (15 June)
    june = Filters(contract="K-B", status="all", date_from=date(2026, 6, 1))
    assert totals(tiny, "u-cadmin", june) == {
        "advisory": (1, 0.5, 0, 0.5),
        "credits": (1, 3, 0, 0),  # D11 on 15 June
    }
    # Cole sees K5 and K9 (his own); Tess, of K-B's, neither
    every = Filters(contract="K-B", status="all")
    assert totals(tiny, "u-contact", every) == K_B
    found = totals(tiny, "u-train", every)
    assert (found["reactive"][2], found["advisory"][2]) == (1, 1)


def test_each_categorys_quantity_is_its_entitlements_used_and_what_no_package_holds(tiny):
    """With no date range, the proof's quantity of a category is the used of the contract's
    entitlements of it (whole term), plus what was booked against no package. Assessments
    apart: used counts A4, not begun, which the proof does not list as delivered."""
    for contract, expected in ("K-A", K_A), ("K-B", K_B):
        filters = Filters(contract=contract, status="all")
        figures = tiny.run("package_entitlements", "u-cadmin", filters)
        consumable = figures.filter(figures["kind"] == "consumable")
        used = {}
        for category, value in zip(consumable["category"], consumable["used"], strict=True):
            used[category] = used.get(category, 0) + value
        for category, (_, quantity, _, no_package) in expected.items():
            if category == "assessments":
                assert (used[category], quantity) == (3, 2)  # A1, A2, A4 against A1, A2
                continue
            assert quantity == used.get(category, 0) + no_package, (contract, category)
