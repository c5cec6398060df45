"""Finishing the work of runs that were killed: the archive is the source of truth.

A killed run leaves its WARC records and staging files (captures, pages, maybe
extracted and tagged rows) and a crawl_runs row still marked 'running'. The next run
first lists in captures.jsonl every response its WARC files hold (a crawl killed between
the archive write and the listing leaves one unlisted), extracts and tags what is
missing, loads it with the same idempotent statements and marks the old run
'recovered'. Then any archived 2xx article response that neither an article nor an error
accounts for, in any run, is handed to this run's extraction straight from its WARC
record: nothing fetched is lost, and nothing is stored twice.
"""

from __future__ import annotations

import dataclasses
import logging
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import duckdb
from warcio.exceptions import ArchiveLoadFailed

from crawlers.items import ArticlePage
from crawlers.sources import Source
from crawlers.spiders.discovery import article_identity, declared_canonical
from crawlers.staging import (
    RunStaging,
    SourceStaging,
    append_jsonl,
    count_lines,
    drop_partial_lines,
    read_jsonl,
)
from crawlers.urls import canonical_url
from crawlers.warc import capture_row, iter_responses, read_response
from flows.changes import record_changes
from flows.extract import extract_source
from flows.tagging.staged import tag_source
from flows.tagging.tagger import Tagger
from flows.telegram_changes import record_telegram_changes
from warehouse.connection import open_warehouse
from warehouse.crawl_state import orphan_captures
from warehouse.load import SourceRun, load_run
from warehouse.runs import finish_run, unfinished_runs

log = logging.getLogger(__name__)


def list_archived_captures(source_dir: Path, data_dir: Path, run_id: str) -> int:
    """Append to captures.jsonl each response of the source's WARC file it does not list;
    how many were missing."""
    staging = SourceStaging.at(source_dir)
    source_id = staging.source_id
    listed = {row["capture_id"] for row in read_jsonl(staging.captures)}
    warc_file = RunStaging(data_dir, run_id).warc_file(source_id)
    missing = (capture_row(source_id, r.pointer, r.url, r.kind or "page", r.status, r.headers,
                           r.payload, r.fetched_at)
               for r in iter_responses(data_dir, warc_file)
               if r.pointer.capture_id not in listed)
    return append_jsonl(staging.captures, missing)


def _source_run(source_dir: Path) -> SourceRun:
    staging = SourceStaging.at(source_dir)
    captures = list(read_jsonl(staging.captures))
    return SourceRun(
        source_id=source_dir.name, status="ok", message="recovered after an interrupted run",
        pages_fetched=len(captures),
        article_pages=sum(1 for c in captures if c["kind"] == "article"),
        skipped_seen=0,
        errors=count_lines(staging.errors),
        bytes=sum(c["bytes"] for c in captures), seconds=0.0,
    )


def _crawled_sources(run_dir: Path, data_dir: Path) -> list[Path]:
    """Source folders of a run: those with staging files, and those with only a WARC file."""
    run = RunStaging(data_dir, run_dir.name)
    names = {*run.staged_source_ids(), *run.archived_source_ids()}
    return [run_dir / name for name in sorted(names)]


def complete_staging(run_dir: Path, data_dir: Path, tagger: Tagger,
                     languages: dict[str, list[str]]) -> list[SourceRun]:
    """List, extract and tag whatever a killed run had archived but not yet processed."""
    runs = []
    for source_dir in _crawled_sources(run_dir, data_dir):
        staging = SourceStaging.at(source_dir)
        for path in staging.crawl_appended:
            drop_partial_lines(path)
        list_archived_captures(source_dir, data_dir, run_dir.name)
        if not staging.extracted.exists():
            extract_source(source_dir.name, languages.get(source_dir.name, []), source_dir,
                           data_dir, topics_file=tagger.path)
        if not staging.tagged.exists():
            tag_source(source_dir, tagger)
        runs.append(_source_run(source_dir))
    return runs


def recover_runs(data_dir: Path, current_run: str, tagger: Tagger,
                 languages: dict[str, list[str]]) -> list[str]:
    """Finish every run left 'running' by a killed process; their ids."""
    with open_warehouse(data_dir) as con:
        run_ids = unfinished_runs(con, current_run)
    for run_id in run_ids:
        run_dir = RunStaging(data_dir, run_id).folder
        runs = complete_staging(run_dir, data_dir, tagger, languages)
        with open_warehouse(data_dir) as con:
            load_run(con, run_id, run_dir, runs)
            record_changes(con, run_id, run_dir)  # what its revisits found
            record_telegram_changes(con, run_id)  # what channels' pages showed again
            finish_run(con, run_id, "recovered", None)
    return run_ids


def orphan_page(data_dir: Path, capture: dict[str, Any], source: Source) -> ArticlePage:
    """The article page the crawl would have handed on for an archived response."""
    body = read_response(data_dir, capture["warc_file"], capture["warc_offset"]).body
    declared = declared_canonical(body)
    url = article_identity(capture["url"], urljoin(capture["url"], declared) if declared else None,
                           source.hosts, source.is_article_url)
    return ArticlePage(
        source_id=source.id, url=url, requested_url=canonical_url(capture["url"]),
        capture_id=capture["capture_id"], warc_file=capture["warc_file"],
        warc_offset=capture["warc_offset"], http_status=capture["http_status"],
        content_type=capture["content_type"] or "", revisit=capture["kind"] == "revisit",
    )


def stage_orphans(con: duckdb.DuckDBPyConnection, run_dir: Path, data_dir: Path,
                  sources: Iterable[Source]) -> list[str]:
    """Hand this run's extraction (runs/RUN/SOURCE/pages.jsonl, before its crawl starts)
    every archived article response of these sources that no article or error accounts
    for; the URLs they are stored under, which the crawl then need not fetch."""
    by_id = {s.id: s for s in sources}
    pages = []
    for capture in orphan_captures(con, list(by_id)):
        try:
            pages.append(orphan_page(data_dir, capture, by_id[capture["source_id"]]))
        except (OSError, ValueError, StopIteration, ArchiveLoadFailed, zlib.error) as error:
            # Left as it is: `verify` keeps reporting it, and a later run tries again.
            log.warning("archived page %s (%s at %s) cannot be read back: %s", capture["url"],
                        capture["warc_file"], capture["warc_offset"], error)
    for source_id in {p.source_id for p in pages}:
        append_jsonl(SourceStaging(run_dir, source_id).pages,
                     (dataclasses.asdict(p) for p in pages if p.source_id == source_id))
    return [p.url for p in pages]
