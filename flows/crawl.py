"""The crawl stage: one source in its own Scrapy process, figures read from its output."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from crawlers.plan import CrawlPlan
from crawlers.sources import Source
from crawlers.staging import RunStaging, SourceStaging, count_lines, read_jsonl
from flows.processes import die_with_parent
from flows.settings import CrawlSettings
from warehouse.crawl_state import (
    RevisitSchedule,
    due_revisits,
    revisit_validators,
    seen_urls,
    set_run_since,
    url_validators,
)


class CrawlFailed(RuntimeError):
    """The crawl process of a source died or timed out; the message says which and why."""


@dataclass(frozen=True)
class CrawlResult:
    source_id: str
    pages_fetched: int
    article_pages: int
    skipped_seen: int
    errors: int
    bytes: int
    seconds: float
    not_modified: int = 0  # feeds and sitemaps answered 304
    revisited: int = 0  # stored articles fetched again by the revisit policy


@dataclass(frozen=True)
class CrawlOptions:
    """How a run crawls, from the [crawl] section of settings.toml plus the run's own
    `since` (backfill date) and `now` (a simulated clock for tests, else the real one)."""

    since: str | None = None
    now: datetime | None = None
    revisit_after_hours: int = 24
    revisit_times: int = 1
    revisit_window_days: int = 3
    plan: CrawlPlan = field(default_factory=CrawlPlan)
    revisit_schedule: RevisitSchedule = field(default_factory=RevisitSchedule)

    @property
    def started_at(self) -> datetime:
        return self.now or datetime.now(UTC)


class CrawlOptionsError(ValueError):
    """A [crawl] setting, --since date or STEPPEWATCH_NOW value that cannot be used."""


def parse_since(value: str | None) -> str | None:
    """`--since` as an ISO date string, or CrawlOptionsError naming the value."""
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise CrawlOptionsError(f"--since {value!r} is not a date; use YYYY-MM-DD") from None


def parse_now(value: str | None) -> datetime | None:
    """A simulated clock (ISO date-time, UTC when no offset is given), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CrawlOptionsError(
            f"STEPPEWATCH_NOW {value!r} is not an ISO date-time; use e.g. "
            "2026-11-30T02:00:00+00:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def crawl_options(crawl: CrawlSettings, since: str | None = None,
                  now: str | None = None) -> CrawlOptions:
    """Options of a run from settings.toml's [crawl] section (checked by load_settings)."""
    plan = CrawlPlan(
        since=parse_since(since),
        max_listing_pages=crawl.max_listing_pages,
        backfill_max_pages=crawl.backfill_max_pages,
        download_timeout=crawl.download_timeout_seconds,
        retry_times=crawl.retry_times,
        retry_backoff=crawl.retry_backoff_seconds,
        retry_after_max=crawl.retry_after_max_seconds,
        crawl_delay_max=crawl.crawl_delay_max_seconds,
        max_page_bytes=(int(crawl.max_page_mb * 1024 * 1024)
                        if crawl.max_page_mb is not None else None),
        concurrent_per_host=crawl.requests_per_host,
        autothrottle=crawl.autothrottle,
    )
    return CrawlOptions(
        since=plan.since, now=parse_now(now),
        revisit_after_hours=crawl.revisit_after_hours,
        revisit_times=crawl.revisit_times,
        revisit_window_days=crawl.revisit_window_days,
        plan=plan,
        revisit_schedule=RevisitSchedule(
            after_hours=crawl.revisit_after_hours,
            max_interval_hours=crawl.revisit_max_interval_hours,
            age_fraction=crawl.revisit_age_fraction, matched_days=crawl.revisit_matched_days,
            window_days=crawl.revisit_window_days, revisits=crawl.revisit_times,
            per_host=crawl.revisit_per_host),
    )


def _first_error(staging: SourceStaging) -> str:
    """The first recorded fetch error of a crawl, else where its log is."""
    for error in read_jsonl(staging.errors):
        return error["message"][:300]
    return f"see {staging.crawl_log}"


