"""Search at scale: build the index over N generated articles, add 2,000, time 50 queries.

    python bench/search_bench.py --articles 100000 [--json] [--data DIR]

The articles are bench/warehouse_bench.py's (generated inside DuckDB: 20 outlets over the
five countries, six languages, real topic words in one article of eight among invented
ones, topics on ~15%). It times, as the nightly and a reader run them:

- build_s: `refresh_search_index` over all N articles (the first build);
- add_2000_s: 2,000 new articles loaded, then `refresh_search_index` with the word caches
  emptied, as in a nightly's fresh process (a night's update, and about how long readers
  of the warehouse wait for it);
- query_p50_ms, query_p95_ms: `search_stories` (top 20 with snippets, read-only) over the
  fixed mix of QUERIES below, once warm, each query once;
- index_mib: what the index adds on disk (DATA/search/ and the warehouse's growth).

Only the keyword filters both the fts search and the tantivy one take are used (topic,
country, since), so the same script measures either (run it from a checkout of the older
commit for the fts figures). A --data folder is kept: a rerun reuses its generated articles
and indexes them again from scratch.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.warehouse_bench import NEW_PER_NIGHT, build  # noqa: E402
from warehouse.connection import WAREHOUSE_FILE, open_readonly, open_warehouse  # noqa: E402
from warehouse.search import refresh_search_index, search_stories  # noqa: E402
from warehouse.terms import forget_words  # noqa: E402

SINCE = date.today().replace(day=1)
# (query, filters): single words in each language, phrases, boolean, prefixes, filters.
QUERIES: list[tuple[str, dict]] = [
    ("пытки", {}), ("милиции", {}), ("задержали", {}), ("митинг", {}), ("протест", {}),
    ("суд", {}), ("сотрудники", {}), ("полиция", {}),
    ("torture", {}), ("police", {}), ("protesters", {}), ("detained", {}), ("court", {}),
    ("азаптау", {}), ("наразылық", {}), ("кыйноо", {}), ("qiynoq", {}), ("қийноқ", {}),
    ("шиканҷа", {}), ("шиканча", {}), ("намойиш", {}), ("norozilik", {}),
    ("government", {}), ("сообщил", {}), ("haqida", {}),
    ('"пытки милиции"', {}), ('"police detained"', {}), ('"сотрудники полиция"', {}),
    ('"кыйноо милиции"', {}), ('"qiynoq haqida"', {}),
    ("пытки AND милиции", {}), ("torture OR police", {}), ("протест NOT суд", {}),
    ("(пытки OR torture) AND милиции", {}), ("qiynoq OR шиканҷа OR кыйноо OR азаптау", {}),
    ("пытк*", {}), ("tortur*", {}), ("наразы*", {}),
    ("пытки", {"topic": "torture"}), ("torture", {"topic": "torture"}),
    ("милиции", {"country": "KG"}), ("police", {"country": "KZ"}),
    ("протест", {"since": SINCE}), ("court", {"since": SINCE}),
    ("пытки милиции", {"topic": "police", "country": "KG"}),
    ("шиканҷа", {"country": "TJ"}), ("qiynoq", {"country": "UZ", "topic": "torture"}),
    ("задержали", {"topic": "protest", "since": SINCE}),
    ("кыйноо OR пытки", {"country": "KG"}), ("government", {"country": "TM"}),
]
assert len(QUERIES) == 50


def timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def disk_mib(data: Path) -> float:
    """The warehouse file and the index folder, in MiB."""
    total = (data / WAREHOUSE_FILE).stat().st_size
    index = data / "search"
    if index.is_dir():
        total += sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    return total / 2**20


def _stored(data: Path) -> int:
    if not (data / WAREHOUSE_FILE).exists():
        return 0
    with open_readonly(data) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def _forget_index(data: Path) -> None:
    """A reused folder is indexed from scratch: the generated articles only."""
    shutil.rmtree(data / "search", ignore_errors=True)
    with open_warehouse(data) as con:
        for table in ("search_indexed", "search_docs"):  # today's or the fts one
            if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                           [table]).fetchone()[0]:
                con.execute(f"DELETE FROM {table}")  # noqa: S608 (names of this script)


def run(data: Path, articles: int, words: int, keep_index: bool = False
        ) -> dict[str, float | None]:
    stored = _stored(data)
    if stored < articles:
        build(data, articles - stored, words, first_id=stored)
    build_s: float | None = None
    if keep_index and (data / "search").is_dir():  # time a night and queries only
        index_mib = sum(p.stat().st_size for p in (data / "search").rglob("*")) / 2**20
    else:
        _forget_index(data)
        before = disk_mib(data)
        with open_warehouse(data) as con:
            build_s = round(timed(lambda: refresh_search_index(con)), 2)
        index_mib = disk_mib(data) - before
    build(data, NEW_PER_NIGHT, words, first_id=_stored(data))
    forget_words()  # a nightly is a fresh process: no word of the build is known yet
    with open_warehouse(data) as con:
        add_s = timed(lambda: refresh_search_index(con))
    with open_readonly(data) as con:
        for query, filters in QUERIES:  # warm: the files in the page cache, as by day
            search_stories(con, query, limit=20, **filters)
        times = [timed(lambda q=q, f=f: search_stories(con, q, limit=20, **f)) * 1000
                 for q, f in QUERIES]
    return {"articles": articles, "build_s": build_s, "add_2000_s": round(add_s, 2),
            "query_p50_ms": round(statistics.median(times), 1),
            "query_p95_ms": round(statistics.quantiles(times, n=20)[18], 1),
            "index_mib": round(index_mib, 1), "cores": os.cpu_count() or 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=150, help="words per article text")
    parser.add_argument("--data", type=Path, default=None, help="folder for the warehouse, "
                        "kept and reused by the next run (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep-index", action="store_true", help="with --data: keep the "
                        "index built by an earlier run (build_s is then null)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="search-bench-") as scratch:
        figures = run(args.data or Path(scratch), args.articles, args.words, args.keep_index)
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:>14}: {value}")


if __name__ == "__main__":
    main()
