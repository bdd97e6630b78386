"""The meeting pack opened as a spreadsheet would open it, its contents checked."""

import io

import openpyxl
import pytest

from dashboard import export, meeting_pack
from dashboard.filters import Filters


def test_meeting_pack_for_a_contract(tiny):
    data = meeting_pack.build(tiny, "u-cadmin", "Cara Admin", Filters(contract="K-A"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Summary", "Renewal risks", "Delivery totals", "Delivered", "Charts"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Data as of"] == "2026-06-30"
    assert summary["Contract"] == "K-A"
    assert summary["Prepared by"] == "Cara Admin"
    assert summary["Made"].endswith("UTC")
    assert summary["Activity range"] == "Every date"
    assert summary["Active contracts"] == "1"
    # K-A's active packages: E-WS, E-ASM, E-PRO, E-EDU run out; E-ADV and E-CRD leave unused
    assert summary["Entitlements that will run out before expiry"] == "4"
    assert summary["Entitlements that will leave unused"] == "2"
    risks = list(book["Renewal risks"].iter_rows(values_only=True))
    assert risks[0][:5] == ("entitlement_id", "burn_per_day", "projected_exhaustion_date",
                            "projected_unused_at_expiry", "status")  # fmt: skip
    assert len(risks) == 1 + 7  # E-WS, E-ASM, E-PRO, E-EDU, E-ADV, E-CRD, E-REA
    totals = {r[0]: r[3] for r in book["Delivery totals"].iter_rows(min_row=2, values_only=True)}
    assert totals == {"Advisory support": 14, "On-demand assessments": 2, "Proactive credits": 9,
                      "On-demand education": 3, "Proactive services": 36,
                      "Reactive support": 39.5}  # fmt: skip
    consumption = [row for row in book["Summary"].iter_rows(values_only=True) if row[0]]
    assert ("Reactive support", "hours") in {row[:2] for row in consumption}
    assert len(book["Charts"]._images) == 6  # one per unit of consumption, and the timeline
    assert summary["Items delivered"] == "15"  # 3 + 2 + 3 + 2 + 3 + 2, as the totals count
    assert book["Delivered"].max_row == 1 + 15


def test_meeting_pack_lists_at_most_a_workbook_of_items(tiny, monkeypatch):
    monkeypatch.setattr(export, "WORKBOOK_ROWS", 10)
    data = meeting_pack.build(tiny, "u-cadmin", "Cara Admin", Filters(contract="K-A"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Items delivered"].startswith("15; the Delivered sheet lists the first 10,")
    delivered = list(book["Delivered"].iter_rows(min_row=2, values_only=True))
    assert len(delivered) == 10
    # the first ten by category and day: advisory 2, assessments 2, credits 2, education 3, and
    # the first proactive delivery
    assert [row[0] for row in delivered] == ["Advisory support"] * 2 + [
        "On-demand assessments"
    ] * 2 + ["Proactive credits"] * 2 + ["On-demand education"] * 3 + ["Proactive services"]


def test_meeting_pack_names_the_range_of_its_dates(tiny):
    from datetime import date

    def said(**dates) -> str:
        data = meeting_pack.build(tiny, "u-cadmin", "Cara Admin", Filters(contract="K-A", **dates))
        sheet = openpyxl.load_workbook(io.BytesIO(data))["Summary"]
        return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}

    # the tiny dataset is as of 2026-06-30: its quarter began on 1 April
    summary = said(date_from=date(2026, 4, 1), date_to=date(2026, 6, 30))
    assert (summary["Activity from"], summary["Activity range"]) == ("2026-04-01", "This quarter")
    assert said(date_from=date(2026, 4, 5))["Activity range"] == "The days above"


def test_meeting_pack_sums_remaining_and_overage_apart(tmp_path):
    """The summary's Enterprise-wide figures follow the rule of the page: one contract's
    remaining never offsets another's overage (tests/enterprise_overage.py, worked by hand)."""
    from dashboard.location import current_dataset
    from dashboard.runner import Dataset
    from tests import enterprise_overage as case

    dataset = Dataset(current_dataset(case.imported(tmp_path)))
    data = meeting_pack.build(dataset, "u-admin", "Fay Admin", Filters())
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["Summary"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "category")
    header = rows[start]
    assert header[:9] == ("category", "unit", "purchased", "used", "scheduled", "remaining",
                          "overage", "used_without_limit", "utilisation")  # fmt: skip
    table = {row[0]: row[2:9] for row in rows[start + 1 : start + 5]}
    # reactive: 100 + 200 purchased; 150 + 40 + 10 used; 160 left on CN-2 alone, CN-1 50 over;
    # E3's 10 hours with no limit left out of utilisation: (200 - 10) / 300
    assert table["Reactive support"][:6] == (300, 200, 0, 160, 50, 10)
    assert table["Reactive support"][6] == pytest.approx(190 / 300)
    # proactive: 40 + 30; 30 + 15 used, 20 + 5 scheduled; 10 left on CN-2, CN-1 10 over
    assert table["Proactive services"][:6] == (70, 45, 25, 10, 10, 0)
    assert table["On-demand education"] == (2, 3, 0, 0, 1, 0, 1.5)
    # no purchased quantity: no remaining, no utilisation (empty cells)
    assert table["Advisory support"] == (None, 4, 0, None, 0, 4, None)
    note = rows[start + 5][0]
    assert note.startswith("Remaining is what the entitlements not over their purchase have left")


def test_meeting_pack_says_how_many_items_it_counts_but_may_not_list(tiny):
    # K-A's 15 items for Walt, a workspace admin of W1 only: K6, raised in W2 against K-A, is
    # counted (totals count all consumption) and not listed (he may not see it)
    data = meeting_pack.build(tiny, "u-wsadmin", "Walt Wsadmin", Filters(contract="K-A"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Items delivered"].startswith(
        "15; 1 of them support requests hidden by your permissions"
    )
    assert book["Delivered"].max_row == 1 + 14
