"""Pieces the pages share: the scope line under the title, an entitlement summary."""

from __future__ import annotations

import itertools
import os
from dataclasses import replace

import polars as pl
import streamlit as st

from dashboard import words
from dashboard.app import charts
from dashboard.app.results import Context
from dashboard.app.sidebar import KEYS, package_label, picked_contract, state_word, status_label
from dashboard.app.streamlit_internals import DeltaGenerator
from dashboard.formats import amount, count, day, days, number
from dashboard.language import N_, _, ngettext
from dashboard.query import date_ranges
from dashboard.text import inert, quoted


def figure_row() -> DeltaGenerator:
    """A row for a page's headline figures (`row.metric(...)`), sharing its width evenly like
    columns, but wrapping a figure onto the next line where the page is too narrow for every
    label and value whole (a laptop with the sidebar open) instead of cutting them short."""
    return st.container(horizontal=True, wrap=True, gap="medium")


def scope_line(ctx: Context, reads_dates: bool = True) -> None:
    """What the page covers, as of when, and what the date range does and does not narrow:
    every filter picked, by name (the workspaces, the contract's number, the package as the
    filter offers it, the package status unless the default, the activity dates). A page whose
    figures read no date (`reads_dates` false) says the dates narrow nothing on it."""
    f = ctx.filters
    names = dict(
        zip(ctx.viewer.workspaces["workspace_id"], ctx.viewer.workspaces["name"], strict=True)
    )
    parts = [_("Data as of {day}").format(day=day(ctx.dataset.as_of))]
    if ctx.viewer.is_account_manager:  # one of the customers they serve
        parts.append(ctx.viewer.customer_name)
    if f.workspaces:
        listed = ", ".join(names.get(w, w) for w in f.workspaces)
        parts.append(
            ngettext("workspace {names}", "workspaces {names}", len(f.workspaces)).format(
                names=listed
            )
        )
    else:
        parts.append(_("all your workspaces"))
    if f.contract:
        contracts = ctx.run("contracts", replace(f, contract=None, package=None))
        number = contracts.filter(pl.col("contract_id") == f.contract)["contract_number"]
        shown = number.item() if number.len() == 1 else f.contract
        parts.append(_("contract {number}").format(number=shown))
    if f.package:
        packages = ctx.run("packages", replace(f, package=None))
        rows = packages.filter(pl.col("package_id") == f.package).rows(named=True)
        label = quoted(package_label(rows[0]) if rows else f.package, 100)
        parts.append(_("package {name}").format(name=label))
    if f.status != "active":
        status = status_label(f.status).lower()
        parts.append(_("package status {status}").format(status=status))
    if f.dated:
        dates = _("activity {days}").format(days=days(f.date_from, f.date_to or ctx.dataset.as_of))
        named = date_ranges.named(ctx.dataset.as_of, f.dates)
        parts.append(dates + (f" ({named})" if named else ""))
    narrows = (
        _("Entitlement totals always cover the whole term; the date range narrows activity only.")
        if reads_dates
        else _(
            "Entitlement totals always cover the whole term; the date range narrows nothing on "
            "this page."
        )
    )
    st.caption(inert(" · ".join(parts) + ". ") + narrows)


LABEL_PARTS = ("name", "package_name", "contract_number")
LABEL_SEEN = 40  # the characters of a bar's label shown before it is cut on a wide screen (260 px)


def entitlements_of(ctx: Context, *categories: str) -> pl.DataFrame:
    """The entitlements in view of these categories, labelled by `labelled`."""
    return labelled(ctx.run("package_entitlements").filter(pl.col("category").is_in(categories)))


def labelled(entitlements: pl.DataFrame) -> pl.DataFrame:
    """`entitlements` with a `label` naming entitlement, package and contract, in the order
    that lets a label cut short still tell its bar from the others: the part that tells them
    apart most first (in one contract, `Advisory support hours · Enterprise support 2026 ·
    USC-…`), unless the labels would then read alike for their first LABEL_SEEN characters;
    then the order whose labels differ soonest (across a customer's contracts, whose packages
    and entitlements often bear the same names, `USC-2026-37697 · Advisory support hours ·
    Enterprise support 2026`)."""
    distinct = {p: entitlements.get_column(p).n_unique() for p in LABEL_PARTS}
    orders = sorted(  # a stable sort: the most telling part first, ties in LABEL_PARTS' order
        itertools.permutations(LABEL_PARTS), key=lambda order: [-distinct[p] for p in order]
    )

    def labels(order: tuple[str, ...]) -> pl.Series:
        return entitlements.select(pl.concat_str(order, separator=" · ")).to_series()

    best = labels(orders[0])
    if _told_apart_after(best) > LABEL_SEEN:
        candidates = [labels(order) for order in orders]
        best = min(candidates, key=_told_apart_after)  # the first of ties
    return entitlements.with_columns(best.alias("label"))


