"""`python -m dashboard seed | import | check | export | pack | access | digest | serve |
cluster`: the command-line front door."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, date
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard import access_cli, digest_cli
from dashboard.cluster import add_parser as cluster_parser
from dashboard.ingest import data_home
from dashboard.language import DEFAULT, LANGUAGES

if TYPE_CHECKING:  # polars is imported when a command needs it: `serve` starts without it
    import polars as pl

# How each query parameter is given on the command line (the as-of day comes from the dataset).
_OPTIONS = {
    "viewer": "--user",
    "customer": "--customer",
    "workspaces": "--workspace",
    "contract": "--contract",
    "package": "--package",
    "status": "--status",
    "date_from": "--from",
    "date_to": "--to",
    "entitlement": "--entitlement",
    "search": "--search",
}


# Queries whose rows are learners' details: refused to those who may see none.
LEARNER_QUERIES = frozenset({"training_report"})
# Queries about who may see what, and the people to grant roles to: refused to those who
# administer nothing.
ADMIN_QUERIES = frozenset({"access_audit", "access_people", "access_groups", "people"})
# An account manager's view across the customers they serve; every other query is about one.
PORTFOLIO = "portfolio"
# Queries an account manager may run over every customer they serve, naming none.
EVERY_CUSTOMER = frozenset({PORTFOLIO, "portfolio_contracts", "portfolio_hours", "alerts"})
CUSTOMER_HELP = (
    "the customer (account managers who serve several: required but for portfolio and alerts)"
)


PACK_FORMATS = ("xlsx", "pdf")  # as dashboard.app.meeting_pack makes them

# `export changes`: what changed since a meeting snapshot, which is no query of its own
CHANGES = "changes"
CHANGES_SAID = (
    "What changed since one of the user's meeting snapshots (a meeting pack keeps one), in its "
    "scope, as the user may see it now: per entitlement used, remaining and status then and "
    "now (CSV); with --format xlsx also the use since per category and unit, the contracts "
    "and the additional cases per reason. Without --since, the user's snapshots."
)
CHANGES_OPTIONS = ["--since", "--user"]
# the options that pick a scope, which `changes` takes from its snapshot instead
_SCOPE_OPTIONS = {
    "customer": "--customer",
    "workspace": "--workspace",
    "contract": "--contract",
    "package": "--package",
    "status": "--status",
    "date_from": "--from",
    "date_to": "--to",
    "date_range": "--range",
    "entitlement": "--entitlement",
    "search": "--search",
}
SNAPSHOTS_LISTED = 10_000  # the snapshots `changes` lists without --since: all, in practice

# The sidebar's quick ranges (dashboard.query.date_ranges), by the names --range takes.
RANGES = tuple("30d 90d 12m quarter last-quarter year last-year contract package".split())

# export's header rows: the data contract's column names, or the columns worded for people
HEADER_STYLES = ("names", "human")
LANG_HELP = (
    "make the file for people who read this language: an xlsx gets its column headers and codes "
    "in words and its days as the language writes them; a CSV only its headers, and only with "
    "--headers human (its values stay machine-readable: dot decimals, ISO dates, codes). "
    "Without it, the data contract's column names and values"
)
HEADERS_HELP = (
    "the header row: the data contract's column names (names, the default), or the columns "
    "worded for people (human), in --lang (default: English); a CSV's values stay as they are"
)


class CommandError(Exception):
    """A problem reported as one line on stderr, with a non-zero exit."""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _limit(kind: str):
    """The parser of --max-rows or --max-bytes, as the importer reads them from the environment."""

    def parse(text: str) -> int:
        from dashboard.ingest import importer

        try:
            return importer.parse_rows(text) if kind == "rows" else importer.parse_bytes(text)
        except ValueError as problem:
            raise argparse.ArgumentTypeError(str(problem)) from None

    return parse


def _parser() -> argparse.ArgumentParser:
    from dashboard.query.filters import (
        STATUSES,  # not on `serve`'s way to Streamlit (it imports polars)
    )

    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    seed = commands.add_parser("seed", help="write the demo dataset")
    seed.add_argument("--out", "--data", dest="out", help="data home (default: data/)")
    seed.add_argument("--scale", type=int, default=1, help="multiply usage rows (1: ~10k rows)")
    seed.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
    seed.add_argument("--as-of", type=_day, help="the day the data describes")
    seed.add_argument(
        "--customers",
        type=int,
        metavar="N",
        help="customers: the demo's four (default), more made up like them, up to 99",
    )
    seed.add_argument("--if-missing", action="store_true", help="do nothing if a dataset exists")
    seed.add_argument("--progress", action="store_true", help="show progress on stderr")

    imp = commands.add_parser("import", help="validate CSV/Parquet tables and make them live")
    imp.add_argument("src", help="folder with <table>.csv or <table>.parquet files")
    imp.add_argument("--data", help="data home (default: data/ or $CUSTOMER_ACTIVITY_DATA)")
    imp.add_argument("--as-of", type=_day, default=None, help="the day the data describes")
    imp.add_argument("--progress", action="store_true", help="say what it is doing on stderr")
    imp.add_argument(
        "--max-rows",
        type=_limit("rows"),
        metavar="N",
        help="refuse a table of more rows (default: $CUSTOMER_ACTIVITY_MAX_ROWS or 50,000,000)",
    )
    imp.add_argument(
        "--max-bytes",
        type=_limit("bytes"),
        metavar="SIZE",
        help="refuse a table's file of more bytes, e.g. 8GiB or 500MB "
        "(default: $CUSTOMER_ACTIVITY_MAX_BYTES or 4GiB)",
    )

    check = commands.add_parser("check", help="check the live dataset against its manifest")
    check.add_argument("--data", help="data home (default: data/ or $CUSTOMER_ACTIVITY_DATA)")

    # its options are Streamlit's own, passed on untouched (see main)
    commands.add_parser("serve", help="serve the app (streamlit run), warmed up while it starts")

    export = commands.add_parser("export", help="run a named query as a user, write CSV/xlsx")
    export.add_argument("query", nargs="?", help="query name (see --list)")
    export.add_argument("--list", action="store_true", help="list every query and its parameters")
    export.add_argument(
        "--show-sql",
        action="store_true",
        help="print the SQL the app runs for the query, its values as $name parameters, and run "
        "nothing (no --user needed)",
    )
    export.add_argument("--data", help="data home (default: data/ or $CUSTOMER_ACTIVITY_DATA)")
    export.add_argument("--user", help="run as this user_id (required to run a query)")
    export.add_argument("--customer", help=CUSTOMER_HELP)
    export.add_argument("--workspace", action="append", default=[], help="repeatable")
    export.add_argument("--contract")
    export.add_argument("--package")
    # no default here: `changes` refuses a --status given, and every query takes active's
    export.add_argument("--status", choices=STATUSES, help="of packages (default: active)")
    export.add_argument("--from", dest="date_from", type=_day, help="activity from this day")
    export.add_argument("--to", dest="date_to", type=_day, help="activity up to this day")
    export.add_argument(
        "--range",
        dest="date_range",
        choices=RANGES,
        help="activity dates as the sidebar's Range picks them, instead of --from and --to: the "
        "last 30 or 90 days, 12 months, this or last quarter or year (to the data's as-of day), "
        "or the term of the contract or package (given, or the only one)",
    )
    export.add_argument(
        "--entitlement",
        help="the entitlement of entitlement_history and entitlement_history_hidden",
    )
    export.add_argument(
        "--search",
        help="narrow a list as its search box does: a reference typed whole (a case number), or "
        "words of the title or item",
    )
    export.add_argument(
        "--since",
        type=int,
        metavar="SNAPSHOT_ID",
        help="the snapshot `changes` compares with (without it, `changes` lists the user's)",
    )
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument("--lang", choices=tuple(LANGUAGES), help=LANG_HELP)
    export.add_argument("--headers", choices=HEADER_STYLES, default="names", help=HEADERS_HELP)
    export.add_argument("--out", help="file to write (default: standard output)")

    pack = commands.add_parser(
        "pack", help="write the renewal meeting pack (xlsx or PDF) as a user sees it"
    )
    pack.add_argument("--data", help="data home (default: data/ or $CUSTOMER_ACTIVITY_DATA)")
    pack.add_argument("--user", help="make it as this user_id (required)")
    pack.add_argument("--customer", help=CUSTOMER_HELP)
    pack.add_argument("--contract", help="the contract (default: every contract in view)")
    pack.add_argument("--workspace", action="append", default=[], help="repeatable")
    pack.add_argument("--package")
    pack.add_argument("--status", choices=STATUSES, default="active", help="of packages")
    pack.add_argument("--from", dest="date_from", type=_day, help="activity from this day")
    pack.add_argument("--to", dest="date_to", type=_day, help="activity up to this day")
    pack.add_argument(
        "--range", dest="date_range", choices=RANGES, help="activity dates, as export's --range"
    )
    pack.add_argument(
        "--format",
        choices=PACK_FORMATS,
        help="xlsx or pdf (default: the extension of --out, else xlsx)",
    )
    pack.add_argument("--out", help="file to write (required)")
    pack.add_argument(
        "--no-snapshot",
        action="store_true",
        help="keep no snapshot of the pack's figures for the next meeting to compare with",
    )
    access_cli.add_parser(commands)
    digest_cli.add_parser(commands)
    cluster_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        from dashboard.serve import serve

        return serve(argv[1:])
    args = _parser().parse_args(argv)
    try:
        if args.command == "seed":
            return _seed(args)
        if args.command == "import":
            return _import(args)
        if args.command == "check":
            return _check(args)
        if args.command == "pack":
            return _pack(args)
        if args.command == "access":
            return access_cli.run(args)
        if args.command == "digest":
            return digest_cli.run(args)
        if args.command == "cluster":
            from dashboard import cluster

            return cluster.run(args)
        return _export(args)
    except CommandError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    except data_home.DatasetMissing as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error of the export's
        _quiet_stdout()
        return 1


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that Python's flush at exit, into the pipe that
    was closed, raises nothing more."""
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _seed(args: argparse.Namespace) -> int:
    from dashboard.ingest.parquet_layout import write_manifest
    from seed.customers import MAX_CUSTOMERS, MIN_CUSTOMERS
    from seed.generator import DEFAULT_AS_OF, DEFAULT_CUSTOMERS, generate

    home = data_home.destination(args.out)  # a folder, or s3://BUCKET/PREFIX
    if args.if_missing and data_home.has_dataset(home):
        return 0
    as_of = args.as_of or DEFAULT_AS_OF
    if args.scale < 1:
        raise CommandError("--scale must be 1 or more")
    customers = DEFAULT_CUSTOMERS if args.customers is None else args.customers
    if not MIN_CUSTOMERS <= customers <= MAX_CUSTOMERS:
        raise CommandError(f"--customers must be from {MIN_CUSTOMERS} to {MAX_CUSTOMERS}")
    with data_home.building(home) as staging:
        rows = generate(
            staging,
            scale=args.scale,
            seed=args.seed,
            as_of=as_of,
            progress=args.progress,
            customers=customers,
        )
        write_manifest(staging, as_of)
    usage = rows.get("cases", 0) + rows.get("deliveries", 0)
    print(f"demo dataset as of {as_of} in {_published(home)} ({usage:,} usage rows)")
    return 0


