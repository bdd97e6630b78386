"""The renewal forecast against hand-worked examples from the fixture (as of 2026-06-30; the
trailing window is 2026-04-02 to 2026-06-30, 90 days)."""

from datetime import date

import pytest

from dashboard.query.filters import Filters


@pytest.fixture
def forecast(tiny):
    frame = tiny.run("renewal_forecast", "u-cadmin", Filters(status="all"))
    return {r["entitlement_id"]: r for r in frame.iter_rows(named=True)}


def test_columns(tiny):
    frame = tiny.run("renewal_forecast", "u-cadmin")
    assert frame.columns[:6] == [
        "entitlement_id", "burn_per_day", "projected_exhaustion_date",
        "projected_unused_at_expiry", "status", "days_left",
    ]  # fmt: skip


def test_steady_burn_on_track(forecast):
    row = forecast["E-REA"]  # K2 25.5 + K6 4 in the window; 60.5 left, 184 days to go
    assert row["burn_per_day"] == pytest.approx(29.5 / 90)
    assert row["projected_exhaustion_date"] == date(2027, 1, 1)  # 60.5 / (29.5/90) = 184.6 days
    assert row["projected_unused_at_expiry"] == pytest.approx(60.5 - 29.5 / 90 * 184)
    assert row["status"] == "on track"


def test_steady_burn_running_out(forecast):
    row = forecast["E-PRO"]  # D2 16 delivered in the window; 4 left after 12 scheduled
    assert row["burn_per_day"] == pytest.approx(16 / 90)
    assert row["projected_exhaustion_date"] == date(2026, 7, 23)  # 4 / (16/90) = 22.5 days
    assert row["status"] == "will run out before expiry"


def test_no_usage_leaves_it_unused(forecast):
    row = forecast["E-ADV"]  # K3 was in March, before the window
    assert row["burn_per_day"] == 0
    assert row["projected_exhaustion_date"] is None
    assert row["projected_unused_at_expiry"] == 12
    assert row["status"] == "will leave unused"  # 12 > 20% of 20


def test_overage_has_already_run_out(forecast):
    for entitlement in ("E-WS", "E-ASM", "E-BEDU"):
        row = forecast[entitlement]
        assert row["remaining"] < 0
        assert row["projected_exhaustion_date"] == date(2026, 6, 30)
        assert row["projected_unused_at_expiry"] == 0
        assert row["status"] == "will run out before expiry"


def test_package_started_recently(forecast):
    row = forecast["E-BCR"]  # P-B2 from 2026-05-01: 61 days; D11 redeemed 3
    assert row["window_days"] == 61
    assert row["burn_per_day"] == pytest.approx(3 / 61)
    assert row["projected_exhaustion_date"] == date(2026, 11, 20)  # 7 / (3/61) = 142.3 days
    assert row["projected_unused_at_expiry"] == pytest.approx(7 - 3 / 61 * 123)
    assert row["status"] == "on track"  # 0.95 is under 20% of 10


def test_already_expired(forecast):
    assert forecast["E-OREA"]["status"] == "expired"
    assert forecast["E-OREA"]["projected_exhaustion_date"] is None
    assert forecast["E-OC"]["status"] == "expired"


def test_leaving_more_than_a_fifth_unused(forecast):
    row = forecast["E-BREA"]  # K5 12 in the window; 18 left, 77 days to go
    assert row["projected_unused_at_expiry"] == pytest.approx(18 - 12 / 90 * 77)  # 7.73 > 6
    assert row["status"] == "will leave unused"


def test_what_is_not_forecast(forecast):
    assert "E-CON" not in forecast  # named contacts are a headcount
    assert "E-UNL" not in forecast  # no limit to run out of
    assert "E-UREA" not in forecast  # its package has not started
    assert "E-BEN" not in forecast  # a benefit


def test_riskiest_first(tiny):
    statuses = tiny.run("renewal_forecast", "u-cadmin", Filters(status="all"))["status"].to_list()
    order = ["will run out before expiry", "will leave unused", "on track", "expired"]
    assert statuses == sorted(statuses, key=order.index)


def test_burn_history(tiny):
    rows = tiny.run("burn_history", "u-cadmin", entitlement="E-REA").rows()
    assert rows == [(date(2026, 2, 1), 10), (date(2026, 5, 5), 4), (date(2026, 5, 10), 25.5)]
    assert tiny.run("burn_history", "u-gadmin", entitlement="E-REA").is_empty()


