"""E-mailed digests (dashboard/digest.py, `python -m dashboard digest`) sent to a real SMTP
server on localhost (aiosmtpd), which receives each mail for the test to parse: the subject,
the hand-worked headline figures of the tiny fixture (tests/fixtures/tiny/ANSWERS.md), the
embedded chart, the CSV attachment and the link back; once per period, a failed send tried
again, permissions checked at send time, and a dry run that sends nothing."""

from __future__ import annotations

import argparse
import csv
import email
import io
import logging
import re
import socket
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from dashboard import digest, digest_cli
from dashboard.ingest.data_home import current_dataset
from dashboard.query import access_store, saved_views, subscriptions
from dashboard.query.dataset import Dataset

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
URL = "https://activity.example/app"


class Inbox:
    """An aiosmtpd handler keeping what it is sent; it refuses every message past `accept`."""

    def __init__(self):
        self.received: list[email.message.EmailMessage] = []
        self.accept: int | None = None
        self.offered = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.offered += 1
        if self.accept is not None and self.offered > self.accept:
            return "451 4.3.0 try again later"
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(parsed)
        return "250 OK"

    def take(self) -> list[email.message.EmailMessage]:
        taken, self.received = self.received, []
        return taken


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(monkeypatch):
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv(digest.SMTP_VAR, f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv(digest.FROM_VAR, "Customer Activity <digest@provider.example>")
    monkeypatch.setenv(digest.URL_VAR, URL)
    yield handler
    controller.stop()


def run(home: Path, now: str, *options: str) -> int:
    parser = argparse.ArgumentParser()
    digest_cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["digest", "--data", str(home), "--now", now, *options])
    return digest_cli.run(args)


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def csv_of(message) -> list[list[str]]:
    (attached,) = list(message.iter_attachments())
    assert attached.get_content_type() == "text/csv"
    return list(csv.reader(io.StringIO(attached.get_payload(decode=True).decode("utf-8-sig"))))


def png_of(message) -> bytes:
    (picture,) = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert picture["Content-ID"] == "<chart>"
    return picture.get_payload(decode=True)


def test_a_daily_digest_is_mailed_once_a_day(home, state_backend, inbox, capsys):
    view = saved_views.save(home, "u-cadmin", "Acme <b>overview</b> & co", "start", "status=active")
    held = subscriptions.subscribe(home, "u-cadmin", view.id, "daily")
    assert run(home, "2026-07-01T06:00:00") == 0
    (mail,) = inbox.take()
    assert mail["Subject"] == "Acme <b>overview</b> & co · Customer Activity digest · 2026-07-01"
    assert mail["To"] == "Cara Admin <cara@acme.example>"
    assert mail["Message-ID"] == f"<digest.{held.id}.2026-07-01@provider.example>"
    page = html_of(mail)
    # the view's name escaped, never markup
    assert "Acme &lt;b&gt;overview&lt;/b&gt; &amp; co" in page and "<b>overview" not in page
    # ANSWERS.md: K-A, K-B, K-NULL active; K-B (CN-200) ends first, in 77 days; 85.5 of 200
    # enterprise hours, 43%; P-A2 and P-B1 expire within 90 days; 11 alerts
    figures = dict(re.findall(r'13px">([^<]+)</div><div style="font-size:22px">([^<]+)<', page))
    assert figures == {
        "Active contracts": "3",
        "Soonest contract end": "77 days (CN-200)",
        "Enterprise hours used": "43%",
        "Packages expiring within 90 days": "2",
    }
    assert "Alerts (11)" in page and 'src="cid:chart"' in page
    assert f'href="{URL}/start?status=active"' in page
    assert png_of(mail).startswith(b"\x89PNG\r\n\x1a\n")
    rows = csv_of(mail)
    assert rows[0][:6] == ["category", "unit", "purchased", "used", "scheduled", "remaining"]
    # the seven categories of Enterprise-wide consumption
    assert sorted(r[0] for r in rows[1:]) == [
        "advisory", "assessments", "contacts", "credits", "education", "proactive", "reactive"
    ]  # fmt: skip
    assert "sent to cara@acme.example" in capsys.readouterr().out
    if state_backend == "sqlite":
        save_artifact(mail)

    assert run(home, "2026-07-01T21:00:00") == 0  # the same day: sent already
    assert inbox.take() == []
    assert run(home, "2026-07-02T06:00:00") == 0  # the next day: its own digest
    (next_day,) = inbox.take()
    assert next_day["Subject"].endswith("· 2026-07-02")


