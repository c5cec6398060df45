"""The nightly deployment on a real Prefect server: schedule, a triggered run, its artifact;
Ctrl-C stops `steppewatch serve` cleanly. In one file: both serve the deployment
nightly/nightly on the run's shared Prefect server, so they must not run at once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
import time
from datetime import UTC
from pathlib import Path

import duckdb
import pytest

from tests.helpers import BIN, ROOT, config_copy


async def _wait_for(predicate, timeout: float = 120.0, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = await predicate()
        if result:
            return result
        await asyncio.sleep(every)
    raise AssertionError("timed out waiting")


@pytest.fixture()
def served(tmp_path: Path, prefect_api: str):
    # The runner looks for runs to start every second instead of every 10 s (Prefect's
    # default), so the triggered run starts as soon as it is asked for.
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([str(BIN / "steppewatch"), "--data", str(tmp_path / "data"), "serve"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    yield tmp_path
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)


def test_served_deployment_schedule_run_and_artifact(served: Path, prefect_api: str,
                                                     replay_server) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def scenario() -> str:
        async with get_client() as client:
            async def deployment():
                try:
                    return await client.read_deployment_by_name("nightly/nightly")
                except Exception:  # not registered yet
                    return None

            dep = await _wait_for(deployment)
            schedule = dep.schedules[0].schedule
            assert (schedule.cron, schedule.timezone) == ("0 2 * * *", "Asia/Almaty")

            async def scheduled_runs():
                return await client.read_flow_runs(
                    deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[dep.id])),
                    sort=FlowRunSort.EXPECTED_START_TIME_ASC)

            runs = await _wait_for(scheduled_runs)
            first = runs[0].expected_start_time.astimezone(UTC)
            # Almaty is UTC+5 since 2024-03-01: 02:00 there is 21:00 UTC the day before.
            assert (first.hour, first.minute) == (21, 0)

            flow_run = await run_deployment(
                "nightly/nightly", timeout=0,
                parameters={"replay_address": replay_server.address,
                            "only_sources": ["kloop", "ozodi"], "mode": "replay"})

            async def finished():
                run = await client.read_flow_run(flow_run.id)
                return run if run.state and run.state.is_final() else None

            done = await _wait_for(finished, timeout=300)
            assert done.state.is_completed(), done.state
            artifacts = await client.read_artifacts()
            ours = [a for a in artifacts if a.flow_run_id == flow_run.id
                    and a.key == "nightly-summary"]
            assert ours, [a.key for a in artifacts]
            assert "| kloop | ok |" in ours[0].data and "| ozodi | ok |" in ours[0].data
            return str(flow_run.id)

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        flow_run_id = asyncio.run(scenario())
    warehouse = served / "data" / "steppewatch.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        recorded = con.execute("select flow_run_id, status from crawl_runs").fetchall()
    assert recorded == [(flow_run_id, "completed")]


def test_work_pool_deployment_matches_settings() -> None:
    import tomllib

    import yaml

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    settings = tomllib.loads((ROOT / "config" / "settings.toml").read_text())["schedule"]
    (deployment,) = spec["deployments"]
    assert deployment["schedules"] == [{"cron": settings["cron"],
                                        "timezone": settings["timezone"]}]
    module, _, name = deployment["entrypoint"].partition(":")
    assert (ROOT / module).exists() and name == "nightly"


# Ctrl-C on `steppewatch serve`: a real process in a process group of its own, as a terminal
# runs it, against the run's Prefect server.

def test_ctrl_c_stops_serve_within_5_s(tmp_path: Path, prefect_api: str) -> None:
    config = config_copy(tmp_path)
    settings = config / "settings.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'cron = "0 2 * * *"', 'cron = "0 0 1 1 *"'), encoding="utf-8")  # no run starts
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    proc = subprocess.Popen(
        [str(BIN / "steppewatch"), "--config", str(config), "--data", str(tmp_path / "data"),
         "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A group of its own, as a terminal's foreground job, so Ctrl-C reaches the whole
        # group. A shell that starts jobs in the background ignores SIGINT in them: restore
        # the default, as a terminal has it, so Python turns SIGINT into KeyboardInterrupt.
        start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    stdout: list[str] = []
    stderr: list[str] = []
    serving = threading.Event()

    def read(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line)
            if "being served" in line:
                serving.set()

    readers = [threading.Thread(target=read, args=(proc.stdout, stdout), daemon=True),
               threading.Thread(target=read, args=(proc.stderr, stderr), daemon=True)]
    for reader in readers:
        reader.start()
    try:
        assert serving.wait(120), f"serve did not start:\n{''.join(stdout)}{''.join(stderr)}"
        time.sleep(1)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C
        started = time.monotonic()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pytest.fail("serve still running 5 s after Ctrl-C")
        elapsed = time.monotonic() - started
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        # The session's Prefect server is shared: leave no deployment with this schedule.
        subprocess.run([str(BIN / "prefect"), "deployment", "delete", "nightly/nightly"],
                       env=env, capture_output=True, timeout=60)
    for reader in readers:
        reader.join(5)
    assert proc.returncode == 0, "".join(stderr)
    assert "Traceback" not in "".join(stderr) + "".join(stdout)
    assert "stopped serving nightly" in "".join(stdout)
    assert elapsed < 5
