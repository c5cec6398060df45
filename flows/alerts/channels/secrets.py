"""Secrets and their redaction: the one mechanism every channel and the outbox use.

A channel's secrets are the values its `*_env` options name and its `username`. A server's
error answer may echo a secret whole, in part, percent-encoded or decoded, or in base64 (an
HTTP Basic or SMTP AUTH header), so each secret is masked with all its fragments and their
encodings. docs/ALERTS.md states the rule for fragments.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urlsplit

from flows.settings import AlertChannel

MASK = "***"
MIN_FRAGMENT = 6  # a shorter piece of a secret is no secret on its own ("api", "bot", "v1")
# Path words of well-known webhook and bot APIs: they name the endpoint, not the sender.
PUBLIC_WORDS = frozenset({"hooks", "webhook", "webhooks", "services", "sendmessage", "incoming",
                          "triggers", "workflows", "invoke", "manual", "messages", "default"})


def fragments(value: str) -> set[str]:
    """The value and each part of it that is secret on its own: in a URL everything but the
    scheme and host (userinfo, path segments, query values, fragment); else the parts
    between colons (a Telegram token's bot id and key)."""
    url = urlsplit(value)
    if url.scheme and url.netloc:
        user, password = url.username or "", url.password or ""
        parts = {user, password, f"{unquote(user)}:{unquote(password)}", url.fragment,
                 *url.path.split("/"), *(p.rpartition("=")[2] for p in re.split("[&;]", url.query))}
    else:
        parts = set(value.split(":"))
    return {value} | {p for p in parts if len(p) >= MIN_FRAGMENT
                      and p.lower() not in PUBLIC_WORDS}


def encodings(text: str) -> set[str]:
    """The text as it may be echoed: as is, percent-encoded or decoded, in base64."""
    forms = {text, unquote(text), unquote_plus(text), quote(text), quote(text, safe=""),
             quote_plus(text)}
    return forms | {base64.b64encode(f.encode()).decode().rstrip("=") for f in forms}


class Secrets:
    """Secret values; redact() replaces each, its fragments and their encodings by ***."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        masked = {form for value in values if value for part in fragments(value)
                  for form in encodings(part)} - {""}
        longest_first = sorted(masked, key=len, reverse=True)
        self._pattern = (re.compile("|".join(map(re.escape, longest_first)), re.IGNORECASE)
                         if masked else None)

    @classmethod
    def of_channels(cls, channels: Iterable[AlertChannel]) -> Secrets:
        """The secrets of these channels, as the environment holds them now."""
        values: list[str] = []
        for channel in channels:
            found = {key.removesuffix("_env"): os.environ.get(str(var), "")
                     for key, var in channel.options.items() if key.endswith("_env")}
            user = found.get("username") or str(channel.options.get("username") or "")
            password = found.get("password", "")
            values += [*found.values(), user]
            if user and password:  # SMTP AUTH PLAIN sends base64 of NUL user NUL password
                values.append(f"\0{user}\0{password}")
        return cls(values)

    def redact(self, text: str) -> str:
        return self._pattern.sub(MASK, text) if self._pattern else text
