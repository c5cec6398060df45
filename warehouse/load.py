"""The load step: a run's staged files into the warehouse, one transaction per source.

Every insert is idempotent (stable keys, INSERT OR IGNORE), so loading the same
run twice, or a run resumed after a crash, adds no duplicate row. Statements:
warehouse/statements/load/. What the crawl reads first is warehouse/crawl_state.py; a run's
start and end, warehouse/runs.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from crawlers.staging import SourceStaging
from warehouse.connection import transaction
from warehouse.sql import statement

# Staged file name -> the statement of warehouse/statements/load/ that loads it; order matters
# (tags and versions need articles, coverage gaps need links, aliases and errors).
STAGED_FILES = (
    (SourceStaging.CAPTURES, "captures"),
    (SourceStaging.EXTRACTED, "articles"),
    (SourceStaging.EXTRACTED, "article_versions"),
    (SourceStaging.EXTRACTED, "telegram_posts"),
    (SourceStaging.EXTRACTED, "older_than_since"),
    (SourceStaging.PLACES, "article_places"),
    (SourceStaging.TAGGED, "article_topics"),
    (SourceStaging.TAGGED, "article_near_misses"),
    (SourceStaging.ERRORS, "run_errors"),
    (SourceStaging.EXTRACT_ERRORS, "run_errors"),
    (SourceStaging.LINKS, "listed_links"),
    (SourceStaging.PAGES, "url_aliases"),
    (SourceStaging.EXTRACTED, "capture_outcomes"),
    (SourceStaging.ERRORS, "capture_outcomes"),
    (SourceStaging.EXTRACT_ERRORS, "capture_outcomes"),
)


@dataclass(frozen=True)
class SourceRun:
    source_id: str
    status: str
    message: str | None
    pages_fetched: int
    article_pages: int
    skipped_seen: int
    errors: int
    bytes: int
    seconds: float


def load_run(con: duckdb.DuckDBPyConnection, run_id: str, run_dir: Path,
             source_runs: list[SourceRun],
             on_statement: Callable[[str], None] | None = None) -> dict[str, int]:
    """Load the staged files of the run, one transaction per source, then the run's figures
    in one more; new articles per source.

    Every statement inserts with INSERT OR IGNORE on stable keys, so a load cut short (the
    sources committed before stay) is completed by loading the run again, and nothing is
    stored twice. One transaction per source, not per run: DuckDB holds a transaction's
    rows in memory (a night of 20,000 articles: 913 MiB in one, 589 MiB per source).
    `on_statement("load")` is called after each statement inside a transaction (the
    restart tests crash there)."""
    source_dirs = sorted(p for p in run_dir.iterdir() if p.is_dir()) if run_dir.is_dir() else []
    for source_dir in source_dirs:
        with transaction(con):
            _load_staged(con, run_id, source_dir, on_statement)
    with transaction(con):
        new = dict(con.execute(statement("load/articles_new"), {"run_id": run_id}).fetchall())
        for run in source_runs:
            con.execute(statement("load/source_runs"), {
                "run_id": run_id, **run.__dict__, "articles_new": new.get(run.source_id, 0),
            })
        con.execute(statement("load/source_run_figures"), {"run_id": run_id})
    return new


def _load_staged(con: duckdb.DuckDBPyConnection, run_id: str, source_dir: Path,
                 on_statement: Callable[[str], None] | None) -> None:
    for file_name, name in STAGED_FILES:
        staged = source_dir / file_name
        if staged.exists():
            con.execute(statement(f"load/{name}"), {"files": [str(staged)], "run_id": run_id})
            if on_statement:
                on_statement("load")
