"""The detail views' queries against the hand-made fixture (answers in ANSWERS.md)."""

from datetime import date

import pytest

from dashboard.query.filters import Filters

ALL = Filters(status="all")


def rows(tiny, query, user, filters=ALL, key=None):
    frame = tiny.run(query, user, filters)
    return {r[key]: r for r in frame.iter_rows(named=True)} if key else frame.rows(named=True)


def test_support_totals_count_hidden_requests_too(tiny):
    totals = rows(tiny, "support_totals", "u-act", key="case_type")
    # u-act sees none of the 10 requests; the totals still count them all
    assert (totals["reactive"]["requests"], totals["reactive"]["hours"]) == (7, 57.5)
    assert (totals["advisory"]["requests"], totals["advisory"]["hours"]) == (3, 14.5)
    assert totals["reactive"]["visible"] == 0 and totals["reactive"]["hidden"] == 7
    contact = rows(tiny, "support_totals", "u-contact", key="case_type")
    assert contact["reactive"]["requests"] == 2  # K5, K6 in W2
    assert (contact["reactive"]["visible"], contact["reactive"]["hidden"]) == (1, 1)
    assert (contact["advisory"]["visible"], contact["advisory"]["hidden"]) == (1, 0)  # K9


def test_support_totals_follow_workspaces_contract_and_package_asked_in_turn(tiny):
    # one viewer's kept results serve every filter below, each asked twice in a row of changes:
    # (requests, hours) per type, from cases.csv. K6 is a W2 case on K-A, a contract of W1.
    def totals(**filters):
        found = rows(tiny, "support_totals", "u-cadmin", Filters(status="all", **filters))
        return {r["case_type"]: (r["requests"], r["hours"]) for r in found}

    asked = [
        # K-A's cases wherever they were opened: K1, K2, K6; K3, K10
        ({"contract": "K-A"}, {"reactive": (3, 39.5), "advisory": (2, 14.0)}),
        # only those opened in W1
        (
            {"workspaces": ("W1",), "contract": "K-A"},
            {"reactive": (2, 35.5), "advisory": (2, 14.0)},
        ),
        # K-A is not a contract of W2: nothing, though K6 was opened there
        ({"workspaces": ("W2",), "contract": "K-A"}, {}),
        # P-A1 (E-REA, E-ADV, E-UNL) is K-A's: the same cases as K-A's
        ({"package": "P-A1"}, {"reactive": (3, 39.5), "advisory": (2, 14.0)}),
        # nor is P-A1 a package of W2's contracts
        ({"workspaces": ("W2",), "package": "P-A1"}, {}),
        # W2: K5 12 h, K6 4 h; K9 0.5 h
        ({"workspaces": ("W2",)}, {"reactive": (2, 16.0), "advisory": (1, 0.5)}),
        # P-B1 (E-BREA): K5
        ({"workspaces": ("W2",), "package": "P-B1"}, {"reactive": (1, 12.0)}),
    ]
    for _ in range(2):
        for filters, expected in asked:
            assert totals(**filters) == expected, filters


def test_proactive_deliveries_with_delivered_hours(tiny):
    found = rows(tiny, "proactive_deliveries", "u-cadmin", key="delivery_id")
    assert sorted(found) == ["D1", "D2", "D3", "D4", "D7", "D8"]  # D5/D6 are credits
    assert found["D1"]["hours_delivered"] == 7.5 and found["D4"]["status"] == "cancelled"
    delivered = sum(r["hours_delivered"] or 0 for r in found.values() if r["status"] == "delivered")
    assert delivered == 7.5 + 16 + 12
    spring = Filters(status="all", date_from=date(2026, 4, 1), date_to=date(2026, 6, 30))
    assert sorted(rows(tiny, "proactive_deliveries", "u-cadmin", spring, "delivery_id")) == [
        "D2",
        "D4",
        "D7",
    ]


def test_proactive_deliveries_of_one_status_in_the_order_that_suits_it(tiny):
    def listed(status, filters=ALL):
        frame = tiny.run("proactive_deliveries", "u-cadmin", filters, delivery_status=status)
        return frame.get_column("delivery_id").to_list()

    assert listed("delivered") == ["D7", "D2", "D1"]  # 06-01, 05-12, 02-10: newest first
    assert listed("scheduled") == ["D8", "D3"]  # 07-20, 08-01: soonest first
    assert listed("cancelled") == ["D4"]
    assert listed(None) == ["D3", "D8", "D7", "D2", "D4", "D1"]  # every status, newest first
    summer = Filters(status="all", date_from=date(2026, 6, 1), date_to=date(2026, 7, 31))
    assert listed("scheduled", summer) == ["D8"]  # D3 is in August
    assert listed("delivered", summer) == ["D7"]


