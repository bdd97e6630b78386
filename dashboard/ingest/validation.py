"""Checks of an import against the data contract, one class of problem at a time.

Each check takes the tables read so far and returns the problems it found, each naming the
file, row (counted from 1 after the header), column and value. The import stops at the first
class that has problems, so that one mistake is reported once, not as a cascade.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from dashboard.ingest.schema import (
    BOOL,
    BY_NAME,
    DATE,
    NUMBER,
    PEOPLE,
    STRING,
    TABLES,
    TIMESTAMP,
    Table,
    normalised_email,
)

ROW = "__row"  # the row number column added to every table read


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    value: object
    message: str

    def line(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        if self.value is None:
            return f"  {where}: {self.message}"
        return f"  {where}: {shown(self.value)} {self.message}"


def shown(value: object, limit: int = 80) -> str:
    text = repr(value if isinstance(value, str) else str(value))
    return text if len(text) <= limit else text[: limit - 4] + "…" + text[0]


@dataclass
class Source:
    """One table as read from its file: every value as text, plus typed columns once parsed."""

    table: Table
    file: str
    raw: pl.DataFrame  # the file's columns as strings (or as read from Parquet), plus ROW
    typed: dict[str, pl.Series] = field(default_factory=dict)

    def typed_frame(self) -> pl.DataFrame:
        return pl.DataFrame([self.typed[c] for c in self.table.column_names])


Check = Callable[[dict[str, Source]], list[Problem]]


def _offending(source: Source, mask: pl.Series, column: str, message: str) -> list[Problem]:
    """Problems for the rows where `mask` holds, showing each row's raw value of `column`."""
    rows = source.raw.filter(mask).select(ROW, column)
    return [Problem(source.file, row, column, value, message) for row, value in rows.iter_rows()]


# 3. columns of the wrong type (Parquet) ----------------------------------------------------------
# What a Parquet column of each contract type may be besides text, whose values are then checked
# one by one as a CSV's are. Anything else (a list, a struct, a number for an id) is refused
# whole, before a value of it is cast.
_STORED = {
    STRING: lambda dtype: False,
    DATE: lambda dtype: dtype == pl.Date or isinstance(dtype, pl.Datetime),
    TIMESTAMP: lambda dtype: isinstance(dtype, pl.Datetime),
    BOOL: lambda dtype: dtype == pl.Boolean,
    NUMBER: lambda dtype: dtype.is_numeric(),
}
_TYPE_NAMES = {
    STRING: "a string",
    DATE: "a date",
    TIMESTAMP: "a timestamp",
    BOOL: "a boolean",
    NUMBER: "a number",
}


def _as_text(dtype: pl.DataType) -> bool:
    return dtype in (pl.String, pl.Null) or isinstance(dtype, (pl.Categorical, pl.Enum))


def column_types(sources: dict[str, Source]) -> list[Problem]:
    problems = []
    for source in sources.values():
        for column in source.table.columns:
            dtype = source.raw.schema[column.name]
            if not (_as_text(dtype) or _STORED[column.type](dtype)):
                message = f"is of type {dtype}, not {_TYPE_NAMES[column.type]}"
                if column.type != STRING:
                    message += " (nor text holding one)"
                problems.append(Problem(source.file, None, column.name, None, message))
    return problems


# 4. values of the wrong type ---------------------------------------------------------------------
_TS_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M%#z")
_NAIVE_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M")


def _where(keep: pl.Series, values: pl.Series) -> pl.Series:
    """`values` where `keep` holds, null elsewhere."""
    frame = pl.DataFrame({"keep": keep.fill_null(False), "value": values})
    return frame.select(pl.when("keep").then("value")).to_series().alias(values.name)


