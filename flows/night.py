"""One night, without Prefect: crawl every source, extract and tag beside the crawls, load,
alert, refresh the search index, check the evidence.

    from flows import run_night
    summary = run_night("config", "data/demo", replay_address="127.0.0.1:8765")

One source failing never fails the others: its failure is recorded in the run's figures
and the run goes on; the summary's status is 'failed' only when every source failed. The
Prefect flow (flows/nightly.py) runs this same function with `PrefectSteps`, which make
each step a Prefect task (retries, run history, a Dask task runner); `Steps` here runs
them plainly in this process: each source's crawl in a thread, extraction in a process
pool beside it.
"""

from __future__ import annotations

import logging
import os
import queue
import secrets
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol

from crawlers.faults import crash_point
from crawlers.sources import Source, load_sources
from crawlers.staging import RunStaging
from flows.alerts.delivery import AlertResult, run_alerts
from flows.changes import record_changes
from flows.crawl import CrawlOptions, CrawlResult, crawl_options, prepare_crawl, run_crawl_process
from flows.extract import ExtractCounts, StreamingExtraction
from flows.processes import exit_with_parent
from flows.recovery import recover_runs, stage_orphans
from flows.settings import Settings, load_settings
from flows.tagging.labelling import load_tagger
from flows.telegram_changes import record_telegram_changes
from flows.verify import verify_archive
from warehouse.connection import open_readonly, open_warehouse, within_memory_budget
from warehouse.load import SourceRun, load_run
from warehouse.runs import finish_run, start_run, upsert_sources
from warehouse.search import refresh_search_index

log = logging.getLogger(__name__)


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

    def raise_if_failed(self) -> None:
        if self.status == "failed":
            raise AllSourcesFailed(self.run_id, [_labelled(o) for o in self.sources])


class AllSourcesFailed(RuntimeError):
    def __init__(self, run_id: str, messages: list[str]) -> None:
        super().__init__(f"every source failed in run {run_id}:\n" + "\n".join(messages))


# ---------------------------------------------------------------------- how steps run

class Pending(Protocol):
    """A step started in the background: told when it ends, then its value or error."""

    def when_done(self, callback: Callable[[], None]) -> None: ...

    def outcome(self) -> Any: ...  # the step's value, or the exception it raised


class _ThreadPending:
    def __init__(self, future: Future) -> None:
        self.future = future

    def when_done(self, callback: Callable[[], None]) -> None:
        self.future.add_done_callback(lambda _: callback())

    def outcome(self) -> Any:
        return self.future.exception() or self.future.result()


class Steps:
    """How run_night runs its steps: here, plainly in this process. A source's crawl that
    fails is tried again `retries` times, after 10, 20, 40… seconds."""

    def __init__(self, max_parallel: int = 4) -> None:
        self.threads = ThreadPoolExecutor(max_parallel, thread_name_prefix="step")

    def call(self, name: str, step: Callable[..., Any], *args: Any) -> Any:
        return step(*args)

    def submit(self, name: str, step: Callable[..., Any], *args: Any, label: str = "",
               retries: int = 0) -> Pending:
        return _ThreadPending(self.threads.submit(_retried, step, args, retries))

    def process(self, sources: list[Source], ctx: RunContext,
                settings: Settings) -> dict[str, SourceOutcome]:
        return process_sources(self, sources, ctx, settings)

    def flow_run_id(self) -> str | None:
        return None

    def close(self) -> None:
        self.threads.shutdown()


def _retried(step: Callable[..., Any], args: tuple, retries: int) -> Any:
    for attempt in range(retries + 1):
        try:
            return step(*args)
        except Exception as error:
            if attempt == retries:
                raise
            log.warning("%s failed (%s); again in %d s", step.__name__, error, 10 * 2 ** attempt)
            time.sleep(10 * 2 ** attempt)
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------- the steps

def begin_run(ctx: RunContext, sources: list[Source], mode: str, topics_version: str,
              topics_file: Path, flow_run_id: str | None = None) -> int:
    """Finish runs a crash left behind, record this run, hand its extraction the archived
    pages nothing accounts for, and list the URLs already stored."""
    ctx.run_dir.mkdir(parents=True, exist_ok=True)
    languages = {s.id: list(s.languages) for s in sources}
    recovered = recover_runs(ctx.data_dir, ctx.run_id, load_tagger(topics_file), languages)
    if recovered:
        log.warning("finished the work of interrupted runs %s", ", ".join(recovered))
    with open_warehouse(ctx.data_dir) as con:
        upsert_sources(con, [source_row(s) for s in sources])
        start_run(con, ctx.run_id, ctx.crawl.started_at, mode, flow_run_id, topics_version)
        from_archive = stage_orphans(con, ctx.run_dir, ctx.data_dir, sources)
        if from_archive:
            log.warning("%d archived article pages were never processed; extracting them "
                        "from the archive in this run", len(from_archive))
        return prepare_crawl(con, ctx.run_dir, ctx.crawl, also_seen=from_archive)


