"""`steppewatch export`: a slice of the stories as Parquet or CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from tests.helpers import build_search_warehouse, invoke


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("export")
    build_search_warehouse(folder)
    return ["--data", str(folder)]


def _parquet(path: Path) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute("SELECT article_id, countries, topics, warc_file, text "
                           "FROM read_parquet(?) ORDER BY article_id", [str(path)]).fetchall()


def test_export_parquet_with_filters(data: list[str], tmp_path: Path) -> None:
    everything = tmp_path / "all.parquet"
    printed = invoke([*data, "export", "--format", "parquet", "--output", str(everything)])
    assert "wrote 6 stories" in printed.stdout
    assert len(_parquet(everything)) == 6
    slice_file = tmp_path / "slice.parquet"
    invoke([*data, "export", "--topic", "police", "--country", "kz", "--since", "2026-11-02",
             "--output", str(slice_file)])
    rows = _parquet(slice_file)
    assert [r[0] for r in rows] == ["a-kk"]
    assert rows[0][1] == ["KZ"] and rows[0][2] == ["police"]
    assert rows[0][3] == "warc/r/src-kk.warc.gz" and "Полиция" in rows[0][4]


def test_export_csv(data: list[str], tmp_path: Path) -> None:
    target = tmp_path / "torture.csv"
    invoke([*data, "export", "--format", "csv", "--topic", "torture", "--output", str(target)])
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["article_id"] for r in rows) == ["a-en", "a-ky", "a-tg"]
    assert {"title", "url", "warc_offset", "text"} <= set(rows[0])
    assert not list(tmp_path.glob("*.partial"))


def test_export_mistakes(data: list[str], tmp_path: Path) -> None:
    wrong = invoke([*data, "export", "--format", "xlsx", "--output", str(tmp_path / "x")],
                    check=False)
    assert wrong.returncode == 1 and "parquet, csv" in wrong.stderr
    no_output = invoke([*data, "export"], check=False)
    assert no_output.returncode != 0 and "--output" in no_output.stderr
