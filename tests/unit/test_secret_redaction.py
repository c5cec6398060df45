"""Secrets never leak: endpoints that echo the request (path, query, headers, redirect target,
SMTP login) are driven through the real `steppewatch alerts` command, in process, and no
secret nor any part of one may show in alert_outbox, the log, the command's output or the
reports. Secrets and their fragments: flows/alerts/channels/secrets.py, docs/ALERTS.md."""

from __future__ import annotations

import base64
import html
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from typer.testing import CliRunner

from flows.alerts.channels.base import ChannelError
from flows.alerts.channels.secrets import Secrets
from flows.alerts.channels.webhook import WebhookChannel
from flows.cli import app
from tests.helpers import Article, config_dir, free_port, load_articles
from warehouse.connection import open_warehouse

HOOK_USER, HOOK_PASSWORD = "USECRETuser", "PSECRETpass42"
HOOK_PARTS = ["T0SECRET123", "B0SECRET456", "xyzSECRETtoken789", "QSECRETvalue"]
TOKEN = "7001234567:AAH-TGSECRETtoken_xyz42"
SMTP_USER, SMTP_PASSWORD = "USECRETsmtp.user", "PSECRETsmtp:pass/42"

HOOK = """
[alerts.channels.hook]
type = "webhook"
url_env = "SW_LEAK_HOOK_URL"
"""
TELEGRAM = """
[alerts.channels.tg]
type = "telegram"
chat_id = "-100200300"
token_env = "SW_LEAK_TG_TOKEN"
api_base = "{api}"
"""


def hook_url(base: str) -> str:
    scheme, _, host = base.partition("://")
    return (f"{scheme}://{HOOK_USER}:{HOOK_PASSWORD}@{host}/hooks/{HOOK_PARTS[0]}/{HOOK_PARTS[1]}/"
            f"{HOOK_PARTS[2]}?key={HOOK_PARTS[3]}")


def leaks(text: str, secrets: list[str]) -> list[str]:
    """Each secret, or a piece of one, in the text: whole, percent-encoded, in base64, cut
    short (its start up to SEC), or the marker SECRET that every test secret holds."""
    found = []
    lowered = text.lower()
    for secret in secrets:
        forms = {secret, quote(secret, safe=""),
                 base64.b64encode(secret.encode()).decode().rstrip("=")}
        if "SECRET" in secret:
            forms.add(secret[:secret.index("SECRET") + 3])
        found += [f"{secret}: {form!r}" for form in forms if form.lower() in lowered]
    return found + (["SECRET"] if "secret" in lowered else [])


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    outbox: list[dict]
    places: dict[str, str] = field(default_factory=dict)

    def assert_no_leak(self, secrets: list[str]) -> None:
        found = {place: leaks(text, secrets) for place, text in self.places.items()}
        assert {place: hits for place, hits in found.items() if hits} == {}


