"""The staging folder's contract: every file a run writes between crawl and load, by name.

A run works in DATA/runs/RUN/ and archives to DATA/warc/RUN/:

    runs/RUN/seen.txt              URLs the crawl does not fetch (the flow writes it)
    runs/RUN/crawl_plan.json       what the crawl processes need beyond sources.toml
    runs/RUN/SOURCE/               one folder per source (SourceStaging):
        captures.jsonl             every archived response      (crawl, appended)
        pages.jsonl                article pages to extract     (crawl, appended)
        errors.jsonl               fetch errors                 (crawl, appended)
        links.jsonl                links found on listings      (crawl, appended)
        stats.json, crawl.log      the crawl process's figures and log
        extracted.jsonl            articles                     (extract, replaced whole)
        extract_errors.jsonl       pages without an article     (extract, replaced whole)
        tagged.jsonl, places.jsonl topic tags and places        (tag, replaced whole)
        extract_stats.json         extraction's figures
        *.tmp                      a file being replaced whole, until it is complete
    warc/RUN/SOURCE.warc.gz        the raw responses (the evidence)

Files are written in one of two ways, each with its own crash rule. A crawl process
*appends* (`JsonlAppender`, `append_jsonl`) one flushed line at a time, so a reader may
follow it while it grows (`JsonlTail`) and a kill leaves at most a last line cut short
(`drop_partial_lines` repairs it). Extraction and tagging *replace* a file whole
(`AtomicJsonl`, `write_jsonl`): rows go to a temp file renamed over the target only when
all were written, so a crash or error leaves the old file or none, never half of one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

RUNS = "runs"  # DATA/runs/RUN/
WARC = "warc"  # DATA/warc/RUN/SOURCE.warc.gz
WARC_SUFFIX = ".warc.gz"
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class SourceStaging:
    """The staging files of one source in one run: runs/RUN/SOURCE/."""

    run_dir: Path
    source_id: str

    CAPTURES = "captures.jsonl"
    PAGES = "pages.jsonl"
    ERRORS = "errors.jsonl"
    LINKS = "links.jsonl"
    CRAWL_STATS = "stats.json"
    CRAWL_LOG = "crawl.log"
    EXTRACTED = "extracted.jsonl"
    EXTRACT_ERRORS = "extract_errors.jsonl"
    TAGGED = "tagged.jsonl"
    PLACES = "places.jsonl"
    EXTRACT_STATS = "extract_stats.json"

    @classmethod
    def at(cls, folder: Path) -> SourceStaging:
        """The staging of the source whose folder this is."""
        return cls(folder.parent, folder.name)

    @property
    def folder(self) -> Path:
        return self.run_dir / self.source_id

    @property
    def captures(self) -> Path:
        return self.folder / self.CAPTURES

    @property
    def pages(self) -> Path:
        return self.folder / self.PAGES

    @property
    def errors(self) -> Path:
        return self.folder / self.ERRORS

    @property
    def links(self) -> Path:
        return self.folder / self.LINKS

    @property
    def crawl_stats(self) -> Path:
        return self.folder / self.CRAWL_STATS

    @property
    def crawl_log(self) -> Path:
        return self.folder / self.CRAWL_LOG

    @property
    def extracted(self) -> Path:
        return self.folder / self.EXTRACTED

    @property
    def extract_errors(self) -> Path:
        return self.folder / self.EXTRACT_ERRORS

    @property
    def tagged(self) -> Path:
        return self.folder / self.TAGGED

    @property
    def places(self) -> Path:
        return self.folder / self.PLACES

    @property
    def extract_stats(self) -> Path:
        return self.folder / self.EXTRACT_STATS

    @property
    def crawl_appended(self) -> tuple[Path, ...]:
        """The files a crawl process appends to (a kill may cut their last line short)."""
        return (self.captures, self.pages, self.errors, self.links)


@dataclass(frozen=True)
class RunStaging:
    """One run's staging folder, DATA/runs/RUN/, and its WARC folder, DATA/warc/RUN/."""

    data_dir: Path
    run_id: str

    SEEN = "seen.txt"
    PLAN = "crawl_plan.json"

    @classmethod
    def at(cls, run_dir: Path) -> RunStaging:
        """The run whose staging folder (DATA/runs/RUN) this is."""
        return cls(run_dir.parent.parent, run_dir.name)

    @property
    def folder(self) -> Path:
        return self.data_dir / RUNS / self.run_id

    @property
    def seen(self) -> Path:
        return self.folder / self.SEEN

    @property
    def plan(self) -> Path:
        return self.folder / self.PLAN

    def source(self, source_id: str) -> SourceStaging:
        return SourceStaging(self.folder, source_id)

    def staged_source_ids(self) -> list[str]:
        """Sources with a staging folder in this run, sorted."""
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if p.is_dir())

    def archived_source_ids(self) -> list[str]:
        """Sources with a WARC file in this run, sorted."""
        warc_dir = self.data_dir / WARC / self.run_id
        if not warc_dir.is_dir():
            return []
        return sorted(p.name.removesuffix(WARC_SUFFIX) for p in warc_dir.glob(f"*{WARC_SUFFIX}"))

    def warc_file(self, source_id: str) -> str:
        """The WARC file of a source in this run, relative to the data folder (as
        captures and articles store it)."""
        return f"{WARC}/{self.run_id}/{source_id}{WARC_SUFFIX}"

    def warc_path(self, source_id: str) -> Path:
        return self.data_dir / self.warc_file(source_id)


