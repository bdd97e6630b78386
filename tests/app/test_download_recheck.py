"""A download made when clicked is checked again then: after a re-import, or after its viewer
lost access, a page's button refuses with a message instead of building the file."""

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import downloads as checks
from dashboard.app import pages
from dashboard.ingest import data_home
from dashboard.ingest.importer import import_dataset
from dashboard.query import access_store
from tests.app.conftest import APP
from tests.conftest import FIXTURE, FIXTURE_AS_OF

SUPPORT = pages.by_path("support").file


@pytest.fixture
def home(monkeypatch, tmp_path):
    """A data home of its own, which these tests re-import and change access in."""
    import_dataset(FIXTURE, tmp_path / "home", FIXTURE_AS_OF)
    monkeypatch.setenv(data_home.ENV_VAR, str(tmp_path / "home"))
    return tmp_path / "home"


def support_page(user: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in {"as": user, "status": "all", **params}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(SUPPORT).run()
    assert not at.exception
    return at


def the_download(made: dict, prefix: str):
    [name] = [name for name in made if name.startswith(prefix)]
    return made[name]


def test_a_download_after_a_reimport_is_refused(home, downloads, tmp_path):
    support_page("u-cadmin")
    whole_list = the_download(downloads, "support_requests")
    assert whole_list().decode("utf-8-sig").count("\n") == 1 + 10  # before: made as usual
    source = tmp_path / "source"
    shutil.copytree(FIXTURE, source)
    import_dataset(source, home, FIXTURE_AS_OF)  # the same data, imported again
    for make in downloads.values():
        with pytest.raises(checks.DownloadRefused, match="data has been updated"):
            make()


@pytest.mark.parametrize(
    ("user", "params", "revoked"),
    [
        ("u-act", {"ws": "W1"}, "W1"),  # W1 picked, then revoked; W2 still open to Ada
        ("u-train", {}, "W2"),  # Tess's only workspace: she can open nothing any more
    ],
)
def test_a_download_after_access_was_revoked_is_refused(
    home, downloads, state_backend, user, params, revoked
):
    support_page(user, **params)
    contracts = the_download(downloads, "active_contracts")
    assert contracts().decode("utf-8-sig").startswith('"contract_number"')  # made as usual
    access_store.record(home, "u-cadmin", user, revoked, "customer_activity", "revoke")
    assert len(downloads) >= 4
    for make in downloads.values():
        with pytest.raises(checks.DownloadRefused, match="no longer have access"):
            make()


def test_refusal_is_none_while_nothing_changed(home):
    from dashboard.query.dataset import Dataset

    dataset = Dataset(data_home.current_dataset(home))
    assert checks.refusal(dataset, "u-act", ("W1", "W2")) is None
    assert checks.refusal(dataset, "u-act", ("W3",)) == checks.ACCESS_LOST  # Globex's