def run_crawl_process(source: Source, sources_file: Path, data_dir: Path, out_dir: Path,
                      warc_path: Path, seen_file: Path, user_agent: str,
                      replay_address: str | None, timeout_s: float) -> CrawlResult:
    """Crawl `source` in a subprocess; CrawlFailed when it exits badly or overruns."""
    command = [
        sys.executable, "-m", "crawlers.run_crawl", "--sources", str(sources_file),
        "--source", source.id, "--data", str(data_dir), "--out", str(out_dir),
        "--warc", str(warc_path), "--seen", str(seen_file), "--user-agent", user_agent,
    ]
    if replay_address:
        command += ["--replay", replay_address]
    plan_file = seen_file.with_name(RunStaging.PLAN)
    if plan_file.exists():
        command += ["--plan", str(plan_file)]
    started = time.monotonic()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s,
                              preexec_fn=functools.partial(die_with_parent, os.getpid()))
    except subprocess.TimeoutExpired:
        raise CrawlFailed(
            f"{source.id}: crawl still running after {timeout_s:.0f} s; stopped") from None
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise CrawlFailed(f"{source.id}: crawl process exited with {proc.returncode}: {detail}")
    return summarise_crawl(source.id, out_dir, time.monotonic() - started)


def summarise_crawl(source_id: str, out_dir: Path, seconds: float) -> CrawlResult:
    """Figures of a finished crawl; CrawlFailed when it reached nothing at all."""
    staging = SourceStaging.at(out_dir)
    stats = json.loads(staging.crawl_stats.read_text())
    fetched = {k.rsplit("/", 1)[1]: v for k, v in stats.items()
               if k.startswith("steppewatch/fetched/")}
    pages = sum(fetched.values())
    if pages == 0:
        raise CrawlFailed(
            f"{source_id}: no page could be fetched ({_first_error(staging)}); "
            "check the network and the source's URLs")
    if stats.get("steppewatch/entries_failed") and not stats.get("steppewatch/entries_ok"):
        # Pages answered (redirects, error pages) but no feed, sitemap or listing worked:
        # a moved or rebuilt site, flagged on its first night.
        raise CrawlFailed(
            f"{source_id}: every feed, sitemap and listing failed ({_first_error(staging)}); "
            "run `steppewatch sources check` and fix the source's URLs")
    return CrawlResult(
        source_id=source_id,
        pages_fetched=pages,
        article_pages=fetched.get("article", 0),
        skipped_seen=int(stats.get("steppewatch/skipped_seen", 0)),
        errors=count_lines(staging.errors),
        bytes=int(stats.get("steppewatch/bytes", 0)),
        seconds=round(seconds, 2),
        not_modified=int(stats.get("steppewatch/not_modified", 0)),
        revisited=int(stats.get("steppewatch/revisited", 0)),
    )


def prepare_crawl(con: duckdb.DuckDBPyConnection, run_dir: Path,
                  options: CrawlOptions | None = None, also_seen: Iterable[str] = ()) -> int:
    """Files the crawl processes read (they never open the warehouse): the URLs already
    stored, in run_dir/seen.txt, and the crawl plan (validators of feeds and sitemaps,
    articles due for a revisit, backfill date, politeness) in run_dir/crawl_plan.json.
    Records the run's backfill date. `also_seen`: URLs this run extracts without fetching
    (from the archive). Returns how many URLs the crawl will not fetch."""
    options = options or CrawlOptions()
    urls = sorted({*seen_urls(con, options.started_at), *also_seen})
    run = RunStaging.at(run_dir)
    run.seen.write_text("\n".join(urls) + "\n", encoding="utf-8")
    revisit = due_revisits(con, options.started_at, options.revisit_schedule)
    plan = replace(options.plan, revisit=tuple(revisit), validators=url_validators(con),
                   revisit_validators=revisit_validators(con, revisit))
    plan.write(run.plan)
    set_run_since(con, run_dir.name, options.since)
    return len(urls)