@pytest.mark.parametrize(
    ("user", "enrollments", "named"),
    [
        ("u-cadmin", 7, 7),
        ("u-wsadmin", 4, 4),  # W1's N1-N4, as workspace admin
        ("u-train", 3, 3),  # W2's N5-N7, as training manager
        ("u-act", 7, 0),  # counts, never names
        ("u-contact", 3, 0),
        ("u-viewall", 4, 0),
    ],
)
def test_learner_details_only_for_those_allowed(tiny, user, enrollments, named):
    found = rows(tiny, "enrollments", user)
    assert len(found) == enrollments
    assert sum(r["learner_name"] is not None for r in found) == named
    assert sum(r["learner_email"] is not None for r in found) == named
    report = rows(tiny, "training_report", user)
    assert len(report) == named
    assert all(r["learner_name"] and r["learner_email"] for r in report)


def test_enrollments_by_course_and_month(tiny):
    by_course = {(r["course"], r["status"]): r["enrollments"]
                 for r in rows(tiny, "enrollments_by_course", "u-act")}  # fmt: skip
    assert by_course == {
        ("Data 101", "enrolled"): 3,
        ("Intro to Cloud", "completed"): 1,
        ("Intro to Cloud", "enrolled"): 1,
        ("Security Basics", "cancelled"): 1,
        ("Security Basics", "completed"): 1,
    }
    by_month = {(r["month"].isoformat(), r["status"]): r["enrollments"]
                for r in rows(tiny, "enrollments_by_month", "u-act")}  # fmt: skip
    assert by_month == {
        ("2026-02-01", "completed"): 1,
        ("2026-03-01", "enrolled"): 3,
        ("2026-04-01", "cancelled"): 1,
        ("2026-04-01", "enrolled"): 1,
        ("2026-05-01", "completed"): 1,
    }


def test_named_contacts(tiny):
    found = rows(tiny, "named_contacts", "u-act", key="contact_id")
    assert {k: r["counted"] for k, r in found.items()} == {
        "T1": True,
        "T2": False,  # removed before the as-of day
        "T3": True,  # removed after it
        "T4": False,  # removed on it
    }
    assert rows(tiny, "named_contacts", "u-train") == []  # W2's contracts have none


def test_assessments(tiny):
    found = rows(tiny, "assessments", "u-act", key="assessment_id")
    assert {k: (r["technology"], r["status"], r["counted"]) for k, r in found.items()} == {
        "A1": ("Azure", "completed", True),
        "A2": ("SQL Server", "in_progress", True),
        "A3": ("Networking", "cancelled", False),
        "A4": ("Entra ID", "not_started", True),
    }
    june = Filters(status="all", date_from=date(2026, 6, 1), date_to=date(2026, 6, 30))
    # started in June (A2), and the ones not started (A3, A4)
    assert sorted(rows(tiny, "assessments", "u-act", june, "assessment_id")) == ["A2", "A3", "A4"]


def test_credit_history_is_a_running_balance(tiny):
    found = rows(tiny, "credit_history", "u-cadmin")
    assert [(r["delivery_id"], r["redeemed_to_date"], r["balance"]) for r in found] == [
        ("D6", 4, 6),  # 07-15, scheduled: redeems nothing yet
        ("D11", 3, 7),  # 06-15, the lab's credits boost: 10 purchased, 3 redeemed
        ("D5", 4, 6),  # 03-03, 10 purchased, 4 redeemed
        ("D9", 5, 0),  # 02-01, the expired spring add-on, fully redeemed
    ]
    active_only = rows(tiny, "credit_history", "u-cadmin", Filters())
    assert [r["delivery_id"] for r in active_only] == ["D6", "D11", "D5"]
    # the dates narrow the list, not the balances: D6's counts D5's 4 credits of March
    may_on = Filters(status="all", date_from=date(2026, 5, 1))
    found = rows(tiny, "credit_history", "u-cadmin", may_on)
    assert [(r["delivery_id"], r["balance"]) for r in found] == [("D6", 6), ("D11", 7)]


def test_credit_deliveries_count_the_credit_ledger_on_the_roll_up(tiny):
    def counted(user, filters):
        return rows(tiny, "credit_deliveries", user, filters)[0]["deliveries"]

    # D5, D6 (scheduled), D9 (the expired spring add-on) and D11; from May, D6 and D11
    assert counted("u-cadmin", Filters(status="all")) == 4
    assert counted("u-cadmin", Filters(status="all", date_from=date(2026, 5, 1))) == 2
    assert counted("u-gadmin", Filters(status="all")) == 0  # Globex bought no credits
    for filters in (Filters(status="all"), Filters(), Filters(date_to=date(2026, 3, 31))):
        listed = rows(tiny, "credit_history", "u-cadmin", filters)
        assert counted("u-cadmin", filters) == len(listed), filters


def test_credit_balances_count_every_redemption_whatever_the_dates(tiny):
    may_on = Filters(status="all", date_from=date(2026, 5, 1))
    found = rows(tiny, "credit_balance", "u-cadmin", may_on)
    # E-CRD: 10 less D5's 4 on 03-03, before the dates picked; E-OC: 5 less 5 on 02-01
    assert [(r["entitlement_id"], str(r["date"]), r["balance"]) for r in found] == [
        ("E-BCR", "2026-06-15", 7), ("E-CRD", "2026-03-03", 6), ("E-OC", "2026-02-01", 0)
    ]  # fmt: skip


