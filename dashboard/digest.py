"""E-mailed digests: each due subscription (dashboard/query/subscriptions.py) sent as one e-mail
by `python -m dashboard digest` (dashboard/digest_cli.py).

A digest is not a page run: its content comes from the same queries as the page, run as the
recipient with the view's filters fitted to what the recipient may see now, exactly as the
export command fits its options. A filter the recipient may no longer see is dropped (the mail
says so); a recipient with no access any more is sent nothing, and the log says why.

The mail: subject `<view name> · Customer Activity digest · <period>`; an HTML body with the
view's headline figures and the alerts in its scope (every value escaped), its main chart as a
PNG embedded by cid (multipart/related), its main table as a CSV attachment, and a link back to
the view. A plain-text part says the same for readers that show no HTML. Each mail is in its
recipient's language (the one they chose in the app, English if they never did); the CSV stays
machine-readable in every language, as the export's does.

SMTP settings: `CUSTOMER_ACTIVITY_SMTP=smtp://[USER:PASSWORD@]HOST:PORT` (STARTTLS when the
server offers it; `smtp+plain://` never; `smtps://` for TLS from the start),
`CUSTOMER_ACTIVITY_MAIL_FROM` and `CUSTOMER_ACTIVITY_URL` (the app's address, for the links), or
the same three in a `[mail]` section of .streamlit/secrets.toml (`smtp`, `mail_from`, `url`).
No password is ever printed or logged.
"""

from __future__ import annotations

import html
import logging
import os
import smtplib
import ssl
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import polars as pl

from dashboard import export
from dashboard.formats import amount, count, day, number, percent
from dashboard.language import DEFAULT, N_, _, ngettext, pgettext, speaking
from dashboard.query import preferences, saved_views, subscriptions
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters, from_link
from dashboard.query.subscriptions import ALERTS_PAGE, Subscription
from dashboard.query.viewer import AccessDenied, Viewer, fit_customer, fit_filters, viewer_of
from dashboard.rules import EXPIRING_SOON_DAYS
from dashboard.text import alert_figure, without_invisible
from dashboard.text import alert_kind_words as kind_words

log = logging.getLogger("customer_activity")

SMTP_VAR = "CUSTOMER_ACTIVITY_SMTP"
FROM_VAR = "CUSTOMER_ACTIVITY_MAIL_FROM"
URL_VAR = "CUSTOMER_ACTIVITY_URL"
DRY_RUN_STAND_INS = {FROM_VAR: "digest@localhost", URL_VAR: "http://localhost:8501"}
SECRETS_KEYS = {SMTP_VAR: "smtp", FROM_VAR: "mail_from", URL_VAR: "url"}
SCHEMES = ("smtp", "smtp+plain", "smtps")
SMTP_SECONDS = 30  # a healthy server answers in well under a second; a hung one must not hang cron
TABLE_COLUMNS = 6  # the columns of the main table shown in the mail, the first but ids
TABLE_ROWS = 10  # rows of the main table shown in the mail; the CSV holds them all
ALERT_ROWS = 10  # the top alerts listed; the count by severity covers the rest
CHART_CID = "chart"
SEVERITIES = ("high", "medium", "low")
SEVERITY_WORDS = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
# The main table (and CSV) of a page with no digest of its own: its main list, as the page has it
PAGE_TABLES = {
    "customers": "portfolio",
    "add-ons": "packages",
    "proof-of-delivery": "proof_of_delivery",
    "support": "support_requests",
    "education": "enrollments",
    "contacts": "named_contacts",
    "assessments": "assessments",
    "credits": "credit_deliveries",
    "additional-cases": "additional_cases",
}
PAGE_TITLES = {
    "start": N_("Enterprise-wide"),
    "renewal": N_("Renewal planning"),
    ALERTS_PAGE: N_("Alerts"),
    "customers": N_("My customers"),
    "add-ons": N_("Add-on packages"),
    "proof-of-delivery": N_("Proof of delivery"),
    "support": N_("Support and proactive services"),
    "education": N_("On-demand education"),
    "contacts": N_("Named contacts"),
    "assessments": N_("On-demand assessments"),
    "credits": N_("Proactive credits"),
    "additional-cases": N_("Additional cases"),
}


