"""The customer filter, through Streamlit's AppTest over the hand-made dataset: an account
manager's pages are about one customer at a time, picked in the sidebar or by the link's
`customer=`; customer users have no such filter. On the as-of day 2026-06-30 am-ann serves C1
Acme Corporation and C2 Globex, am-dee Globex only (its last day; Acme's starts the day after),
am-bo (ended the day before) and am-cy (starts the day after) none (tests/fixtures/tiny/
ANSWERS.md, "Account managers")."""

import pytest

from dashboard.app import pages
from tests.app.conftest import metrics, plain, texts

PORTFOLIO = pages.PORTFOLIO.file
EDUCATION = pages.by_path("education").file
RENEWAL = pages.by_path("renewal").file
SUPPORT = pages.by_path("support").file
# the pages that show one customer, but the home page (which sends an account manager with
# none picked to My customers) and Manage access (never an account manager's)
# the pages that show one customer at a time: all but those over every customer served
ONE_CUSTOMER = [
    page
    for page in pages.PAGES
    if page is not pages.HOME and not page.every_customer and not page.admin_only
]
LEARNERS = {"Ann Lee", "Bob Roe", "Cy Doe", "Di Poe", "Ed Lab", "Flo Lab", "Gil Lab"}


def sidebar_labels(at) -> list[str]:
    """The labels of the sidebar's widgets, top to bottom."""
    return [node.label for node in at.sidebar if getattr(node, "label", None)]


def dropped(at) -> list[str]:
    """The notices of what the link asked for and was dropped, as a reader sees them."""
    return [plain(w.value) for w in at.warning]


def test_the_customer_filter_is_an_account_managers_above_the_workspaces(app):
    at = app(**{"as": "am-ann", "customer": "C1"})
    assert not at.exception
    labels = sidebar_labels(at)
    assert labels[labels.index("Customer") + 1] == "Workspaces"
    customer = at.selectbox(key="f_customer")
    assert customer.options == ["Choose a customer", "Acme Corporation", "Globex"]
    assert customer.value == "C1" and not customer.disabled
    for user in ("u-cadmin", "u-act", "u-gadmin"):
        at = app(**{"as": user})
        assert "Customer" not in sidebar_labels(at), user
        assert "Workspaces" in sidebar_labels(at), user


def test_the_links_customer_picks_it(app):
    at = app(**{"as": "am-ann", "customer": "C2"})
    assert not at.exception and not at.warning
    assert at.title[0].value == "Enterprise-wide"
    assert "Data as of 30 Jun 2026 · Globex · all your workspaces" in texts(at)
    assert metrics(at)["Active contracts"] == "1"  # K-G
    assert at.selectbox(key="f_customer").value == "C2"
    assert at.multiselect(key="f_ws").options == ["Globex Main"]  # W3, Globex's only
    assert at.query_params["customer"] == "C2"  # kept in the link, to be copied


@pytest.mark.parametrize(
    ("user", "customer", "title", "picked"),
    [
        ("am-ann", "C9", "My customers", ""),  # no such customer: am-ann's start, none picked
        # Acme is am-dee's from the day after the as-of day: Globex, the only one, instead
        ("am-dee", "C1", "Enterprise-wide", "C2"),
    ],
)
def test_a_customer_the_account_manager_does_not_serve_is_dropped_with_a_notice(
    app, user, customer, title, picked
):
    at = app(**{"as": user, "customer": customer})
    assert not at.exception
    assert dropped(at) == [f"Filter dropped: customer “{customer}” is not one you serve."]
    assert at.title[0].value == title
    assert at.selectbox(key="f_customer").value == picked
    assert at.query_params.get("customer", "") == picked


@pytest.mark.parametrize(
    ("user", "customer", "contracts", "name"),
    [("u-cadmin", "C2", "3", "Acme"), ("u-gadmin", "C1", "1", "Globex")],
)
def test_a_customer_users_customer_in_the_link_is_dropped_with_a_notice(
    app, user, customer, contracts, name
):
    at = app(**{"as": user, "customer": customer})
    assert not at.exception
    assert dropped(at) == ["Filter dropped: the customer filter is for account managers only."]
    # their own customer's figures still: K-A, K-B and K-NULL for Cara; K-G for Gina
    assert metrics(at)["Active contracts"] == contracts
    assert "customer" not in at.query_params
    at.switch_page(SUPPORT).run()  # said once, when the link is read
    assert not at.warning and at.title[0].value.startswith("Support")


