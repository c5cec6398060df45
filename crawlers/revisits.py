"""Revisits of stored articles: asked for conditionally, and what their answers mean.

The crawl plan lists the articles due for a check (warehouse/statements/crawl/revisit_due.sql)
with the ETag / Last-Modified of their newest archived copy. Two middlewares, registered by
`add_revisit_middlewares`, keep this out of the spider:

- `ConditionalRevisits` (downloader) sends If-None-Match / If-Modified-Since and lets a 304
  through to the spider; the WARC middleware archives it like any answer (the evidence).
- `RevisitOutcomes` (spider) drops what the spider made of a 304 (nothing changed); turns
  a revisit that ended, through redirects, on a page that is not an article of the source
  (the home page, a section) into a `redirected` error, instead of an "article" that is
  the home page; and a page whose title or main heading says "page not found" (or
  "removed"), answered 200, into a `not_found_page` error. flows/changes.py reads them
  from the archive's captures and the run's errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response, TextResponse
from scrapy.settings import Settings

from crawlers.items import ArticlePage, FetchError
from crawlers.urls import article_url, canonical_url

NOT_MODIFIED = 304
REVISIT = "revisit"
HEAD_BYTES = 65536
# What a "page not found" (or "removed") page says as its whole title or main heading, in
# the region's languages, once the site's name, digits and punctuation are set aside. Whole
# phrases only: a story headlined "Пропавший мальчик не найден" is a story.
NOT_FOUND = frozenset({
    "страница не найдена", "страница не существует", "страница удалена", "ошибка",
    "материал не найден", "материал удален", "материал удалён", "запись не найдена",
    "новость не найдена", "ничего не найдено", "page not found", "not found", "error",
    "page removed", "content not found", "бет табылмады", "бет табылган жок",
    "барак табылган жок", "барак табылган жок ката", "sahifa topilmadi", "сахифа топилмади",
    "саҳифа топилмади", "саҳифа ёфт нашуд", "sahypa tapylmady", "sahypa tapylmady ýalňyşlyk",
})
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>|<h1[^>]*>(.*?)</h1>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_SITE_SUFFIX = re.compile(r"\s+[–—|-]\s+.*$")


def add_revisit_middlewares(settings: Settings) -> None:
    """Register both middlewares beside the project's own (crawlers/settings.py)."""
    downloader = settings.getdict("DOWNLOADER_MIDDLEWARES")
    # Nearer the download than the archive (650), which thus records the request as sent.
    downloader["crawlers.revisits.ConditionalRevisits"] = 700
    settings.set("DOWNLOADER_MIDDLEWARES", downloader, priority="cmdline")
    spider = settings.getdict("SPIDER_MIDDLEWARES")
    spider["crawlers.revisits.RevisitOutcomes"] = 60  # after HttpErrorMiddleware (50)
    settings.set("SPIDER_MIDDLEWARES", spider, priority="cmdline")


def is_revisit(request: Request | None) -> bool:
    return request is not None and request.meta.get("kind") == REVISIT


class ConditionalRevisits:
    """Adds the stored validators to a revisit request; a 304 reaches the spider."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalRevisits:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not is_revisit(request) or request.meta.get("redirect_times"):
            return  # a redirect's next hop is not the page the validators belong to
        # A revisit redirected to a page this run already read (the home page, a section)
        # must still be fetched: its answer is the evidence. Redirects copy this flag.
        request.dont_filter = True
        plan = getattr(self.crawler.spider, "plan", None)
        known = (getattr(plan, "revisit_validators", None) or {}).get(request.url)
        if not known:
            return
        if known.get("etag"):
            request.headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            request.headers["If-Modified-Since"] = known["last_modified"]
        request.meta["handle_httpstatus_list"] = [NOT_MODIFIED]


class RevisitOutcomes:
    """Reads a revisit's answer: unchanged (304) or redirected off the article."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RevisitOutcomes:
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        if not is_revisit(response.request):
            yield from result
            return
        if response.status == NOT_MODIFIED:
            # Nothing changed: the archived 304 is the record; the check still counts.
            self.crawler.stats.inc_value("steppewatch/revisited")
            self.crawler.stats.inc_value("steppewatch/revisit_not_modified")
            return
        spider = self.crawler.spider
        away = _redirected_away(response, spider)
        error = (_redirected(response, spider, away) if away else
                 _not_found(response, spider) if _is_not_found_page(response) else None)
        if error is None:
            yield from result
            return
        yield error  # the check's one outcome, instead of the article the spider saw
        yield from (item for item in result if not isinstance(item, (ArticlePage, FetchError)))

    async def process_spider_output_async(self, response: Response, result: Any) -> Any:
        if is_revisit(response.request) and response.status == NOT_MODIFIED:
            for item in self.process_spider_output(response, ()):  # the callback never runs
                yield item
            return
        items = [item async for item in result]
        for item in self.process_spider_output(response, items):
            yield item

    def process_spider_exception(self, response: Response,
                                 exception: Exception) -> list[Any] | None:
        if is_revisit(response.request) and response.status == NOT_MODIFIED:
            return []  # an empty 304 body is nothing to parse
        return None


def says_not_found(body: bytes) -> bool:
    """Whether the page's title or first heading is a "page not found" phrase."""
    for match in _TITLE.finditer(body[:HEAD_BYTES]):
        raw = (match.group(1) or match.group(2)).decode("utf-8", "replace")
        text = _SITE_SUFFIX.sub("", _TAG.sub(" ", raw).strip())
        words = " ".join(re.sub(r"[^\w\s]|\d", " ", text.lower()).split())
        if words in NOT_FOUND:
            return True
    return False


def _redirected_away(response: Response, spider: Spider) -> str | None:
    """The URL a revisit was redirected to when that is not an article of the source."""
    if not response.meta.get("redirect_urls"):
        return None
    source = getattr(spider, "source", None)
    if source is None or article_url(response.url, source.hosts, source.is_article_url):
        return None
    return canonical_url(response.url)


def _is_not_found_page(response: Response) -> bool:
    return (response.status == 200 and isinstance(response, TextResponse)
            and says_not_found(response.body))


def _not_found(response: Response, spider: Spider) -> FetchError:
    asked = canonical_url(response.meta.get("redirect_urls", [response.url])[0])
    capture = response.meta.get("capture", {})
    return FetchError(spider.source.id, asked, "not_found_page",
                      "the article's address answers 200 with a page that says it was not "
                      "found", response.status, capture.get("capture_id"))


def _redirected(response: Response, spider: Spider, target: str) -> FetchError:
    asked = canonical_url(response.meta["redirect_urls"][0])
    capture = response.meta.get("capture", {})
    return FetchError(spider.source.id, asked, "redirected",
                      f"the article now redirects to {target}, not an article",
                      response.status, capture.get("capture_id"))