def test_support_by_month_counts_every_request(tiny):
    found = {(r["month"].isoformat()[:7], r["case_type"]): (r["requests"], r["hours"])
             for r in rows(tiny, "support_by_month", "u-act")}  # fmt: skip
    assert found == {
        ("2026-01", "reactive"): (1, 3),  # K7
        ("2026-02", "reactive"): (1, 10),  # K1
        ("2026-03", "advisory"): (1, 8),  # K3
        ("2026-04", "reactive"): (2, 13),  # K4 1 + K5 12
        ("2026-05", "reactive"): (2, 29.5),  # K2 25.5 + K6 4
        ("2026-06", "reactive"): (1, 2),  # K8
        ("2026-06", "advisory"): (2, 6.5),  # K9 0.5 + K10 6
    }


def test_delivery_totals_per_status(tiny):
    found = {r["status"]: (r["deliveries"], r["quantity"], r["hours_delivered"])
             for r in rows(tiny, "delivery_totals", "u-cadmin")}  # fmt: skip
    assert found == {
        "delivered": (3, 36, 35.5),  # D1 8/7.5h, D2 16/16h, D7 12/12h
        "scheduled": (2, 20, 0),  # D3 12, D8 8: no hours yet
        "cancelled": (1, 8, 0),  # D4
    }
    counted = {r["status"]: r["counted"] for r in rows(tiny, "delivery_totals", "u-cadmin")}
    assert counted == {"delivered": 3, "scheduled": 2, "cancelled": 1}  # none on a benefit
    spring = Filters(status="all", date_from=date(2026, 4, 1), date_to=date(2026, 6, 30))
    found = {r["status"]: (r["deliveries"], r["quantity"], r["hours_delivered"])
             for r in rows(tiny, "delivery_totals", "u-cadmin", spring)}  # fmt: skip
    assert found == {"delivered": (2, 28, 28), "cancelled": (1, 8, 0)}  # D2 + D7; D4


def test_credit_balance_at_the_end_of_each_day_with_redemptions(tiny):
    found = [(r["entitlement_id"], r["date"], r["redemptions"], r["quantity"], r["balance"])
             for r in rows(tiny, "credit_balance", "u-cadmin")]  # fmt: skip
    assert found == [
        ("E-BCR", date(2026, 6, 15), 1, 3, 7),  # D11: 10 - 3
        ("E-CRD", date(2026, 3, 3), 1, 4, 6),  # D5: 10 - 4 (D6 is only scheduled)
        ("E-OC", date(2026, 2, 1), 1, 5, 0),  # D9: 5 - 5
    ]
    active_only = rows(tiny, "credit_balance", "u-cadmin", Filters())
    assert [r["entitlement_id"] for r in active_only] == ["E-BCR", "E-CRD"]


@pytest.mark.parametrize(
    ("reasons", "service", "expected"),
    [
        ((), None, ["K4", "K5", "K6", "K7", "K8", "K9"]),
        (("special_service",), None, ["K5", "K7"]),
        (("special_service",), "REC", ["K7"]),
        (("no_entitlement", "unmapped_contract"), None, ["K4", "K6", "K8", "K9"]),
        ((), "STD", ["K4", "K6", "K8"]),
    ],
)
def test_additional_cases_narrowed_by_reason_and_service(tiny, reasons, service, expected):
    found = tiny.run("additional_cases", "u-cadmin", ALL, reasons=reasons, service=service)
    assert sorted(found.get_column("case_id")) == expected
    counted = tiny.run("additional_case_count", "u-cadmin", ALL, reasons=reasons, service=service)
    assert counted.item() == len(expected)


def test_additional_case_figures_in_one_query(tiny):
    found = {(r["kind"], r["name"]): (r["cases"], r["hours"])
             for r in rows(tiny, "additional_case_figures", "u-cadmin")}  # fmt: skip
    assert found == {
        ("reason", "expired_contract"): (1, 3),  # K7
        ("reason", "no_entitlement"): (2, 1.5),  # K4 1 + K9 0.5
        ("reason", "special_service"): (2, 15),  # K5 12 + K7 3
        ("reason", "unmapped_contract"): (2, 6),  # K6 4 + K8 2
        ("service", "STD"): (3, 7),
        ("service", "ADV"): (1, 0.5),
        ("service", "REC"): (1, 3),
        ("service", "SU"): (1, 12),
        ("picked", None): (6, 22.5),  # K4 1 + K5 12 + K6 4 + K7 3 + K8 2 + K9 0.5
    }
    narrowed = tiny.run("additional_case_figures", "u-cadmin", ALL, reasons=("special_service",))
    assert narrowed.filter(narrowed["kind"] == "picked").row(0)[2:] == (2, 15)  # K5, K7
    assert rows(tiny, "additional_case_figures", "u-act")[0]["kind"] == "picked"  # sees none
