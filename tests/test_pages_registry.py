"""The page registry (dashboard/app/pages.py) is the one place a page is added: every page script
is in it, everything in it exists, and the sidebar's navigation is built from it alone."""

import ast

import pytest

from dashboard.app import pages
from dashboard.app.views.entitlement_detail import DETAIL_VIEWS, VIEW_OF_CATEGORY
from tests.app.conftest import opener

VIEWS = pages.ENTRY_DIR / "views"


def draws_itself(source: str) -> bool:
    """Whether a module is a page script: it calls render() at its top level, or under
    `if __name__ == "__main__":` (a page that other pages import as well)."""
    for node in ast.parse(source).body:
        for statement in node.body if isinstance(node, ast.If) else [node]:
            call = getattr(statement, "value", None)
            if isinstance(statement, ast.Expr) and isinstance(call, ast.Call):
                if getattr(call.func, "id", None) == "render":
                    return True
    return False


def test_a_page_script_is_told_from_a_helper_module():
    assert draws_itself("from x import render, page_context\nrender(page_context())\n")
    assert draws_itself('def render():\n    pass\n\n\nif __name__ == "__main__":\n    render()\n')
    assert not draws_itself("def render(dataset, user):\n    return None\n")


def test_every_page_script_is_in_the_registry_and_every_registered_file_exists():
    scripts = {
        f"views/{path.name}" for path in VIEWS.glob("*.py") if draws_itself(path.read_text())
    }
    assert scripts == {page.file for page in pages.PAGES}
    for page in pages.PAGES:
        assert (pages.ENTRY_DIR / page.file).is_file(), page.file


def test_each_page_is_named_once_and_sits_in_a_known_section():
    for field in ("file", "title", "url_path"):
        values = [getattr(page, field) for page in pages.PAGES]
        assert len(set(values)) == len(values), field
    assert {page.section for page in pages.PAGES} == set(pages.SECTIONS)
    assert not set(pages.HOME_ALIASES) & {page.url_path for page in pages.PAGES}
    assert not pages.HOME.admin_only


def test_the_rules_the_app_had_are_kept():
    # the app's former UNFILTERED and ONE_CONTRACT, and the pages only administrators see; My
    # customers spans every customer an account manager serves, which the filters do not
    unfiltered = {p.url_path for p in pages.PAGES if not p.filtered}
    assert unfiltered == {"customers", "alerts", "data", "manage-access"}
    assert {p.url_path for p in pages.PAGES if p.one_contract} == {"add-ons", "proof-of-delivery"}
    assert [p.url_path for p in pages.PAGES if p.admin_only] == ["manage-access"]
    assert [p.url_path for p in pages.PAGES if p.account_managers_only] == ["customers"]
    assert not pages.HOME.account_managers_only
    assert pages.HOME.file == "views/enterprise.py"


def test_lookups():
    assert pages.by_path("renewal").file == "views/renewal.py"
    assert pages.address(pages.by_path("start")) == ""  # the home page: at the root only
    assert pages.address(pages.by_path("support")) == "support"
    with pytest.raises(KeyError):
        pages.by_path("views/renewal.py")


def test_every_category_of_entitlement_has_its_detail_view():
    assert DETAIL_VIEWS == {
        "support": "views/support.py",
        "education": "views/education.py",
        "contacts": "views/contacts.py",
        "assessments": "views/assessments.py",
        "credits": "views/credits.py",
    }
    assert set(VIEW_OF_CATEGORY.values()) <= set(DETAIL_VIEWS)


@pytest.mark.parametrize(
    ("user", "administers", "manages_accounts"),
    # am-dee serves one customer (Globex), picked by itself: the root is Enterprise-wide
    [("u-cadmin", True, False), ("u-act", False, False), ("am-dee", False, True)],
)
def test_the_navigation_is_the_registrys_visible_pages(
    monkeypatch, tiny_home, navigations, user, administers, manages_accounts
):
    built = navigations
    at = opener(monkeypatch, tiny_home)(**{"as": user})
    assert not at.exception
    (sections,) = built
    assert list(sections) == list(pages.SECTIONS)
    shown = {
        section: [
            (p.title, p.url_path, p.icon, p._page) for p in entries if p.visibility == "visible"
        ]
        for section, entries in sections.items()
    }
    expected = {
        section: [
            (p.title, pages.address(p), p.icon, (pages.ENTRY_DIR / p.file).resolve())
            for p in pages.visible(administers, manages_accounts)
            if p.section == section
        ]
        for section in pages.SECTIONS
    }
    assert shown == expected
    # Manage access for those who administer a workspace (u-cadmin is C1's customer admin)
    assert any(url == "manage-access" for _, url, _, _ in shown["Data"]) == administers
    # My customers for account managers only, who administer nothing
    assert any(url == "customers" for _, url, _, _ in shown["Overview"]) == manages_accounts
    hidden = [
        (p.title, p.url_path) for e in sections.values() for p in e if p.visibility != "visible"
    ]
    assert hidden == [("Enterprise-wide", "enterprise"), ("Enterprise-wide", "enterprise-wide")]
