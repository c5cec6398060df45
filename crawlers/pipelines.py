"""Item pipeline: each item type goes to its own JSON-lines file in the run's folder."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from crawlers.items import ArticlePage, DiscoveredLink, FetchError

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

FILES = {ArticlePage: "pages.jsonl", FetchError: "errors.jsonl", DiscoveredLink: "links.jsonl"}


class JsonLinesPipeline:
    def __init__(self, out_dir: Path, crawler: Crawler) -> None:
        self.out_dir = out_dir
        self.crawler = crawler
        self.files: dict[type, IO[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(Path(crawler.settings["STEPPEWATCH_OUT_DIR"]), crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for item_type, name in FILES.items():
            self.files[item_type] = (self.out_dir / name).open("a", encoding="utf-8")

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        fh = self.files[type(item)]
        fh.write(json.dumps(dataclasses.asdict(item), ensure_ascii=False) + "\n")
        fh.flush()
        return item

    def close_spider(self, spider: Spider | None = None) -> None:
        for fh in self.files.values():
            fh.close()
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        (self.out_dir / "stats.json").write_text(json.dumps(stats, default=str, indent=1))
