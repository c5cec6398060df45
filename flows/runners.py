"""Where the nightly's tasks run: Prefect's thread pool (default) or a Dask cluster.

settings.toml [orchestration]:
    task_runner = "threads" | "dask"
    dask_address = ""        # tcp://host:8786 of an existing scheduler; empty: a local cluster
    dask_workers = 2         # workers of the local cluster
"""

from __future__ import annotations

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.settings import Settings


def uses_dask(settings: Settings) -> bool:
    return settings.orchestration.task_runner == "dask"


def task_runner(settings: Settings) -> TaskRunner:
    """The task runner the settings ask for."""
    if not uses_dask(settings):
        return ThreadPoolTaskRunner(max_workers=settings.crawl.max_parallel_sources + 1)
    from prefect_dask import DaskTaskRunner

    orchestration = settings.orchestration
    if orchestration.dask_address:
        return DaskTaskRunner(address=orchestration.dask_address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": orchestration.dask_workers,
                                          "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})
