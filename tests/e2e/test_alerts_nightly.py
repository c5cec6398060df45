"""Two nightly runs (`steppewatch demo`) delivering to Telegram on loopback: the second run
(one more outlet) sends only stories first seen in it, and nothing the first run sent."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb

from tests.helpers import config_dir, http_endpoint, run_cli
from warehouse.connection import WAREHOUSE_FILE

TOKEN = "987654:nightly-telegram-token"


def test_second_nightly_run_sends_only_its_new_stories(tmp_path: Path, prefect_api: str) -> None:
    data = tmp_path / "data"
    with http_endpoint() as api:
        config = config_dir(tmp_path, f"""
[alerts.channels.tg]
type = "telegram"
chat_id = "42"
token_env = "SW_TEST_TG_TOKEN"
api_base = "{api.url}"
""", '["file", "tg"]')
        env = {"PREFECT_API_URL": prefect_api, "SW_TEST_TG_TOKEN": TOKEN}
        args = ["--config", str(config), "--data", str(data), "demo"]
        run_cli([*args, "--source", "kloop"], env=env)
        sent_first = len(api.posts)
        run_cli([*args, "--source", "kloop", "--source", "24kg"], env=env)
        posts = [p["json"]["text"] for p in api.posts]

    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        first_id, second_id = [r[0] for r in con.execute(
            "select run_id from crawl_runs order by started_at").fetchall()]
        first_urls = {r[0] for r in con.execute(
            "select url from stories where len(topics) > 0 and first_run_id = ?",
            [first_id]).fetchall()}
        second_urls = {r[0] for r in con.execute(
            "select url from stories where len(topics) > 0 and first_run_id = ?",
            [second_id]).fetchall()}
    assert first_urls and second_urls and sent_first >= 1

    linked = [set(re.findall(r'<a href="([^"]+)"', text)) for text in posts]
    in_first, in_second = set().union(*linked[:sent_first]), set().union(*linked[sent_first:])
    assert in_first == first_urls
    assert in_second == second_urls  # only stories first seen in the second run

    report = json.loads((data / "reports" / f"{second_id}-rights.json").read_text())
    reported = {s["url"] for s in report["stories"]}
    reported |= {o["url"] for s in report["stories"] for o in s["also_reported_by"]}
    assert reported == second_urls

