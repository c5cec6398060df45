"""What a crawl hands on: article pages to extract, fetch errors to record, listed links."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ArticlePage:
    """An article URL fetched with a 2xx answer; its body is in the WARC record.

    `url` is the article's canonical URL (the page's own canonical link when it names
    an article of the source, else the fetched URL canonicalised); `requested_url` the
    URL the crawl asked for before redirects."""

    source_id: str
    url: str
    requested_url: str
    capture_id: str
    warc_file: str
    warc_offset: int
    http_status: int
    content_type: str
    revisit: bool = False


@dataclass
class FetchError:
    """A URL the crawl could not get (or did not keep), with a readable reason."""

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
    published_at: str | None = None
