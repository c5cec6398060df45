"""Downloader middlewares and an extension of the crawler.

- WarcArchiveMiddleware archives every response before anything else sees it.
- RedirectLoopMiddleware stops a redirect that returns to a URL of its own chain.
- PoliteRetryMiddleware retries 429/5xx and timeouts after a pause: the server's
  Retry-After when it sends one, else an exponential backoff.
- CrawlDelayExtension honours robots.txt Crawl-delay, which Scrapy itself ignores.
"""

from __future__ import annotations

import email.utils
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from protego import Protego
from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http.headers import Headers
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from crawlers.faults import crash_point
from crawlers.staging import JsonlAppender, SourceStaging
from crawlers.urls import canonical_url
from crawlers.warc import WarcArchive, capture_row

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response


def _header_pairs(headers: Headers) -> list[tuple[str, str]]:
    return [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, values in headers.items()
        for value in values
    ]


class WarcArchiveMiddleware:
    """Writes each raw response (3xx and errors too) as a WARC record and notes it.

    It sits above the redirect and decompression middlewares, so the archive holds
    the response as the server sent it. Each record is also listed in
    captures.jsonl, which the load step turns into rows of the captures table.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.data_dir = Path(settings["STEPPEWATCH_DATA_DIR"])
        self.archive = WarcArchive(Path(settings["STEPPEWATCH_WARC_PATH"]), self.data_dir)
        staging = SourceStaging.at(Path(settings["STEPPEWATCH_OUT_DIR"]))
        self.captures = JsonlAppender(staging.captures)
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        default_kind = "robots" if response.url.endswith("/robots.txt") else "page"
        kind = request.meta.get("kind", default_kind)
        pointer = self.archive.write(
            url=response.url,
            status=response.status,
            reason="",
            response_headers=_header_pairs(response.headers),
            body=response.body,
            request_headers=_header_pairs(request.headers),
            method=request.method,
            kind=kind,
        )
        crash_point("archived", kind)  # archived, not yet handed on
        capture = capture_row(
            self.crawler.spider.source.id, pointer, response.url, kind, response.status,
            {name.lower(): value for name, value in _header_pairs(response.headers)},
            response.body, datetime.now(UTC).isoformat())
        self.captures.write(capture)
        crash_point("captured", kind)  # listed in captures.jsonl, not yet in pages.jsonl
        self.stats.inc_value(f"steppewatch/fetched/{kind}")
        self.stats.inc_value("steppewatch/bytes", len(response.body))
        request.meta["capture"] = capture
        return response

    def close(self, spider: Spider | None = None) -> None:
        self.archive.close()
        self.captures.close()


log = logging.getLogger(__name__)


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL already on the request's redirect chain."""


class RedirectLoopMiddleware:
    """Sits just above RedirectMiddleware: a redirect loop is an error of its own, not a
    request silently dropped by the duplicate filter."""

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        location = response.headers.get(b"Location")
        if not (300 <= response.status < 400 and location):
            return response
        target = canonical_url(urljoin(response.url, location.decode("latin-1")))
        chain = [canonical_url(u) for u in [*request.meta.get("redirect_urls", []), request.url]]
        if target in chain:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}")
        return response


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


async def _pause(seconds: float) -> None:
    if seconds > 0:
        await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, but each retry waits: Retry-After when the server sends it (a wait
    longer than RETRY_AFTER_MAX gives up at once: the answer is recorded), else
    RETRY_BACKOFF_BASE * 2**attempt seconds. Only the retried request waits: AutoThrottle
    already slows the whole host down when its answers get slow."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    async def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is not None and wait > self.retry_after_max:
            log.warning("%s asks to retry after %.0f s (> %.0f s): giving up", request, wait,
                        self.retry_after_max)
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        pause = wait if wait is not None else self._backoff(request)
        self.crawler.stats.inc_value("steppewatch/retry_wait_seconds", pause)
        await _pause(pause)
        return retry

    async def process_exception(self, request: Any, exception: Exception,
                                spider: Any = None) -> Any:
        retry = super().process_exception(request, exception)
        if retry is not None:
            await _pause(self._backoff(request))
        return retry

    def _backoff(self, request: Any) -> float:
        return self.backoff_base * 2 ** request.meta.get("retry_times", 0)


class CrawlDelayExtension:
    """Reads Crawl-delay from each host's robots.txt and keeps the host's download slot at
    one request at a time, at least that many seconds apart (no jitter below it), after
    every AutoThrottle adjustment. Delays above CRAWL_DELAY_MAX are capped (and logged)
    so one site cannot stall the crawl."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.user_agent = crawler.settings.get("USER_AGENT", "")
        self.maximum = crawler.settings.getfloat("CRAWL_DELAY_MAX", 30.0)
        self.delays: dict[str, float] = {}
        # Connected after AutoThrottle (extensions load in order), so it runs after it.
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlDelayExtension:
        return cls(crawler)

    def response_downloaded(self, response: Any, request: Any, spider: Any = None) -> None:
        key = request.meta.get("download_slot")
        if key is None:
            return
        if urlsplit(response.url).path == "/robots.txt" and response.status == 200:
            self._read_robots(key, response.body)
        delay = self.delays.get(key)
        slot = self.crawler.engine.downloader.slots.get(key)
        if delay and slot is not None:
            slot.delay, slot.jitter, slot.concurrency = max(slot.delay, delay), 0.0, 1

    def _read_robots(self, key: str, body: bytes) -> None:
        try:
            delay = Protego.parse(body.decode("utf-8", errors="replace")).crawl_delay(
                self.user_agent)
        except Exception as err:  # noqa: BLE001 - a garbled robots.txt means no delay
            log.warning("robots.txt of %s could not be read for Crawl-delay: %s", key, err)
            return
        if delay:
            if delay > self.maximum:
                log.warning("%s asks for Crawl-delay %.0f s; using %.0f s", key, delay,
                            self.maximum)
            self.delays[key] = min(float(delay), self.maximum)
            self.crawler.stats.set_value(f"steppewatch/crawl_delay/{key}", self.delays[key])
