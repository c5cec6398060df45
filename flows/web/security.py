"""What keeps the workspace safe to open: a strict Content-Security-Policy and other headers
on every answer, an access token whenever it listens beyond loopback, and a CSRF check on
the one form that writes (corrections).

CSRF: a random token in a SameSite=Strict cookie, repeated in each form (double submit);
a post is accepted only when both agree and the browser says it came from this site."""

from __future__ import annotations

import base64
import contextlib
import hmac
import ipaddress
import secrets

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The workspace's own pages: its script (htmx) and stylesheet, nothing from anywhere else.
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "frame-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")
CSRF_COOKIE = "csrf"
CSRF_FIELD = "csrf"
TOKEN_COOKIE = "token"


class SecurityHeaders:
    """Sets the page CSP (unless a route set its own, as the archived frame does) and
    headers that stop sniffing, framing by others and leaking the workspace's URLs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", PAGE_CSP)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "no-referrer")
                headers.setdefault("x-frame-options", "SAMEORIGIN")
                headers.setdefault("cross-origin-opener-policy", "same-origin")
                headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class TokenRequired:
    """Every request must carry the access token: HTTP Basic auth (any user name, the
    token as password), `Authorization: Bearer TOKEN`, or the cookie set after either."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if not self._allowed(request):
            response = Response("The workspace needs its access token.\n", status_code=401,
                                headers={"www-authenticate": 'Basic realm="steppewatch"'})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _allowed(self, request: Request) -> bool:
        given = [request.cookies.get(TOKEN_COOKIE, "")]
        kind, _, value = request.headers.get("authorization", "").partition(" ")
        if kind.lower() == "bearer":
            given.append(value.strip())
        elif kind.lower() == "basic":
            with contextlib.suppress(ValueError, UnicodeDecodeError):
                given.append(base64.b64decode(value).decode().partition(":")[2])
        return any(g and hmac.compare_digest(g.encode(), self.token.encode()) for g in given)


def csrf_token(request: Request) -> str:
    """The token to put in a form: the cookie's, or a new one the response must set."""
    current = request.cookies.get(CSRF_COOKIE, "")
    return current if len(current) == 43 else secrets.token_urlsafe(32)


def set_csrf_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure)


def csrf_ok(request: Request, form_token: str) -> bool:
    """The form's token equals the cookie's, and the browser did not say it came from
    another site (Sec-Fetch-Site, else Origin)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not form_token or not hmac.compare_digest(cookie, form_token):
        return False
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"