def _import(args: argparse.Namespace) -> int:
    from dashboard.ingest.importer import ImportRejected, import_dataset, limits_from

    home = data_home.destination(args.data)  # a folder, or s3://BUCKET/PREFIX
    # the folder named here is followed if it is a symbolic link; the files in it never are
    src = Path(args.src)
    if not src.is_dir():
        raise CommandError(f"{src} is not a folder of <table>.csv or <table>.parquet files")
    as_of = args.as_of or date.today()
    try:
        limits = limits_from(args.max_rows, args.max_bytes)
    except ValueError as problem:
        raise CommandError(str(problem)) from None
    try:
        manifest = import_dataset(src, home, as_of, progress=args.progress, limits=limits)
    except ImportRejected as rejected:
        print(rejected, file=sys.stderr)
        return 1
    except OSError as problem:
        raise CommandError(f"import failed, nothing was changed: {problem}") from None
    rows = sum(t["rows"] for t in manifest["tables"].values())
    print(f"imported {rows:,} rows as of {as_of} into {_published(home)}")
    return 0


def _published(home) -> str:
    """Where the dataset just built is live: its version folder, or its version in S3."""
    folder = data_home.current_dataset(home)
    return f"{home} (version {folder.name})" if isinstance(home, str) else str(folder)


def _check(args: argparse.Namespace) -> int:
    from dashboard.query.dataset import Dataset

    dataset = Dataset(data_home.current_dataset(data_home.data_home(args.data)))
    rows = sum(t["rows"] for t in dataset.manifest["tables"].values())
    print(
        f"{dataset.folder}: every file matches its manifest ({rows:,} rows as of {dataset.as_of})"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from dashboard.query import sql_files
    from dashboard.query.dataset import WholeListTooLarge
    from dashboard.text import without_invisible

    if args.list:
        return _list()
    if not args.query:
        raise CommandError("name a query (python -m dashboard export --list shows them)")
    if args.show_sql:
        return _show_sql(args.query)
    if args.query == CHANGES:
        return _changes(args)
    if args.since is not None:
        raise CommandError(f"--since is for {CHANGES} only")
    args.status = args.status or "active"
    if not args.user:
        raise CommandError("--user USER_ID is required: every export runs as a user")
    if args.query in sql_files.SIGN_IN_QUERIES:
        raise CommandError(f"{args.query} is not a query that can be exported")
    try:
        query = sql_files.load(args.query)
    except sql_files.QueryError as problem:
        raise CommandError(str(problem)) from None
    dataset, viewer, filters = _as_the_user(args)
    if args.query in LEARNER_QUERIES and not viewer.workspaces.get_column("sees_learners").any():
        raise CommandError(
            f"{args.user} may not see learner details: customer admins, workspace admins and "
            "training_manager holders may"
        )
    if args.query in ADMIN_QUERIES and not viewer.workspaces.get_column("is_admin").any():
        raise CommandError(f"{args.user} is not an admin: {args.query} is for admins only")
    if "entitlement" in query.parameters and not args.entitlement:
        raise CommandError(f"{args.query} needs --entitlement ID")
    extra = {"entitlement": args.entitlement} if "entitlement" in query.parameters else {}
    if args.search is not None:
        extra["search"] = _search(args.query, query.parameters, args.search)
    _refuse_binary_on_a_terminal(args)
    # written a part at a time, CSV or xlsx: a list of millions is never held whole
    parts = (
        without_invisible(p) for p in dataset.batches(args.query, viewer.user_id, filters, **extra)
    )
    try:
        _write_out(args, {args.query: parts})
    except WholeListTooLarge as too_large:  # --out is then left as it was
        raise CommandError(str(too_large)) from None
    return 0


def _refuse_binary_on_a_terminal(args: argparse.Namespace) -> None:
    if args.format == "xlsx" and not args.out and sys.stdout.isatty():
        raise CommandError("xlsx is binary: write it to a file with --out FILE")


def _write_out(
    args: argparse.Namespace,
    sheets: dict[str, Iterable[pl.DataFrame]],
    sheet_names: Callable[[], dict[str, str]] | None = None,
) -> None:
    """The first of `sheets` as CSV, or every one as a sheet of a workbook (--format), to --out
    (whole or not at all) or standard output; for people when asked (see `_for_people`)."""
    from dashboard.language import speaking

    # the parts are read as they are written: in the language asked for, days' formats included
    with speaking(args.lang or DEFAULT):
        _write_sheets(args, _for_people(args, sheets, sheet_names))


def _for_people(
    args: argparse.Namespace,
    sheets: dict[str, Iterable[pl.DataFrame]],
    sheet_names: Callable[[], dict[str, str]] | None = None,
) -> dict[str, Iterable[pl.DataFrame]]:
    """`sheets` as --lang and --headers ask: a workbook in a language has its headers and codes
    in words, and its sheets the names `sheet_names()` gives (a query's sheet keeps the query's
    name, as the command was given it); a CSV of human headers, its headers only. Otherwise as
    the queries give them."""
    if args.format == "xlsx" and (args.lang or args.headers == "human"):
        titles = sheet_names() if sheet_names else {}
        return {titles.get(n, n): map(_worded, parts) for n, parts in sheets.items()}
    if args.format == "csv" and args.headers == "human":
        return {name: map(_headed, parts) for name, parts in sheets.items()}
    return sheets


def _worded(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` as a page's download shows it (categories and codes in words; units and the
    reasons of additional cases too), under headers for people, in the run's language."""
    import polars as pl

    from dashboard import export
    from dashboard.text import reason_labels

    frame = export.named(frame)
    text = {name for name, dtype in frame.schema.items() if dtype == pl.String}
    worded = []
    if "reason" in text:  # of `changes`: one reason a row
        worded.append(pl.col("reason").replace(reason_labels()))
    if "reasons" in text:  # of additional_cases: a case's reasons, joined by ";"
        each = pl.element().replace(reason_labels())
        worded.append(pl.col("reasons").str.split(";").list.eval(each).list.join("; "))
    return _headed(frame.with_columns(worded) if worded else frame)


def _headed(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` under headers for people, in the run's language; its values untouched."""
    from dashboard import export

    return frame.rename(export.headers(frame.columns))


def _write_sheets(args: argparse.Namespace, sheets: dict[str, Iterable[pl.DataFrame]]) -> None:
    from dashboard import export

    if args.format == "csv":
        parts = next(iter(sheets.values()))
        if not args.out:
            export.write_csv(parts, sys.stdout.buffer, bom=False)
            return
        _whole_or_nothing(Path(args.out), lambda file: export.write_csv(parts, file))
        return
    if not args.out:  # a workbook is a zip, written whole: made in memory, then written out
        buffer = io.BytesIO()
        export.write_workbook(sheets, buffer)
        sys.stdout.buffer.write(buffer.getvalue())
        return
    _whole_or_nothing(Path(args.out), lambda file: export.write_workbook(sheets, file))


def _changes(args: argparse.Namespace) -> int:
    """What changed since one of --user's snapshots, as they may see it now: its table of
    entitlements as CSV, or every table as a workbook. Without --since, their snapshots."""
    from dashboard.query import changes, snapshots
    from dashboard.query.dataset import Dataset
    from dashboard.query.state_store import StateUnavailable
    from dashboard.query.viewer import AccessDenied, viewer_of

    given = [flag for name, flag in _SCOPE_OPTIONS.items() if getattr(args, name)]
    if given:
        raise CommandError(
            f"{CHANGES} takes its scope from the snapshot: give no {', '.join(given)}"
        )
    if not args.user:
        raise CommandError(f"--user USER_ID is required: {CHANGES} compares as a user")
    dataset = Dataset(data_home.current_dataset(data_home.data_home(args.data)))
    try:
        if args.since is None:
            return _snapshots_of(dataset, args.user)
        snapshot, then = snapshots.opened(dataset.home, args.user, args.since)
    except (StateUnavailable, snapshots.NotFound) as problem:
        raise CommandError(str(problem)) from None
    try:  # compared as they may see it now: someone who lost all access is refused
        viewer = viewer_of(dataset, args.user, customer=snapshot.scope.customer)
    except AccessDenied as denied:
        raise CommandError(str(denied)) from None
    _refuse_binary_on_a_terminal(args)

    def run(name: str, filters, **extra: object) -> pl.DataFrame:
        return dataset.run(name, viewer.user_id, filters, **extra)

    found = changes.since(run, snapshot, then, dataset.as_of)
    if found.unseen:
        rows, verb = ("row", "is") if found.unseen == 1 else ("rows", "are")
        print(
            f"{found.unseen} {rows} of the snapshot {verb} no longer visible to you and {verb} "
            "left out",
            file=sys.stderr,
        )
    sheets = {
        "entitlements": found.entitlements,
        "used_since": found.used_since,
        "contracts": found.contracts,
        "additional_cases": found.cases,
    }
    _write_out(args, {name: [frame] for name, frame in sheets.items()}, _changes_sheet_names)
    return 0


def _changes_sheet_names() -> dict[str, str]:
    """The sheets of `changes` named for people, in the run's language."""
    from dashboard.language import pgettext

    return {
        "entitlements": pgettext("sheet name", "Entitlements"),
        "used_since": pgettext("sheet name", "Used since"),
        "contracts": pgettext("sheet name", "Contracts"),
        "additional_cases": pgettext("sheet name", "Additional cases"),
    }


def _snapshots_of(dataset, user: str) -> int:
    """`user`'s snapshots, newest first, a line each: what `changes --since` takes."""
    from dashboard.query import snapshots

    kept = snapshots.listed(dataset.home, user, None, limit=SNAPSHOTS_LISTED)
    if not kept:
        print(f"{user} has no snapshots: a meeting pack keeps one (python -m dashboard pack)")
        return 0
    print(f"{user}'s snapshots, newest first (compare with one: --since ID):")
    for snapshot in kept:
        taken = snapshot.taken_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        print(
            f"  {snapshot.id}  taken {taken}  data as of {snapshot.as_of}  "
            f"{snapshots.REASONS.get(snapshot.reason, snapshot.reason)}  "
            f"scope: {_scope_said(snapshot.scope)}"
        )
    return 0


def _scope_said(scope) -> str:
    """A snapshot's scope as the options that would pick it name it."""
    parts = [f"customer {scope.customer}"] if scope.customer else []
    if scope.workspaces:
        parts.append("workspace " + "+".join(scope.workspaces))
    else:
        parts.append("every workspace")
    parts += [f"contract {scope.contract}"] if scope.contract else []
    parts += [f"package {scope.package}"] if scope.package else []
    parts.append(f"{scope.status} packages")
    return ", ".join(parts)


def _list() -> int:
    """Every query with what it gives and the options it takes, `changes` among them."""
    from dashboard.query import sql_files

    listed = [(CHANGES, CHANGES_SAID, CHANGES_OPTIONS)]
    for query in sql_files.all_queries():
        if query.name in sql_files.SIGN_IN_QUERIES:
            continue
        options = [_OPTIONS[p] for p in query.parameters if p in _OPTIONS]
        if "date_to" in query.parameters:
            options.insert(options.index("--to") + 1, "--range")
        listed.append((query.name, query.description, options))
    for name, description, options in sorted(listed):
        print(f"{name}\n    {description}")
        print(f"    options: {' '.join(options)}")
    return 0


def _show_sql(name: str) -> int:
    """Print the statements the app runs for the query `name`, in order: the kept results it
    reads, then the query. Values stay out of the text: they are bound to its $name parameters."""
    from dashboard.query import sql_files

    if name == CHANGES:
        raise CommandError(
            f"{CHANGES} runs no query of its own: it compares a snapshot with renewal_forecast, "
            "enterprise_entitlements, contracts and additional_case_figures (show theirs)"
        )
    if name in sql_files.SIGN_IN_QUERIES:
        raise CommandError(f"{name} is not a query that can be exported")
    try:
        statements = sql_files.run_order(name)
    except sql_files.QueryError as problem:
        raise CommandError(str(problem)) from None
    print(f"-- The SQL the app runs for {name}: first each kept result it reads (computed once")
    print(f"-- per viewer, then read as {sql_files.KEPT_PREFIX}<name>), then the query itself.")
    print("-- Every value is bound to a $name parameter, never written into the text.")
    for statement in statements:
        kept = statement is not statements[-1]
        title = f"{sql_files.KEPT_PREFIX}{statement.name}" if kept else statement.name
        binds = ", ".join(f"${p}" for p in statement.bound) or "nothing"
        # the lines the layer's comments leave empty are left out: the same statement
        text = "\n".join(line for line in statement.sql.strip().splitlines() if line.strip())
        print(f"\n-- {title} (binds {binds})\n{text};")
    return 0


def _as_the_user(args: argparse.Namespace):
    """The dataset, the viewer `--user` names and the filters the options ask for, fitted to
    what that viewer may see exactly as the app fits a link's: anything they may not see is
    refused with one line, never dropped silently."""
    from dashboard.query.dataset import Dataset
    from dashboard.query.filters import Filters
    from dashboard.query.viewer import AccessDenied, fit_filters, viewer_of

    try:
        wanted = Filters(
            workspaces=tuple(args.workspace),
            contract=args.contract,
            package=args.package,
            status=args.status,
            date_from=args.date_from,
            date_to=args.date_to,
        )
    except ValueError as problem:
        raise CommandError(str(problem)) from None
    dataset = Dataset(data_home.current_dataset(data_home.data_home(args.data)))
    try:
        viewer = viewer_of(dataset, args.user, customer=args.customer)
    except AccessDenied as denied:
        raise CommandError(str(denied)) from None
    _check_customer(args, viewer)
    filters, notices = fit_filters(
        lambda name, f: dataset.run(name, viewer.user_id, f), viewer, wanted
    )
    if notices:
        raise CommandError(f"{args.user}: " + "; ".join(notices))
    if args.date_range:
        filters = _ranged(dataset, viewer.user_id, filters, args.date_range)
    return dataset, viewer, filters


def _check_customer(args: argparse.Namespace, viewer) -> None:
    """Refuse, in one line, a --customer that is not the user's, an account manager's query
    about one customer that names none while they serve several, and a portfolio asked for by
    anyone but an account manager or narrowed by a filter other than --customer."""
    portfolio = getattr(args, "query", None) == PORTFOLIO
    if not viewer.is_account_manager:
        if args.customer is not None and args.customer != viewer.customer_id:
            raise CommandError(
                f"{args.user} is a user of {viewer.customer_name}: --customer {args.customer} "
                "is not theirs"
            )
        if portfolio:
            raise CommandError(
                f"{args.user} is not an account manager: the portfolio is for account managers"
            )
        return
    if portfolio:
        given = [args.workspace, args.contract, args.package, args.date_from, args.date_to]
        if any(given) or args.status != "active" or getattr(args, "date_range", None):
            raise CommandError("the portfolio takes no filter but --customer")
    elif viewer.needs_customer and getattr(args, "query", None) not in EVERY_CUSTOMER:
        served = ", ".join(viewer.customers.get_column("customer_id"))
        raise CommandError(
            f"{args.user} serves {viewer.customers.height} customers: name one with --customer "
            f"({served})"
        )


def _pack(args: argparse.Namespace) -> int:
    """The meeting pack the Renewal planning page offers, made as `--user` would make it there,
    written whole (or not at all) to `--out`."""
    if not args.user:
        raise CommandError("--user USER_ID is required: a meeting pack is made as a user")
    if not args.out:
        raise CommandError("--out FILE is required: a meeting pack is written to a file")
    out = Path(args.out)
    if not out.parent.is_dir():  # said before the pack is made, not after
        raise CommandError(f"{out.parent} is not a folder: --out names the file to write")
    kind = args.format or _format_of(out)
    dataset, viewer, filters = _as_the_user(args)
    _quiet_chart_caches()
    from dashboard.app import meeting_pack

    keep = not args.no_snapshot
    made = meeting_pack.make(dataset, viewer.user_id, viewer.display_name, filters, kind, keep)
    try:
        _whole_or_nothing(out, lambda file: file.write(made.data))
    except OSError as problem:
        raise CommandError(f"could not write {out}: {problem.strerror or problem}") from None
    # said once the pack is written: `export changes --since N` compares with it
    if made.kept is not None:
        print(f"kept snapshot {made.kept.id}", file=sys.stderr)
    elif made.unkept:
        print(f"snapshot not kept: {made.unkept}", file=sys.stderr)
    return 0


def _quiet_chart_caches() -> None:
    """Keep Streamlit from warning, as the pack's charts are made, that their caches run
    without an app: here none should."""
    from dashboard.app import streamlit_internals

    streamlit_internals.quiet_cache_warnings()


def _format_of(out: Path) -> str:
    """The pack's format by the extension of the file it is written to; xlsx by default."""
    extension = out.suffix.lower().lstrip(".")
    return extension if extension in PACK_FORMATS else "xlsx"


def _ranged(dataset, viewer: str, filters, name: str):
    """`filters` with the activity dates of the quick range `name`, as the sidebar sets them."""
    from dataclasses import replace

    from dashboard.query import date_ranges

    if filters.dated:
        raise CommandError("give --range, or --from and --to, not both")
    contracts = dataset.run("contracts", viewer, replace(filters, contract=None, package=None))
    packages = dataset.run("packages", viewer, replace(filters, package=None))
    spans = date_ranges.ranges(
        dataset.as_of,
        contract=date_ranges.term(contracts, "contract_id", filters.contract),
        package=date_ranges.term(packages, "package_id", filters.package),
    )
    if name not in spans:
        raise CommandError(
            f"--range {name} needs one {name}: give --{name} ID, or filters that hold only one"
        )
    date_from, date_to = spans[name]
    return replace(filters, date_from=date_from, date_to=date_to)


def _search(name: str, parameters: tuple[str, ...], typed: str) -> tuple[str, ...]:
    """The words of --search, for a query that takes them."""
    from dashboard.text import SEARCHED_WORDS, search_words

    if "search" not in parameters:
        raise CommandError(f"{name} has no search (python -m dashboard export --list shows which)")
    words = search_words(typed)
    if len(words) > SEARCHED_WORDS:
        raise CommandError(f"--search takes at most {SEARCHED_WORDS} words, not {len(words)}")
    return words


def _whole_or_nothing(out: Path, write) -> None:
    """`write` to a new hidden file beside `out`, which becomes `out` only once written whole: an
    export that fails leaves no file, or the one there was. The hidden file is made by mkstemp,
    with a name of its own and only if no file or link has that name, so nothing planted beside
    `out` is written through; and a link at `out` is replaced by the export, not followed."""
    import contextlib
    import os
    import tempfile

    descriptor, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            # mkstemp's file is for its owner alone; the export is as open as any file made here
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(file.fileno(), 0o666 & ~umask)
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(name, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise
