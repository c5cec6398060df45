"""Exporting a slice of the stories (topic, country, day) as Parquet or CSV for sharing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from warehouse.sql import statement

EXPORT_FORMATS = ("parquet", "csv")


def export_stories(con: duckdb.DuckDBPyConnection, fmt: str, output: Path, *,
                   topic: str | None = None, country: str | None = None,
                   since: date | None = None) -> int:
    """Write the matching stories to `output`; returns how many were written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    params = {"topic": topic, "country": country, "since": since}
    relation = con.sql(statement("export/stories"), params=params)
    write_relation(relation, fmt, output)
    return relation.aggregate("count(*)").fetchone()[0]


def staging_file(output: Path) -> Path:
    """Where `output` is written before it is moved into place: the one file a reading
    connection may write (open it with `open_readonly(..., writable=staging_file(output))`)."""
    output = output.absolute()
    return output.with_name(output.name + ".partial")


def write_relation(relation: duckdb.DuckDBPyRelation, fmt: str, output: Path) -> None:
    """Write a query's rows to a file, atomically (a half-written file is never left).

    DuckDB writes the staging file; a reader's connection must have leave to write it."""
    partial = staging_file(output)
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.unlink(missing_ok=True)  # else DuckDB writes a tmp_ file next to it first
    try:
        if fmt == "parquet":
            relation.write_parquet(str(partial), compression="zstd")
        else:
            relation.write_csv(str(partial), header=True)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)