class DigestMisconfigured(ValueError):
    """The mail settings are missing or wrong: said in one line, without a password."""


class SendFailed(Exception):
    """The mail server did not accept a digest: said in one line, without a password."""


@dataclass(frozen=True)
class MailServer:
    scheme: str
    host: str
    port: int
    user: str | None = field(default=None)
    password: str | None = field(default=None, repr=False)

    def __str__(self) -> str:  # where, never the password
        return f"{self.scheme}://{self.host}:{self.port}"


@dataclass(frozen=True)
class MailSettings:
    server: MailServer | None  # None: a dry run without SMTP settings
    mail_from: str
    base_url: str


def parse_server(url: str) -> MailServer:
    """CUSTOMER_ACTIVITY_SMTP's URL as a MailServer; DigestMisconfigured in one line."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise DigestMisconfigured(
            f"{SMTP_VAR} must be smtp://[USER:PASSWORD@]HOST:PORT (or smtp+plain://, smtps://)"
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise DigestMisconfigured(f"{SMTP_VAR} names no valid port") from None
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return MailServer(parts.scheme, parts.hostname, port, user, password)


def settings(
    environ: Mapping[str, str] | None = None,
    secrets_files: Sequence[Path] | None = None,
    need_server: bool = True,
) -> MailSettings:
    """The mail settings from the environment, else from the `[mail]` section of the first
    secrets file that has one; DigestMisconfigured when one is missing (the server may be
    missing when `need_server` is false: a dry run sends nothing, and the others stand in)."""
    environ = os.environ if environ is None else environ
    section = _secrets_section(secrets_files)
    values = {var: environ.get(var) or section.get(key) or "" for var, key in SECRETS_KEYS.items()}
    if not need_server:  # a dry run sends nothing: stand-ins are enough to size the mails
        values = {var: value or DRY_RUN_STAND_INS.get(var, "") for var, value in values.items()}
    missing = [var for var, value in values.items() if not value and need_server]
    if missing:
        raise DigestMisconfigured(
            f"set {', '.join(missing)} (or the same in [mail] of .streamlit/secrets.toml)"
        )
    server = parse_server(values[SMTP_VAR]) if values[SMTP_VAR] else None
    return MailSettings(server, values[FROM_VAR], values[URL_VAR])


def _secrets_section(files: Sequence[Path] | None) -> dict[str, str]:
    if files is None:
        files = [Path.cwd() / ".streamlit" / "secrets.toml"]
    for path in files:
        try:
            with path.open("rb") as file:
                found = tomllib.load(file).get("mail")
        except FileNotFoundError:
            continue
        except (OSError, tomllib.TOMLDecodeError) as problem:
            raise DigestMisconfigured(f"{path} cannot be read: {problem}") from None
        if isinstance(found, dict):
            return {k: str(v) for k, v in found.items()}
    return {}


@dataclass
class Content:
    """What a digest shows, gathered as the recipient may see it now."""

    title: str  # the view's name
    page: str  # the page's url path
    query: str  # the view's query string
    recipient: str
    viewer_name: str
    scope: str  # the customer, in words
    as_of: date
    figures: list[tuple[str, str]]
    alerts: pl.DataFrame
    table: pl.DataFrame
    table_name: str
    chart: object | None  # an Altair chart, drawn to PNG when the mail is made
    notices: list[str]


@dataclass
class Digest:
    subscription: Subscription
    period: str
    recipient: str
    subject: str
    message: EmailMessage
    table_rows: int
    chart_bytes: int

    @property
    def size(self) -> int:
        return len(self.message.as_bytes())


def gather(dataset: Dataset, subscription: Subscription) -> Content | None:
    """The content of `subscription`'s digest as its owner may see it now; None (and one log
    line) when they may see nothing, or the view or their e-mail address is gone."""
    user = subscription.user_id
    if subscription.alerts_page:
        title, page, query = _(PAGE_TITLES[ALERTS_PAGE]), ALERTS_PAGE, ""
    else:
        view = next(
            (v for v in saved_views.listed(dataset.home, user) if v.id == subscription.view_id),
            None,
        )
        if view is None:
            log.warning(
                "digest %s of %s not sent: the saved view was deleted", subscription.id, user
            )
            return None
        title, page, query = view.name, view.page, view.query
    asked = parse_qs(query, keep_blank_values=True)
    wanted, notices = from_link(lambda name: asked.get(name, []))
    try:
        viewer, notes = _recipient(dataset, user, wanted.customer)
    except AccessDenied as denied:
        log.warning("digest %s of %s not sent: %s", subscription.id, user, denied)
        return None
    notices += notes
    email = dataset.run("viewer", user, viewer.scope).item(0, "email")
    if not email:
        log.warning(
            "digest %s of %s not sent: the user has no e-mail address", subscription.id, user
        )
        return None

    def run(name: str, filters: Filters) -> pl.DataFrame:
        return dataset.run(name, user, filters)

    if page == ALERTS_PAGE or page == "customers":
        filters = viewer.scope  # these pages read no filter but the customer
    elif viewer.needs_customer:
        log.warning("digest %s of %s not sent: the view names no customer", subscription.id, user)
        return None
    else:
        filters, fitted = fit_filters(run, viewer, wanted)
        notices += fitted
    figures, table, table_name, chart = _page_content(dataset, user, page, filters)
    return Content(
        title=title,
        page=page,
        query=query,
        recipient=str(email),
        viewer_name=viewer.display_name,
        scope=_scope_words(viewer),
        as_of=dataset.as_of,
        figures=figures,
        alerts=run("alerts", filters),
        table=without_invisible(table),
        table_name=table_name,
        chart=chart,
        notices=notices,
    )


def _recipient(dataset: Dataset, user: str, customer: str | None) -> tuple[Viewer, list[str]]:
    """The viewer `user` is now, in the view's customer when they still serve it."""
    viewer = viewer_of(dataset, user)
    fitted, notices = fit_customer(viewer, customer)
    if fitted and fitted != viewer.customer_id:
        viewer = viewer_of(dataset, user, customer=fitted)
    return viewer, notices


