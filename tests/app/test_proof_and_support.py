"""Proof of delivery reconciles (each entitlement against what was purchased, why a quantity and
its hours delivered differ, items booked against no package said to be so, an xlsx with a
title block) and Support says how many of the support requests the viewer sees were shared with
them. Every figure worked by hand from tests/fixtures/tiny (ANSWERS.md)."""

import io
import shutil
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from dashboard.app import pages
from dashboard.ingest.importer import import_dataset
from tests.app.conftest import opener, texts
from tests.conftest import FIXTURE, FIXTURE_AS_OF

PROOF = pages.by_path("proof-of-delivery").file
SUPPORT = pages.by_path("support").file

NO_PACKAGE = "No package: raised against the contract, not an entitlement"
# K-A's entitlements, whole term: purchased, used, scheduled, remaining (E-BEN, a benefit, and
# the named contacts E-CON are not delivered against)
K_A_ENTITLEMENTS = {
    "Advisory chat": ("unlimited", "6", "0", "unlimited"),  # K10
    "Advisory support": ("20", "8", "0", "12"),  # K3
    "On-demand assessments": ("2", "3", "0", "over by 1"),  # A1, A2, A4
    "Proactive credits": ("10", "4", "3", "3"),  # D5; D6 scheduled
    "On-demand education": ("5", "3", "0", "2"),  # N1, N2, N4
    "Proactive services": ("40", "24", "12", "4"),  # D1 8, D2 16; D3 12 scheduled
    "Reactive support": ("100", "39.5", "0", "60.5"),  # K1 10, K2 25.5, K6 4
    "Spring credits": ("5", "5", "0", "0"),  # D9
    "Workshops": ("16", "12", "8", "over by 4"),  # D7; D8 8 scheduled
}
PROACTIVE_SAID = (
    "Proactive services: quantity 36 beside 35.5 hours delivered. The quantity counts the units "
    "of the entitlement (hours booked); hours delivered are the hours actually delivered."
)  # D1 8 (7.5 delivered), D2 16 (16), D7 12 (12)


def view(app, page, user, **params):
    at = app(**{"as": user, **params})
    at.switch_page(page).run()
    assert not at.exception and not at.error
    return at


def entitlements_of(at) -> dict[str, tuple]:
    grid = at.dataframe[2].value  # after the totals and the list
    figures = ["Purchased", "Used", "Scheduled", "Remaining"]
    return {row["Entitlement"]: tuple(row[f] for f in figures) for _, row in grid.iterrows()}


def test_proof_sets_each_entitlement_against_what_was_purchased(app):
    at = view(app, PROOF, "u-cadmin", contract="K-A")
    assert entitlements_of(at) == K_A_ENTITLEMENTS
    page = texts(at)
    assert PROACTIVE_SAID in page
    assert "No package" not in page  # every item of K-A's has one
    # whatever workspace is picked, the same totals and the same entitlements
    picked = view(app, PROOF, "u-cadmin", contract="K-A", ws="W1")
    assert picked.dataframe[0].value.equals(at.dataframe[0].value)
    assert entitlements_of(picked) == K_A_ENTITLEMENTS


def test_proof_names_what_was_booked_against_no_package(app):
    at = view(app, PROOF, "u-cadmin", contract="K-B")
    items = at.dataframe[1].value
    packages = dict(zip(items["reference"], items["package_name"], strict=True))
    assert packages["K9"] == NO_PACKAGE  # against K-B, no entitlement
    assert packages["K5"] == "Lab Enterprise"
    page = texts(at)
    assert (
        "Of these, 0.5 hours of advisory support were raised against the contract, not an "
        "entitlement: “No package” in the list."
    ) in page
    assert "hours actually delivered" not in page  # no proactive hours on K-B
    assert entitlements_of(at) == {
        "Lab education": ("2", "3", "0", "over by 1"),  # N5, N6, N7
        "Lab reactive support": ("30", "12", "0", "18"),  # K5
        "Lab credits": ("10", "3", "0", "7"),  # D11
    }


def test_proof_shows_the_figures_first_and_what_is_hidden_in_a_caption(app):
    # Walt opens W1 only: K6, raised in W2, is hidden from him
    at = view(app, PROOF, "u-wsadmin", contract="K-A")
    totals, items = at.dataframe[0], at.dataframe[1]
    assert list(totals.proto.column_order) == [
        "category", "quantity", "unit", "items", "hours_delivered",
    ]  # fmt: skip
    assert list(items.value.columns[:5]) == ["category", "day", "quantity", "unit",
                                             "hours_delivered"]  # fmt: skip
    assert "1 support request booked against this contract is hidden by your permissions" in (
        texts(at)
    )


