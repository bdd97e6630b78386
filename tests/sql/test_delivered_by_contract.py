"""Lists of what was consumed against a contract (proof of delivery, the meeting pack's list of
what was delivered, an entitlement's usage history) hold every item booked against the contract,
whatever workspace it was raised in: there the workspace filter picks contracts, not items. A
case the viewer may not see is counted as hidden, and its hours still count in the totals. The
support-request and additional-case lists keep picking the cases' workspaces.

In the hand-made dataset (tests/fixtures/tiny/ANSWERS.md) K6 is raised in W2 against K-A, the
contract of W1: 4 hours of E-REA, whose 39.5 used are K1 10 + K2 25.5 + K6 4."""

import csv
import io
from datetime import date

import openpyxl
from hypothesis import given, settings

from dashboard.app import meeting_pack
from dashboard.query.filters import Filters
from tests.conftest import FIXTURE
from tests.sql.test_permission_proof import SLOW, contracts_seen, imported, sees_case, worlds
from tests.test_meeting_pack import table

EVERY = Filters(status="all")
W1 = ("W1",)


def totals(tiny, user, filters):
    frame = tiny.run("proof_of_delivery_totals", user, filters)
    return {r["category"]: (r["items"], r["quantity"], r.get("hidden"))
            for r in frame.iter_rows(named=True)}  # fmt: skip


def cases_listed(tiny, user, filters):
    items = tiny.run("proof_of_delivery", user, filters)
    return items.filter(items["unit"] == "hours", items["reference"].str.starts_with("K"))


def test_proof_of_delivery_of_a_contract_is_the_same_whatever_workspace_is_picked(tiny):
    whole = Filters(contract="K-A")
    picked = Filters(workspaces=W1, contract="K-A")
    expected = {
        "proactive": (3, 36, 0),  # D1 8, D2 16, D7 12
        "credits": (2, 9, 0),  # D5 4, D9 5
        "reactive": (3, 39.5, 0),  # K1 10 + K2 25.5 + K6 4, K6 raised in W2
        "advisory": (2, 14, 0),  # K3 8 + K10 6
        "education": (3, 3, 0),  # N1, N2, N4
        "assessments": (2, 2, 0),  # A1, A2
    }
    items = tiny.run("proof_of_delivery", "u-cadmin", picked)
    assert items.height == 15  # 3 + 2 + 3 + 2 + 3 + 2
    assert items.equals(tiny.run("proof_of_delivery", "u-cadmin", whole))
    assert totals(tiny, "u-cadmin", whole) == expected
    assert totals(tiny, "u-cadmin", picked) == expected
    reactive = items.filter(items["category"] == "reactive")
    # by day: K1 02-01, K6 05-05, K2 05-10; each under CN-100 and its entitlement's package
    assert list(reactive["reference"]) == ["K1", "K6", "K2"]
    assert set(reactive["contract"]) == {"CN-100"}
    assert set(reactive["package_name"]) == {"Enterprise Support 2026"}


def test_with_a_workspace_picked_the_list_holds_its_contracts_items(tiny):
    # W1 holds K-A and K-OLD: their cases K1, K2, K3, K6 (raised in W2), K10 and K7. Not K4,
    # booked against no contract, nor K8, raised in W1 against K-NULL, out of view with W1
    # picked.
    filters = Filters(workspaces=W1, status="all")
    listed = cases_listed(tiny, "u-cadmin", filters)
    assert sorted(listed["reference"]) == ["K1", "K10", "K2", "K3", "K6", "K7"]
    found = totals(tiny, "u-cadmin", filters)
    assert found["reactive"] == (4, 42.5, 0)  # K1 10 + K2 25.5 + K6 4 + K7 3
    assert found["advisory"] == (2, 14, 0)  # K3 8 + K10 6
    # no workspace picked: every contract of Acme's, K-NULL's K8 too; K4 still not
    every = cases_listed(tiny, "u-cadmin", EVERY)
    assert sorted(every["reference"]) == ["K1", "K10", "K2", "K3", "K5", "K6", "K7", "K8", "K9"]
    found = totals(tiny, "u-cadmin", EVERY)
    assert found["reactive"] == (6, 56.5, 0)  # 10 + 25.5 + 12 (K5) + 4 + 3 + 2 (K8)
    assert found["advisory"] == (3, 14.5, 0)  # 8 + 0.5 (K9) + 6