def _scope_words(viewer: Viewer) -> str:
    if viewer.is_account_manager and viewer.customer_id is None:
        return _("every customer you serve ({n})").format(n=number(viewer.customers.height))
    return viewer.customer_name


def _page_content(
    dataset: Dataset, user: str, page: str, filters: Filters
) -> tuple[list[tuple[str, str]], pl.DataFrame, str, object | None]:
    """The headline figures, main table (with its query's name) and main chart of `page`."""
    if page == "start":
        return _enterprise(dataset, user, filters)
    if page == "renewal":
        return _renewal(dataset, user, filters)
    if page == ALERTS_PAGE:
        return _alerts_page(dataset.run("alerts", user, filters))
    name = PAGE_TABLES.get(page, "packages")
    table = dataset.run(name, user, filters)
    return [(_("Rows"), number(table.height))], table, name, None


def _enterprise(dataset: Dataset, user: str, filters: Filters):
    """Enterprise-wide's headline: as the page has it (dashboard/app/views/enterprise.py)."""
    from dashboard.app import charts

    contracts = dataset.run("active_contracts", user, filters)
    consumption = dataset.run("enterprise_consumption", user, filters)
    packages = dataset.run("packages", user, filters)
    in_hours = consumption.filter(pl.col("unit") == "hours")
    purchased = in_hours.get_column("purchased").sum()
    used = in_hours.get_column("used").sum() - in_hours.get_column("used_without_limit").sum()
    over = in_hours.get_column("overage").sum()
    expiring = packages.filter(pl.col("expiring_soon") & (pl.col("state") == "active")).height
    expiring_label = ngettext(
        "Packages expiring within {n} day", "Packages expiring within {n} days", EXPIRING_SOON_DAYS
    ).format(n=number(EXPIRING_SOON_DAYS))
    figures = [
        (_("Active contracts"), number(contracts.height)),
        (_("Soonest contract end"), _soonest_end(contracts)),
        (_("Enterprise hours used"), percent(used / purchased) if purchased else "—"),
        (expiring_label, number(expiring)),
    ]
    if over:
        figures.append((_("Hours over what was purchased"), amount(over)))
    chart = None
    if consumption.height:
        unit = "hours" if in_hours.height else None
        chart = _for_mail(charts.consumption_bars(consumption, unit=unit).chart())
    return figures, consumption, "enterprise_consumption", chart


def _soonest_end(contracts: pl.DataFrame) -> str:
    """Days left of the first active contract to end that no other renews, and its number."""
    due = next((r for r in contracts.iter_rows(named=True) if not r["renewed"]), None)
    if due is None:
        return _("All renewed") if contracts.height else "—"
    days = due["days_left"]
    return ngettext("{n} day ({contract})", "{n} days ({contract})", days).format(
        n=number(days), contract=due["contract_number"]
    )


def _renewal(dataset: Dataset, user: str, filters: Filters):
    """Renewal planning's headline: the forecasts by status, and its timeline of packages."""
    from dashboard.app import charts
    from dashboard.rules import UNUSED_SHARE

    forecast = dataset.run("renewal_forecast", user, filters)
    counts = dict(forecast.group_by("status").len().iter_rows()) if forecast.height else {}
    figures = [
        (_("Will run out before expiry"), number(counts.get("will run out before expiry", 0))),
        (
            _("Will leave more than {share} unused").format(share=percent(UNUSED_SHARE)),
            number(counts.get("will leave unused", 0)),
        ),
        (_("On track"), number(counts.get("on track", 0))),
    ]
    packages = dataset.run("packages", user, filters).with_columns(
        (pl.col("contract_number") + " · " + pl.col("name")).alias("label")
    )  # labelled as the page labels them
    chart = None
    if packages.height:
        chart = _for_mail(charts.timeline(packages, dataset.as_of).chart())
    return figures, forecast, "renewal_forecast", chart


def _alerts_page(alerts: pl.DataFrame):
    """The Alerts page's headline: counts by severity, and a bar of each kind's count."""
    from dashboard.app import charts

    by = dict(alerts.get_column("severity").value_counts().iter_rows()) if alerts.height else {}
    figures = [(_severity(s), number(by.get(s, 0))) for s in SEVERITIES]
    chart = None
    if alerts.height:
        kinds = alerts.group_by("alert_kind").len("alerts").sort("alert_kind")
        kinds = kinds.with_columns(pl.col("alert_kind").map_elements(kind_words, pl.String))
        chart = _for_mail(charts.counts(kinds, "alert_kind", "alerts", _("alerts")).chart())
    return figures, alerts, "alerts", chart


def _severity(code: str) -> str:
    """An alert's severity in words: high -> High."""
    return _(SEVERITY_WORDS[code]) if code in SEVERITY_WORDS else code.capitalize()


def _for_mail(chart):
    """`chart` at a fixed width that fits a mail's column. The app's charts fit the width of
    their container ("fit-x"), which a picture drawn offline has not: its legend came out cut
    off at the top. "pad" draws the chart whole, its legend and axes around the plot."""
    import altair as alt

    return chart.properties(width=480, autosize=alt.AutoSizeParams(type="pad"))


