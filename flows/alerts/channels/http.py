"""JSON over HTTP POST (stdlib urllib), with failures sorted into refused and in doubt."""

from __future__ import annotations

import base64
import http.client
import json
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import unquote, urlsplit

from flows.alerts.channels.base import ChannelError, clip
from flows.alerts.channels.secrets import Secrets


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirected POST would be repeated as a GET without its body: not a delivery."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, body: dict[str, Any], headers: dict[str, str], timeout: float,
              what: str, secrets: Secrets) -> bytes:
    """POST body; the answer's bytes on 2xx. `what` names the endpoint without its secret URL;
    every error text is redacted with `secrets` (then cut short, so no secret is cut in two).
    A user:password in the URL is sent as HTTP Basic authorization."""
    parts = urlsplit(url)
    if parts.username is not None:
        basic = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        headers = {**headers, "Authorization": "Basic "
                   + base64.b64encode(basic.encode()).decode()}
        url = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    request = urllib.request.Request(
        url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8",
                 "User-Agent": "steppewatch-alerts", **headers})
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as error:  # the endpoint answered: it did not take it
        detail = clip(secrets.redact(error.read(65536).decode("utf-8", "replace")), 300)
        raise ChannelError(f"{what} answered HTTP {error.code}: {detail}") from None
    except urllib.error.URLError as error:
        refused = isinstance(error.reason, ConnectionRefusedError | socket.gaierror)
        raise ChannelError(secrets.redact(f"{what} unreachable: {error.reason}"),
                           in_doubt=not refused) from None
    except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
        # the request may have arrived
        detail = clip(secrets.redact(f"{error.__class__.__name__}: {error}"), 300)
        raise ChannelError(f"{what}: no answer or a broken one ({detail})", in_doubt=True) from None
