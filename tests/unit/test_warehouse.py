import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers import BIN, KLOOP, invoke, write_rows
from warehouse.connection import open_warehouse
from warehouse.crawl_state import seen_urls
from warehouse.load import SourceRun, load_run
from warehouse.runs import start_run, upsert_sources


def _stage_run(run_dir: Path) -> None:
    now = datetime.now(UTC).isoformat()
    capture = {"source_id": "kloop", "kind": "article", "http_status": 200,
               "content_type": "text/html", "content_sha1": "x", "bytes": 10,
               "warc_file": "warc/r/kloop.warc.gz", "warc_length": 5, "fetched_at": now}
    write_rows(run_dir / "kloop" / "captures.jsonl", [
        {**capture, "capture_id": "c1", "url": "https://kloop.kg/blog/2026/11/01/a/",
         "warc_offset": 0},
        {**capture, "capture_id": "c2", "url": "https://kloop.kg/blog/2026/11/01/gone/",
         "warc_offset": 5, "http_status": 404},
    ])
    write_rows(run_dir / "kloop" / "extracted.jsonl", [{
        "article_id": "a1", "url": "https://kloop.kg/blog/2026/11/01/a/", "canonical_url": None,
        "source_id": "kloop", "capture_id": "c1", "title": "Пытки в СИЗО", "text": "Текст",
        "author": None, "published_at": "2026-11-01T10:00:00+06:00", "language": "ru",
        "description": None, "encoding": "utf-8", "text_sha1": "t", "extracted_at": now}])
    write_rows(run_dir / "kloop" / "tagged.jsonl", [{
        "article_id": "a1", "topic": "torture", "score": 2.0,
        "matches": [{"term": "пытк*", "surface": "Пытки", "field": "title", "start": 0, "end": 5}],
        "topics_version": "v1", "tagged_at": now}])
    write_rows(run_dir / "kloop" / "errors.jsonl", [{
        "source_id": "kloop", "url": "https://kloop.kg/blog/2026/11/01/gone/", "kind": "http_404",
        "message": "HTTP 404 for article page", "http_status": 404, "capture_id": "c2"}])


def _load(data: Path, run_dir: Path) -> dict[str, int]:
    run = SourceRun("kloop", "ok", None, 3, 2, 0, 1, 20, 1.5)
    with open_warehouse(data) as con:
        upsert_sources(con, [KLOOP])
        start_run(con, "r", datetime.now(UTC), "replay", None, "v1")
        return load_run(con, "r", run_dir, [run])


def _counts(data: Path) -> dict[str, int]:
    with open_warehouse(data) as con:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("captures", "articles", "article_topics", "run_errors", "source_runs")}


def test_load_is_idempotent(tmp_path: Path) -> None:
    _stage_run(tmp_path / "runs" / "r")
    assert _load(tmp_path, tmp_path / "runs" / "r") == {"kloop": 1}
    first = _counts(tmp_path)
    assert first == {"captures": 2, "articles": 1, "article_topics": 1, "run_errors": 1,
                     "source_runs": 1}
    _load(tmp_path, tmp_path / "runs" / "r")  # a resumed run loads the same files again
    assert _counts(tmp_path) == first
    with open_warehouse(tmp_path) as con:
        assert sorted(seen_urls(con)) == ["https://kloop.kg/blog/2026/11/01/a/",
                                          "https://kloop.kg/blog/2026/11/01/gone/"]
        story = con.execute("select outlet, topics, warc_file from stories").fetchone()
    assert story == ("Kloop", ["torture"], "warc/r/kloop.warc.gz")


def test_sql_command_is_read_only_and_formats(tmp_path: Path) -> None:
    _stage_run(tmp_path / "runs" / "r")
    _load(tmp_path, tmp_path / "runs" / "r")
    data = ["--data", str(tmp_path)]
    as_json = invoke([*data, "sql", "select title, topics from stories", "--format", "json"])
    assert json.loads(as_json.stdout) == [{"title": "Пытки в СИЗО", "topics": ["torture"]}]
    as_csv = invoke([*data, "sql", "select source_id, topics from stories", "--format", "csv"])
    assert as_csv.stdout.splitlines() == ["source_id,topics", 'kloop,"[""torture""]"']
    table = invoke([*data, "sql", "select count(*) as n from articles"])
    assert "│ 1 │" in table.stdout
    refused = invoke([*data, "sql", "delete from articles"], check=False)
    assert refused.returncode == 1
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "read-only" in refused.stderr
    bad = invoke([*data, "sql", "select nope from articles"], check=False)
    assert bad.returncode == 1 and "nope" in bad.stderr
    assert _counts(tmp_path)["articles"] == 1


def test_sql_without_warehouse_says_what_to_do(tmp_path: Path) -> None:
    missing = invoke(["--data", str(tmp_path), "sql", "select 1"], check=False)
    assert missing.returncode == 1
    assert "steppewatch nightly" in missing.stderr


@pytest.mark.skipif(not (BIN / "duckdb").exists() and not shutil.which("duckdb"),
                    reason="duckdb-cli is a dev dependency")
def test_stock_duckdb_cli_opens_the_warehouse(tmp_path: Path) -> None:
    _stage_run(tmp_path / "runs" / "r")
    _load(tmp_path, tmp_path / "runs" / "r")
    cli = str(BIN / "duckdb") if (BIN / "duckdb").exists() else "duckdb"
    proc = subprocess.run([cli, "-readonly", str(tmp_path / "steppewatch.duckdb"), "-csv", "-c",
                           "select count(*) as n from stories"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["n", "1"]
