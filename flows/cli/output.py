"""Printing query results and run summaries for people (table) and programs (csv, json,
parquet).

Text is printed as stored: scraped titles and error messages may hold `[b]`, `[/]` or
`:x:`, which Rich would otherwise read as markup or emoji codes. Every Console of the CLI
comes from `plain_console` (no markup, no emoji codes, no highlighting), and table cells are
`rich.text.Text`, which Rich never parses; styling is added explicitly with Text styles.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

FORMATS = ("table", "csv", "json", "parquet")
FILE_ONLY_FORMATS = ("parquet",)  # binary: written to --output, never to the terminal


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def format_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """Rows as csv or json text (table output goes through print_table, parquet through
    warehouse.export.write_relation)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_csv_cell(v) for v in row] for row in rows])
        return buffer.getvalue().rstrip("\n")
    if fmt == "json":
        records = [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in rows]
        return json.dumps(records, ensure_ascii=False, indent=1)
    raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")


def _csv_cell(value: Any) -> Any:
    plain = _plain(value)
    return json.dumps(plain, ensure_ascii=False) if isinstance(plain, list | dict) else plain


def one_line(error: Exception) -> str:
    """A database error as one readable line: its first line, plus DuckDB's suggestions."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    hints = [line for line in lines[1:] if line.startswith(("Candidate", "Did you mean"))]
    return " ".join([lines[0], *hints])


def plain_console(**options: Any) -> Console:
    """A Console that prints strings as given: no Rich markup, no :emoji: codes, no
    highlighting of numbers or URLs. Style output with rich.text.Text, never with markup."""
    return Console(markup=False, emoji=False, highlight=False, **options)


def print_table(console: Console, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                title: str | None = None) -> None:
    """A table whose title, headers and cells are shown as given on any Console."""
    table = Table(title=None if title is None else Text(title), show_lines=False)
    for name in columns:
        table.add_column(Text(name), overflow="fold")
    for row in rows:
        table.add_row(*(Text("" if v is None else str(_plain(v))) for v in row))
    console.print(table)
