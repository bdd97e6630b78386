"""The command line for account managers: `export portfolio`, and `--customer` picking the one
customer every other export and the meeting pack are about. Over the hand-made dataset: am-ann
serves C1 Acme Corporation and C2 Globex on the as-of day 2026-06-30, am-dee Globex only, am-bo
none (tests/fixtures/tiny/ANSWERS.md, "Account managers")."""

import csv
import io

import openpyxl
import pytest

from dashboard.cli import main

# the data contract's `portfolio` columns, in its order (docs/DATA_MODEL.md)
PORTFOLIO_COLUMNS = [
    "customer_id", "customer_name", "active_contracts", "next_contract_end", "days_left",
    "enterprise_hours_purchased", "enterprise_hours_used", "enterprise_hours_utilisation",
    "overdrawn_entitlements", "packages_expiring_soon", "will_run_out", "additional_cases_90d",
]  # fmt: skip
# ANSWERS.md's portfolio of am-ann, soonest contract end first: C1's K-B ends 2026-09-15 (77
# days), C2's K-G 2026-12-31 (184); hours 91.5 of 200 with 6 on no limit, (91.5 - 6) / 200 and
# 7 of 25; 3 overdrawn (E-ASM, E-WS, E-BEDU); P-A2 and P-B1 expiring; 5 will run out; K5, K6,
# K8 and K9 raised from 2026-04-02 (K4 on 04-01 is a day early), and K20
ACME = ["C1", "Acme Corporation", "3", "2026-09-15", "77", "200.0", "91.5", "0.4275", "3", "2",
        "5", "4"]  # fmt: skip
GLOBEX = ["C2", "Globex", "1", "2026-12-31", "184", "25.0", "7.0", "0.28", "0", "0", "0", "1"]


def run(capsysbinary, home, *args) -> tuple[int, str, str]:
    code = main([*args, "--data", str(home)])
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_portfolio_is_the_contracts_columns_one_row_per_customer(capsysbinary, tiny_home):
    code, out, err = run(capsysbinary, tiny_home, "export", "portfolio", "--user", "am-ann")
    assert (code, err) == (0, "")
    assert rows(out) == [PORTFOLIO_COLUMNS, ACME, GLOBEX]


def test_the_portfolio_as_an_xlsx_sheet(capsysbinary, tiny_home, tmp_path):
    target = tmp_path / "book.xlsx"
    code, _, err = run(capsysbinary, tiny_home, "export", "portfolio", "--user", "am-ann",
                       "--format", "xlsx", "--out", str(target))  # fmt: skip
    assert (code, err) == (0, "")
    sheet = openpyxl.load_workbook(target)["portfolio"]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == PORTFOLIO_COLUMNS
    assert [row[:3] for row in cells[1:]] == [["C1", "Acme Corporation", 3], ["C2", "Globex", 1]]


def test_an_account_manager_of_one_customer_has_it_in_the_portfolio(capsysbinary, tiny_home):
    # am-dee's Globex assignment ends on the as-of day: still theirs; Acme's starts the day after
    code, out, _ = run(capsysbinary, tiny_home, "export", "portfolio", "--user", "am-dee")
    assert code == 0 and rows(out) == [PORTFOLIO_COLUMNS, GLOBEX]


@pytest.mark.parametrize(
    ("customer", "contracts"),
    [("C2", ["K-G"]), ("C1", ["K-B", "K-A", "K-NULL"])],  # Acme's, as its admin sees them
)
def test_customer_picks_the_customer_of_an_export(capsysbinary, tiny_home, customer, contracts):
    code, out, err = run(capsysbinary, tiny_home, "export", "active_contracts", "--user", "am-ann",
                         "--customer", customer)  # fmt: skip
    assert (code, err) == (0, "")
    assert [row[0] for row in rows(out)[1:]] == contracts


def test_an_account_manager_of_one_customer_needs_no_customer(capsysbinary, tiny_home):
    code, out, _ = run(capsysbinary, tiny_home, "export", "active_contracts", "--user", "am-dee")
    assert code == 0 and [row[0] for row in rows(out)[1:]] == ["K-G"]


