"""The extract stage: article pages of a source, read back from the WARC, cleaned."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawlers.extraction import ExtractionError, extract_article
from crawlers.warc import read_response


@dataclass(frozen=True)
class ExtractCounts:
    source_id: str
    articles: int
    errors: int


def article_id(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:20]


def extract_page(data_dir: str, page: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    """One article page -> an article row, or an error row (runs in a worker process)."""
    try:
        stored = read_response(Path(data_dir), page["warc_file"], page["warc_offset"])
        article = extract_article(stored.body, page["url"], stored.headers.get("content-type", ""),
                                  languages)
    except ExtractionError as err:
        return _error_row(page, err.kind, str(err))
    except Exception as err:  # a broken page must never stop the others
        return _error_row(page, "extract_failed", f"{page['url']}: {type(err).__name__}: {err}")
    row = article.to_dict()
    row.update(article_id=article_id(page["url"]), source_id=page["source_id"],
               capture_id=page["capture_id"], extracted_at=datetime.now(UTC).isoformat())
    return row


def _error_row(page: dict[str, Any], kind: str, message: str) -> dict[str, Any]:
    return {"error": True, "source_id": page["source_id"], "url": page["url"],
            "stage": "extract", "kind": kind, "message": message[:500],
            "http_status": page.get("http_status"), "capture_id": page.get("capture_id")}


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows atomically (temp file + rename), so a crash leaves no half file."""
    tmp = path.with_suffix(".tmp")
    count = 0
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    tmp.replace(path)
    return count


def extract_source(source_id: str, languages: list[str], source_dir: Path, data_dir: Path,
                   executor: Executor | None = None) -> ExtractCounts:
    """Extract every page the crawl stored for one source into extracted.jsonl (articles)
    and extract_errors.jsonl, written as results arrive so no source is held in memory."""
    pages = read_jsonl(source_dir / "pages.jsonl")
    if executor is None:
        results: Iterable[dict[str, Any]] = (extract_page(str(data_dir), p, languages)
                                             for p in pages)
    else:
        # Batches keep the pool's per-page hand-over cost small next to the extraction.
        results = executor.map(_extract_batch, _batches(pages, str(data_dir), languages))
        results = (row for batch in results for row in batch)
    articles = errors = 0
    with _AtomicJsonl(source_dir / "extracted.jsonl") as good, \
            _AtomicJsonl(source_dir / "extract_errors.jsonl") as bad:
        for row in results:
            if row.pop("error", False):
                bad.write(row)
                errors += 1
            elif "text" in row:
                good.write(row)
                articles += 1
    return ExtractCounts(source_id, articles, errors)


EXTRACT_BATCH = 16


def _batches(pages: Iterator[dict[str, Any]], data_dir: str,
             languages: list[str]) -> Iterator[tuple[str, list[dict[str, Any]], list[str]]]:
    batch: list[dict[str, Any]] = []
    for page in pages:
        batch.append(page)
        if len(batch) == EXTRACT_BATCH:
            yield data_dir, batch, languages
            batch = []
    if batch:
        yield data_dir, batch, languages


def _extract_batch(job: tuple[str, list[dict[str, Any]], list[str]]) -> list[dict[str, Any]]:
    data_dir, pages, languages = job
    return [extract_page(data_dir, page, languages) for page in pages]


class _AtomicJsonl:
    """JSON lines written to a temp file that replaces `path` only when all went well."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_suffix(".tmp")

    def __enter__(self) -> _AtomicJsonl:
        self.fh = self.tmp.open("w", encoding="utf-8")
        return self

    def write(self, row: dict[str, Any]) -> None:
        self.fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.fh.close()
        if exc_type is None:
            self.tmp.replace(self.path)
        else:
            self.tmp.unlink(missing_ok=True)
