"""The extract stage: article pages of a source, read back from the WARC, cleaned."""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawlers.extraction import ExtractionError, extract_article
from crawlers.staging import AtomicJsonl, JsonlTail, SourceStaging
from crawlers.telegram import parse_post_url
from crawlers.telegram_extraction import extract_post
from crawlers.warc import read_response
from flows.tagging.labelling import is_tag, worker_labeller


@dataclass(frozen=True)
class ExtractCounts:
    source_id: str
    articles: int
    errors: int
    tags: int = 0


def article_id(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:20]


def extract_page(data_dir: str, page: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    """One article page -> an article row, or an error row (runs in a worker process)."""
    try:
        stored = read_response(Path(data_dir), page["warc_file"], page["warc_offset"])
        extra: dict[str, Any] = {}
        if parse_post_url(page["url"]):  # a Telegram post: one of the posts of its page
            article, extra = extract_post(stored.body, page["url"], languages)
        else:
            article = extract_article(stored.body, page["url"],
                                      stored.headers.get("content-type", ""), languages)
    except ExtractionError as err:
        return _error_row(page, err.kind, str(err))
    except Exception as err:  # a broken page must never stop the others
        return _error_row(page, "extract_failed", f"{page['url']}: {type(err).__name__}: {err}")
    row = article.to_dict() | extra
    row.update(article_id=article_id(page["url"]), source_id=page["source_id"],
               capture_id=page["capture_id"], extracted_at=datetime.now(UTC).isoformat())
    return row


def _error_row(page: dict[str, Any], kind: str, message: str) -> dict[str, Any]:
    return {"error": True, "source_id": page["source_id"], "url": page["url"],
            "stage": "extract", "kind": kind, "message": message[:500],
            "http_status": page.get("http_status"), "capture_id": page.get("capture_id")}


def extract_source(source_id: str, languages: list[str], source_dir: Path, data_dir: Path,
                   executor: Executor | None = None,
                   topics_file: Path | None = None) -> ExtractCounts:
    """Extract every page the crawl stored for one source into extracted.jsonl (articles)
    and extract_errors.jsonl, written as results arrive so no source is held in memory.
    With `topics_file`, each article is also tagged on the spot (tagged.jsonl, places.jsonl)."""
    stream = StreamingExtraction(source_id, languages, source_dir, data_dir, topics_file,
                                 executor)
    return stream.finish()


EXTRACT_BATCH = 16
# Batches handed to the pool but not yet written; beyond this the poll waits for the oldest.
MAX_BATCHES_IN_FLIGHT = 64


class StreamingExtraction:
    """Extraction (and tagging) of one source's pages, started while its crawl still runs.

    Each `poll` hands the pages the crawl wrote since the last one to the worker pool in
    batches and writes the finished batches, in order; `finish` does the rest once the
    crawl is over and commits the files; `abort` drops them. Without a pool the pages are
    processed in the calling thread (Dask workers, recovery, tests)."""

    def __init__(self, source_id: str, languages: list[str], source_dir: Path, data_dir: Path,
                 topics_file: Path | None = None, executor: Executor | None = None) -> None:
        self.source_id = source_id
        self.job = (str(data_dir), list(languages), str(topics_file) if topics_file else None)
        self.executor = executor
        # The crawl process appends and flushes one line per article page, after its WARC
        # record: each poll takes the whole lines written since the last.
        self.feed = JsonlTail(SourceStaging.at(source_dir).pages)
        self.waiting: list[dict[str, Any]] = []
        self.in_flight: deque[Future[BatchResult]] = deque()
        self.out = StagingWriter(source_dir, tagging=topics_file is not None)

    def poll(self, final: bool = False) -> None:
        self.waiting += self.feed.new_rows()
        while len(self.waiting) >= EXTRACT_BATCH or (final and self.waiting):
            batch, self.waiting = self.waiting[:EXTRACT_BATCH], self.waiting[EXTRACT_BATCH:]
            if self.executor is None:
                self.out.write_all(process_batch((*self.job, batch)))
            else:
                self.in_flight.append(self.executor.submit(process_batch, (*self.job, batch)))
        self._write_done(block=len(self.in_flight) > MAX_BATCHES_IN_FLIGHT)

    def _write_done(self, block: bool) -> None:
        while self.in_flight and (block or self.in_flight[0].done()):
            self.out.write_all(self.in_flight.popleft().result())
            block = block and len(self.in_flight) > MAX_BATCHES_IN_FLIGHT

    def finish(self) -> ExtractCounts:
        try:
            self.poll(final=True)
            while self.in_flight:
                self.out.write_all(self.in_flight.popleft().result())
        except BaseException:
            self.abort()
            raise
        self.out.commit()
        return ExtractCounts(self.source_id, self.out.articles, self.out.errors, self.out.tags)

    def abort(self) -> None:
        for future in self.in_flight:
            future.cancel()
        self.in_flight.clear()
        self.out.discard()


@dataclass
class BatchResult:
    """Staged records of a batch of pages, and the CPU seconds spent extracting and tagging."""

    records: list[dict[str, Any]]
    extract_cpu: float = 0.0
    tag_cpu: float = 0.0


def process_batch(job: tuple[str, list[str], str | None, list[dict[str, Any]]]) -> BatchResult:
    """Extract (and tag) a batch of pages: one staged record per page (in a worker)."""
    data_dir, languages, topics_file, pages = job
    labeller = worker_labeller(Path(topics_file)) if topics_file else None
    tagged_at = datetime.now(UTC).isoformat()
    result = BatchResult([])
    for page in pages:
        started = time.process_time()
        row = extract_page(data_dir, page, languages)
        extracted = time.process_time()
        if labeller and not row.get("error") and "text" in row:
            row["_tags"] = labeller.tags(row, tagged_at)
            row["_places"] = labeller.places(row)
        result.records.append(row)
        result.extract_cpu += extracted - started
        result.tag_cpu += time.process_time() - extracted
    return result


class StagingWriter:
    """extracted.jsonl, extract_errors.jsonl and, when tagging, tagged.jsonl and
    places.jsonl of one source, each replaced only when the whole source went well."""

    def __init__(self, source_dir: Path, tagging: bool) -> None:
        self.staging = staging = SourceStaging.at(source_dir)
        paths = {"extracted": staging.extracted, "extract_errors": staging.extract_errors}
        if tagging:
            paths |= {"places": staging.places, "tagged": staging.tagged}
        staging.folder.mkdir(parents=True, exist_ok=True)
        self.files = {name: AtomicJsonl(path).open() for name, path in paths.items()}
        self.articles = self.errors = self.tags = 0
        self.extract_cpu = self.tag_cpu = 0.0

    def write_all(self, batch: BatchResult) -> None:
        self.extract_cpu += batch.extract_cpu
        self.tag_cpu += batch.tag_cpu
        for row in batch.records:
            if row.pop("error", False):
                self.files["extract_errors"].write(row)
                self.errors += 1
                continue
            tags, places = row.pop("_tags", None), row.pop("_places", None)
            if "text" not in row:
                continue
            self.files["extracted"].write(row)
            self.articles += 1
            if "tagged" in self.files:
                self.files["places"].write(places)
                for tag in tags:
                    self.files["tagged"].write(tag)
                self.tags += sum(map(is_tag, tags))

    def commit(self) -> None:
        for handle in self.files.values():  # extracted first: recovery re-tags what lacks tags
            handle.close(commit=True)
        figures = {"articles": self.articles, "errors": self.errors, "tags": self.tags,
                   "extract_cpu_seconds": round(self.extract_cpu, 3),
                   "tag_cpu_seconds": round(self.tag_cpu, 3)}
        self.staging.extract_stats.write_text(json.dumps(figures))

    def discard(self) -> None:
        for handle in self.files.values():
            handle.close(commit=False)

