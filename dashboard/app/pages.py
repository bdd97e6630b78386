"""Every page of the app, in the navigation's order: adding a page is one line in PAGES.

The entry (`main.py`) builds the sidebar's navigation from it and reads from it whether the
sidebar's filters apply and whether a page shows one contract at a time; the entitlement
detail links to the detail views it names; the benchmark and the tests walk it. No streamlit
here: the benchmark and the tests import it without starting an app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboard.language import N_

ENTRY_DIR = Path(__file__).parent  # page files are relative to the app's entry, as st.Page has
# the navigation's headings, in order (in English: main.py translates them where shown)
SECTIONS = (N_("Overview"), N_("Details"), N_("Data"))
# Links to the home page by its name: Streamlit serves the default page at the root only
HOME_ALIASES = ("enterprise", "enterprise-wide")


@dataclass(frozen=True)
class Page:
    file: str  # relative to the app's entry, e.g. "views/renewal.py"
    title: str  # in the sidebar, in English (the registry's value: `_()` where shown)
    url_path: str
    icon: str
    section: str  # one of SECTIONS
    filtered: bool = True  # whether the sidebar's filters change it (greyed out when not)
    one_contract: bool = False  # whether it shows one contract at a time
    details: str | None = None  # what it details ("support"...): an entitlement's link leads here
    admin_only: bool = False  # in the navigation only of those who administer a workspace
    account_managers_only: bool = False  # in the navigation only of account managers
    # shown for every customer an account manager serves when none is picked (the others ask
    # which customer first)
    every_customer: bool = False
    short_title: str = ""  # the benchmark's name for it, when not its title


PAGES = (
    # an account manager's first page, over every customer they serve; the filters are about
    # one customer and do not apply
    Page("views/portfolio.py", N_("My customers"), "customers", ":material/groups:", "Overview",
         filtered=False, account_managers_only=True, every_customer=True),
    Page("views/enterprise.py", N_("Enterprise-wide"), "start", ":material/domain:", "Overview"),
    Page("views/addons.py", N_("Add-on packages"), "add-ons", ":material/extension:", "Overview",
         one_contract=True),
    Page("views/renewal.py", N_("Renewal planning"), "renewal", ":material/event_repeat:",
         "Overview"),
    Page("views/alerts.py", N_("Alerts"), "alerts", ":material/notifications:", "Overview",
         filtered=False, every_customer=True),
    Page("views/proof_of_delivery.py", N_("Proof of delivery"), "proof-of-delivery",
         ":material/task_alt:", "Overview", one_contract=True),
    Page("views/support.py", N_("Support and proactive services"), "support",
         ":material/support_agent:", "Details", details="support", short_title="Support"),
    Page("views/education.py", N_("On-demand education"), "education", ":material/school:",
         "Details", details="education", short_title="Education"),
    Page("views/contacts.py", N_("Named contacts"), "contacts", ":material/contacts:", "Details",
         details="contacts", short_title="Contacts"),
    Page("views/assessments.py", N_("On-demand assessments"), "assessments",
         ":material/fact_check:", "Details", details="assessments", short_title="Assessments"),
    Page("views/credits.py", N_("Proactive credits"), "credits", ":material/toll:", "Details",
         details="credits", short_title="Credits"),
    Page("views/additional_cases.py", N_("Additional cases"), "additional-cases",
         ":material/playlist_add:", "Details"),
    Page("views/dataset_page.py", N_("About the data"), "data", ":material/dataset:", "Data",
         filtered=False),
    Page("views/manage_access.py", N_("Manage access"), "manage-access",
         ":material/admin_panel_settings:", "Data", filtered=False, admin_only=True),
)  # fmt: skip
_BY_PATH = {page.url_path: page for page in PAGES}
HOME = _BY_PATH["start"]  # the page served at the root
PORTFOLIO = _BY_PATH["customers"]


def by_path(url_path: str) -> Page:
    """The page at `url_path` (without its slash); KeyError for none."""
    return _BY_PATH[url_path]


def address(page: Page) -> str:
    """Where a browser opens `page`, after the app's root: Streamlit serves the home page at
    the root only (at its own url path it says "Page not found")."""
    return "" if page is HOME else page.url_path


def visible(administers: bool, account_manager: bool = False) -> tuple[Page, ...]:
    """The pages in the navigation of someone who does, or does not, administer a workspace,
    and is, or is not, an account manager."""
    return tuple(
        page
        for page in PAGES
        if (administers or not page.admin_only)
        and (account_manager or not page.account_managers_only)
    )