def compose(
    content: Content,
    subscription: Subscription,
    period: str,
    mail: MailSettings,
    png: Callable[[object], bytes] | None = None,
) -> Digest:
    """The e-mail of `content`: plain text and HTML (with the chart embedded), the CSV; in the
    run's language (see `made`)."""
    subject = _("{title} · Customer Activity digest · {period}").format(
        title=content.title, period=period
    )
    link = view_link(mail.base_url, content.page, content.query)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail.mail_from
    message["To"] = formataddr((content.viewer_name, content.recipient))
    domain = mail.mail_from.rpartition("@")[2].strip(" >") or "localhost"
    message["Message-ID"] = subscriptions.message_id(subscription.id, period, domain)
    message.set_content(plain_text(content, link))
    chart_png = _png(content.chart, png)
    message.add_alternative(html_body(content, link, chart_png is not None), subtype="html")
    if chart_png is not None:
        message.get_payload()[1].add_related(
            chart_png, "image", "png", cid=f"<{CHART_CID}>", filename=_file_stem("chart") + ".png"
        )
    csv_name = f"{_file_stem(content.table_name)}-{content.as_of.isoformat()}.csv"
    message.add_attachment(
        export.csv_bytes(content.table), maintype="text", subtype="csv", filename=csv_name
    )
    return Digest(
        subscription,
        period,
        content.recipient,
        subject,
        message,
        content.table.height,
        len(chart_png or b""),
    )


def _file_stem(name: str) -> str:
    """An attachment's name (its query's, or the chart's) in the run's language, in the
    characters any mail client keeps in a file name."""
    stems = {
        "chart": pgettext("file name", "chart"),
        "portfolio": pgettext("file name", "portfolio"),
        "packages": pgettext("file name", "packages"),
        "proof_of_delivery": pgettext("file name", "proof_of_delivery"),
        "support_requests": pgettext("file name", "support_requests"),
        "enrollments": pgettext("file name", "enrollments"),
        "named_contacts": pgettext("file name", "named_contacts"),
        "assessments": pgettext("file name", "assessments"),
        "credit_deliveries": pgettext("file name", "credit_deliveries"),
        "additional_cases": pgettext("file name", "additional_cases"),
        "enterprise_consumption": pgettext("file name", "enterprise_consumption"),
        "renewal_forecast": pgettext("file name", "renewal_forecast"),
        "alerts": pgettext("file name", "alerts"),
    }
    return stems.get(name, name)


def _png(chart: object | None, png: Callable[[object], bytes] | None) -> bytes | None:
    if chart is None:
        return None
    if png is None:
        from dashboard.app.meeting_pack import chart_png as png
    return png(chart)


def view_link(base_url: str, page: str, query: str) -> str:
    """The address of the view: the app's, the page's path, the view's query string."""
    return f"{base_url.rstrip('/')}/{page}" + (f"?{query}" if query else "")


def plain_text(content: Content, link: str) -> str:
    headline = _("{title} — {scope}, data as of {day}").format(
        title=content.title, scope=content.scope, day=day(content.as_of)
    )
    lines = [headline, ""]
    lines += [f"{label}: {value}" for label, value in content.figures]
    lines += ["", _("Alerts: {n}").format(n=number(content.alerts.height))]
    several = content.alerts.get_column("customer_id").n_unique() > 1
    for alert in content.alerts.head(ALERT_ROWS).iter_rows(named=True):
        severity = _severity(alert["severity"]).lower()  # "high", as a list item reads it
        lines.append(f"- {severity}: {_alert_about(alert, several)} — {alert_figure(alert)}")
    lines += [_("Note: {note}").format(note=n) for n in content.notices]
    lines += [
        "",
        _attached(content.table.height),
        "",
        _("Open the view: {link}").format(link=link),
    ]
    return "\n".join(lines) + "\n"


def _attached(rows: int) -> str:
    return ngettext(
        "The table is attached as CSV ({n} row).", "The table is attached as CSV ({n} rows).", rows
    ).format(n=number(rows))


