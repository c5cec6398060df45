"""Bring your own corpus: `steppewatch import FILE…`.

WARC files from other archivers (Browsertrix, Common Crawl news extracts: the `response`
records with a 2xx HTML payload) and JSON-lines exports (news-please, Media Cloud style:
`url`, `title`, `text`, `date`, `language`) become pages of the source whose hosts their
URL is on. Each page is archived in our own WARC (a JSON line as a small HTML page built
from its fields, marked so in the record), staged like a crawled article page, then
extracted, tagged and loaded by the same code as a night, in a run of mode `import`.

Exactly once: a URL already stored (articles, their aliases, answered for good) or met
earlier in the same import is skipped before anything is written, and every load
statement inserts on stable keys; importing the same files again adds nothing.
"""

from __future__ import annotations

import gzip
import html
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from crawlers.items import ArticlePage
from crawlers.sources import Source, load_sources
from crawlers.staging import RunStaging, SourceStaging, append_jsonl
from crawlers.urls import article_url, canonical_url
from crawlers.warc import WarcArchive, capture_row

IMPORT_MODE = "import"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True)
class ImportedPage:
    """One page from a foreign file: its URL, HTTP answer and body."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    origin: str  # "warc" or "jsonl"


@dataclass
class ImportSummary:
    run_id: str
    pages: dict[str, int] = field(default_factory=dict)  # staged per source
    skipped_seen: int = 0  # already stored, or twice in the import
    unassigned: int = 0  # on no source's host
    bad_lines: list[str] = field(default_factory=list)  # FILE:LINE: problem
    articles_new: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------- reading foreign files


def read_warc(path: Path) -> Iterator[ImportedPage]:
    """The 2xx HTML response records of a WARC file (gzipped or not)."""
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = int(record.http_headers.get_statuscode() or 0)
            ctype = record.http_headers.get_header("Content-Type") or ""
            if 200 <= status < 300 and "html" in ctype.lower():
                yield ImportedPage(record.rec_headers.get_header("WARC-Target-URI") or "",
                                   status, list(record.http_headers.headers),
                                   record.content_stream().read(), "warc")


def jsonl_page(item: dict[str, Any]) -> ImportedPage:
    """A JSON line as the HTML page extraction reads: title, date, language, paragraphs."""
    title = html.escape(str(item.get("title") or ""))
    lang = html.escape(str(item.get("language") or ""))
    date = html.escape(str(item.get("date") or ""))
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>\n"
                         for p in str(item["text"]).split("\n") if p.strip())
    body = (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title>"
            f'<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{date}">'
            f"</head><body><article><h1>{title}</h1>\n{paragraphs}</article></body></html>\n")
    headers = [("Content-Type", HTML_TYPE), ("X-Steppewatch-Imported-From", "json-lines")]
    return ImportedPage(str(item["url"]), 200, headers, body.encode("utf-8"), "jsonl")


def read_jsonl(path: Path, bad: list[str]) -> Iterator[ImportedPage]:
    """Pages of a JSON-lines export; a line without a url and a text is named in `bad`."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as err:
                bad.append(f"{path}:{number}: not JSON ({err.msg})")
                continue
            if not (isinstance(item, dict) and item.get("url") and item.get("text")):
                bad.append(f"{path}:{number}: needs 'url' and 'text'")
                continue
            yield jsonl_page(item)


def read_files(files: Iterable[Path], bad: list[str]) -> Iterator[ImportedPage]:
    for path in files:
        name = path.name.lower()
        if name.endswith((".warc", ".warc.gz")):
            yield from read_warc(path)
        else:
            yield from read_jsonl(path, bad)


# ---------------------------------------------------------------- assigning and staging


def source_of(url: str, sources: list[Source]) -> Source | None:
    """The source whose hosts the URL is on (a mobile or www variant counts); of editions
    sharing a host (24.kg and its English section), the one whose pattern accepts it."""
    host = urlsplit(canonical_url(url)).hostname or ""
    on_host = [s for s in sources if host in s.hosts or f"www.{host}" in s.hosts
               or host.removeprefix("www.") in s.hosts]
    matching = [s for s in on_host if article_url(url, s.hosts, s.is_article_url)]
    return (matching or on_host or [None])[0]


