"""The nightly as a Prefect flow: `run_night` (flows/night.py) with each step a Prefect task.

Prefect adds what a served or deployed run needs: retries of a source's crawl with
exponential backoff, per-source isolation, run history and logs, the summary artifact,
and the task runner settings.toml asks for (threads, or a Dask cluster on which each
source's extraction runs in a worker process).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff

from crawlers.sources import Source
from flows.night import (
    AllSourcesFailed,
    Pending,
    RunContext,
    RunSummary,
    SourceOutcome,
    Steps,
    process_sources,
    run_night,
)
from flows.runners import task_runner, uses_dask
from flows.settings import Settings

__all__ = ["AllSourcesFailed", "nightly"]


class _PrefectPending:
    def __init__(self, future: PrefectFuture) -> None:
        self.future = future

    def when_done(self, callback: Any) -> None:
        self.future.add_done_callback(lambda _: callback())

    def outcome(self) -> Any:
        return self.future.result(raise_on_failure=False)


class PrefectSteps(Steps):
    """Each step of the night a Prefect task of the running flow; a source's crawl retried
    `retries` times with exponential backoff; the per-source part a subflow on the task
    runner the settings choose."""

    def __init__(self) -> None:  # no thread pool: Prefect's task runner runs the steps
        pass

    def call(self, name: str, step: Any, *args: Any) -> Any:
        return task(step, name=name, cache_policy=NO_CACHE)(*args)

    def submit(self, name: str, step: Any, *args: Any, label: str = "",
               retries: int = 0) -> Pending:
        options: dict[str, Any] = {"name": name, "cache_policy": NO_CACHE,
                                   "task_run_name": label or name}
        if retries:
            options.update(retries=retries,
                           retry_delay_seconds=exponential_backoff(backoff_factor=10))
        return _PrefectPending(task(step, **options).submit(*args))

    def process(self, sources: list[Source], ctx: RunContext,
                settings: Settings) -> dict[str, SourceOutcome]:
        # The task runner is chosen at run time from settings, so a served or deployed run
        # obeys settings.toml as the command line does.
        return process_sources_flow.with_options(task_runner=task_runner(settings))(
            sources, ctx, settings)

    def flow_run_id(self) -> str | None:
        run_id = flow_run.get_id()
        return str(run_id) if run_id else None

    def close(self) -> None:
        pass


@flow(name="process-sources", validate_parameters=False)
def process_sources_flow(sources: list[Source], ctx: RunContext,
                         settings: Settings) -> dict[str, SourceOutcome]:
    """Crawl, extract and tag every source. Dask workers are processes of their own:
    there, extraction runs in them, not in a pool beside the crawl."""
    return process_sources(PrefectSteps(), sources, ctx, settings,
                           extract_in_pool=not uses_dask(settings))


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


@flow(name="nightly", log_prints=True)
def nightly(config_dir: str = "config", data_dir: str = "data",
            replay_address: str | None = None, only_sources: list[str] | None = None,
            mode: str = "nightly", since: str | None = None, now: str | None = None) -> dict:
    """Crawl, extract, tag, load and alert, once, for every source in sources.toml.

    `since` (YYYY-MM-DD) makes the run a backfill to that date; `now` (ISO date-time)
    simulates the clock the revisit policy reads (tests)."""
    summary = run_night(config_dir, data_dir, replay_address, only_sources, mode, since, now,
                        steps=PrefectSteps())
    create_markdown_artifact(key="nightly-summary", markdown=_summary_markdown(summary),
                             description=f"steppewatch run {summary.run_id}")
    summary.raise_if_failed()
    return asdict(summary)
