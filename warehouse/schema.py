"""What the warehouse holds, as its COMMENT ON descriptions say (`steppewatch schema`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from warehouse.sql import statement


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    comment: str | None


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str  # view or table
    comment: str | None
    columns: list[Column] = field(default_factory=list)


def describe(con: duckdb.DuckDBPyConnection, include_tables: bool = False) -> list[Relation]:
    """The documented views (and, if asked, the tables) with their columns, in schema order."""
    rows = con.execute(statement("schema/columns"),
                       {"include_tables": include_tables}).fetchall()
    relations: dict[str, Relation] = {}
    for name, kind, comment, column, column_type, column_comment in rows:
        relation = relations.setdefault(name, Relation(name, kind, comment))
        relation.columns.append(Column(column, column_type, column_comment))
    return list(relations.values())