def test_pace_and_sizing(tiny):
    frame = tiny.run("pace_and_sizing", "u-cadmin", Filters(status="all"))
    rows = {r["entitlement_id"]: r for r in frame.iter_rows(named=True)}
    rea = rows["E-REA"]  # 2026: 365 days, 181 elapsed by 2026-06-30; 39.5 of 100 used
    assert rea["term_days"] == 365
    assert rea["term_elapsed"] == pytest.approx(181 / 365)
    assert rea["pace"] == pytest.approx(0.395 - 181 / 365)
    assert rea["pace_note"] == "behind an even burn"  # 0.395 - 0.496 = -0.101, past a tenth
    # K1, K2 and K6: 3 events. The term's average pace: 39.5 / 181 * 365 = 79.65, 80; the
    # last 90 days (K2 25.5 + K6 4): 29.5 / 90 * 365 = 119.6, 120
    assert (rea["days_elapsed"], rea["usage_events"]) == (181, 3)
    assert rea["suggested_next_term"] == 80
    assert rea["suggested_from_last_90_days"] == 120
    ws = rows["E-WS"]  # Jan to Jul: 212 days, 181 elapsed; 12 of 16 used
    assert ws["pace"] == pytest.approx(0.75 - 181 / 212)
    assert ws["pace_note"] == "behind an even burn"
    adv = rows["E-ADV"]  # K3 alone: one event is too little history to size from
    assert adv["usage_events"] == 1
    assert adv["suggested_next_term"] is None
    assert adv["suggested_from_last_90_days"] is None
    assert adv["no_suggestion_reason"] == "too little history: 1 usage event, under 3"
    assert adv["pace_note"] == "about even"  # 8 of 20 = 0.40 against 0.496: -0.096
    assert "E-OREA" not in rows  # expired: no next term to size from it


def totals(tiny, filters):
    frame = tiny.run("proof_of_delivery_totals", "u-cadmin", filters)
    return {r["category"]: (r["items"], r["quantity"], r["hours_delivered"])
            for r in frame.iter_rows(named=True)}  # fmt: skip


def test_proof_of_delivery_for_a_contract(tiny):
    assert totals(tiny, Filters(contract="K-A")) == {
        "proactive": (3, 36, 35.5),  # D1 8 (7.5 h), D2 16 (16 h), D7 12 (12 h); D4 cancelled
        "credits": (2, 9, None),  # D5 4, D9 5 (the expired add-on counts: it was delivered)
        "reactive": (3, 39.5, None),  # K1 10, K2 25.5, K6 4
        "advisory": (2, 14, None),  # K3 8, K10 6
        "education": (3, 3, None),  # N1, N2, N4; N3 cancelled
        "assessments": (2, 2, None),  # A1 completed, A2 in progress
    }
    items = tiny.run("proof_of_delivery", "u-cadmin", Filters(contract="K-A"))
    assert len(items) == 15
    assert "Ann Lee" not in items.write_csv()  # no learner details in the proof
    # by category, then day, then reference, whichever file each row comes from
    order = list(zip(items["category"], items["day"], items["reference"], strict=True))
    assert order == sorted(order)
    assert list(dict.fromkeys(items["category"])) == [
        "advisory", "assessments", "credits", "education", "proactive", "reactive",
    ]  # fmt: skip
    for limit in range(len(items) + 2):  # each head read from the first rows of each copy
        head = tiny.run("proof_of_delivery", "u-cadmin", Filters(contract="K-A"), limit=limit)
        assert head.equals(items.head(limit)), limit


def test_proof_of_delivery_names_the_package_of_each_support_request(tiny):
    """A support request is delivered under its entitlement's package; one with no
    entitlement (K9) under none."""
    for contract, expected in (
        # K1, K2, K6 on E-REA, K3 on E-ADV, K10 on E-UNL: all of P-A1
        ("K-A", {k: "Enterprise Support 2026" for k in ("K1", "K2", "K3", "K6", "K10")}),
        ("K-B", {"K5": "Lab Enterprise", "K9": None}),  # K5 on E-BREA of P-B1
    ):
        items = tiny.run("proof_of_delivery", "u-cadmin", Filters(contract=contract))
        cases = items.filter(items["category"].is_in(["reactive", "advisory"]))
        assert dict(zip(cases["reference"], cases["package_name"], strict=True)) == expected


def test_proof_of_delivery_in_a_date_range(tiny):
    spring = Filters(contract="K-A", date_from=date(2026, 4, 1), date_to=date(2026, 5, 31))
    assert totals(tiny, spring) == {
        "proactive": (1, 16, 16),  # D2
        "reactive": (2, 29.5, None),  # K2, K6
        "education": (2, 2, None),  # N2 on 04-01, N4
    }


def test_term_comparison(tiny):
    frame = tiny.run("term_comparison", "u-cadmin")
    rows = {(r["contract_number"], r["category"]): r for r in frame.iter_rows(named=True)}
    reactive = rows[("CN-100", "reactive")]  # K-A renews K-OLD
    assert reactive["previous_contract_number"] == "CN-090"
    assert (reactive["purchased_this_term"], reactive["used_this_term"]) == (100, 39.5)
    assert (reactive["purchased_previous_term"], reactive["used_previous_term"]) == (50, 3)
    # like for like: K-A is 181 of 365 days in; K-OLD's same share is its first 181 days, to
    # 2025-06-30, when it had used nothing (K7 came on 2026-01-10): 39.5 - 0
    assert reactive["term_elapsed"] == pytest.approx(181 / 365)
    assert reactive["previous_compared_to"] == date(2025, 6, 30)
    assert reactive["used_previous_term_same_share"] == 0
    assert reactive["change_in_use"] == 39.5
    proactive = rows[("CN-100", "proactive")]  # E-PRO 40 / 24 and the add-on's E-WS 16 / 12
    assert (proactive["purchased_this_term"], proactive["used_this_term"]) == (56, 36)
    assert proactive["purchased_previous_term"] is None
    assert {number for number, _ in rows} == {"CN-100"}  # nothing else renews a contract
    assert tiny.run("term_comparison", "u-train").is_empty()
