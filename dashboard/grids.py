"""Tables on a page: one look for every grid, and a CSV download of exactly what it shows (of a
long list: of the whole list, said on the page)."""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable, Iterable

import polars as pl
import streamlit as st

from dashboard import downloads, export, queries
from dashboard.data import Context
from dashboard.sidebar import clear_dates
from dashboard.text import SEARCHED_WORDS, inert, quoted, search_words

_NUMBER = st.column_config.NumberColumn(format="localized")
MISSING = "—"  # what an empty cell shows (Streamlit would show "None")
_COLUMNS = {
    "purchased": st.column_config.NumberColumn("Purchased", format="localized"),
    "used": st.column_config.NumberColumn("Used", format="localized"),
    "scheduled": st.column_config.NumberColumn("Scheduled", format="localized"),
    "remaining": st.column_config.NumberColumn("Remaining", format="localized"),
    "utilisation": st.column_config.NumberColumn("Utilisation", format="percent"),
    "term_elapsed": st.column_config.NumberColumn("Term elapsed", format="percent"),
    "pace": st.column_config.NumberColumn("Pace", format="percent"),
    "burn_per_day": st.column_config.NumberColumn("Burn per day", format="%.3f"),
    "projected_unused_at_expiry": st.column_config.NumberColumn(
        "Projected unused at expiry", format="localized"
    ),
    "projected_exhaustion_date": st.column_config.DateColumn("Projected to run out"),
    "days_left": st.column_config.NumberColumn("Days left", format="%d"),
    "hours": st.column_config.NumberColumn("Hours", format="localized"),
    "amount": st.column_config.NumberColumn("Amount", format="localized"),
    "hours_delivered": st.column_config.NumberColumn("Hours delivered", format="localized"),
    "start_date": st.column_config.DateColumn("Start"),
    "end_date": st.column_config.DateColumn("End"),
    "created_at": st.column_config.DatetimeColumn("Opened", format="YYYY-MM-DD HH:mm"),
    "closed_at": st.column_config.DatetimeColumn("Closed", format="YYYY-MM-DD HH:mm"),
    "day": st.column_config.DateColumn("Date"),
    "date": st.column_config.DateColumn("Date"),
    "added_on": st.column_config.DateColumn("Added"),
    "removed_on": st.column_config.DateColumn("Removed"),
    "enrolled_on": st.column_config.DateColumn("Enrolled"),
    "completed_on": st.column_config.DateColumn("Completed"),
    "started_on": st.column_config.DateColumn("Started"),
    "expiring_soon": st.column_config.TextColumn("Expiring soon"),
    "is_customer_admin": st.column_config.TextColumn("Customer admin"),
    "is_workspace_admin": st.column_config.TextColumn("Workspace admin"),
    "action_url": st.column_config.LinkColumn("Action"),
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
    """A column the app has no format for: numbers with thousands separators, like the rest."""
    if dtype.is_numeric():
        return st.column_config.NumberColumn(label(name), format="localized")
    return st.column_config.Column(label(name))


def grid(frame: pl.DataFrame, key: str | None = None, **options) -> object:
    """Show `frame` with the app's column formats and categories named in words, at most about
    eleven rows high unless a `height` is given; extra options go to st.dataframe."""
    frame = _as_text(export.named(frame))
    config = {
        name: _COLUMNS.get(name) or _default(name, dtype) for name, dtype in frame.schema.items()
    }
    options.setdefault("height", min(36 + 35 * max(frame.height, 1), 420))
    options.setdefault("placeholder", MISSING)
    # sent whole (a page's lists are cut to LIST_ROWS): deciding whether to send it in pieces
    # imports pandas (see dashboard/warm.py)
    options.setdefault("lazy", False)
    # as Arrow, which Streamlit sends as it is; a polars frame it converts through pandas first
    # (about 10 ms for a list of 2,000 rows)
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

    searchable = "search" in queries.load(name).parameters
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


def download_xlsx(make, name: str, ctx: Context, label: str, **options) -> None:
    """An xlsx built by `make()` only when clicked, named like every download."""
    st.download_button(
        label,
        data=_checked(make, ctx),
        file_name=export.file_name(name, ctx.filters.describe(), ctx.dataset.as_of, "xlsx"),
        mime=XLSX,
        on_click="ignore",
        icon=options.pop("icon", ":material/table_view:"),
        key=f"xlsx-{name}",
        **options,
    )


def _checked(make, ctx: Context):
    """`make`, refused when clicked if the data or the viewer's access changed meanwhile."""
    return downloads.checked(make, ctx.dataset, ctx.viewer.user_id, ctx.filters.workspaces)