def html_body(content: Content, link: str, with_chart: bool) -> str:
    """The digest as HTML: every value escaped, styles inline (mail clients drop <style>)."""
    e = _escaped
    parts = [
        '<!DOCTYPE html><html><body style="font-family:Arial,Helvetica,sans-serif;'
        'color:#1c2530;max-width:680px">',
        f'<h2 style="margin-bottom:4px">{e(content.title)}</h2>',
        f'<p style="color:#52606d;margin-top:0">{e(_page_line(content))}</p>',
    ]
    parts += [f'<p style="color:#8a5300">{e(n)}</p>' for n in content.notices]
    parts.append(_figures_html(content.figures))
    if with_chart:
        described = _("{title} chart").format(title=content.title)
        parts.append(
            f'<p><img src="cid:{CHART_CID}" alt="{e(described)}" '
            'style="max-width:100%;height:auto"></p>'
        )
    parts.append(_alerts_html(content.alerts))
    if content.page not in ("start", "renewal", ALERTS_PAGE):
        parts.append(_table_html(content.table.head(TABLE_ROWS), content.table.height))
    back = _("Open the view in Customer Activity")
    parts.append(
        f"<p>{e(_attached(content.table.height))}</p>"
        f'<p><a href="{e(link)}">{e(back)}</a></p></body></html>'
    )
    return "\n".join(parts)


def _page_line(content: Content) -> str:
    """The line under the title: which page, whose data, of which day."""
    page = PAGE_TITLES.get(content.page)
    return _("{page} · {scope} · data as of {day}").format(
        page=_(page) if page else content.page, scope=content.scope, day=day(content.as_of)
    )