def test_a_case_the_viewer_may_not_see_is_counted_hidden_and_its_hours_still_count(tiny):
    k_a = Filters(contract="K-A")
    # Walt (u-wsadmin) opens W1 only: K6, raised in W2, is hidden from him
    assert list(cases_listed(tiny, "u-wsadmin", k_a)["reference"]) == ["K3", "K10", "K1", "K2"]
    found = totals(tiny, "u-wsadmin", k_a)
    assert found["reactive"] == (3, 39.5, 1)  # K6's 4 hours count, K6 is not listed
    assert tiny.run("proof_of_delivery", "u-wsadmin", k_a).height == 15 - 1
    # Sam (u-shared) opens W1 and sees K3, shared with her; K6 is shared with her too, but it
    # is in W2, which she cannot open: hidden, with K1, K2 and K10
    assert list(cases_listed(tiny, "u-shared", k_a)["reference"]) == ["K3"]
    found = totals(tiny, "u-shared", k_a)
    assert found["advisory"] == (2, 14, 1)  # K10
    assert found["reactive"] == (3, 39.5, 3)  # K1, K2, K6
    assert tiny.run("proof_of_delivery", "u-shared", k_a).height == 15 - 4


def delivered_per_entitlement(book) -> dict[str, float]:
    """The hours of the support requests on the pack's Delivered sheet, per entitlement (each
    case's entitlement as the fixture's cases.csv books it)."""
    with (FIXTURE / "cases.csv").open(encoding="utf-8") as handle:
        entitlement_of = {row["case_id"]: row["entitlement_id"] for row in csv.DictReader(handle)}
    sums: dict[str, float] = {}
    for item in table(book["Delivered"], "Category", "Date"):
        entitlement = entitlement_of.get(item["Reference"])
        if entitlement:
            sums[entitlement] = sums.get(entitlement, 0) + item["Quantity"]
    return sums


def test_the_meeting_packs_delivered_list_reconciles_with_each_entitlements_used(tiny):
    scopes = {
        # every contract of Acme's: K5 on E-BREA, K7 on E-OREA, K8 on E-NREA; E-UREA unused
        EVERY: {"E-REA": 39.5, "E-ADV": 8, "E-UNL": 6, "E-OREA": 3, "E-BREA": 12, "E-NREA": 2},
        # K-A and K-OLD: K6 (raised in W2) among E-REA's
        Filters(workspaces=W1, status="all"): {
            "E-REA": 39.5,
            "E-ADV": 8,
            "E-UNL": 6,
            "E-OREA": 3,
        },  # fmt: skip
        # K-B and K-UP: K6, raised in W2, is K-A's, not theirs
        Filters(workspaces=("W2",), status="all"): {"E-BREA": 12},
        Filters(workspaces=W1, contract="K-A", status="all"): {
            "E-REA": 39.5,
            "E-ADV": 8,
            "E-UNL": 6,
        },  # fmt: skip
    }
    for filters, expected in scopes.items():
        book = openpyxl.load_workbook(
            io.BytesIO(meeting_pack.build(tiny, "u-cadmin", "Cara Admin", filters))
        )
        assert delivered_per_entitlement(book) == expected, filters
        # each equals its entitlement's used, whole term, as the pack's figures count it
        figures = tiny.run("package_entitlements", "u-cadmin", filters)
        hours = figures.filter(
            figures["kind"] == "consumable", figures["category"].is_in(["reactive", "advisory"])
        )
        used = {e: u for e, u in zip(hours["entitlement_id"], hours["used"], strict=True) if u}
        assert used == expected, filters


def test_the_meeting_pack_counts_the_hidden_ones_in_its_totals(tiny):
    # Walt sees K1 and K2 of E-REA's three cases: 35.5 of its 39.5 hours listed; the totals
    # count K6 too, and say it is hidden
    book = openpyxl.load_workbook(
        io.BytesIO(meeting_pack.build(tiny, "u-wsadmin", "Walt", Filters(workspaces=W1)))
    )
    assert delivered_per_entitlement(book)["E-REA"] == 35.5
    found = {row["Category"]: row for row in table(book["Delivery totals"], "Category", "Unit")}
    reactive = found["Reactive support"]
    hidden = reactive["Hidden from the list"]
    assert (reactive["Items"], reactive["Quantity"], hidden) == (4, 42.5, 1)


def history(tiny, user, filters=EVERY, entitlement="E-REA"):
    frame = tiny.run("entitlement_history", user, filters, entitlement=entitlement)
    return list(frame.filter(frame["record"] == "support request")["record_id"])


