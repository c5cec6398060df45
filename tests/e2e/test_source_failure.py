"""One unreachable source never fails the others; when every source fails, each says why."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from tests.helpers import CONFIG, run_cli
from warehouse.connection import WAREHOUSE_FILE

# Port 9 on loopback: nothing listens there, so every request is refused at once.
UNREACHABLE = '''
[[source]]
id = "unreachable"
name = "Unreachable outlet"
family = "custom"
countries = ["KG"]
languages = ["ru"]
base_url = "http://127.0.0.1:9/"
feeds = ["http://127.0.0.1:9/rss/"]
listings = ["http://127.0.0.1:9/"]
article_pattern = '^http://127\\.0\\.0\\.1:9/news/\\d+$'
'''


def config_with_unreachable(tmp_path: Path) -> Path:
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    with (config / "sources.toml").open("a") as fh:
        fh.write(UNREACHABLE)
    settings = config / "settings.toml"
    text = settings.read_text().replace("source_retries = 1", "source_retries = 0")
    # Refused connections are retried as often as ever, without 2 and 4 s pauses between.
    text = re.sub(r"(?m)^retry_backoff_seconds = .*$", "retry_backoff_seconds = 0.1", text)
    settings.write_text(text)
    return config


def test_failing_source_leaves_the_run_completed(tmp_path: Path, prefect_api: str) -> None:
    config, data = config_with_unreachable(tmp_path), tmp_path / "data"
    run_cli(["--config", str(config), "--data", str(data), "demo",
             "--source", "kloop", "--source", "unreachable"], env={"PREFECT_API_URL": prefect_api})
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        runs = dict(con.execute("select source_id, status from source_runs").fetchall())
        message = con.execute("select message from source_runs where source_id = 'unreachable'"
                              ).fetchone()[0]
        status = con.execute("select status from crawl_runs").fetchone()[0]
    assert runs == {"kloop": "ok", "unreachable": "failed"}
    assert "unreachable" in message and "no page could be fetched" in message
    assert status == "completed"


def test_every_source_failing_fails_the_run_with_reasons(tmp_path: Path,
                                                         prefect_api: str) -> None:
    config, data = config_with_unreachable(tmp_path), tmp_path / "data"
    proc = run_cli(["--config", str(config), "--data", str(data), "demo",
                    "--source", "unreachable"], env={"PREFECT_API_URL": prefect_api},
                   check=False)
    assert proc.returncode == 1
    assert "every source failed" in proc.stderr
    assert "unreachable: no page could be fetched (DownloadConnectionRefusedError" in proc.stderr
