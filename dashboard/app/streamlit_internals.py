"""Every use of Streamlit's and Altair's private APIs, in one place.

These are not part of either library's promise and may change in any release, so they are
gathered here, each behind a small function, and checked against the version they were written
for when this module is first imported: outside it the app still starts, and the log names the
version to check these against. Altair is imported only when a chart needs it, so that the
server's warm-up imports it first (dashboard/app/preload.py says why).
"""

from __future__ import annotations

import importlib.metadata
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

__all__ = ["DeltaGenerator"]  # for annotations: what st.container and st.columns return

log = logging.getLogger("customer_activity")

# The Streamlit releases the functions below were written and tested against: from the first,
# up to but not including the second.
STREAMLIT_VERSIONS = ((1, 67), (1, 68))


def release(version: str) -> tuple[int, int]:
    """The major and minor release of a version string ("1.67.0" → (1, 67))."""
    major, minor = (version.split(".") + ["0"])[:2]
    return int(major), int("".join(c for c in minor if c.isdigit()) or 0)


def version_warning(version: str) -> str | None:
    """What to log when Streamlit `version` is not one these internals were written for."""
    low, high = STREAMLIT_VERSIONS
    if low <= release(version) < high:
        return None
    return (
        f"Streamlit {version} is installed, but dashboard/app/streamlit_internals.py was written "
        f"for {low[0]}.{low[1]}.x: check its private APIs still behave the same"
    )


def check_version() -> None:
    """Log a warning, never raise, when the installed Streamlit is not the one expected."""
    warning = version_warning(importlib.metadata.version("streamlit"))
    if warning:
        log.warning(warning)


check_version()


def disable_altair_checks() -> None:
    """Stop Altair checking each chart against the Vega-Lite schema as it is built."""
    from altair.utils import schemapi

    schemapi.disable_debug_mode()


def altair_dataset_name(frame: Any, context: dict) -> str:
    """The name Altair gives `frame`'s rows in a spec, adding them to `context["datasets"]`."""
    from altair.vegalite.v6.api import _prepare_data

    return _prepare_data(frame, context).name


def arrow_bytes(table: Any) -> bytes:
    """`table` as the Arrow bytes Streamlit sends to the browser for a chart's rows."""
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    return convert_anything_to_arrow_bytes(table)


def quiet_spinner(text: str) -> Any:
    """A spinner shown as st.cache_data shows its own: only once the work takes a while."""
    return st.spinner(text, _cache=True)


def download_handler() -> Callable[..., Awaitable]:
    """The method that answers a download made when clicked (`handle(self, request, session)`)."""
    from streamlit.runtime.backend_operation_handler import DeferredFileHandler

    return DeferredFileHandler.handle


def set_download_handler(handle: Callable[..., Awaitable]) -> None:
    """Answer downloads made when clicked with `handle` from now on."""
    from streamlit.runtime.backend_operation_handler import DeferredFileHandler

    DeferredFileHandler.handle = handle


def quiet_cache_warnings() -> None:
    """Keep st.cache_data from warning that it runs without an app (as the CLI makes charts)."""
    from streamlit.logger import get_logger

    get_logger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)


def runtime_started() -> bool:
    """Whether Streamlit's server runtime exists and has started."""
    from streamlit.runtime import Runtime, RuntimeState

    return Runtime.exists() and Runtime.instance().state != RuntimeState.INITIAL


def check_for_python_prompt() -> None:
    """Streamlit's once-per-process check, at the first element, that it is not in a prompt."""
    from streamlit import delta_generator

    delta_generator._maybe_print_use_warning()


def run_streamlit(arguments: list[str]) -> int:
    """`streamlit ARGUMENTS...`, as its command line would run them."""
    from streamlit.web import cli as streamlit_cli

    return streamlit_cli.main(arguments, prog_name="streamlit")