def source_row(source: Source) -> dict:
    return {"source_id": source.id, "name": source.name, "family": source.family,
            "countries": list(source.countries), "languages": list(source.languages),
            "base_url": source.base_url}


def crawl_source(source: Source, ctx: RunContext) -> CrawlResult:
    """One source's crawl, in a Scrapy process of its own."""
    log.info("[%s] crawling %s", source.id, source.base_url)
    out_dir = ctx.run_dir / source.id
    result = run_crawl_process(
        source, ctx.sources_file, ctx.data_dir, out_dir,
        RunStaging(ctx.data_dir, ctx.run_id).warc_path(source.id), ctx.seen_file,
        ctx.user_agent, ctx.replay_address, ctx.timeout_s,
    )
    log.info("[%s] %d pages (%d articles), %d already stored, %d errors", source.id,
             result.pages_fetched, result.article_pages, result.skipped_seen, result.errors)
    return result


def finish_extraction(source: Source, ctx: RunContext, topics_file: Path,
                      stream: StreamingExtraction | None = None) -> ExtractCounts:
    """Extract and tag a crawled source: finish the extraction that ran beside its crawl,
    or (on Dask, where this step runs in a worker process) do all of it here."""
    stream = stream or StreamingExtraction(source.id, list(source.languages),
                                           ctx.run_dir / source.id, ctx.data_dir, topics_file)
    counts = stream.finish()
    log.info("[%s] %d articles extracted (%d topic tags), %d pages without article",
             source.id, counts.articles, counts.tags, counts.errors)
    crash_point("extract")
    return counts


def load_staged(ctx: RunContext, outcomes: list[SourceOutcome]) -> dict[str, int]:
    """The run's staged files into the warehouse; new articles per source."""
    runs = [_source_run(o) for o in outcomes]
    with open_warehouse(ctx.data_dir) as con:
        new = load_run(con, ctx.run_id, ctx.run_dir, runs, on_statement=crash_point)
        record_changes(con, ctx.run_id, ctx.run_dir)  # what the revisits found
        record_telegram_changes(con, ctx.run_id)  # what channels' pages showed again
        return new


def send_alerts(ctx: RunContext, settings: Settings, status: str) -> list[AlertResult]:
    """Every alert rule's report of its new stories; the run is then marked finished."""
    with open_warehouse(ctx.data_dir) as con:
        results = within_memory_budget(
            con, lambda: run_alerts(con, settings, ctx.run_id, ctx.data_dir / "reports"))
        finish_run(con, ctx.run_id, status, str(results[0].html) if results else None)
    return results


def refresh_index(ctx: RunContext) -> int:
    """Add the new and changed articles to the search index (only those: it is updated in
    place, in one commit). Alerts go out first: they need no index."""
    with open_warehouse(ctx.data_dir) as con:
        refresh = refresh_search_index(con, on_step=crash_point)
    log.info("search index: %d documents, %d new, %.1f s", refresh.documents, refresh.added,
             refresh.seconds)
    return refresh.documents


def verify_run(ctx: RunContext) -> str:
    """The evidence check on this run's articles (and on every archived article page)."""
    with open_readonly(ctx.data_dir) as con:
        report = verify_archive(con, ctx.data_dir, ctx.run_id)
    for problem in report.problems[:50]:
        log.warning("%s", problem.line())
    (log.info if report.ok else log.warning)("%s", report.summary())
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


# ---------------------------------------------------------------------- per source

