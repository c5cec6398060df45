"""Canonical form of a URL, used for the seen-check and as an article's identity.

One article is often reachable under several URLs: with click-tracking parameters, a
fragment, on the mobile host (m.example.org), as an AMP page (/amp/, ?amp=1, .amp.html),
with or without a trailing slash. `canonical_url` removes what never selects different
content; `article_url` also picks, among the variants, the one the outlet's
article pattern accepts (the form its own feeds and sitemaps use).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url
from w3lib.url import url_query_cleaner

# Query parameters that only track a click or pick a rendering; they never select content.
TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "utm_name", "fbclid", "gclid", "dclid", "yclid", "msclkid", "mc_cid", "mc_eid", "igshid",
    "ref", "ref_src", "_ga", "_gl", "amp", "outputType",
)
# Host labels of mobile and AMP editions of a site.
MOBILE_LABELS = ("m.", "mobile.", "amp.", "mob.")
_AMP_SUFFIX = re.compile(r"/amp/?$")
_AMP_PREFIX = re.compile(r"^/amp(?=/)")
# Pangea (RFE/RL) AMP pages drop the /a/ of the article path: /amp/<slug>/<id>.html and
# /amp/<id>.html are /a/<slug>/<id>.html and /a/<id>.html (seen on azattyk.org).
_PANGEA_AMP = re.compile(r"^/amp/(?:a/)?((?:[\w%-]+/)?\d+\.html)$")
_AMP_HTML = re.compile(r"\.amp\.html$")
_SLASHES = re.compile(r"/{2,}")
# Dates in article URLs: /2026/11/27/, /20261127/, /2026-11-27-
_URL_DATE = re.compile(
    r"/(20\d\d|19\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?=[/_-]|\.html|$)")


def _desktop_host(host: str) -> str:
    host = host.rstrip(".")  # a fully qualified name ("24.kg.") is the same host
    for label in MOBILE_LABELS:
        if host.startswith(label) and host.count(".") >= 2:
            return host[len(label):]
    return host


def _desktop_path(path: str) -> str:
    path = _SLASHES.sub("/", path)
    path = _AMP_HTML.sub(".html", path)
    path = _AMP_SUFFIX.sub("/", path)
    pangea = _PANGEA_AMP.match(path)
    if pangea:
        return f"/a/{pangea[1]}"
    return _AMP_PREFIX.sub("", path) or "/"


def canonical_url(url: str) -> str:
    """Lower-cased host without mobile/AMP label, no fragment, no tracking parameters, no
    AMP path, sorted query, single slashes."""
    cleaned = url_query_cleaner(url, TRACKING_PARAMS, remove=True, keep_fragments=False)
    normalized = normalize_url(cleaned, strict=False)
    parts = urlsplit(normalized)
    host = _desktop_host(parts.netloc)
    return urlunsplit((parts.scheme, host, _desktop_path(parts.path or "/"), parts.query, ""))


def _variants(url: str, hosts: Iterable[str]) -> Iterable[str]:
    parts = urlsplit(url)
    netlocs = [parts.netloc]
    netlocs += [h for h in hosts if h in (f"www.{parts.netloc}", parts.netloc.removeprefix("www."))
                and h != parts.netloc]
    paths = [parts.path]
    paths.append(parts.path[:-1] if parts.path.endswith("/") and parts.path != "/"
                 else parts.path + "/")
    for scheme in (parts.scheme, "https" if parts.scheme == "http" else "http"):
        for netloc in netlocs:
            for path in paths:
                yield urlunsplit((scheme, netloc, path, parts.query, ""))


def article_url(url: str, hosts: Iterable[str], is_article: Callable[[str], bool]) -> str | None:
    """The canonical URL of an article link in the form the outlet's pattern accepts (www or
    not, trailing slash or not, http or https), or None when no variant is an article."""
    canonical = canonical_url(url)
    host_list = tuple(hosts)
    for variant in _variants(canonical, host_list):
        if (urlsplit(variant).hostname or "") in host_list and is_article(variant):
            return variant
    return None


def url_date(url: str) -> datetime | None:
    """The publication day written in an article URL (/2026/11/27/, /20261127/), if any."""
    found = _URL_DATE.search(urlsplit(url).path)
    if not found:
        return None
    try:
        return datetime(int(found[1]), int(found[2]), int(found[3]), tzinfo=UTC)
    except ValueError:
        return None
