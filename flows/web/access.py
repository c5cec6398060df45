"""The workspace's way into the warehouse: one read-only connection kept open while
requests come and shared by them, the writer only for a correction.

Opening a reader costs 17-25 ms and starts with DuckDB's cache empty (the stories page's
queries: 207 ms on a fresh connection, 95 ms on a kept one, at 100,000 articles), so the
reader is kept between requests. But while any reader has the file open, the nightly's
load step cannot open it for writing: DuckDB takes a file lock, and the writer's connect
fails and is tried again every 0.1 s (warehouse.connection.POLL_SECONDS). So the kept reader
steps aside for it:

- each failed try of a writer closes the file it opened for writing, which Linux reports
  (inotify, IN_CLOSE_WRITE on the warehouse file): the kept reader then takes no new request,
  is closed once the requests reading on it are done, and no reader is opened for
  GAP_SECONDS, in which the writer's next try falls;
- where that cannot be watched, the kept reader is retired KEEP_SECONDS after it was opened,
  with the same gap after it (KEEP_WATCHED_SECONDS where it is, should a try go unreported);
- it is closed after IDLE_SECONDS without a request, and when the workspace stops.

So a nightly waits for the workspace at most as long as the pages being read when it first
tries (tests/e2e/test_web_kept_reader.py), or KEEP_SECONDS more without inotify.

Requests read in parallel, each on a cursor of the kept connection. A correction takes the
file alone: DuckDB allows one configuration per file in a process (read-only or writer), so
the writer waits for the readers and closes the kept one. The kept reader may write one
file, the staging file of an export (warehouse.export.staging_file), in a folder of its own;
one export at a time writes it, then it is moved to its own folder to be sent."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from inotify_simple import INotify
from inotify_simple import flags as inotify_flags

from warehouse.connection import (
    WAREHOUSE_FILE,
    WarehouseBusy,
    close_before_writing,
    open_readonly,
    open_warehouse,
)
from warehouse.export import staging_file

PAGE_WAIT_SECONDS = 30.0  # a page waits this long for a loading nightly, then says busy
KEEP_SECONDS = 10.0  # without inotify, a reader serves requests this long after it opened
KEEP_WATCHED_SECONDS = 60.0  # with it too, should a writer's try go unreported
IDLE_SECONDS = 1.0  # a reader is closed after this long without a request
GAP_SECONDS = 0.25  # after a writer's try (or KEEP_SECONDS), no reader opens this long
# One DuckDB thread per query: on this shared 2-core machine a page's small queries ran
# faster on one (stories pages at 100,000 articles, load 4-10: p50 91-105 against 118-141 ms
# one at a time, the same or better with 2-4 at a time); requests read in parallel instead.
THREADS = 1
REAP_SECONDS = 0.05  # how often an idle kept reader looks for a writer's try


class WriterKnocks:
    """A writer's failed tries to open one file: each closes the file it opened for writing,
    which inotify reports (Linux; elsewhere `watching` is False and nothing is reported)."""

    def __init__(self) -> None:
        self._inotify: INotify | None
        try:
            self._inotify = INotify(nonblocking=True)
        except (OSError, AttributeError):  # no inotify on this system
            self._inotify = None

    @property
    def watching(self) -> bool:
        return self._inotify is not None

    def watch(self, path: Path) -> None:
        """Watch `path` (again: a file replaced since is a new inode), forgetting the tries
        seen so far."""
        if self._inotify is not None:
            try:
                self._inotify.add_watch(path, inotify_flags.CLOSE_WRITE)
            except OSError:
                self._inotify.close()
                self._inotify = None
        self.knocked()

    def knocked(self) -> bool:
        """Whether a file was closed after writing (a writer's try) since the last call."""
        return self._inotify is not None and bool(self._inotify.read(timeout=0))


class _Keeper:
    """The kept reader of one warehouse file, shared by every WarehouseAccess of the process
    (DuckDB shares one database instance per file and process)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.cond = threading.Condition()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.opened = 0.0  # monotonic time the kept reader was opened
        self.last_used = 0.0
        self.users = 0  # requests reading on a cursor of it now
        self.opening = False
        self.alone = False  # a writer has (or waits for) the file to itself
        self.gap_until = 0.0
        self.reaper: threading.Thread | None = None
        self.folder = Path(tempfile.mkdtemp(prefix="steppewatch-web-"))
        atexit.register(shutil.rmtree, self.folder, ignore_errors=True)
        self.export_target = self.folder / "export"  # written through its .partial file
        self.export_turn = threading.Lock()
        self.opens = 0  # readers opened so far (tests and the benchmark read it)
        self.knocks = WriterKnocks()
        self.retiring = False  # a writer tried: no new request on the kept reader
        close_before_writing(self.step_aside)  # a writer of this process, outside the app

    def _due_to_retire(self, now: float) -> bool:
        if self.con is None:
            return False
        keep = KEEP_WATCHED_SECONDS if self.knocks.watching else KEEP_SECONDS
        if not self.retiring and (self.knocks.knocked() or now - self.opened >= keep):
            self.retiring = True
        return self.retiring

    def acquire(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the kept reader, opening one when there is none."""
        with self.cond:
            while True:
                now = time.monotonic()
                if self.alone or self.opening:
                    self.cond.wait()
                elif self._due_to_retire(now):
                    if self.users == 0:
                        self._close(gap=True)
                    else:
                        self.cond.wait()  # the last of them closes it
                elif self.con is None and now < self.gap_until:
                    self.cond.wait(self.gap_until - now)
                elif self.con is None:
                    self.opening = True
                    break
                else:
                    self.users += 1
                    return self.con.cursor()
        try:  # open outside the lock: a nightly may hold the file for seconds
            con = open_readonly(self.data_dir, PAGE_WAIT_SECONDS, fts=False, threads=THREADS,
                                writable=staging_file(self.export_target))
        except BaseException:
            with self.cond:
                self.opening = False
                self.cond.notify_all()
            raise
        with self.cond:
            self.knocks.watch(self.data_dir / WAREHOUSE_FILE)
            self.opening = False
            self.con, self.opened, self.last_used = con, time.monotonic(), time.monotonic()
            self.retiring = False
            self.opens += 1
            self.users += 1
            if self.reaper is None:
                self.reaper = threading.Thread(target=self._reap, daemon=True,
                                               name="warehouse-reader-reaper")
                self.reaper.start()
            self.cond.notify_all()
            return con.cursor()

    def release(self, cursor: duckdb.DuckDBPyConnection) -> None:
        cursor.close()
        with self.cond:
            self.users -= 1
            self.last_used = time.monotonic()
            if self.users == 0 and self._due_to_retire(self.last_used):
                self._close(gap=True)
            self.cond.notify_all()

    def _close(self, gap: bool) -> None:
        """Close the kept reader (the caller holds the lock and no request uses it)."""
        if self.con is not None:
            self.con.close()
            self.con = None
        if gap:
            self.gap_until = time.monotonic() + GAP_SECONDS
        self.cond.notify_all()

    def _reap(self) -> None:
        """Close the kept reader once a writer tries (as soon as no request reads on it),
        or once idle for IDLE_SECONDS."""
        with self.cond:
            while self.con is not None:
                now = time.monotonic()
                retire = self._due_to_retire(now)
                if self.users == 0 and (retire or now - self.last_used >= IDLE_SECONDS):
                    self._close(gap=retire)
                    break
                self.cond.wait(REAP_SECONDS)
            self.reaper = None

    def step_aside(self, path: Path) -> None:
        """Close the kept reader before this process opens `path` for writing (a library
        caller beside the app; the app's own writer is alone with the file already)."""
        if path.resolve() != (self.data_dir / WAREHOUSE_FILE).resolve():
            return
        with self.cond:
            while self.users > 0 or self.opening:
                self.cond.wait()
            self._close(gap=False)

    @contextmanager
    def alone_with_file(self) -> Iterator[None]:
        """No reader of this process open meanwhile (for a writer)."""
        with self.cond:
            while self.alone:
                self.cond.wait()
            self.alone = True
            while self.users > 0 or self.opening:
                self.cond.wait()
            self._close(gap=False)
        try:
            yield
        finally:
            with self.cond:
                self.knocks.knocked()  # this process's own writer, not the nightly's
                self.alone = False
                self.cond.notify_all()

    def close(self) -> None:
        """Close the kept reader now (the workspace stops)."""
        with self.alone_with_file():
            pass


_KEEPERS: dict[Path, _Keeper] = {}
_KEEPERS_LOCK = threading.Lock()


def _keeper(data_dir: Path) -> _Keeper:
    key = data_dir.resolve()
    with _KEEPERS_LOCK:
        if key not in _KEEPERS:
            _KEEPERS[key] = _Keeper(data_dir)
        return _KEEPERS[key]


class WarehouseAccess:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._keeper = _keeper(data_dir)

    @property
    def readers_opened(self) -> int:
        """How many read-only connections were opened so far for this warehouse."""
        return self._keeper.opens

    def bring_up_to_date(self, wait_seconds: float = PAGE_WAIT_SECONDS) -> bool:
        """Apply the migrations and views this version needs (a warehouse made by an older
        one lacks the corrections table); False when a nightly holds the file meanwhile."""
        try:
            with self._keeper.alone_with_file():
                open_warehouse(self.data_dir, wait_seconds, create=False).close()
        except WarehouseBusy:
            return False
        return True

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of the kept reader (without DuckDB's full-text extension: its load costs
        90 ms; search has its own index)."""
        cursor = self._keeper.acquire()
        try:
            yield cursor
        finally:
            self._keeper.release(cursor)

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._keeper.alone_with_file():
            con = open_warehouse(self.data_dir, create=False)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def exporting(self, output: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
        """A reader and the one file it may write (through that file's staging file,
        warehouse.export.write_relation), moved to `output` once written. One export at a
        time."""
        with self._keeper.export_turn:
            with self.reading() as con:
                yield con, self._keeper.export_target
            shutil.move(self._keeper.export_target, output)

    def close(self) -> None:
        """Close the kept reader (when the workspace stops)."""
        self._keeper.close()
