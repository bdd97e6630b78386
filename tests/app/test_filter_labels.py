"""Filters that explain themselves, over the hand-made dataset (as of 2026-06-30): package
choices that can be told apart, a scope line naming every filter picked, and an Enterprise-wide
page that says why it charts nothing and what to pick instead."""

from dashboard.app import pages
from tests.app.conftest import plain, texts

ADD_ONS = pages.by_path("add-ons").file


def _scope(at) -> str:
    return plain(next(c.value for c in at.caption if "Entitlement totals always" in c.value))


def test_package_choices_name_contract_package_and_state(app):
    at = app(**{"as": "u-cadmin"})
    assert not at.exception
    box = at.selectbox(key="f_package")
    # packages.csv: K-A (CN-100), K-OLD (CN-090), K-B (CN-200), K-UP (CN-300) and K-NULL
    # (CN-400) are Acme's; by contract number, enterprise packages first, then by end
    assert box.options == [
        "All packages",
        "CN-090 · Enterprise Support 2025 · expired",
        "CN-100 · Enterprise Support 2026 · active",
        "CN-100 · Spring credits add-on · expired",  # ended 2026-03-31
        "CN-100 · Workshop add-on · active",
        "CN-200 · Lab Enterprise · active",
        "CN-200 · Lab credits boost · active",
        "CN-300 · Lab Enterprise 2027 · upcoming",  # starts 2026-08-01
        "CN-400 · Unassigned Enterprise · active",
    ]


def test_the_scope_line_names_every_filter_picked(app):
    at = app(**{"as": "u-cadmin", "ws": "W2", "contract": "K-B", "package": "P-B2",
                "status": "all", "from": "2026-05-01", "to": "2026-06-30"})  # fmt: skip
    assert not at.exception
    assert _scope(at) == (
        "Data as of 30 Jun 2026 · workspace Acme Lab · contract CN-200 · package “CN-200 · "
        "Lab credits boost · active” · package status all · activity 1 May 2026 – 30 Jun 2026. "
        "Entitlement totals always cover the whole term; the date range narrows activity only."
    )
    # the default status is not named; every workspace reads as such
    at = app(**{"as": "u-cadmin"})
    assert _scope(at).startswith("Data as of 30 Jun 2026 · all your workspaces. Entitlement")
    at = app(**{"as": "u-cadmin", "status": "inactive"})
    assert "all your workspaces · package status inactive. " in _scope(at)


def test_enterprise_wide_with_an_add_on_picked_says_why_and_links_to_add_ons(app):
    at = app(**{"as": "u-cadmin", "package": "P-A2"})
    assert not at.exception
    shown = texts(at)
    assert (
        "CN-100 · Workshop add-on · active is an add-on package: Enterprise-wide shows "
        "enterprise packages only. Add-on packages shows it, with the same filters." in shown
    )
    assert "Nothing to chart by month either" in shown
    assert "No consumption in this date range" not in shown
    links = at.get("page_link")
    assert [link.proto.label for link in links] == ["Open Add-on packages"]
    assert "package=P-A2" in links[0].proto.query_string
    # the link lands on the add-on's contract, without asking for one
    at.switch_page(ADD_ONS).run()
    assert not at.exception
    page = texts(at)
    assert "one contract at a time" not in page
    assert "Add-on packages of CN-100 · Acme Unified 2026" in page
    assert "Workshop add-on" in page


def test_enterprise_wide_says_what_to_pick_when_nothing_active_is_in_view(app):
    # an expired add-on under the default status: Add-on packages needs another status
    at = app(**{"as": "u-cadmin", "package": "P-A3"})
    assert "it is expired: pick Package status “Inactive” or “All” to see it there." in texts(at)
    # an expired enterprise package
    at = app(**{"as": "u-cadmin", "package": "P-OLD", "status": "all"})
    assert (
        "CN-090 · Enterprise Support 2025 · expired is expired: Enterprise-wide shows active "
        "enterprise packages only. Pick an active one under Package, or All packages." in texts(at)
    )
    # an upcoming contract, whatever the package status
    at = app(**{"as": "u-cadmin", "contract": "K-UP", "status": "inactive"})
    assert (
        "Contract CN-300 has no active enterprise package: its enterprise packages are "
        "upcoming. Enterprise-wide shows active ones only: pick an active contract under "
        "Contract, or All contracts." in texts(at)
    )


def test_enterprise_wide_by_month_says_when_the_dates_precede_the_terms(app):
    # 2025: the active enterprise packages P-A1 and P-N1 began on 1 January 2026, P-B1 on
    # 1 March 2026; their use in 2025 is none
    at = app(**{"as": "u-cadmin", "from": "2025-01-01", "to": "2025-12-31"})
    assert not at.exception
    shown = texts(at)
    assert (
        "No use of the active enterprise packages in this date range: the first of their terms "
        "began on 1 Jan 2026, after it ends." in shown
    )
    assert "No consumption in this date range" not in shown