def _escaped(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _figures_html(figures: list[tuple[str, str]]) -> str:
    cells = "".join(
        '<td style="padding:8px 16px 8px 0;vertical-align:top">'
        f'<div style="color:#52606d;font-size:13px">{_escaped(label)}</div>'
        f'<div style="font-size:22px">{_escaped(value)}</div></td>'
        for label, value in figures
    )
    return f'<table role="presentation"><tr>{cells}</tr></table>'


def _alerts_html(alerts: pl.DataFrame) -> str:
    if alerts.is_empty():
        title, nothing = _("Alerts"), _("Nothing needs attention in this view.")
        return f"<h3>{_escaped(title)}</h3><p>{_escaped(nothing)}</p>"
    several = alerts.get_column("customer_id").n_unique() > 1
    rows = "".join(
        f"<tr>{_cell(_severity(a['severity']))}{_cell(_alert_about(a, several))}"
        f"{_cell(alert_figure(a))}</tr>"
        for a in alerts.head(ALERT_ROWS).iter_rows(named=True)
    )
    more = alerts.height - min(alerts.height, ALERT_ROWS)
    tail = f"<p>{_escaped(_more_alerts(more))}</p>" if more else ""
    head = "".join(_cell(h, "th") for h in (_("Severity"), _("About"), _("What triggered it")))
    title = _("Alerts ({n})").format(n=number(alerts.height))
    return (
        f"<h3>{_escaped(title)}</h3>"
        f'<table style="border-collapse:collapse;font-size:13px"><tr>{head}</tr>{rows}</table>'
        + tail
    )


def _more_alerts(more: int) -> str:
    return ngettext("{n} more alert in the app.", "{n} more alerts in the app.", more).format(
        n=number(more)
    )


def _alert_about(alert: dict, several: bool) -> str:
    """The alert's kind and what it is about; the customer only when the alerts are of several
    (an account manager's)."""
    keys = ("customer_name",) * several + ("contract_number", "package", "entitlement")
    named = [alert.get(k) for k in keys]
    return f"{kind_words(str(alert['alert_kind']))}: " + " · ".join(str(n) for n in named if n)


def _table_html(table: pl.DataFrame, total: int) -> str:
    """The table's first rows and first TABLE_COLUMNS columns but ids (a mail is narrow; the
    CSV holds every column)."""
    table = table.select([c for c in table.columns if not c.endswith("_id")][:TABLE_COLUMNS])
    table = export.named(table)  # codes in words, as the pages show them
    head = "".join(_cell(text, "th") for text in export.headers(table.columns).values())
    rows = "".join(
        "<tr>" + "".join(_cell(_shown(v)) for v in row) + "</tr>" for row in table.iter_rows()
    )
    shown = _table_caption(table.height, total)
    return (
        f'<h3>{_escaped(shown)}</h3><table style="border-collapse:collapse;font-size:12px">'
        f"<tr>{head}</tr>{rows}</table>"
    )


def _table_caption(shown: int, total: int) -> str:
    if total <= shown:
        return _("Rows, first columns (the CSV has them all)")
    return ngettext(
        "The first {shown} of {n} row, first columns (the CSV has them all)",
        "The first {shown} of {n} rows, first columns (the CSV has them all)",
        total,
    ).format(shown=number(shown), n=number(total))


def _cell(value: object, tag: str = "td") -> str:
    return (
        f'<{tag} style="border-bottom:1px solid #d9d9d9;padding:4px 8px;text-align:left;'
        f'vertical-align:top">{_escaped(value)}</{tag}>'
    )


def _shown(value: object) -> str:
    """A cell as the run's language writes it."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, float):
        return amount(value)
    if isinstance(value, int):
        return number(value)
    if isinstance(value, date):  # a time too: the day is what a mail's table needs
        return day(value)
    return str(value)


def send(server: MailServer, message: EmailMessage) -> None:
    """Hand `message` to the mail server; SendFailed in one line (no password) when it does not
    accept it."""
    try:
        _deliver(server, message)
    except (smtplib.SMTPException, OSError) as problem:
        said = str(problem)
        if server.password:  # a server's reply could echo what it was sent
            said = said.replace(server.password, "***")
        raise SendFailed(f"{server} did not accept the mail: {said}") from None


def _deliver(server: MailServer, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    if server.scheme == "smtps":
        client = smtplib.SMTP_SSL(server.host, server.port, timeout=SMTP_SECONDS, context=context)
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=SMTP_SECONDS)
    with client:
        client.ehlo()
        if server.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
        if server.user:
            client.login(server.user, server.password or "")
        client.send_message(message)


def made(
    dataset: Dataset, subscription: Subscription, period: str, mail: MailSettings
) -> Digest | None:
    """`subscription`'s digest for `period`, gathered and written in its owner's language; None
    when there is nothing to send them (see `gather`)."""
    with speaking(preferences.language(dataset.home, subscription.user_id) or DEFAULT):
        content = gather(dataset, subscription)
        return None if content is None else compose(content, subscription, period, mail)


@dataclass
class Outcome:
    sent: list[Digest] = field(default_factory=list)
    skipped: list[Subscription] = field(default_factory=list)
    failed: list[tuple[Subscription, str]] = field(default_factory=list)


def run(
    dataset: Dataset,
    now: datetime,
    mail: MailSettings,
    dry_run: bool = False,
    say: Callable[[str], None] = print,
) -> Outcome:
    """Send each subscription due at `now` one digest, and record it once the server accepted
    it; with `dry_run`, say what would be sent and send and record nothing."""
    outcome = Outcome()
    for subscription, period in subscriptions.due(dataset.home, now):
        digest = made(dataset, subscription, period, mail)
        if digest is None:
            outcome.skipped.append(subscription)
            continue
        # said to whoever runs the command, in English as the rest of its output
        rows = count(digest.table_rows, "{n} row", "{n} rows")
        sizes = f"{digest.size:,} bytes; chart {digest.chart_bytes:,} bytes; CSV {rows}"
        if dry_run:
            say(f"would send to {digest.recipient}: {digest.subject} ({sizes})")
            outcome.sent.append(digest)
            continue
        try:
            if mail.server is None:
                raise SendFailed(f"{SMTP_VAR} is not set")
            send(mail.server, digest.message)
        except SendFailed as failed:
            outcome.failed.append((subscription, str(failed)))
            continue
        subscriptions.record_sent(
            dataset.home, subscription.id, period, str(digest.message["Message-ID"])
        )
        say(f"sent to {digest.recipient}: {digest.subject} ({sizes})")
        outcome.sent.append(digest)
    return outcome
