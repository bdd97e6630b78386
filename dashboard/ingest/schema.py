"""The data contract (DATA_MODEL.md) as data: tables, columns, types, enums, keys and references.

The import validates against it, the generator writes it and the dataset layout sorts by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard import rules, words

# Column types, as the contract states them.
STRING = "string"
DATE = "date"
TIMESTAMP = "timestamp"
BOOL = "bool"
NUMBER = "number"

CATEGORIES = (
    "proactive",
    "reactive",
    "advisory",
    "education",
    "contacts",
    "assessments",
    "credits",
)
# each category as the pages, their downloads and the meeting pack name it (in English; in the
# run's language: dashboard.words)
CATEGORY_LABELS = dict(words.CATEGORIES)
UNITS = ("hours", "credits", "seats", "contacts", "assessments")
ROLES = ("customer_activity", "view_all_support_requests", "training_manager")
SPECIAL_SERVICE_CODES = rules.SPECIAL_SERVICE_CODES  # a rule the pages state too
ADDITIONAL_CASE_REASONS = (
    "no_entitlement",
    "expired_contract",
    "unmapped_contract",
    "special_service",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str = STRING
    nullable: bool = False
    enum: tuple[str, ...] | None = None
    non_negative: bool = False


@dataclass(frozen=True)
class Ref:
    """`column` holds an id of `table`.`target` (null allowed only where the column is nullable)."""

    column: str
    table: str
    target: str


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    refs: tuple[Ref, ...] = ()
    date_order: tuple[tuple[str, str], ...] = ()  # (earlier, later): later may not precede earlier
    sort_by: tuple[str, ...] = field(default=())  # the production layout's row order
    optional: bool = False  # may be absent from an import source (then written empty)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, type_: str = STRING, *, null: bool = False, enum=None, non_negative=False):
    return Column(name, type_, null, tuple(enum) if enum else None, non_negative)


TABLES: tuple[Table, ...] = (
    Table(
        "customers",
        (_c("customer_id"), _c("name")),
        key=("customer_id",),
        sort_by=("customer_id",),
    ),
    Table(
        "workspaces",
        (_c("workspace_id"), _c("customer_id"), _c("name")),
        key=("workspace_id",),
        refs=(Ref("customer_id", "customers", "customer_id"),),
        sort_by=("customer_id", "workspace_id"),
    ),
    Table(
        "users",
        (
            _c("user_id"),
            _c("customer_id"),
            _c("display_name"),
            _c("email"),
            _c("is_customer_admin", BOOL),
        ),
        key=("user_id",),
        refs=(Ref("customer_id", "customers", "customer_id"),),
        sort_by=("customer_id", "user_id"),
    ),
    Table(
        "workspace_members",
        (_c("workspace_id"), _c("user_id"), _c("is_workspace_admin", BOOL)),
        key=("workspace_id", "user_id"),
        refs=(
            Ref("workspace_id", "workspaces", "workspace_id"),
            Ref("user_id", "users", "user_id"),
        ),
        sort_by=("workspace_id", "user_id"),
    ),
    Table(
        "role_grants",
        (_c("user_id"), _c("workspace_id"), _c("role", enum=ROLES)),
        key=("user_id", "workspace_id", "role"),
        refs=(
            Ref("user_id", "users", "user_id"),
            Ref("workspace_id", "workspaces", "workspace_id"),
        ),
        sort_by=("workspace_id", "user_id", "role"),
    ),
    Table(
        "groups",
        (_c("group_id"), _c("customer_id"), _c("name")),
        key=("group_id",),
        refs=(Ref("customer_id", "customers", "customer_id"),),
        sort_by=("customer_id", "group_id"),
    ),
    Table(
        "group_members",
        (_c("group_id"), _c("user_id")),
        key=("group_id", "user_id"),
        refs=(Ref("group_id", "groups", "group_id"), Ref("user_id", "users", "user_id")),
        sort_by=("group_id", "user_id"),
    ),
    Table(
        "group_case_access",
        (_c("group_id"), _c("workspace_id")),
        key=("group_id", "workspace_id"),
        refs=(
            Ref("group_id", "groups", "group_id"),
            Ref("workspace_id", "workspaces", "workspace_id"),
        ),
        sort_by=("workspace_id", "group_id"),
    ),
    Table(
        "contracts",
        (
            _c("contract_id"),
            _c("customer_id"),
            _c("workspace_id", null=True),
            _c("contract_number"),
            _c("name"),
            _c("start_date", DATE),
            _c("end_date", DATE),
            _c("renews_contract_id", null=True),
        ),
        key=("contract_id",),
        refs=(
            Ref("customer_id", "customers", "customer_id"),
            Ref("workspace_id", "workspaces", "workspace_id"),
            Ref("renews_contract_id", "contracts", "contract_id"),
        ),
        date_order=(("start_date", "end_date"),),
        sort_by=("customer_id", "workspace_id", "contract_id"),
    ),
    Table(
        "packages",
        (
            _c("package_id"),
            _c("contract_id"),
            _c("name"),
            _c("scope", enum=("enterprise", "add_on")),
            _c("start_date", DATE),
            _c("end_date", DATE),
        ),
        key=("package_id",),
        refs=(Ref("contract_id", "contracts", "contract_id"),),
        date_order=(("start_date", "end_date"),),
        sort_by=("contract_id", "package_id"),
    ),
    Table(
        "entitlements",
        (
            _c("entitlement_id"),
            _c("package_id"),
            _c("category", enum=CATEGORIES),
            _c("name"),
            _c("description"),
            _c("kind", enum=("consumable", "benefit")),
            _c("unit", enum=UNITS),
            _c("purchased", NUMBER, null=True, non_negative=True),
            _c("action_url", null=True),
        ),
        key=("entitlement_id",),
        refs=(Ref("package_id", "packages", "package_id"),),
        sort_by=("package_id", "entitlement_id"),
    ),
    Table(
        "cases",
        (
            _c("case_id"),
            _c("workspace_id"),
            _c("contract_id", null=True),
            _c("entitlement_id", null=True),
            _c("title"),
            _c("case_type", enum=("reactive", "advisory")),
            _c("service_code"),
            _c("severity", enum=("A", "B", "C")),
            _c("status", enum=("open", "closed")),
            _c("created_at", TIMESTAMP),
            _c("closed_at", TIMESTAMP, null=True),
            _c("primary_contact_id"),
            _c("hours", NUMBER, non_negative=True),
        ),
        key=("case_id",),
        refs=(
            Ref("workspace_id", "workspaces", "workspace_id"),
            Ref("contract_id", "contracts", "contract_id"),
            Ref("entitlement_id", "entitlements", "entitlement_id"),
            Ref("primary_contact_id", "users", "user_id"),
        ),
        date_order=(("created_at", "closed_at"),),
        # type before time: proof of delivery lists a contract's cases by type, then day
        sort_by=("workspace_id", "contract_id", "case_type", "created_at", "case_id"),
    ),
    Table(
        "case_shares",
        (_c("case_id"), _c("user_id")),
        key=("case_id", "user_id"),
        refs=(Ref("case_id", "cases", "case_id"), Ref("user_id", "users", "user_id")),
        sort_by=("case_id", "user_id"),
    ),
    Table(
        "deliveries",
        (
            _c("delivery_id"),
            _c("entitlement_id"),
            _c("date", DATE),
            _c("title"),
            _c("quantity", NUMBER, non_negative=True),
            _c("hours_delivered", NUMBER, null=True, non_negative=True),
            _c("status", enum=("delivered", "scheduled", "cancelled")),
            _c("delivered_by", null=True),
        ),
        key=("delivery_id",),
        refs=(Ref("entitlement_id", "entitlements", "entitlement_id"),),
        sort_by=("entitlement_id", "date", "delivery_id"),
    ),
    Table(
        "enrollments",
        (
            _c("enrollment_id"),
            _c("entitlement_id"),
            _c("learner_name"),
            _c("learner_email"),
            _c("course"),
            _c("enrolled_on", DATE),
            _c("completed_on", DATE, null=True),
            _c("status", enum=("enrolled", "completed", "cancelled")),
        ),
        key=("enrollment_id",),
        refs=(Ref("entitlement_id", "entitlements", "entitlement_id"),),
        date_order=(("enrolled_on", "completed_on"),),
        sort_by=("entitlement_id", "enrolled_on", "enrollment_id"),
    ),
    Table(
        "contacts",
        (
            _c("contact_id"),
            _c("entitlement_id"),
            _c("name"),
            _c("email"),
            _c("user_id", null=True),
            _c("added_on", DATE),
            _c("removed_on", DATE, null=True),
        ),
        key=("contact_id",),
        refs=(
            Ref("entitlement_id", "entitlements", "entitlement_id"),
            Ref("user_id", "users", "user_id"),
        ),
        date_order=(("added_on", "removed_on"),),
        sort_by=("entitlement_id", "added_on", "contact_id"),
    ),
    Table(
        "assessments",
        (
            _c("assessment_id"),
            _c("entitlement_id"),
            _c("name"),
            _c("technology"),
            _c("status", enum=("not_started", "in_progress", "completed", "cancelled")),
            _c("started_on", DATE, null=True),
            _c("completed_on", DATE, null=True),
        ),
        key=("assessment_id",),
        refs=(Ref("entitlement_id", "entitlements", "entitlement_id"),),
        date_order=(("started_on", "completed_on"),),
        sort_by=("entitlement_id", "assessment_id"),
    ),
    Table(
        "account_managers",
        (_c("user_id"), _c("display_name"), _c("email")),
        key=("user_id",),
        sort_by=("user_id",),
        optional=True,
    ),
    Table(
        "account_assignments",
        (_c("user_id"), _c("customer_id"), _c("start_date", DATE), _c("end_date", DATE, null=True)),
        key=("user_id", "customer_id", "start_date"),
        refs=(
            Ref("user_id", "account_managers", "user_id"),
            Ref("customer_id", "customers", "customer_id"),
        ),
        date_order=(("start_date", "end_date"),),
        sort_by=("customer_id", "user_id", "start_date"),
        optional=True,
    ),
)

TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)
BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Every table of people and its e-mail column: one e-mail is one person across all of them, since
# signing in finds the person by e-mail. A new table of people is one more line here.
PEOPLE: tuple[tuple[str, str], ...] = (("users", "email"), ("account_managers", "email"))

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def normalised_email(email: str) -> str:
    """`email` as it is compared, at import and at sign-in (queries/sign_in.sql trims and folds
    the same): trimmed of spaces, tabs and line ends, and A-Z in lower case. Only ASCII letters
    are folded: a Unicode lower-casing would make the Kelvin sign (U+212A) a "k"."""
    return email.strip(" \t\r\n").translate(_ASCII_LOWER)
