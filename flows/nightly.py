"""The nightly run: crawl every source, extract, tag, load, alert.

One source failing never fails the others: its failure is recorded in the run's
figures and the run goes on. The run fails only when every source failed or a
later stage (load, alert) broke.
"""

from __future__ import annotations

import secrets
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.runtime import flow_run

from crawlers.sources import Source, load_sources
from flows.alert import AlertResult, run_alerts
from flows.crawl import CrawlResult, prepare_crawl, run_crawl_process
from flows.extract import ExtractCounts, extract_source
from flows.settings import Settings, load_settings
from flows.tag import tag_source
from flows.tagging.tagger import Tagger
from warehouse.connection import open_warehouse
from warehouse.load import SourceRun, finish_run, load_run, start_run, upsert_sources


@dataclass
class RunContext:
    run_id: str
    run_dir: Path
    data_dir: Path
    sources_file: Path
    seen_file: Path
    user_agent: str
    replay_address: str | None
    timeout_s: float


@dataclass
class SourceOutcome:
    source_id: str
    status: str = "ok"
    message: str | None = None
    crawl: CrawlResult | None = None
    articles_extracted: int = 0
    extract_errors: int = 0
    tags: int = 0


@dataclass
class RunSummary:
    run_id: str
    data_dir: str
    status: str
    sources: list[SourceOutcome] = field(default_factory=list)
    articles_new: dict[str, int] = field(default_factory=dict)
    reports: list[dict] = field(default_factory=list)


class AllSourcesFailed(RuntimeError):
    def __init__(self, run_id: str, messages: list[str]) -> None:
        super().__init__(f"every source failed in run {run_id}:\n" + "\n".join(messages))


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@task(name="begin-run", cache_policy=NO_CACHE)
def begin_run(ctx: RunContext, sources: list[Source], mode: str, topics_version: str) -> int:
    """Record the run, refresh the sources table, and list the URLs already stored."""
    ctx.run_dir.mkdir(parents=True, exist_ok=True)
    with open_warehouse(ctx.data_dir) as con:
        upsert_sources(con, [source_row(s) for s in sources])
        start_run(con, ctx.run_id, datetime.now(UTC), mode, _flow_run_id(), topics_version)
        return prepare_crawl(con, ctx.run_dir)


def source_row(source: Source) -> dict:
    return {"source_id": source.id, "name": source.name, "family": source.family,
            "countries": list(source.countries), "languages": list(source.languages),
            "base_url": source.base_url}


def _flow_run_id() -> str | None:
    run_id = flow_run.get_id()
    return str(run_id) if run_id else None


@task(name="crawl-source", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10,
      task_run_name="crawl-{source.id}")
def crawl_task(source: Source, ctx: RunContext) -> CrawlResult:
    logger = get_run_logger()
    logger.info("[%s] crawling %s", source.id, source.base_url)
    out_dir = ctx.run_dir / source.id
    result = run_crawl_process(
        source, ctx.sources_file, ctx.data_dir, out_dir,
        ctx.data_dir / "warc" / ctx.run_id / f"{source.id}.warc.gz", ctx.seen_file,
        ctx.user_agent, ctx.replay_address, ctx.timeout_s,
    )
    logger.info("[%s] %d pages (%d articles), %d already stored, %d errors", source.id,
                result.pages_fetched, result.article_pages, result.skipped_seen, result.errors)
    return result


@task(name="extract-source", cache_policy=NO_CACHE, task_run_name="extract-{source.id}")
def extract_task(source: Source, ctx: RunContext, executor: Executor) -> ExtractCounts:
    counts = extract_source(source.id, list(source.languages), ctx.run_dir / source.id,
                            ctx.data_dir, executor)
    get_run_logger().info("[%s] %d articles extracted, %d pages without article", source.id,
                          counts.articles, counts.errors)
    return counts


@task(name="tag-source", cache_policy=NO_CACHE, task_run_name="tag-{source_id}")
def tag_task(source_id: str, ctx: RunContext, topics_file: Path) -> int:
    return tag_source(ctx.run_dir / source_id, Tagger.from_file(topics_file))


