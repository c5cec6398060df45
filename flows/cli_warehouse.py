"""Warehouse commands: read-only SQL over the corpus."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from flows.cli import app, data_dir, err, fail, out
from flows.output import FORMATS, format_rows, print_table


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run (read-only).")],
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Run read-only SQL on the warehouse."""
    import duckdb

    from warehouse.connection import WarehouseMissing, open_readonly

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    try:
        con = open_readonly(data_dir(), on_wait=lambda: err.print("waiting for the load step…"))
        cursor = con.execute(query)
    except WarehouseMissing as missing:
        fail(str(missing))
    except duckdb.Error as error:
        fail(str(error).splitlines()[0])
    columns = [d[0] for d in cursor.description] if cursor.description else []
    rows = cursor.fetchall() if columns else []
    if fmt == "table":
        print_table(out, columns, rows)
    else:
        sys.stdout.write(format_rows(columns, rows, fmt) + "\n")
