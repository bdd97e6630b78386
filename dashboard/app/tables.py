"""Tables on a page: one look for every grid, and a CSV download of exactly what it shows (of a
long list: of the whole list, said on the page)."""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import polars as pl
import streamlit as st

from dashboard import export
from dashboard.app import downloads
from dashboard.app.results import Context
from dashboard.app.sidebar import clear_dates
from dashboard.formats import COLUMN_AMOUNT, column_count, column_day, column_moment, number
from dashboard.headers import header, headers  # noqa: F401 (tables.headers: the grids' own)
from dashboard.language import DEFAULT, N_, _, current, ngettext
from dashboard.query import sql_files
from dashboard.text import SEARCHED_WORDS, inert, quoted, search_words

MISSING = "—"  # what an empty cell shows (Streamlit would show "None")
SHARE = "%d%%"  # a share, shown multiplied by 100 and rounded: 45%
# Streamlit's "percent" wrote 59.25%. A share is shown as a whole percentage, from a rounded copy
# of its column; what a download holds keeps the full value.
SHARES = frozenset({"utilisation", "term_elapsed", "pace", "enterprise_hours_utilisation"})
# amounts a day, written with up to two decimals as the pages write a rate (0.05 hours a day)
RATES = frozenset({"burn_per_day"})


def _amount(title: str) -> object:
    return st.column_config.NumberColumn(title, format=COLUMN_AMOUNT)


def _count(title: str) -> object:
    return st.column_config.NumberColumn(title, format=column_count())


def _share(title: str) -> object:
    return st.column_config.NumberColumn(title, format=SHARE)


def _day(title: str) -> object:
    return st.column_config.DateColumn(title, format=column_day())


def _moment(title: str) -> object:
    return st.column_config.DatetimeColumn(title, format=column_moment())


def _text(title: str) -> object:
    return st.column_config.TextColumn(title)


def _link(title: str) -> object:
    return st.column_config.LinkColumn(title)


def _range(title: str) -> object:
    # sized for a range of two days, not by its first rows (often empty: nothing left)
    return st.column_config.TextColumn(title, width="medium")


# the columns the app formats by name, each with its kind; any other is formatted by its type
# (_default). Made for each grid, as each run's language writes the headers and the formats.
_KINDS = {
    "purchased": _amount,
    "used": _amount,
    "scheduled": _amount,
    "remaining": _amount,
    "utilisation": _share,
    "term_elapsed": _share,
    "pace": _share,
    "burn_per_day": _amount,
    "projected_unused_at_expiry": _amount,
    "projected_exhaustion_date": _day,
    "exhaustion_low_date": _day,
    "exhaustion_high_date": _day,
    "runs_out_between": _range,
    "days_left": _count,
    "hours": _amount,
    "amount": _amount,
    "hours_delivered": _amount,
    "start_date": _day,
    "end_date": _day,
    "created_at": _moment,
    "closed_at": _moment,
    "day": _day,
    "date": _day,
    "added_on": _day,
    "removed_on": _day,
    "enrolled_on": _day,
    "completed_on": _day,
    "started_on": _day,
    "expiring_soon": _text,
    "is_customer_admin": _text,
    "is_workspace_admin": _text,
    "action_url": _link,
    "customer_name": _text,
    "next_contract_end": _day,
    "active_contracts": _count,
    "enterprise_hours_purchased": _amount,
    "enterprise_hours_used": _amount,
    "enterprise_hours_utilisation": _share,
    "overdrawn_entitlements": _count,
    "packages_expiring_soon": _count,
    "will_run_out": _count,
    "additional_cases_90d": _count,
}


