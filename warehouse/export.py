"""Exporting a slice of the stories (topic, country, day) as Parquet or CSV for sharing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from warehouse.sql import statement

EXPORT_FORMATS = ("parquet", "csv")

T = TypeVar("T")


def export_stories(con: duckdb.DuckDBPyConnection, fmt: str, output: Path, *,
                   topic: str | None = None, country: str | None = None,
                   since: date | None = None) -> int:
    """Write the matching stories to `output`; returns how many were written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    params = {"topic": topic, "country": country, "since": since}
    return write_query(con, statement("export/stories"), params, fmt, output)


def staging_file(output: Path) -> Path:
    """Where `output` is written before it is moved into place: the one file a reading
    connection may write (open it with `open_readonly(..., writable=staging_file(output))`)."""
    output = output.absolute()
    return output.with_name(output.name + ".partial")


def write_query(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any], fmt: str,
                output: Path) -> int:
    """Write a statement's rows to a file, atomically, as write_relation does; returns how
    many were written. DuckDB runs the statement once, writing as the rows come (a relation
    of `con.sql` with parameters is run to be made, and again to be counted or fetched)."""
    options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER"
    query = sql.strip().rstrip(";")

    def copy(partial: Path) -> int:
        return con.execute(
            f"COPY ({query}) TO '{str(partial).replace(chr(39), chr(39) * 2)}' ({options})",
            params).fetchone()[0]

    return _write_atomically(output, copy)


def write_relation(relation: duckdb.DuckDBPyRelation, fmt: str, output: Path) -> None:
    """Write a query's rows to a file, atomically (a half-written file is never left).

    DuckDB writes the staging file; a reader's connection must have leave to write it."""
    def write(partial: Path) -> None:
        if fmt == "parquet":
            relation.write_parquet(str(partial), compression="zstd")
        else:
            relation.write_csv(str(partial), header=True)

    _write_atomically(output, write)


def _write_atomically(output: Path, write: Callable[[Path], T]) -> T:
    """`write(staging file)`, then the staging file moved to `output`; its result."""
    partial = staging_file(output)
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.unlink(missing_ok=True)  # else DuckDB writes a tmp_ file next to it first
    try:
        result = write(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)
    return result
