"""Extraction and tagging on a local Dask cluster give the same rows as the default runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.helpers import CONFIG, run_cli
from warehouse.connection import WAREHOUSE_FILE

SOURCES = ["--source", "kloop", "--source", "ozodi", "--source", "24kg"]
ROWS = ("select a.url, a.title, a.text, a.language, a.published_at, a.author, "
        "list(t.topic order by t.topic) as topics "
        "from articles a left join article_topics t using (article_id) group by all order by 1")


def config_with_runner(tmp_path: Path, runner: str) -> Path:
    config = tmp_path / f"config-{runner}"
    shutil.copytree(CONFIG, config)
    settings = config / "settings.toml"
    text = settings.read_text()
    assert 'task_runner = "threads"' in text
    settings.write_text(text.replace('task_runner = "threads"', f'task_runner = "{runner}"'))
    return config


def run_rows(tmp_path: Path, runner: str, prefect_api: str) -> list[tuple]:
    data = tmp_path / f"data-{runner}"
    run_cli(["--config", str(config_with_runner(tmp_path, runner)), "--data", str(data),
             "demo", *SOURCES], env={"PREFECT_API_URL": prefect_api})
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        return con.execute(ROWS).fetchall()


def test_dask_runner_gives_identical_rows(tmp_path: Path, prefect_api: str) -> None:
    threads = run_rows(tmp_path, "threads", prefect_api)
    dask = run_rows(tmp_path, "dask", prefect_api)
    assert len(threads) >= 30
    assert dask == threads
