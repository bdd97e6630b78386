"""The data contract's codes as a person reads them, in the run's language: categories, units,
roles, and the codes of statuses, case types and the like ("Not started" for not_started).
The command line's export keeps the codes themselves; every page, download and e-mail names
them through here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.language import N_, _, pgettext

if TYPE_CHECKING:  # polars is imported where a column is worded, not by the command line's start
    import polars as pl

CATEGORIES = {
    "proactive": N_("Proactive services"),
    "reactive": N_("Reactive support"),
    "advisory": N_("Advisory support"),
    "education": N_("On-demand education"),
    "contacts": N_("Named contacts"),
    "assessments": N_("On-demand assessments"),
    "credits": N_("Proactive credits"),
}
UNITS = {
    "hours": N_("hours"),
    "credits": N_("credits"),
    "seats": N_("seats"),
    "contacts": N_("contacts"),
    "assessments": N_("assessments"),
}
# a renewal forecast's statuses, as a table's cells write them (`expired`: see `forecasts`)
FORECASTS = {
    "will run out before expiry": N_("Will run out before expiry"),
    "will leave unused": N_("Will leave unused"),
    "on track": N_("On track"),
}
ROLES = {
    "customer_activity": N_("Customer activity"),
    "view_all_support_requests": N_("View all support requests"),
    "training_manager": N_("Training manager"),
}
# the codes of the columns read as words (export.WORDED), each as its word
CODES = {
    "reactive": N_("Reactive"),
    "advisory": N_("Advisory"),
    "open": N_("Open"),
    "closed": N_("Closed"),
    "delivered": N_("Delivered"),
    "scheduled": N_("Scheduled"),
    "cancelled": N_("Cancelled"),
    "enrolled": N_("Enrolled"),
    "completed": N_("Completed"),
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "active": N_("Active"),
    "inactive": N_("Inactive"),
    "expired": N_("Expired"),
    "upcoming": N_("Upcoming"),
    "consumable": N_("Consumable"),
    "benefit": N_("Benefit"),
    "support request": N_("Support request"),
    "ahead of an even burn": N_("Ahead of an even burn"),
    "behind an even burn": N_("Behind an even burn"),
    "about even": N_("About even"),
}


def category(code: str) -> str:
    """`reactive` -> "Reactive support" ("Wsparcie reaktywne")."""
    return _(CATEGORIES[code]) if code in CATEGORIES else code


def categories() -> dict[str, str]:
    """Every category's code -> its name in the run's language."""
    return {code: _(name) for code, name in CATEGORIES.items()}


def unit(code: str) -> str:
    """`hours` -> "hours" ("godziny"): a unit's name on its own, as a chart's axis has it."""
    return _(UNITS[code]) if code in UNITS else code


def units() -> dict[str, str]:
    return {code: _(name) for code, name in UNITS.items()}


def forecasts() -> dict[str, str]:
    """Each renewal forecast status as a table's cell writes it; `expired` as an
    entitlement's (Polish agrees it with "uprawnienie", not a package's "pakiet")."""
    said = {status: _(text) for status, text in FORECASTS.items()}
    said["expired"] = pgettext("an entitlement's forecast", "Expired")
    return said


def forecast_worded(code: pl.Expr) -> pl.Expr:
    """The forecast statuses of a column as words (see `forecasts`), other codes as `worded`."""
    import polars as pl

    return code.replace_strict(forecasts(), default=worded(code), return_dtype=pl.String)


def role(code: str) -> str:
    """`training_manager` -> "Training manager"."""
    return _(ROLES[code]) if code in ROLES else code


def roles() -> dict[str, str]:
    return {code: _(name) for code, name in ROLES.items()}


def word(code: str) -> str:
    """A code as a word: not_started -> "Not started"; one not listed, spelled out."""
    return _(CODES[code]) if code in CODES else spelled(code)


def spelled(code: str) -> str:
    """A code written out: some_code -> "Some code"."""
    text = code.replace("_", " ")
    return text[:1].upper() + text[1:]


def worded(code: pl.Expr) -> pl.Expr:
    """The codes of a column as words (see `word`)."""
    spaced = code.str.replace_all("_", " ", literal=True)
    spelled_out = spaced.str.slice(0, 1).str.to_uppercase() + spaced.str.slice(1)
    import polars as pl

    words = {code: _(text) for code, text in CODES.items()}
    return code.replace_strict(words, default=spelled_out, return_dtype=pl.String)
