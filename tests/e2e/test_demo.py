"""The full demo, built once for this file (so no other test file waits for it): the
nightly run twice as a user runs it (`steppewatch demo` on the replay web), the workspace
(`steppewatch web`) on what it stored, and every worked example of docs/QUERIES.md on it."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from starlette.testclient import TestClient

from crawlers.warc import read_response
from flows.settings import load_settings
from flows.web.app import create_app
from tests.helpers import CONFIG, ROOT, invoke
from tests.helpers import DEMO_TABLES as TABLES
from warehouse.connection import WAREHOUSE_FILE, open_readonly
from warehouse.search import index_ready


@pytest.fixture(scope="module")
def two_runs(full_demo: dict) -> dict:
    """Two full demos on one data folder (the session's)."""
    return full_demo


def query(data: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        return con.execute(sql).fetchall()


def run_ids(data: Path) -> list[str]:
    return [r[0] for r in query(data, "select run_id from crawl_runs order by started_at")]


def test_first_run_stores_articles_from_every_outlet(two_runs: dict) -> None:
    data = two_runs["data"]
    articles, sources = query(data, "select count(*), count(distinct source_id) from articles")[0]
    assert articles >= 80
    assert sources >= 8
    assert query(data, "select count(*) from crawl_runs where status = 'completed' "
                       "and flow_run_id is not null")[0][0] == 2
    tagged = query(data, "select topic, count(*) from article_topics group by topic")
    assert {topic for topic, _n in tagged} == {"police", "protest", "torture"}
    assert "report" in two_runs["first"] and "try a query" in two_runs["first"]


def test_every_article_traces_to_its_warc_record(two_runs: dict) -> None:
    data = two_runs["data"]
    rows = query(data, "select a.url, c.warc_file, c.warc_offset, c.http_status "
                       "from articles a join captures c using (capture_id)")
    assert rows
    for url, warc_file, offset, status in rows:
        stored = read_response(data, warc_file, offset)
        if url.startswith("https://t.me/"):  # a Telegram post: the preview page showing it
            assert stored.url.startswith("https://t.me/s/"), url
            assert f'data-post="{url.removeprefix("https://t.me/")}"'.encode() in stored.body
        else:
            assert stored.url == url
        assert stored.status == status == 200


def test_second_run_fetches_no_article_and_duplicates_nothing(two_runs: dict) -> None:
    data = two_runs["data"]
    first_id, second_id = run_ids(data)
    fetched = dict(query(data, "select run_id, sum(article_pages) from source_runs group by 1"))
    assert fetched[first_id] >= 80
    assert fetched[second_id] == 0
    skipped = query(data, f"select sum(skipped_seen) from source_runs where run_id = '{second_id}'")
    assert skipped[0][0] >= 80
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        now = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}
    assert {t: now[t] for t in TABLES if t != "captures"} == {
        t: two_runs["after_first"][t] for t in TABLES if t != "captures"}
    assert query(data, "select count(*) - count(distinct url) from articles")[0][0] == 0
    assert "article pages fetched: 0" in two_runs["second"]


def test_second_run_adds_only_its_new_articles_to_the_search_index(two_runs: dict) -> None:
    data = two_runs["data"]
    first_id, second_id = run_ids(data)
    new = dict(query(data, "select first_run_id, count(*) from articles group by 1"))
    # The first night builds the index; the second only looks for new and removed articles.
    assert query(data, "select added, removed, checked_all from search_refreshes "
                       "order by finished_at") == [(new[first_id], 0, True),
                                                   (new.get(second_id, 0), 0, False)]
    assert query(data, "select count(*) from search_indexed") == query(
        data, "select count(*) from articles")


def test_second_report_lists_no_story_of_the_first(two_runs: dict) -> None:
    data = two_runs["data"]
    first_id, second_id = run_ids(data)
    reports = data / "reports"
    first_md = next(reports.glob(f"{first_id}-*.md")).read_text()
    second_md = next(reports.glob(f"{second_id}-*.md")).read_text()
    first_links = set(re.findall(r"\]\(<([^>]+)>\)", first_md))
    second_links = set(re.findall(r"\]\(<([^>]+)>\)", second_md))
    assert len(first_links) >= 10
    assert not first_links & second_links
    assert (reports / f"{first_id}-all-topics.html").exists()


def test_bad_pages_are_recorded_and_the_run_goes_on(two_runs: dict) -> None:
    data = two_runs["data"]
    errors = {(s, k) for s, k in query(data, "select source_id, kind from run_errors")}
    assert ("kloop", "http_404") in errors
    assert ("azattyq-ru", "no_text") in errors
    messages = query(data, "select message from run_errors where kind = 'no_text'")
    assert "no article text" in messages[0][0]
    cp1251 = query(data, "select title, text, encoding from articles "
                         "where source_id = '24kg' and encoding = 'cp1251'")
    assert len(cp1251) == 1
    title, text, _encoding = cp1251[0]
    assert re.search("[а-яА-Я]{4}", title) and re.search("[а-яА-Я]{4}", text)


# --- the workspace on the demo's data ---------------------------------------------------

@pytest.fixture(scope="module")
def demo_client(full_demo: dict, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    data = tmp_path_factory.mktemp("web-demo") / "demo"
    shutil.copytree(full_demo["data"], data)  # a correction writes to the warehouse
    return TestClient(create_app(load_settings(CONFIG, data)))


def test_demo_prints_the_command_that_opens_the_workspace(full_demo: dict) -> None:
    assert re.search(r"--data \S+ web +# then http://127\.0\.0\.1:8750/", full_demo["second"])


def _first(pattern: str, page: str) -> str:
    found = re.search(pattern, page)
    assert found, pattern
    return found.group(1)


def test_every_page_of_the_workspace_answers_on_the_demo(demo_client: TestClient) -> None:
    stories = demo_client.get("/stories")
    assert stories.status_code == 200
    total = int(_first(r'id="total">Stories: (\d+)<', stories.text))
    assert total > 50
    article = _first(r'<li class="story" data-article="([^"]+)"', stories.text)
    story = demo_client.get(f"/stories/{article}").text
    capture = _first(r'id="archived" href="/archive/([^"]+)"', story)
    source = _first(r'href="/sources/([^"]+)"', story)
    runs = demo_client.get("/runs").text
    run = _first(r'href="/runs/([^"]+)"', runs)
    report = _first(r'href="/reports/([^"]+\.html)"', runs)
    pages = ["/stories?topic=torture&country=KG", "/stories?q=милиция", "/stories?all=1&page=2",
             f"/archive/{capture}", f"/archive/{capture}/page",
             f"/archive/{capture}/record.warc.gz", "/sources", f"/sources/{source}",
             f"/runs/{run}", "/reports", f"/reports/{report}", "/corrections",
             "/corrections.jsonl", "/stories.csv?topic=police", "/stories.parquet",
             "/stories.json?country=TJ"]
    for path in pages:
        assert demo_client.get(path).status_code == 200, path
    searched = demo_client.get("/stories?q=милиция").text
    assert "The search could not be run" not in searched
    assert int(_first(r'id="total">Stories: (\d+)<', searched)) > 0


# --- the worked examples of docs/QUERIES.md on the demo's data ------------------------

DOC = ROOT / "docs" / "QUERIES.md"
EXAMPLE = re.compile(r"^### (\d+)\. (.+?)$(.*?)(?=^### |\Z)", re.M | re.S)
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def doc_examples() -> list[tuple[str, list[str]]]:
    """(id, argv after `steppewatch`) of every command in the worked examples."""
    found = []
    for number, title, body in EXAMPLE.findall(DOC.read_text()):
        for index, block in enumerate(SH_BLOCK.findall(body)):
            argv = shlex.split(block)
            assert argv[0] == "steppewatch", f"example {number} runs {argv[0]!r}"
            found.append((f"{number}.{index}-{title[:40]}", argv[1:]))
    return found


@pytest.fixture(scope="module")
def demo_data(full_demo: dict) -> Path:
    """The session's full demo warehouse (two runs; read-only here)."""
    data = full_demo["data"]
    with open_readonly(data) as con:  # other tests read it at the same time
        assert index_ready(con)  # the nightly load step refreshed the search index
    return data


def _for_data(argv: list[str], data: Path, tmp_path: Path) -> list[str]:
    """The example's arguments on the test's data folder, output files in tmp_path."""
    args = list(argv)
    args[args.index("--data") + 1] = str(data)
    if "--output" in args:
        position = args.index("--output") + 1
        args[position] = str(tmp_path / Path(args[position]).name)
    return args


def test_the_doc_has_at_least_ten_examples() -> None:
    assert len({e[0].split(".")[0] for e in doc_examples()}) >= 10


@pytest.mark.parametrize(("example", "argv"), doc_examples(), ids=[e[0] for e in doc_examples()])
def test_doc_example_returns_rows(example: str, argv: list[str], demo_data: Path,
                                  tmp_path: Path) -> None:
    args = _for_data(argv, demo_data, tmp_path)
    command = args[2]
    if command in ("sql", "search"):
        result = invoke([*args, "--format", "json"])
        rows = json.loads(result.stdout)
        assert rows, f"example {example} returned no rows"
    elif command == "export":
        result = invoke(args)
        written = int(re.search(r"wrote (\d+) stories", result.stdout)[1])
        assert written > 0
        assert Path(args[args.index("--output") + 1]).stat().st_size > 0
    else:
        raise AssertionError(f"example {example}: no check for command {command!r}")


def test_search_works_in_the_stock_duckdb_cli_as_documented(demo_data: Path) -> None:
    """README's `make duckdb` line: the stock CLI, offline, finds stories with find_stories."""
    readme = (ROOT / "README.md").read_text()
    line = next(ln for ln in readme.splitlines() if ln.startswith("echo ") and "make -s duckdb"
                in ln)
    sql = shlex.split(line.split("|")[0])[1]
    proc = subprocess.run(["make", "-s", "-C", str(ROOT), "duckdb", f"DATA={demo_data}"],
                          input=sql, text=True, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    table = proc.stdout.splitlines()
    header = next(i for i, row in enumerate(table) if row.startswith("├"))
    assert "outlet" in table[header - 2] and "title" in table[header - 2]
    assert table[header + 1].startswith("│")  # at least one story found
