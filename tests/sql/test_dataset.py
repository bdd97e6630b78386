"""The runner's connection: settings that every query's cursor must see, and the kept results
of the layer's per-viewer expressions."""

import os
import re
import time
from datetime import date

import pytest

from dashboard.ingest.data_home import current_dataset
from dashboard.query import sql_files
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters


def test_every_cursor_runs_in_utc_with_the_metadata_cache(tiny_home, monkeypatch):
    # a machine in another time zone: the dataset's days must still be UTC days
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        dataset = Dataset(current_dataset(tiny_home))
        cursor = dataset._con.cursor()
        settings = cursor.sql(
            "SELECT current_setting('TimeZone'), current_setting('parquet_metadata_cache')"
        ).fetchall()
        assert settings == [("UTC", True)]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert os.environ.get("TZ") is None


def contract_ids(dataset, user, filters=None):
    return sorted(dataset.run("contracts", user, filters).get_column("contract_id"))


def test_kept_results_are_kept_per_viewer_whatever_the_filters(tiny_home):
    dataset = Dataset(current_dataset(tiny_home))
    # the same scope asked in turn by viewers and filters that see different contracts: a kept
    # result handed to the wrong one, or a filter not applied to it, would show here
    for _ in range(2):
        assert contract_ids(dataset, "u-cadmin") == ["K-A", "K-B", "K-NULL", "K-OLD", "K-UP"]
        assert contract_ids(dataset, "u-cadmin", Filters(workspaces=("W1",))) == ["K-A", "K-OLD"]
        assert contract_ids(dataset, "u-cadmin", Filters(workspaces=("W2",))) == ["K-B", "K-UP"]
        assert contract_ids(dataset, "u-train") == ["K-B", "K-UP"]
        assert contract_ids(dataset, "u-train", Filters(workspaces=("W1",))) == []
        assert contract_ids(dataset, "u-gadmin") == ["K-G"]
        assert contract_ids(dataset, "u-none") == []
    # they were read from kept results, keyed by what each depends on: the viewer, whatever the
    # filters (four viewers, two kept expressions each)
    assert sql_files.load("contracts").kept == ("_viewer_contracts",)
    kept = [name for name, _values in dataset._kept.keys()]
    assert kept.count("_viewer_contracts") == 4
    assert kept.count("openable_workspaces") == 4
    assert len(kept) == 8
    dataset.forget_kept()
    assert not dataset._kept
    assert contract_ids(dataset, "u-train") == ["K-B", "K-UP"]


def test_picking_other_filters_computes_nothing_kept_again(tiny_home, monkeypatch):
    dataset = Dataset(current_dataset(tiny_home))
    computed: list[str] = []
    original = Dataset._compute_kept

    def compute(self, query, values):
        computed.append(query.name)
        return original(self, query, values)

    monkeypatch.setattr(Dataset, "_compute_kept", compute)
    pages = ("package_entitlements", "support_totals", "delivery_totals", "renewal_forecast")
    for name in pages:
        dataset.run(name, "u-cadmin", Filters(status="all"))
    first = sorted(computed)
    assert "_viewer_case_groups" in first and "_viewer_renewal_forecast" in first
    for filters in (
        Filters(workspaces=("W1",), status="all"),
        Filters(workspaces=("W2",), contract="K-B"),
        Filters(package="P-A1"),
    ):
        for name in pages:
            dataset.run(name, "u-cadmin", filters)
    assert sorted(computed) == first


def test_kept_results_are_bounded_by_bytes_as_well_as_by_count(tiny_home, monkeypatch):
    from dashboard.query.dataset import KEPT_BYTES, KEPT_RESULTS

    dataset = Dataset(current_dataset(tiny_home))
    assert (dataset._kept.entries, dataset._kept.max_bytes) == (
        KEPT_RESULTS,
        KEPT_BYTES,
    )
    assert contract_ids(dataset, "u-cadmin") == ["K-A", "K-B", "K-NULL", "K-OLD", "K-UP"]
    one_scope = sum(table.nbytes for table in dataset._kept.values())
    assert one_scope > 0 and dataset._kept.bytes == one_scope
    admins = len(dataset._kept)  # every kept key so far is u-cadmin's

    def kept_for_admin() -> int:
        return sum('"u-cadmin"' in values for _name, values in dataset._kept.keys())

    assert kept_for_admin() == admins
    # room for one scope's results: asking for another viewer's drops the oldest
    monkeypatch.setattr(dataset._kept, "max_bytes", one_scope)
    assert contract_ids(dataset, "u-train") == ["K-B", "K-UP"]
    assert dataset._kept.bytes <= one_scope
    assert dataset._kept.bytes == sum(table.nbytes for table in dataset._kept.values())
    assert kept_for_admin() < admins
    # what was dropped is computed again, with the same answer
    assert contract_ids(dataset, "u-cadmin") == ["K-A", "K-B", "K-NULL", "K-OLD", "K-UP"]


