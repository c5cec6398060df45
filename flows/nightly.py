"""The nightly run: crawl every source, extract, tag, load, alert.

One source failing never fails the others: its failure is recorded in the run's
figures and the run goes on. The run fails only when every source failed or a
later stage (load, alert) broke.
"""

from __future__ import annotations

import os
import queue
import secrets
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

from prefect import Task, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff

from crawlers.faults import crash_point
from crawlers.sources import Source, load_sources
from flows.alerts.delivery import AlertResult, run_alerts
from flows.crawl import (
    CrawlOptions,
    CrawlResult,
    crawl_options,
    prepare_crawl,
    run_crawl_process,
)
from flows.extract import ExtractCounts, StreamingExtraction
from flows.processes import exit_with_parent
from flows.recovery import recover_runs, stage_orphans
from flows.runners import task_runner, uses_dask
from flows.settings import Settings, load_settings
from flows.tagging.labelling import load_tagger
from flows.verify import verify_archive
from warehouse.connection import open_readonly, open_warehouse, within_memory_budget
from warehouse.load import SourceRun, load_run
from warehouse.runs import finish_run, start_run, upsert_sources
from warehouse.search import refresh_search_index


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
    crawl: CrawlOptions = field(default_factory=CrawlOptions)  # since, clock, revisits, plan


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
    archive_check: str = ""


class AllSourcesFailed(RuntimeError):
    def __init__(self, run_id: str, messages: list[str]) -> None:
        super().__init__(f"every source failed in run {run_id}:\n" + "\n".join(messages))


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@task(name="begin-run", cache_policy=NO_CACHE)
def begin_run(ctx: RunContext, sources: list[Source], mode: str, topics_version: str,
              topics_file: Path) -> int:
    """Finish runs a crash left behind, record this run, hand its extraction the archived
    pages nothing accounts for, and list the URLs already stored."""
    ctx.run_dir.mkdir(parents=True, exist_ok=True)
    languages = {s.id: list(s.languages) for s in sources}
    logger = get_run_logger()
    recovered = recover_runs(ctx.data_dir, ctx.run_id, load_tagger(topics_file), languages)
    if recovered:
        logger.warning("finished the work of interrupted runs %s", ", ".join(recovered))
    with open_warehouse(ctx.data_dir) as con:
        upsert_sources(con, [source_row(s) for s in sources])
        start_run(con, ctx.run_id, ctx.crawl.started_at, mode, _flow_run_id(), topics_version)
        from_archive = stage_orphans(con, ctx.run_dir, ctx.data_dir, sources)
        if from_archive:
            logger.warning("%d archived article pages were never processed; extracting them "
                           "from the archive in this run", len(from_archive))
        return prepare_crawl(con, ctx.run_dir, ctx.crawl, also_seen=from_archive)


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
def extract_task(source: Source, ctx: RunContext, topics_file: Path,
                 stream: StreamingExtraction | None = None) -> ExtractCounts:
    """Extract and tag a crawled source: finish the extraction that ran beside its crawl,
    or (on Dask, where this task runs in a worker process) do all of it here."""
    stream = stream or StreamingExtraction(source.id, list(source.languages),
                                           ctx.run_dir / source.id, ctx.data_dir, topics_file)
    counts = stream.finish()
    get_run_logger().info("[%s] %d articles extracted (%d topic tags), %d pages without article",
                          source.id, counts.articles, counts.tags, counts.errors)
    crash_point("extract")
    return counts


@task(name="load", cache_policy=NO_CACHE)
def load_task(ctx: RunContext, outcomes: list[SourceOutcome]) -> dict[str, int]:
    runs = [_source_run(o) for o in outcomes]
    with open_warehouse(ctx.data_dir) as con:
        return load_run(con, ctx.run_id, ctx.run_dir, runs, on_statement=crash_point)