YES = N_("Yes")  # what a true cell of a yes-or-no column shows; a false one shows nothing


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its yes-or-no columns as text ("Yes", or empty), so that a read-only table
    never shows checkboxes that look as if they could be ticked."""
    flags = [name for name, dtype in frame.schema.items() if dtype == pl.Boolean]
    if not flags:
        return frame
    words = {"true": _(YES), "false": ""}
    return frame.with_columns(pl.col(flags).cast(pl.String).replace_strict(words, default=None))


def _default(name: str, dtype: pl.DataType) -> object:
    """A column the app has no format for, written as the rest: whole numbers as counts, other
    numbers as amounts, days and times as everywhere else."""
    if dtype.is_integer():
        return _count(header(name))
    if dtype.is_numeric():
        return _amount(header(name))
    if dtype == pl.Date:
        return _day(header(name))
    if dtype == pl.Datetime:
        return _moment(header(name))
    return st.column_config.Column(header(name))


def _config(name: str, dtype: pl.DataType) -> object:
    """A column's config: its kind's (by name, _KINDS) or its type's, with its header."""
    kind = _KINDS.get(name)
    return kind(header(name)) if kind else _default(name, dtype)


def _rounded(frame: pl.DataFrame) -> pl.DataFrame:
    """The copy of `frame` a grid shows: shares as whole percentages (0.4543 -> 45), rates to
    two decimals and other amounts to one, as the rest of the app writes them. Only the grid
    shows this copy: a download takes the frame as it is."""
    decimals = [name for name, dtype in frame.schema.items() if dtype.is_float()]
    return frame.with_columns(
        (pl.col(name) * 100).round().cast(pl.Int64, strict=False)
        if name in SHARES
        else pl.col(name).round(2 if name in RATES else 1)
        for name in decimals
    )


def grid(
    frame: pl.DataFrame, key: str | None = None, pinned: tuple[str, ...] = (), **options
) -> object:
    """Show `frame` with the app's column formats and categories named in words, at most about
    eleven rows high unless a `height` is given; the `pinned` columns stay in view when the
    grid is scrolled sideways. Extra options go to st.dataframe (a `column_config` of the
    caller's adds to the app's)."""
    frame = _rounded(_as_text(export.named(frame)))
    config = {name: _config(name, dtype) for name, dtype in frame.schema.items()}
    config.update(options.pop("column_config", None) or {})
    for name in pinned:
        config[name] = {**(config.get(name) or {}), "pinned": True}
    options.setdefault("height", min(36 + 35 * max(frame.height, 1), 420))
    options.setdefault("placeholder", MISSING)
    # sent whole (a page's lists are cut to LIST_ROWS): deciding whether to send it in pieces
    # imports pandas (see dashboard/app/preload.py)
    options.setdefault("lazy", False)
    frame, config = _named_in_language(frame, config, options)
    # as Arrow, which Streamlit sends as it is; a polars frame it converts through pandas first,
    # which takes time on every long list
    return st.dataframe(frame.to_arrow(), hide_index=True, column_config=config, key=key, **options)


def _named_in_language(
    frame: pl.DataFrame, config: dict, options: dict
) -> tuple[pl.DataFrame, dict]:
    """`frame`'s columns named for the run's language (`used.pl`; in English as they are). The
    browser sizes a column once by its id, its name: after a change of language, the same
    names would keep the widths the other language's headers had, cutting the longer ones."""
    if current() == DEFAULT:
        return frame, config
    tag = f".{current()}"
    if "column_order" in options:
        options["column_order"] = [name + tag for name in options["column_order"]]
    renamed = frame.rename({name: name + tag for name in frame.columns})
    return renamed, {name + tag: column for name, column in config.items()}


def download(frame: pl.DataFrame, name: str, ctx: Context, label: str | None = None) -> None:
    """A CSV of exactly `frame`, named after the query, the filters and the as-of day; the
    button says "Download CSV" unless given its `label`."""
    st.download_button(
        label or _("Download CSV"),
        data=_checked(lambda: export.csv_bytes(export.named(frame)), ctx),
        file_name=export.file_name(name, ctx.filters.describe(), ctx.dataset.as_of, "csv"),
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"download-{name}",
    )


ZIP_ABOVE = 100_000  # rows: a whole list longer than this downloads as a zipped CSV


