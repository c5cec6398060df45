"""Full-text search over the corpus: BM25 over title and text in every language of the region.

The index is a tantivy index in DATA/search/ (warehouse/search_index.py) of each article's
terms (warehouse/terms.py); queries use the topic queries' Lucene syntax
(warehouse/search_query.py). `refresh_search_index` adds only the articles the index lacks
or holds out of date and drops those no longer stored, in one commit; `reindex` builds a
whole new index beside the old one and swaps it in. DuckDB stays the source of truth:
`search_indexed` says what the index holds, and a hit shows the copy of the article the
index keeps (warehouse/search_index.py), so a query reads nothing else.

Readers open the index folder themselves, read-only (DuckDB's shut-in switches govern the
warehouse, not this folder); the writer's commits never make them wait.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import tantivy

from warehouse.connection import transaction
from warehouse.search_index import (
    SCHEMA,
    IndexDoc,
    day_number,
    exists,
    index_path,
    open_reader,
    swap_in,
    update,
)
from warehouse.search_query import Compiled, QueryError, compile_search, keyword_query
from warehouse.sql import statement
from warehouse.terms import fold, term, words

SNIPPET_CHARS = 220
BATCH = 2_000  # pending articles read from DuckDB at a time
__all__ = ["IndexRefresh", "QueryError", "SearchHit", "SearchIndexMissing", "index_ready",
           "refresh_search_index", "reindex", "search_scores", "search_stories", "snippet",
           "stored_topics"]


class SearchIndexMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class IndexRefresh:
    documents: int
    added: int
    seconds: float
    removed: int = 0


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
    # (start, end) of each word the query matched in the article's text, for a reader view.
    highlights: list[tuple[int, int]] = field(default_factory=list)


def data_dir_of(con: duckdb.DuckDBPyConnection) -> Path:
    """The folder of the warehouse file `con` has open (the index lives beside it)."""
    for _seq, name, path in con.execute("PRAGMA database_list").fetchall():
        if name not in ("temp", "system") and path:
            return Path(path).resolve().parent
    raise SearchIndexMissing("the connection has no warehouse file, so no search index")


def refresh_search_index(con: duckdb.DuckDBPyConnection,
                         on_step: Callable[[str], None] | None = None) -> IndexRefresh:
    """Bring the index in line with the warehouse: add the new articles and drop those gone
    (writer only). When an article it holds was tagged or extracted again since the last
    update (reprocess), every article is compared with the index and the changed ones are
    replaced too. `on_step("index")` is called between the index's commit and its
    bookkeeping in DuckDB: a crash there leaves a usable index, and the next run re-adds
    the same articles (adding replaces)."""
    started = time.perf_counter()
    path = index_path(data_dir_of(con))
    since = con.execute(statement("search/last_refresh")).fetchone()[0]
    if not exists(path):  # a first build, or the folder was removed: everything again
        con.execute(statement("search/indexed_forget"), {"ids": None})
    check_all = since is None or not exists(path) or con.execute(
        statement("search/index_touched"), {"since": since}).fetchone()[0]
    ids: list[str] = []
    signatures: list[str] = []
    gone: list[str] = []

    def removed() -> list[str]:
        """Articles indexed but no longer stored; when only new ones were looked for, the
        counts say whether there are any (articles = indexed - removed + new)."""
        indexed, stored = con.execute(statement("search/counts")).fetchone()
        if check_all or indexed - (stored - len(ids)) > 0:
            gone.extend(row[0] for row in con.execute(statement("search/index_gone")).fetchall())
        return gone

    con.execute(statement("search/index_pending"), {"all": check_all})
    added = update(path, _pending(con, ids, signatures), removed)
    if on_step:
        on_step("index")
    with transaction(con):
        con.execute(statement("search/indexed_forget"), {"ids": gone})
        con.execute(statement("search/indexed_record"), {"ids": ids, "signatures": signatures})
        con.execute(statement("search/refresh_done"), {
            "added": added, "removed": len(gone), "checked_all": check_all})
    documents = con.execute(statement("search/docs_count")).fetchone()[0]
    return IndexRefresh(documents, added, time.perf_counter() - started, len(gone))


def _pending(con: duckdb.DuckDBPyConnection, ids: list[str], signatures: list[str]
             ) -> Iterator[IndexDoc]:
    """The rows of the pending statement just run on `con` as index documents, with their
    texts read batch by batch by rowid on a second cursor; their ids and signatures are
    collected for the bookkeeping."""
    with con.cursor() as texts:
        while batch := con.fetchmany(BATCH):
            found = dict(texts.execute(statement("search/texts"), {
                "first": batch[0][-1], "last": batch[-1][-1]}).fetchall())
            for (article_id, title, language, source_id, outlet, countries, topics, day, url,
                 signature, rid) in batch:
                ids.append(article_id)
                signatures.append(signature)
                yield IndexDoc(article_id, title, found.get(rid), language,
                               (source_id, outlet), tuple(countries), tuple(topics), day, url,
                               outlet)


def reindex(con: duckdb.DuckDBPyConnection) -> IndexRefresh:
    """A whole new index from the warehouse, built beside the one readers use and swapped in
    when complete (writer only): a crash leaves the old index, or the new one."""
    started = time.perf_counter()
    path = index_path(data_dir_of(con))
    fresh = path.with_name(path.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    with transaction(con):
        con.execute(statement("search/indexed_forget"), {"ids": None})
        ids: list[str] = []
        signatures: list[str] = []
        con.execute(statement("search/index_pending"), {"all": True})
        added = update(fresh, _pending(con, ids, signatures), list)
        swap_in(fresh, path)
        con.execute(statement("search/indexed_record"), {"ids": ids, "signatures": signatures})
        con.execute(statement("search/refresh_done"), {
            "added": added, "removed": 0, "checked_all": True})
    return IndexRefresh(added, added, time.perf_counter() - started)


def index_ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the search index of `con`'s warehouse has been built."""
    return exists(index_path(data_dir_of(con)))


