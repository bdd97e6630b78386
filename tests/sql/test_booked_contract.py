"""Proof of delivery with a contract picked reads only the cases booked against it (the copies
sorted by the contract a case is booked against, queries/_derived.sql): a case naming no
contract is booked against its entitlement's, and must still be listed and counted there.

The small dataset: Acme's workspace W1 with contracts KA (package PA, entitlement EA, reactive
hours) and KB (PB, EB). Cases, each of 2 hours, raised by u-admin in W1 in June 2026:
  C1 names KA and EA            -> booked against KA
  C2 names no contract, EA      -> KA (its entitlement's)
  C3 names no contract, EB      -> KB
  C4 names no contract, nor any entitlement -> booked against no contract
  C5 names KB, no entitlement   -> KB (the contract it names)
(A case naming both names an entitlement of the contract it names: the import refuses others.)
"""

from datetime import date

import pytest

from dashboard.ingest.data_home import current_dataset
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.sql.small_datasets import imported, one_admin

CASES = {  # case: (contract, entitlement)
    "C1": ("KA", "EA"),
    "C2": (None, "EA"),
    "C3": (None, "EB"),
    "C4": (None, None),
    "C5": ("KB", None),
}


def rows_of_tables() -> dict[str, list[dict]]:
    rows = one_admin()
    rows["contracts"] = [
        {"contract_id": k, "customer_id": "C1", "workspace_id": "W1", "contract_number": f"CN-{k}",
         "name": k, "start_date": "2026-01-01", "end_date": "2026-12-31",
         "renews_contract_id": None}
        for k in ("KA", "KB")
    ]  # fmt: skip
    rows["packages"] = [
        {"package_id": f"P{k[1]}", "contract_id": k, "name": f"Package {k}",
         "scope": "enterprise", "start_date": "2026-01-01", "end_date": "2026-12-31"}
        for k in ("KA", "KB")
    ]  # fmt: skip
    rows["entitlements"] = [
        {"entitlement_id": f"E{k[1]}", "package_id": f"P{k[1]}", "category": "reactive",
         "name": f"E{k[1]}", "description": "Hours", "kind": "consumable", "unit": "hours",
         "purchased": 100, "action_url": None}
        for k in ("KA", "KB")
    ]  # fmt: skip
    rows["cases"] = [
        {"case_id": case, "workspace_id": "W1", "contract_id": contract,
         "entitlement_id": entitlement, "title": f"Case {case}", "case_type": "reactive",
         "service_code": "STD", "severity": "B", "status": "closed",
         "created_at": f"2026-06-0{n}T12:00:00Z", "closed_at": None,
         "primary_contact_id": "u-admin", "hours": 2}
        for n, (case, (contract, entitlement)) in enumerate(CASES.items(), start=1)
    ]  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Dataset:
    home = imported(rows_of_tables(), tmp_path_factory.mktemp("booked"), date(2026, 6, 30))
    return Dataset(current_dataset(home))


def listed(dataset: Dataset, filters: Filters) -> list[str]:
    return dataset.run("proof_of_delivery", "u-admin", filters)["reference"].to_list()


def reactive(dataset: Dataset, filters: Filters) -> tuple[int, float]:
    totals = dataset.run("proof_of_delivery_totals", "u-admin", filters)
    row = totals.filter(totals["category"] == "reactive").row(0, named=True)
    return row["items"], row["quantity"]


@pytest.mark.parametrize(
    ("contract", "cases"),
    [("KA", ["C1", "C2"]), ("KB", ["C3", "C5"]), (None, ["C1", "C2", "C3", "C5"])],
)
def test_a_contracts_proof_of_delivery_holds_the_cases_booked_against_it(small, contract, cases):
    filters = Filters(status="all", contract=contract)
    assert listed(small, filters) == cases  # by day: C1 on 1 June, C2 on the 2nd...
    assert reactive(small, filters) == (len(cases), 2.0 * len(cases))  # 2 hours each


def test_with_dates_the_booked_cases_are_those_opened_in_them(small):
    since_3rd = Filters(status="all", contract="KB", date_from=date(2026, 6, 4))
    assert listed(small, since_3rd) == ["C5"]  # C3 was opened on 3 June
    assert reactive(small, since_3rd) == (1, 2.0)
