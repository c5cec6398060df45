"""Where the nightly's tasks run: Prefect's thread pool (default) or a Dask cluster.

settings.toml [orchestration]:
    task_runner = "threads" | "dask"
    dask_address = ""        # tcp://host:8786 of an existing scheduler; empty: a local cluster
    dask_workers = 2         # workers of the local cluster
"""

from __future__ import annotations

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.settings import Settings


def _section(settings: Settings) -> dict:
    return settings.raw.get("orchestration", {})


def uses_dask(settings: Settings) -> bool:
    return _section(settings).get("task_runner", "threads") == "dask"


def task_runner(settings: Settings) -> TaskRunner:
    """The task runner the settings ask for."""
    if not uses_dask(settings):
        return ThreadPoolTaskRunner(max_workers=settings.max_parallel_sources + 1)
    from prefect_dask import DaskTaskRunner

    address = _section(settings).get("dask_address") or None
    if address:
        return DaskTaskRunner(address=address)
    workers = int(_section(settings).get("dask_workers", 2))
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})
