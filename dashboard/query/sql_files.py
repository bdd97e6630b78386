"""The query files: every query is one `.sql` file in `queries/`, run behind the visibility layer.

The layer, `queries/layer/`, is a list of common table expressions parameterised by the viewer
(`$viewer`), the dataset's as-of day and the filters, kept in files by subject and read in the
order of their names (queries/layer/README.md says what each holds). A query is composed as the
layer's expressions it needs (found by name, with what they need in turn) followed by the
query's own text. A query that names a raw table (`raw.<table>`), reads files directly, redefines
a layer name or reads nothing of the layer is refused when loaded: the layer cannot be bypassed
by accident. `python -m dashboard export QUERY --show-sql` prints what a query is composed as.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from dashboard.text import quoted

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"
LAYER_DIR = "layer"  # the layer's files, read in the order of their names
DERIVED_FILE = "_derived.sql"  # roll-ups written with every dataset, and macros

# Parameters the runner binds: the viewer, the customer they look at (an account manager picks
# one; Filters.customer) and the dataset's day, then the filters.
VIEWER_PARAMETERS = ("viewer", "customer", "as_of")
FILTER_PARAMETERS = ("workspaces", "contract", "package", "status", "date_from", "date_to")
# by name to Dataset.run
EXTRA_PARAMETERS = ("email", "entitlement", "reasons", "service", "delivery_status", "search")
# Extra parameters that narrow a list further and may be left out: what leaving them out means.
OPTIONAL_DEFAULTS = {
    "reasons": [],
    "service": None,
    "delivery_status": None,
    "search": [],
    "row_limit": None,
}
LIST_PARAMETERS = ("row_limit",)  # bound by the runner when a list is cut short
# the app's own state, bound by the runner: the changes to access made in the app in the
# workspaces of the viewer's customer
STATE_PARAMETERS = ("access_changes",)
KNOWN_PARAMETERS = frozenset(
    VIEWER_PARAMETERS + FILTER_PARAMETERS + EXTRA_PARAMETERS + STATE_PARAMETERS + LIST_PARAMETERS
)
# Layer expressions that depend only on who is looking and the access changes made in the app
# for their customer: small tables (the workspaces a viewer can open, and their contracts,
# packages, entitlement figures and usage rolled up) that nearly every query starts from. The
# runner computes each once per viewer, through the layer like any query, and queries read the
# result kept under `kept_<name>` instead of rebuilding it: binding and planning that chain was
# most of a small query's time. The layer takes what the filters pick from them in every
# query, so that picking other workspaces, contracts or packages computes nothing kept again.
# Each kept one costs a query of its own the first time, so the cheap steps between them are
# left to be computed inside the kept ones that read them.
KEPT_EXPRESSIONS = (
    "openable_workspaces",
    "_viewer_contracts",
    "_viewer_packages",
    "_viewer_entitlements",
    "_viewer_entitlement_figures",
    "_viewer_enterprise_figures",
    "_viewer_case_workspaces",
    "_viewer_case_groups",
    "_viewer_delivery_days",
    "_viewer_enrollments",
    "_viewer_consumption_events",
    "_viewer_renewal_forecast",
    "_viewer_term_comparison",
)
KEPT_PARAMETERS = VIEWER_PARAMETERS + STATE_PARAMETERS
KEPT_PREFIX = "kept_"
# The only queries that may read `directory`, the list of every user: they sign people in.
SIGN_IN_QUERIES = frozenset({"sign_in", "demo_users"})

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_CTE = re.compile(r"^([a-z_][a-z0-9_]*) AS \(\n(.*?)^\),?[ \t]*$", re.MULTILINE | re.DOTALL)
_OWN_CTE = re.compile(r"(?:\bwith\b|,)\s*([a-z_][a-z0-9_]*)\s+as\s*\(", re.IGNORECASE)
_FORBIDDEN = re.compile(
    r"\braw\s*\.|\bread_\w+\s*\(|\bparquet_scan\b|\bglob\s*\(|\bcopy\b|\battach\b|\binstall\b"
    r"|\bkept_\w+|\bload\b|\bpragma\b|\bset\s+\w+|\bcreate\b|\bdrop\b|\binsert\b|\bupdate\b|\bdelete\b",
    re.IGNORECASE,
)


class QueryError(Exception):
    """A query file breaks the rules of this folder."""


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    sql: str  # the layer expressions it needs, then the query (kept ones read as kept)
    parameters: tuple[str, ...]  # every parameter its result depends on, kept ones' included
    bound: tuple[str, ...] = ()  # the parameters `sql` itself binds
    kept: tuple[str, ...] = ()  # the kept expressions `sql` reads, in layer order


def strip_comments(text: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in text.splitlines())


def _description(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines).strip()


@dataclass(frozen=True)
class Expression:
    name: str
    body: str
    file: str  # the layer file that defines it, as `layer/<file>`


def layer_files() -> list[Path]:
    """The layer's files, in the order they are read: by name."""
    return sorted((QUERY_DIR / LAYER_DIR).glob("*.sql"), key=lambda path: path.name)


