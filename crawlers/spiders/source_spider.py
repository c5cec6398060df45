"""One spider for every outlet, parametrised by its sources.toml entry.

Discovery: feeds, sitemaps (indexes followed) and listing pages (with pagination).
Each article URL is canonicalised and skipped when it is already stored, so an
unchanged site costs only its feeds, sitemaps and listing pages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import feedparser
import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from crawlers.items import ArticlePage, DiscoveredLink, FetchError
from crawlers.sources import Source
from crawlers.urls import canonical_url

NEXT_PAGE_XPATH = (
    "//a[@rel='next' or contains(@class, 'next') or normalize-space(.)='»'"
    " or normalize-space(.)='›']/@href | //link[@rel='next']/@href"
)


class SourceSpider(scrapy.Spider):
    name = "source"

    def __init__(self, source: Source, seen_urls: frozenset[str], max_listing_pages: int = 3,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.seen_urls = seen_urls
        self.max_listing_pages = max_listing_pages
        self.allowed_domains = list(source.hosts)
        self.listed: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.feeds:
            yield self._request(url, self.parse_feed, "feed")
        for url in self.source.sitemaps:
            yield self._request(url, self.parse_sitemap, "sitemap")
        for url in self.source.listings:
            yield self._request(url, self.parse_listing, "listing", page=1)

    def _request(self, url: str, callback: Any, kind: str, **meta: Any) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error,
                              meta={"kind": kind, **meta})

    def _is_allowed(self, url: str) -> bool:
        return (urlsplit(url).hostname or "") in self.source.hosts

    def follow_articles(self, urls: Iterator[str], found_on: str) -> Iterator[Any]:
        """Article URLs seen on a discovery page: record each, fetch those not stored."""
        for raw in urls:
            url = canonical_url(raw)
            if not (self._is_allowed(url) and self.source.is_article_url(url)):
                continue
            if url in self.listed:
                continue
            self.listed.add(url)
            seen = url in self.seen_urls
            yield DiscoveredLink(self.source.id, url, found_on, seen)
            if seen:
                self.crawler.stats.inc_value("steppewatch/skipped_seen")
                continue
            yield self._request(url, self.parse_article, "article")

    def parse_feed(self, response: Response) -> Iterator[Any]:
        feed = feedparser.parse(response.body)
        if feed.bozo and not feed.entries:
            yield FetchError(self.source.id, response.url, "bad_feed",
                             f"feed could not be parsed: {feed.bozo_exception}", response.status)
            return
        links = (entry.get("link", "") for entry in feed.entries)
        yield from self.follow_articles(links, response.url)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        try:
            sitemap = Sitemap(response.body)
        except Exception as err:  # lxml raises several types on garbage
            yield FetchError(self.source.id, response.url, "bad_sitemap",
                             f"sitemap could not be parsed: {err}", response.status)
            return
        locs = [entry["loc"] for entry in sitemap if "loc" in entry]
        if sitemap.type == "sitemapindex":
            for loc in locs:
                if self._is_allowed(loc):
                    yield self._request(loc, self.parse_sitemap, "sitemap")
            return
        yield from self.follow_articles(iter(locs), response.url)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            yield FetchError(self.source.id, response.url, "not_html",
                             "listing page is not HTML", response.status)
            return
        hrefs = (response.urljoin(h) for h in response.xpath("//a/@href").getall())
        yield from self.follow_articles(hrefs, response.url)
        page = response.meta.get("page", 1)
        next_href = response.xpath(NEXT_PAGE_XPATH).get()
        if next_href and page < self.max_listing_pages:
            next_url = response.urljoin(next_href)
            if self._is_allowed(next_url):
                yield self._request(next_url, self.parse_listing, "listing", page=page + 1)

    def parse_article(self, response: Response) -> Iterator[Any]:
        capture = response.meta["capture"]
        yield ArticlePage(
            source_id=self.source.id,
            url=canonical_url(response.url),
            requested_url=response.meta.get("redirect_urls", [response.url])[0],
            capture_id=capture["capture_id"],
            warc_file=capture["warc_file"],
            warc_offset=capture["warc_offset"],
            http_status=response.status,
            content_type=capture["content_type"],
        )

    def on_error(self, failure: Failure) -> Iterator[FetchError]:
        request = failure.request
        if failure.check(HttpError):
            response = failure.value.response
            capture = response.meta.get("capture", {})
            yield FetchError(self.source.id, canonical_url(request.url), f"http_{response.status}",
                             f"HTTP {response.status} for {request.meta.get('kind')} page",
                             response.status, capture.get("capture_id"))
            return
        kind = type(failure.value).__name__
        message = str(failure.value) or kind
        yield FetchError(self.source.id, canonical_url(request.url), _error_kind(kind),
                         f"{kind}: {message}"[:500])


def _error_kind(exception_name: str) -> str:
    """A short, stable kind for an exception raised while fetching."""
    known = {
        "IgnoreRequest": "robots_or_filtered",
        "TimeoutError": "timeout",
        "TCPTimedOutError": "timeout",
        "DNSLookupError": "dns",
        "ConnectionRefusedError": "connection_refused",
        "ConnectionLost": "connection_lost",
        "ResponseNeverReceived": "no_response",
    }
    return known.get(exception_name, exception_name.lower())
