"""The email channel against a real SMTP server on loopback (aiosmtpd), STARTTLS and SSL."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from flows.alerts.delivery import run_alerts
from flows.settings import load_settings
from tests.helpers import MALICIOUS_TITLE, Article, config_dir, free_port, load_articles
from warehouse.connection import open_warehouse

PASSWORD = "s3cret-smtp-passw0rd"


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_RCPT(self, server: object, session: object, envelope: object,  # noqa: N802
                          address: str, rcpt_options: list[str]) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 Message accepted"

    def authenticate(self, server: object, session: object, envelope: object, mechanism: str,
                     auth_data: object) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.logins.append((auth_data.login, auth_data.password))
        ok = auth_data.login == b"alerts" and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok)


@pytest.fixture(params=["starttls", "ssl"])
def smtp_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple]:
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), free_port()
    # aiosmtpd counts only STARTTLS as TLS for AUTH; with implicit TLS the whole session is.
    tls = ({"tls_context": context, "require_starttls": True, "auth_require_tls": True}
           if request.param == "starttls" else {"ssl_context": context, "auth_require_tls": False})
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            authenticator=inbox.authenticate, **tls)
    controller.start()
    yield request.param, port, cert, inbox
    controller.stop()


def test_email_arrives_once_with_text_and_html_parts(
        smtp_server: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    security, port, cert, inbox = smtp_server
    monkeypatch.setenv("SW_TEST_SMTP_PASSWORD", PASSWORD)
    config = config_dir(tmp_path, rule_channels='["mail"]', channels=f"""
[alerts.channels.mail]
type = "email"
host = "127.0.0.1"
port = {port}
security = "{security}"
ca_file = "{cert}"
from = "steppewatch <alerts@example.org>"
to = ["desk@example.org", "editor@example.org"]
username = "alerts"
password_env = "SW_TEST_SMTP_PASSWORD"
""")
    data = tmp_path / "data"
    load_articles(data, "run1", [Article("e1", MALICIOUS_TITLE, "Жалоба на пытки в ИВС.",
                                         {"torture": ["пытки"]})])
    settings = load_settings(config, data)
    caplog.set_level(logging.DEBUG)
    with open_warehouse(data) as con:
        first = run_alerts(con, settings, "run1", data / "reports")
        again = run_alerts(con, settings, "run2", data / "reports")
        outbox = con.execute("select * from alert_outbox").fetchall()
        delivered = con.execute("select rule, channel, article_id from alert_deliveries").fetchall()

    assert [d.status for d in first[0].deliveries] == ["sent"]
    assert again[0].deliveries == []  # nothing new: no second email
    assert len(inbox.messages) == 1 and inbox.logins == [(b"alerts", PASSWORD.encode())]
    mail_from, rcpt, raw = inbox.messages[0]
    assert mail_from == "alerts@example.org"
    assert rcpt == ["desk@example.org", "editor@example.org"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Message-ID"] == f"<{first[0].deliveries[0].delivery_key}@example.org>"
    assert "rights: 1 new story" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "**пытки**" in text and "&lt;script&gt;" in text and "<script" not in text
    assert "<mark>пытки</mark>" in html and "&lt;script&gt;" in html and "<script" not in html
    assert delivered == [("rights", "mail", "e1")]
    stored = " ".join(str(v) for row in outbox for v in row)
    assert PASSWORD not in stored and PASSWORD not in caplog.text
    assert all(PASSWORD not in p.read_text() for p in (data / "reports").rglob("*") if p.is_file())


def test_refused_message_leaves_the_story_pending(
        smtp_server: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    security, port, cert, inbox = smtp_server
    monkeypatch.setenv("SW_TEST_SMTP_PASSWORD", PASSWORD)
    config = config_dir(tmp_path, rule_channels='["mail"]', channels=f"""
[alerts.channels.mail]
type = "email"
host = "127.0.0.1"
port = {port}
security = "{security}"
ca_file = "{cert}"
from = "alerts@example.org"
to = ["nobody@example.org"]
username = "alerts"
password_env = "SW_TEST_SMTP_PASSWORD"
""")
    data = tmp_path / "data"
    load_articles(data, "run1", [Article("e1", "Пытки", "Жалоба на пытки.",
                                         {"torture": ["пытки"]})])
    settings = load_settings(config, data)
    with open_warehouse(data) as con:
        result = run_alerts(con, settings, "run1", data / "reports")
        status, error = con.execute("select status, last_error from alert_outbox").fetchone()
    assert result[0].deliveries[0].status == "pending" == status
    assert "recipients refused: nobody@example.org" in error and PASSWORD not in error
    assert inbox.messages == []
    monkeypatch.delenv("SW_TEST_SMTP_PASSWORD")
    with open_warehouse(data) as con:
        retry = run_alerts(con, settings, "run2", data / "reports")
        status, error = con.execute("select status, last_error from alert_outbox").fetchone()
    assert retry[0].deliveries[0].status == "pending" == status
    assert "environment variable SW_TEST_SMTP_PASSWORD is not set" in error
