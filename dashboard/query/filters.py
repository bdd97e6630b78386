"""The filters a viewer has picked, as one value passed whole to every query."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from datetime import date

from dashboard.language import _, ngettext
from dashboard.text import quoted

STATUSES = ("active", "inactive", "all")
MAX_ID = 200  # no id is longer; a longer value in a link is dropped unread
# Each filter's name in a page's link, by its field of Filters: the sidebar, the benchmark and
# the tests write links with these, and from_link reads them.
LINK = {
    "customer": "customer",
    "workspaces": "ws",
    "contract": "contract",
    "package": "package",
    "status": "status",
    "date_from": "from",
    "date_to": "to",
}


@dataclass(frozen=True)
class Filters:
    """What the sidebar (or the export CLI's options) picked.

    `customer` is for account managers only: the customer they look at (none: every customer
    they may open, which only the portfolio asks for). An empty `workspaces` means every
    workspace the viewer can open. The date range narrows activity only (lists and charts over
    time), never entitlement totals.
    """

    customer: str | None = None
    workspaces: tuple[str, ...] = ()
    contract: str | None = None
    package: str | None = None
    status: str = "active"
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(
                _("the date range starts ({start}) after it ends ({end})").format(
                    start=self.date_from, end=self.date_to
                )
            )
        object.__setattr__(self, "workspaces", tuple(sorted(set(self.workspaces))))

    @property
    def dates(self) -> tuple[date | None, date | None]:
        """The activity dates picked, (from, to); either may be open."""
        return self.date_from, self.date_to

    @property
    def dated(self) -> bool:
        """Whether any activity date is picked."""
        return bool(self.date_from or self.date_to)

    def parameters(self) -> dict[str, object]:
        """The query parameters these filters bind, by name."""
        return {
            "customer": self.customer,
            "workspaces": list(self.workspaces),
            "contract": self.contract,
            "package": self.package,
            "status": self.status,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }

    def only(self, read: Iterable[str]) -> Filters:
        """These filters, with those not in `read` (a query's parameters) back at their
        defaults: a query's result depends only on the filters it reads, so that is what its
        cache key should hold (moving the dates then reruns only the queries that read them)."""
        read = set(read)
        defaults = Filters()
        unread = {
            f.name: getattr(defaults, f.name)
            for f in fields(self)
            if f.name not in read and getattr(self, f.name) != getattr(defaults, f.name)
        }
        return replace(self, **unread) if unread else self

    def describe(self) -> str:
        """A short description for file names, e.g. `W1+W2_K-A_active_2026-01-01..2026-06-30`."""
        parts = [self.customer] if self.customer else []
        parts.append("+".join(self.workspaces) if self.workspaces else "all-workspaces")
        if self.contract:
            parts.append(self.contract)
        if self.package:
            parts.append(self.package)
        parts.append(self.status)
        if self.dated:
            parts.append(f"{self.date_from or ''}..{self.date_to or ''}")
        return "_".join(parts)


def from_link(get_all: Callable[[str], list[str]]) -> tuple[Filters, list[str]]:
    """The filters a link's query string asks for (`get_all(name)`: every value given for
    `name`), with a notice for each value that cannot be one, which is dropped. Whether the
    viewer may see what is asked for is decided later, against the data (viewer.fit_filters)."""
    notices: list[str] = []

    def one(name: str) -> str | None:
        values = [v for v in get_all(name) if v]
        if len(values) > 1:
            said = ngettext(
                "“{name}” was given {n} time: the first is used",
                "“{name}” was given {n} times: the first is used",
                len(values),
            )
            notices.append(said.format(name=name, n=len(values)))
        if values and len(values[0]) > MAX_ID:
            notices.append(_too_long(values[0], name))
            return None
        return values[0] if values else None

    def day(name: str) -> date | None:
        text = one(name)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            said = _("{value} in “{name}” is not a date (YYYY-MM-DD)")
            notices.append(said.format(value=quoted(text), name=name))
            return None

    spaces = []
    for value in get_all(LINK["workspaces"]):
        if len(value) > MAX_ID:
            notices.append(_too_long(value, LINK["workspaces"]))
        elif value:
            spaces.append(value)
    status = one(LINK["status"]) or "active"
    if status not in STATUSES:
        said = _("{value} is not a package status (active, inactive or all)")
        notices.append(said.format(value=quoted(status)))
        status = "active"
    date_from, date_to = day(LINK["date_from"]), day(LINK["date_to"])
    if date_from and date_to and date_from > date_to:
        said = _("the date range starts ({start}) after it ends ({end}): ignored")
        notices.append(said.format(start=date_from, end=date_to))
        date_from = date_to = None
    wanted = Filters(
        customer=one(LINK["customer"]),
        workspaces=tuple(spaces),
        contract=one(LINK["contract"]),
        package=one(LINK["package"]),
        status=status,
        date_from=date_from,
        date_to=date_to,
    )
    return wanted, notices


def _too_long(value: str, name: str) -> str:
    """The notice for a value of the link's `name` too long to be an id."""
    return _("{value} in “{name}” is too long to be an id").format(value=quoted(value), name=name)
