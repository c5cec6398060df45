"""Reading Telegram posts beside the stories they link (the telegram_links view)."""

from __future__ import annotations

from typing import Any

import duckdb

from warehouse.sql import records, statement


def telegram_mentions(con: duckdb.DuckDBPyConnection, article_id: str) -> list[dict[str, Any]]:
    """The Telegram posts that link this story, oldest first: article_id, source_name,
    channel, post_id, url, published_at."""
    return records(con.execute(statement("telegram/mentions"), {"article_id": article_id}))


def telegram_checks(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """What the run's preview pages showed of posts stored before: article_checks rows
    (article_id, state, reason, http_status, capture_id, final_capture_id, text_sha1,
    title), present or gone (deleted)."""
    return records(con.execute(statement("telegram/checks"), {"run_id": run_id}))
