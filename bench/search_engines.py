"""Three search engines on the same terms: which one to keep the search index in.

    python bench/search_engines.py --data DIR [--articles 100000]

DIR holds a warehouse of bench/warehouse_bench.py's generated articles (search_bench.py
--data makes one). Every article is turned into terms once (warehouse/terms.py); then each
engine indexes the first N - 2,000 articles (build), adds the last 2,000 (a night) and
answers the same queries (top 20 by BM25, median and 95th percentile of 3 rounds):

- duckdb: a DuckDB-native appendable BM25: a postings table (term, doc, tf) and a
  document-length table, appended to; a query sums BM25 over the postings of its terms;
- fts5: SQLite FTS5 (stdlib sqlite3) over the same terms, bm25() ranking;
- tantivy: tantivy's Python binding over the same terms.

Prints a Markdown table (docs/DECISIONS.md quotes it). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import tantivy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warehouse.connection import open_readonly  # noqa: E402
from warehouse.terms import query_terms, text_terms  # noqa: E402

NIGHT = 2_000
QUERIES = ["пытки", "милиции", "torture", "police", "qiynoq", "шиканҷа", "кыйноо", "азаптау",
           "government", "сообщил", "пытки милиции", "police detained"]
Docs = list[tuple[int, str]]  # (doc number, terms joined by spaces)


def corpus(data: Path, articles: int) -> Docs:
    with open_readonly(data) as con:
        rows = con.execute("SELECT title, text, language FROM articles ORDER BY article_id "
                           "LIMIT ?", [articles]).fetchall()
    return [(n, " ".join(text_terms(f"{title} {text}", lang)))
            for n, (title, text, lang) in enumerate(rows)]


def query_words(query: str) -> list[list[str]]:
    return [query_terms(word) for word in query.split()]


class DuckDBEngine:
    def __init__(self, folder: Path) -> None:
        self.con = duckdb.connect(str(folder / "bm25.duckdb"))
        self.con.execute("CREATE TABLE postings (term VARCHAR, doc INTEGER, tf USMALLINT);"
                         "CREATE TABLE lengths (doc INTEGER, len INTEGER)")

    def add(self, docs: Docs) -> None:
        for start in range(0, len(docs), 20_000):
            batch = docs[start:start + 20_000]
            self.con.execute("CREATE OR REPLACE TEMP TABLE raw AS SELECT unnest($d) AS doc, "
                             "unnest($t) AS terms", {"d": [d for d, _ in batch],
                                                     "t": [t for _, t in batch]})
            self.con.execute("INSERT INTO postings SELECT term, doc, count(*) FROM "
                             "(SELECT doc, unnest(string_split(terms, ' ')) AS term FROM raw) "
                             "GROUP BY ALL; INSERT INTO lengths SELECT doc, "
                             "len(string_split(terms, ' ')) FROM raw")

    def search(self, query: str) -> list:
        words = query_words(query)
        return self.con.execute("""
            WITH q AS (SELECT unnest($terms) AS term),
            n AS (SELECT count(*) AS docs, avg(len) AS avgdl FROM lengths),
            df AS (SELECT term, count(*) AS df FROM postings WHERE term IN (SELECT term FROM q)
                   GROUP BY term)
            SELECT p.doc, sum(ln(1 + (n.docs - df.df + 0.5) / (df.df + 0.5)) * p.tf * 2.2
                              / (p.tf + 1.2 * (0.25 + 0.75 * l.len / n.avgdl))) AS score
            FROM postings p JOIN df USING (term) JOIN lengths l USING (doc), n
            GROUP BY p.doc HAVING count(DISTINCT p.term) >= $needed
            ORDER BY score DESC LIMIT 20""",
            {"terms": [t for w in words for t in w], "needed": len(words)}).fetchall()


class Fts5Engine:
    def __init__(self, folder: Path) -> None:
        self.con = sqlite3.connect(folder / "fts5.sqlite")
        self.con.execute("PRAGMA journal_mode = WAL")
        self.con.execute("CREATE VIRTUAL TABLE f USING fts5(terms, "
                         "tokenize = 'unicode61 remove_diacritics 0')")

    def add(self, docs: Docs) -> None:
        with self.con:
            self.con.executemany("INSERT INTO f (rowid, terms) VALUES (?, ?)", docs)

    def search(self, query: str) -> list:
        match = " AND ".join("(" + " OR ".join(f'"{t}"' for t in w) + ")"
                             for w in query_words(query))
        return self.con.execute("SELECT rowid, bm25(f) FROM f WHERE f MATCH ? ORDER BY rank "
                                "LIMIT 20", [match]).fetchall()


class TantivyEngine:
    def __init__(self, folder: Path) -> None:
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("doc", stored=True)
        builder.add_text_field("terms", tokenizer_name="whitespace")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(folder))

    def add(self, docs: Docs) -> None:
        writer = self.index.writer(heap_size=200_000_000, num_threads=1)
        for doc, terms in docs:
            writer.add_document(tantivy.Document(doc=doc, terms=terms))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def search(self, query: str) -> list:
        must = [tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "terms", t))
             for t in w]) for w in query_words(query)]
        q = tantivy.Query.boolean_query([(tantivy.Occur.Must, m) for m in must])
        return self.index.searcher().search(q, 20, count=False).hits


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def measure(name: str, engine: type, docs: Docs, folder: Path) -> str:
    folder.mkdir()
    index = engine(folder)
    build = timed(lambda: index.add(docs[:-NIGHT]))
    night = timed(lambda: index.add(docs[-NIGHT:]))
    runs = [timed(lambda q=q: index.search(q)) * 1000 for _ in range(3) for q in QUERIES]
    p95 = statistics.quantiles(runs, n=20)[18]
    return (f"| {name} | {build:.1f} s | {night:.2f} s | {statistics.median(runs):.1f} ms | "
            f"{p95:.1f} ms | {size_mib(folder):.0f} MiB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    started = time.perf_counter()
    docs = corpus(args.data, args.articles)
    print(f"{len(docs):,} articles turned into terms in {time.perf_counter() - started:.1f} s;"
          f" {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n")
    print("| engine | build | add 2,000 | query p50 | query p95 | size |\n|---|---:|---:|---:|"
          "---:|---:|")
    with tempfile.TemporaryDirectory(prefix="search-engines-") as scratch:
        for name, engine in (("duckdb", DuckDBEngine), ("fts5", Fts5Engine),
                             ("tantivy", TantivyEngine)):
            print(measure(name, engine, docs, Path(scratch) / name), flush=True)


if __name__ == "__main__":
    main()
