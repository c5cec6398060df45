"""Run bookkeeping: a run begins, ends, and is found unfinished after a crash; the outlets
of sources.toml as rows. Statements: warehouse/statements/runs/."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from warehouse.sql import statement


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, started_at: datetime, mode: str,
              flow_run_id: str | None, topics_version: str) -> None:
    """A run begins (a resumed run keeps its first start time)."""
    con.execute(statement("runs/start"), {
        "run_id": run_id, "started_at": started_at, "mode": mode,
        "flow_run_id": flow_run_id, "topics_version": topics_version,
    })


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str,
               report_path: str | None) -> None:
    con.execute(statement("runs/finish"),
                {"run_id": run_id, "status": status, "report_path": report_path})


def unfinished_runs(con: duckdb.DuckDBPyConnection, current_run: str) -> list[str]:
    """Runs other than `current_run` still marked 'running' (a killed process), oldest first."""
    rows = con.execute(statement("runs/unfinished"), {"current_run": current_run}).fetchall()
    return [row[0] for row in rows]


def upsert_sources(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """One row per outlet of sources.toml; a row follows the config."""
    for row in rows:
        con.execute(statement("runs/sources"), row)
