"""Routes requests for real hosts to the loopback replay server (demo and tests).

With the REPLAY_ADDRESS setting (host:port on loopback), every http(s) request is
sent to that address with the real host in X-Replay-Host, and the response carries
the real URL again, so spiders, robots.txt, redirects and the WARC archive see the
real web. Without the setting this handler is plain Scrapy HTTP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class ReplayRoutingDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.replay_address: str | None = crawler.settings.get("REPLAY_ADDRESS")
        if self.replay_address and self.replay_address.split(":")[0] not in LOOPBACK_HOSTS:
            raise ValueError(f"REPLAY_ADDRESS {self.replay_address!r} must be on loopback")

    async def download_request(self, request: Request) -> Response:
        parts = urlsplit(request.url)
        if not self.replay_address or parts.hostname in LOOPBACK_HOSTS:
            return await super().download_request(request)
        target = f"http://{self.replay_address}{parts.path or '/'}"
        if parts.query:
            target += f"?{parts.query}"
        headers = request.headers.copy()
        headers["X-Replay-Host"] = parts.hostname or ""
        headers["X-Replay-Scheme"] = parts.scheme
        routed = request.replace(url=target, headers=headers)
        response = await super().download_request(routed)
        return response.replace(url=request.url)
