"""One spider for every outlet, parametrised by its sources.toml entry.

Discovery: feeds, sitemaps (indexes followed) and listing pages (with pagination),
feeds and sitemaps asked for with the validators of their last copy (a 304 re-reads
that copy from the archive). Each article URL is canonicalised and skipped when it is
already stored, so an unchanged site costs only its discovery pages; recent articles
are fetched again once by the revisit list of the crawl plan. With a `since` date the
crawl is a backfill: it walks sitemaps and pagination back to that date and skips what
is older.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.detection import is_article_page, looks_like_article, page_kind
from crawlers.items import ArticlePage, DiscoveredLink, FetchError
from crawlers.moves import MovedHost
from crawlers.plan import CrawlPlan
from crawlers.sources import Source
from crawlers.spiders.discovery import (
    DiscoveryError,
    Listed,
    article_identity,
    declared_canonical,
    parse_feed,
    parse_sitemap,
)
from crawlers.urls import article_url, canonical_url, url_date
from crawlers.warc import read_response

# Pagination of a listing page. "Next" links are tried first; a listing (often a calendar
# or a day archive) whose only pagination goes backwards is followed through its "previous"
# links. Either way a page already read in this listing is never asked for again, and a
# page that adds no article to the earlier ones ends the listing (_next_listing_page).
NEXT_PAGE_XPATH = (
    "//a[contains(concat(' ', normalize-space(@rel), ' '), ' next ')"
    " or contains(@class, 'next') or normalize-space(.)='»'"
    " or normalize-space(.)='›']/@href | //link[@rel='next']/@href"
)
PREVIOUS_PAGE_XPATH = (
    "//a[contains(concat(' ', normalize-space(@rel), ' '), ' prev ')"
    " or contains(concat(' ', normalize-space(@rel), ' '), ' previous ')"
    " or (contains(@class, 'prev') and not(contains(@class, 'preview')))"
    " or normalize-space(.)='«' or normalize-space(.)='‹'"
    " or starts-with(normalize-space(.), '« ') or starts-with(normalize-space(.), '‹ ')"
    " or starts-with(normalize-space(.), 'Предыдущ') or normalize-space(.)='Назад'"
    " or starts-with(normalize-space(.), 'Older') or starts-with(normalize-space(.), 'Previous')"
    "]/@href | //link[@rel='prev' or @rel='previous']/@href"
)
NOT_MODIFIED = 304
# Links that look like articles but fail the pattern: how many a run fetches to let their
# metadata decide (a changed URL scheme then still yields its articles on the first night).
MAX_PROBES = 5
PATTERN_MISS_SAMPLES = 3


class SourceSpider(scrapy.Spider):
    name = "source"

    def __init__(self, source: Source, seen_urls: frozenset[str],
                 plan: CrawlPlan | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.seen_urls = seen_urls
        self.plan = plan or CrawlPlan()
        self.since = (datetime.fromisoformat(self.plan.since).replace(tzinfo=UTC)
                      if self.plan.since else None)
        self.allowed_domains = list(source.hosts)
        self.listed: set[str] = set()  # article URLs met on discovery pages this run
        self.kept: dict[str, str] = {}  # article URL stored this run -> URL fetched for it
        self.probed: set[str] = set()  # pattern misses fetched for their metadata

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.feeds:
            yield self._discovery_request(url, self.parse_feed, "feed", entry=True)
        for url in self.source.sitemaps:
            yield self._discovery_request(url, self.parse_sitemap, "sitemap", entry=True)
        for url in self.source.listings:
            yield self._request(url, self.parse_listing, "listing", page=1, entry=True)
        for url in self.plan.revisit:
            yield self._request(url, self.parse_article, "revisit", revisit=True)

    # ------------------------------------------------------------------ requests

    def _request(self, url: str, callback: Any, kind: str, **meta: Any) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error,
                              meta={"kind": kind, **meta})

    def _discovery_request(self, url: str, callback: Any, kind: str,
                           entry: bool = False) -> scrapy.Request:
        """A feed or sitemap request, conditional when a copy of it is archived."""
        request = self._request(url, callback, kind, handle_httpstatus_list=[NOT_MODIFIED],
                                entry=entry)
        known = self.plan.validators.get(url)
        if known:
            if known.get("etag"):
                request.headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                request.headers["If-Modified-Since"] = known["last_modified"]
        return request

    def _is_allowed(self, url: str) -> bool:
        return (urlsplit(url).hostname or "") in self.source.hosts

    def _is_old(self, date: datetime | None) -> bool:
        return bool(self.since and date and date < self.since)

    def _body(self, response: Response) -> bytes | None:
        """The page's body; for a 304, the body of the copy the validators came from."""
        if response.status != NOT_MODIFIED:
            return response.body
        self.crawler.stats.inc_value("steppewatch/not_modified")
        known = self.plan.validators.get(response.request.url if response.request else "", {})
        if not known.get("warc_file"):
            return None
        data_dir = Path(self.settings["STEPPEWATCH_DATA_DIR"])
        return read_response(data_dir, known["warc_file"], known["warc_offset"]).body

    # ------------------------------------------------------------------ discovery

    def _entry_reached(self, response: Response) -> None:
        """A configured feed, sitemap or listing was read; when none is, the crawl fails
        (flows/crawl.py summarise_crawl, from the entries_failed count of on_error)."""
        if response.meta.get("entry"):
            self.crawler.stats.inc_value("steppewatch/entries_ok")

    def follow_articles(self, links: Iterable[Listed], found_on: str,
                        status: int = 200) -> Iterator[Any]:
        """Article links of a discovery page: record each, fetch those not stored; links
        that look like articles but fail the pattern are reported (and a few fetched)."""
        misses: list[str] = []
        for link in links:
            url = article_url(link.url, self.source.hosts, self.source.is_article_url)
            if url is None:
                miss = canonical_url(link.url)
                if looks_like_article(miss, self.source.hosts) and miss not in misses:
                    misses.append(miss)
                continue
            if url in self.listed:
                continue
            date = link.date or url_date(url)
            if self._is_old(date):
                self.crawler.stats.inc_value("steppewatch/skipped_old")
                continue
            self.listed.add(url)
            seen = url in self.seen_urls
            yield DiscoveredLink(self.source.id, url, found_on, seen,
                                 date.isoformat() if date else None)
            if seen:
                self.crawler.stats.inc_value("steppewatch/skipped_seen")
                continue
            yield self._request(url, self.parse_article, "article")
        if misses:
            yield from self._pattern_misses(misses, found_on, status)

    def _pattern_misses(self, misses: list[str], found_on: str, status: int) -> Iterator[Any]:
        """One row for the page, so a changed URL scheme shows in the health table the
        first night; the first few misses of the run are fetched and kept when their
        own metadata says they are articles."""
        self.crawler.stats.inc_value("steppewatch/pattern_misses", len(misses))
        samples = ", ".join(misses[:PATTERN_MISS_SAMPLES])
        yield FetchError(self.source.id, canonical_url(found_on), "pattern_miss",
                         f"{len(misses)} links look like articles but do not match "
                         f"article_pattern (e.g. {samples}); check the pattern in "
                         f"sources.toml", status)
        for url in misses:
            if len(self.probed) >= MAX_PROBES:
                return
            if url not in self.probed and url not in self.seen_urls:
                self.probed.add(url)
                yield self._request(url, self.parse_article, "article", probe=True)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        body = self._body(response)
        if body is None:
            return
        try:
            entries = parse_feed(body)
        except DiscoveryError as err:
            yield self._bad_page(response, "bad_feed", f"feed could not be parsed: {err}")
            return
        self._entry_reached(response)
        yield from self.follow_articles(entries, response.url, response.status)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        body = self._body(response)
        if body is None:
            return
        try:
            sitemap = parse_sitemap(body)
        except DiscoveryError as err:
            yield self._bad_page(response, "bad_sitemap", f"sitemap could not be parsed: {err}")
            return
        self._entry_reached(response)
        if not sitemap.is_index:
            yield from self.follow_articles(sitemap.entries, response.url, response.status)
            return
        for child in sitemap.entries:
            if self._is_allowed(child.url) and not self._is_old(child.date):
                yield self._discovery_request(child.url, self.parse_sitemap, "sitemap")

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            yield self._bad_page(response, "not_html", "listing page is not HTML")
            return
        self._entry_reached(response)
        hrefs = [response.urljoin(h) for h in response.xpath("//a/@href").getall()]
        links = [Listed(h) for h in hrefs]
        yield from self.follow_articles(links, response.url, response.status)
        yield from self._next_listing_page(response, links)

    def _next_listing_page(self, response: Response, links: list[Listed]) -> Iterator[Any]:
        """Follow pagination: a few pages a night, back to `since` in a backfill; stop on
        a page that adds no article to the earlier pages of its listing (an endless
        calendar or pagination trap, forwards or backwards).

        The next page is the first "next" link, else the first "previous" link, that
        leads to a page of the source not read yet in this listing and not to an article
        (the last page's "previous" link back to a page already read ends the listing, and
        two pages linking each other cannot make a loop)."""
        page = response.meta.get("page", 1)
        articles = {a for a in (article_url(link.url, self.source.hosts,
                                            self.source.is_article_url) for link in links) if a}
        earlier: frozenset[str] = response.meta.get("earlier", frozenset())
        read = response.meta.get("read", frozenset()) | {
            canonical_url(response.url),
            canonical_url(response.meta.get("redirect_urls", [response.url])[0])}
        new_links = len(articles - earlier)
        next_url = self._pagination_target(response, read)
        if not next_url:
            return
        dates = [d for d in (url_date(url) for url in articles) if d]
        if self.since and dates and max(dates) < self.since:
            return  # a backfill reached its date
        if page > 1 and new_links == 0:
            yield FetchError(self.source.id, canonical_url(response.url), "pagination_trap",
                             f"listing page {page} adds no article link; its next page "
                             f"{next_url} was not followed (endless calendar or pagination)",
                             response.status)
            return
        if page >= (self.plan.backfill_max_pages if self.since else self.plan.max_listing_pages):
            return
        yield self._request(next_url, self.parse_listing, "listing", page=page + 1,
                            earlier=earlier | articles, read=read | {next_url})

    def _pagination_target(self, response: Response, read: frozenset[str]) -> str | None:
        """The page a listing page's pagination leads to (see _next_listing_page)."""
        for xpath in (NEXT_PAGE_XPATH, PREVIOUS_PAGE_XPATH):
            for href in response.xpath(xpath).getall():
                url = canonical_url(response.urljoin(href.strip()))
                if (urlsplit(url).scheme in ("http", "https") and self._is_allowed(url)
                        and url not in read
                        and not article_url(url, self.source.hosts, self.source.is_article_url)):
                    return url
        return None

    # ------------------------------------------------------------------ articles

    def parse_article(self, response: Response) -> Iterator[Any]:
        capture = response.meta["capture"]
        requested = canonical_url(response.meta.get("redirect_urls", [response.url])[0])
        said = page_kind(response.body) if isinstance(response, TextResponse) else None
        if not is_article_page(not response.meta.get("probe"), said):
            yield FetchError(self.source.id, requested, "not_article",
                             f"the page says it is a {said}, not an article" if said else
                             "its URL fails article_pattern and its metadata does not say "
                             "it is an article", response.status, capture["capture_id"])
            return
        url = self._article_identity(response)
        revisit = bool(response.meta.get("revisit"))
        if url in self.kept or (url != requested and url in self.seen_urls and not revisit):
            first = self.kept.get(url, url)
            yield FetchError(self.source.id, requested, "duplicate",
                             f"{requested} is the same article as {first} (canonical URL "
                             f"{url}); stored once", response.status, capture["capture_id"])
            return
        self.kept[url] = requested
        if revisit:
            self.crawler.stats.inc_value("steppewatch/revisited")
        yield ArticlePage(
            source_id=self.source.id, url=url, requested_url=requested,
            capture_id=capture["capture_id"], warc_file=capture["warc_file"],
            warc_offset=capture["warc_offset"], http_status=response.status,
            content_type=capture["content_type"], revisit=revisit,
        )

    def _article_identity(self, response: Response) -> str:
        declared = declared_canonical(response.body) if isinstance(response, TextResponse) else None
        return article_identity(response.url, response.urljoin(declared) if declared else None,
                                self.source.hosts, self.source.is_article_url)

    # ------------------------------------------------------------------ errors

    def _bad_page(self, response: Response, kind: str, message: str) -> FetchError:
        capture = response.meta.get("capture", {})
        return FetchError(self.source.id, canonical_url(response.url), kind, message,
                          response.status, capture.get("capture_id"))

    def on_error(self, failure: Failure) -> Iterator[FetchError]:
        """One error row per URL the crawl asked for: the first URL of a redirect chain,
        the one a feed, sitemap or listing named."""
        request = failure.request
        page_kind = request.meta.get("kind", "page")
        asked = canonical_url(request.meta.get("redirect_urls", [request.url])[0])
        if request.meta.get("entry"):
            self.crawler.stats.inc_value("steppewatch/entries_failed")
        if failure.check(MovedHost):
            moved = failure.value
            yield FetchError(self.source.id, asked, "moved",
                             f"{page_kind} page {asked} redirects to {moved.target}, on "
                             f"{moved.host}, which is not one of the source's hosts: if the "
                             f"outlet moved there, add {moved.host} to allowed_hosts (and "
                             f"article_pattern) in sources.toml")
            return
        if failure.check(HttpError):
            response = failure.value.response
            capture = response.meta.get("capture", {})
            yield FetchError(self.source.id, asked, f"http_{response.status}",
                             f"HTTP {response.status} for {page_kind} page"
                             f"{_retry_note(response)}", response.status,
                             capture.get("capture_id"))
            return
        name = type(failure.value).__name__
        message = _real_urls(str(failure.value) or name, request.url)
        yield FetchError(self.source.id, asked,
                         error_kind(name, message, isinstance(failure.value, IgnoreRequest)),
                         f"{name} on {page_kind} page: {message}"[:500])


