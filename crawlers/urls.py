"""Canonical form of a URL, used for the seen-check and as an article's identity."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url
from w3lib.url import url_query_cleaner

# Query parameters that only track a click; they never select different content.
TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "igshid", "ref", "_ga",
)


def canonical_url(url: str) -> str:
    """Lower-cased host, no fragment, no tracking parameters, sorted query."""
    cleaned = url_query_cleaner(url, TRACKING_PARAMS, remove=True, keep_fragments=False)
    normalized = normalize_url(cleaned, strict=False)
    parts = urlsplit(normalized)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
