"""The rules stated as numbers and codes are defined once for SQL (queries/_derived.sql's macros)
and once for Python (dashboard/rules.py): the two agree, and no query keeps a copy of its own."""

import re
from decimal import Decimal

import pytest

from dashboard import rules
from dashboard.query import sql_files
from seed.cases import SERVICE_CODES


def evaluated(tiny, expression: str):
    """`expression` as the app's own connection evaluates it."""
    cursor = tiny._con.cursor()
    try:
        return cursor.execute(f"SELECT {expression}").fetchone()[0]  # noqa: S608 (a test's text)
    finally:
        cursor.close()


@pytest.mark.parametrize(
    ("macro", "constant"),
    [
        ("expiring_soon_days()", rules.EXPIRING_SOON_DAYS),
        ("burn_window_days()", rules.BURN_WINDOW_DAYS),
        ("unused_share()", rules.UNUSED_SHARE),
        ("band_z()", rules.BAND_Z),
        ("band_least_days()", rules.BAND_LEAST_DAYS),
        ("special_service_codes()", list(rules.SPECIAL_SERVICE_CODES)),
    ],
)
def test_the_sql_macros_agree_with_the_python_rules(tiny, macro, constant):
    value = evaluated(tiny, macro)
    # SQL writes 0.2 as an exact decimal: the same number as Python's 0.2 once a float
    assert (float(value) if isinstance(value, Decimal) else value) == constant


def test_a_special_service_is_one_of_the_codes_python_names(tiny):
    codes = sorted({*SERVICE_CODES, *rules.SPECIAL_SERVICE_CODES, "su", "XYZ"})
    special = evaluated(tiny, f"[c FOR c IN {codes!r} IF is_special_service(c)]")
    assert special == [c for c in codes if c in rules.SPECIAL_SERVICE_CODES]
    assert sorted(special) == sorted(rules.SPECIAL_SERVICE_CODES)  # every one of them
    assert evaluated(tiny, "is_special_service(NULL)") is None  # as `IN (...)` was


def sql_texts() -> dict[str, str]:
    """Every query and layer file, comments left out; and the derived file without its rules."""
    paths = [*sql_files.QUERY_DIR.glob("*.sql"), *sql_files.layer_files()]
    texts = {path.name: sql_files.strip_comments(path.read_text()) for path in paths}
    derived = texts.pop(sql_files.DERIVED_FILE)
    texts[sql_files.DERIVED_FILE] = re.sub(
        r"CREATE MACRO (expiring_soon_days|burn_window_days|unused_share|special_service_codes)"
        r"\(\) AS [^;]*;",
        "",
        derived,
    )
    return texts


def test_no_sql_file_keeps_a_copy_of_a_rule():
    copies = re.compile(r"\b90\b|\b0?\.2\b|\b20\s*%|'(SU|DSA|X85|REC)'")
    found = {name: [m[0] for m in copies.finditer(text)] for name, text in sql_texts().items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_queries_that_apply_a_rule_read_it_from_its_macro():
    expected = {
        "active_contracts": "expiring_soon_days()",
        "package_entitlements": "expiring_soon_days()",  # through _viewer_packages
        "renewal_forecast": "burn_window_days()",  # through _burn
        "additional_cases": "is_special_service(",
        "portfolio": "forecast_status(",  # will_run_out, as renewal_forecast says it
    }
    for name, macro in expected.items():
        assert macro in whole(name), name
    assert "forecast_status(" in whole("renewal_forecast")
    derived = (sql_files.QUERY_DIR / sql_files.DERIVED_FILE).read_text()
    assert "WHEN unused > unused_share() * purchased THEN 'will leave unused'" in derived


def whole(name: str) -> str:
    """The query `name` composed with every layer expression it reads, kept ones too."""
    return sql_files.compose(
        sql_files.strip_comments((sql_files.QUERY_DIR / f"{name}.sql").read_text())
    )
