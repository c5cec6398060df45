"""What the crawl stage reads from the warehouse before it starts, and the one thing it notes.

The crawl never opens the warehouse itself (crawlers/plan.py): the nightly reads these with
the writer's connection and hands them to the crawl processes in the run's plan and seen
list. Statements: warehouse/statements/crawl/.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from warehouse.sql import records, statement


def seen_urls(con: duckdb.DuckDBPyConnection, now: datetime | None = None) -> list[str]:
    """Article URLs whose article or final error is stored, and failed URLs whose next try
    (url_backoff) comes after `now` (default: the present)."""
    rows = con.execute(statement("crawl/seen_urls"), {"now": now or datetime.now(UTC)}).fetchall()
    return [row[0] for row in rows]


def orphan_captures(con: duckdb.DuckDBPyConnection,
                    source_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Archived 2xx article responses that no article and no error accounts for."""
    return records(con.execute(statement("crawl/orphan_captures"), {"sources": source_ids}))


def url_validators(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """Feed/sitemap URL -> ETag, Last-Modified and WARC pointer of its newest archived copy."""
    cursor = con.execute(statement("crawl/url_validators"))
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names[1:], row[1:], strict=True)) for row in cursor.fetchall()}


@dataclass(frozen=True)
class RevisitSchedule:
    """When stored articles are checked again (statements/crawl/revisit_due.sql; the
    [crawl] revisit_* settings)."""
    after_hours: int = 24  # never sooner after the last check
    max_interval_hours: int = 168  # never later, while the story is in its window
    age_fraction: float = 0.25  # wait this share of the story's age (since its last change)
    matched_days: int = 30  # stories matching a topic are checked this long
    window_days: int = 3  # the others this long ...
    revisits: int = 1  # ... this many times ...
    per_host: int = 200  # ... and at most this many of them per host and run


def due_revisits(con: duckdb.DuckDBPyConnection, now: datetime,
                 schedule: RevisitSchedule) -> list[str]:
    """Stored articles the schedule checks in a run starting at `now`."""
    params = {"now": now, **asdict(schedule)}
    return [row[0] for row in con.execute(statement("crawl/revisit_due"), params).fetchall()]


def revisit_validators(con: duckdb.DuckDBPyConnection,
                       urls: list[str]) -> dict[str, dict[str, Any]]:
    """Article URL -> ETag / Last-Modified of its newest archived copy, for conditional
    revisits (articles whose copies carry neither are asked for plainly)."""
    if not urls:
        return {}
    rows = con.execute(statement("crawl/revisit_validators"), {"urls": ",".join(urls)})
    return {url: {"etag": etag, "last_modified": modified}
            for url, etag, modified in rows.fetchall()}


def set_run_since(con: duckdb.DuckDBPyConnection, run_id: str, since: str | None) -> None:
    """Note the backfill date of a run (None for an ordinary nightly run)."""
    con.execute(statement("crawl/run_since"), {"run_id": run_id, "since": since})