def _parse(series: pl.Series, kind: str) -> tuple[pl.Series, str]:
    """The column parsed to its contract type (null where it cannot be), and what it should be."""
    dtype = series.dtype
    if kind == DATE:
        if dtype == pl.Date:
            return series, ""
        if isinstance(dtype, pl.Datetime):
            return series.dt.date(), ""
        text = series.cast(pl.String)
        ok = text.str.contains(r"^\d{4}-\d{2}-\d{2}$")
        parsed = _where(ok, text.str.to_date("%Y-%m-%d", strict=False))
        return parsed, "is not a date (YYYY-MM-DD)"
    if kind == TIMESTAMP:
        if isinstance(dtype, pl.Datetime):
            typed = series if dtype.time_zone else series.dt.replace_time_zone("UTC")
            return typed.dt.convert_time_zone("UTC").dt.cast_time_unit("us"), ""
        text = series.cast(pl.String).str.replace(r"^(\d{4}-\d{2}-\d{2}) ", "${1}T")
        text = text.str.replace(r"Z$", "+00:00")
        candidates = [
            text.str.to_datetime(f, time_zone="UTC", strict=False, time_unit="us")
            for f in _TS_FORMATS
        ]
        candidates += [
            text.str.to_datetime(f, strict=False, time_unit="us").dt.replace_time_zone("UTC")
            for f in _NAIVE_FORMATS
        ]
        parsed = pl.select(pl.coalesce(candidates)).to_series().alias(series.name)
        return parsed, "is not an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SS, optional offset)"
    if kind == BOOL:
        if dtype == pl.Boolean:
            return series, ""
        text = series.cast(pl.String).str.to_lowercase()
        parsed = text.replace_strict(
            {"true": True, "false": False}, default=None, return_dtype=pl.Boolean
        )
        return parsed, "is not true or false"
    if kind == NUMBER:
        if dtype.is_numeric():
            number = series.cast(pl.Float64)
        else:
            number = series.cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False)
        return _where(number.is_finite(), number), "is not a number"
    return series.cast(pl.String), ""


def wrong_types(sources: dict[str, Source]) -> list[Problem]:
    problems = []
    for source in sources.values():
        for column in source.table.columns:
            raw = source.raw.get_column(column.name)
            typed, expected = _parse(raw, column.type)
            source.typed[column.name] = typed.alias(column.name)
            bad = raw.is_not_null() & typed.is_null()
            if bad.any():
                problems += _offending(source, bad, column.name, expected)
    return problems


# 5-8. nulls, enums, negatives, duplicates --------------------------------------------------------
def nulls(sources: dict[str, Source]) -> list[Problem]:
    problems = []
    for source in sources.values():
        for column in source.table.columns:
            if not column.nullable:
                missing = source.typed[column.name].is_null()
                if missing.any():
                    problems += _offending(source, missing, column.name, "is required")
    return [Problem(p.file, p.row, p.column, None, "is empty but required") for p in problems]


def enums(sources: dict[str, Source]) -> list[Problem]:
    problems = []
    for source in sources.values():
        for column in source.table.columns:
            if column.enum:
                values = source.typed[column.name]
                bad = values.is_not_null() & ~values.is_in(column.enum)
                if bad.any():
                    allowed = ", ".join(column.enum)
                    problems += _offending(source, bad, column.name, f"is not one of {allowed}")
    return problems


def negatives(sources: dict[str, Source]) -> list[Problem]:
    problems = []
    for source in sources.values():
        for column in source.table.columns:
            if column.non_negative:
                bad = (source.typed[column.name] < 0).fill_null(False)
                if bad.any():
                    problems += _offending(source, bad, column.name, "is negative")
    return problems


def duplicates(sources: dict[str, Source]) -> list[Problem]:
    problems = []
    for source in sources.values():
        key = list(source.table.key)
        if len(key) == 1:  # a struct of one column would copy it
            repeated = ~source.typed[key[0]].is_first_distinct()
        else:
            frame = pl.DataFrame([source.typed[c] for c in key])
            repeated = frame.select(~pl.struct(key).is_first_distinct()).to_series()
        if repeated.any():
            label = key[0] if len(key) == 1 else " + ".join(key)
            rows = source.raw.filter(repeated).select(ROW, *key)
            for row in rows.iter_rows():
                value = row[1] if len(key) == 1 else " + ".join(str(v) for v in row[1:])
                problems.append(Problem(source.file, row[0], label, value, "appears twice"))
    return problems


def users_and_account_managers(sources: dict[str, Source]) -> list[Problem]:
    """An account manager is not a user of any customer: one id in both is refused."""
    if "account_managers" not in sources or "users" not in sources:
        return []
    managers = sources["account_managers"]
    users = sources["users"].typed["user_id"].implode()
    both = managers.typed["user_id"].is_in(users)
    users_file = sources["users"].file
    said = f"is a user in {users_file} too: an account manager is not a user of any customer"
    return _offending(managers, both, "user_id", said)


# 9. one e-mail, one person -----------------------------------------------------------------------
def shared_emails(sources: dict[str, Source]) -> list[Problem]:
    """Every person after the first with an e-mail, compared as signing in compares them."""
    first: dict[str, tuple[str, int]] = {}  # normalised e-mail -> (file, row) of its first holder
    problems = []
    for table, column in PEOPLE:
        if table not in sources:  # a table of people may be absent from a source
            continue
        source = sources[table]
        rows = source.raw.get_column(ROW).to_list()
        emails = source.typed[column].to_list()
        for row, email in zip(rows, emails, strict=True):
            holder = first.setdefault(normalised_email(email), (source.file, row))
            if holder != (source.file, row):
                message = (
                    f"is the e-mail of {holder[0]} row {holder[1]} too: one e-mail, one person"
                )
                problems.append(Problem(source.file, row, column, email, message))
    return problems


