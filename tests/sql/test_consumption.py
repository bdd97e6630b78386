"""Derived figures (used, scheduled, remaining, utilisation, states, days left) against the
hand-made fixture, as of 2026-06-30."""

from datetime import date

import polars as pl
import pytest

from dashboard.query.filters import Filters

ALL_PACKAGES = Filters(status="all")


def by(frame, key):
    return {row[key]: row for row in frame.iter_rows(named=True)}


def test_active_contracts_and_days_left(tiny):
    rows = tiny.run("active_contracts", "u-cadmin")
    # soonest to end first: K-B ends 2026-09-15 (77 days), K-A and K-NULL 2026-12-31 (184 days)
    assert rows.get_column("contract_id").to_list() == ["K-B", "K-A", "K-NULL"]
    assert rows.get_column("days_left").to_list() == [77, 184, 184]
    assert rows.get_column("expiring_soon").to_list() == [True, False, False]
    assert tiny.run("active_contracts", "u-train").get_column("contract_id").to_list() == ["K-B"]


def test_contract_states(tiny):
    rows = by(tiny.run("contracts", "u-cadmin"), "contract_id")
    assert {k: r["state"] for k, r in rows.items()} == {
        "K-A": "active",
        "K-B": "active",
        "K-NULL": "active",
        "K-OLD": "expired",
        "K-UP": "upcoming",
    }
    assert rows["K-OLD"]["days_left"] == -181
    assert rows["K-UP"]["days_left"] == 396


def test_package_status_filter(tiny):
    def packages(status):
        frame = tiny.run("package_entitlements", "u-cadmin", Filters(status=status))
        return sorted(set(frame.get_column("package_id").to_list()))

    assert packages("active") == ["P-A1", "P-A2", "P-B1", "P-B2", "P-N1"]
    assert packages("inactive") == ["P-A3", "P-OLD", "P-UP"]
    assert packages("all") == ["P-A1", "P-A2", "P-A3", "P-B1", "P-B2", "P-N1", "P-OLD", "P-UP"]


def test_package_days_left_and_expiring_soon(tiny):
    rows = by(tiny.run("packages", "u-cadmin"), "package_id")
    assert (rows["P-A2"]["days_left"], rows["P-A2"]["expiring_soon"]) == (31, True)
    assert (rows["P-B1"]["days_left"], rows["P-B1"]["expiring_soon"]) == (77, True)
    assert (rows["P-A3"]["days_left"], rows["P-A3"]["expiring_soon"]) == (-91, False)
    assert rows["P-A1"]["expiring_soon"] is False
    assert rows["P-UP"]["state"] == "upcoming"


# entitlement: (purchased, used, scheduled, remaining, utilisation), worked out in ANSWERS.md
FIGURES = {
    "E-REA": (100, 39.5, 0, 60.5, 0.395),  # cases K1 10 + K2 25.5 + K6 4 (K6 is in W2)
    "E-ADV": (20, 8, 0, 12, 0.4),
    "E-UNL": (None, 6, 0, None, None),  # unlimited: used counts, no remaining
    "E-PRO": (40, 24, 12, 4, 0.6),  # delivered 8 + 16, scheduled 12, cancelled 8 ignored
    "E-CRD": (10, 4, 3, 3, 0.4),
    "E-EDU": (5, 3, 0, 2, 0.6),  # one of four enrollments cancelled
    "E-CON": (3, 2, 0, 1, 2 / 3),  # removed before as-of and removed on as-of do not count
    "E-ASM": (2, 3, 0, -1, 1.5),  # cancelled does not count; overage
    "E-BEN": (None, None, None, None, None),  # a benefit: its delivery row never counts
    "E-WS": (16, 12, 8, -4, 0.75),  # overage through what is scheduled
    "E-OC": (5, 5, 0, 0, 1.0),
    "E-OREA": (50, 3, 0, 47, 0.06),
    "E-BREA": (30, 12, 0, 18, 0.4),
    "E-BEDU": (2, 3, 0, -1, 1.5),
    "E-UREA": (80, 0, 0, 80, 0.0),
    "E-NREA": (10, 2, 0, 8, 0.2),
    "E-BCR": (10, 3, 0, 7, 0.3),  # the lab's credits boost, started 2026-05-01: D11
}


@pytest.mark.parametrize("entitlement", sorted(FIGURES))
def test_entitlement_figures(tiny, entitlement):
    rows = by(tiny.run("package_entitlements", "u-cadmin", Filters(status="all")), "entitlement_id")
    row = rows[entitlement]
    got = tuple(row[k] for k in ("purchased", "used", "scheduled", "remaining", "utilisation"))
    expected = FIGURES[entitlement]
    for value, want in zip(got, expected, strict=True):
        if want is None:
            assert value is None
        else:
            assert value == pytest.approx(want)


def test_package_entitlements_columns(tiny):
    frame = tiny.run("package_entitlements", "u-cadmin")
    required = (
        "contract_id package_id package_name scope status end_date days_left entitlement_id "
        "category name kind unit purchased used scheduled remaining utilisation"
    ).split()
    assert frame.columns[: len(required)] == required


