"""The digest's mail over TLS (dashboard/digest.py `send`): a real aiosmtpd server on localhost
with a certificate from a throwaway CA (trustme), STARTTLS and a login, TLS from the start, an
untrusted server refused, and `smtp+plain://` keeping to plain text.

The client trusts the test CA through SSL_CERT_FILE, which ssl.create_default_context() reads
through OpenSSL's default paths: verification stays on, and digest.py needs no setting for it."""

from __future__ import annotations

import ssl
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from dashboard import digest
from dashboard.query import state_store, subscriptions
from tests.test_digest import URL, Inbox, assert_the_alerts_digest, free_port, run

USER = "mailer"
PASSWORD = "s3cr3t@pa55:word"  # URL-quoted in the setting, as its @ and : must be
TLS_VERSIONS = ("TLSv1.2", "TLSv1.3")
ALERTS_DIGEST = "Alerts · Customer Activity digest · 2026-07-01"


class TlsInbox(Inbox):
    """An Inbox that notes, for each message it is offered, the TLS version its connection used
    (None: plain text) and who logged in (None: nobody)."""

    def __init__(self):
        super().__init__()
        self.seen: list[tuple[str | None, str | None]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        tls = server.transport.get_extra_info("ssl_object")  # set after STARTTLS as with smtps
        login = session.auth_data.login.decode() if session.authenticated else None
        self.seen.append((tls.version() if tls else None, login))
        return await super().handle_DATA(server, session, envelope)


def one_login(server, session, envelope, mechanism, data) -> AuthResult:
    """aiosmtpd's authenticator: USER with PASSWORD, nobody else."""
    ok = isinstance(data, LoginPassword) and data == (USER.encode(), PASSWORD.encode())
    # handled=False: aiosmtpd itself answers a refusal (535); else it answers nothing at all
    return AuthResult(success=ok, handled=False, auth_data=data if ok else None)


def server_context(ca: trustme.CA, *names: str) -> ssl.SSLContext:
    """A server's TLS context with a certificate `ca` signed for `names` (localhost by default)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*(names or ("localhost", "127.0.0.1"))).configure_cert(context)
    return context


def bundle(folder: Path, *cas: trustme.CA) -> str:
    """A new CA bundle file in `folder` holding the certificates of `cas`."""
    path = folder / f"ca-{len(list(folder.glob('ca-*.pem')))}.pem"
    path.write_bytes(b"".join(ca.cert_pem.bytes() for ca in cas))
    return str(path)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def trusted(ca, tmp_path, monkeypatch):
    """The client trusts the test CA, the way an operator would point it at a private one."""
    monkeypatch.setenv("SSL_CERT_FILE", bundle(tmp_path, ca))


@pytest.fixture
def sqlite_state(monkeypatch):
    """The app's state in the data home: these tests are about the mail, not where state lives
    (tests/test_digest.py runs the digest against both)."""
    monkeypatch.delenv(state_store.ENV_VAR, raising=False)
    yield
    state_store.close_pools()


@pytest.fixture
def start_server(monkeypatch):
    """Start an aiosmtpd server on a free port and point the digest's settings at it (`scheme`,
    with USER and PASSWORD when `login`); each is stopped when the test ends."""
    controllers: list[Controller] = []

    def start(scheme, context, *, login=False, implicit_tls=False, **options) -> TlsInbox:
        handler = TlsInbox()
        port = free_port()
        if context is not None:
            options["ssl_context" if implicit_tls else "tls_context"] = context
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        credentials = f"{USER}:{quote(PASSWORD, safe='')}@" if login else ""
        monkeypatch.setenv(digest.SMTP_VAR, f"{scheme}://{credentials}127.0.0.1:{port}")
        monkeypatch.setenv(digest.FROM_VAR, "Customer Activity <digest@provider.example>")
        monkeypatch.setenv(digest.URL_VAR, URL)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def starttls_with_login(context: ssl.SSLContext) -> dict:
    """aiosmtpd's options for a server that takes nothing before STARTTLS, and no login
    but USER's, and that only over TLS."""
    return dict(
        tls_context=context,
        require_starttls=True,
        auth_require_tls=True,
        authenticator=one_login,
    )


def a_message() -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"] = "digest@provider.example", "cara@acme.example"
    message["Subject"] = "a test"
    message.set_content("hello")
    return message