def _told_apart_after(labels: pl.Series) -> int:
    """How many characters it takes to tell every label from the others (a label that only
    ends where another goes on takes all of its own and one more)."""
    ordered = sorted(str(label) for label in labels.drop_nulls().unique())
    if not ordered:
        return 0
    # in sorted order, the longest start two labels share is one that neighbours share
    shared = (len(os.path.commonprefix(pair)) for pair in itertools.pairwise(ordered))
    return max(shared, default=0) + 1


def against_purchased(entitlements: pl.DataFrame, nothing: str) -> None:
    """Used, scheduled and remaining of each consumable entitlement, one chart per unit;
    `nothing` (in the run's language) when none has a purchased quantity."""
    charted = entitlements.filter(
        (pl.col("kind") == "consumable") & pl.col("purchased").is_not_null()
    )
    charted = labelled(charted)  # by what tells apart the bars drawn, not every entitlement
    if charted.is_empty():
        st.info(nothing)
        return
    for unit in charts.units(charted):
        charts.draw(charts.consumption_bars(charted, label="label", unit=unit), width="stretch")


# the headline figures' labels, by the page's word for use ("redeemed" on Proactive credits)
USED_LABELS = {"used": N_("Used ({unit})"), "redeemed": N_("Redeemed ({unit})")}


def totals(entitlements: pl.DataFrame, unit: str, used: str = "used") -> None:
    """Purchased, used, scheduled and remaining summed over consumable entitlements in `unit`
    (a unit's code: seats); nothing when there is none (the page says so under them, rather
    than four zeros and a dash). Use of entitlements with no purchased quantity is said apart,
    or, when no entitlement has one, shown as the figures, with no limit. `used` is the page's
    word for use ("redeemed", a key of USED_LABELS)."""
    # Series, not frame filters: a page's entitlements are a few rows (see charts._in_unit)
    consumable = entitlements.get_column("kind") == "consumable"
    if not consumable.any():
        return
    has_limit = entitlements.get_column("purchased").is_not_null()
    limited, unlimited = consumable & has_limit, consumable & ~has_limit

    def total(column: str, rows: pl.Series) -> float:
        return entitlements.get_column(column).filter(rows).sum()

    # the unit goes in the label, so that a six-figure value keeps four figures on one line
    named = words.unit(unit)
    purchased, scheduled = _("Purchased ({unit})"), _("Scheduled ({unit})")
    labels = [
        purchased.format(unit=named),
        _(USED_LABELS[used]).format(unit=named),
        scheduled.format(unit=named),
        _("Remaining ({unit})").format(unit=named),
    ]
    row = figure_row()
    if not limited.any():  # rather than 0 purchased, 0 used and the use in a line under them
        without = count(
            int(unlimited.sum()), "{n} entitlement with no limit", "{n} entitlements with no limit"
        )
        row.metric(labels[0], _("No limit"), help=without)
        row.metric(labels[1], amount(total("used", unlimited)))
        row.metric(labels[2], amount(total("scheduled", unlimited)))
        row.metric(labels[3], "—")
        return
    row.metric(labels[0], amount(total("purchased", limited)))
    row.metric(labels[1], amount(total("used", limited)))
    row.metric(labels[2], amount(total("scheduled", limited)))
    row.metric(labels[3], amount(total("remaining", limited)))
    if unlimited.any():
        st.caption(
            unlimited_use(amount(total("used", unlimited)), named, used, int(unlimited.sum()))
        )


def unlimited_use(quantity: str, unit: str, used: str, entitlements: int) -> str:
    """The line under the figures: how much was used on entitlements with no limit."""
    if used == "redeemed":
        said = ngettext(
            "Plus {quantity} {unit} redeemed on {n} entitlement with no limit, not counted above.",
            "Plus {quantity} {unit} redeemed on {n} entitlements with no limit, not counted above.",
            entitlements,
        )
    else:
        said = ngettext(
            "Plus {quantity} {unit} used on {n} entitlement with no limit, not counted above.",
            "Plus {quantity} {unit} used on {n} entitlements with no limit, not counted above.",
            entitlements,
        )
    return said.format(quantity=quantity, unit=unit, n=number(entitlements))


def chosen_contract(ctx: Context) -> dict | None:
    """The contract the sidebar picked, or the only one in the selection (then with `only`
    true), or a prompt to pick one (this page shows one at a time)."""
    contracts = ctx.run("contracts", ctx.filters)
    if ctx.filters.contract:
        row = contracts.filter(pl.col("contract_id") == ctx.filters.contract).row(0, named=True)
        return {**row, "only": not picked_contract()}
    if contracts.is_empty():
        st.info(_("There is no contract in this selection."))
        return None
    labels = {
        row["contract_id"]: (
            f"{row['contract_number']} · {row['name']} ({state_word(row['state'], 'contract')})"
        )
        for row in contracts.iter_rows(named=True)
    }

    def pick() -> None:
        st.session_state[KEYS["contract"]] = st.session_state["addon_contract_pick"]

    st.info(_("This page shows one contract at a time: pick one."), icon=":material/touch_app:")
    st.selectbox(
        _("Contract"),
        list(labels),
        index=None,
        key="addon_contract_pick",
        format_func=labels.get,
        on_change=pick,
        placeholder=_("Choose a contract"),
    )
    return None
