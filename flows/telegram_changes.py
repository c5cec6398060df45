"""Edits and deletions of Telegram posts as checks and changes of the edit tracking
(article_checks, story_changes; flows/changes.py decides what a check shows).

A post is checked whenever its channel's preview page is read again: present with the text
the page showed (an "edited" change when its prose differs, "headline" when its first line
does), or gone when a page no longer shows it between its neighbours ("removed" once two
checks in a row found it gone, as for outlet pages).
"""

from __future__ import annotations

import duckdb

from flows.changes import changes_of
from warehouse import changes as store
from warehouse.changes import Change, Check
from warehouse.connection import transaction
from warehouse.telegram import telegram_checks


def record_telegram_changes(con: duckdb.DuckDBPyConnection, run_id: str) -> list[Change]:
    """Store the run's checks of Telegram posts and the changes they show; a run loaded
    again adds nothing."""
    checks = [Check(**row) for row in telegram_checks(con, run_id)]
    if not checks:
        return []
    ids = [check.article_id for check in checks]
    known = store.history(con, run_id, ids)
    texts = store.version_texts(con, ids)
    found = [change for check in checks
             for change in changes_of(check, known[check.article_id], texts)]
    with transaction(con):
        store.record(con, run_id, store.run_started(con, run_id), checks, found)
    return found
