"""Extraction and tagging on a local Dask cluster give the same rows as the default runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.helpers import CONFIG, SMALL_DEMO_SOURCES, run_cli
from warehouse.connection import WAREHOUSE_FILE

# The small demo's outlets: its run (tests/conftest.py: small_demo) is the default runner's.
SOURCES = [arg for source in SMALL_DEMO_SOURCES for arg in ("--source", source)]
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


def rows(data: Path) -> list[tuple]:
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        return con.execute(ROWS).fetchall()


def test_dask_runner_gives_identical_rows(tmp_path: Path, prefect_api: str,
                                          small_demo: Path) -> None:
    assert 'task_runner = "threads"' in (CONFIG / "settings.toml").read_text()
    threads = rows(small_demo)  # the project's config: the default runner, threads
    data = tmp_path / "data-dask"
    run_cli(["--config", str(config_with_runner(tmp_path, "dask")), "--data", str(data),
             "demo", *SOURCES], env={"PREFECT_API_URL": prefect_api})
    dask = rows(data)
    assert len(threads) >= 30
    assert dask == threads