@task(name="search-index", cache_policy=NO_CACHE)
def search_index_task(ctx: RunContext) -> int:
    """Add the new articles to the full-text index (fts cannot update an index in place, so
    it is rebuilt, in its own transaction). Alerts go out first: they need no index."""
    with open_warehouse(ctx.data_dir) as con:
        refresh = refresh_search_index(con, on_step=crash_point)
    get_run_logger().info("search index: %d documents, %d new, %.1f s", refresh.documents,
                          refresh.added, refresh.seconds)
    return refresh.documents


@task(name="verify-archive", cache_policy=NO_CACHE)
def verify_task(ctx: RunContext) -> str:
    """The evidence check on this run's articles (and on every archived article page)."""
    with open_readonly(ctx.data_dir) as con:
        report = verify_archive(con, ctx.data_dir, ctx.run_id)
    logger = get_run_logger()
    for problem in report.problems[:50]:
        logger.warning("%s", problem.line())
    (logger.info if report.ok else logger.warning)("%s", report.summary())
    return report.summary()


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
        results = within_memory_budget(
            con, lambda: run_alerts(con, settings, ctx.run_id, ctx.data_dir / "reports"))
        finish_run(con, ctx.run_id, status, str(results[0].html) if results else None)
    return results


def _pipeline(crawl: Task, sources: list[Source], ctx: RunContext, executor: Executor | None,
              topics_file: Path, outcomes: dict[str, SourceOutcome]) -> None:
    """Crawl every source; with a worker pool, each source's pages are extracted and tagged
    while its crawl still runs, and a finished crawl starts the task that completes them."""
    futures = {crawl.submit(s, ctx): s for s in sources}
    streams = {s.id: StreamingExtraction(s.id, list(s.languages), ctx.run_dir / s.id,
                                         ctx.data_dir, topics_file, executor)
               for s in sources} if executor else {}
    extracting = {}
    for future in _finished(list(futures), streams):
        source = futures[future]
        result = future.result(raise_on_failure=False)
        stream = streams.pop(source.id, None)
        if isinstance(result, CrawlResult):
            outcomes[source.id].crawl = result
            extracting[source.id] = extract_task.submit(source, ctx, topics_file, stream)
            crash_point("crawl")
        else:
            if stream:
                stream.abort()
            _mark_failed(outcomes[source.id], result)
    for source_id, future in extracting.items():
        counts = future.result(raise_on_failure=False)
        if isinstance(counts, ExtractCounts):
            outcome = outcomes[source_id]
            outcome.articles_extracted, outcome.extract_errors = counts.articles, counts.errors
            outcome.tags = counts.tags
        else:
            _mark_failed(outcomes[source_id], counts)


POLL_SECONDS = 0.25


def _finished(futures: list[PrefectFuture], streams: dict[str, StreamingExtraction]
              ) -> Iterator[PrefectFuture]:
    """The crawl futures as they finish; meanwhile the running crawls' new pages go to the
    extraction workers every POLL_SECONDS."""
    if not streams:
        yield from as_completed(futures)
        return
    done: queue.SimpleQueue[PrefectFuture] = queue.SimpleQueue()
    for future in futures:
        future.add_done_callback(done.put)
    for _ in futures:
        while True:
            try:
                yield done.get(timeout=POLL_SECONDS)
                break
            except queue.Empty:
                for stream in list(streams.values()):
                    stream.poll()


def _labelled(outcome: SourceOutcome) -> str:
    message = outcome.message or "failed"
    return message if message.startswith(outcome.source_id) else f"{outcome.source_id}: {message}"


def _mark_failed(outcome: SourceOutcome, error: object) -> None:
    lines = str(error).splitlines()
    reason = lines[0] if lines and lines[0] else type(error).__name__
    outcome.status, outcome.message = "failed", reason[:300]


