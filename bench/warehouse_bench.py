"""Warehouse at scale: build N synthetic articles, time search, an aggregate, the index rebuild.

    python bench/warehouse_bench.py [--articles 1000000] [--words 150] [--repeats 5] [--data DIR]

Rows are generated inside DuckDB: 20 outlets over the five countries, articles in six
languages whose titles and texts mix real words (topic words in about one article in eight)
with invented ones from syllables (a vocabulary of ~30,000 words per script, Zipf-like), and
topic tags on ~15% of them. It then times, as the nightly and an analyst would run them:

- the first search index build (every article's terms into the index; with a reused
  --data folder the index is dropped first, so this is always from scratch);
- the nightly refresh: 2,000 new articles added to the index (bench/search_bench.py
  measures search on its own);
- a BM25 query through `search_stories` (two Russian words, stemmed), read-only;
- a topic-per-month aggregate over `stories`, read-only.

Each timing is the median of --repeats runs (the first build runs once). Prints a Markdown
table; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.connection import WAREHOUSE_FILE, open_readonly, open_warehouse
from warehouse.search import refresh_search_index, search_stories

HERE = Path(__file__).resolve().parent
NEW_PER_NIGHT = 2_000
TOPIC_PER_MONTH = """
SELECT date_trunc('month', day)::DATE AS month, topic, count(*) AS stories
FROM stories, unnest(topics) AS t(topic)
GROUP BY ALL ORDER BY month, topic
"""


def _generate_sql() -> str:
    return (HERE / "warehouse_bench.sql").read_text()


def build(data: Path, articles: int, words: int, first_id: int = 0) -> float:
    started = time.perf_counter()
    with open_warehouse(data) as con:
        variables = {"articles": articles, "words": words, "first_id": first_id,
                     "now": datetime.now(UTC)}
        for name, value in variables.items():
            con.execute(f"SET VARIABLE {name} = ?", [value])  # names are this script's own
        con.execute(_generate_sql())
    return time.perf_counter() - started


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_of(repeats: int, action: Callable[[], object]) -> tuple[float, list[float]]:
    runs = [timed(action) for _ in range(repeats)]
    return statistics.median(runs), runs


def nightly_refresh(data: Path, words: int) -> float:
    build(data, NEW_PER_NIGHT, words, first_id=_stored(data))
    with open_warehouse(data) as con:
        return timed(lambda: refresh_search_index(con))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--words", type=int, default=150, help="words per article text")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--data", type=Path, default=None, help="folder for the warehouse, "
                        "kept and reused by the next run (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="warehouse-bench-") as scratch:
        run(args.data or Path(scratch), args.articles, args.words, args.repeats)


def run(data: Path, articles: int, words: int, repeats: int) -> None:
    print(f"cores: {os.cpu_count()}; duckdb {duckdb.__version__}; {articles:,} articles of "
          f"{words} words; repeats: {repeats}")
    if _stored(data) >= articles:
        print(f"reusing the {_stored(data):,} articles in {data}")
    else:
        built = build(data, articles, words)
        size = (data / WAREHOUSE_FILE).stat().st_size / 2**30
        print(f"generated in {built:.1f} s ({size:.2f} GiB before the index)")
    shutil.rmtree(data / "search", ignore_errors=True)  # a reused warehouse is indexed from
    with open_warehouse(data) as con:  # scratch too
        con.execute("DELETE FROM search_indexed")
        indexed = _stored(data, con)
        first = timed(lambda: refresh_search_index(con))
    nightly = [nightly_refresh(data, words) for _ in range(repeats)]
    with open_readonly(data) as con:
        hits = search_stories(con, "пытки милиции", limit=20)
        fts, fts_runs = median_of(repeats, lambda: search_stories(con, "пытки милиции",
                                                                  limit=20))
        single, _ = median_of(repeats, lambda: search_stories(con, "torture", limit=20))
        months = con.execute(TOPIC_PER_MONTH).fetchall()
        aggregate, agg_runs = median_of(repeats, lambda: con.execute(TOPIC_PER_MONTH).fetchall())
        total = con.execute("SELECT count(*) FROM stories").fetchone()[0]
    size = (data / WAREHOUSE_FILE).stat().st_size / 2**30
    print(f"stories: {total:,}; warehouse with index: {size:.2f} GiB; query found {len(hits)} "
          f"stories; aggregate has {len(months)} rows\n")
    print("| operation | median | runs |\n|---|---:|---|")
    print(f"| first index build (normalise {indexed:,} + BM25 index) | {first:.1f} s | 1 |")
    print(f"| nightly refresh ({NEW_PER_NIGHT:,} new articles) | "
          f"{statistics.median(nightly):.1f} s | {_runs(nightly)} |")
    print(f"| FTS query 'пытки милиции' (top 20, with snippets) | {fts * 1000:.0f} ms | "
          f"{_runs(fts_runs, 1000)} |")
    print(f"| FTS query 'torture' (top 20) | {single * 1000:.0f} ms | |")
    print(f"| topic-per-month aggregate over stories | {aggregate * 1000:.0f} ms | "
          f"{_runs(agg_runs, 1000)} |")


def _stored(data: Path, con: duckdb.DuckDBPyConnection | None = None) -> int:
    """Articles already in the warehouse at `data` (a rerun skips the generation)."""
    if con is not None:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    if not (data / WAREHOUSE_FILE).exists():
        return 0
    with open_readonly(data) as reader:
        return _stored(data, reader)


def _runs(values: list[float], scale: float = 1.0) -> str:
    return ", ".join(f"{v * scale:.0f}" if scale > 1 else f"{v:.1f}" for v in values)


if __name__ == "__main__":
    main()