def _filters(topic: str | None, country: str | None, outlet: str | None,
             language: str | None, since: date | None, until: date | None
             ) -> list[tantivy.Query]:
    found = [keyword_query(name, value) for name, value in (
        ("topic", topic), ("country", country), ("outlet", outlet), ("lang", language))
        if value]
    if since or until:
        days = tantivy.Query.range_query(
            SCHEMA, "day", tantivy.FieldType.Integer,
            day_number(since) if since else None, day_number(until) if until else None)
        found.append(tantivy.Query.const_score_query(days, 0.0))
    return found


def search_stories(con: duckdb.DuckDBPyConnection, query: str, *, topic: str | None = None,
                   country: str | None = None, outlet: str | None = None,
                   language: str | None = None, since: date | None = None,
                   until: date | None = None, limit: int = 20,
                   all_terms: bool = True) -> list[SearchHit]:
    """Stories matching `query` (Lucene syntax, warehouse/search_query.py), best BM25 first,
    each with a snippet around its first match; the filters narrow by topic, country,
    outlet (id or name), language and day (inclusive). QueryError: a query that does not
    parse."""
    compiled = compile_search(query, languages=(language,) if language else None,
                              any_term=not all_terms)
    searcher, found = _find(con, compiled, limit, topic, country, outlet, language, since,
                            until)
    return [_hit(searcher.doc(address), score, compiled) for score, address in found]


def search_scores(con: duckdb.DuckDBPyConnection, query: str, *, topic: str | None = None,
                  country: str | None = None, outlet: str | None = None,
                  language: str | None = None, since: date | None = None,
                  until: date | None = None, limit: int = 1000) -> dict[str, float]:
    """The article ids `query` finds with their BM25 scores, best first, reading no text
    (for a page that shows the stories its own way, as the workspace does)."""
    compiled = compile_search(query, languages=(language,) if language else None)
    searcher, found = _find(con, compiled, limit, topic, country, outlet, language, since,
                            until)
    return {searcher.doc(address)["article_id"][0]: score for score, address in found}


def _find(con: duckdb.DuckDBPyConnection, compiled: Compiled, limit: int,
          *filters: str | date | None
          ) -> tuple[tantivy.Searcher, list[tuple[float, tantivy.DocAddress]]]:
    """The index's best `limit` documents for the query and filters, with their scores."""
    index = open_reader(index_path(data_dir_of(con)))
    if index is None:
        raise SearchIndexMissing("the search index is not built yet; it is built by the index "
                                 "step of `steppewatch nightly` or `steppewatch demo`, or "
                                 "by `steppewatch reindex`")
    clauses = [(tantivy.Occur.Must, q) for q in [compiled.query, *_filters(*filters)]]
    searcher = index.searcher()
    return searcher, searcher.search(tantivy.Query.boolean_query(clauses), limit,
                                     count=False).hits


def _hit(doc: tantivy.Document, score: float, compiled: Compiled) -> SearchHit:
    shown = json.loads(bytes(doc["shown"][0]))
    text, language = shown["text"] or "", shown["language"]
    spans = matched_spans(text, language, compiled)
    day = date.fromisoformat(shown["day"]) if shown["day"] else None
    return SearchHit(doc["article_id"][0], score, day, shown["outlet"], shown["countries"],
                     language, shown["topics"], shown["title"], shown["url"],
                     snippet(text, spans), spans)


def matched_spans(text: str, language: str | None, compiled: Compiled
                  ) -> list[tuple[int, int]]:
    """Offsets of the words of `text` the query looked for (their term, or a prefix)."""
    spans = []
    for word, start, end in words(text):
        if term(word, language) in compiled.terms or (
                compiled.prefixes and fold(word, language).startswith(tuple(compiled.prefixes))):
            spans.append((start, end))
    return spans


def stored_topics(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The topic ids of the stored tags, to check a --topic filter against."""
    return [row[0] for row in con.execute(statement("search/topics")).fetchall()]


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of `text` around the first matched word, the matched words
    in it marked **like this**; the start of the text when none matched."""
    if not spans:
        return _squeeze(text[:width]) + ("…" if width < len(text) else "")
    start, end = spans[0]
    begin = _word_start(text, max(start - width // 3, 0))
    stop = max(begin + width, end)
    stop = next((e for s, e in spans if s < stop < e), stop)  # never cut a marked word
    parts, at = [], begin
    for s, e in spans:
        if s >= begin and e <= stop:
            parts += [text[at:s], f"**{text[s:e]}**"]
            at = e
    parts.append(text[at:stop])
    return ("…" if begin else "") + _squeeze("".join(parts)) + ("…" if stop < len(text) else "")


def _word_start(text: str, index: int) -> int:
    """`index`, moved forward to the start of a word when it falls inside one."""
    if index == 0 or not text[index - 1].isalnum():
        return index
    space = re.compile(r"\s").search(text, index)
    return space.end() if space else index


def _squeeze(text: str) -> str:
    return " ".join(text.split())
