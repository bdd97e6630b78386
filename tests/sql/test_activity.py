"""Consumption over time, an entitlement's usage history, sign-in and access-granting queries,
against the hand-made fixture (answers in tests/fixtures/tiny/ANSWERS.md)."""

from datetime import date

import polars as pl
import pytest

from dashboard.query.filters import Filters


def monthly(tiny, user, filters=None):
    frame = tiny.run("monthly_consumption", user, filters)
    return {
        (r["month"].isoformat()[:7], r["category"]): r["amount"]
        for r in frame.iter_rows(named=True)
    }


def test_monthly_consumption_customer_admin(tiny):
    assert monthly(tiny, "u-cadmin") == pytest.approx(
        {
            ("2026-02", "reactive"): 10,  # K1
            ("2026-04", "reactive"): 12,  # K5 (E-BREA)
            ("2026-05", "reactive"): 29.5,  # K2 25.5 + K6 4
            ("2026-06", "reactive"): 2,  # K8 (E-NREA, the unmapped contract)
            ("2026-03", "advisory"): 8,  # K3
            ("2026-06", "advisory"): 6,  # K10 on the unlimited entitlement
            ("2026-02", "proactive"): 8,  # D1; the add-on workshops are not enterprise
            ("2026-05", "proactive"): 16,  # D2
            ("2026-03", "credits"): 4,  # D5
            ("2026-02", "education"): 1,  # N1
            ("2026-03", "education"): 3,  # N5-N7 on the lab's seats
            ("2026-04", "education"): 1,  # N2 (N3 cancelled)
            ("2026-05", "education"): 1,  # N4
            ("2026-02", "assessments"): 1,  # A1; A4 not started has no day
            ("2026-06", "assessments"): 1,  # A2
        }
    )


def test_monthly_consumption_in_a_date_range(tiny):
    spring = Filters(date_from=date(2026, 4, 1), date_to=date(2026, 5, 31))
    assert monthly(tiny, "u-cadmin", spring) == pytest.approx(
        {
            ("2026-04", "reactive"): 12,
            ("2026-05", "reactive"): 29.5,
            ("2026-05", "proactive"): 16,
            ("2026-04", "education"): 1,
            ("2026-05", "education"): 1,
        }
    )


def history(tiny, user, entitlement, filters=None):
    frame = tiny.run(
        "entitlement_history", user, filters or Filters(status="all"), entitlement=entitlement
    )
    return {r["record_id"]: r for r in frame.iter_rows(named=True)}


def test_history_of_deliveries(tiny):
    rows = history(tiny, "u-act", "E-PRO")
    assert {k: (r["status"], r["amount"], r["counts"]) for k, r in rows.items()} == {
        "D1": ("delivered", 8, 1),
        "D2": ("delivered", 16, 1),
        "D3": ("scheduled", 12, 2),
        "D4": ("cancelled", 8, 0),
    }
    assert rows["D1"]["hours_delivered"] == 7.5 and rows["D1"]["person"] == "J. Smith"


def test_history_lists_only_visible_support_requests(tiny):
    assert sorted(history(tiny, "u-cadmin", "E-REA")) == ["K1", "K2", "K6"]
    assert history(tiny, "u-act", "E-REA") == {}  # u-act may see no case
    assert sorted(history(tiny, "u-viewall", "E-REA")) == ["K1", "K2"]  # K6 is in W2


@pytest.mark.parametrize(
    ("user", "entitlement", "names_shown"),
    [
        ("u-cadmin", "E-EDU", True),  # customer admin
        ("u-wsadmin", "E-EDU", True),  # workspace admin of W1, where K-A is mapped
        ("u-act", "E-EDU", False),
        ("u-viewall", "E-EDU", False),
        ("u-train", "E-BEDU", True),  # training_manager in W2, where K-B is mapped
        ("u-contact", "E-BEDU", False),
        ("u-act", "E-BEDU", False),
    ],
)
def test_learner_names_only_for_those_allowed(tiny, user, entitlement, names_shown):
    rows = history(tiny, user, entitlement)
    assert rows, "enrollments are listed for everyone who can see the entitlement"
    people = {r["person"] for r in rows.values()}
    if names_shown:
        assert None not in people
    else:
        assert people == {None}


def test_history_of_contacts_and_assessments(tiny):
    contacts = history(tiny, "u-cadmin", "E-CON")
    assert {k: r["status"] for k, r in contacts.items()} == {
        "T1": "active",
        "T2": "removed",
        "T3": "active",  # removed after the as-of day
        "T4": "removed",  # removed on the as-of day
    }
    assessments = history(tiny, "u-cadmin", "E-ASM")
    assert assessments["A1"]["title"] == "Security assessment (Azure)"
    assert {k: r["counts"] for k, r in assessments.items()} == {"A1": 1, "A2": 1, "A3": 0, "A4": 1}


def test_history_of_an_entitlement_out_of_view_is_empty(tiny):
    assert history(tiny, "u-gadmin", "E-PRO") == {}
    assert history(tiny, "u-wsadmin", "E-BEDU") == {}


def test_sign_in_by_email_ignores_ascii_case(tiny):
    # the caller normalises what the provider gives; the addresses are normalised alike
    found = tiny.run("sign_in", None, email="cara@acme.example")
    assert found.get_column("user_id").to_list() == ["u-cadmin"]
    assert tiny.run("sign_in", None, email="nobody@acme.example").is_empty()


def test_demo_users_lists_everyone_by_customer(tiny):
    users = tiny.run("demo_users", None)
    assert users.height == 15  # 4 account managers, 11 users of the customers
    # the account managers first, by how many customers they serve on the as-of day (2, 1, 0,
    # 0), then each customer's users, its admin first
    managers = users.filter(pl.col("is_account_manager")).get_column("user_id").to_list()
    assert managers == ["am-ann", "am-dee", "am-bo", "am-cy"]
    assert users.get_column("user_id").to_list()[:5] == [*managers, "u-cadmin"]
    assert users.get_column("customer_name").to_list()[-1] == "Globex"


def test_sign_in_finds_an_account_manager_by_email(tiny):
    found = tiny.run("sign_in", None, email="ann@provider.example")
    assert found.rows() == [("am-ann", "Ann Manager", None)]


def test_access_granters(tiny):
    rows = tiny.run("access_granters", "u-none").rows()
    assert rows == [
        ("Cara Admin", "cara@acme.example", "every workspace (customer admin)"),
        ("Walt Wsadmin", "walt@acme.example", "Acme Production"),
    ]
    assert tiny.run("access_granters", "u-gadmin").rows() == [
        ("Gina Globex", "gina@globex.example", "every workspace (customer admin)")
    ]
