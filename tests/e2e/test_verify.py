"""`steppewatch verify` finds archived article pages without an outcome and WARC records that
no longer read back; the next nightly extracts such a page from the archive."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.helpers import run_cli
from warehouse.connection import WAREHOUSE_FILE

SOURCE = ["--source", "24kg"]


@pytest.fixture(scope="module")
def demo_data(small_demo: Path) -> Path:
    """A demo run's data folder (the session's small demo, 24kg among its outlets): read
    here, copied by the tests that change it."""
    return small_demo


def verify(data: Path) -> tuple[int, list[str], str]:
    proc = run_cli(["--data", str(data), "verify"], check=False)
    return proc.returncode, proc.stderr.splitlines(), proc.stdout


def test_a_complete_run_verifies(demo_data: Path) -> None:
    code, problems, summary = verify(demo_data)
    assert (code, problems) == (0, [])
    assert "read back with their recorded digests" in summary


def test_a_damaged_record_is_reported(demo_data: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_data, data, ignore=shutil.ignore_patterns("prefect"))
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        url, warc_file, offset = con.execute(
            "select url, warc_file, warc_offset from stories order by url limit 1").fetchone()
    with (data / warc_file).open("r+b") as fh:  # a byte inside the record's gzip member
        fh.seek(offset + 40)
        byte = fh.read(1)
        fh.seek(offset + 40)
        fh.write(bytes([byte[0] ^ 0xFF]))
    code, problems, _ = verify(data)
    assert code == 1
    assert len(problems) == 1 and url in problems[0]
    assert problems[0].startswith(("unreadable:", "digest_mismatch:"))


def test_a_page_without_outcome_is_found_and_extracted_next_night(
        demo_data: Path, tmp_path: Path, prefect_api: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_data, data, ignore=shutil.ignore_patterns("prefect"))
    with duckdb.connect(str(data / WAREHOUSE_FILE)) as con:  # as a crash before load leaves it
        article_id, url, capture_id, title = con.execute(
            "select article_id, url, capture_id, title from articles where source_id = '24kg' "
            "order by url limit 1").fetchone()
        for table in ("articles", "article_versions", "article_topics", "article_places",
                      "search_indexed"):
            con.execute(f"delete from {table} where article_id = ?", [article_id])
        con.execute("delete from capture_outcomes where capture_id = ?", [capture_id])
    code, problems, _ = verify(data)
    assert code == 1 and len(problems) == 1
    assert problems[0].startswith(f"no_outcome: {url} (capture {capture_id})")

    run_cli(["--data", str(data), "demo", *SOURCE], env={"PREFECT_API_URL": prefect_api})
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        assert con.execute("select capture_id, title from articles where url = ?",
                           [url]).fetchone() == (capture_id, title)  # from the archived page
        fetched_again = con.execute("select count(*) from captures where url = ?",
                                    [url]).fetchone()[0]
    assert fetched_again == 1  # extracted from the archive, not fetched again
    assert verify(data)[:2] == (0, [])
