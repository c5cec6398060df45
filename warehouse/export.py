"""Exporting a slice of the stories (topic, country, day) as Parquet or CSV for sharing."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import duckdb

STATEMENTS = resources.files("warehouse") / "statements"
EXPORT_FORMATS = ("parquet", "csv")


def export_stories(con: duckdb.DuckDBPyConnection, fmt: str, output: Path, *,
                   topic: str | None = None, country: str | None = None,
                   since: date | None = None) -> int:
    """Write the matching stories to `output`; returns how many were written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    params = {"topic": topic, "country": country, "since": since}
    relation = con.sql((STATEMENTS / "export_stories.sql").read_text(), params=params)
    write_relation(relation, fmt, output)
    return relation.aggregate("count(*)").fetchone()[0]


def write_relation(relation: duckdb.DuckDBPyRelation, fmt: str, output: Path) -> None:
    """Write a query's rows to a file, atomically (a half-written file is never left)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    if fmt == "parquet":
        relation.write_parquet(str(partial), compression="zstd")
    else:
        relation.write_csv(str(partial), header=True)
    partial.replace(output)