def test_starttls_is_required_and_the_login_made_over_it(
    home, sqlite_state, ca, trusted, start_server
):
    context = server_context(ca)
    options = starttls_with_login(context)
    inbox = start_server("smtp", None, login=True, **options)
    held = subscriptions.subscribe(home, "u-cadmin", None, "daily")
    assert run(home, "2026-07-01T06:00:00") == 0
    (mail,) = inbox.take()
    assert_the_alerts_digest(mail, ALERTS_DIGEST)
    assert mail["Message-ID"] == f"<digest.{held.id}.2026-07-01@provider.example>"
    ((tls, login),) = inbox.seen
    assert tls in TLS_VERSIONS and login == USER
    assert subscriptions.sent(home, held.id) == ["2026-07-01"]


def test_a_wrong_password_is_refused_without_showing_it(ca, trusted, start_server):
    start_server("smtp", None, **starttls_with_login(server_context(ca)))
    server = digest.settings(secrets_files=[]).server
    wrong = digest.MailServer(server.scheme, server.host, server.port, USER, "not-the-word")
    with pytest.raises(digest.SendFailed) as failed:
        digest.send(wrong, a_message())
    said = str(failed.value)
    assert "535" in said and "not-the-word" not in said and "\n" not in said


def test_smtps_speaks_tls_from_the_start(home, sqlite_state, ca, trusted, start_server):
    inbox = start_server("smtps", server_context(ca), implicit_tls=True)
    held = subscriptions.subscribe(home, "u-cadmin", None, "daily")
    assert run(home, "2026-07-01T06:00:00") == 0
    (mail,) = inbox.take()
    assert_the_alerts_digest(mail, ALERTS_DIGEST)
    ((tls, login),) = inbox.seen
    assert tls in TLS_VERSIONS and login is None
    assert subscriptions.sent(home, held.id) == ["2026-07-01"]


@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
def test_an_untrusted_server_is_refused_and_can_be_tried_again(
    home, sqlite_state, ca, trusted, start_server, scheme, tmp_path, monkeypatch, capsys
):
    stranger = trustme.CA()  # a CA the client was never told to trust
    context = server_context(stranger)
    if scheme == "smtps":
        # aiosmtpd counts only STARTTLS as TLS for AUTH; here the whole connection is TLS
        inbox = start_server(
            scheme,
            context,
            login=True,
            implicit_tls=True,
            authenticator=one_login,
            auth_require_tls=False,
        )
    else:
        inbox = start_server(scheme, None, login=True, **starttls_with_login(context))
    held = subscriptions.subscribe(home, "u-cadmin", None, "daily")
    assert run(home, "2026-07-01T06:00:00") == 1
    said = capsys.readouterr().err
    (line,) = [line for line in said.splitlines() if line.startswith("failed:")]
    assert f"failed: subscription {held.id} of u-cadmin: {scheme}://127.0.0.1:" in line
    assert "CERTIFICATE_VERIFY_FAILED" in line
    assert PASSWORD not in said and quote(PASSWORD, safe="") not in said and "s3cr3t" not in said
    assert "Traceback" not in said
    assert inbox.offered == 0 and subscriptions.sent(home, held.id) == []

    # the operator adds the server's CA: the next run sends what this one could not
    monkeypatch.setenv("SSL_CERT_FILE", bundle(tmp_path, ca, stranger))
    assert run(home, "2026-07-01T07:00:00") == 0
    (mail,) = inbox.take()
    assert_the_alerts_digest(mail, ALERTS_DIGEST)
    assert [login for _, login in inbox.seen] == [USER]
    assert subscriptions.sent(home, held.id) == ["2026-07-01"]


def test_a_certificate_for_another_name_is_refused(ca, trusted, start_server):
    # signed by the trusted CA, but for a host other than the one connected to
    inbox = start_server("smtps", server_context(ca, "mail.example"), implicit_tls=True)
    with pytest.raises(digest.SendFailed, match="CERTIFICATE_VERIFY_FAILED.*mismatch"):
        digest.send(digest.settings(secrets_files=[]).server, a_message())
    assert inbox.offered == 0


def test_smtp_plain_never_starts_tls_even_when_offered(
    home, sqlite_state, ca, trusted, start_server
):
    inbox = start_server("smtp+plain", server_context(ca))  # offers STARTTLS, needs it not
    held = subscriptions.subscribe(home, "u-cadmin", None, "daily")
    assert run(home, "2026-07-01T06:00:00") == 0
    (mail,) = inbox.take()
    assert_the_alerts_digest(mail, ALERTS_DIGEST)
    assert inbox.seen == [(None, None)]
    assert subscriptions.sent(home, held.id) == ["2026-07-01"]

    # the same server, as smtp://, is taken up on its offer
    plain = digest.settings(secrets_files=[]).server
    digest.send(digest.MailServer("smtp", plain.host, plain.port), a_message())
    assert inbox.seen[1][0] in TLS_VERSIONS
