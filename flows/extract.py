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
    """Extract every page the crawl stored for one source into extracted.jsonl."""
    pages = list(read_jsonl(source_dir / "pages.jsonl"))
    args = [(str(data_dir), page, languages) for page in pages]
    if executor is None:
        results = [extract_page(*a) for a in args]
    else:
        results = list(executor.map(extract_page, *zip(*args, strict=True))) if args else []
    errors = [r for r in results if r.pop("error", False)]
    articles = write_jsonl(source_dir / "extracted.jsonl", (r for r in results if "text" in r))
    write_jsonl(source_dir / "extract_errors.jsonl", errors)
    return ExtractCounts(source_id, articles, len(errors))
