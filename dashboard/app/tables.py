"""Tables on a page: one look for every grid, and a CSV download of exactly what it shows (of a
long list: of the whole list, said on the page)."""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable, Iterable

import polars as pl
import streamlit as st

from dashboard import export
from dashboard.app import downloads
from dashboard.app.results import Context
from dashboard.app.sidebar import clear_dates
from dashboard.formats import COLUMN_AMOUNT, COLUMN_COUNT, COLUMN_DAY, COLUMN_MOMENT
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
    return st.column_config.NumberColumn(title, format=COLUMN_COUNT)


def _share(title: str) -> object:
    return st.column_config.NumberColumn(title, format=SHARE)


def _day(title: str) -> object:
    return st.column_config.DateColumn(title, format=COLUMN_DAY)


def _moment(title: str) -> object:
    return st.column_config.DatetimeColumn(title, format=COLUMN_MOMENT)


_COLUMNS = {
    "purchased": _amount("Purchased"),
    "used": _amount("Used"),
    "scheduled": _amount("Scheduled"),
    "remaining": _amount("Remaining"),
    "utilisation": _share("Utilisation"),
    "term_elapsed": _share("Term elapsed"),
    "pace": _share("Pace"),
    "burn_per_day": _amount("Burn per day"),
    "projected_unused_at_expiry": _amount("Projected unused at expiry"),
    "projected_exhaustion_date": _day("Projected to run out"),
    "exhaustion_low_date": _day("Earliest run-out"),
    "exhaustion_high_date": _day("Latest run-out"),
    # sized for a range of two days, not by its first rows (often empty: nothing left)
    "runs_out_between": st.column_config.TextColumn("Runs out between", width="medium"),
    "days_left": _count("Days left"),
    "hours": _amount("Hours"),
    "amount": _amount("Amount"),
    "hours_delivered": _amount("Hours delivered"),
    "start_date": _day("Start"),
    "end_date": _day("End"),
    "created_at": _moment("Opened"),
    "closed_at": _moment("Closed"),
    "day": _day("Date"),
    "date": _day("Date"),
    "added_on": _day("Added"),
    "removed_on": _day("Removed"),
    "enrolled_on": _day("Enrolled"),
    "completed_on": _day("Completed"),
    "started_on": _day("Started"),
    "expiring_soon": st.column_config.TextColumn("Expiring soon"),
    "is_customer_admin": st.column_config.TextColumn("Customer admin"),
    "is_workspace_admin": st.column_config.TextColumn("Workspace admin"),
    "action_url": st.column_config.LinkColumn("Action"),
    "customer_name": st.column_config.TextColumn("Customer"),
    "next_contract_end": _day("Next contract end"),
    "active_contracts": _count("Active contracts"),
    "enterprise_hours_purchased": _amount("Enterprise hours purchased"),
    "enterprise_hours_used": _amount("Enterprise hours used"),
    "enterprise_hours_utilisation": _share("Utilisation of enterprise hours"),
    "overdrawn_entitlements": _count("Overdrawn entitlements"),
    "packages_expiring_soon": _count("Packages expiring soon"),
    "will_run_out": _count("Will run out"),
    "additional_cases_90d": _count("Additional cases (90 days)"),
}


YES = "Yes"  # what a true cell of a yes-or-no column shows; a false one shows nothing


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its yes-or-no columns as text ("Yes", or empty), so that a read-only table
    never shows checkboxes that look as if they could be ticked."""
    flags = [name for name, dtype in frame.schema.items() if dtype == pl.Boolean]
    if not flags:
        return frame
    words = {"true": YES, "false": ""}
    return frame.with_columns(pl.col(flags).cast(pl.String).replace_strict(words, default=None))


def label(name: str) -> str:
    """A column's name as its header shows it: is_customer_admin -> Is customer admin."""
    return name.replace("_", " ").capitalize()


def _default(name: str, dtype: pl.DataType) -> object:
    """A column the app has no format for, written as the rest: whole numbers as counts, other
    numbers as amounts, days and times as everywhere else."""
    if dtype.is_integer():
        return _count(label(name))
    if dtype.is_numeric():
        return _amount(label(name))
    if dtype == pl.Date:
        return _day(label(name))
    if dtype == pl.Datetime:
        return _moment(label(name))
    return st.column_config.Column(label(name))


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
    config = {
        name: _COLUMNS.get(name) or _default(name, dtype) for name, dtype in frame.schema.items()
    }
    config.update(options.pop("column_config", None) or {})
    for name in pinned:
        config[name] = {**(config.get(name) or {}), "pinned": True}
    options.setdefault("height", min(36 + 35 * max(frame.height, 1), 420))
    options.setdefault("placeholder", MISSING)
    # sent whole (a page's lists are cut to LIST_ROWS): deciding whether to send it in pieces
    # imports pandas (see dashboard/app/preload.py)
    options.setdefault("lazy", False)
    # as Arrow, which Streamlit sends as it is; a polars frame it converts through pandas first,
    # which takes time on every long list
    return st.dataframe(frame.to_arrow(), hide_index=True, column_config=config, key=key, **options)


