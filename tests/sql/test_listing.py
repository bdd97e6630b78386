"""Long lists: a page shows the first rows of a list query and counts the rest in SQL."""

import polars as pl
import pytest

from dashboard.query.filters import Filters
from dashboard.query.sql_files import QueryError

ALL = Filters(status="all")


def test_a_limited_list_is_the_head_of_the_whole_list(tiny):
    whole = tiny.run("support_requests", "u-cadmin", ALL)
    assert whole.height == 10  # K1 to K10
    head = tiny.run("support_requests", "u-cadmin", ALL, limit=3)
    assert head.equals(whole.head(3))  # same rows, same order: newest first


def test_a_whole_list_in_parts_is_the_whole_list(tiny):
    whole = tiny.run("support_requests", "u-cadmin", ALL)
    parts = list(tiny.batches("support_requests", "u-cadmin", ALL, rows=4))
    assert [part.height for part in parts] == [4, 4, 2]
    assert pl.concat(parts).equals(whole)  # same rows, same order
    # none to see: one empty part, with the list's columns (for a CSV's header)
    [empty] = tiny.batches("support_requests", "u-act", ALL)
    assert empty.is_empty() and empty.columns == whole.columns


def test_count_is_the_rows_of_the_whole_list(tiny):
    assert tiny.count("support_requests", "u-cadmin", ALL) == 10
    assert tiny.count("support_requests", "u-contact", ALL) == 2  # K5 and K9
    assert tiny.count("support_requests", "u-act", ALL) == 0
    narrowed = tiny.count("additional_cases", "u-cadmin", ALL, reasons=("special_service",))
    assert narrowed == 2  # K5 and K7


def test_a_limit_is_bound_never_pasted(tiny):
    for limit in (0, 1):
        assert tiny.run("support_requests", "u-cadmin", ALL, limit=limit).height == limit


USERS = ["u-cadmin", "u-wsadmin", "u-act", "u-viewall", "u-train", "u-group", "u-shared",
         "u-contact", "u-gadmin"]  # fmt: skip


def test_the_totals_pages_show_count_exactly_the_rows_of_their_lists(tiny):
    """Totals come from the roll-ups, lists from the rows: for every user they must agree."""
    for user in USERS:
        for filters in (ALL, Filters(status="all", contract="K-A"), Filters()):
            counts = tiny.run("support_request_counts", user, filters).row(0, named=True)
            assert counts["visible"] == tiny.run("support_requests", user, filters).height
            totals = tiny.run("support_totals", user, filters)  # what the support page sums
            assert totals.get_column("visible").sum() == counts["visible"]
            assert totals.get_column("hidden").sum() == counts["hidden"]
            deliveries = tiny.run("delivery_totals", user, filters)
            listed = tiny.run("proactive_deliveries", user, filters)
            assert deliveries.get_column("deliveries").sum() == listed.height
            for row in deliveries.iter_rows(named=True):  # what the status picker counts
                of_status = tiny.run(
                    "proactive_deliveries", user, filters, delivery_status=row["status"]
                )
                assert of_status.height == row["deliveries"], (user, filters, row["status"])
            for pick in ({}, {"reasons": ("special_service",)}, {"service": "STD"}):
                counted = tiny.run("additional_case_count", user, filters, **pick).item()
                assert counted == tiny.run("additional_cases", user, filters, **pick).height
            # the totals count every item, the hidden ones too; the list, the others
            delivered = tiny.run("proof_of_delivery_totals", user, filters)
            items = tiny.run("proof_of_delivery", user, filters)
            listed = delivered.get_column("items").sum() - delivered.get_column("hidden").sum()
            assert listed == items.height, (user, filters)


