"""The pages say which kind of list they hold: what was consumed against a contract (proof of
delivery, an entitlement's usage history: every item booked against it, whatever workspace it
was raised in, the hidden ones counted) or a workspace's cases (support requests, additional
cases: the workspaces picked). K6 is raised in W2 against K-A, the contract of W1."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import pages
from dashboard.ingest import data_home
from tests.app.conftest import APP, texts

ADDITIONAL_CASES = pages.by_path("additional-cases").file
ADD_ONS = pages.by_path("add-ons").file
PROOF = pages.by_path("proof-of-delivery").file
SUPPORT = pages.by_path("support").file


def view(app, page, user, **params):
    at = app(**{"as": user, **params})
    at.switch_page(page).run()
    assert not at.exception and not at.error
    return at


def test_proof_of_delivery_holds_what_was_booked_whatever_workspace_is_picked(app):
    at = view(app, PROOF, "u-cadmin", ws="W1", contract="K-A")
    assert ("Everything booked against CN-100 · Acme Unified 2026 in the date range, whatever "
            "workspace it was raised in") in texts(at)  # fmt: skip
    items = at.dataframe[1].value
    assert len(items) == 15 and "K6" in set(items["reference"])
    assert "hidden by your permissions" not in texts(at)


def test_proof_of_delivery_says_how_many_are_hidden_and_counts_them_in_the_totals(app):
    # Walt opens W1 only: K6, raised in W2, is hidden from him
    at = view(app, PROOF, "u-wsadmin", contract="K-A")
    assert ("1 support request booked against this contract is hidden by your permissions: the "
            "totals count it, the list does not.") in texts(at)  # fmt: skip
    totals = at.dataframe[0].value
    reactive = totals[totals["category"] == "Reactive support"].iloc[0]
    assert (reactive["items"], reactive["quantity"], reactive["hidden"]) == (3, 39.5, 1)
    items = at.dataframe[1].value
    assert len(items) == 15 - 1 and "K6" not in set(items["reference"])


@pytest.mark.parametrize("page", [SUPPORT, ADDITIONAL_CASES])
def test_the_case_lists_say_they_list_the_workspaces_picked(app, page):
    at = view(app, page, "u-cadmin", ws="W1")
    assert "Support requests raised in the workspaces picked." in texts(at)
    shown = "\n".join(df.value.to_csv() for df in at.dataframe)
    assert "K1" in shown or "K4" in shown  # W1's
    assert "K6" not in shown  # raised in W2


@pytest.fixture(scope="module")
def with_an_add_on_case(tmp_path_factory):
    """The hand-made dataset, plus a reactive entitlement of the add-on P-A2 (K-A), E-XR, 10
    hours, and one case on it, K11, raised in W2 (2 hours, Tess its primary contact)."""
    import shutil

    from dashboard.ingest.importer import import_dataset
    from tests.conftest import FIXTURE, FIXTURE_AS_OF

    base = tmp_path_factory.mktemp("add-on-case")
    src = base / "src"
    shutil.copytree(FIXTURE, src)
    with (src / "entitlements.csv").open("a", encoding="utf-8") as out:
        out.write("E-XR,P-A2,reactive,Add-on reactive,Extra break-fix hours,consumable,hours,10,\n")
    with (src / "cases.csv").open("a", encoding="utf-8") as out:
        out.write("K11,W2,K-A,E-XR,Lab escalation,reactive,STD,B,closed,2026-06-10T10:00:00Z,"
                  "2026-06-11T10:00:00Z,u-train,2\n")  # fmt: skip
    import_dataset(src, base / "home", FIXTURE_AS_OF)
    return base / "home"


def history_of_add_on_reactive(home, monkeypatch, user, **params) -> AppTest:
    monkeypatch.setenv(data_home.ENV_VAR, str(home))
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in {"as": user, "contract": "K-A", "status": "all", **params}.items():
        at.query_params[key] = value
    at.run().switch_page(ADD_ONS).run()
    names = list(at.dataframe[0].value["name"])
    at.session_state["addon_entitlement_0"] = {
        "selection": {"rows": [names.index("Add-on reactive")], "columns": []}
    }
    at.run()
    assert not at.exception
    return at


def test_an_entitlements_usage_history_holds_its_cases_from_every_workspace(
    with_an_add_on_case, monkeypatch
):
    at = history_of_add_on_reactive(with_an_add_on_case, monkeypatch, "u-cadmin", ws="W1")
    page = texts(at)
    assert "Everything booked against this entitlement, whatever workspace it was raised in." in (
        page
    )
    assert "hidden by your permissions" not in page
    assert list(at.dataframe[-1].value["record_id"]) == ["K11"]


def test_an_entitlements_usage_history_says_how_many_are_hidden(with_an_add_on_case, monkeypatch):
    # Walt opens W1 only: K11, raised in W2, is hidden from him; its 2 hours are used
    at = history_of_add_on_reactive(with_an_add_on_case, monkeypatch, "u-wsadmin")
    page = texts(at)
    assert "1 support request booked against this entitlement is hidden by your permissions." in (
        page
    )
    assert "Nothing recorded in the date range that you may see." in page