def _summary_markdown(summary: RunSummary) -> str:
    lines = [f"# Nightly run {summary.run_id}: {summary.status}", "",
             "| source | status | pages | article pages | already stored | new articles | errors |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for o in summary.sources:
        c = o.crawl
        lines.append(f"| {o.source_id} | {o.status if o.status == 'ok' else o.message} | "
                     f"{c.pages_fetched if c else 0} | {c.article_pages if c else 0} | "
                     f"{c.skipped_seen if c else 0} | {summary.articles_new.get(o.source_id, 0)} | "
                     f"{(c.errors if c else 0) + o.extract_errors} |")
    lines += ["", f"New articles: {sum(summary.articles_new.values())}", "",
              summary.archive_check, ""]
    lines += [f"Report ({r['rule']}, {r['stories']} new stories): {r['html']}"
              for r in summary.reports]
    return "\n".join(lines)


@flow(name="process-sources", validate_parameters=False)
def process_sources(sources: list[Source], ctx: RunContext,
                    settings: Settings) -> dict[str, SourceOutcome]:
    """Crawl, extract and tag every source, each source on its own (one failing never
    stops the others), on the task runner the settings choose."""
    outcomes = {s.id: SourceOutcome(s.id) for s in sources}
    crawl = crawl_task.with_options(retries=settings.crawl.source_retries,
                                    retry_delay_seconds=exponential_backoff(backoff_factor=10))
    if uses_dask(settings):
        # Dask workers are processes of their own: extraction runs in them directly.
        _pipeline(crawl, sources, ctx, None, settings.topics_file, outcomes)
        return outcomes
    with ProcessPoolExecutor(settings.extract.workers, mp_context=get_context("spawn"),
                             initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
        _pipeline(crawl, sources, ctx, pool, settings.topics_file, outcomes)
    return outcomes


@flow(name="nightly", log_prints=True)
def nightly(config_dir: str = "config", data_dir: str = "data",
            replay_address: str | None = None, only_sources: list[str] | None = None,
            mode: str = "nightly", since: str | None = None, now: str | None = None) -> dict:
    """Crawl, extract, tag, load and alert, once, for every source in sources.toml.

    `since` (YYYY-MM-DD) makes the run a backfill to that date; `now` (ISO date-time)
    simulates the clock the revisit policy reads (tests)."""
    settings = load_settings(Path(config_dir).resolve(), Path(data_dir).resolve())
    sources = [s for s in load_sources(settings.sources_file)
               if not only_sources or s.id in only_sources]
    tagger_version = load_tagger(settings.topics_file).version
    run_id = new_run_id()
    ctx = RunContext(run_id, settings.data_dir / "runs" / run_id, settings.data_dir,
                     settings.sources_file, settings.data_dir / "runs" / run_id / "seen.txt",
                     settings.crawl.user_agent, replay_address,
                     settings.crawl.source_timeout_minutes * 60,
                     crawl_options(settings.crawl, since, now))
    begin_run(ctx, sources, mode, tagger_version, settings.topics_file)
    # The task runner is chosen at run time from settings, so a served or deployed run
    # obeys settings.toml as the command line does.
    per_source = process_sources.with_options(task_runner=task_runner(settings))
    outcomes = per_source(sources, ctx, settings)
    ok = [o for o in outcomes.values() if o.status == "ok"]
    status = "completed" if ok else "failed"
    articles_new = load_task(ctx, list(outcomes.values()))
    reports = alert_task(ctx, settings, status)
    search_index_task(ctx)  # after the alerts, not beside them: the two peaks would add up
    archive_check = verify_task(ctx)
    summary = RunSummary(run_id, str(settings.data_dir), status, list(outcomes.values()),
                         articles_new, [asdict(r) for r in reports], archive_check)
    create_markdown_artifact(key="nightly-summary", markdown=_summary_markdown(summary),
                             description=f"steppewatch run {run_id}")
    if not ok:
        raise AllSourcesFailed(run_id, [_labelled(o) for o in outcomes.values()])
    return asdict(summary)

