"""What a crawl hands on: article pages to extract, and fetch errors to record."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ArticlePage:
    """An article URL fetched with a 2xx answer; its body is in the WARC record."""

    source_id: str
    url: str
    requested_url: str
    capture_id: str
    warc_file: str
    warc_offset: int
    http_status: int
    content_type: str


@dataclass
class FetchError:
    """A URL the crawl could not get, with a readable reason."""

    source_id: str
    url: str
    kind: str
    message: str
    http_status: int | None = None
    capture_id: str | None = None


@dataclass
class DiscoveredLink:
    """An article URL listed by a feed, sitemap or listing page (for coverage gaps)."""

    source_id: str
    url: str
    found_on: str
    seen_before: bool
