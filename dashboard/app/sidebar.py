"""The sidebar filters shared by every page, kept in the URL so that a copied link opens the
same view. Values a link asks for that the viewer may not see, or that do not exist, are
dropped with a notice; the lists offer only what the choices above them allow."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import streamlit as st
from babel.dates import format_date

from dashboard.app import saved_views_panel
from dashboard.app.results import run_cached
from dashboard.language import _, current, pgettext
from dashboard.query import date_ranges
from dashboard.query.dataset import Dataset
from dashboard.query.filters import LINK, MAX_ID, STATUSES, Filters, from_link
from dashboard.query.viewer import Run, Viewer, fit_customer, fit_filters, viewer_of

# each filter's field -> the session key of its widget (f_ and its name in the link)
KEYS = {field: f"f_{name}" for field, name in LINK.items()}
RANGE = "f_range"  # the quick date range, worked out from the dates on every run
LOADED = "f_loaded_for"  # the viewer whose filters the session holds
ALL = ""  # the "all contracts" / "all packages" / no customer choice
CUSTOMER = KEYS["customer"]
CUSTOMER_FOR = "f_customer_for"  # the viewer whose customer the session holds
CUSTOMER_LINKED = "f_customer_linked"  # the customer the link said when last written
STATUS_LABELS = {"active": "Active", "inactive": "Inactive", "all": "All"}  # in English
# Each list's option labels are worded once as it is drawn, never inside its format_func:
# Streamlit may call that outside the run, where the run's language is not known.
# Streamlit's date field takes a typed day when the pointer goes down outside it, not on Enter
# (nor on Tab): this makes Enter do the same. Its text is fixed, never user input;
# deploy/haproxy.cfg's policy allows it by its hash (tests/test_page_policy.py checks).
ENTER_APPLIES_A_TYPED_DAY = (
    "<script>if (!window.enterAppliesTypedDay) { window.enterAppliesTypedDay = true;"
    " document.addEventListener('keydown', (e) => { if (e.key !== 'Enter' || !e.target.closest"
    " || !e.target.closest('[data-testid=\"stDateInput\"]')) return; e.target.blur();"
    " for (const kind of ['pointerdown', 'mousedown'])"
    " document.body.dispatchEvent(new MouseEvent(kind, { bubbles: true })); }, true); }"
    "</script>"
)


def status_labels() -> dict[str, str]:
    """The package status filter's choices in the run's language (of packages: plural in
    Polish, where Active alone would read as one thing)."""
    return {
        "active": pgettext("package status filter", "Active"),
        "inactive": pgettext("package status filter", "Inactive"),
        "all": pgettext("package status filter", "All"),
    }


def status_label(status: str) -> str:
    """One choice of the package status filter in the run's language."""
    return status_labels().get(status, status)


def state_word(state: str, of: str = "package") -> str:
    """A package's or (`of="contract"`) a contract's state as the filters' lists name it:
    `active`, `expired`, `upcoming` (Polish agrees with the noun: pakiet, umowa)."""
    if of == "contract":
        words = {
            "active": pgettext("contract state", "active"),
            "expired": pgettext("contract state", "expired"),
            "upcoming": pgettext("contract state", "upcoming"),
        }
    else:
        words = {
            "active": pgettext("package state", "active"),
            "expired": pgettext("package state", "expired"),
            "upcoming": pgettext("package state", "upcoming"),
        }
    return words.get(state, state)


def _from_url(notices: list[str]) -> None:
    """Seed the widgets' session state from the query string, once per session."""
    wanted, dropped = from_link(st.query_params.get_all)
    notices.extend(dropped)
    st.session_state[KEYS["workspaces"]] = list(wanted.workspaces)
    st.session_state[KEYS["contract"]] = wanted.contract or ALL
    st.session_state[KEYS["package"]] = wanted.package or ALL
    st.session_state[KEYS["status"]] = wanted.status
    st.session_state[KEYS["date_from"]] = wanted.date_from
    st.session_state[KEYS["date_to"]] = wanted.date_to