_LOOPBACK = re.compile(r"http://127\.0\.0\.1:\d+")
_REQUEST_REPR = re.compile(r" in request <[^>]*>")


def _real_urls(message: str, url: str) -> str:
    """An exception message as a reader wants it: the real host instead of the loopback
    replay address, without Scrapy's request repr."""
    parts = urlsplit(url)
    return _LOOPBACK.sub(f"{parts.scheme}://{parts.netloc}", _REQUEST_REPR.sub("", message))


def _retry_note(response: Response) -> str:
    retry_after = response.headers.get("Retry-After")
    return f" (Retry-After: {retry_after.decode('latin-1')})" if retry_after else ""


def error_kind(exception_name: str, message: str, ignored: bool = False) -> str:
    """A short, stable kind for an exception raised while fetching."""
    if ignored:
        lowered = message.lower()
        for phrase, kind in (("robots.txt", "robots_disallowed"),
                             ("redirect loop", "redirect_loop"),
                             ("max redirections", "redirect_limit"),
                             ("offsite", "offsite")):
            if phrase in lowered:
                return kind
        return "filtered"
    known = {
        "TimeoutError": "timeout",
        "DownloadTimeoutError": "timeout",
        "TCPTimedOutError": "timeout",
        "DownloadCancelledError": "too_large" if "max size" in message else "cancelled",
        "DNSLookupError": "dns",
        "CannotResolveHostError": "dns",
        "ConnectionRefusedError": "connection_refused",
        "DownloadConnectionRefusedError": "connection_refused",
        "ConnectionLost": "connection_lost",
        "ResponseNeverReceived": "no_response",
        "ResponseDataLossError": "data_loss",
    }
    return known.get(exception_name, exception_name.lower())