def layer_expressions() -> tuple[Expression, ...]:
    """Every expression of the layer, in the order of its files and then of each file; refused
    when a name is defined twice or an expression reads one defined after it (a query's
    expressions are composed in this order, so each may read only those before it)."""
    found = [expression for path in layer_files() for expression in _expressions_of(path)]
    if not found:
        raise QueryError(f"{QUERY_DIR / LAYER_DIR} holds no layer expressions")
    _refuse_twice_defined(found)
    _refuse_read_before_defined(found)
    return tuple(found)


def _expressions_of(path: Path) -> list[Expression]:
    """The expressions of one layer file; refused when it holds anything else (a block not
    written as `name AS (` ... `)` at the start of a line would otherwise be left out)."""
    text = strip_comments(path.read_text(encoding="utf-8"))
    file = f"{LAYER_DIR}/{path.name}"
    stray = _CTE.sub("", text).replace(",", "").strip()
    if stray:
        raise QueryError(f"{file} holds text outside its expressions: {stray[:60]!r}")
    return [Expression(m.group(1), m.group(2).rstrip(), file) for m in _CTE.finditer(text)]


def _refuse_twice_defined(found: list[Expression]) -> None:
    files: dict[str, list[str]] = {}
    for expression in found:
        files.setdefault(expression.name, []).append(expression.file)
    twice = [
        f"{name} (in {' and '.join(where)})" for name, where in files.items() if len(where) > 1
    ]
    if twice:
        raise QueryError(f"the layer defines {', '.join(twice)} more than once")


def _refuse_read_before_defined(found: list[Expression]) -> None:
    place = {expression.name: index for index, expression in enumerate(found)}
    for index, expression in enumerate(found):
        later = sorted(name for name in _words(expression.body) if place.get(name, -1) > index)
        if later:
            where = ", ".join(f"{name} ({found[place[name]].file})" for name in later)
            raise QueryError(
                f"{expression.file}: {expression.name} reads {where}, defined after it: "
                "an expression may read only those before it"
            )


@functools.cache
def layer() -> dict[str, str]:
    """The layer's expressions by name, in the order they are read: {name: body}."""
    return {expression.name: expression.body for expression in layer_expressions()}


@functools.cache
def _words(text: str) -> frozenset[str]:
    """The words of `text` (runs of letters, digits and underscores, a bound $parameter not one
    of them): a text reads a name when
    the name is one of its words, as a search for the name between word boundaries finds it.
    Taking each text's words once replaced a search per layer name per text, which was most of
    loading the queries (about a second for all of them in a fresh process, during a server's
    first page)."""
    return frozenset(_WORD.findall(text))


_WORD = re.compile(r"(?<![\w$])\w+")


def _needed(code: str, expressions: dict[str, str], kept: frozenset = frozenset()) -> list[str]:
    """Layer names `code` reads, with every name those read in turn (but not what a kept name
    reads), in layer order."""
    needed: set[str] = set()
    pending = [code]
    while pending:
        for name in _words(pending.pop()) & expressions.keys() - needed:
            needed.add(name)
            if name not in kept:
                pending.append(expressions[name])
    return [name for name in expressions if name in needed]


def compose(code: str, kept: frozenset = frozenset()) -> str:
    """`code` preceded by the layer expressions it needs; those in `kept` read their kept
    result (`kept_<name>`, supplied by the runner) instead of being computed."""
    expressions = layer()
    needed = _needed(code, expressions, kept)
    head = ",\n".join(
        f"{name} AS (\nSELECT * FROM {KEPT_PREFIX}{name}\n)"
        if name in kept
        else f"{name} AS (\n{expressions[name]}\n)"
        for name in needed
    )
    own_with = re.match(r"\s*with\b", code, re.IGNORECASE)
    if own_with:
        return f"WITH\n{head},\n{code[own_with.end() :].strip()}"
    return f"WITH\n{head}\n{code.strip()}"


def load(name: str) -> Query:
    path = QUERY_DIR / f"{name}.sql"
    # the name is checked before it touches the file system (a very long one cannot be a path)
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", name) or not path.is_file():
        raise QueryError(
            f"no query named {quoted(name)} (`python -m dashboard export --list` lists them)"
        )
    return _load(path)


