"""Checks of stored articles and the changes they found, read and written
(tables article_checks and story_changes, migration 011; statements/changes/).

What a check means is decided in flows/changes.py; this module only moves rows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from warehouse.sql import records, statement


@dataclass(frozen=True)
class Check:
    """One revisit of a stored article (a row of article_checks)."""
    article_id: str
    state: str  # present, not_modified, gone, failed
    reason: str | None = None
    http_status: int | None = None
    capture_id: str | None = None
    final_capture_id: str | None = None
    text_sha1: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Change:
    """One change a check found (a row of story_changes)."""
    article_id: str
    kind: str  # edited, headline, removed, restored
    evidence: tuple[str, ...]  # capture ids
    previous_sha1: str | None = None
    new_sha1: str | None = None
    previous_title: str | None = None
    new_title: str | None = None
    reason: str | None = None



def run_started(con: duckdb.DuckDBPyConnection, run_id: str) -> datetime:
    return con.execute(statement("changes/run_started"), {"run_id": run_id}).fetchone()[0]


def run_checks(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """What each revisit of the run found: first answer, extracted capture, error."""
    return records(con.execute(statement("changes/run_checks"), {"run_id": run_id}))


def revisit_extracts(con: duckdb.DuckDBPyConnection, run_id: str,
                     run_dir: Path) -> dict[str, dict[str, Any]]:
    """Capture id -> text_sha1 and title of each article the run extracted on a revisit."""
    files = sorted(str(p) for p in run_dir.glob("*/extracted.jsonl") if p.stat().st_size)
    if not files:
        return {}
    rows = records(con.execute(statement("changes/revisit_extracts"),
                              {"run_id": run_id, "files": files}))
    return {row["capture_id"]: row for row in rows}


def history(con: duckdb.DuckDBPyConnection, run_id: str,
            article_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Article id -> what earlier runs know: last text and headline, last answered check,
    whether it stands removed."""
    if not article_ids:
        return {}
    rows = records(con.execute(statement("changes/history"),
                              {"run_id": run_id, "ids": ",".join(article_ids)}))
    return {row["article_id"]: row for row in rows}


def version_texts(con: duckdb.DuckDBPyConnection,
                  article_ids: list[str]) -> dict[tuple[str, str], str]:
    """(article id, text_sha1) -> text, for every stored version of the articles."""
    if not article_ids:
        return {}
    rows = con.execute(statement("changes/version_texts"), {"ids": ",".join(article_ids)})
    return {(article_id, sha1): text for article_id, sha1, text in rows.fetchall()}


def evidence(con: duckdb.DuckDBPyConnection, capture_ids: tuple[str, ...]) -> list[dict]:
    """The archived answers behind a change, in fetch order, as JSON-ready dicts."""
    rows = records(con.execute(statement("changes/evidence"), {"ids": ",".join(capture_ids)}))
    return [{**row, "fetched_at": row["fetched_at"].isoformat()} for row in rows]


def story_changes(con: duckdb.DuckDBPyConnection, article_id: str) -> list[dict[str, Any]]:
    """What revisits found in one story, oldest first, each with its evidence (a list)."""
    rows = records(con.execute(statement("changes/of_story"), {"article_id": article_id}))
    return [{**row, "evidence": json.loads(row["evidence"])} for row in rows]


def change_id(article_id: str, kind: str, run_id: str) -> str:
    return hashlib.md5(f"{article_id}\0{kind}\0{run_id}".encode()).hexdigest()


def record(con: duckdb.DuckDBPyConnection, run_id: str, checked_at: datetime,
           checks: list[Check], changes: list[Change]) -> None:
    """Store the run's checks and changes (idempotent: a run loaded again adds nothing)."""
    for check in checks:
        con.execute(statement("changes/insert_check"),
                    {**asdict(check), "run_id": run_id, "checked_at": checked_at})
    for change in changes:
        params = {**asdict(change), "run_id": run_id, "detected_at": checked_at,
                  "change_id": change_id(change.article_id, change.kind, run_id),
                  "evidence": json.dumps(evidence(con, change.evidence), ensure_ascii=False)}
        con.execute(statement("changes/insert_change"), params)
