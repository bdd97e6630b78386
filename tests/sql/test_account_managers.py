"""Account managers in the visibility layer, against the hand-made dataset: who may open which
customer, what they see there, and the portfolio (tests/fixtures/tiny/ANSWERS.md, "Account
managers")."""

from datetime import date

import polars as pl
import pytest

from dashboard.query.filters import Filters
from dashboard.query.viewer import AccessDenied, NoCustomerAssigned, fit_customer, viewer_of

ACME, GLOBEX = Filters(customer="C1"), Filters(customer="C2")
PORTFOLIO_COLUMNS = [
    "customer_id",
    "customer_name",
    "active_contracts",
    "next_contract_end",
    "days_left",
    "enterprise_hours_purchased",
    "enterprise_hours_used",
    "enterprise_hours_utilisation",
    "overdrawn_entitlements",
    "packages_expiring_soon",
    "will_run_out",
    "additional_cases_90d",
]
# what a customer admin sees, which an account manager sees too in a customer they may open
SAME_AS_THE_ADMIN = [
    "contracts",
    "active_contracts",
    "packages",
    "enterprise_consumption",
    "enterprise_entitlements",
    "renewal_forecast",
    "support_requests",
    "support_totals",
    "additional_cases",
    "proof_of_delivery",
    "delivery_totals",
    "monthly_consumption",
    "named_contacts",
    "credit_balance",
]


def customers_of(tiny, user: str) -> list[str]:
    return tiny.run("viewer_customers", user).get_column("customer_id").to_list()


def test_an_account_manager_opens_the_customers_of_their_active_assignments(tiny):
    assert customers_of(tiny, "am-ann") == ["C1", "C2"]  # Acme Corporation, then Globex
    assert customers_of(tiny, "am-bo") == []  # ended the day before the as-of day
    assert customers_of(tiny, "am-cy") == []  # starts the day after
    assert customers_of(tiny, "am-dee") == ["C2"]  # ends on the as-of day; C1 starts after it
    assert customers_of(tiny, "u-act") == ["C1"]  # a customer user: their own


def test_an_account_manager_sees_what_the_customer_admin_sees(tiny):
    for name in SAME_AS_THE_ADMIN:
        for admin, scope in (("u-cadmin", ACME), ("u-gadmin", GLOBEX)):
            assert tiny.run(name, "am-ann", scope).equals(tiny.run(name, admin, scope)), name


def test_an_account_manager_sees_contracts_mapped_to_no_workspace(tiny):
    contracts = tiny.run("contracts", "am-ann", ACME).get_column("contract_id").to_list()
    assert sorted(contracts) == ["K-A", "K-B", "K-NULL", "K-OLD", "K-UP"]


def test_every_workspace_and_every_case_but_no_granting(tiny):
    spaces = tiny.run("workspaces", "am-ann", ACME)
    assert spaces.get_column("workspace_id").to_list() == ["W2", "W1"]  # Lab, Production
    assert spaces.get_column("sees_all_cases").all()
    assert not spaces.get_column("is_admin").any()  # grants nothing
    assert not spaces.get_column("sees_learners").any()
    assert tiny.run("support_totals", "am-ann", ACME).item(0, "hidden") == 0
    for name in ("people", "access_people", "access_groups", "access_audit"):
        assert tiny.run(name, "am-ann", ACME).is_empty(), name
        assert not tiny.run(name, "u-cadmin", ACME).is_empty() or name == "access_audit"


def test_learners_are_counted_never_named(tiny):
    enrollments = tiny.run("enrollments", "am-ann", ACME).sort("enrollment_id")
    assert enrollments.height == 7  # N1-N4 of E-EDU, N5-N7 of E-BEDU
    assert enrollments.get_column("learner_name").null_count() == 7
    assert enrollments.get_column("learner_email").null_count() == 7
    admin = tiny.run("enrollments", "u-cadmin", ACME)
    assert admin.get_column("learner_name").null_count() == 0


def test_customers_stay_apart(tiny):
    # an account manager in one customer sees none of the other's
    acme = tiny.run("contracts", "am-ann", ACME).get_column("contract_id").to_list()
    globex = tiny.run("contracts", "am-ann", GLOBEX).get_column("contract_id").to_list()
    assert "K-G" not in acme and globex == ["K-G"]
    # a customer they may not open shows nothing, however asked
    assert tiny.run("contracts", "am-dee", ACME).is_empty()  # C1 starts after the as-of day
    assert tiny.run("contracts", "am-bo", ACME).is_empty()  # ended
    assert tiny.run("support_requests", "am-bo", Filters()).is_empty()
    # a customer user's `customer` changes nothing: they have one
    gina = tiny.run("contracts", "u-gadmin", ACME).get_column("contract_id").to_list()
    assert gina == ["K-G"]


