"""The meeting pack opened as a spreadsheet would open it, its contents checked."""

import io

import openpyxl

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
