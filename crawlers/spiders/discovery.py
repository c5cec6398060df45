"""Reading discovery pages: the article links of feeds, sitemaps and listing pages, each
with the publication or modification date the page gives, when it gives one.

Pure functions over bytes, so they are easy to test and cheap in the reactor.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

import feedparser
import lxml.etree

from crawlers.urls import article_url, canonical_url

# A page's own canonical link, looked for in its head only (cheaper than parsing it).
_CANONICAL = re.compile(
    rb"""<link\b[^>]*\brel=["']?canonical["']?[^>]*>""", re.I)
_HREF = re.compile(rb"""\bhref=["']([^"'\s>]+)""", re.I)
HEAD_BYTES = 65536


@dataclass(frozen=True)
class Listed:
    """A link found on a discovery page, with its date (lastmod, pubDate) if known."""

    url: str
    date: datetime | None = None


@dataclass(frozen=True)
class SitemapPage:
    is_index: bool
    entries: list[Listed]


class DiscoveryError(ValueError):
    """A feed or sitemap that cannot be read."""


def parse_date(text: str | None) -> datetime | None:
    """An ISO 8601 date or datetime (sitemaps), naive ones taken as UTC."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes) -> SitemapPage:
    """Entries of a sitemap or sitemap index; a news sitemap's publication_date wins over
    lastmod."""
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                                  huge_tree=False)
    try:
        root = lxml.etree.parse(BytesIO(body), parser).getroot()
    except lxml.etree.XMLSyntaxError as err:
        raise DiscoveryError(str(err)) from None
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        raise DiscoveryError("not a sitemap (no <urlset> or <sitemapindex> root)")
    entries = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        fields = {_local(el.tag): (el.text or "").strip() for el in node.iter()}
        if fields.get("loc"):
            date = parse_date(fields.get("publication_date")) or parse_date(fields.get("lastmod"))
            entries.append(Listed(fields["loc"], date))
    return SitemapPage(_local(root.tag) == "sitemapindex", entries)


def parse_feed(body: bytes) -> list[Listed]:
    """Entries of an RSS or Atom feed with their publication (else update) dates."""
    feed = feedparser.parse(body)
    if feed.bozo and not feed.entries:
        raise DiscoveryError(str(feed.bozo_exception))
    return [Listed(entry.get("link", ""), _entry_date(entry)) for entry in feed.entries
            if entry.get("link")]


def _entry_date(entry: dict) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def declared_canonical(body: bytes) -> str | None:
    """The href of the page's <link rel="canonical">, if its head has one."""
    for tag in _CANONICAL.finditer(body[:HEAD_BYTES]):
        href = _HREF.search(tag.group(0))
        if href:
            return href.group(1).decode("latin-1")
    return None


def article_identity(fetched_url: str, declared_url: str | None, hosts: Iterable[str],
                     is_article_url: Callable[[str], bool]) -> str:
    """The URL an article page is stored under: the page's own canonical link (made
    absolute) when it names an article of the source, so one article under several URLs
    is stored once; else the fetched URL, canonicalised."""
    if declared_url:
        named = article_url(declared_url, hosts, is_article_url)
        if named:
            return named
    fetched = canonical_url(fetched_url)
    return article_url(fetched, hosts, is_article_url) or fetched
