"""Opening the DuckDB warehouse: numbered migrations on open, fts available offline."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

import duckdb

MIGRATIONS = resources.files("warehouse") / "migrations"
WAREHOUSE_FILE = "steppewatch.duckdb"


class WarehouseMissing(FileNotFoundError):
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
    return duckdb.connect(str(path), read_only=read_only, config=config)


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


def open_warehouse(data_dir: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse for writing (the load step only), migrated to the latest schema."""
    data_dir.mkdir(parents=True, exist_ok=True)
    con = _connect(data_dir / WAREHOUSE_FILE, read_only=False)
    migrate(con)
    return con


def open_readonly(
    data_dir: Path, wait_seconds: float = 60.0, on_wait: object = None
) -> duckdb.DuckDBPyConnection:
    """A read-only connection; while the load step holds the file it waits, then gives up."""
    path = data_dir / WAREHOUSE_FILE
    if not path.exists():
        raise WarehouseMissing(
            f"no warehouse at {path}; run `steppewatch nightly` or `steppewatch demo` first")
    deadline = time.monotonic() + wait_seconds
    announced = False
    while True:
        try:
            return _connect(path, read_only=True)
        except duckdb.IOException as err:
            if "lock" not in str(err).lower() or time.monotonic() > deadline:
                raise
            if not announced and callable(on_wait):
                on_wait()
                announced = True
            time.sleep(0.2)