def run_alerts_command(tmp_path: Path, channels: str, names: str,
                       caplog: pytest.LogCaptureFixture) -> Run:
    """`steppewatch alerts` in process over one new story; every place a secret could land."""
    data = tmp_path / "data"
    load_articles(data, "run1", [Article("a1", "Задержание в Оше",
                                         "Сотрудники милиции задержали активиста.",
                                         {"police": ["милиции"]})])
    config = config_dir(tmp_path, channels, names)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.WARNING, logger="mail.log")  # the test SMTP server's own log
    result = CliRunner().invoke(app, ["--config", str(config), "--data", str(data), "alerts"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    with open_warehouse(data) as con:
        cursor = con.execute("select * from alert_outbox")
        names_ = [d[0] for d in cursor.description]
        outbox = [dict(zip(names_, row, strict=True)) for row in cursor.fetchall()]
    reports = "\n".join(p.read_text("utf-8", "replace")
                        for p in (data / "reports").rglob("*") if p.is_file())
    places = {"alert_outbox": "\n".join(str(v) for row in outbox for v in row.values()),
              "log": caplog.text, "stdout": result.stdout, "stderr": result.stderr,
              "reports": reports}
    return Run(result.exit_code, result.stdout, result.stderr, outbox, places)


@dataclass
class Endpoint:
    url: str
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)


@contextmanager
def endpoint(answer: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[Endpoint]:
    """A real HTTP server on loopback that records each request and answers with `answer`."""
    server_side = Endpoint("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            server_side.requests.append((self.command, self.path, dict(self.headers)))
            answer(self)

        do_GET = do_POST  # noqa: N815 - a followed redirect would arrive as a GET

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_side.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_side
    finally:
        server.shutdown()
        server.server_close()


def reply(handler: BaseHTTPRequestHandler, status: int, body: str,
          headers: dict[str, str] | None = None) -> None:
    data = body.encode("utf-8")
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def not_found_echoing_path(handler: BaseHTTPRequestHandler) -> None:
    """A 404 page that shows the path asked for: as sent, HTML-escaped, decoded, encoded."""
    path = handler.path
    reply(handler, 404, f"<h1>Not Found</h1><p>{html.escape(path)}</p> {path} "
                        f"{unquote(path)} {quote(path, safe='')}")


def error_echoing_headers(handler: BaseHTTPRequestHandler) -> None:
    headers = "\n".join(f"{k}: {v}" for k, v in sorted(handler.headers.items()))
    reply(handler, 500, f"Internal Server Error. Your request:\n{headers}\n{handler.requestline}")


def redirect_to_url_with_path(handler: BaseHTTPRequestHandler) -> None:
    host = handler.headers["Host"]
    if handler.path.startswith("/moved/"):
        return not_found_echoing_path(handler)
    target = f"http://{host}/moved{handler.path}"
    reply(handler, 302, f'Moved to <a href="{html.escape(target)}">{target}</a>',
          {"Location": target})
    return None


def broken_status_line(handler: BaseHTTPRequestHandler) -> None:
    handler.wfile.write(f"HTTP/1.1 OOPS {handler.path}\r\n\r\n".encode())
    handler.close_connection = True


def answer_cut_short(handler: BaseHTTPRequestHandler) -> None:
    handler.wfile.write(f"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"
                        f"received {handler.path}".encode())
    handler.close_connection = True


def no_answer(handler: BaseHTTPRequestHandler) -> None:
    handler.close_connection = True


HOOK_SECRETS = [HOOK_USER, HOOK_PASSWORD, *HOOK_PARTS, f"{HOOK_USER}:{HOOK_PASSWORD}"]


def test_webhook_404_echoing_path_and_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            caplog: pytest.LogCaptureFixture) -> None:
    with endpoint(not_found_echoing_path) as hook:
        monkeypatch.setenv("SW_LEAK_HOOK_URL", hook_url(hook.url))
        run = run_alerts_command(tmp_path, HOOK, '["hook"]', caplog)
    assert [path for _m, path, _h in hook.requests] == [
        "/hooks/T0SECRET123/B0SECRET456/xyzSECRETtoken789?key=QSECRETvalue"]
    assert run.exit_code == 2 and run.outbox[0]["status"] == "pending"
    error = run.outbox[0]["last_error"]
    assert error.startswith("webhook 'hook' answered HTTP 404: <h1>Not Found</h1>")
    assert "/hooks/***/***/***?key=***" in error  # what is not secret stays readable
    assert error in run.stdout and error in caplog.text
    run.assert_no_leak(HOOK_SECRETS)


def test_webhook_500_echoing_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     caplog: pytest.LogCaptureFixture) -> None:
    with endpoint(error_echoing_headers) as hook:
        monkeypatch.setenv("SW_LEAK_HOOK_URL", hook_url(hook.url))
        run = run_alerts_command(tmp_path, HOOK, '["hook"]', caplog)
    basic = base64.b64encode(f"{HOOK_USER}:{HOOK_PASSWORD}".encode()).decode()
    assert hook.requests[0][2]["Authorization"] == f"Basic {basic}"  # userinfo: Basic auth
    assert run.exit_code == 2 and run.outbox[0]["status"] == "pending"
    assert "HTTP 500" in run.outbox[0]["last_error"]
    assert "Authorization: Basic ***" in run.outbox[0]["last_error"]
    run.assert_no_leak(HOOK_SECRETS)


def test_webhook_redirect_to_a_url_holding_the_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    with endpoint(redirect_to_url_with_path) as hook:
        monkeypatch.setenv("SW_LEAK_HOOK_URL", hook_url(hook.url))
        run = run_alerts_command(tmp_path, HOOK, '["hook"]', caplog)
    assert [method for method, _p, _h in hook.requests] == ["POST"]  # a redirect is not followed
    assert run.exit_code == 2 and run.outbox[0]["status"] == "pending"
    assert "HTTP 302: Moved to" in run.outbox[0]["last_error"]
    run.assert_no_leak(HOOK_SECRETS)


@pytest.mark.parametrize("answer", [broken_status_line, answer_cut_short, no_answer])
def test_webhook_connection_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   caplog: pytest.LogCaptureFixture,
                                   answer: Callable[[BaseHTTPRequestHandler], None]) -> None:
    with endpoint(answer) as hook:
        monkeypatch.setenv("SW_LEAK_HOOK_URL", hook_url(hook.url))
        run = run_alerts_command(tmp_path, HOOK, '["hook"]', caplog)
    assert len(hook.requests) == 1
    assert run.exit_code == 2 and run.outbox[0]["status"] == "unconfirmed"  # it may have arrived
    assert "no answer or a broken one" in run.outbox[0]["last_error"]
    run.assert_no_leak(HOOK_SECRETS)


