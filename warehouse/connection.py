"""Opening the DuckDB warehouse: numbered migrations on open, fts available offline.

DuckDB allows one writing process or any number of reading ones. The load step is the only
writer and holds the file for seconds; readers (`steppewatch sql`, search, export) hold it
for one query. Whoever finds the file locked waits and says so, instead of failing.

A reader is shut in with DuckDB's own switches (docs/DECISIONS.md, "Readers touch nothing
but the warehouse"): the file opened read-only, no extension installed or loaded after fts,
no file read or written outside the warehouse (`enable_external_access = false`) except
the one staging file an export was given leave to write, and no setting changed
(`lock_configuration = true`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from warehouse.sql import PACKAGE, sql_file, statement

MIGRATIONS = PACKAGE / "migrations"  # tables, numbered
VIEWS = PACKAGE / "views"  # views and macros, re-applied on open
WAREHOUSE_FILE = "steppewatch.duckdb"
READER_WAIT_SECONDS = 600.0  # a load step with an index rebuild of a large corpus takes minutes
WRITER_WAIT_SECONDS = 1800.0  # an export of the whole corpus may hold a read lock that long
POLL_SECONDS = 0.1

log = logging.getLogger(__name__)
T = TypeVar("T")


# DuckDB may take 80% of RAM by default and keeps what it read cached. The big steps of a
# run (alerts over thousands of stories, the full-text index rebuild) fit this budget,
# spilling to DATA/steppewatch.duckdb.tmp where needed, at the same speed (measured on
# 20,000 articles: index rebuild 1.2 GiB -> 0.46 GiB RSS, 15 s either way).
MEMORY_BUDGET = "300MB"


def within_memory_budget(con: duckdb.DuckDBPyConnection, step: Callable[[], T],
                         budget: str = MEMORY_BUDGET) -> T:
    """Run `step` with DuckDB held to `budget`; a step that cannot fit (a result that must
    be held whole) runs once more without it, so a large night costs memory, not a failure.
    The step must be safe to repeat (each of its transactions is all or nothing)."""
    # Set back by value: in DuckDB 1.4.4 RESET shows the default but keeps the budget.
    usual = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    con.execute(f"SET memory_limit = '{budget}'")
    try:
        return step()
    except duckdb.OutOfMemoryException as error:
        log.warning("needs more than the memory budget of %s (%s); again without it", budget,
                    str(error).splitlines()[0])
        con.execute(f"SET memory_limit = '{usual}'")
        return step()
    finally:
        con.execute(f"SET memory_limit = '{usual}'")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The statements of the block all or none: BEGIN, then COMMIT, or ROLLBACK and raise."""
    con.execute("BEGIN")
    try:
        yield
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


class WarehouseMissing(FileNotFoundError):
    pass


class WarehouseBusy(TimeoutError):
    pass


class WarehouseUnreadable(RuntimeError):
    """The warehouse file exists but DuckDB cannot open it (damaged, not a database)."""


def extension_directory() -> str | None:
    """Folder of the duckdb-ext-fts package, so `LOAD fts` works without a download."""
    try:
        import duckdb_ext  # installed by duckdb-ext-fts
    except ImportError:
        return None
    return str(Path(next(iter(duckdb_ext.__path__))) / "extensions")


# Set when a reader connects. DuckDB 1.4.4 refuses `LOAD fts` when enable_external_access
# is off from the start, and allowed_paths in the connect config, so those two and the lock
# follow by SET once fts is loaded (_shut_in).
READER_CONFIG: dict[str, str | bool] = {
    "autoinstall_known_extensions": False,  # a query never downloads an extension
    "autoload_known_extensions": False,  # nor loads one behind the reader's back
    "allow_community_extensions": False,
    "allow_persistent_secrets": False,  # CREATE PERSISTENT SECRET would write to ~/.duckdb
}


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _shut_in(con: duckdb.DuckDBPyConnection, writable: Path | None, fts: bool = True,
             threads: int | None = None) -> None:
    """Load fts (unless `fts` is false), then shut the reader in: no files but the warehouse
    (and `writable`), no extension loads, no setting changes. Once locked, none of this
    can be undone by SQL."""
    if con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
        # A reader of this process has the database open already (DuckDB shares one
        # instance per file within a process) and shut it in; its settings hold.
        allowed = con.execute("SELECT current_setting('allowed_paths')").fetchone()[0]
        if writable is not None and str(writable) not in allowed:
            raise WarehouseBusy(f"the warehouse is already open in this process without leave "
                                f"to write {writable}; write it once that reader is closed")
        return
    if fts:
        con.execute("LOAD fts")  # search_terms() and the search index need it
    if writable is not None:
        con.execute(f"SET allowed_paths = [{_sql_text(str(writable))}]")
    if threads is not None:  # by SET: in the connect config it would make the file's
        # configuration differ from a plain reader's, which DuckDB then refuses in-process
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _connect(path: Path, read_only: bool, writable: Path | None = None, fts: bool = True,
             threads: int | None = None) -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool] = dict(READER_CONFIG) if read_only else {}
    ext_dir = extension_directory()
    if ext_dir:
        config["extension_directory"] = ext_dir
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    try:
        if read_only:
            _shut_in(con, writable, fts, threads)
        else:
            con.execute("LOAD fts")  # search_terms() and the search index need it
    except BaseException:
        con.close()
        raise
    return con


def _is_lock_error(error: duckdb.Error) -> bool:
    # Not just "lock" anywhere: the message holds the path, and a folder may be called so.
    text = str(error).lower()
    return isinstance(error, duckdb.IOException) and ("could not set lock" in text
                                                      or "conflicting lock" in text)