# (category, unit): (purchased, used, scheduled, remaining, overage, utilisation); remaining
# sums the entitlements with 0 or more left, overage those below 0, and utilisation leaves out
# use on entitlements with no purchased quantity (see ANSWERS.md)
ENTERPRISE_ADMIN = {
    # E-ADV 8 of 20 + unlimited E-UNL 6 in used only: utilisation (14 - 6) / 20
    ("advisory", "hours"): (20, 14, 0, 12, 0, 0.4),
    ("assessments", "assessments"): (2, 3, 0, 0, 1, 1.5),  # E-ASM alone, over by 1
    ("contacts", "contacts"): (3, 2, 0, 1, 0, 2 / 3),
    ("credits", "credits"): (10, 4, 3, 3, 0, 0.4),  # the expired add-on's credits are not in
    # E-EDU 5 / 3 (2 left) and E-BEDU 2 / 3 (over by 1): not "1 remaining"
    ("education", "seats"): (7, 6, 0, 2, 1, 6 / 7),
    ("proactive", "hours"): (40, 24, 12, 4, 0, 0.6),  # the add-on workshops are not in
    ("reactive", "hours"): (140, 53.5, 0, 86.5, 0, 53.5 / 140),  # E-REA + E-BREA + E-NREA
}


def enterprise(tiny, user, filters=None):
    frame = tiny.run("enterprise_consumption", user, filters)
    keys = ("purchased", "used", "scheduled", "remaining", "overage", "utilisation")
    return {
        (r["category"], r["unit"]): tuple(r[k] for k in keys) for r in frame.iter_rows(named=True)
    }


def assert_figures(got, expected):
    assert set(got) == set(expected)
    for key, want in expected.items():
        assert got[key] == pytest.approx(want), key


def test_enterprise_consumption_customer_admin(tiny):
    assert_figures(enterprise(tiny, "u-cadmin"), ENTERPRISE_ADMIN)


def test_enterprise_consumption_gives_the_use_with_no_limit_apart(tiny):
    frame = tiny.run("enterprise_consumption", "u-cadmin")
    apart = {
        r["category"]: (r["used_without_limit"], r["scheduled_without_limit"])
        for r in frame.iter_rows(named=True)
    }
    assert apart.pop("advisory") == (6, 0)  # K10 on E-UNL, which has no purchased quantity
    assert set(apart.values()) == {(0, 0)}


def test_enterprise_consumption_follows_visibility(tiny):
    # u-act sees K-A and K-B, not the unmapped K-NULL: reactive loses E-NREA (10 / 2 / 8)
    got = enterprise(tiny, "u-act")
    assert got[("reactive", "hours")] == pytest.approx((130, 51.5, 0, 78.5, 0, 51.5 / 130))
    # one workspace picked: only K-B's enterprise package, and not the unmapped contract
    got = enterprise(tiny, "u-cadmin", Filters(workspaces=("W2",)))
    assert_figures(
        got,
        {
            ("reactive", "hours"): (30, 12, 0, 18, 0, 0.4),
            ("education", "seats"): (2, 3, 0, 0, 1, 1.5),  # E-BEDU alone, over by 1
        },
    )
    assert_figures(enterprise(tiny, "u-gadmin"), {("reactive", "hours"): (25, 7, 0, 18, 0, 0.28)})
    assert enterprise(tiny, "u-none") == {}


def test_enterprise_consumption_ignores_the_date_range_and_status(tiny):
    narrowed = Filters(status="inactive", date_from=date(2026, 6, 1), date_to=date(2026, 6, 2))
    assert_figures(enterprise(tiny, "u-cadmin", narrowed), ENTERPRISE_ADMIN)


def test_enterprise_consumption_contract_filter(tiny):
    got = enterprise(tiny, "u-cadmin", Filters(contract="K-NULL"))
    assert_figures(got, {("reactive", "hours"): (10, 2, 0, 8, 0, 0.2)})


def test_active_contracts_and_enterprise_columns(tiny):
    frame = tiny.run("active_contracts", "u-cadmin")
    assert frame.columns[:7] == [
        "contract_id",
        "contract_number",
        "name",
        "workspace_id",
        "start_date",
        "end_date",
        "days_left",
    ]
    frame = tiny.run("enterprise_consumption", "u-cadmin")
    assert frame.columns[:8] == [
        "category",
        "unit",
        "purchased",
        "used",
        "scheduled",
        "remaining",
        "utilisation",
        "overage",
    ]


def test_enterprise_entitlements_are_the_rows_behind_enterprise_consumption(tiny):
    rows = tiny.run("enterprise_entitlements", "u-cadmin")
    # the consumable entitlements of P-A1 (8, the benefit left out), P-B1 (2) and P-N1 (1)
    assert sorted(rows.get_column("entitlement_id").to_list()) == sorted(
        [
            "E-REA",
            "E-ADV",
            "E-PRO",
            "E-EDU",
            "E-CON",
            "E-ASM",
            "E-CRD",
            "E-UNL",
            "E-BREA",
            "E-BEDU",
            "E-NREA",
        ]  # fmt: skip
    )
    summed = rows.group_by("category").agg(pl.col("used").sum())
    assert dict(summed.iter_rows()) == pytest.approx(
        {
            "advisory": 14,
            "assessments": 3,
            "contacts": 2,
            "credits": 4,
            "education": 6,
            "proactive": 24,
            "reactive": 53.5,
        }  # fmt: skip
    )