def temp_path(path: Path) -> Path:
    """Where a file replaced whole is written until it is complete."""
    return path.with_suffix(TEMP_SUFFIX)


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False) + "\n"


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a JSON-lines file (blank lines skipped); none when it does not exist."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


class AtomicJsonl:
    """JSON lines written to a temp file that replaces `path` only on a committing close.

    As a context manager it commits when the block ends normally and discards the temp
    file when it raises: `path` is then left as it was."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = temp_path(path)
        self.count = 0
        self.fh: IO[str] | None = None

    def open(self) -> AtomicJsonl:
        self.fh = self.tmp.open("w", encoding="utf-8")
        return self

    def write(self, row: dict[str, Any]) -> None:
        assert self.fh is not None, "AtomicJsonl written before open()"
        self.fh.write(_line(row))
        self.count += 1

    def close(self, commit: bool) -> None:
        if self.fh is None or self.fh.closed:
            return
        self.fh.close()
        if commit:
            self.tmp.replace(self.path)
        else:
            self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> AtomicJsonl:
        return self.open()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close(commit=kind is None)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Replace `path` with these rows, atomically (temp file + rename): an error while
    writing leaves the old file, or none, and no temp file. The number of rows."""
    with AtomicJsonl(path) as out:
        for row in rows:
            out.write(row)
    return out.count


class JsonlAppender:
    """A JSON-lines file a process appends to, each line written and flushed whole, so a
    reader following it (JsonlTail) sees it at once and a kill cuts at most the last."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.fh = path.open("a", encoding="utf-8")

    def write(self, row: dict[str, Any]) -> None:
        self.fh.write(_line(row))
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


def append_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Append rows to a JSON-lines file (created with its folder if missing); how many."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("a", encoding="utf-8") as fh:
        for row in rows:
            fh.write(_line(row))
            count += 1
    return count


class JsonlTail:
    """The whole lines appended to a JSON-lines file since the last read, for a reader
    following a file another process appends to: a last line still being written is
    returned by a later read, once its newline is there."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def new_rows(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.path.open("rb") as fh:
            fh.seek(self.offset)
            data = fh.read()
        whole = data[:data.rfind(b"\n") + 1]
        self.offset += len(whole)
        return [json.loads(line) for line in whole.splitlines() if line.strip()]


def count_lines(path: Path) -> int:
    """Lines in a file (rows of a JSON-lines file); 0 when it does not exist."""
    if not path.exists():
        return 0
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def drop_partial_lines(path: Path) -> None:
    """A process killed while appending leaves a last line cut short; keep whole JSON
    lines only (the repaired file replaces the old one atomically)."""
    if not path.exists():
        return
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    whole = [ln for ln in lines if ln.endswith("\n") and _is_json(ln)]
    if len(whole) != len(lines):
        tmp = temp_path(path)
        tmp.write_text("".join(whole), encoding="utf-8")
        tmp.replace(path)


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True