# 10. dangling references -------------------------------------------------------------------------
def dangling(sources: dict[str, Source]) -> list[Problem]:
    problems = []
    for source in sources.values():
        for ref in source.table.refs:
            targets = sources[ref.table].typed[ref.target]
            values = source.typed[ref.column]
            bad = values.is_not_null() & ~values.is_in(targets.implode())
            if bad.any():
                message = f"is not a {ref.target} in {sources[ref.table].file}"
                problems += _offending(source, bad, ref.column, message)
    return problems


# 11. end before start ----------------------------------------------------------------------------
def end_before_start(sources: dict[str, Source]) -> list[Problem]:
    problems = []
    for source in sources.values():
        for earlier, later in source.table.date_order:
            bad = (source.typed[later] < source.typed[earlier]).fill_null(False)
            if bad.any():
                problems += _offending(source, bad, later, f"is before {earlier}")
    return problems


# 12. references that cross customers or contracts ------------------------------------------------
def _lookup(sources: dict[str, Source], table: str, key: str, value: str) -> pl.DataFrame:
    typed = sources[table].typed
    return pl.DataFrame([typed[key], typed[value]])


def _looked_up(values: pl.Series, lookup: pl.DataFrame, key: str, value: str) -> pl.Series:
    """The `value` of `lookup`'s row whose `key` each of `values` is (null for none): a map of
    a few ids rather than a join, which for millions of usage rows made a frame as wide as
    both (a gigabyte at 10M usage rows)."""
    return values.replace_strict(
        lookup.get_column(key), lookup.get_column(value), default=None, return_dtype=pl.String
    )


def _rows(source: Source, *columns: str) -> pl.DataFrame:
    """The typed `columns` of `source` with each row's number in its file: only what a check
    joins, since a join copies every column of the frame (joining whole tables raises the
    import's peak memory)."""
    return pl.DataFrame([*(source.typed[c] for c in columns), source.raw.get_column(ROW)])


def crossing(sources: dict[str, Source]) -> list[Problem]:
    """Both ends of a reference must belong to one customer; a case's entitlement must be one
    of its contract's (or, for a case with no contract, of its workspace's customer)."""
    customer_of = {
        "workspace_id": _lookup(sources, "workspaces", "workspace_id", "customer_id"),
        "user_id": _lookup(sources, "users", "user_id", "customer_id"),
        "group_id": _lookup(sources, "groups", "group_id", "customer_id"),
        "contract_id": _lookup(sources, "contracts", "contract_id", "customer_id"),
    }

    def customer(frame: pl.DataFrame, column: str, kind: str, alias: str) -> pl.DataFrame:
        """`frame` with the customer of each row's `column` (null where it names none)."""
        owner = _looked_up(frame.get_column(column), customer_of[kind], kind, "customer_id")
        return frame.with_columns(owner.alias(alias))

    pairs = [  # (table, column, its kind, the column whose customer it must share, its kind)
        ("workspace_members", "user_id", "user_id", "workspace_id", "workspace_id"),
        ("role_grants", "user_id", "user_id", "workspace_id", "workspace_id"),
        ("group_members", "user_id", "user_id", "group_id", "group_id"),
        ("group_case_access", "workspace_id", "workspace_id", "group_id", "group_id"),
        ("contracts", "workspace_id", "workspace_id", "contract_id", "contract_id"),
        ("cases", "contract_id", "contract_id", "workspace_id", "workspace_id"),
        ("cases", "primary_contact_id", "user_id", "workspace_id", "workspace_id"),
        ("contracts", "renews_contract_id", "contract_id", "contract_id", "contract_id"),
    ]
    problems = []
    for table, column, kind, anchor, anchor_kind in pairs:
        source = sources[table]
        frame = customer(_rows(source, column, anchor), column, kind, "_a")
        frame = customer(frame, anchor, anchor_kind, "_b")
        bad = frame.filter(pl.col("_a").is_not_null() & (pl.col("_a") != pl.col("_b")))
        for row, value in bad.select(ROW, column).iter_rows():
            message = f"belongs to another customer than its {anchor.removesuffix('_id')}"
            problems.append(Problem(source.file, row, column, value, message))
    problems += _shares_and_contacts(sources, customer_of)
    problems += _case_entitlements(sources)
    problems += _uncontracted_entitlements(sources, customer_of["workspace_id"])
    return problems