def test_proof_workbook_has_a_title_block_and_reconciles(app, downloads):
    view(app, PROOF, "u-cadmin", contract="K-B")
    [name] = [n for n in downloads if n.endswith(".xlsx")]
    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    book = openpyxl.load_workbook(io.BytesIO(downloads[name]()))
    assert book.sheetnames == ["Totals", "Delivered"]
    rows = list(book["Totals"].iter_rows(values_only=True))
    assert rows[0][0] == "Proof of delivery"
    block = {row[0]: row[1] for row in rows[1:6]}
    assert block["Customer"] == "Acme Corporation"
    assert block["Contract"] == "CN-200 · Acme Lab Support"
    assert block["Activity dates"] == "Every date"
    assert block["Data as of"] == datetime(2026, 6, 30)
    assert before - timedelta(minutes=1) <= block["Made"] <= before + timedelta(minutes=1)
    cells = [[value for value in row if value is not None] for row in rows]
    totals = cells.index(["Totals per category"])
    # quantity, unit, items, (no hours delivered), of which no package, hidden
    assert cells[totals + 2] == ["Advisory support", 0.5, "hours", 1, 0.5, 0]
    purchased = cells.index(["Against what was purchased"])
    assert cells[purchased + 1][:5] == ["Entitlement", "Purchased", "Used", "Scheduled",
                                        "Remaining"]  # fmt: skip
    assert cells[purchased + 2] == ["Lab education", 2, 3, 0, -1, "seats", "Lab Enterprise"]
    assert [
        "Of these, 0.5 hours of advisory support were raised against the contract, not an "
        "entitlement: “No package” in the list."
    ] in cells
    delivered = list(book["Delivered"].iter_rows(values_only=True))
    header = delivered[0]
    k9 = next(dict(zip(header, r, strict=True)) for r in delivered if "K9" in r)
    assert k9["Package"] == NO_PACKAGE


def test_proof_workbook_marks_unlimited(app, downloads):
    view(app, PROOF, "u-cadmin", contract="K-A")
    [name] = [n for n in downloads if n.endswith(".xlsx")]
    book = openpyxl.load_workbook(io.BytesIO(downloads[name]()))
    rows = list(book["Totals"].iter_rows(values_only=True))
    chat = next(r for r in rows if r[0] == "Advisory chat")
    assert chat[1:5] == ("unlimited", 6, 0, "unlimited")
    assert any(PROACTIVE_SAID == r[0] for r in rows)


def test_support_says_how_many_were_shared_with_you(app):
    # Sam sees K3 only because it was shared with her; W1's other 6 are hidden
    at = view(app, SUPPORT, "u-shared")
    assert (
        "The hours above count every support request, including the 6 hidden by your "
        "permissions. You may see 1 support request, 1 shared with you."
    ) in texts(at)
    listed = at.dataframe[0].value
    assert list(listed.columns[:3]) == ["case_id", "created_at", "hours"]
    assert dict(zip(listed["case_id"], listed["shared_with_you"], strict=True)) == {"K3": "Yes"}


@pytest.mark.parametrize("user", ["u-cadmin", "u-train", "u-contact"])
def test_support_says_nothing_of_sharing_when_none_was(app, user):
    at = view(app, SUPPORT, user)
    assert "shared with you" not in texts(at)
    assert "shared_with_you" not in at.dataframe[0].value.columns


@pytest.fixture(scope="module")
def shared_with_cole(tmp_path_factory):
    """The hand-made dataset with K6 (W2, Tess's) shared with Cole too, who opens W2 and is
    the primary contact of K5 and K9, the others of W2."""
    base = tmp_path_factory.mktemp("shared-with-cole")
    shutil.copytree(FIXTURE, base / "src", ignore=shutil.ignore_patterns("*.md"))
    with (base / "src" / "case_shares.csv").open("a", encoding="utf-8") as out:
        out.write("K6,u-contact\n")
    import_dataset(base / "src", base / "home", FIXTURE_AS_OF)
    return base / "home"


def test_support_says_shared_with_you_when_nothing_is_hidden(shared_with_cole, monkeypatch):
    at = opener(monkeypatch, shared_with_cole)(**{"as": "u-contact"})
    at.switch_page(SUPPORT).run()
    assert not at.exception
    page = texts(at)
    assert "You may see 3 support requests, 1 shared with you." in page
    assert "hidden by your permissions" not in page
    listed = at.dataframe[0].value
    shared = dict(zip(listed["case_id"], listed["shared_with_you"], strict=True))
    assert shared == {"K9": "", "K6": "Yes", "K5": ""}


def test_renewal_planning_names_its_packs_after_the_customer_and_contract(app, downloads):
    view(app, pages.by_path("renewal").file, "u-cadmin", contract="K-A")
    assert {n for n in downloads if "meeting pack" in n} == {
        "Acme Corporation - CN-100 - meeting pack - 2026-06-30.xlsx",
        "Acme Corporation - CN-100 - meeting pack - 2026-06-30.pdf",
    }