def download(frame: pl.DataFrame, name: str, ctx: Context, label: str = "Download CSV") -> None:
    """A CSV of exactly `frame`, named after the query, the filters and the as-of day."""
    st.download_button(
        label,
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
    or words of a text. Returns the rows shown."""

    def shown_of(rows: pl.DataFrame) -> pl.DataFrame:
        return (shown_as(rows) if shown_as else rows).select(columns)

    searchable = "search" in sql_files.load(name).parameters
    search = _search_box(name, plural, found_by) if searchable else ()
    if search:  # how many match is counted, unless fewer than a page's rows do
        extra, total = {**extra, "search": search[:SEARCHED_WORDS]}, None
    rows, total = ctx.listing(name, total, **extra)
    shown = shown_of(rows)
    if search and not total:
        dated = ctx.filters.dated
        st.info(inert(_nothing_found(plural, search, found_by, dated)))
        if dated:
            st.button(
                "Search every date",
                key=f"every-date-{name}",
                on_click=clear_dates,
                icon=":material/date_range:",
                help="Clears the activity dates in the sidebar, for the whole page.",
            )
        return shown
    zipped = total > ZIP_ABOVE
    said = _said(shown.height, total, plural, order, zipped, search, found_by[1])
    if said:
        st.caption(inert(said))
    grid(shown)
    file_name = functools.partial(
        export.file_name, _named(name, extra), ctx.filters.describe(), ctx.dataset.as_of
    )

    def data() -> bytes:  # made when clicked, anew at each click
        # closed even if writing fails, which frees the connection whole lists take in turn
        with contextlib.closing(ctx.batches(name, **extra)) as rows:
            parts = (export.named(shown_of(part)) for part in rows)
            return export.zipped_csv(parts, file_name("csv")) if zipped else _csv_of(parts)

    if zipped:
        label, mime = f"Download CSV (all {total:,}, zipped)", "application/zip"
    else:
        label = "Download CSV" if shown.height == total else f"Download CSV (all {total:,})"
        mime = "text/csv"
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


FIND = "find-"  # a search box's key, and its name in the link: find-<list>
LINK_SEARCHES = "link-searches"  # what the session's first link searched for, by box


def remember_link_searches() -> None:
    """Keep what the link a session opens with searches for (`find-<list>=words`), before the
    sidebar writes the link afresh: each search box takes its own the first time it is drawn."""
    if LINK_SEARCHES not in st.session_state:
        found = {k: v for k, v in st.query_params.items() if k.startswith(FIND) and v}
        st.session_state[LINK_SEARCHES] = found


def _search_box(name: str, plural: str, found_by: tuple[str, str]) -> tuple[str, ...]:
    """A box to look the list up by a reference or words of a text: the words typed. What is
    typed is kept in the link (`find-<list>`), so that a copied link finds the same."""
    key = FIND + name
    from_link = st.session_state.get(LINK_SEARCHES, {}).pop(key, None)
    if from_link and key not in st.session_state:
        st.session_state[key] = from_link
    typed = st.text_input(
        f"Find {plural}",
        key=key,
        type="search",
        placeholder=f"A {found_by[0]}, or words of the {found_by[1]}",
    )
    if typed:  # after the sidebar, which writes the link afresh on every run
        st.query_params[key] = typed
    return search_words(typed or "")


def _nothing_found(
    plural: str, search: tuple[str, ...], found_by: tuple[str, str], dated: bool
) -> str:
    said = (
        f"None of the {plural} you may see in this selection matches {quoted(' '.join(search))}."
        f" A {found_by[0]} is found when typed whole; words of the {found_by[1]}, anywhere in it."
    )
    if dated:
        said += " Only the activity dates picked are searched."
    return said


def _said(
    shown: int,
    total: int,
    plural: str,
    order: str,
    zipped: bool,
    search: tuple[str, ...],
    text: str,
) -> str:
    """What the caption over a list says: how many match the search, and how many are shown."""
    said = []
    if search:
        said.append(
            f"Matching {quoted(' '.join(search))}: {total:,} of the {plural} in this selection."
        )
        if len(search) > SEARCHED_WORDS:
            said.append(
                f"{text.capitalize()}s were searched for the first {SEARCHED_WORDS} words only."
            )
    if shown < total:
        of_all = "" if search else f" of {total:,} {plural}"  # said just before
        said.append(
            f"Showing the first {shown:,}{of_all}, {order}; the download holds all {total:,}"
            f"{' (a zipped CSV)' if zipped else ''}. Narrow the filters "
            f"{'or the search ' if search else ''}to list fewer."
        )
    return " ".join(said)


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
