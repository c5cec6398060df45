"""DuckDB memory budget of the big steps: a step that fits runs once within it; one that
cannot fit runs again without it; the connection's usual limit is back either way."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.connection import open_warehouse, within_memory_budget

# Needs far more than 1 MB of memory that DuckDB cannot spill (one list of 3 million).
BIG = "SELECT max(length(s)) FROM (SELECT list(i) AS s FROM range(3000000) t(i))"


def _limit(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_a_step_that_fits_runs_once_within_the_budget(tmp_path: Path) -> None:
    with open_warehouse(tmp_path) as con:
        seen: list[str] = []
        assert within_memory_budget(con, lambda: seen.append(_limit(con)) or 7, "1MB") == 7
        assert seen == ["976.5 KiB"]  # DuckDB shows 1 MB in KiB
        assert con.execute(BIG).fetchone()[0] == 3000000  # the budget is gone again


def test_a_step_too_big_for_the_budget_runs_again_without_it(tmp_path: Path) -> None:
    with open_warehouse(tmp_path) as con:
        attempts: list[str] = []

        def step() -> int:
            attempts.append(_limit(con))
            return con.execute(BIG).fetchone()[0]

        assert within_memory_budget(con, step, "1MB") == 3000000
        assert len(attempts) == 2 and attempts[0] == "976.5 KiB" != attempts[1]
        assert con.execute(BIG).fetchone()[0] == 3000000
