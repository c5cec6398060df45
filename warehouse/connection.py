"""Opening the DuckDB warehouse: numbered migrations on open, fts available offline.

DuckDB allows one writing process or any number of reading ones. The load step is the only
writer and holds the file for seconds; readers (`steppewatch sql`, search, export) hold it
for one query. Whoever finds the file locked waits and says so, instead of failing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb

MIGRATIONS = resources.files("warehouse") / "migrations"
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


def extension_directory() -> str | None:
    """Folder of the duckdb-ext-fts package, so `LOAD fts` works without a download."""
    try:
        import duckdb_ext  # installed by duckdb-ext-fts
    except ImportError:
        return None
    return str(Path(next(iter(duckdb_ext.__path__))) / "extensions")


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    config = {}
    ext_dir = extension_directory()
    if ext_dir:
        config["extension_directory"] = ext_dir
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    con.execute("LOAD fts")  # search_terms() and the search index need it
    return con


def _is_lock_error(error: duckdb.Error) -> bool:
    return isinstance(error, duckdb.IOException) and "lock" in str(error).lower()


def _connect_waiting(path: Path, read_only: bool, wait_seconds: float,
                     on_wait: Callable[[], None] | None) -> duckdb.DuckDBPyConnection:
    """Connect; while another process holds a conflicting lock, retry until the deadline."""
    deadline = time.monotonic() + wait_seconds
    announced = False
    while True:
        try:
            return _connect(path, read_only)
        except duckdb.Error as error:
            if not _is_lock_error(error):
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
            found.append((int(entry.name.split("_", 1)[0]), entry.name, entry.read_text()))
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet applied, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    done = []
    for version, name, sql in _migration_files():
        if version in applied:
            continue
        con.execute("BEGIN")
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
        con.execute("COMMIT")
        done.append(name)
    return done


def _log_writer_wait(path: Path) -> Callable[[], None]:
    return lambda: log.warning("warehouse %s is open in a reading process; waiting", path)


def open_warehouse(data_dir: Path, wait_seconds: float = WRITER_WAIT_SECONDS
                   ) -> duckdb.DuckDBPyConnection:
    """The warehouse for writing (the load step only), migrated to the latest schema.

    While a reader holds the file (a query, an export) it waits, up to `wait_seconds`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / WAREHOUSE_FILE
    con = _connect_waiting(path, False, wait_seconds, _log_writer_wait(path))
    migrate(con)
    return con


def open_readonly(data_dir: Path, wait_seconds: float = READER_WAIT_SECONDS,
                  on_wait: Callable[[], None] | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection; while the load step holds the file it waits, then gives up."""
    path = data_dir / WAREHOUSE_FILE
    if not path.exists():
        raise WarehouseMissing(
            f"no warehouse at {path}; run `steppewatch nightly` or `steppewatch demo` first")
    return _connect_waiting(path, True, wait_seconds, on_wait)
