"""The export command's --lang and --headers (dashboard/cli.py): by default, and for a CSV in
any language, the data contract's names and machine-readable values, so that scripts never
break; a workbook in Polish, and a CSV's header row when asked, worded for people. Expected
rows are u-gadmin's, worked out by hand from tests/fixtures/tiny (ANSWERS.md: Globex's one
enterprise entitlement, E-GREA, reactive hours 25 purchased, 7 used, 18 left, 0.28 used; its
one active contract K-G, GX-1 "Globex Premier" in W3 "Globex Main", 2026-01-01..2026-12-31,
184 days left, not renewed)."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from dashboard.cli import main
from tests.test_cli import export, rows

CONSUMPTION_HEADER = (
    '"category","unit","purchased","used","scheduled","remaining","utilisation","overage",'
    '"entitlements","used_without_limit","scheduled_without_limit"'
)
GLOBEX_CONSUMPTION = '"reactive","hours",25.0,7.0,0.0,18.0,0.28,0.0,1,0.0,0.0'
CONTRACTS_HEADER = (
    '"contract_id","contract_number","name","workspace_id","start_date","end_date","days_left",'
    '"workspace_name","expiring_soon","renewed","renewed_by"'
)
GLOBEX_CONTRACT = (
    '"K-G","GX-1","Globex Premier","W3",2026-01-01,2026-12-31,184,"Globex Main",false,false,'
)
POLISH_CONSUMPTION_HEADERS = [
    "Kategoria",
    "Jednostka",
    "Zakupiono",
    "Wykorzystano",
    "Zaplanowano",
    "Pozostało",
    "Wykorzystanie",
    "Przekroczenie",
    "Uprawnienia",
    "Wykorzystano bez limitu",
    "Zaplanowano bez limitu",
]


def exported(capsysbinary, home, query: str, *options: str) -> str:
    code, out, err = export(capsysbinary, home, query, "--user", "u-gadmin", *options)
    assert code == 0 and err == ""
    return out


@pytest.mark.parametrize("options", [(), ("--lang", "pl"), ("--lang", "en")])
def test_a_csv_keeps_the_data_contracts_names_and_values_in_every_language(
    capsysbinary, tiny_home, options
):
    out = exported(capsysbinary, tiny_home, "enterprise_consumption", *options)
    assert out == f"{CONSUMPTION_HEADER}\n{GLOBEX_CONSUMPTION}\n"
    out = exported(capsysbinary, tiny_home, "active_contracts", *options)
    assert out == f"{CONTRACTS_HEADER}\n{GLOBEX_CONTRACT}\n"


def test_human_headers_in_polish_leave_the_values_machine_readable(capsysbinary, tiny_home):
    out = exported(
        capsysbinary, tiny_home, "enterprise_consumption", "--headers", "human", "--lang", "pl"
    )
    header, values = out.splitlines()
    assert rows(header)[0] == POLISH_CONSUMPTION_HEADERS
    assert values == GLOBEX_CONSUMPTION  # codes, dot decimals
    out = exported(
        capsysbinary, tiny_home, "active_contracts", "--headers", "human", "--lang", "pl"
    )
    header, values = out.splitlines()
    named = rows(header)[0]
    assert (named[1], named[2]) == ("Numer umowy", "Nazwa")
    assert named[4:7] == ["Początek", "Koniec", "Pozostało dni"]
    assert values == GLOBEX_CONTRACT  # ISO dates


def test_human_headers_are_english_without_a_language(capsysbinary, tiny_home):
    out = exported(capsysbinary, tiny_home, "enterprise_consumption", "--headers", "human")
    header, values = out.splitlines()
    assert rows(header)[0][:7] == [
        "Category", "Unit", "Purchased", "Used", "Scheduled", "Remaining", "Utilisation"
    ]  # fmt: skip
    assert values == GLOBEX_CONSUMPTION


def workbook(capsysbinary, home, tmp_path, query: str, *options: str):
    target = tmp_path / f"{query}.xlsx"
    exported(capsysbinary, home, query, "--format", "xlsx", "--out", str(target), *options)
    return openpyxl.load_workbook(target)[query]


def test_a_polish_workbook_has_polish_headers_words_and_days(capsysbinary, tiny_home, tmp_path):
    sheet = workbook(capsysbinary, tiny_home, tmp_path, "enterprise_consumption", "--lang", "pl")
    assert [c.value for c in sheet[1]] == POLISH_CONSUMPTION_HEADERS
    # the category and the unit in words; the numbers stay numbers
    assert [c.value for c in sheet[2]] == ["Wsparcie reaktywne", "godziny", 25, 7, 0, 18, 0.28,
                                           0, 1, 0, 0]  # fmt: skip
    sheet = workbook(capsysbinary, tiny_home, tmp_path, "active_contracts", "--lang", "pl")
    header = [c.value for c in sheet[1]]
    start, end = (
        sheet.cell(2, header.index("Początek") + 1),
        sheet.cell(2, header.index("Koniec") + 1),
    )
    # days stored as days, shown as Polish writes them in a table: 31.12.2026
    assert (start.value, end.value) == (datetime(2026, 1, 1), datetime(2026, 12, 31))
    assert start.number_format == end.number_format == "d.mm.yyyy"


def test_the_default_workbook_keeps_the_names_and_codes(capsysbinary, tiny_home, tmp_path):
    sheet = workbook(capsysbinary, tiny_home, tmp_path, "enterprise_consumption")
    assert [c.value for c in sheet[1]][:3] == ["category", "unit", "purchased"]
    assert [c.value for c in sheet[2]][:3] == ["reactive", "hours", 25]
    sheet = workbook(capsysbinary, tiny_home, tmp_path, "active_contracts")
    assert sheet.cell(2, 6).value == datetime(2026, 12, 31)
    assert sheet.cell(2, 6).number_format == "d mmm yyyy"


def test_the_help_says_what_the_options_do(capsys):
    with pytest.raises(SystemExit) as done:
        main(["export", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert done.value.code == 0
    assert "--lang {en,pl}" in said and "--headers {names,human}" in said
    assert "its values stay machine-readable" in said


def test_a_polish_workbook_names_the_reasons_of_additional_cases(capsysbinary, tiny_home, tmp_path):
    # ANSWERS.md: K7 is additional for two reasons, expired_contract;special_service (K-OLD, REC)
    code, _, err = export(
        capsysbinary, tiny_home, "additional_cases", "--user", "u-wsadmin", "--lang", "pl",
        "--format", "xlsx", "--out", str(tmp_path / "cases.xlsx"),
    )  # fmt: skip
    assert code == 0 and err == ""
    sheet = openpyxl.load_workbook(tmp_path / "cases.xlsx")["additional_cases"]
    header = [c.value for c in sheet[1]]
    cases = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert cases["K7"][header.index("Powody")] == "Umowa wygasła; Usługa specjalna"