def test_another_customer_resets_the_workspaces_contract_and_package(app):
    at = app(**{"as": "am-ann", "customer": "C2", "ws": "W3", "contract": "K-G",
                "package": "P-G1"})  # fmt: skip
    assert not at.exception and not at.warning
    assert at.multiselect(key="f_ws").value == ["W3"]
    assert at.selectbox(key="f_contract").value == "K-G"
    assert at.selectbox(key="f_package").value == "P-G1"
    at.selectbox(key="f_customer").set_value("C1").run()
    assert not at.exception
    # cleared, not dropped as another customer's (which would say so)
    assert not at.warning
    assert at.multiselect(key="f_ws").value == []
    assert at.selectbox(key="f_contract").value == ""
    assert at.selectbox(key="f_package").value == ""
    assert dict(at.query_params) == {"as": "am-ann", "customer": "C1"}
    assert metrics(at)["Active contracts"] == "3"  # Acme's K-A, K-B and K-NULL
    assert "· Acme Corporation ·" in texts(at)


@pytest.mark.parametrize("page", ONE_CUSTOMER, ids=lambda page: page.url_path)
def test_with_no_customer_picked_a_page_asks_which(app, page):
    at = app(**{"as": "am-ann"})
    at.switch_page(page.file).run()
    assert not at.exception
    assert at.title[0].value == page.title
    assert "You serve 2 customers, and this page shows one at a time" in texts(at)
    links = [
        (plain(link.proto.label), link.proto.page, link.proto.query_string)
        for link in at.get("page_link")
    ]
    assert links == [
        ("Acme Corporation", page.url_path, "customer=C1"),
        ("Globex", page.url_path, "customer=C2"),
        ("See every customer side by side in My customers", "customers", ""),
    ]
    # nothing of any customer is shown, and the sidebar offers the customer alone
    assert not at.metric and not at.dataframe and not at.get("vega_lite_chart")
    assert "Workspaces" not in sidebar_labels(at)
    assert at.selectbox(key="f_customer").value == ""


def test_following_a_link_of_the_page_asking_which_shows_that_customer(app):
    at = app(**{"as": "am-ann"})
    at.switch_page(RENEWAL).run()
    at.query_params["customer"] = "C2"  # as Globex's link sets it
    at.run()
    assert not at.exception and not at.warning
    assert at.title[0].value == "Renewal planning"
    assert not at.get("page_link")
    assert at.selectbox(key="f_customer").value == "C2"
    assert "Data as of 30 Jun 2026 · Globex · all your workspaces" in texts(at)
    # Globex's one entitlement, E-GREA, leaves 3.7 hours unused: on track
    assert list(at.dataframe[0].value["contract_number"]) == ["GX-1"]
    assert metrics(at)["Will run out before expiry"] == "0"
    assert metrics(at)["On track"] == "1"


def test_an_account_manager_of_one_customer_has_it_picked(app):
    at = app(**{"as": "am-dee"})
    assert not at.exception and not at.warning
    customer = at.selectbox(key="f_customer")
    assert customer.options == ["Choose a customer", "Globex"] and customer.value == "C2"
    assert at.query_params["customer"] == "C2"
    at.switch_page(RENEWAL).run()
    assert not at.get("page_link")  # never asked which
    assert at.title[0].value == "Renewal planning"


@pytest.mark.parametrize(
    ("user", "name"),
    [("am-bo", "Bo Ended"), ("am-cy", "Cy Later")],  # ended 06-29; starts 07-01
)
def test_an_account_manager_with_no_active_assignment_is_told_why(app, user, name):
    at = app(**{"as": user})
    assert not at.exception
    assert at.title[0].value == "No access to Customer Activity"
    assert plain(at.error[0].value) == (
        f"{name} is an account manager with no customer assigned on 30 June 2026: an "
        "assignment that has started and not ended opens a customer's data."
    )
    assert "from the first day of an assignment to its last" in texts(at)
    assert "Customer" not in sidebar_labels(at) and not at.metric


def test_an_account_manager_sees_learner_counts_never_names(app, downloads):
    at = app(**{"as": "am-ann", "customer": "C1"})
    at.switch_page(EDUCATION).run()
    assert not at.exception
    # every workspace of Acme, as its admin: E-EDU 5 seats, 3 used (N1, N2, N4; N3 cancelled);
    # E-BEDU 2 seats, 3 used (N5-N7)
    assert metrics(at)["Purchased (seats)"] == "7"
    assert metrics(at)["Used (seats)"] == "6"
    shown = "\n".join(frame.value.to_csv() for frame in at.dataframe) + texts(at)
    assert {name for name in LEARNERS if name in shown} == set()
    assert "@acme.example" not in shown
    assert not [b for b in at.get("download_button") if "Training report" in b.proto.label]
    lists = [make().decode("utf-8-sig") for name, make in downloads.items() if ".csv" in name]
    assert lists and not [text for text in lists if "Ann Lee" in text or "@acme." in text]


def test_an_account_manager_never_has_manage_access(monkeypatch, app, navigations):
    built = navigations
    for user, customer in (("am-ann", "C1"), ("am-ann", "C2"), ("am-dee", None)):
        built.clear()
        at = app(**{"as": user, **({"customer": customer} if customer else {})})
        assert not at.exception
        paths = {p.url_path for sections in built for e in sections.values() for p in e}
        assert "manage-access" not in paths and "customers" in paths, (user, customer)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(pages.by_path("manage-access").file)