def save_artifact(mail) -> None:
    """The digest as a browser shows it (its chart beside it), to be looked at."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "digest.png").write_bytes(png_of(mail))
    page = html_of(mail).replace('src="cid:chart"', 'src="digest.png"')
    (ARTIFACTS / "digest.html").write_text(page, encoding="utf-8")


def assert_the_alerts_digest(mail, subject: str) -> None:
    """u-cadmin's digest of the Alerts page: its subject, recipient, figures (ANSWERS.md: 11
    alerts), CSV, link and chart."""
    assert mail["Subject"] == subject
    assert mail["To"] == "Cara Admin <cara@acme.example>"
    page = html_of(mail)
    figures = dict(re.findall(r'13px">([^<]+)</div><div style="font-size:22px">([^<]+)<', page))
    assert figures == {"High": "7", "Medium": "1", "Low": "3"}
    assert len(csv_of(mail)) == 1 + 11
    assert f'href="{URL}/alerts"' in page
    assert png_of(mail).startswith(b"\x89PNG")


def test_the_alerts_page_weekly_is_sent_once_a_week(home, state_backend, inbox):
    subscriptions.subscribe(home, "u-cadmin", None, "weekly")
    assert run(home, "2026-06-29T06:00:00") == 0  # Monday of ISO week 27
    (mail,) = inbox.take()
    assert_the_alerts_digest(mail, "Alerts · Customer Activity digest · 2026-W27")
    assert run(home, "2026-07-05T23:00:00") == 0  # Sunday: still week 27
    assert inbox.take() == []
    assert run(home, "2026-07-06T06:00:00") == 0
    assert [m["Subject"] for m in inbox.take()] == ["Alerts · Customer Activity digest · 2026-W28"]


def test_a_failed_send_is_tried_again_and_nothing_twice(home, state_backend, inbox, capsys):
    first = subscriptions.subscribe(home, "u-cadmin", None, "daily")
    second = subscriptions.subscribe(home, "u-wsadmin", None, "daily")
    inbox.accept = 1  # the server refuses the second message
    assert run(home, "2026-07-01T06:00:00") == 1
    assert [m["To"] for m in inbox.take()] == ["Cara Admin <cara@acme.example>"]
    said = capsys.readouterr().err
    assert f"failed: subscription {second.id} of u-wsadmin" in said and "451" in said
    assert subscriptions.sent(home, first.id) == ["2026-07-01"]
    assert subscriptions.sent(home, second.id) == []

    inbox.accept = None
    assert run(home, "2026-07-01T07:00:00") == 0
    (mail,) = inbox.take()
    assert mail["To"] == "Walt Wsadmin <walt@acme.example>"
    # ANSWERS.md: u-wsadmin (W1) has 6 alerts, 5 high and 1 low
    assert "Alerts (6)" in html_of(mail)
    assert subscriptions.sent(home, second.id) == ["2026-07-01"]


def test_permissions_are_checked_when_sent(home, state_backend, inbox, caplog):
    # u-act holds customer_activity in W1 and W2; W2 holds K-B (CN-200) and its packages
    view = saved_views.save(home, "u-act", "Both labs", "renewal", "ws=W1&ws=W2")
    held = subscriptions.subscribe(home, "u-act", view.id, "daily")
    before = digest.gather(Dataset(current_dataset(home)), held)
    assert set(before.table.get_column("contract_number")) == {"CN-100", "CN-200"}
    access_store.record(home, "u-cadmin", "u-act", "W2", "customer_activity", "revoke")
    assert run(home, "2026-07-01T06:00:00") == 0
    (mail,) = inbox.take()
    page = html_of(mail)
    assert "workspace “W2” is not one you can open" in page
    rows = csv_of(mail)
    number = rows[0].index("contract_number")
    assert {r[number] for r in rows[1:]} == {"CN-100"}  # K-A's entitlements only
    assert "CN-200" not in page and "CN-200" not in mail.get_body(("plain",)).get_content()
    # u-wsadmin's alerts (W1): 6
    assert "Alerts (6)" in page

    access_store.record(home, "u-cadmin", "u-act", "W1", "customer_activity", "revoke")
    with caplog.at_level(logging.WARNING, logger="customer_activity"):
        assert run(home, "2026-07-02T06:00:00") == 0
    assert inbox.take() == []
    assert "u-act not sent: Ada Activity can open the dashboard in no workspace" in caplog.text


def test_a_dry_run_sends_and_records_nothing(home, state_backend, inbox, capsys):
    view = saved_views.save(home, "u-cadmin", "Renewals", "renewal", "")
    held = subscriptions.subscribe(home, "u-cadmin", view.id, "monthly")
    assert run(home, "2026-07-01T06:00:00", "--dry-run") == 0
    said = capsys.readouterr().out
    assert "would send to cara@acme.example: Renewals · Customer Activity digest · 2026-07" in said
    assert "1 would be sent" in said
    assert inbox.offered == 0 and subscriptions.sent(home, held.id) == []
    assert run(home, "2026-07-01T06:00:00") == 0
    assert len(inbox.take()) == 1


def test_settings_from_the_secrets_file_and_no_password_shown(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[mail]\nsmtp = "smtps://mailer:s3cr%40t@mail.example:2465"\n'
        'mail_from = "digest@provider.example"\nurl = "https://activity.example"\n'
    )
    found = digest.settings(environ={}, secrets_files=[secrets])
    server = found.server
    assert (server.scheme, server.host, server.port) == ("smtps", "mail.example", 2465)
    assert (server.user, server.password) == ("mailer", "s3cr@t")
    assert "s3cr" not in str(server) and "s3cr" not in repr(server)
    # the environment wins over the file
    env = {digest.URL_VAR: "https://other.example"}
    assert digest.settings(environ=env, secrets_files=[secrets]).base_url == "https://other.example"
    with pytest.raises(digest.DigestMisconfigured, match="CUSTOMER_ACTIVITY_SMTP"):
        digest.settings(environ={}, secrets_files=[tmp_path / "none.toml"])
    with pytest.raises(digest.DigestMisconfigured, match="smtp://"):
        digest.parse_server("http://mail.example:25")