def test_limited_lists_are_heads_of_whole_lists_for_every_user_and_limit(tiny):
    """A limited list reads only the days its newest rows need: it must still be the head."""
    picks = [{}, {"reasons": ("special_service",)}, {"reasons": ("no_entitlement",),
             "service": "STD"}, {"service": "REC"}]  # fmt: skip
    for user in USERS:
        whole = tiny.run("support_requests", user, ALL)
        for limit in range(0, whole.height + 2):
            head = tiny.run("support_requests", user, ALL, limit=limit)
            assert head.equals(whole.head(limit)), (user, limit)
        for status in (None, "delivered", "scheduled", "cancelled"):
            whole = tiny.run("proactive_deliveries", user, ALL, delivery_status=status)
            for limit in range(0, whole.height + 2):
                head = tiny.run(
                    "proactive_deliveries", user, ALL, limit=limit, delivery_status=status
                )
                assert head.equals(whole.head(limit)), (user, limit, status)
        for pick in picks:
            whole = tiny.run("additional_cases", user, ALL, **pick)
            for limit in range(0, whole.height + 2):
                head = tiny.run("additional_cases", user, ALL, limit=limit, **pick)
                assert head.equals(whole.head(limit)), (user, limit, pick)


def test_a_list_without_an_order_cannot_be_cut_short(tiny):
    with pytest.raises(QueryError, match="no final ORDER BY"):
        tiny.run("support_request_counts", "u-cadmin", ALL, limit=5)


def _found(tiny, name, user, search, **extra):
    return list(tiny.run(name, user, ALL, search=search, **extra).get_column("case_id"))


def test_a_search_finds_title_words_anywhere_in_any_case_newest_first(tiny):
    # titles holding "lab": K5 "Lab outage" (04-20), K6 "Lab on the production contract" (05-05)
    assert _found(tiny, "support_requests", "u-cadmin", ("lab",)) == ["K6", "K5"]
    assert _found(tiny, "support_requests", "u-cadmin", ("LAB", "Contract")) == ["K6"]
    # "on" inside words too: Billing questiON (K4), Lab ON (K6), Late case ON (K7), Case ON (K8),
    # QuestiON (K9); newest first: 06-15, 06-01, 05-05, 04-01, 01-10
    assert _found(tiny, "support_requests", "u-cadmin", ("on",)) == ["K9", "K8", "K6", "K4", "K7"]
    assert tiny.count("support_requests", "u-cadmin", ALL, search=("on",)) == 5
    # every word must be in the title, the sixth too
    six = ("lab", "on", "the", "production", "contract")
    assert _found(tiny, "support_requests", "u-cadmin", six) == ["K6"]
    assert _found(tiny, "support_requests", "u-cadmin", (*six, "zzz")) == []


def test_a_search_finds_a_case_by_its_whole_number_in_any_case(tiny):
    assert _found(tiny, "support_requests", "u-cadmin", ("K1",)) == ["K1"]  # not K10
    assert _found(tiny, "support_requests", "u-cadmin", ("k7",)) == ["K7"]
    assert _found(tiny, "support_requests", "u-cadmin", ("K",)) == []  # no title holds a k
    # the number is looked for only as the one word typed
    assert _found(tiny, "support_requests", "u-cadmin", ("K7", "late")) == []


def test_a_search_finds_only_what_the_viewer_may_see(tiny):
    # Cole (u-contact) sees K5 and K9, not K6 "Lab on the production contract"
    assert _found(tiny, "support_requests", "u-contact", ("lab",)) == ["K5"]
    assert _found(tiny, "support_requests", "u-contact", ("K6",)) == []
    assert _found(tiny, "support_requests", "u-gadmin", ("lab",)) == []  # another customer's
    assert _found(tiny, "support_requests", "u-gadmin", ("K5",)) == []


