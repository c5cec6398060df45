"""Full-text search over the corpus: BM25 (DuckDB fts) over title and text.

The index holds Snowball stems of Russian (Cyrillic words) and English (Latin words) and the
plain folded form of every other word (see warehouse/views/search_terms.sql), so one index and
one score serve every language. The fts extension cannot update an index in place:
`refresh_search_index` runs after each load and rebuilds it from the search documents
(unless the load added none).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import duckdb

from warehouse.connection import transaction, within_memory_budget
from warehouse.sql import statement

SNIPPET_CHARS = 220
_FOLD = str.maketrans("ёҷҳқғ’‘`ʼ'", "ечхкгʻʻʻʻʻ")


class SearchIndexMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class IndexRefresh:
    documents: int
    added: int
    seconds: float


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    score: float
    day: date | None
    outlet: str
    countries: list[str]
    language: str | None
    topics: list[str]
    title: str | None
    url: str
    snippet: str


def refresh_search_index(con: duckdb.DuckDBPyConnection,
                         on_step: Callable[[str], None] | None = None) -> IndexRefresh:
    """Add the search documents of new articles and rebuild the BM25 index (writer only).
    `on_step("index")` is called inside the rebuild's transaction (the restart tests crash
    there)."""
    started = time.perf_counter()
    pending = con.execute(statement("search/docs_pending")).fetchone()[0]
    if not pending and index_ready(con):  # nothing new: the index is current
        documents = con.execute(statement("search/docs_count")).fetchone()[0]
        return IndexRefresh(documents, 0, time.perf_counter() - started)
    within_memory_budget(con, lambda: _rebuild(con, on_step))
    documents = con.execute(statement("search/docs_count")).fetchone()[0]
    return IndexRefresh(documents, pending, time.perf_counter() - started)


def _rebuild(con: duckdb.DuckDBPyConnection, on_step: Callable[[str], None] | None) -> None:
    """Search documents for new texts, the BM25 index and the search macro: all or nothing."""
    with transaction(con):
        con.execute(statement("search/docs_refresh"))
        if on_step:
            on_step("index")
        con.execute(statement("search/index_build"))
        con.execute(statement("search/macro"))


def index_ready(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute(statement("search/index_ready")).fetchone()[0]


def search_stories(con: duckdb.DuckDBPyConnection, query: str, *, topic: str | None = None,
                   country: str | None = None, since: date | None = None, limit: int = 20,
                   all_terms: bool = True) -> list[SearchHit]:
    """Stories matching `query`, best first, each with a snippet around its first match."""
    if not index_ready(con):
        raise SearchIndexMissing("the search index is not built yet; it is built by the load "
                                 "step of `steppewatch nightly` or `steppewatch demo`")
    stems = search_stems(con, query)
    rows = con.execute(statement("search/stories"), {
        "query": query, "all_terms": all_terms, "topic": topic, "country": country,
        "since": since, "limit": limit,
    }).fetchall()
    return [SearchHit(*row[:9], snippet=snippet(row[9], stems)) for row in rows]


def search_stems(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    """The query's words as the index holds them."""
    terms = con.execute(statement("search/terms"), {"query": query}).fetchone()[0]
    return [t for t in terms.split(" ") if t]


def stored_topics(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The topic ids of the stored tags, to check a --topic filter against."""
    return [row[0] for row in con.execute(statement("search/topics")).fetchall()]


def snippet(text: str, stems: list[str], width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of `text` around the first word starting with a query stem,
    that word marked **like this**; the start of the text when none is found."""
    folded = text.lower().translate(_FOLD)
    if len(folded) != len(text):  # a letter whose lower case has another length
        folded = text.translate(_FOLD)
    found = [m for s in stems if (m := re.search(rf"(?<!\w){re.escape(s)}\w*", folded))]
    if not found:
        return _squeeze(text[:width]) + ("…" if width < len(text) else "")
    first = min(found, key=lambda m: m.start())
    start, end = first.start(), first.end()
    begin = _word_start(text, max(start - width // 3, 0))
    stop = max(begin + width, end)
    marked = f"{text[begin:start]}**{text[start:end]}**{text[end:stop]}"
    return ("…" if begin else "") + _squeeze(marked) + ("…" if stop < len(text) else "")


def _word_start(text: str, index: int) -> int:
    """`index`, moved forward to the start of a word when it falls inside one."""
    if index == 0 or not text[index - 1].isalnum():
        return index
    space = re.compile(r"\s").search(text, index)
    return space.end() if space else index


def _squeeze(text: str) -> str:
    return " ".join(text.split())