def stored_url(url: str, source: Source) -> str:
    """The URL the page is stored under: its article form, else its canonical form."""
    return article_url(url, source.hosts, source.is_article_url) or canonical_url(url)


class Stager:
    """Writes imported pages into the run's WARC and staging files, per source."""

    def __init__(self, data_dir: Path, run_id: str, seen: set[str]) -> None:
        self.data_dir, self.run_id, self.seen = data_dir, run_id, seen
        self.staging = RunStaging(data_dir, run_id)
        self.archives: dict[str, WarcArchive] = {}

    def stage(self, page: ImportedPage, source: Source) -> bool:
        url = stored_url(page.url, source)
        if url in self.seen:
            return False
        self.seen.add(url)
        archive = self.archives.get(source.id)
        if archive is None:
            archive = WarcArchive(self.staging.warc_path(source.id), self.data_dir)
            self.archives[source.id] = archive
        pointer = archive.write(url, page.status, "OK", page.headers, page.body, [],
                                kind=f"import-{page.origin}")
        headers = {k.lower(): v for k, v in page.headers}
        now = datetime.now(UTC).isoformat()
        staged = SourceStaging(self.staging.folder, source.id)
        append_jsonl(staged.captures, [capture_row(source.id, pointer, url, "article",
                                                   page.status, headers, page.body, now)])
        append_jsonl(staged.pages, [ArticlePage(
            source_id=source.id, url=url, requested_url=canonical_url(page.url),
            capture_id=pointer.capture_id, warc_file=pointer.warc_file,
            warc_offset=pointer.offset, http_status=page.status,
            content_type=headers.get("content-type", "")).__dict__])
        return True

    def close(self) -> None:
        for archive in self.archives.values():
            archive.close()


def stage_pages(pages: Iterable[ImportedPage], sources: list[Source], stager: Stager,
                summary: ImportSummary) -> None:
    for page in pages:
        source = source_of(page.url, sources) if page.url.startswith("http") else None
        if source is None:
            summary.unassigned += 1
        elif stager.stage(page, source):
            summary.pages[source.id] = summary.pages.get(source.id, 0) + 1
        else:
            summary.skipped_seen += 1


def import_files(config_dir: Path, data_dir: Path, files: list[Path]) -> ImportSummary:
    """Import `files` into the warehouse of `data_dir` (see the module's docstring)."""
    from flows.extract import extract_source
    from flows.night import new_run_id, source_row
    from flows.settings import load_settings
    from flows.tagging.labelling import load_tagger
    from warehouse.connection import open_warehouse
    from warehouse.load import SourceRun, load_run
    from warehouse.runs import finish_run, start_run, upsert_sources
    from warehouse.sql import statement

    settings = load_settings(config_dir.resolve(), data_dir.resolve())
    sources = load_sources(settings.sources_file)
    summary = ImportSummary(new_run_id())
    now = datetime.now(UTC)
    with open_warehouse(settings.data_dir) as con:
        upsert_sources(con, [source_row(s) for s in sources])
        start_run(con, summary.run_id, now, IMPORT_MODE, None,
                  load_tagger(settings.topics_file).version)
        seen = {u for (u,) in con.execute(statement("crawl/seen_urls"), {"now": now}).fetchall()}
    stager = Stager(settings.data_dir, summary.run_id, seen)
    try:
        stage_pages(read_files(files, summary.bad_lines), sources, stager, summary)
    finally:
        stager.close()
    by_id = {s.id: s for s in sources}
    runs = []
    for source_id, staged in sorted(summary.pages.items()):
        counts = extract_source(source_id, list(by_id[source_id].languages),
                                stager.staging.folder / source_id, settings.data_dir,
                                topics_file=settings.topics_file)
        runs.append(SourceRun(source_id, "ok", None, staged, staged, 0, counts.errors, 0, 0.0))
    with open_warehouse(settings.data_dir) as con:
        summary.articles_new = load_run(con, summary.run_id, stager.staging.folder, runs)
        finish_run(con, summary.run_id, "completed", None)
    return summary
