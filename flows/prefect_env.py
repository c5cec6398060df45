"""Prefect's environment, set before Prefect is imported: its home under the data folder."""

from __future__ import annotations

import os
from pathlib import Path


def configure_prefect(data_dir: Path) -> None:
    """Keep Prefect's database and logs with the data; no analytics; quiet client logs.

    With no PREFECT_API_URL set, Prefect runs its embedded server for the run.
    """
    home = (data_dir / "prefect").resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    # The steps log with the standard logging module (they also run without Prefect).
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "flows,crawlers,warehouse")
