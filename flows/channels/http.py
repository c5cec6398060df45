"""JSON over HTTP POST (stdlib urllib), with failures sorted into refused and in doubt."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from typing import Any

from flows.channels.base import ChannelError


def post_json(url: str, body: dict[str, Any], headers: dict[str, str], timeout: float,
              what: str) -> bytes:
    """POST body; the answer's bytes on 2xx. `what` names the endpoint without its secret URL."""
    request = urllib.request.Request(
        url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8",
                 "User-Agent": "steppewatch-alerts", **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as error:  # the endpoint answered: it did not take it
        detail = error.read(300).decode("utf-8", "replace").strip()
        raise ChannelError(f"{what} answered HTTP {error.code}: {detail}") from None
    except urllib.error.URLError as error:
        refused = isinstance(error.reason, ConnectionRefusedError | socket.gaierror)
        raise ChannelError(f"{what} unreachable: {error.reason}", in_doubt=not refused) from None
    except (TimeoutError, ConnectionError) as error:  # the request may have arrived
        raise ChannelError(f"{what}: no answer ({error.__class__.__name__})",
                           in_doubt=True) from None
