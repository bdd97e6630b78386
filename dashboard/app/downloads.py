"""Downloads made when clicked are checked again when clicked: a page drawn before a re-import,
or before its viewer lost access, never hands out a file built from what it showed then.

A refused download says why under its button. Streamlit reports any failure of a download's
maker as one fixed sentence; the maker's own reason is put in its place (see `say_why`). A file
made when clicked speaks the language of the page that offered it.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable

from dashboard import language
from dashboard.ingest import data_home
from dashboard.language import N_, _
from dashboard.query import viewer
from dashboard.query.dataset import Dataset, WholeListTooLarge

log = logging.getLogger("customer_activity")

DATA_CHANGED = N_(
    "This download was refused: the data has been updated since the page was drawn. "
    "Reload the page, then download again."
)
ACCESS_LOST = N_(
    "This download was refused: you no longer have access to what the page shows. "
    "Reload the page to see what you may open."
)


class DownloadRefused(Exception):
    """A download not made, for the reason given."""


# The reasons said by makers run for one request, when a request is being handled.
_reasons: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "download_refusals", default=None
)


def refusal(
    dataset: Dataset, user_id: str, workspaces: tuple[str, ...], customer: str | None = None
) -> str | None:
    """Why a download of what `user_id` saw in `workspaces` (none: all they could open) of
    `dataset`, in the customer `customer` for an account manager, may not be made now, or None
    when it may (in the run's language)."""
    try:
        if data_home.current_dataset(dataset.home) != dataset.folder:
            return _(DATA_CHANGED)
    except data_home.DatasetMissing:
        return _(DATA_CHANGED)
    try:
        # uncached: as access stands this moment (an account manager's customer, served still)
        now = viewer.viewer_of(dataset, user_id, customer=customer)
    except viewer.AccessDenied:
        return _(ACCESS_LOST)
    if not set(workspaces) <= set(now.workspaces.get_column("workspace_id").to_list()):
        return _(ACCESS_LOST)
    return None


def checked(
    make: Callable[[], bytes], dataset: Dataset, user_id: str, workspaces, customer=None
) -> Callable:
    """`make`, run only if the download may still be made (see `refusal`), in the language of
    the run that offers it (Streamlit runs it when clicked, outside any run)."""
    spoken = language.current()

    def checked_make() -> bytes:
        with language.speaking(spoken):
            return _made(make, dataset, user_id, tuple(workspaces), customer)

    return checked_make


def _made(make: Callable[[], bytes], dataset: Dataset, user_id: str, workspaces, customer):
    """What `make` makes, or DownloadRefused with the reason, said for `say_why` too."""
    reason = refusal(dataset, user_id, workspaces, customer)
    if not reason:
        try:
            return make()
        except WholeListTooLarge as too_large:
            reason = _("This download was refused: {reason}.").format(reason=too_large)
    log.info("refused a download for %s: %s", user_id, reason)
    said = _reasons.get()
    if said is not None:
        said.append(reason)
    raise DownloadRefused(reason)


def say_why() -> None:
    """Make Streamlit's answer to a refused download carry the refusal's reason instead of
    "Failed to generate file for download". Idempotent."""
    from dashboard.app import streamlit_internals

    handle = streamlit_internals.download_handler()
    if getattr(handle, "says_why", False):
        return

    async def handle_saying_why(self, request, session_id):
        said: list[str] = []
        token = _reasons.set(said)  # the maker runs in a thread given a copy of this context
        try:
            response = await handle(self, request, session_id)
        finally:
            _reasons.reset(token)
        if said and response.error_msg:
            response.error_msg = said[-1]
        return response

    handle_saying_why.says_why = True
    streamlit_internals.set_download_handler(handle_saying_why)
