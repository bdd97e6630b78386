"""The forecast band (issue 34, item 3): the earliest and latest run-out of each forecast row,
at the two ends of an 80% range of its burn rate, against answers worked out by hand.

The range is the mean daily burn over the window (days without use as 0) less and plus 1.2816
standard errors, the sample standard deviation of the daily amounts over the square root of the
window's days: with n days, S the sum of the daily amounts and Q the sum of their squares, the
variance is (Q - S²/n) / (n - 1). Run-out days are rounded up, as the projection's are.

On the hand-made fixture (tests/fixtures/tiny/ANSWERS.md, "Forecast band"), as of 2026-06-30
(the window 2026-04-02..2026-06-30, 90 days), and on a small dataset made here:

Acme (C1), workspace W1, contract KB 2026-01-01..2027-12-31, u-admin its customer admin; every
case 10 or 5 hours, reactive:

- E-STEADY (P-STEADY 2026-01-01..2026-12-31, 200 hours): nine cases of 10 hours, on 04-10,
  04-20, 04-30, 05-10, 05-20, 05-30, 06-09, 06-19 and 06-29. n = 90, S = 90, Q = 900: mean 1,
  variance (900 - 90) / 89 = 9.10112, standard error √(9.10112 / 90) = 0.31800, times 1.2816 =
  0.40755. 110 hours left: at 1.40755 a day 78.15 days, 79: 2026-09-17; at 0.59245 a day 185.67,
  186: 2027-01-02 (the projection, at 1 a day: 110 days, 2026-10-18, between them).
- E-EDGE (P-EDGE from 2026-06-01, 100 hours): 30 days of history, the least with a band; cases
  of 10 hours on 06-05, 06-15 and 06-25. n = 30, S = 30, Q = 300: mean 1, variance (300 - 30) /
  29 = 9.31034, standard error √(9.31034 / 30) = 0.55709, times 1.2816 = 0.71396. 70 left: at
  1.71396 a day 40.84 days, 41: 2026-08-10; at 0.28604 a day 244.72, 245: 2027-03-02.
- E-YOUNG (P-YOUNG from 2026-06-10, 50 hours): 21 days of history, cases of 5 hours on 06-12,
  06-20 and 06-28: projected to run out (35 left at 15/21 a day: 49 days, 2026-08-18), no band.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.ingest.data_home import current_dataset
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.sql.small_datasets import imported, one_admin

AS_OF = date(2026, 6, 30)
# id: (start, end, purchased hours, [(day, hours)] one case each)
ENTITLEMENTS = {
    "E-STEADY": (
        "2026-01-01",
        "2026-12-31",
        200,
        [
            (day, 10)
            for day in (
                "2026-04-10",
                "2026-04-20",
                "2026-04-30",
                "2026-05-10",
                "2026-05-20",
                "2026-05-30",
                "2026-06-09",
                "2026-06-19",
                "2026-06-29",
            )
        ],
    ),  # fmt: skip
    "E-EDGE": (
        "2026-06-01",
        "2027-05-31",
        100,
        [("2026-06-05", 10), ("2026-06-15", 10), ("2026-06-25", 10)],
    ),
    "E-YOUNG": (
        "2026-06-10",
        "2027-06-09",
        50,
        [("2026-06-12", 5), ("2026-06-20", 5), ("2026-06-28", 5)],
    ),
}


def rows_of_tables() -> dict[str, list[dict]]:
    rows = one_admin()
    rows["contracts"] = [
        {"contract_id": "KB", "customer_id": "C1", "workspace_id": "W1",
         "contract_number": "CN-B", "name": "Band", "start_date": "2026-01-01",
         "end_date": "2027-12-31", "renews_contract_id": None}
    ]  # fmt: skip
    rows["packages"] = [
        {"package_id": f"P-{e[2:]}", "contract_id": "KB", "name": f"Package {e}",
         "scope": "enterprise", "start_date": start, "end_date": end}
        for e, (start, end, _, _) in ENTITLEMENTS.items()
    ]  # fmt: skip
    rows["entitlements"] = [
        {"entitlement_id": e, "package_id": f"P-{e[2:]}", "category": "reactive", "name": e,
         "description": e, "kind": "consumable", "unit": "hours", "purchased": purchased,
         "action_url": None}
        for e, (_, _, purchased, _) in ENTITLEMENTS.items()
    ]  # fmt: skip
    rows["cases"] = [
        {"case_id": f"{e}-{n}", "workspace_id": "W1", "contract_id": "KB", "entitlement_id": e,
         "title": f"Case {n}", "case_type": "reactive", "service_code": "STD",
         "severity": "B", "status": "closed", "created_at": f"{day}T12:00:00Z",
         "closed_at": f"{day}T17:00:00Z", "primary_contact_id": "u-admin", "hours": hours}
        for e, (_, _, _, cases) in ENTITLEMENTS.items() for n, (day, hours) in enumerate(cases)
    ]  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict[str, dict]:
    home: Path = imported(rows_of_tables(), tmp_path_factory.mktemp("band"), AS_OF)
    frame = Dataset(current_dataset(home)).run("renewal_forecast", "u-admin")
    return {r["entitlement_id"]: r for r in frame.iter_rows(named=True)}


@pytest.fixture
def forecast(tiny) -> dict[str, dict]:
    frame = tiny.run("renewal_forecast", "u-cadmin", Filters(status="all"))
    return {r["entitlement_id"]: r for r in frame.iter_rows(named=True)}


def band(row: dict) -> tuple:
    return row["exhaustion_low_date"], row["exhaustion_high_date"]


def test_a_steady_burn_has_a_band_around_its_projection(small):
    row = small["E-STEADY"]
    assert row["burn_per_day"] == pytest.approx(1.0)
    assert row["burn_per_day_low"] == pytest.approx(1 - 0.40755, abs=1e-4)
    assert row["burn_per_day_high"] == pytest.approx(1 + 0.40755, abs=1e-4)
    assert band(row) == (date(2026, 9, 17), date(2027, 1, 2))
    assert row["projected_exhaustion_date"] == date(2026, 10, 18)  # unchanged, between them


def test_thirty_days_of_history_are_enough_for_a_band(small):
    row = small["E-EDGE"]
    assert row["window_days"] == 30
    assert band(row) == (date(2026, 8, 10), date(2027, 3, 2))


def test_under_thirty_days_of_history_have_no_band(small):
    row = small["E-YOUNG"]
    assert row["window_days"] == 21
    assert row["projected_exhaustion_date"] == date(2026, 8, 18)  # still forecast
    assert band(row) == (None, None)
    assert (row["burn_per_day_low"], row["burn_per_day_high"]) == (None, None)


def test_two_cases_of_unequal_size_have_no_latest_run_out(forecast):
    # ANSWERS.md, Forecast band: E-REA 25.5 + 4 in 90 days, 60.5 left
    row = forecast["E-REA"]
    assert row["burn_per_day_high"] == pytest.approx(0.327778 + 0.366928, abs=1e-5)
    assert row["burn_per_day_low"] == 0  # 0.327778 - 0.366928 is below zero: may stop
    assert band(row) == (date(2026, 9, 26), None)


def test_one_delivery_in_the_window(forecast):
    # E-PRO: D2 16 on 05-12, 4 left: the standard error of one use is its mean, 16/90
    row = forecast["E-PRO"]
    assert row["burn_per_day_high"] == pytest.approx(16 / 90 * 2.2816)
    assert band(row) == (date(2026, 7, 10), None)


def test_a_package_younger_than_the_window_counts_its_own_days(forecast):
    row = forecast["E-BCR"]  # P-B2 61 days; D11 3, 7 left: 3/61 × 2.2816 a day, 62.38 days
    assert band(row) == (date(2026, 9, 1), None)


def test_no_band_without_use_in_the_window_or_once_expired(forecast):
    for entitlement in ("E-ADV", "E-CRD", "E-BEDU", "E-OREA", "E-OC"):
        assert band(forecast[entitlement]) == (None, None), entitlement


def test_used_up_already_runs_out_on_the_as_of_day_at_either_end(forecast):
    for entitlement in ("E-WS", "E-ASM"):  # used in the window, nothing left
        assert band(forecast[entitlement]) == (AS_OF, AS_OF), entitlement


def test_the_existing_columns_keep_their_places(tiny):
    columns = tiny.run("renewal_forecast", "u-cadmin").columns
    assert columns[:21] == [
        "entitlement_id", "burn_per_day", "projected_exhaustion_date",
        "projected_unused_at_expiry", "status", "days_left", "contract_number", "package_name",
        "name", "category", "unit", "purchased", "used", "scheduled", "remaining",
        "window_days", "used_in_window", "start_date", "end_date", "contract_id", "package_id",
    ]  # fmt: skip
    assert columns[21:] == [
        "exhaustion_low_date", "exhaustion_high_date", "burn_per_day_low", "burn_per_day_high",
    ]  # fmt: skip


def test_the_meeting_packs_renewal_risks_say_the_band(tiny):
    from dashboard.app import pack_content

    content = pack_content.gather(tiny, "u-cadmin", "Cas Admin", Filters(), 10, "the app")
    risks = content.risks
    assert "Runs out between" in [c.header for c in risks.columns]
    between = dict(zip(risks.rows["name"], risks.rows["runs_out_between"], strict=True))
    assert between["Reactive support"] == "26 Sep 2026 or later"  # E-REA
    assert between["Workshops"] is None  # E-WS: nothing left already, no range to give
    assert any("80% range" in note for note in risks.notes)
