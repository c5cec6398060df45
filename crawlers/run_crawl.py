"""Crawl one source in this process (Scrapy's reactor starts once per process).

The nightly flow runs it as a subprocess:

    python -m crawlers.run_crawl --sources config/sources.toml --source kloop \
        --data data --out data/runs/RUN/kloop --warc data/warc/RUN/kloop.warc.gz \
        --seen data/runs/RUN/seen.txt [--plan data/runs/RUN/crawl_plan.json] \
        [--replay 127.0.0.1:8765] [--user-agent UA]

It writes captures.jsonl, pages.jsonl, errors.jsonl, links.jsonl and stats.json
into --out, and the WARC file to --warc. It never opens the warehouse: what it needs
from there (URLs already stored, validators of feeds and sitemaps, articles to revisit,
the backfill date) comes in the seen file and the crawl plan.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawlers import settings as default_settings
from crawlers import telegram
from crawlers.plan import CrawlPlan
from crawlers.revisits import add_revisit_middlewares
from crawlers.sources import load_sources
from crawlers.spiders.source_spider import SourceSpider
from crawlers.spiders.telegram_spider import TelegramSpider
from crawlers.staging import SourceStaging


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--warc", type=Path, required=True)
    parser.add_argument("--seen", type=Path)
    parser.add_argument("--plan", type=Path, help="the run's crawl_plan.json")
    parser.add_argument("--replay", help="host:port of the loopback replay server")
    parser.add_argument("--user-agent", default="steppewatch/0.1")
    return parser.parse_args(argv)


def build_settings(args: argparse.Namespace, download_delay: float | None,
                   plan: CrawlPlan | None = None) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    if args.replay:
        settings.setdict(default_settings.REPLAY_OVERRIDES, priority="project")
        settings.set("REPLAY_ADDRESS", args.replay, priority="cmdline")
    elif download_delay is not None:
        settings.set("DOWNLOAD_DELAY", download_delay, priority="cmdline")
    settings.setdict((plan or CrawlPlan()).scrapy_settings(), priority="cmdline")
    settings.setdict({
        "USER_AGENT": args.user_agent,
        "STEPPEWATCH_DATA_DIR": str(args.data),
        "STEPPEWATCH_OUT_DIR": str(args.out),
        "STEPPEWATCH_WARC_PATH": str(args.warc),
        "LOG_FILE": str(SourceStaging.at(args.out).crawl_log),
        "LOG_LEVEL": "INFO",
    }, priority="cmdline")
    add_revisit_middlewares(settings)
    return settings


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    sources = {s.id: s for s in load_sources(args.sources)}
    if args.source not in sources:
        print(f"unknown source {args.source!r} in {args.sources}", file=sys.stderr)
        return 2
    source = sources[args.source]
    has_seen = args.seen is not None and args.seen.exists()
    seen = frozenset(args.seen.read_text().split()) if has_seen else frozenset()
    plan = CrawlPlan.read(args.plan) if args.plan and args.plan.exists() else CrawlPlan()
    args.out.mkdir(parents=True, exist_ok=True)
    process = CrawlerProcess(build_settings(args, source.download_delay, plan))
    spider = TelegramSpider if source.family == telegram.FAMILY else SourceSpider
    process.crawl(spider, source=source, seen_urls=seen, plan=plan)
    process.start()
    return 0


def exit_now(code: int) -> NoReturn:
    """Exit without the interpreter's teardown of Scrapy's and Twisted's modules (a seventh
    of a small source's crawl process's CPU). Nothing is lost: the staging files are
    appended a flushed line at a time and closed with the spider, the WARC file and
    stats.json too (a crawl killed anywhere loses nothing either); the log is flushed here."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