DAMAGED = ("not a valid DuckDB database file", "Corrupt database file",
           "Could not read enough bytes")


def _unreadable(path: Path, error: duckdb.Error) -> WarehouseUnreadable:
    """One line naming the file, what is wrong and what to do."""
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if any(sign in first for sign in DAMAGED) or isinstance(error, duckdb.SerializationException):
        what = ("is not a DuckDB database" if DAMAGED[0] in first
                else f"is damaged ({first})")
        return WarehouseUnreadable(
            f"the warehouse {path} {what}; it was left as it is. Restore it from a backup, or "
            f"move it away and run `steppewatch nightly` or `steppewatch demo` to build a new one")
    return WarehouseUnreadable(f"cannot open the warehouse {path} ({first}); it was left as it "
                               f"is: check the file and its permissions")


def _connect_waiting(path: Path, read_only: bool, wait_seconds: float,
                     on_wait: Callable[[], None] | None, writable: Path | None = None,
                     fts: bool = True, threads: int | None = None
                     ) -> duckdb.DuckDBPyConnection:
    """Connect; while another process holds a conflicting lock, retry until the deadline.
    A file DuckDB cannot read raises WarehouseUnreadable (DuckDB leaves such a file as is)."""
    deadline = time.monotonic() + wait_seconds
    announced = False
    while True:
        try:
            return _connect(path, read_only, writable, fts, threads)
        except duckdb.Error as error:
            if not _is_lock_error(error):
                if isinstance(error, duckdb.IOException | duckdb.SerializationException):
                    raise _unreadable(path, error) from error
                raise
            if time.monotonic() > deadline:
                raise WarehouseBusy(
                    f"{path} stayed locked by another process for {wait_seconds:.0f} s; "
                    "try again when the nightly load step has finished") from error
            if not announced and on_wait is not None:
                on_wait()
            announced = True
            time.sleep(POLL_SECONDS)


def _migration_files() -> list[tuple[int, str, str]]:
    found = []
    for entry in MIGRATIONS.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.name, sql_file(entry)))
    return sorted(found)


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every view and macro of warehouse/views/ (in name order), in one
    transaction: views are not migrated, so a table's new column needs no view copied."""
    with transaction(con):
        for entry in sorted(VIEWS.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".sql"):
                con.execute(sql_file(entry))


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet applied, each in its own transaction."""
    con.execute(statement("schema/migrations_table"))
    applied = {row[0] for row in con.execute(statement("schema/migrations_applied")).fetchall()}
    done = []
    for version, name, sql in _migration_files():
        if version in applied:
            continue
        with transaction(con):
            con.execute(sql)
            con.execute(statement("schema/migration_applied"), {"version": version, "name": name})
        done.append(name)
    return done


def _log_writer_wait(path: Path) -> Callable[[], None]:
    return lambda: log.warning("warehouse %s is open in a reading process; waiting", path)


def existing_warehouse(data_dir: Path) -> Path:
    """The warehouse file of `data_dir`, or WarehouseMissing saying what to do."""
    path = data_dir / WAREHOUSE_FILE
    if not path.is_file():
        raise WarehouseMissing(
            f"no warehouse at {path}; run `steppewatch nightly` or `steppewatch demo` first, "
            f"or pass --data with the folder that holds {WAREHOUSE_FILE}")
    return path


# Readers a process keeps open between uses (the workspace's) register here, to be closed
# before the same process opens their file as the writer: DuckDB refuses a second
# configuration of one file within a process, rather than waiting for it.
_KEPT_READERS: list[Callable[[Path], None]] = []


def close_before_writing(release: Callable[[Path], None]) -> None:
    """Register `release(path)`: called before this process opens `path` for writing; it
    closes any reader of that file it keeps (once the reads on it are done)."""
    _KEPT_READERS.append(release)


def open_warehouse(data_dir: Path, wait_seconds: float = WRITER_WAIT_SECONDS, *,
                   create: bool = True) -> duckdb.DuckDBPyConnection:
    """The warehouse for writing, migrated to the latest schema; made if `create` (the load
    step), else WarehouseMissing without touching the disk (alerts, reprocess).

    While a reader holds the file (a query, an export) it waits, up to `wait_seconds`."""
    if create:
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / WAREHOUSE_FILE
    else:
        path = existing_warehouse(data_dir)
    for release in _KEPT_READERS:
        release(path)
    con = _connect_waiting(path, False, wait_seconds, _log_writer_wait(path))
    migrate(con)
    apply_views(con)
    return con


def open_readonly(data_dir: Path, wait_seconds: float = READER_WAIT_SECONDS,
                  on_wait: Callable[[], None] | None = None, *,
                  writable: Path | None = None, fts: bool = True, threads: int | None = None
                  ) -> duckdb.DuckDBPyConnection:
    """A read-only connection shut in to the warehouse (module docstring): it reads no other
    file and writes none, except `writable` (an absolute path: an export's staging file).
    While the load step holds the file it waits, then gives up. `fts=False` skips loading
    the full-text extension (about 90 ms), for a connection that will not search. `threads`:
    DuckDB's threads for its queries (default: one per core), set before the configuration
    is locked; a reader of this process that has the file open already keeps its own."""
    if writable is not None and not writable.is_absolute():
        raise ValueError(f"writable must be an absolute path, not {writable}")
    return _connect_waiting(existing_warehouse(data_dir), True, wait_seconds, on_wait, writable,
                            fts, threads)