def listing(
    ctx: Context,
    name: str,
    columns: list[str],
    plural: str,
    order: str = "newest first",
    total: int | None = None,
    shown_as: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
    found_by: tuple[str, str] = ("case number", "title"),
    **extra: object,
) -> pl.DataFrame:
    """A long list: its first rows in a grid, how many there are in all (`total`, when a page
    knows it from its totals), and a CSV download of the whole list with the same columns
    (made when clicked, a part at a time; zipped beyond ZIP_ABOVE rows, which makes it about
    a fifth of the size the server holds until it is fetched); `shown_as` turns the query's
    rows into what the grid and the download show (codes into words). A list whose query
    takes `$search` has a box to look it up by what `found_by` names: a reference typed whole,
    or words of a text. What the list's captions say of it is said in whole sentences of its
    own (ListWords) for the lists the app has; `plural`, `order` and `found_by` say it for
    another. Returns the rows shown."""

    def shown_of(rows: pl.DataFrame) -> pl.DataFrame:
        return (shown_as(rows) if shown_as else rows).select(columns)

    said = list_words(_list_key(name, extra), plural, order, found_by)
    searchable = "search" in sql_files.load(name).parameters
    search = _search_box(name, said) if searchable else ()
    if search:  # how many match is counted, unless fewer than a page's rows do
        extra, total = {**extra, "search": search[:SEARCHED_WORDS]}, None
    rows, total = ctx.listing(name, total, **extra)
    shown = shown_of(rows)
    if search and not total:
        dated = ctx.filters.dated
        st.info(inert(_nothing_found(said, search, dated)))
        if dated:
            st.button(
                _("Search every date"),
                key=f"every-date-{name}",
                on_click=clear_dates,
                icon=":material/date_range:",
                help=_("Clears the activity dates in the sidebar, for the whole page."),
            )
        return shown
    zipped = total > ZIP_ABOVE
    caption = _said(said, shown.height, total, zipped, search)
    if caption:
        st.caption(inert(caption))
    grid(shown)
    file_name = functools.partial(
        export.file_name, _named(name, extra), ctx.filters.describe(), ctx.dataset.as_of
    )

    def data() -> bytes:  # made when clicked, anew at each click
        # closed even if writing fails, which frees the connection whole lists take in turn
        with contextlib.closing(ctx.batches(name, **extra)) as rows:
            parts = (export.named(shown_of(part)) for part in rows)
            return export.zipped_csv(parts, file_name("csv")) if zipped else _csv_of(parts)

    every = number(total)
    if zipped:
        label, mime = _("Download CSV (all {total}, zipped)").format(total=every), "application/zip"
    elif shown.height == total:
        label, mime = _("Download CSV"), "text/csv"
    else:
        label, mime = _("Download CSV (all {total})").format(total=every), "text/csv"
    st.download_button(
        label,
        data=_checked(data, ctx),
        file_name=file_name("zip" if zipped else "csv"),
        mime=mime,
        on_click="ignore",
        icon=":material/download:",
        key=f"download-{name}",
    )
    return shown


@dataclass(frozen=True)
class ListWords:
    """What a long list's search box and captions say of it, in the run's language: each a
    whole sentence, as Polish puts the list's noun in other cases and places than English.
    The placeholders: {search} (the words searched for, quoted), {shown} and {total}."""

    find: str  # the search box's label: "Find support requests"
    placeholder: str  # in the box: what it finds by
    none: str  # nothing found: "None of the support requests ... matches {search}."
    typed: str  # how a reference and a text are found
    words_only: str  # that only the first SEARCHED_WORDS words of a search were searched for
    matching: str  # how many match: "Matching {search}: {total} of the support requests ..."
    first: str  # the first rows of more: "Showing the first {shown} of {total} ...; ..."
    first_zipped: str  # the same, when the download is a zipped CSV
    found_first: str  # the first rows of more that match a search
    found_first_zipped: str


def _list_key(name: str, extra: dict) -> str:
    """The list's name among the lists the app has (KNOWN_LISTS): the query's, and for the
    proactive deliveries the status listed (each status is a list of its own)."""
    status = extra.get("delivery_status")
    return f"{name}-{status}" if name == "proactive_deliveries" and status else name


def list_words(key: str, plural: str, order: str, found_by: tuple[str, str]) -> ListWords:
    """What the list `key` says of itself (KNOWN_LISTS); for another list, sentences made of
    the caller's `plural`, `order` and `found_by`."""
    known = KNOWN_LISTS.get(key)
    return known() if known else _other_list(plural, order, found_by)


