"""The one loader of the warehouse's SQL files; Python never builds SQL from strings.

`statement("load/articles")` is warehouse/statements/load/articles.sql: statements live in
folders named for their purpose (load, crawl, runs, alerts, search, …). Migrations
(warehouse/migrations), views (warehouse/views) and saved queries (warehouse/queries) list
their own folders and read each file with `sql_file`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import duckdb

PACKAGE = resources.files("warehouse")
STATEMENTS = PACKAGE / "statements"
_NAME = re.compile(r"[a-z0-9_]+(/[a-z0-9_]+)*")


class UnknownStatement(LookupError):
    pass


def sql_file(entry: Traversable) -> str:
    """The text of one .sql file of the package."""
    return entry.read_text(encoding="utf-8")


@cache
def statement(name: str) -> str:
    """The SQL of warehouse/statements/NAME.sql (NAME as `purpose/name`), read once."""
    path = STATEMENTS.joinpath(*f"{name}.sql".split("/")) if _NAME.fullmatch(name) else None
    if path is None or not path.is_file():
        raise UnknownStatement(f"no statement {name!r} in warehouse/statements")
    return sql_file(path)


def records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """An executed statement's rows as dicts keyed by column name."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
