"""A redirect to a host the source does not declare: the outlet may have moved there.

Scrapy's offsite filter drops such a redirect silently, so a moved outlet would look like
an empty one. This middleware sits between the archive and RedirectMiddleware: the 3xx is
archived, then the request fails with MovedHost, which the spider records as a `moved`
error naming the new host (docs/CRAWLING.md)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest


class MovedHost(IgnoreRequest):
    """A redirect to a host outside the source's allowed hosts."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.host = urlsplit(target).hostname or ""
        super().__init__(f"redirect to {target}, on {self.host}, not a host of the source")


def is_declared(host: str, hosts: list[str]) -> bool:
    """The host or one of its parents is allowed (the offsite filter's rule)."""
    return any(host == h or host.endswith("." + h) for h in hosts)


class MovedHostMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MovedHostMiddleware:
        return cls(crawler)

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        location = response.headers.get(b"Location")
        hosts = getattr(self.crawler.spider, "allowed_domains", None)
        if not (300 <= response.status < 400 and location) or not hosts:
            return response
        target = urljoin(response.url, location.decode("latin-1"))
        host = urlsplit(target).hostname or ""
        if host and not is_declared(host, list(hosts)):
            raise MovedHost(target)
        return response