def process_sources(steps: Steps, sources: list[Source], ctx: RunContext, settings: Settings,
                    extract_in_pool: bool = True) -> dict[str, SourceOutcome]:
    """Crawl, extract and tag every source, each on its own (one failing never stops the
    others). With `extract_in_pool`, pages are extracted and tagged in a worker pool while
    their crawl still runs; else (Dask) each source's extraction step does all of it."""
    outcomes = {s.id: SourceOutcome(s.id) for s in sources}
    if not extract_in_pool:
        _pipeline(steps, sources, ctx, settings, None, outcomes)
        return outcomes
    with ProcessPoolExecutor(settings.extract.workers, mp_context=get_context("spawn"),
                             initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
        _pipeline(steps, sources, ctx, settings, pool, outcomes)
    return outcomes


def _pipeline(steps: Steps, sources: list[Source], ctx: RunContext, settings: Settings,
              executor: Executor | None, outcomes: dict[str, SourceOutcome]) -> None:
    """Crawl every source; with a worker pool, each source's pages are extracted and tagged
    while its crawl still runs, and a finished crawl starts the step that completes them."""
    crawls = {s.id: steps.submit("crawl-source", crawl_source, s, ctx, label=f"crawl-{s.id}",
                                 retries=settings.crawl.source_retries) for s in sources}
    streams = {s.id: StreamingExtraction(s.id, list(s.languages), ctx.run_dir / s.id,
                                         ctx.data_dir, settings.topics_file, executor)
               for s in sources} if executor else {}
    by_id = {s.id: s for s in sources}
    extracting = {}
    for source_id in _finished(crawls, streams):
        result = crawls[source_id].outcome()
        stream = streams.pop(source_id, None)
        if isinstance(result, CrawlResult):
            outcomes[source_id].crawl = result
            extracting[source_id] = steps.submit(
                "extract-source", finish_extraction, by_id[source_id], ctx,
                settings.topics_file, stream, label=f"extract-{source_id}")
            crash_point("crawl")
        else:
            if stream:
                stream.abort()
            _mark_failed(outcomes[source_id], result)
    for source_id, pending in extracting.items():
        counts = pending.outcome()
        if isinstance(counts, ExtractCounts):
            outcome = outcomes[source_id]
            outcome.articles_extracted, outcome.extract_errors = counts.articles, counts.errors
            outcome.tags = counts.tags
        else:
            _mark_failed(outcomes[source_id], counts)


POLL_SECONDS = 0.25


def _finished(crawls: dict[str, Pending], streams: dict[str, StreamingExtraction]
              ) -> Iterator[str]:
    """Source ids as their crawls finish; meanwhile the running crawls' new pages go to the
    extraction workers every POLL_SECONDS."""
    done: queue.SimpleQueue[str] = queue.SimpleQueue()
    for source_id, pending in crawls.items():
        pending.when_done(lambda source_id=source_id: done.put(source_id))
    for _ in crawls:
        while True:
            try:
                yield done.get(timeout=POLL_SECONDS if streams else None)
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


# ---------------------------------------------------------------------- the night

def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def run_night(config_dir: str | Path = "config", data_dir: str | Path = "data",
              replay_address: str | None = None, only_sources: list[str] | None = None,
              mode: str = "nightly", since: str | None = None, now: str | None = None,
              steps: Steps | None = None) -> RunSummary:
    """Crawl, extract, tag, load and alert, once, for every source in sources.toml (or the
    `only_sources` ids). `since` (YYYY-MM-DD) makes the run a backfill to that date; `now`
    (ISO date-time) simulates the clock the revisit policy reads (tests)."""
    settings = load_settings(Path(config_dir).resolve(), Path(data_dir).resolve())
    sources = [s for s in load_sources(settings.sources_file)
               if not only_sources or s.id in only_sources]
    run_id = new_run_id()
    staging = RunStaging(settings.data_dir, run_id)
    ctx = RunContext(run_id, staging.folder, settings.data_dir, settings.sources_file, staging.seen,
                     settings.crawl.user_agent, replay_address,
                     settings.crawl.source_timeout_minutes * 60,
                     crawl_options(settings.crawl, since, now))
    steps = steps or Steps(settings.crawl.max_parallel_sources + 1)
    try:
        steps.call("begin-run", begin_run, ctx, sources, mode,
                   load_tagger(settings.topics_file).version, settings.topics_file,
                   steps.flow_run_id())
        outcomes = steps.process(sources, ctx, settings)
        status = "completed" if any(o.status == "ok" for o in outcomes.values()) else "failed"
        articles_new = steps.call("load", load_staged, ctx, list(outcomes.values()))
        reports = steps.call("alert", send_alerts, ctx, settings, status)
        # After the alerts, not beside them: the two memory peaks would add up.
        steps.call("search-index", refresh_index, ctx)
        archive_check = steps.call("verify-archive", verify_run, ctx)
    finally:
        steps.close()
    return RunSummary(run_id, str(settings.data_dir), status, list(outcomes.values()),
                      articles_new, [asdict(r) for r in reports], archive_check)