def _cases_found() -> dict[str, str]:
    """How a list of cases is searched: by case number, or words of the title."""
    return {
        "placeholder": _("A case number, or words of the title"),
        "typed": _("A case number is found when typed whole; words of the title, anywhere in it."),
        "words_only": _titles_searched(),
    }


def _deliveries_found() -> dict[str, str]:
    """How a list of proactive deliveries is searched: by number, or words of the title."""
    return {
        "placeholder": _("A delivery number, or words of the title"),
        "typed": _(
            "A delivery number is found when typed whole; words of the title, anywhere in it."
        ),
        "words_only": _titles_searched(),
    }


def _titles_searched() -> str:
    return ngettext(
        "Titles were searched for the first {n} word only.",
        "Titles were searched for the first {n} words only.",
        SEARCHED_WORDS,
    )


def _newest_found_first() -> dict[str, str]:
    return {
        "found_first": _(
            "Showing the first {shown}, newest first; the download holds all {total}."
        ),
        "found_first_zipped": _(
            "Showing the first {shown}, newest first; the download holds all {total} "
            "(a zipped CSV)."
        ),
    }


def _support_requests() -> ListWords:
    return ListWords(
        find=_("Find support requests"),
        none=_("None of the support requests you may see in this selection matches {search}."),
        matching=_("Matching {search}: {total} of the support requests in this selection."),
        first=_(
            "Showing the first {shown} of {total} support requests, newest first; the "
            "download holds all {total}."
        ),
        first_zipped=_(
            "Showing the first {shown} of {total} support requests, newest first; the "
            "download holds all {total} (a zipped CSV)."
        ),
        **_cases_found(),
        **_newest_found_first(),
    )


def _additional_cases() -> ListWords:
    return ListWords(
        find=_("Find additional cases"),
        none=_("None of the additional cases you may see in this selection matches {search}."),
        matching=_("Matching {search}: {total} of the additional cases in this selection."),
        first=_(
            "Showing the first {shown} of {total} additional cases, newest first; the "
            "download holds all {total}."
        ),
        first_zipped=_(
            "Showing the first {shown} of {total} additional cases, newest first; the "
            "download holds all {total} (a zipped CSV)."
        ),
        **_cases_found(),
        **_newest_found_first(),
    )


def _deliveries_made() -> ListWords:
    return ListWords(
        find=_("Find deliveries made"),
        none=_("None of the deliveries made you may see in this selection matches {search}."),
        matching=_("Matching {search}: {total} of the deliveries made in this selection."),
        first=_(
            "Showing the first {shown} of {total} deliveries made, newest first; the "
            "download holds all {total}."
        ),
        first_zipped=_(
            "Showing the first {shown} of {total} deliveries made, newest first; the "
            "download holds all {total} (a zipped CSV)."
        ),
        **_deliveries_found(),
        **_newest_found_first(),
    )


def _deliveries_booked() -> ListWords:
    return ListWords(
        find=_("Find deliveries booked"),
        none=_("None of the deliveries booked you may see in this selection matches {search}."),
        matching=_("Matching {search}: {total} of the deliveries booked in this selection."),
        first=_(
            "Showing the first {shown} of {total} deliveries booked, soonest first; the "
            "download holds all {total}."
        ),
        first_zipped=_(
            "Showing the first {shown} of {total} deliveries booked, soonest first; the "
            "download holds all {total} (a zipped CSV)."
        ),
        found_first=_("Showing the first {shown}, soonest first; the download holds all {total}."),
        found_first_zipped=_(
            "Showing the first {shown}, soonest first; the download holds all {total} "
            "(a zipped CSV)."
        ),
        **_deliveries_found(),
    )


def _cancelled_deliveries() -> ListWords:
    return ListWords(
        find=_("Find cancelled deliveries"),
        none=_("None of the cancelled deliveries you may see in this selection matches {search}."),
        matching=_("Matching {search}: {total} of the cancelled deliveries in this selection."),
        first=_(
            "Showing the first {shown} of {total} cancelled deliveries, newest first; the "
            "download holds all {total}."
        ),
        first_zipped=_(
            "Showing the first {shown} of {total} cancelled deliveries, newest first; the "
            "download holds all {total} (a zipped CSV)."
        ),
        **_deliveries_found(),
        **_newest_found_first(),
    )


