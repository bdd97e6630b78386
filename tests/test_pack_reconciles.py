"""One number, one definition: every total in the meeting pack agrees with the lists it sums
and with the queries the pages show it from, for the same viewer and filters; where two
figures count different things (the whole term against the activity dates, every package
against the active enterprise ones), the pack says so beside them. A few totals are pinned to
figures worked out by hand from tests/fixtures/tiny (see its ANSWERS.md)."""

from datetime import date

import pytest

from dashboard.app import meeting_pack
from dashboard.ingest.schema import CATEGORY_LABELS
from dashboard.query.filters import Filters
from tests.test_meeting_pack import by, figures, opened, table

QUARTER = {"date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30)}
SCOPES = {
    "all workspaces": ("u-cadmin", Filters()),
    "every package status": ("u-cadmin", Filters(status="all")),
    "one contract": ("u-cadmin", Filters(contract="K-A")),
    "one contract, this quarter": ("u-cadmin", Filters(contract="K-A", **QUARTER)),
    "a workspace admin's workspace": ("u-wsadmin", Filters(workspaces=("W1",))),
    "a workspace admin's workspace, this quarter": (
        "u-wsadmin", Filters(workspaces=("W1",), **QUARTER)
    ),
    "most support requests hidden": ("u-shared", Filters()),
}  # fmt: skip
DATED = "Delivered in the activity dates only (1 Apr 2026 – 30 Jun 2026): the consumption"
ALL_PACKAGES = "Delivery totals count every package of the contracts in view, add-ons and"


@pytest.fixture(scope="module")
def packs(tiny) -> dict:
    return {
        name: opened(meeting_pack.build(tiny, user, "Someone", filters))
        for name, (user, filters) in SCOPES.items()
    }


def listed(book, header: tuple[str, ...], sheet: str) -> list[dict]:
    """A table's rows, without the line saying there are none."""
    return [
        row for row in table(book[sheet], *header) if row[header[0]] != "None in this selection."
    ]


def named(frame) -> list[dict]:
    """A query's rows, categories named as the pack names them."""
    return [{**row, "category": CATEGORY_LABELS.get(row["category"], row["category"])}
            for row in frame.iter_rows(named=True)]  # fmt: skip


def of(row: dict, *keys: str) -> tuple:
    return tuple(row[key] for key in keys)


def total(values) -> float | None:
    """The sum of the values given, None when none is."""
    values = [v for v in values if v is not None]
    return sum(values) if values else None


@pytest.mark.parametrize("scope", SCOPES)
def test_delivery_totals_are_the_delivered_lists_sums(packs, scope):
    book = packs[scope]
    totals = by(listed(book, ("Category", "Unit"), "Delivery totals"), "Category")
    every = totals.pop("All categories", {"Items": 0, "Hidden from the list": 0})
    items = listed(book, ("Category", "Date"), "Delivered")
    assert {row["Category"] for row in items} <= set(totals)
    for category, row in totals.items():
        mine = [item for item in items if item["Category"] == category]
        assert row["Items"] == len(mine) + row["Hidden from the list"], (scope, category)
        if row["Hidden from the list"] == 0:
            assert row["Quantity"] == pytest.approx(sum(i["Quantity"] for i in mine))
            assert row["Hours delivered"] == total(i["Hours delivered"] for i in mine)
    assert every["Items"] == sum(row["Items"] for row in totals.values())
    assert every["Hidden from the list"] == sum(r["Hidden from the list"] for r in totals.values())
    assert figures(book["Summary"])["Items delivered"][0] == every["Items"]


@pytest.mark.parametrize("scope", SCOPES)
def test_delivery_totals_are_proof_of_deliverys(packs, tiny, scope):
    user, filters = SCOPES[scope]
    found = by(listed(packs[scope], ("Category", "Unit"), "Delivery totals"), "Category")
    found.pop("All categories", None)
    page = named(tiny.run("proof_of_delivery_totals", user, filters))
    assert set(found) == {row["category"] for row in page}
    for row in page:
        mine = found[row["category"]]
        assert (mine["Unit"], mine["Items"], mine["Hidden from the list"]) == (
            row["unit"], row["items"], row["hidden"]
        )  # fmt: skip
        assert mine["Quantity"] == pytest.approx(row["quantity"])
        assert mine["Hours delivered"] == row["hours_delivered"]


FIGURES = ("Purchased", "Used", "Scheduled", "Remaining", "Over by")


@pytest.mark.parametrize("scope", SCOPES)
def test_enterprise_consumption_is_the_sum_of_its_entitlements(packs, scope):
    book = packs[scope]
    consumption = listed(book, ("Category", "Unit"), "Summary")
    rows = listed(book, ("Category", "Unit"), "Enterprise entitlements")
    assert {(r["Category"], r["Unit"]) for r in rows} == {
        (r["Category"], r["Unit"]) for r in consumption
    }
    for summed in consumption:
        mine = [r for r in rows if (r["Category"], r["Unit"]) == (summed["Category"],
                                                                  summed["Unit"])]  # fmt: skip
        for figure in FIGURES:
            assert summed[figure] == pytest.approx(total(r[figure] for r in mine) or 0) or (
                summed[figure] is None and total(r[figure] for r in mine) is None
            ), (scope, summed["Category"], figure)
        unlimited = total(r["Used"] for r in mine if r["Purchased"] is None) or 0
        assert summed["Used with no limit"] == unlimited
        if summed["Purchased"]:
            share = (summed["Used"] - unlimited) / summed["Purchased"]
            assert summed["Utilisation"] == pytest.approx(share)


@pytest.mark.parametrize("scope", SCOPES)
def test_enterprise_consumption_is_enterprise_wides(packs, tiny, scope):
    user, filters = SCOPES[scope]
    found = {(r["Category"], r["Unit"]): r for r in listed(packs[scope], ("Category", "Unit"),
                                                           "Summary")}  # fmt: skip
    page = named(tiny.run("enterprise_consumption", user, filters))
    assert set(found) == {(row["category"], row["unit"]) for row in page}
    for row in page:
        mine = found[(row["category"], row["unit"])]
        got = [mine[k] for k in (*FIGURES, "Used with no limit", "Utilisation")]
        keys = ("purchased", "used", "scheduled", "remaining", "overage", "used_without_limit",
                "utilisation")  # fmt: skip
        assert got == pytest.approx([row[k] for k in keys]), (scope, row["category"])


@pytest.mark.parametrize("scope", SCOPES)
def test_the_forecast_counts_are_the_renewal_risks_rows(packs, tiny, scope):
    user, filters = SCOPES[scope]
    book = packs[scope]
    risks = listed(book, ("Status", "Contract"), "Renewal risks")
    page = tiny.run("renewal_forecast", user, filters)
    assert len(risks) == page.height
    said = figures(book["Summary"])
    counted = sum(n for label, (n, _) in said.items() if label.startswith("Entitlements"))
    assert counted == len(risks)
    runs_out = [r for r in risks if r["Status"] == "Will run out before expiry"]
    assert said["Entitlements that will run out before expiry"][0] == len(runs_out)
    for mine, row in zip(risks, page.iter_rows(named=True), strict=True):
        assert (mine["Contract"], mine["Package"], mine["Entitlement"]) == (
            row["contract_number"], row["package_name"], row["name"]
        )  # fmt: skip
        assert (mine["Purchased"], mine["Used"], mine["Scheduled"]) == (
            row["purchased"], row["used"], row["scheduled"]
        )  # fmt: skip
        assert mine["Remaining"] - mine["Over by"] == pytest.approx(row["remaining"])


@pytest.mark.parametrize("scope", SCOPES)
def test_active_contracts_are_the_pages(packs, tiny, scope):
    user, filters = SCOPES[scope]
    book = packs[scope]
    contracts = listed(book, ("Contract", "Name"), "Summary")
    page = tiny.run("active_contracts", user, filters)
    assert [row["Contract"] for row in contracts] == page.get_column("contract_number").to_list()
    assert figures(book["Summary"])["Active contracts"][0] == page.height


@pytest.mark.parametrize("scope", SCOPES)
def test_the_chart_bars_add_up_to_the_summarys_figures(packs, scope):
    book = packs[scope]
    summary = {r["Category"]: r for r in listed(book, ("Category", "Unit"), "Summary")}
    sheet = book["Charts"]
    rows = list(sheet.iter_rows(values_only=True))
    bars = {}
    for place, row in enumerate(rows):
        if row[:2] == ("Category", "Used"):
            names = [name for name in row if name]
            for part in rows[place + 1 :]:
                if part[0] is None:
                    break
                bars[part[0]] = dict(zip(names, part, strict=False))
    assert set(bars) == set(summary)
    for category, bar in bars.items():
        figure = summary[category]
        spent = sum(bar.get(k) or 0 for k in ("Used", "Scheduled", "Over by",
                                              "Used with no limit"))  # fmt: skip
        assert spent == pytest.approx(figure["Used"] + figure["Scheduled"]), (scope, category)
        assert bar["Remaining"] == (figure["Remaining"] or 0)
        assert bar["Over by"] == figure["Over by"]


def test_totals_worked_out_by_hand(packs):
    def summary(scope):
        return by(listed(packs[scope], ("Category", "Unit"), "Summary"), "Category")

    def delivered(scope):
        return by(listed(packs[scope], ("Category", "Unit"), "Delivery totals"), "Category")

    # all workspaces: the active enterprise packages P-A1, P-B1, P-N1. Reactive: E-REA 100,
    # E-BREA 30, E-NREA 10 purchased; 39.5 + 12 (K5) + 2 (K8) used; 60.5 + 18 + 8 left
    every = summary("all workspaces")
    reactive = every["Reactive support"]
    assert [reactive[k] for k in FIGURES] == [140, 53.5, 0, 86.5, 0]
    # education: E-EDU 5 with 3 taken (N1, N2, N4), 2 left; E-BEDU 2 with 3 taken, 1 over
    assert [every["On-demand education"][k] for k in FIGURES] == [7, 6, 0, 2, 1]
    totals = delivered("all workspaces")
    # every contract of Acme's: K1 10, K2 25.5, K5 12, K6 4, K7 3, K8 2 (not K4: no contract)
    assert of(totals["Reactive support"], "Items", "Quantity") == (6, 56.5)
    # credits redeemed: D5 4 (E-CRD), D9 5 (E-OC), D11 3 (E-BCR)
    assert of(totals["Proactive credits"], "Items", "Quantity") == (3, 12)
    # 3 proactive + 3 credits + 6 reactive + 3 advisory + 6 seats + 2 assessments
    assert totals["All categories"]["Items"] == 23
    assert figures(packs["all workspaces"]["Summary"])["Active contracts"][0] == 3  # A, B, NULL
    # K-A in April to June: K2 25.5 (10 May) and K6 4 (5 May), not K1 (1 Feb); D2 16 and D7 12
    # delivered in 16 + 12 hours; N2 and N4; A2; K10 6. The whole term's figures stay.
    spring = delivered("one contract, this quarter")
    assert of(spring["Reactive support"], "Items", "Quantity") == (2, 29.5)
    assert of(spring["Proactive services"], "Items", "Quantity", "Hours delivered") == (2, 28, 28)
    assert spring["All categories"]["Items"] == 2 + 2 + 2 + 1 + 1
    assert summary("one contract, this quarter")["Reactive support"]["Used"] == 39.5
    # Walt, W1: K-A and K-OLD; K6 (raised in W2) counted, hidden: K1 10 + K2 25.5 + K7 3 listed
    walt = packs["a workspace admin's workspace"]
    reactive = delivered("a workspace admin's workspace")["Reactive support"]
    assert of(reactive, "Items", "Quantity", "Hidden from the list") == (4, 42.5, 1)
    items = listed(walt, ("Category", "Date"), "Delivered")
    hours = [i["Quantity"] for i in items if i["Category"] == "Reactive support"]
    assert sorted(hours) == [3, 10, 25.5]


@pytest.mark.parametrize("scope", SCOPES)
def test_where_two_figures_count_differently_the_pack_says_so(packs, scope):
    _, filters = SCOPES[scope]
    book = packs[scope]

    def says(sheet: str, words: str) -> bool:
        cells = (c for row in book[sheet].iter_rows(values_only=True) for c in row)
        return any(isinstance(c, str) and c.startswith(words) for c in cells)

    note = figures(book["Summary"])["Items delivered"][1] or ""
    assert note.startswith(DATED) == filters.dated
    assert says("Delivery totals", DATED) == filters.dated
    assert says("Delivered", DATED) == filters.dated
    assert says("Delivery totals", ALL_PACKAGES)
    assert says("Summary", "Whole term: all use since each package started")
    assert says("Enterprise entitlements", "Whole term, whatever the activity dates.")
    assert says("Renewal risks", "Whole term.")
