"""Enterprise-wide consumption never lets one contract's unused quantity hide another's overage
(DATA_MODEL.md, "Derived figures"): remaining sums what the entitlements not over have left,
overage what the others went past theirs, and utilisation leaves out use on entitlements with
no purchased quantity. Against the small dataset of tests/enterprise_overage.py, whose answers
are worked out by hand there."""

import pytest

from dashboard.ingest.data_home import current_dataset
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests import enterprise_overage as case


@pytest.fixture(scope="module")
def fabrikam(tmp_path_factory) -> Dataset:
    return Dataset(current_dataset(case.imported(tmp_path_factory.mktemp("overage"))))


def enterprise(dataset, user, filters=None) -> dict:
    frame = dataset.run("enterprise_consumption", user, filters)
    return {
        (r["category"], r["unit"]): tuple(r[k] for k in case.KEYS)
        for r in frame.iter_rows(named=True)
    }


def assert_figures(got, expected):
    assert set(got) == set(expected)
    for key, want in expected.items():
        for name, value, wanted in zip(case.KEYS, got[key], want, strict=True):
            if wanted is None:
                assert value is None, (key, name)
            else:
                assert value == pytest.approx(wanted), (key, name)


def test_one_contracts_remaining_never_hides_anothers_overage(fabrikam):
    got = enterprise(fabrikam, "u-admin")
    assert_figures(got, case.ADMIN)
    # reactive: 300 purchased, 160 left on CN-2 and 50 over on CN-1, not "110 remaining"
    assert got[("reactive", "hours")][3:5] == (160, 50)
    # proactive: 10 left on CN-2 and 10 over on CN-1, not "0 remaining"
    assert got[("proactive", "hours")][3:5] == (10, 10)


def test_use_with_no_limit_counts_in_used_not_in_purchased_nor_utilisation(fabrikam):
    reactive = enterprise(fabrikam, "u-admin")[("reactive", "hours")]
    purchased, used, _, _, _, without_limit, utilisation = reactive
    assert (purchased, used, without_limit) == (300, 200, 10)  # E3's 10 hours: used only
    assert utilisation == pytest.approx(190 / 300)  # not 200 / 300
    # an entitlement with no purchased quantity alone: nothing purchased, nothing remains or
    # goes over, and there is no utilisation
    advisory = enterprise(fabrikam, "u-admin")[("advisory", "hours")]
    assert advisory == (None, 4, 0, None, 0, 4, None)


def test_each_contract_alone(fabrikam):
    assert_figures(enterprise(fabrikam, "u-prod"), case.PROD)
    assert_figures(enterprise(fabrikam, "u-lab"), case.LAB)
    # the workspace filter picks the same contracts as the viewers who open only that one
    assert_figures(enterprise(fabrikam, "u-admin", Filters(workspaces=("W1",))), case.PROD)
    assert_figures(enterprise(fabrikam, "u-admin", Filters(contract="K2")), case.LAB)


def test_the_figures_add_up_to_the_entitlements_behind_them(fabrikam):
    """Each figure, summed from the rows of enterprise_entitlements by the rule as written."""
    rows = fabrikam.run("enterprise_entitlements", "u-admin").iter_rows(named=True)
    expected: dict = {}
    for r in rows:
        key = (r["category"], r["unit"])
        purchased, used, scheduled, remaining, overage, without_limit = expected.get(
            key, (None, 0, 0, None, 0, 0)
        )
        if r["purchased"] is not None:
            purchased = (purchased or 0) + r["purchased"]
            remaining = (remaining or 0) + max(r["remaining"], 0)
            overage += max(-r["remaining"], 0)
        else:
            without_limit += r["used"]
        expected[key] = (purchased, used + r["used"], scheduled + r["scheduled"], remaining,
                         overage, without_limit)  # fmt: skip
    got = enterprise(fabrikam, "u-admin")
    for key, (purchased, used, scheduled, remaining, overage, without_limit) in expected.items():
        utilisation = (used - without_limit) / purchased if purchased else None
        want = (purchased, used, scheduled, remaining, overage, without_limit, utilisation)
        assert_figures({key: got[key]}, {key: want})
