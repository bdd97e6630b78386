"""The manage-access page through AppTest: only admins see it, a grant takes effect for the
person at their next interaction, refusals are plain messages."""

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import location
from dashboard.importer import import_dataset
from tests.app.conftest import APP, metrics, plain
from tests.conftest import FIXTURE, FIXTURE_AS_OF


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """A data home of its own, since these tests change access."""
    home = tmp_path / "home"
    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    import_dataset(src, home, FIXTURE_AS_OF)
    monkeypatch.setenv(location.ENV_VAR, str(home))

    def open_as(user: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        at.query_params["as"] = user
        return at.run()

    return open_as


@pytest.mark.parametrize(("user", "listed"), [("u-cadmin", True), ("u-wsadmin", True),
                                               ("u-act", False), ("u-viewall", False)])  # fmt: skip
def test_only_admins_are_offered_the_page(fresh, user, listed):
    at = fresh(user)
    if listed:
        at.switch_page("views/manage_access.py").run()
        assert not at.exception
        assert at.title[0].value == "Manage access"
    else:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("views/manage_access.py")  # not in this user's navigation at all


def grant(at, person: str, role: str, workspace: str | None = None):
    if workspace:
        at.selectbox(key="access_ws").select(workspace).run()
    form = [s for s in at.selectbox if s.label in ("Person", "Role")]
    form[0].select(person)
    form[1].select(role)
    next(b for b in at.button if b.label == "Grant").click().run()
    return at


def test_a_grant_takes_effect_at_the_persons_next_interaction(fresh):
    nora = fresh("u-none")
    assert nora.title[0].value == "No access to Customer Activity"
    admin = fresh("u-wsadmin")
    admin.switch_page("views/manage_access.py").run()
    [roles] = [s for s in admin.selectbox if s.label == "Role"]
    assert roles.options == ["Customer activity", "View all support requests", "Training manager"]
    grant(admin, "u-none", "customer_activity")
    assert not admin.exception
    assert "Customer activity granted for Nora None in Acme Production" in plain(
        admin.success[0].value
    )
    trail = admin.dataframe[-1].value
    assert list(trail["user_name"]) == ["Nora None"] and list(trail["action"]) == ["grant"]
    assert list(trail["role"]) == ["Customer activity"]
    nora.run()  # her next interaction, same session: no restart, no stale cache
    assert nora.title[0].value == "Enterprise-wide"
    assert metrics(nora)["Active contracts"] == "1"  # K-A, in W1


def test_a_refused_change_says_why(fresh):
    admin = fresh("u-wsadmin")
    admin.switch_page("views/manage_access.py").run()
    grant(admin, "u-wsadmin", "training_manager")
    assert not admin.exception
    assert "cannot grant yourself a role" in plain(admin.error[0].value)
