"""Finishing the work of runs that were killed: their staged files are loaded, once.

A killed run leaves its WARC records and staging files (captures, pages, maybe
extracted and tagged rows) and a crawl_runs row still marked 'running'. The next
run extracts and tags what is missing, loads it with the same idempotent statements,
and marks the old run 'recovered', so nothing fetched is lost or stored twice.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from flows.crawl import count_lines
from flows.extract import extract_source
from flows.tag import tag_source
from flows.tagging.tagger import Tagger
from warehouse.connection import open_warehouse
from warehouse.load import SourceRun, finish_run, load_run

STAGED = ("captures.jsonl", "pages.jsonl", "errors.jsonl", "links.jsonl")


def unfinished_runs(con: duckdb.DuckDBPyConnection, current_run: str) -> list[str]:
    rows = con.execute("SELECT run_id FROM crawl_runs WHERE status = 'running' AND run_id <> ? "
                       "ORDER BY started_at", [current_run]).fetchall()
    return [r[0] for r in rows]


def drop_partial_lines(path: Path) -> None:
    """A process killed while appending leaves a last line cut short; keep whole lines only."""
    if not path.exists():
        return
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    whole = [ln for ln in lines if ln.endswith("\n") and _is_json(ln)]
    if len(whole) != len(lines):
        path.write_text("".join(whole), encoding="utf-8")


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _source_run(source_dir: Path) -> SourceRun:
    captures = [json.loads(ln) for ln in (source_dir / "captures.jsonl").open(encoding="utf-8")]
    return SourceRun(
        source_id=source_dir.name, status="ok", message="recovered after an interrupted run",
        pages_fetched=len(captures),
        article_pages=sum(1 for c in captures if c["kind"] == "article"),
        skipped_seen=0,
        errors=count_lines(source_dir / "errors.jsonl"),
        bytes=sum(c["bytes"] for c in captures), seconds=0.0,
    )


def complete_staging(run_dir: Path, data_dir: Path, tagger: Tagger,
                     languages: dict[str, list[str]]) -> list[SourceRun]:
    """Extract and tag whatever a killed run had crawled but not yet processed."""
    runs = []
    for source_dir in sorted(p for p in run_dir.iterdir() if p.is_dir()):
        if not (source_dir / "captures.jsonl").exists():
            continue
        for name in STAGED:
            drop_partial_lines(source_dir / name)
        if not (source_dir / "extracted.jsonl").exists():
            extract_source(source_dir.name, languages.get(source_dir.name, []), source_dir,
                           data_dir, topics_file=tagger.path)
        if not (source_dir / "tagged.jsonl").exists():
            tag_source(source_dir, tagger)
        runs.append(_source_run(source_dir))
    return runs


def recover_runs(data_dir: Path, current_run: str, tagger: Tagger,
                 languages: dict[str, list[str]]) -> list[str]:
    """Finish every run left 'running' by a killed process; their ids."""
    with open_warehouse(data_dir) as con:
        run_ids = unfinished_runs(con, current_run)
    for run_id in run_ids:
        run_dir = data_dir / "runs" / run_id
        runs = complete_staging(run_dir, data_dir, tagger, languages) if run_dir.is_dir() else []
        with open_warehouse(data_dir) as con:
            load_run(con, run_id, run_dir, runs)
            finish_run(con, run_id, "recovered", None)
    return run_ids