def _delivered_items() -> ListWords:
    return ListWords(
        find=_("Find items"),
        placeholder=_("A reference, or words of the item"),
        none=_("None of the items you may see in this selection matches {search}."),
        typed=_("A reference is found when typed whole; words of the item, anywhere in it."),
        words_only=ngettext(
            "Items were searched for the first {n} word only.",
            "Items were searched for the first {n} words only.",
            SEARCHED_WORDS,
        ),
        matching=_("Matching {search}: {total} of the items in this selection."),
        first=_(
            "Showing the first {shown} of {total} items, by category and day; the download "
            "holds all {total}."
        ),
        first_zipped=_(
            "Showing the first {shown} of {total} items, by category and day; the download "
            "holds all {total} (a zipped CSV)."
        ),
        found_first=_(
            "Showing the first {shown}, by category and day; the download holds all {total}."
        ),
        found_first_zipped=_(
            "Showing the first {shown}, by category and day; the download holds all {total} "
            "(a zipped CSV)."
        ),
    )


def _credit_deliveries() -> ListWords:
    """The proactive credits' deliveries: a list not searched, so only its first rows said."""
    other = _other_list("deliveries", "latest first", ("case number", "title"))
    return replace(
        other,
        first=_(
            "Showing the first {shown} of {total} deliveries, latest first; the download "
            "holds all {total}."
        ),
        first_zipped=_(
            "Showing the first {shown} of {total} deliveries, latest first; the download "
            "holds all {total} (a zipped CSV)."
        ),
    )


def _entitlement_records() -> ListWords:
    """An entitlement's history: a list not searched, so only its first rows said."""
    other = _other_list("records", "newest first", ("case number", "title"))
    return replace(
        other,
        first=_(
            "Showing the first {shown} of {total} records, newest first; the download "
            "holds all {total}."
        ),
        first_zipped=_(
            "Showing the first {shown} of {total} records, newest first; the download "
            "holds all {total} (a zipped CSV)."
        ),
    )


# the long lists the app has (tables.listing), by _list_key: what each says of itself
KNOWN_LISTS: dict[str, Callable[[], ListWords]] = {
    "support_requests": _support_requests,
    "additional_cases": _additional_cases,
    "proactive_deliveries-delivered": _deliveries_made,
    "proactive_deliveries-scheduled": _deliveries_booked,
    "proactive_deliveries-cancelled": _cancelled_deliveries,
    "proof_of_delivery": _delivered_items,
    "credit_history": _credit_deliveries,
    "entitlement_history": _entitlement_records,
}


def _other_list(plural: str, order: str, found_by: tuple[str, str]) -> ListWords:
    """What a list the app does not know says, from its caller's words (in English unless the
    caller gave them in the run's language)."""
    things, (reference, text) = plural, found_by
    return ListWords(
        find=_("Find {things}").format(things=things),
        placeholder=_("A {reference}, or words of the {text}").format(
            reference=reference, text=text
        ),
        none=_("None of the {things} you may see in this selection matches {search}.").format(
            things=things, search="{search}"
        ),
        typed=_(
            "A {reference} is found when typed whole; words of the {text}, anywhere in it."
        ).format(reference=reference, text=text),
        words_only=ngettext(
            "{texts} were searched for the first {n} word only.",
            "{texts} were searched for the first {n} words only.",
            SEARCHED_WORDS,
        ).format(texts=f"{text.capitalize()}s", n="{n}"),
        matching=_("Matching {search}: {total} of the {things} in this selection.").format(
            things=things, search="{search}", total="{total}"
        ),
        first=_(
            "Showing the first {shown} of {total} {things}, {order}; the download holds all "
            "{total}."
        ).format(things=things, order=order, shown="{shown}", total="{total}"),
        first_zipped=_(
            "Showing the first {shown} of {total} {things}, {order}; the download holds all "
            "{total} (a zipped CSV)."
        ).format(things=things, order=order, shown="{shown}", total="{total}"),
        found_first=_("Showing the first {shown}, {order}; the download holds all {total}.").format(
            order=order, shown="{shown}", total="{total}"
        ),
        found_first_zipped=_(
            "Showing the first {shown}, {order}; the download holds all {total} (a zipped CSV)."
        ).format(order=order, shown="{shown}", total="{total}"),
    )