def _wanted(notices: list[str]) -> Filters:
    state = st.session_state
    date_from, date_to = state.get(KEYS["date_from"]), state.get(KEYS["date_to"])
    if date_from and date_to and date_from > date_to:
        notices.append(
            _("the date range starts ({date_from}) after it ends ({date_to}): ignored").format(
                date_from=date_from, date_to=date_to
            )
        )
        state[KEYS["date_from"]] = state[KEYS["date_to"]] = None
        date_from = date_to = None
    return Filters(
        workspaces=tuple(state.get(KEYS["workspaces"]) or ()),
        contract=state.get(KEYS["contract"]) or None,
        package=state.get(KEYS["package"]) or None,
        status=state.get(KEYS["status"]) or "active",
        date_from=date_from,
        date_to=date_to,
    )


def _to_url(filters: Filters, keep: dict[str, str]) -> None:
    values: dict[str, object] = dict(keep)
    if filters.workspaces:
        values[LINK["workspaces"]] = list(filters.workspaces)
    st.session_state[CUSTOMER_LINKED] = filters.customer
    for field in ("customer", "contract", "package", "date_from", "date_to"):
        value = getattr(filters, field)
        if value:
            values[LINK[field]] = str(value)
    if filters.status != "active":
        values[LINK["status"]] = filters.status
    st.query_params.from_dict(values)


def pick_customer(dataset: Dataset, viewer: Viewer, run: Run) -> tuple[Viewer, list[str]]:
    """The viewer in the customer picked: from the link when the session starts or when a link
    within the app names another customer (the portfolio's rows), else the sidebar's choice.
    A customer the viewer may not open, or any customer for a customer user, is dropped with a
    notice. Nothing changes for a customer user, who has one customer."""
    state, notices = st.session_state, []
    linked = _linked_customer()
    if state.get(CUSTOMER_FOR) != viewer.user_id:
        # the session's first run, when the link says which; or another demo viewer: none yet
        picked, notices = fit_customer(viewer, linked if CUSTOMER_FOR not in state else None)
        state[CUSTOMER_FOR], state[CUSTOMER] = viewer.user_id, picked or ALL
    elif linked is not None and linked != state.get(CUSTOMER_LINKED):
        # a link within the app to another customer (a row of the portfolio)
        picked, notices = fit_customer(viewer, linked)
        if picked and picked != (state.get(CUSTOMER) or None):
            _forget_customer_filters()
            state[CUSTOMER] = picked
    if viewer.is_account_manager and viewer.customers.height == 1:  # picked by itself
        state[CUSTOMER] = viewer.customers.item(0, "customer_id")
    picked = state.get(CUSTOMER) or None
    if not viewer.is_account_manager or picked is None:
        return viewer, notices
    if picked not in viewer.customers.get_column("customer_id"):  # no longer served
        state[CUSTOMER] = ALL
        return viewer, [_("you no longer serve customer {customer}").format(customer=picked)]
    return viewer_of(dataset, viewer.user_id, run, picked), notices


def _linked_customer() -> str | None:
    """The customer the link names (its other filters are read once, in render)."""
    values = [v for v in st.query_params.get_all(LINK["customer"]) if v]
    return values[0] if values and len(values[0]) <= MAX_ID else None


def _forget_customer_filters() -> None:
    """Another customer: the workspaces, contract and package picked were the last one's."""
    st.session_state[KEYS["workspaces"]] = []
    st.session_state[KEYS["contract"]] = st.session_state[KEYS["package"]] = ALL


def _customer_picker(viewer: Viewer, applies: bool) -> None:
    names = dict(viewer.customers.select("customer_id", "name").iter_rows())
    nobody = _("Choose a customer")
    st.selectbox(
        _("Customer"),
        [ALL, *names],
        key=CUSTOMER,
        format_func=lambda c: names.get(c, nobody),
        on_change=_forget_customer_filters,
        help=_("The customers you serve. Every page but My customers shows one at a time."),
        disabled=not applies,
    )


