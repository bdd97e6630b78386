"""Each filter's name in a link is defined once (filters.LINK) and read from there."""

import re
from datetime import date
from pathlib import Path

from dashboard.query.filters import LINK, Filters, from_link

ROOT = Path(__file__).resolve().parents[1]


def test_a_link_written_with_the_names_reads_back_as_the_same_filters():
    link = {
        "customer": ["C1"],
        "ws": ["W1", "W2"],
        "contract": ["K-A"],
        "package": ["P-A1"],
        "status": ["all"],
        "from": ["2026-04-01"],
        "to": ["2026-06-30"],
    }
    wanted, notices = from_link(lambda name: link.get(name, []))
    assert notices == []
    assert wanted == Filters(
        customer="C1",
        workspaces=("W1", "W2"),
        contract="K-A",
        package="P-A1",
        status="all",
        date_from=date(2026, 4, 1),
        date_to=date(2026, 6, 30),
    )
    assert set(LINK.values()) == set(link)  # the names links have always used, and customer


def test_no_module_writes_a_filters_link_name_itself():
    names = "|".join(re.escape(name) for name in ("ws", "from", "to"))
    quoted = re.compile(rf"""["']({names})["']""")
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for folder in ("dashboard", "benchmarks")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "filters.py"
        for line in path.read_text(encoding="utf-8").splitlines()
        if quoted.search(line) and "$ws" not in line and "params=" not in line
    ]
    assert found == []
