"""The crawl plan: what one run's crawl processes need to know beyond sources.toml.

The flow writes it (flows.crawl.prepare_crawl) next to the run's seen file, as
crawlers.staging.RunStaging.plan names it; each crawl process reads it, so crawling never
opens the warehouse.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CrawlPlan:
    """What one run's crawl processes need to know beyond sources.toml.

    `validators` maps a feed or sitemap URL to the ETag / Last-Modified of its last
    archived copy and that copy's WARC pointer (read back when the server answers 304).
    Politeness values of None keep the defaults of crawlers.settings."""

    since: str | None = None  # ISO date: a backfill back to this day
    revisit: tuple[str, ...] = ()
    # Article URL -> ETag / Last-Modified of its newest archived 200 (conditional revisits).
    revisit_validators: dict[str, dict[str, Any]] = field(default_factory=dict)
    validators: dict[str, dict[str, Any]] = field(default_factory=dict)
    max_listing_pages: int = 3
    backfill_max_pages: int = 500
    download_timeout: float | None = None
    retry_times: int | None = None
    retry_backoff: float | None = None
    retry_after_max: float | None = None
    crawl_delay_max: float | None = None
    max_page_bytes: int | None = None
    concurrent_per_host: int | None = None
    autothrottle: bool | None = None

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), "utf-8")

    @classmethod
    def read(cls, path: Path) -> CrawlPlan:
        raw = json.loads(path.read_text("utf-8"))
        raw["revisit"] = tuple(raw.get("revisit", ()))
        return cls(**raw)

    def scrapy_settings(self) -> dict[str, Any]:
        names = {"DOWNLOAD_TIMEOUT": self.download_timeout, "RETRY_TIMES": self.retry_times,
                 "RETRY_BACKOFF_BASE": self.retry_backoff,
                 "RETRY_AFTER_MAX": self.retry_after_max, "CRAWL_DELAY_MAX": self.crawl_delay_max,
                 "DOWNLOAD_MAXSIZE": self.max_page_bytes,
                 "CONCURRENT_REQUESTS_PER_DOMAIN": self.concurrent_per_host,
                 "AUTOTHROTTLE_ENABLED": self.autothrottle}
        return {name: value for name, value in names.items() if value is not None}