@functools.cache
def _load(path: Path) -> Query:
    body = path.read_text(encoding="utf-8")
    code = strip_comments(body).strip()
    forbidden = _FORBIDDEN.search(code)
    if forbidden:
        raise QueryError(f"{path.name} uses {forbidden.group(0)!r}: queries only read the layer")
    shadowed = set(_OWN_CTE.findall(code)) & set(layer())
    if shadowed:
        raise QueryError(f"{path.name} redefines layer names: {', '.join(sorted(shadowed))}")
    direct = [name for name in layer() if name in _words(code)]
    if not direct:
        raise QueryError(f"{path.name} reads nothing of the visibility layer")
    if "directory" in direct and path.stem not in SIGN_IN_QUERIES:
        raise QueryError(f"{path.name} reads `directory`, which only sign-in queries may read")
    private = [name for name in direct if name.startswith("_")]
    if private:
        raise QueryError(f"{path.name} reads the layer's building blocks: {', '.join(private)}")
    parameters = tuple(sorted(set(_PARAM.findall(compose(code)))))
    unknown = set(parameters) - KNOWN_PARAMETERS
    if unknown:
        raise QueryError(f"{path.name} uses unknown parameters: {', '.join(sorted(unknown))}")
    return _with_kept(path.stem, _description(body), code, parameters, frozenset(KEPT_EXPRESSIONS))


def _with_kept(name: str, description: str, code: str, parameters, kept: frozenset) -> Query:
    sql = compose(code, kept)
    return Query(
        name,
        description,
        sql,
        parameters,
        bound=tuple(sorted(set(_PARAM.findall(sql)))),
        kept=tuple(k for k in _needed(code, layer(), kept) if k in kept),
    )


@functools.cache
def kept_query(name: str) -> Query:
    """The query that computes the kept expression `name` (reading the other kept ones)."""
    if name not in KEPT_EXPRESSIONS:
        raise QueryError(f"{name} is not a kept expression")
    code = f"SELECT * FROM {name}"  # noqa: S608 (a name from the list above)
    parameters = tuple(sorted(set(_PARAM.findall(compose(code)))))
    moving = set(parameters) - set(KEPT_PARAMETERS)
    if moving:  # kept per viewer, it may not depend on anything else
        raise QueryError(f"kept expression {name} depends on {', '.join(sorted(moving))}")
    return _with_kept(name, "", code, parameters, frozenset(KEPT_EXPRESSIONS) - {name})


@functools.cache
def derived_statements() -> tuple[str, ...]:
    """The statements of the derived-tables file, in order."""
    text = strip_comments((QUERY_DIR / DERIVED_FILE).read_text(encoding="utf-8"))
    return tuple(part.strip() for part in text.split(";") if part.strip())


_DERIVED_TABLE = re.compile(r"CREATE TABLE raw\.([a-z_]+) AS\s+(.*)", re.DOTALL)
_DERIVED_VIEW = re.compile(r"CREATE VIEW raw\.([a-z_]+) AS\s+(.*)", re.DOTALL)


def derived_tables() -> dict[str, str]:
    """The roll-ups of the derived-tables file: {name: the SELECT that computes it}. They are
    loaded into memory when a dataset is opened."""
    found = (_DERIVED_TABLE.fullmatch(s) for s in derived_statements())
    return {m.group(1): m.group(2) for m in found if m}


def derived_views() -> dict[str, str]:
    """The sorted copies of the derived-tables file: {name: the SELECT that computes it, in
    order}. They stay on disk, read through views."""
    found = (_DERIVED_VIEW.fullmatch(s) for s in derived_statements())
    return {m.group(1): m.group(2) for m in found if m}


def derived_names() -> list[str]:
    """Every file written to derived/: the roll-ups, then the sorted copies."""
    return [*derived_tables(), *derived_views()]


def derived_macros() -> tuple[str, ...]:
    """The other statements of the derived-tables file (macros), run on every connection."""
    return tuple(
        s
        for s in derived_statements()
        if not _DERIVED_TABLE.fullmatch(s) and not _DERIVED_VIEW.fullmatch(s)
    )


def names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql") if not p.name.startswith("_"))


def all_queries() -> list[Query]:
    return [load(name) for name in names()]


def run_order(name: str) -> list[Query]:
    """What the runner runs for the query `name`, in order: the kept expressions it reads
    (each computed once per viewer, reading the kept ones before it) and then the query."""
    query = load(name)
    before: dict[str, Query] = {}

    def add_kept(reader: Query) -> None:
        for kept in reader.kept:
            if kept not in before:
                add_kept(kept_query(kept))
                before[kept] = kept_query(kept)

    add_kept(query)
    return [*before.values(), query]
