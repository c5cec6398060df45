"""The evidence check: every archived article response has an outcome, and every article's
WARC record reads back with the digest recorded when it was fetched.

`steppewatch verify` runs it on the whole warehouse; the nightly runs it at its end on the
run's own captures (the outcome check always covers every run: it is one query).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from warehouse.crawl_state import orphan_captures
from warehouse.sql import statement


@dataclass
class ArchiveProblem:
    kind: str  # no_outcome, unreadable, digest_mismatch
    capture_id: str
    url: str
    detail: str

    def line(self) -> str:
        return f"{self.kind}: {self.url} (capture {self.capture_id}): {self.detail}"


@dataclass
class VerifyReport:
    articles_checked: int = 0
    records_read: int = 0
    problems: list[ArchiveProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return (f"archive check: {self.records_read} WARC records of {self.articles_checked} "
                    "articles read back with their recorded digests; every archived article "
                    "page has an article or an error")
        return (f"archive check: {len(self.problems)} problems "
                f"({self.records_read} WARC records of {self.articles_checked} articles read)")


def verify_archive(con: duckdb.DuckDBPyConnection, data_dir: Path, run_id: str | None = None,
                   progress: Callable[[int, int], None] | None = None) -> VerifyReport:
    """Check the evidence chain; `run_id` limits the digest check to that run's captures."""
    report = VerifyReport()
    for capture in orphan_captures(con):
        report.problems.append(ArchiveProblem(
            "no_outcome", capture["capture_id"], capture["url"],
            f"archived in {capture['warc_file']} at {capture['warc_offset']} but neither an "
            "article nor an error was stored; the next nightly extracts it"))
    rows = con.execute(statement("verify/article_captures"), {"run_id": run_id}).fetchall()
    report.articles_checked = len({row[0] for row in rows})
    for done, (_, url, capture_id, warc_file, offset, recorded) in enumerate(rows, 1):
        problem = _check_record(data_dir, warc_file, offset, recorded)
        if problem:
            report.problems.append(ArchiveProblem(problem[0], capture_id, url, problem[1]))
        else:
            report.records_read += 1
        if progress:
            progress(done, len(rows))
    return report


def _check_record(data_dir: Path, warc_file: str, offset: int,
                  recorded: str) -> tuple[str, str] | None:
    try:
        digest = _payload_sha1(data_dir / warc_file, offset)
    except (OSError, StopIteration, ValueError, EOFError, zlib.error, ArchiveLoadFailed) as error:
        return "unreadable", f"{warc_file} at {offset}: {type(error).__name__}: {error}"
    if digest != recorded:
        return "digest_mismatch", (f"{warc_file} at {offset} reads back with SHA-1 {digest}, "
                                   f"recorded {recorded}")
    return None


def _payload_sha1(path: Path, offset: int) -> str:
    """SHA-1 of the raw payload of the response record at `offset`, as the server sent it."""
    with path.open("rb") as fh:
        fh.seek(offset)
        record: Any = next(iter(ArchiveIterator(fh)))
        if record.rec_type != "response":
            raise ValueError(f"a {record.rec_type} record, not a response")
        return hashlib.sha1(record.raw_stream.read()).hexdigest()