def render(
    dataset: Dataset, viewer: Viewer, keep_in_url: dict[str, str], applies: bool = True
) -> tuple[Filters, list[str]]:
    """Draw the filters in the sidebar, and the saved views below them; return what the filters
    pick and what had to be dropped. On a page they do not apply to (`applies` false) they are
    drawn greyed out, keeping what they pick for the other pages (a widget left undrawn would
    lose it)."""
    if saved_views_panel.opened_a_view():  # its link's filters, read as a new session's are
        st.session_state.pop(LOADED, None)
    filters, notices = _filters(dataset, viewer, keep_in_url, applies)
    saved_views_panel.render(dataset, viewer, filters, keep_in_url)
    return filters, notices


def _filters(
    dataset: Dataset, viewer: Viewer, keep_in_url: dict[str, str], applies: bool
) -> tuple[Filters, list[str]]:
    notices: list[str] = []
    if st.session_state.get(LOADED) != viewer.user_id:
        if LOADED in st.session_state:  # another demo user: start from a clean slate
            for key in KEYS.values():
                st.session_state[key] = None
            st.session_state[KEYS["workspaces"]] = []
            st.session_state[KEYS["contract"]] = st.session_state[KEYS["package"]] = ALL
            st.session_state[KEYS["status"]] = "active"
        else:
            _from_url(notices)
        st.session_state[LOADED] = viewer.user_id

    def run(name: str, filters: Filters):
        return run_cached(dataset, viewer.user_id, name, filters)

    if viewer.needs_customer:  # the other filters are those of one customer
        with st.sidebar:
            st.header(_("Filters"), divider="gray")
            _customer_picker(viewer, applies)
            st.caption(_("Choose a customer to filter by workspace, contract, package and dates."))
        _to_url(viewer.scope, keep_in_url)
        return viewer.scope, notices
    fitted, dropped = fit_filters(run, viewer, _wanted(notices))
    notices.extend(dropped)
    st.session_state[KEYS["workspaces"]] = list(fitted.workspaces)
    st.session_state[KEYS["contract"]] = fitted.contract or ALL
    st.session_state[KEYS["package"]] = fitted.package or ALL

    workspaces = viewer.workspaces
    names = dict(zip(workspaces["workspace_id"], workspaces["name"], strict=True))
    contracts = run("contracts", replace(fitted, contract=None, package=None))
    contract_labels = {
        row["contract_id"]: f"{row['contract_number']} · {row['name']}"
        + ("" if row["state"] == "active" else f" ({state_word(row['state'], of='contract')})")
        for row in contracts.iter_rows(named=True)
    }
    packages = run("packages", replace(fitted, package=None))
    package_labels = {
        row["package_id"]: package_label(row) for row in packages.iter_rows(named=True)
    }
    spans = date_ranges.ranges(
        dataset.as_of,
        contract=date_ranges.term(contracts, "contract_id", fitted.contract),
        package=date_ranges.term(packages, "package_id", fitted.package),
    )
    every_contract, every_package = _("All contracts"), _("All packages")
    with st.sidebar:
        st.header(_("Filters"), divider="gray")
        if not applies:
            st.caption(_("This page does not use the filters; the other pages keep them."))
        if viewer.is_account_manager:
            _customer_picker(viewer, applies)
        st.multiselect(
            _("Workspaces"),
            list(names),
            key=KEYS["workspaces"],
            format_func=lambda w: names.get(w, w),
            placeholder=_("All workspaces"),
            disabled=not applies,
        )
        st.selectbox(
            _("Contract"),
            [ALL, *contract_labels],
            key=KEYS["contract"],
            format_func=lambda c: contract_labels.get(c, every_contract),
            disabled=not applies,
        )
        st.selectbox(
            _("Package"),
            [ALL, *package_labels],
            key=KEYS["package"],
            format_func=lambda p: package_labels.get(p, every_package),
            help=_(
                "Each reads contract number · package name · state (active, expired or "
                "upcoming). Type any part, such as a contract number or “expired”, to narrow "
                "the list."
            ),
            disabled=not applies,
        )
        st.radio(
            _("Package status"),
            list(STATUSES),
            key=KEYS["status"],
            format_func=status_labels().get,
            horizontal=True,
            disabled=not applies,
        )
        st.caption(_("Activity dates (lists and charts over time)"))
        _range_picker(spans, fitted.dates, dataset, applies)
        # one above the other: side by side, the sidebar's width cut a picked day short
        # ("2026-10-0")
        typed = _("Pick a day, or type one (YYYY-MM-DD) and press Enter.")
        for label, field in ((_("From"), "date_from"), (_("To"), "date_to")):
            st.date_input(
                label, key=KEYS[field], format="YYYY-MM-DD", disabled=not applies, help=typed
            )
        st.html(ENTER_APPLIES_A_TYPED_DAY, unsafe_allow_javascript=True)
    _to_url(fitted, keep_in_url)
    return fitted, notices