def test_a_kept_expression_may_not_depend_on_the_filters(monkeypatch):
    monkeypatch.setattr(
        sql_files, "KEPT_EXPRESSIONS", (*sql_files.KEPT_EXPRESSIONS, "visible_cases")
    )
    sql_files.kept_query.cache_clear()
    try:
        with pytest.raises(
            sql_files.QueryError, match="visible_cases depends on contract, date_from"
        ):
            sql_files.kept_query("visible_cases")
    finally:
        sql_files.kept_query.cache_clear()


def test_every_kept_expression_depends_only_on_the_viewer_and_access():
    for name in sql_files.KEPT_EXPRESSIONS:
        query = sql_files.kept_query(name)
        assert set(query.parameters) <= set(sql_files.KEPT_PARAMETERS), name
        assert name not in query.kept  # computed from the layer, not from itself
    # the layer's `_viewer_` expressions are what is kept, besides the workspaces a viewer opens
    viewer_wide = {name for name in sql_files.layer() if name.startswith("_viewer_")}
    assert viewer_wide == set(sql_files.KEPT_EXPRESSIONS) - {"openable_workspaces"}


def test_a_query_reads_kept_expressions_and_depends_on_what_they_depend_on():
    query = sql_files.load("package_entitlements")
    assert "_viewer_entitlement_figures" in query.kept
    assert "kept__viewer_entitlement_figures" in query.sql
    assert "_usage AS (" not in query.sql  # computed in the kept result, not again
    # its result depends on the viewer and filters even where its own text no longer binds them
    assert {"viewer", "workspaces", "contract"} <= set(query.parameters)


def test_queries_started_together_compute_a_kept_result_once(tiny_home, monkeypatch):
    import threading

    dataset = Dataset(current_dataset(tiny_home))
    computed: list[str] = []
    original = Dataset._compute_kept
    both_asked = threading.Barrier(2, timeout=10)

    def compute(self, query, values):
        computed.append(query.name)
        time.sleep(0.05)  # long enough for the other thread to ask for the same
        return original(self, query, values)

    monkeypatch.setattr(Dataset, "_compute_kept", compute)
    answers: list[list[str]] = []

    def ask() -> None:
        both_asked.wait()
        answers.append(contract_ids(dataset, "u-cadmin"))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [["K-A", "K-B", "K-NULL", "K-OLD", "K-UP"]] * 2
    # contracts reads _viewer_contracts, which reads openable_workspaces: each computed once
    assert sorted(computed) == ["_viewer_contracts", "openable_workspaces"]


# Totals and charts over time that a page reruns when the dates move.
DATED_FIGURES = (
    "support_totals",
    "support_by_month",
    "support_request_counts",
    "delivery_totals",
    "additional_case_figures",
    "monthly_consumption",
    "enrollments",
    "enrollments_by_course",
    "enrollments_by_month",
    "training_report",
    "credit_balance",
)


def test_moving_the_dates_filters_kept_results_and_reads_no_table(tiny_home):
    # what they read of the dataset is kept per viewer: moving the dates binds and plans no join
    # of the layer again (a macro is not a table)
    for name in DATED_FIGURES:
        read = set(re.findall(r"\braw\.(\w+)", sql_files.load(name).sql))
        assert read <= {"is_picked_additional", "is_in_view", "is_package_in_view"}, (name, read)
    # and the kept results, reused as the dates move, give what a fresh dataset gives
    reused = Dataset(current_dataset(tiny_home))
    ranges = [
        Filters(status="all"),
        Filters(status="all", date_from=date(2026, 4, 1), date_to=date(2026, 5, 31)),
        Filters(status="all", date_from=date(2026, 5, 10), date_to=date(2026, 5, 10)),
        Filters(status="all", date_to=date(2026, 3, 31)),
    ]
    for user in ("u-cadmin", "u-act", "u-contact"):
        for filters in ranges:
            fresh = Dataset(current_dataset(tiny_home))  # nothing kept for other dates
            for name in DATED_FIGURES:
                expected = fresh.run(name, user, filters)
                assert reused.run(name, user, filters).equals(expected), (user, filters, name)
    assert any(name == "_viewer_case_groups" for name, _ in reused._kept.keys())
