"""The project's copy of the data contract and its Python form agree with the contract."""

import re
from pathlib import Path

import pytest

from dashboard.ingest.schema import BY_NAME, CATEGORIES, ROLES, TABLE_NAMES, UNITS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "DATA_MODEL.md"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "DATA_MODEL.md"


@pytest.mark.skipif(not SHARED.is_file(), reason="no shared contract beside the project")
def test_docs_copy_is_in_step_with_the_shared_contract():
    assert DOCS.read_text() == SHARED.read_text()


def contract_tables() -> dict[str, list[str]]:
    """`| table | columns |` rows of the contract: {table: [column names]}."""
    tables = {}
    for line in DOCS.read_text().splitlines():
        match = re.match(r"\| ([a-z_]+) \| (.+) \|$", line)
        if match and match.group(1) != "table":
            columns = re.sub(r"\([^)]*\)", "", match.group(2))
            columns = re.sub(r":[^,]*", "", columns)
            tables[match.group(1)] = [c.strip().rstrip("?").strip() for c in columns.split(",")]
    return tables


def test_every_table_and_column_of_the_contract():
    tables = contract_tables()
    assert sorted(tables) == sorted(TABLE_NAMES)
    for name, columns in tables.items():
        assert list(BY_NAME[name].column_names) == columns, name


def test_nullable_columns_match_the_question_marks():
    text = DOCS.read_text()
    for table in BY_NAME.values():
        row = next(line for line in text.splitlines() if line.startswith(f"| {table.name} |"))
        for column in table.columns:
            marked = re.search(rf"\b{column.name}\?", row) is not None
            assert column.nullable == marked, f"{table.name}.{column.name}"


def test_enums_match_the_contract():
    text = DOCS.read_text()
    for value in CATEGORIES + UNITS + ROLES:
        assert f"`{value}`" in text
