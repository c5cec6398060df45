"""The search index: a tantivy index in DATA/search/, beside the warehouse file.

Why tantivy (docs/DECISIONS.md, "Search: tantivy beside DuckDB"): adding a night's articles
writes a new segment and costs what those articles cost; a commit is atomic (a crash before
it leaves the last committed index, which readers keep using); readers never wait for the
writer; top-k BM25 queries stay in milliseconds at a million articles.

Each document holds the article's terms (warehouse/terms.py, joined by spaces and split
again by the whitespace tokenizer, so a position is a word), the fields the filters need,
and a copy of what a hit shows (title, link, text for the snippet), so a query reads
nothing but this folder. DuckDB stays the source of truth: `search_indexed` says what the
index holds, each night follows the warehouse's changes, and `warehouse.search.reindex`
rebuilds this folder from it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import tantivy

from warehouse.terms import text_terms

INDEX_DIR = "search"
WRITER_HEAP = 200_000_000  # bytes, split between the writer's threads
EPOCH = date(1970, 1, 1)
TEXT_FIELDS = ("title", "text")
KEYWORD_FIELDS = ("outlet", "lang", "country", "topic")


@dataclass(frozen=True)
class IndexDoc:
    """One article as the index holds it."""

    article_id: str
    title: str | None
    text: str | None
    language: str | None
    outlets: tuple[str, ...]  # source id and outlet name
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    day: date | None
    url: str = ""
    outlet_name: str = ""

    def shown(self) -> bytes:
        """What a hit shows, stored in the index so a query reads nothing else (a copy: the
        warehouse's rows are the truth, and the next refresh follows their changes)."""
        return json.dumps({
            "day": self.day.isoformat() if self.day else None, "outlet": self.outlet_name,
            "countries": list(self.countries), "language": self.language,
            "topics": list(self.topics), "title": self.title, "url": self.url,
            "text": self.text}, ensure_ascii=False).encode()


def index_path(data_dir: Path) -> Path:
    return data_dir / INDEX_DIR


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("article_id", stored=True, tokenizer_name="raw",
                           index_option="basic")
    for name in TEXT_FIELDS:  # terms made by warehouse/terms.py
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_bytes_field("shown", stored=True, indexed=False)  # IndexDoc.shown
    return builder.build()


SCHEMA = build_schema()


def keyword(value: str) -> str:
    """Outlet, language, country and topic values as indexed and as looked up."""
    return value.strip().casefold()


def day_number(day: date) -> int:
    return (day - EPOCH).days


def to_document(doc: IndexDoc) -> tantivy.Document:
    fields: dict[str, object] = {
        "article_id": doc.article_id,
        "title": " ".join(text_terms(doc.title, doc.language)),
        "text": " ".join(text_terms(doc.text, doc.language)),
        "outlet": [keyword(o) for o in doc.outlets],
        "lang": [keyword(doc.language or "")],
        "country": [keyword(c) for c in doc.countries],
        "topic": [keyword(t) for t in doc.topics],
        "shown": doc.shown(),
    }
    if doc.day is not None:
        fields["day"] = day_number(doc.day)
    return tantivy.Document(**fields)


def create(path: Path) -> tantivy.Index:
    path.mkdir(parents=True, exist_ok=True)
    return tantivy.Index(SCHEMA, path=str(path), reuse=True)


def exists(path: Path) -> bool:
    return (path / "meta.json").is_file()


def update(path: Path, added: Iterable[IndexDoc], removed: Callable[[], list[str]]) -> int:
    """Replace the documents of `added`, then drop those `removed()` names (asked once
    `added` is read), in one commit: until it, readers see the index as it was, and a crash
    leaves it so. Returns how many were added."""
    index = create(path)
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    count = 0
    try:
        for doc in added:
            writer.delete_documents_by_term("article_id", doc.article_id)  # a changed article
            writer.add_document(to_document(doc))
            count += 1
        for article_id in removed():  # none of them was just added
            writer.delete_documents_by_term("article_id", article_id)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    writer.wait_merging_threads()  # merges of small segments finish before the step ends
    return count


def swap_in(fresh: Path, path: Path) -> None:
    """Make the fully built index at `fresh` the index at `path` (reindex): the old one is
    moved aside first, so a crash leaves either index whole at `path` or at its side."""
    aside = path.with_name(path.name + ".old")
    if aside.exists():
        shutil.rmtree(aside)
    if path.exists():
        os.replace(path, aside)
    os.replace(fresh, path)
    shutil.rmtree(aside, ignore_errors=True)


_OPEN: dict[str, tuple[int, tantivy.Index]] = {}


def open_reader(path: Path) -> tantivy.Index | None:
    """The index at `path` for searching (None when there is none). Kept open between
    queries; reloaded so each query sees the last commit; reopened after a reindex."""
    meta = path / "meta.json"
    try:
        inode = path.stat().st_ino
    except FileNotFoundError:
        return None
    if not meta.is_file():
        return None
    cached = _OPEN.get(str(path))
    if cached is None or cached[0] != inode:
        cached = (inode, tantivy.Index.open(str(path)))
        _OPEN[str(path)] = cached
    index = cached[1]
    index.reload()
    return index
