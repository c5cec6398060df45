"""Exactly once across a crash: the sender killed between sending and marking never sends
twice by itself; `alerts --resend RUN` sends the past report again on purpose."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from tests.helpers import BIN, ROOT, config_dir, http_endpoint, load_articles, run_cli
from tests.helpers import police_story as story
from warehouse.connection import open_warehouse

HOOK = """
[alerts.channels.hook]
type = "webhook"
url_env = "SW_TEST_HOOK_URL"
"""


def test_crash_between_send_and_mark_never_sends_twice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = config_dir(tmp_path, HOOK, '["hook"]')
    load_articles(data, "run1", [story("a1", "Пытки в ИВС"), story("a2", "Пикет", "24kg")])
    args = ["--config", str(config), "--data", str(data)]
    with http_endpoint() as hook:
        env = {**os.environ, "SW_TEST_HOOK_URL": f"{hook.url}/hook"}
        # The endpoint takes the message, then the sender dies before it can mark it.
        victim = subprocess.Popen([str(BIN / "steppewatch"), *args, "alerts"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        hook.on_post = lambda _post: os.kill(victim.pid, signal.SIGKILL)
        victim.communicate(timeout=120)
        assert victim.returncode == -signal.SIGKILL and len(hook.posts) == 1
        hook.on_post = None

        after = run_cli([*args, "alerts"], env=env, check=False)
        assert after.returncode == 2 and "unconfirmed" in after.stdout
        assert len(hook.posts) == 1  # not sent again by itself
        with open_warehouse(data) as con:
            key, run_id, status = con.execute(
                "select delivery_key, run_id, status from alert_outbox").fetchone()
            assert status == "unconfirmed"
            assert con.execute("select count(*) from alert_deliveries").fetchone()[0] == 0
        assert hook.posts[0]["headers"]["Idempotency-Key"] == f"{key}-0"

        again = run_cli([*args, "alerts", "--resend", run_id], env=env)
        assert "sent" in again.stdout and len(hook.posts) == 2
        assert hook.posts[1]["json"] == hook.posts[0]["json"]  # the same report, on purpose
        assert hook.posts[1]["headers"]["Idempotency-Key"] != f"{key}-0"

        quiet = run_cli([*args, "alerts"], env=env)
        assert len(hook.posts) == 2, quiet.stdout
    with open_warehouse(data) as con:
        assert con.execute("select count(*) from alert_deliveries").fetchone()[0] == 2
        assert con.execute("select status from alert_outbox where delivery_key = ?",
                           [key]).fetchone()[0] == "sent"
