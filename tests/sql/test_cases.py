"""Support requests and additional cases against the hand-made fixture."""

from datetime import date

from dashboard.query.filters import Filters


def case_ids(frame):
    return sorted(frame.get_column("case_id").to_list())


def test_date_range_narrows_support_requests(tiny):
    # opened 2026-04-01 12:00 (K4) to 2026-05-31 inclusive; K2 is 2026-05-10 09:00 +02:00
    april_may = Filters(date_from=date(2026, 4, 1), date_to=date(2026, 5, 31))
    assert case_ids(tiny.run("support_requests", "u-cadmin", april_may)) == ["K2", "K4", "K5", "K6"]
    one_day = Filters(date_from=date(2026, 5, 10), date_to=date(2026, 5, 10))
    assert case_ids(tiny.run("support_requests", "u-cadmin", one_day)) == ["K2"]
    counts = tiny.run("support_request_counts", "u-act", april_may).row(0, named=True)
    assert (counts["in_view"], counts["visible"], counts["hidden"]) == (4, 0, 4)


def test_contract_and_package_filters_narrow_support_requests(tiny):
    on_k_a = tiny.run("support_requests", "u-cadmin", Filters(contract="K-A"))
    assert case_ids(on_k_a) == ["K1", "K10", "K2", "K3", "K6"]
    on_lab = tiny.run("support_requests", "u-cadmin", Filters(package="P-B1"))
    assert case_ids(on_lab) == ["K5"]


def test_support_request_columns_and_contact_names(tiny):
    frame = tiny.run("support_requests", "u-contact")
    required = (
        "case_id workspace_id contract_id title case_type service_code severity status "
        "created_at hours"
    ).split()
    assert frame.columns[: len(required)] == required
    rows = {r["case_id"]: r for r in frame.iter_rows(named=True)}
    assert rows["K5"]["primary_contact"] == "Cole Contact"
    assert rows["K5"]["hours"] == 12
    assert rows["K9"]["status"] == "open" and rows["K9"]["closed_at"] is None


def reasons(tiny, user, filters=None):
    frame = tiny.run("additional_cases", user, filters)
    return {r["case_id"]: r["reasons"] for r in frame.iter_rows(named=True)}


def test_additional_cases_and_reasons(tiny):
    assert reasons(tiny, "u-cadmin") == {
        "K4": "no_entitlement",  # no contract, no entitlement
        "K5": "special_service",  # SU
        "K6": "unmapped_contract",  # a W2 case on K-A, mapped to W1
        "K7": "expired_contract;special_service",  # K-OLD ended 2025-12-31; REC
        "K8": "unmapped_contract",  # K-NULL is mapped to no workspace
        "K9": "no_entitlement",  # a contract but no entitlement
    }


def test_additional_cases_only_among_visible_cases(tiny):
    assert reasons(tiny, "u-contact") == {"K5": "special_service", "K9": "no_entitlement"}
    assert reasons(tiny, "u-act") == {}
    assert reasons(tiny, "u-gadmin") == {"K20": "special_service"}  # DSA
    assert reasons(tiny, "u-wsadmin") == {
        "K4": "no_entitlement",
        "K7": "expired_contract;special_service",
        "K8": "unmapped_contract",
    }


def test_additional_case_columns(tiny):
    frame = tiny.run("additional_cases", "u-cadmin")
    assert frame.columns[:4] == ["case_id", "workspace_id", "service_code", "reasons"]
