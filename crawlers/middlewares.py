"""Downloader middleware that archives every response before anything else sees it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.http.headers import Headers

from crawlers.warc import WarcArchive

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
        out_dir = Path(settings["STEPPEWATCH_OUT_DIR"])
        out_dir.mkdir(parents=True, exist_ok=True)
        self.captures = (out_dir / "captures.jsonl").open("a", encoding="utf-8")
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
        )
        capture: dict[str, Any] = {
            "capture_id": pointer.capture_id,
            "source_id": self.crawler.spider.source.id,
            "url": response.url,
            "kind": kind,
            "http_status": response.status,
            "content_type": response.headers.get("Content-Type", b"").decode("latin-1"),
            "content_sha1": hashlib.sha1(response.body).hexdigest(),
            "bytes": len(response.body),
            "warc_file": pointer.warc_file,
            "warc_offset": pointer.offset,
            "warc_length": pointer.length,
            "fetched_at": datetime.now(UTC).isoformat(),
        }
        self.captures.write(json.dumps(capture, ensure_ascii=False) + "\n")
        self.captures.flush()
        self.stats.inc_value(f"steppewatch/fetched/{kind}")
        self.stats.inc_value("steppewatch/bytes", len(response.body))
        request.meta["capture"] = capture
        return response

    def close(self, spider: Spider | None = None) -> None:
        self.archive.close()
        self.captures.close()