FIND = "find-"  # a search box's key, and its name in the link: find-<list>
LINK_SEARCHES = "link-searches"  # what the session's first link searched for, by box


def remember_link_searches() -> None:
    """Keep what the link a session opens with searches for (`find-<list>=words`), before the
    sidebar writes the link afresh: each search box takes its own the first time it is drawn."""
    if LINK_SEARCHES not in st.session_state:
        found = {k: v for k, v in st.query_params.items() if k.startswith(FIND) and v}
        st.session_state[LINK_SEARCHES] = found


def _search_box(name: str, said: ListWords) -> tuple[str, ...]:
    """A box to look the list up by a reference or words of a text: the words typed. What is
    typed is kept in the link (`find-<list>`), so that a copied link finds the same."""
    key = FIND + name
    from_link = st.session_state.get(LINK_SEARCHES, {}).pop(key, None)
    if from_link and key not in st.session_state:
        st.session_state[key] = from_link
    typed = st.text_input(said.find, key=key, type="search", placeholder=said.placeholder)
    if typed:  # after the sidebar, which writes the link afresh on every run
        st.query_params[key] = typed
    return search_words(typed or "")


def _nothing_found(said: ListWords, search: tuple[str, ...], dated: bool) -> str:
    sentences = [said.none.format(search=quoted(" ".join(search))), said.typed]
    if dated:
        sentences.append(_("Only the activity dates picked are searched."))
    return " ".join(sentences)


def _said(said: ListWords, shown: int, total: int, zipped: bool, search: tuple[str, ...]) -> str:
    """What the caption over a list says: how many match the search, and how many are shown."""
    sentences = []
    counts = {"shown": number(shown), "total": number(total)}
    if search:
        sentences.append(said.matching.format(search=quoted(" ".join(search)), **counts))
        if len(search) > SEARCHED_WORDS:
            sentences.append(said.words_only.format(n=SEARCHED_WORDS))
    if shown < total:
        if search:
            first = said.found_first_zipped if zipped else said.found_first
            narrow = _("Narrow the filters or the search to list fewer.")
        else:
            first = said.first_zipped if zipped else said.first
            narrow = _("Narrow the filters to list fewer.")
        sentences += [first.format(**counts), narrow]
    return " ".join(sentences)


def _csv_of(parts: Iterable[pl.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    export.write_csv(parts, buffer)
    return buffer.getvalue()


def _named(name: str, extra: dict) -> str:
    """A list's name with what narrows it (`extra`): proactive_deliveries-scheduled."""
    picks = [v for _, value in sorted(extra.items()) for v in _values(value)]
    return "-".join([name, *map(str, picks)])


def _values(value: object) -> list:
    if isinstance(value, tuple | list):
        return list(value)
    return [] if value is None else [value]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def download_document(
    make, name: str, ctx: Context, label: str, file_name: str | None = None, **options
) -> None:
    """An xlsx (or, for a `file_name` ending in .pdf, a PDF) built by `make()` only when
    clicked, named like every download unless `file_name` is given."""
    pdf = bool(file_name and file_name.endswith(".pdf"))
    st.download_button(
        label,
        data=_checked(make, ctx),
        file_name=file_name
        or export.file_name(name, ctx.filters.describe(), ctx.dataset.as_of, "xlsx"),
        mime=PDF if pdf else XLSX,
        on_click="ignore",
        icon=options.pop("icon", ":material/picture_as_pdf:" if pdf else ":material/table_view:"),
        key=f"{'pdf' if pdf else 'xlsx'}-{name}",
        **options,
    )


def _checked(make, ctx: Context):
    """`make`, refused when clicked if the data or the viewer's access changed meanwhile."""
    filters, user = ctx.filters, ctx.viewer.user_id
    return downloads.checked(make, ctx.dataset, user, filters.workspaces, filters.customer)
