"""Item pipeline: each item type goes to its own JSON-lines file in the run's folder."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawlers.items import ArticlePage, DiscoveredLink, FetchError
from crawlers.staging import JsonlAppender, SourceStaging

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler


class JsonLinesPipeline:
    def __init__(self, out_dir: Path, crawler: Crawler) -> None:
        self.staging = SourceStaging.at(out_dir)
        self.crawler = crawler
        self.files: dict[type, JsonlAppender] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(Path(crawler.settings["STEPPEWATCH_OUT_DIR"]), crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        paths = {ArticlePage: self.staging.pages, FetchError: self.staging.errors,
                 DiscoveredLink: self.staging.links}
        self.files = {item_type: JsonlAppender(path) for item_type, path in paths.items()}

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        self.files[type(item)].write(dataclasses.asdict(item))
        return item

    def close_spider(self, spider: Spider | None = None) -> None:
        for appender in self.files.values():
            appender.close()
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        self.staging.crawl_stats.write_text(json.dumps(stats, default=str, indent=1))