@task(name="load", cache_policy=NO_CACHE)
def load_task(ctx: RunContext, outcomes: list[SourceOutcome]) -> dict[str, int]:
    runs = [_source_run(o) for o in outcomes]
    with open_warehouse(ctx.data_dir) as con:
        return load_run(con, ctx.run_id, ctx.run_dir, runs)


def _source_run(o: SourceOutcome) -> SourceRun:
    c = o.crawl
    return SourceRun(
        source_id=o.source_id, status=o.status, message=o.message,
        pages_fetched=c.pages_fetched if c else 0, article_pages=c.article_pages if c else 0,
        skipped_seen=c.skipped_seen if c else 0,
        errors=(c.errors if c else 0) + o.extract_errors, bytes=c.bytes if c else 0,
        seconds=c.seconds if c else 0.0,
    )


@task(name="alert", cache_policy=NO_CACHE)
def alert_task(ctx: RunContext, settings: Settings, status: str) -> list[AlertResult]:
    with open_warehouse(ctx.data_dir) as con:
        results = run_alerts(con, settings, ctx.run_id, ctx.data_dir / "reports")
        finish_run(con, ctx.run_id, status, str(results[0].html) if results else None)
    return results


def _crawl_all(sources: list[Source], ctx: RunContext, executor: Executor,
               outcomes: dict[str, SourceOutcome]) -> dict[str, object]:
    """Crawl every source; each finished crawl starts its extraction at once."""
    futures = {crawl_task.submit(s, ctx): s for s in sources}
    extracting = {}
    for future in as_completed(list(futures)):
        source = futures[future]
        result = future.result(raise_on_failure=False)
        if isinstance(result, CrawlResult):
            outcomes[source.id].crawl = result
            extracting[source.id] = extract_task.submit(source, ctx, executor)
        else:
            outcomes[source.id].status = "failed"
            outcomes[source.id].message = str(result)
    return extracting


@flow(name="nightly", log_prints=True)
def nightly(config_dir: str = "config", data_dir: str = "data",
            replay_address: str | None = None, only_sources: list[str] | None = None,
            mode: str = "nightly") -> dict:
    """Crawl, extract, tag, load and alert, once, for every source in sources.toml."""
    settings = load_settings(Path(config_dir), Path(data_dir))
    sources = [s for s in load_sources(settings.sources_file)
               if not only_sources or s.id in only_sources]
    tagger_version = Tagger.from_file(settings.topics_file).version
    run_id = new_run_id()
    ctx = RunContext(run_id, settings.data_dir / "runs" / run_id, settings.data_dir,
                     settings.sources_file, settings.data_dir / "runs" / run_id / "seen.txt",
                     settings.user_agent, replay_address, settings.source_timeout_minutes * 60)
    begin_run(ctx, sources, mode, tagger_version)
    outcomes = {s.id: SourceOutcome(s.id) for s in sources}
    with ProcessPoolExecutor(settings.extract_workers, mp_context=get_context("spawn")) as pool:
        extracting = _crawl_all(sources, ctx, pool, outcomes)
        for source_id, future in extracting.items():
            counts = future.result(raise_on_failure=False)
            if isinstance(counts, ExtractCounts):
                outcomes[source_id].articles_extracted = counts.articles
                outcomes[source_id].extract_errors = counts.errors
            else:
                outcomes[source_id].status, outcomes[source_id].message = "failed", str(counts)
    for source_id in extracting:
        outcomes[source_id].tags = tag_task(source_id, ctx, settings.topics_file)
    ok = [o for o in outcomes.values() if o.status == "ok"]
    status = "completed" if ok else "failed"
    articles_new = load_task(ctx, list(outcomes.values()))
    reports = alert_task(ctx, settings, status)
    summary = RunSummary(run_id, str(settings.data_dir), status, list(outcomes.values()),
                         articles_new, [asdict(r) for r in reports])
    if not ok:
        raise AllSourcesFailed(run_id, [f"{o.source_id}: {o.message}" for o in outcomes.values()])
    return asdict(summary)
