"""The workspace's way into the warehouse: a read-only connection per request, the writer
only for a correction, one at a time.

A connection is opened per request and closed after it, so the nightly's load step is
never shut out for longer than one page takes. DuckDB allows one configuration per file in
a process (read-only or writer), so all of the app's connections take turns."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.connection import WarehouseBusy, open_readonly, open_warehouse

PAGE_WAIT_SECONDS = 30.0  # a page waits this long for a loading nightly, then says busy


class WarehouseAccess:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._turn = threading.Lock()

    def bring_up_to_date(self, wait_seconds: float = PAGE_WAIT_SECONDS) -> bool:
        """Apply the migrations and views this version needs (a warehouse made by an older
        one lacks the corrections table); False when a nightly holds the file meanwhile."""
        try:
            with self._turn:
                open_warehouse(self.data_dir, wait_seconds, create=False).close()
        except WarehouseBusy:
            return False
        return True

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A reader, without DuckDB's full-text extension (its load costs 90 ms; search
        has its own index)."""
        with self._turn:
            con = open_readonly(self.data_dir, PAGE_WAIT_SECONDS, fts=False)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._turn:
            con = open_warehouse(self.data_dir, create=False)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def exporting(self, staging: Path) -> Iterator[duckdb.DuckDBPyConnection]:
        """A reader that may write the one staging file of an export."""
        with self._turn:
            con = open_readonly(self.data_dir, PAGE_WAIT_SECONDS, writable=staging, fts=False)
            try:
                yield con
            finally:
                con.close()