def hidden(tiny, user, filters=EVERY, entitlement="E-REA"):
    row = tiny.run("entitlement_history_hidden", user, filters, entitlement=entitlement)
    return row.row(0)


def test_an_entitlements_usage_history_holds_every_case_booked_against_it(tiny):
    # newest first: K2 05-10, K6 05-05, K1 02-01, whichever workspace is picked
    assert history(tiny, "u-cadmin", Filters(workspaces=W1, status="all")) == ["K2", "K6", "K1"]
    assert history(tiny, "u-cadmin") == ["K2", "K6", "K1"]
    assert hidden(tiny, "u-cadmin", Filters(workspaces=W1, status="all")) == (0, 3, 39.5)
    # those who may not see K6 (in W2) are told it is hidden: hidden, requests, hours
    assert history(tiny, "u-wsadmin") == ["K2", "K1"]
    assert hidden(tiny, "u-wsadmin") == (1, 3, 39.5)
    assert history(tiny, "u-viewall") == ["K2", "K1"]
    assert hidden(tiny, "u-viewall") == (1, 3, 39.5)
    assert history(tiny, "u-act") == []
    assert hidden(tiny, "u-act") == (3, 3, 39.5)
    # in April and May: K2 25.5 and K6 4
    spring = Filters(status="all", date_from=date(2026, 4, 1), date_to=date(2026, 5, 31))
    assert history(tiny, "u-cadmin", spring) == ["K2", "K6"]
    assert hidden(tiny, "u-wsadmin", spring) == (1, 2, 29.5)
    # an entitlement out of view: nothing, nothing hidden
    assert hidden(tiny, "u-gadmin") == (0, 0, 0)
    assert hidden(tiny, "u-wsadmin", entitlement="E-BREA") == (0, 0, 0)


def test_the_support_request_lists_still_pick_the_cases_workspaces(tiny):
    def ids(name, filters):
        return sorted(tiny.run(name, "u-cadmin", filters)["case_id"])

    w1 = Filters(workspaces=W1, status="all")
    assert ids("support_requests", w1) == ["K1", "K10", "K2", "K3", "K4", "K7", "K8"]
    assert ids("support_requests", Filters(workspaces=("W2",))) == ["K5", "K6", "K9"]
    assert ids("additional_cases", w1) == ["K4", "K7", "K8"]
    assert ids("additional_cases", Filters(workspaces=("W2",))) == ["K5", "K6", "K9"]
    # one contract, W1 picked: the support requests of W1 on K-A, while proof of delivery holds
    # every case booked against K-A
    k_a = Filters(workspaces=W1, contract="K-A")
    assert ids("support_requests", k_a) == ["K1", "K10", "K2", "K3"]
    assert sorted(cases_listed(tiny, "u-cadmin", k_a)["reference"]) == [
        "K1", "K10", "K2", "K3", "K6",
    ]  # fmt: skip


@settings(max_examples=12, deadline=None, suppress_health_check=SLOW)
@given(world=worlds())
def test_proof_of_delivery_follows_the_rules_for_every_user_and_pick(world, tmp_path_factory):
    """Against the permission proof's random organisations: with no workspace picked, each
    workspace, and each contract, the cases listed are those booked against the contracts in
    view that the user may see; the totals count every one booked, and how many are hidden."""
    dataset = imported(world, tmp_path_factory)
    for user, customer in world.users.items():
        seen = contracts_seen(world, user)
        picks = [(EVERY, seen)]
        picks += [
            (Filters(workspaces=(space,), status="all"), contracts_seen(world, user, {space}))
            for space, owner in world.workspaces.items()
            if owner == customer
        ]
        picks += [(Filters(contract=k, status="all"), {k}) for k in seen]
        for filters, in_view in picks:
            booked = {c for c, row in world.cases.items() if row["contract"] in in_view}
            visible = {c for c in booked if sees_case(world, user, c)}
            listed = cases_of(dataset, user, filters)
            assert listed == visible, (user, filters)
            found = dataset.run("proof_of_delivery_totals", user, filters)
            cases = found.filter(found["category"] == "reactive")  # the cases' entitlements
            assert cases["items"].sum() == len(booked), (user, filters)
            assert cases["hidden"].sum() == len(booked - visible), (user, filters)
            assert cases["quantity"].sum() == 1.5 * len(booked), (user, filters)


def cases_of(dataset, user, filters) -> set[str]:
    items = dataset.run("proof_of_delivery", user, filters)
    # the cases: booked against reactive hours (proactive deliveries are in hours too)
    return set(items.filter(items["category"] == "reactive")["reference"])
