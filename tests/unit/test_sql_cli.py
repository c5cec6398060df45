"""`steppewatch sql` and `schema`: formats, saved queries, read-only, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

from tests.helpers import SEARCH_ARTICLES, build_search_warehouse, invoke


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("sql")
    build_search_warehouse(folder)
    return ["--data", str(folder)]


QUERY = "SELECT language, countries, published_at FROM stories ORDER BY language"


def test_formats_table_csv_json(data: list[str]) -> None:
    as_json = json.loads(invoke([*data, "sql", QUERY, "--format", "json"]).stdout)
    assert [r["language"] for r in as_json] == sorted(a[0] for a in SEARCH_ARTICLES)
    assert as_json[0]["countries"] == ["KZ"] and as_json[0]["published_at"].startswith("2026-")
    rows = list(csv.reader(io.StringIO(invoke([*data, "sql", QUERY, "--format", "csv"]).stdout)))
    assert rows[0] == ["language", "countries", "published_at"]
    assert len(rows) == len(SEARCH_ARTICLES) + 1
    assert json.loads(rows[1][1]) == ["KZ"]
    table = invoke([*data, "sql", "SELECT count(*) AS n FROM stories"]).stdout
    assert "│ 6 │" in table


def test_parquet_needs_and_writes_a_file(data: list[str], tmp_path: Path) -> None:
    missing = invoke([*data, "sql", QUERY, "--format", "parquet"], check=False)
    assert missing.returncode == 1 and "--output" in missing.stderr
    target = tmp_path / "out" / "stories.parquet"
    invoke([*data, "sql", QUERY, "--format", "parquet", "--output", str(target)])
    with duckdb.connect() as con:
        back = con.execute("SELECT language, countries FROM read_parquet(?) ORDER BY 1",
                           [str(target)]).fetchall()
    assert len(back) == len(SEARCH_ARTICLES) and back[0] == ("en", ["KZ"])
    csv_file = tmp_path / "stories.csv"
    invoke([*data, "sql", QUERY, "--format", "csv", "--output", str(csv_file)])
    assert csv_file.read_text().startswith("language,countries,published_at\n")


def test_sql_from_stdin_and_never_a_shell(data: list[str]) -> None:
    piped = invoke([*data, "sql", "--format", "json"], stdin="SELECT 41 + 1 AS answer")
    assert json.loads(piped.stdout) == [{"answer": 42}]
    empty = invoke([*data, "sql"], stdin="", check=False)
    assert empty.returncode == 1
    assert "never opens an interactive shell" in empty.stderr


@pytest.mark.parametrize("statement", [
    "DELETE FROM articles", "DROP VIEW stories", "CREATE TABLE notes (x INT)",
    "UPDATE articles SET title = 'x'",
])
def test_the_warehouse_is_read_only(data: list[str], statement: str) -> None:
    refused = invoke([*data, "sql", statement], check=False)
    assert refused.returncode == 1
    assert len(refused.stderr.strip().splitlines()) == 1 and "read-only" in refused.stderr
    count = invoke([*data, "sql", "SELECT count(*) AS n FROM articles", "--format", "json"])
    assert json.loads(count.stdout) == [{"n": len(SEARCH_ARTICLES)}]


@pytest.mark.parametrize(("statement", "says"), [
    ("SELECT nope FROM stories", "nope"),
    ("SELEC 1", "syntax error"),
    ("SELECT * FROM stories WHERE day > 'soon'", "soon"),
])
def test_a_sql_error_is_one_readable_line(data: list[str], statement: str, says: str) -> None:
    bad = invoke([*data, "sql", statement], check=False)
    assert bad.returncode == 1
    assert len(bad.stderr.strip().splitlines()) == 1
    assert says in bad.stderr and "Traceback" not in bad.stderr


def test_saved_query_with_parameters_and_defaults(data: list[str]) -> None:
    found = json.loads(invoke([*data, "sql", "--saved", "search", "--param", "query=милиция",
                                "--param", "limit=1", "--format", "json"]).stdout)
    assert len(found) == 1 and found[0]["language"] in ("ru", "ky")
    monthly = json.loads(invoke([*data, "sql", "--saved", "topic_per_month", "--param",
                                  "country=kg", "--param", "topic=police",
                                  "--format", "json"]).stdout)
    assert monthly == [{"month": "2026-11-01", "stories": 1, "outlets": 1,
                        "outlet_names": ["Outlet ru"]}]
    by_default = json.loads(invoke([*data, "sql", "--saved", "topic_per_month", "--format",
                                     "json"]).stdout)  # torture in KG
    assert [r["outlet_names"] for r in by_default] == [["Outlet ky"]]


@pytest.mark.parametrize(("args", "says"), [
    (["--saved", "no_such_query"], "topic_per_month"),
    (["--saved", "search"], "--param query=VALUE"),
    (["--saved", "search", "--param", "query=x", "--param", "colour=red"], "colour"),
    (["--saved", "search", "--param", "query"], "key=value"),
    (["--saved", "../../etc/passwd"], "no saved query"),
    (["SELECT 1", "--param", "a=1"], "--saved"),
])
def test_saved_query_mistakes_are_one_line(data: list[str], args: list[str], says: str) -> None:
    bad = invoke([*data, "sql", *args], check=False)
    assert bad.returncode == 1
    assert len(bad.stderr.strip().splitlines()) == 1 and says in bad.stderr


def test_schema_prints_the_documented_views(data: list[str]) -> None:
    printed = invoke([*data, "schema"]).stdout
    for view in ("stories (view)", "topic_daily (view)", "source_health (view)"):
        assert view in printed
    assert printed.index("stories (view)") < printed.index("topic_daily (view)")
    assert "One row per stored article" in printed
    assert "matched_terms" in printed and "WARC file holding the fetched page" in printed
    assert "topic_per_month(topic=torture, country=KG)" in printed
    assert "articles (table)" not in printed
    assert "articles (table)" in invoke([*data, "schema", "--tables"]).stdout


def test_every_view_column_is_described(data: list[str]) -> None:
    with duckdb.connect(data[1] + "/steppewatch.duckdb", read_only=True) as con:
        undocumented = con.execute(
            "SELECT table_name || '.' || column_name FROM duckdb_columns() "
            "WHERE table_name IN ('stories', 'topic_daily', 'source_health') "
            "AND (comment IS NULL OR comment = '')").fetchall()
    assert undocumented == []