def package_label(package: dict) -> str:
    """A package as the filter offers it, `CN-100 · Enterprise Support 2026 · active`: its
    contract's number, its name and its state (active, expired or upcoming). Packages of
    several contracts, or of one contract's terms, often bear the same name."""
    return f"{package['contract_number']} · {package['name']} · {state_word(package['state'])}"


def _range_picker(
    spans: dict[str, date_ranges.Span], picked: date_ranges.Span, dataset: Dataset, applies: bool
) -> None:
    """A quick range: picking one sets the From and To days below it; days picked by hand show
    as the range they are, or as "Dates picked below"."""
    as_of, kept = dataset.as_of, st.session_state.get(RANGE)
    # the range picked last, while it still holds (a contract's term may also be "last year")
    if kept not in spans or spans[kept] != picked:
        kept = date_ranges.matching(spans, picked)
    st.session_state[RANGE] = kept
    labels = {name: _(label) for name, label in date_ranges.LABELS.items()}
    st.selectbox(
        pgettext("quick date range", "Range"),
        [*spans, *([date_ranges.PICKED] if kept == date_ranges.PICKED else [])],
        key=RANGE,
        format_func=labels.get,
        on_change=_apply_range,
        args=(spans,),
        help=_(
            "The ranges end on the data's as-of day, {day}. A contract's or a package's term is "
            "offered when one is picked, or is the only one."
        ).format(day=_long_day(as_of)),
        disabled=not applies,
    )


def _long_day(day) -> str:
    """A day with its month in full, `5 December 2026` (`5 grudnia 2026`)."""
    return format_date(day, "d MMMM y", locale=current())


def _apply_range(spans: dict[str, date_ranges.Span]) -> None:
    picked = st.session_state.get(RANGE)
    if picked in spans:
        st.session_state[KEYS["date_from"]], st.session_state[KEYS["date_to"]] = spans[picked]


def clear_dates() -> None:
    """Every date: the sidebar's From and To emptied (a callback, run before the next run)."""
    st.session_state[KEYS["date_from"]] = st.session_state[KEYS["date_to"]] = None


def the_only_contract(dataset: Dataset, viewer: Viewer, filters: Filters) -> Filters:
    """`filters` narrowed to the one contract the selection holds, if it holds only one, or to
    the contract of the package picked: a page that shows one contract at a time then shows it
    without asking for a pick (the data are the same either way; the sidebar and the link keep
    "all contracts")."""
    if filters.contract:
        return filters
    if filters.package:
        packages = run_cached(dataset, viewer.user_id, "packages", replace(filters, package=None))
        picked = packages.filter(pl.col("package_id") == filters.package)
        if picked.height == 1:
            return replace(filters, contract=picked.item(0, "contract_id"))
    contracts = run_cached(dataset, viewer.user_id, "contracts", filters)
    if contracts.height != 1:
        return filters
    return replace(filters, contract=contracts.item(0, "contract_id"))


def picked_contract() -> bool:
    """Whether the sidebar's contract filter names a contract (rather than all of them)."""
    return bool(st.session_state.get(KEYS["contract"]))
