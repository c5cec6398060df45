"""Reading the run history for people: outlets with their latest health (all, or one), an
outlet's recent runs, the runs of the warehouse (all, or one) and one run's outlets.
Statements: warehouse/statements/history/."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from warehouse.sql import records, statement


def source_overview(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every outlet with its latest run's figures, gaps by reason and stale counts."""
    return _with_error_kinds(con.execute(statement("history/sources"), {"source_id": None}))


def source_detail(con: duckdb.DuckDBPyConnection, source_id: str) -> dict[str, Any] | None:
    """One outlet as source_overview gives it, read alone; None for an unknown outlet."""
    rows = _with_error_kinds(con.execute(statement("history/sources"),
                                         {"source_id": source_id}))
    return rows[0] if rows else None


def source_runs(con: duckdb.DuckDBPyConnection, source_id: str,
                limit: int = 30) -> list[dict[str, Any]]:
    return _with_error_kinds(con.execute(statement("history/source_runs"),
                                         {"source_id": source_id, "limit": limit}))


def run_history(con: duckdb.DuckDBPyConnection, limit: int = 200) -> list[dict[str, Any]]:
    return records(con.execute(statement("history/runs"), {"run_id": None, "limit": limit}))


def run_detail(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any] | None:
    """One run as run_history gives it, read alone; None for an unknown run."""
    rows = records(con.execute(statement("history/runs"), {"run_id": run_id, "limit": 1}))
    return rows[0] if rows else None


def run_sources(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    return _with_error_kinds(con.execute(statement("history/run_sources"), {"run_id": run_id}))


def _with_error_kinds(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Rows with `errors_by_kind` as a dict (stored as JSON text)."""
    rows = records(cursor)
    for row in rows:
        row["errors_by_kind"] = json.loads(row.get("errors_by_kind") or "{}") or {}
    return rows