def _shares_and_contacts(sources, customer_of) -> list[Problem]:
    problems = []
    shares = sources["case_shares"]
    shared = shares.typed["case_id"].implode()
    cases = (  # only the cases shared: a few rows of millions
        _lookup(sources, "cases", "case_id", "workspace_id")
        .filter(pl.col("case_id").is_in(shared))
        .join(customer_of["workspace_id"], on="workspace_id", how="left")
    )
    frame = _rows(shares, "case_id", "user_id").join(
        cases.select("case_id", pl.col("customer_id").alias("_b")), on="case_id", how="left"
    )
    frame = frame.join(
        customer_of["user_id"].rename({"customer_id": "_a"}), on="user_id", how="left"
    )
    for row, value in frame.filter(pl.col("_a") != pl.col("_b")).select(ROW, "user_id").iter_rows():
        problems.append(
            Problem(shares.file, row, "user_id", value, "belongs to another customer than the case")
        )
    contract_of = _entitlement_contracts(sources).join(
        customer_of["contract_id"], on="contract_id", how="left"
    )
    contacts = sources["contacts"]
    frame = _rows(contacts, "entitlement_id", "user_id").join(
        contract_of.select("entitlement_id", pl.col("customer_id").alias("_b")),
        on="entitlement_id",
        how="left",
    )
    frame = frame.join(
        customer_of["user_id"].rename({"customer_id": "_a"}), on="user_id", how="left"
    )
    for row, value in frame.filter(pl.col("_a") != pl.col("_b")).select(ROW, "user_id").iter_rows():
        problems.append(
            Problem(
                contacts.file,
                row,
                "user_id",
                value,
                "belongs to another customer than the entitlement",
            )
        )
    return problems


def _entitlement_contracts(sources) -> pl.DataFrame:
    packages = _lookup(sources, "packages", "package_id", "contract_id")
    return _lookup(sources, "entitlements", "entitlement_id", "package_id").join(
        packages, on="package_id", how="left"
    )


def _case_entitlements(sources) -> list[Problem]:
    cases = sources["cases"]
    frame = _rows(cases, "contract_id", "entitlement_id")
    contract_of = _entitlement_contracts(sources)
    entitlements = frame.get_column("entitlement_id")
    contract = _looked_up(entitlements, contract_of, "entitlement_id", "contract_id")
    frame = frame.with_columns(contract.alias("_entitlement_contract"))
    bad = frame.filter(
        pl.col("contract_id").is_not_null()
        & pl.col("_entitlement_contract").is_not_null()
        & (pl.col("contract_id") != pl.col("_entitlement_contract"))
    )
    return [
        Problem(cases.file, row, "entitlement_id", value, "belongs to another contract")
        for row, value in bad.select(ROW, "entitlement_id").iter_rows()
    ]


def _uncontracted_entitlements(sources, workspace_customer: pl.DataFrame) -> list[Problem]:
    """A case with no contract may not name another customer's entitlement. (With a contract,
    its entitlement must be the contract's, and the contract its workspace's customer's.)"""
    cases = sources["cases"]
    frame = _rows(cases, "workspace_id", "entitlement_id").filter(
        cases.typed["contract_id"].is_null() & cases.typed["entitlement_id"].is_not_null()
    )
    entitlement_customer = _entitlement_contracts(sources).join(
        _lookup(sources, "contracts", "contract_id", "customer_id"), on="contract_id", how="left"
    )
    owner = _looked_up(
        frame.get_column("entitlement_id"), entitlement_customer, "entitlement_id", "customer_id"
    )
    case_owner = _looked_up(
        frame.get_column("workspace_id"), workspace_customer, "workspace_id", "customer_id"
    )
    bad = frame.filter((owner != case_owner).fill_null(False))
    message = "belongs to another customer than its workspace"
    return [
        Problem(cases.file, row, "entitlement_id", value, message)
        for row, value in bad.select(ROW, "entitlement_id").iter_rows()
    ]


# The classes after the files and columns are read, in the order they are checked.
CLASSES: list[tuple[str, Check]] = [
    ("columns of the wrong type", column_types),
    ("values of the wrong type", wrong_types),
    ("empty values in required columns", nulls),
    ("values outside their list", enums),
    ("negative quantities or hours", negatives),
    ("duplicate ids", duplicates),
    ("account managers who are users", users_and_account_managers),
    ("people with one e-mail", shared_emails),
    ("references to nothing", dangling),
    ("ends before starts", end_before_start),
    ("references across customers or contracts", crossing),
]

__all__ = ["BY_NAME", "CLASSES", "ROW", "TABLES", "Problem", "Source"]
