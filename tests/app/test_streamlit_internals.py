"""The private Streamlit and Altair APIs live in one module that checks the version at import."""

import logging
import re
import subprocess
import sys
from pathlib import Path

from dashboard.app import streamlit_internals

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
# imports of library internals, and the private keyword st.spinner takes
PRIVATE = re.compile(
    r"^\s*(from|import) (streamlit|altair)\.|^\s*from streamlit import|_cache=", re.MULTILINE
)


def test_only_the_internals_module_uses_private_apis():
    users = sorted(
        str(path.relative_to(DASHBOARD))
        for path in DASHBOARD.rglob("*.py")
        if PRIVATE.search(path.read_text())
    )
    assert users == ["app/streamlit_internals.py"]


def test_the_version_written_for_says_nothing_and_others_are_named():
    assert streamlit_internals.version_warning("1.67.0") is None
    assert streamlit_internals.version_warning("1.67.12") is None
    for version in ("1.66.2", "1.68.0", "2.0.1"):
        assert f"Streamlit {version} is installed" in streamlit_internals.version_warning(version)


def test_another_version_is_logged_not_raised(monkeypatch, caplog):
    monkeypatch.setattr(streamlit_internals.importlib.metadata, "version", lambda name: "1.99.0")
    with caplog.at_level(logging.WARNING, logger="customer_activity"):
        streamlit_internals.check_version()
    assert "Streamlit 1.99.0 is installed" in caplog.text


def test_importing_the_module_checks_the_installed_version(tmp_path):
    # a fresh interpreter told Streamlit is 1.99: it starts, and says so once
    script = (
        "import importlib.metadata as m\n"
        "real = m.version\n"
        "m.version = lambda name: '1.99.0' if name == 'streamlit' else real(name)\n"
        "import logging; logging.basicConfig()\n"
        "import dashboard.app.streamlit_internals\n"
        "print('started')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True, text=True, cwd=DASHBOARD.parent, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and "started" in done.stdout
    assert done.stderr.count("Streamlit 1.99.0 is installed") == 1