def test_an_account_manager_sees_every_enrollment_but_no_learner(capsysbinary, tiny_home):
    code, out, _ = run(capsysbinary, tiny_home, "export", "enrollments", "--user", "am-ann",
                       "--customer", "C1")  # fmt: skip
    assert code == 0
    listed = list(csv.DictReader(io.StringIO(out, newline="")))
    assert sorted(r["enrollment_id"] for r in listed) == [f"N{n}" for n in range(1, 8)]
    assert {(r["learner_name"], r["learner_email"]) for r in listed} == {("", "")}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # C9 is no customer at all; C1 is am-dee's only from the day after the as-of day
        (["active_contracts", "--user", "am-ann", "--customer", "C9"], "may not open customer"),
        (["active_contracts", "--user", "am-dee", "--customer", "C1"], "may not open customer"),
        (["portfolio", "--user", "am-ann", "--customer", "C9"], "may not open customer"),
        (
            ["active_contracts", "--user", "am-ann"],
            "am-ann serves 2 customers: name one with --customer (C1, C2)",
        ),
        (
            ["active_contracts", "--user", "u-cadmin", "--customer", "C2"],
            "u-cadmin is a user of Acme Corporation: --customer C2 is not theirs",
        ),
        (
            ["portfolio", "--user", "u-cadmin"],
            "u-cadmin is not an account manager: the portfolio is for account managers",
        ),
        (["portfolio", "--user", "am-ann", "--workspace", "W1"], "the portfolio takes no filter"),
        (["portfolio", "--user", "am-ann", "--status", "all"], "the portfolio takes no filter"),
        (["portfolio", "--user", "am-ann", "--range", "90d"], "the portfolio takes no filter"),
        # ended the day before the as-of day: no customer, said why
        (["portfolio", "--user", "am-bo"], "Bo Ended is an account manager with no customer"),
        (["training_report", "--user", "am-ann", "--customer", "C1"], "may not see learner"),
        (["access_people", "--user", "am-ann", "--customer", "C1"], "is not an admin"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(capsysbinary, tiny_home, args, message):
    code, out, err = run(capsysbinary, tiny_home, "export", *args)
    assert (code, out) == (1, "")
    assert message in err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_a_customer_user_may_name_their_own_customer(capsysbinary, tiny_home):
    code, out, _ = run(capsysbinary, tiny_home, "export", "active_contracts", "--user", "u-gadmin",
                       "--customer", "C2")  # fmt: skip
    assert code == 0 and [row[0] for row in rows(out)[1:]] == ["K-G"]


def summary(path) -> dict:
    sheet = openpyxl.load_workbook(path)["Summary"]
    return dict(sheet.iter_rows(min_row=2, max_row=14, max_col=2, values_only=True))


def test_the_meeting_pack_of_one_customer(capsysbinary, tiny_home, tmp_path):
    target = tmp_path / "acme.xlsx"
    code, out, err = run(capsysbinary, tiny_home, "pack", "--no-snapshot", "--user", "am-ann",
                         "--customer", "C1", "--out", str(target))  # fmt: skip
    assert (code, out, err) == (0, "", "")
    said = summary(target)
    assert said["Customer"] == "Acme Corporation"
    assert said["Prepared by"] == "Ann Manager"
    assert said["Active contracts"] == 3  # K-A, K-B and K-NULL, as Acme's admin sees them


def test_the_meeting_pack_names_only_that_customers_workspaces(capsysbinary, tiny_home, tmp_path):
    target = tmp_path / "acme.xlsx"
    code, _, _ = run(capsysbinary, tiny_home, "pack", "--no-snapshot", "--user", "am-ann",
                     "--customer", "C1", "--out", str(target))  # fmt: skip
    assert code == 0
    # W1 and W2 are Acme's; W3, Globex Main, is another customer's
    assert summary(target)["Workspaces"] == "All workspaces you can open: Acme Lab, Acme Production"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "am-ann"], "am-ann serves 2 customers: name one with --customer"),
        (["--user", "am-ann", "--customer", "C9"], "may not open customer"),
        (["--user", "u-cadmin", "--customer", "C2"], "--customer C2 is not theirs"),
    ],
)
def test_pack_refusals_are_one_line_and_leave_no_file(
    capsysbinary, tiny_home, tmp_path, args, message
):
    code, out, err = run(
        capsysbinary, tiny_home, "pack", "--no-snapshot", *args, "--out", str(tmp_path / "p.pdf")
    )
    assert (code, out) == (1, "")
    assert message in err and err.startswith("error: ") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
