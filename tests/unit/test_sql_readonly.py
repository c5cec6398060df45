"""The read-only commands read the warehouse and nothing else; a missing or damaged warehouse
is one line, and nothing is created or changed (issue 14).

In-process through typer's CliRunner: a few seconds for the whole file."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner, Result

from flows.cli import app
from tests.helpers import CONFIG, SEARCH_ARTICLES, build_search_warehouse
from warehouse.connection import WAREHOUSE_FILE, open_readonly

runner = CliRunner()


def cli(*args: str) -> Result:
    return runner.invoke(app, ["--config", str(CONFIG), *args])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files(*folders: Path) -> set[Path]:
    return {p for folder in folders if folder.exists() for p in folder.rglob("*")}


def one_error_line(result: Result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code != 0, result.output
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    return lines[0]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readonly")
    build_search_warehouse(folder)
    return folder


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A folder the refused statements aim at; it must stay empty."""
    (tmp_path / "aim").mkdir()
    return tmp_path / "aim"


def refused_statements(warehouse: Path, aim: Path) -> list[str]:
    return [
        f"COPY (SELECT 1) TO '{warehouse}'",
        f"COPY (SELECT 1 AS x) TO '{warehouse}' (FORMAT parquet)",
        f"COPY stories TO '{aim / 'stories.csv'}'",
        f"COPY (SELECT * FROM articles) TO '{aim / 'a.parquet'}' (FORMAT parquet)",
        f"EXPORT DATABASE '{aim / 'dump'}'",
        f"ATTACH '{aim / 'other.duckdb'}' AS other",
        "ATTACH ':memory:' AS scratch",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/hostname')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM '/etc/passwd'",
        "SET memory_limit = '1GB'",
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "INSTALL httpfs",
        "LOAD httpfs",
        f"LOAD '{aim / 'evil.duckdb_extension'}'",
        "DELETE FROM articles",
        "CREATE TABLE notes (x INT)",
    ]


def test_every_escape_is_refused_in_one_line_and_changes_nothing(data: Path,
                                                                 scratch: Path) -> None:
    warehouse = data / WAREHOUSE_FILE
    before, listed = sha256(warehouse), files(data, scratch)
    for statement in refused_statements(warehouse, scratch):
        result = cli("--data", str(data), "sql", statement)
        line = one_error_line(result)
        assert "root:" not in result.output, statement  # nothing of /etc/passwd shown
        assert sha256(warehouse) == before, statement
        assert files(data, scratch) == listed, (statement, line)


def test_a_parquet_output_is_the_only_file_sql_may_write(data: Path, scratch: Path,
                                                         tmp_path: Path) -> None:
    wanted = tmp_path / "wanted.parquet"
    sneaky = cli("--data", str(data), "sql", f"COPY (SELECT 1) TO '{scratch / 'else.csv'}'",
                 "--format", "parquet", "--output", str(wanted))
    assert "disabled by configuration" in one_error_line(sneaky)
    assert not wanted.exists() and files(scratch) == set()
    assert not wanted.with_name("wanted.parquet.partial").exists()
    done = cli("--data", str(data), "sql", "SELECT article_id FROM stories", "--format",
               "parquet", "--output", str(wanted))
    assert done.exit_code == 0, done.output
    with duckdb.connect() as con:
        assert con.execute("SELECT count(*) FROM read_parquet(?)",
                           [str(wanted)]).fetchone()[0] == len(SEARCH_ARTICLES)


def test_queries_search_schema_and_export_still_work(data: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    warehouse = data / WAREHOUSE_FILE
    before = sha256(warehouse)
    count = cli("--data", str(data), "sql", "SELECT count(*) AS n FROM stories", "--format",
                "json")
    assert count.exit_code == 0 and json.loads(count.stdout) == [{"n": len(SEARCH_ARTICLES)}]
    found = cli("--data", str(data), "search", "tortured", "--format", "json")
    assert found.exit_code == 0 and [h["article_id"] for h in json.loads(found.stdout)] == [
        "a-en"]
    in_sql = cli("--data", str(data), "sql", "--format", "json", "--saved", "search",
                 "--param", "query=милиц")
    assert sorted(r["language"] for r in json.loads(in_sql.stdout)) == ["ky", "ru"]
    assert "stories (view)" in cli("--data", str(data), "schema").stdout
    monkeypatch.chdir(tmp_path)  # a relative --output is the same file DuckDB may write
    for output in ("stories.csv", "out/stories.parquet", str(tmp_path / "abs.parquet")):
        fmt = "csv" if output.endswith("csv") else "parquet"
        exported = cli("--data", str(data), "export", "--format", fmt, "--output", output)
        assert exported.exit_code == 0, exported.output
        assert f"wrote {len(SEARCH_ARTICLES)} stories" in exported.stdout
        assert (tmp_path / output).stat().st_size > 0
    again = cli("--data", str(data), "export", "--format", "csv", "--output", "stories.csv")
    assert again.exit_code == 0, again.output  # an existing file is replaced
    assert not list(tmp_path.rglob("*.partial")) and not list(tmp_path.rglob("tmp_*"))
    assert sha256(warehouse) == before


def test_the_reader_is_locked_by_duckdb_itself(data: Path) -> None:
    with open_readonly(data) as con:
        settings = dict(con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', "
            "'lock_configuration', 'autoinstall_known_extensions', "
            "'autoload_known_extensions', 'access_mode')").fetchall())
        assert con.execute("SELECT stem('tortured', 'english')").fetchone() == ("tortur",)
    assert settings == {"enable_external_access": "false", "lock_configuration": "true",
                        "autoinstall_known_extensions": "false",
                        "autoload_known_extensions": "false", "access_mode": "read_only"}


READERS = [["sql", "SELECT 1"], ["search", "пытки"], ["schema"],
           ["export", "--output", "{tmp}/out.csv", "--format", "csv"]]
WRITERS = [["alerts"], ["alerts", "--dry-run"], ["reprocess", "--tags"]]


@pytest.mark.parametrize("command", READERS + WRITERS, ids=lambda c: " ".join(c[:2]))
def test_no_warehouse_is_one_line_and_creates_nothing(tmp_path: Path,
                                                      command: list[str]) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    nowhere = tmp_path / "nowhere"
    line = one_error_line(cli("--data", str(nowhere), *args))
    assert str(nowhere / WAREHOUSE_FILE) in line and "steppewatch nightly" in line
    assert not nowhere.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    line = one_error_line(cli("--data", str(empty), *args))
    assert str(empty) in line and "steppewatch demo" in line
    assert list(empty.iterdir()) == [] and files(tmp_path) == {empty}


@pytest.mark.parametrize("content", [os.urandom(64 * 1024), b"not a database\n", b""],
                         ids=["random bytes", "text", "empty"])
@pytest.mark.parametrize("command", READERS + WRITERS, ids=lambda c: " ".join(c[:2]))
def test_a_damaged_warehouse_is_one_line_and_left_as_it_is(tmp_path: Path, content: bytes,
                                                           command: list[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    warehouse = data / WAREHOUSE_FILE
    warehouse.write_bytes(content)
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    line = one_error_line(cli("--data", str(data), *args))
    assert str(warehouse) in line and "is not a DuckDB database" in line
    assert "Restore it from a backup" in line and "steppewatch nightly" in line
    assert warehouse.read_bytes() == content
    assert files(tmp_path) == {data, warehouse}