def test_the_portfolio_by_hand(tiny):
    portfolio = tiny.run("portfolio", "am-ann", Filters())
    assert portfolio.columns == PORTFOLIO_COLUMNS
    assert portfolio.rows() == [
        # K-A, K-B, K-NULL active; K-B (CN-200) ends first, not renewed. Hours: advisory 20 /
        # 14 (6 without limit), proactive 40 / 24, reactive 140 / 53.5 -> 200 / 91.5, (91.5 -
        # 6) / 200. Overdrawn E-ASM, E-WS, E-BEDU; expiring P-A2 (31), P-B1 (77); run out E-PRO,
        # E-EDU, E-ASM, E-WS, E-BEDU; additional from 2026-04-02: K5, K6, K8, K9 (K4 is on
        # 2026-04-01, the 91st day back)
        ("C1", "Acme Corporation", 3, date(2026, 9, 15), 77, 200.0, 91.5, 0.4275, 3, 2, 5, 4),
        # K-G; reactive 25 / 7; E-GREA on track (18 - 7/90 * 184 = 3.7, under 5); K20 (DSA)
        ("C2", "Globex", 1, date(2026, 12, 31), 184, 25.0, 7.0, 0.28, 0, 0, 0, 1),
    ]


def test_the_portfolio_of_one_customer_and_of_none(tiny):
    assert tiny.run("portfolio", "am-ann", GLOBEX).get_column("customer_id").to_list() == ["C2"]
    assert tiny.run("portfolio", "am-dee", Filters()).get_column("customer_id").to_list() == ["C2"]
    assert tiny.run("portfolio", "am-bo", Filters()).is_empty()


def test_the_portfolio_timeline_and_hours(tiny):
    contracts = tiny.run("portfolio_contracts", "am-ann", Filters())
    assert contracts.select("customer_id", "contract_number", "days_left").rows() == [
        ("C1", "CN-200", 77),
        ("C1", "CN-100", 184),
        ("C1", "CN-400", 184),
        ("C2", "GX-1", 184),
    ]
    hours = tiny.run("portfolio_hours", "am-ann", Filters())
    acme = hours.row(0, named=True)
    # remaining: 12 (advisory) + 4 (proactive) + 60.5 + 18 + 8 (reactive); none over
    assert (acme["customer_id"], acme["purchased"], acme["used"]) == ("C1", 200.0, 91.5)
    assert acme["remaining"] == pytest.approx(102.5)
    assert (acme["scheduled"], acme["overage"], acme["used_without_limit"]) == (12.0, 0.0, 6.0)
    assert hours.row(1) == ("C2", "Globex", "hours", 25.0, 7.0, 0.0, 18.0, 0.0, 0.0, 0.0)


def test_the_viewer_in_python(tiny):
    ann = viewer_of(tiny, "am-ann")
    assert (ann.is_account_manager, ann.needs_customer, ann.customer_id) == (True, True, None)
    in_globex = viewer_of(tiny, "am-ann", customer="C2")
    assert (in_globex.customer_id, in_globex.customer_name) == ("C2", "Globex")
    assert in_globex.workspaces.get_column("workspace_id").to_list() == ["W3"]
    dee = viewer_of(tiny, "am-dee")  # one customer: picked by itself
    assert (dee.customer_id, dee.needs_customer) == ("C2", False)
    with pytest.raises(AccessDenied, match="may not open customer “C1”"):
        viewer_of(tiny, "am-dee", customer="C1")
    with pytest.raises(NoCustomerAssigned, match="no customer assigned on 30 June 2026"):
        viewer_of(tiny, "am-bo")


def test_a_link_s_customer_fitted_to_the_viewer(tiny):
    ann, cara = viewer_of(tiny, "am-ann"), viewer_of(tiny, "u-cadmin")
    assert fit_customer(ann, "C2") == ("C2", [])
    assert fit_customer(ann, "C9") == (None, ["customer “C9” is not one you serve"])
    assert fit_customer(cara, "C1") == (None, ["the customer filter is for account managers only"])
    assert fit_customer(cara, None) == (None, [])


def test_no_customer_id_of_another_customer_in_an_account_manager_s_rows(tiny):
    """am-dee may open Globex only: nothing of Acme's reaches any query of theirs."""
    acme_ids = {"C1", "W1", "W2", "K-A", "K-B", "K-NULL", "K-OLD", "K-UP", "P-A1", "P-B1"}
    for name in [*SAME_AS_THE_ADMIN, "portfolio", "portfolio_contracts", "portfolio_hours"]:
        for scope in (Filters(), GLOBEX, ACME):
            frame = tiny.run(name, "am-dee", scope)
            text = frame.select(pl.all().cast(pl.String)).rows()
            assert not acme_ids & {v for row in text for v in row}, name
