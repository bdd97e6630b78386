"""`python -m dashboard serve`: `streamlit run dashboard/app/main.py`, warmed up while it starts.

A fresh server's first visitor would otherwise wait for what every later visitor finds done:
importing the libraries the pages use, checking and opening the live dataset, Altair's first
charts (the shape of Enterprise-wide's first bars among them) and Streamlit's check at the first
element drawn (together more than a second at 10M usage rows). A thread does that as soon as
the server answers, while the browser loads the page. A session that arrives before it is done waits
for the same imports and the same dataset (Python's import lock and the resource cache's lock)
instead of doing the work twice.

For a data home on object storage, the warm-up's first read of the dataset brings the local cache
up to date and starts the thread that follows new versions; the server logs each switch.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

log = logging.getLogger("customer_activity")

APP = Path(__file__).parent / "app" / "main.py"


def _server_started(timeout: float = 10.0) -> None:
    """Wait until Streamlit's runtime has started (its server answers), or `timeout` seconds:
    warming up alongside the server's own start would slow that down (one interpreter lock)."""
    from dashboard.app import streamlit_internals

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if streamlit_internals.runtime_started():
            return
        time.sleep(0.02)


def warm_up() -> None:
    """What the first page would otherwise do first. Never raises: a dataset that cannot be
    opened is reported by the page, as it would be without this."""
    _server_started()
    try:
        import polars as pl

        import dashboard.app.preload  # noqa: F401  (first: the libraries, under its import lock)
        from dashboard.app import charts, identity, results, sidebar  # noqa: F401
        from dashboard.app.live_dataset import live_dataset
        from dashboard.query import viewer  # noqa: F401

        # Altair's first charts set up its classes (slow, once), a layered one with a
        # selection more of them; Enterprise-wide draws its first bars in hours, with or without
        # use on entitlements with no limit, and with or without an overage
        sample = pl.DataFrame({"label": ["a"], "n": [1]})
        charts.counts(sample, "label", "n", "n").chart().to_dict(validate=False)
        for without_limit in (0.0, 1.0):
            for over in (0.0, 1.0):
                charts.consumption_bars(_hours(over, without_limit)).spec()
        _streamlit_first_element()
        live_dataset()
    except Exception as problem:  # the page says what is wrong, with the fix
        log.info("warming up: %s", str(problem).splitlines()[0] if str(problem) else problem)


def _hours(over: float, without_limit: float):
    """A category of hours as Enterprise-wide charts it: `over` past what was purchased and
    `without_limit` used on an entitlement with no limit."""
    import polars as pl

    return pl.DataFrame(
        {
            "category": ["reactive"],
            "unit": ["hours"],
            "purchased": [2.0],
            "used": [1.0 + 2 * over + without_limit],
            "scheduled": [0.0],
            "remaining": [1.0 - over],
            "overage": [over],
            "used_without_limit": [without_limit],
            "scheduled_without_limit": [0.0],
        }
    )


def _streamlit_first_element() -> None:
    """What Streamlit does once per process, at the first element any page draws: check whether
    it runs in a Python prompt, by reading the source of every frame of the page's stack (which
    slows the first page). Done here, from a short stack, it finds the server running and
    says nothing."""
    from dashboard.app import streamlit_internals

    streamlit_internals.check_for_python_prompt()


def serve(options: list[str]) -> int:
    """Check how people will sign in, start the warm-up, then `streamlit run` the app with
    `options` (Streamlit's own). A secrets file that cannot be used stops it here, in one line."""
    from dashboard.app import sign_in_settings as settings

    named = settings.secrets_files_in(options)
    try:
        if named is not None and not settings.existing(named):
            # asked for sign-in by name: a missing file is a mistake, not a wish for demo mode
            raise settings.SignInMisconfigured(
                f"{', '.join(map(str, named))}: no such secrets file"
            )
        signed_in = settings.check_files(named or settings.default_secrets_files())
        settings.session_hours()
    except settings.SignInMisconfigured as problem:
        print(f"error: sign-in is misconfigured: {problem}", file=sys.stderr)
        return 2
    if not signed_in and not _address_given(options):
        # demo mode lets anyone view as anyone: this machine only, unless asked otherwise
        options = [*options, "--server.address", "127.0.0.1"]
    _log_to_stderr()
    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    from dashboard.app import streamlit_internals

    return streamlit_internals.run_streamlit(["run", str(APP), *options])


def _log_to_stderr() -> None:
    """The app's own log lines (a new dataset version served, a download that failed) on
    standard error with their time, unless logging is set up already."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def _address_given(options: list[str]) -> bool:
    return os.environ.get("STREAMLIT_SERVER_ADDRESS") is not None or any(
        option == "--server.address" or option.startswith("--server.address=") for option in options
    )