def test_a_search_narrows_the_additional_cases_with_their_picks(tiny):
    # the additional cases of u-cadmin: K4, K5, K6, K7, K8, K9; "lab": K6 and K5
    assert _found(tiny, "additional_cases", "u-cadmin", ("lab",)) == ["K6", "K5"]
    # K5 is a special service (SU), K6 is on a contract mapped to another workspace
    assert _found(tiny, "additional_cases", "u-cadmin", ("lab",), reasons=("special_service",)) == [
        "K5"
    ]
    assert _found(tiny, "additional_cases", "u-cadmin", ("K1",)) == []  # K1 is not additional


def test_a_search_is_bound_never_pasted(tiny):
    for typed in ("%", "_", "'", "' OR 1=1 --", "\\", "*"):
        assert _found(tiny, "support_requests", "u-cadmin", (typed,)) == [], typed
    every = tiny.run("support_requests", "u-cadmin", ALL)
    assert tiny.run("support_requests", "u-cadmin", ALL, search=()).equals(every)


def _delivered(tiny, user, contract, search):
    items = tiny.run("proof_of_delivery", user, Filters(contract=contract), search=search)
    return list(items.get_column("reference"))


def test_a_search_finds_items_delivered_by_reference_or_item_words(tiny):
    # K-A's 15 items holding "security": assessment A1 "Security assessment (Azure)", seat N4
    # "Security Basics", delivery D1 "Security workshop"; by category: assessments, education,
    # proactive
    assert _delivered(tiny, "u-cadmin", "K-A", ("security",)) == ["A1", "N4", "D1"]
    assert _delivered(tiny, "u-cadmin", "K-A", ("intro", "CLOUD")) == ["N1", "N2"]  # by day
    assert _delivered(tiny, "u-cadmin", "K-A", ("(azure)",)) == ["A1"]  # taken as typed
    for reference in ("d7", "N2", "k6", "A2"):  # a delivery, a seat, a case, an assessment
        assert _delivered(tiny, "u-cadmin", "K-A", (reference,)) == [reference.upper()]
    assert _delivered(tiny, "u-cadmin", "K-A", ("K5",)) == []  # K-B's
    assert tiny.count("proof_of_delivery", "u-cadmin", Filters(contract="K-A"),
                      search=("security",)) == 3  # fmt: skip


def test_a_search_of_items_delivered_finds_only_the_cases_the_viewer_may_see(tiny):
    # Sheila (u-shared) sees K3, shared with her, of K-A's five cases
    assert _delivered(tiny, "u-shared", "K-A", ("K3",)) == ["K3"]
    assert _delivered(tiny, "u-shared", "K-A", ("K1",)) == []
    assert _delivered(tiny, "u-shared", "K-A", ("login",)) == []  # K1 "Login fails"
    assert _delivered(tiny, "u-cadmin", "K-A", ("login",)) == ["K1"]


def _proactive(tiny, status, search, limit=None):
    found = tiny.run(
        "proactive_deliveries", "u-cadmin", ALL, limit=limit, delivery_status=status, search=search
    )
    return list(found.get_column("delivery_id"))


def test_a_search_finds_proactive_deliveries_by_number_or_title_words(tiny):
    # delivered: D7 "Workshop day 1" 06-01, D2 "Health check" 05-12, D1 "Security workshop" 02-10
    assert _proactive(tiny, "delivered", ("workshop",)) == ["D7", "D1"]  # newest first
    assert _proactive(tiny, "delivered", ("d2",)) == ["D2"]
    # booked, soonest first: D8 "Workshop day 2" 07-20, D3 "Tuning session" 08-01
    assert _proactive(tiny, "scheduled", ("workshop",)) == ["D8"]
    assert _proactive(tiny, "scheduled", ("D2",)) == []  # delivered, not booked
    # a page's first rows read only the days they need, but a search reads every day: the one
    # delivery found, D1, is older than the newest delivery of all, D7
    assert _proactive(tiny, "delivered", ("security",), limit=1) == ["D1"]
    assert _proactive(tiny, "delivered", ("workshop",), limit=1) == ["D7"]
    assert _proactive(tiny, "delivered", (), limit=1) == ["D7"]
