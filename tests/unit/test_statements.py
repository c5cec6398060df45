"""The warehouse's SQL files: statements in folders by purpose, one loader, no SQL in flows/."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from warehouse.sql import STATEMENTS, UnknownStatement, statement

ROOT = Path(__file__).resolve().parents[2]
RUNS_SQL = {"execute", "executemany", "sql", "query"}  # DuckDB connection methods


def calls(folder: str) -> Iterator[tuple[Path, ast.Call]]:
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                yield path, node


def test_every_statement_sits_in_a_folder_named_for_its_purpose() -> None:
    root = Path(str(STATEMENTS))
    assert sorted(p.name for p in root.glob("*.sql")) == []
    assert {p.parent.name for p in root.glob("*/*.sql")} >= {"load", "crawl", "runs", "alerts"}


def test_statement_reads_purpose_and_name_and_refuses_an_unknown_one() -> None:
    assert "INSERT OR IGNORE INTO articles" in statement("load/articles")
    for name in ("articles", "load/nothing", "../sql", "load/../load/articles"):
        with pytest.raises(UnknownStatement, match="no statement"):
            statement(name)


def test_every_statement_the_code_names_exists() -> None:
    names = {node.args[0].value for folder in ("flows", "warehouse", "bench")
             for _, node in calls(folder)
             if isinstance(node.func, ast.Name) and node.func.id == "statement"
             and isinstance(node.args[0], ast.Constant)}
    assert "load/source_runs" in names
    for name in sorted(names):
        statement(name)  # raises UnknownStatement


def test_no_sql_is_written_inline_in_flows() -> None:
    """flows/ runs SQL only from warehouse/statements (or through warehouse functions)."""
    inline = [f"{path.relative_to(ROOT)}:{node.lineno}"
              for path, node in calls("flows")
              if isinstance(node.func, ast.Attribute) and node.func.attr in RUNS_SQL
              and isinstance(node.args[0], ast.Constant | ast.JoinedStr | ast.BinOp)]
    assert inline == []