def test_telegram_404_echoing_the_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SW_LEAK_TG_TOKEN", TOKEN)
    with endpoint(not_found_echoing_path) as api:
        run = run_alerts_command(tmp_path, TELEGRAM.format(api=api.url), '["tg"]', caplog)
    assert [path for _m, path, _h in api.requests] == [f"/bot{TOKEN}/sendMessage"]
    assert run.exit_code == 2 and run.outbox[0]["status"] == "pending"
    assert "/bot***/sendMessage" in run.outbox[0]["last_error"]
    run.assert_no_leak([TOKEN, *TOKEN.split(":")])


def test_an_unredacted_channel_error_is_redacted_by_the_outbox(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """The outbox is the last line: a channel that forgot to redact still leaks nothing."""
    url = hook_url("http://127.0.0.1:9")
    head = f"webhook 'hook' failed for {url} ({quote(url, safe='')}): "
    raw = head + "x" * (1000 - len(head) - len("/hooks/T0SECR")) + url.partition(":9")[2]
    assert raw[:1000].endswith("/hooks/T0SECR")  # cut before redaction, a piece would stay

    def careless(self: WebhookChannel, *args: object) -> None:
        raise ChannelError(raw)

    monkeypatch.setenv("SW_LEAK_HOOK_URL", url)
    monkeypatch.setattr(WebhookChannel, "send_part", careless)
    run = run_alerts_command(tmp_path, HOOK, '["hook"]', caplog)
    assert run.exit_code == 2 and run.outbox[0]["status"] == "pending"
    error = run.outbox[0]["last_error"]
    assert error.startswith("webhook 'hook' failed for *** (***): xxx")
    assert error.endswith("x/hooks/***/***/***?key=***")  # redacted whole, then cut
    run.assert_no_leak(HOOK_SECRETS)


class RejectingInbox:
    """An SMTP server that refuses every login, echoing the user and password it got."""

    def __init__(self) -> None:
        self.logins: list[tuple[bytes, bytes]] = []

    def authenticate(self, server: object, session: object, envelope: object, mechanism: str,
                     auth_data: object) -> AuthResult:
        login, password = auth_data.login, auth_data.password  # type: ignore[attr-defined]
        self.logins.append((login, password))
        blob = base64.b64encode(b"\0" + login + b"\0" + password).decode()
        return AuthResult(success=False, handled=False,
                          message=f"535 5.7.8 {mechanism} login {login.decode()} with "
                                  f"{password.decode()} ({blob}) not accepted")


@pytest.mark.parametrize("username", ["username", "username_env"])
def test_email_login_rejected_echoing_the_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture,
                                               username: str) -> None:
    inbox, port = RejectingInbox(), free_port()
    controller = Controller(object(), hostname="127.0.0.1", port=port,
                            authenticator=inbox.authenticate, auth_require_tls=False)
    controller.start()
    monkeypatch.setenv("SW_LEAK_SMTP_USER", SMTP_USER)
    monkeypatch.setenv("SW_LEAK_SMTP_PASSWORD", SMTP_PASSWORD)
    user = 'username = "' + SMTP_USER + '"' if username == "username" else \
        'username_env = "SW_LEAK_SMTP_USER"'
    try:
        run = run_alerts_command(tmp_path, f"""
[alerts.channels.mail]
type = "email"
host = "127.0.0.1"
port = {port}
security = "none"
from = "alerts@example.org"
to = ["desk@example.org"]
{user}
password_env = "SW_LEAK_SMTP_PASSWORD"
""", '["mail"]', caplog)
    finally:
        controller.stop()
    assert inbox.logins and inbox.logins[-1] == (SMTP_USER.encode(), SMTP_PASSWORD.encode())
    assert run.exit_code == 2 and run.outbox[0]["status"] == "pending"
    error = run.outbox[0]["last_error"]
    assert error.startswith("email 'mail': cannot connect or log in: 535 5.7.8")
    assert "login *** with *** (***" in error
    run.assert_no_leak([SMTP_USER, SMTP_PASSWORD, f"\0{SMTP_USER}\0{SMTP_PASSWORD}"])


def test_fragments_are_secret_but_public_api_words_are_not() -> None:
    secrets = Secrets([hook_url("https://hooks.example.org"), TOKEN])
    text = ("POST https://hooks.example.org/hooks/T0SECRET123/B0SECRET456/xyzSECRETtoken789"
            "?key=QSECRETvalue -> /services/b0secret456 api bot sendMessage webhook "
            f"/bot{quote(TOKEN, safe='')}/sendMessage AAH-TGSECRETtoken_xyz42 "
            f"user {HOOK_USER} password {quote(HOOK_PASSWORD)}")
    assert secrets.redact(text) == (
        "POST https://hooks.example.org/hooks/***/***/***?key=*** -> /services/*** api bot "
        "sendMessage webhook /bot***/sendMessage *** user *** password ***")
    assert Secrets().redact(text) == text
