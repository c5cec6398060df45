"""Re-tag the stored corpus after topics.toml changed: new tags, new version, fresh places.

Articles are read from the warehouse in batches (article id order). Each batch's tags and
places are replaced in one transaction, so a crash leaves every article with either its old
or its new tags. A tag that an article keeps keeps the run that first tagged it; a new tag
records the reprocess run. Every new tag records the topics version it came from.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from crawlers.staging import write_jsonl
from flows.tagging.labelling import is_tag, place_article, tag_article
from flows.tagging.places import Gazetteer
from flows.tagging.tagger import Tagger
from warehouse.connection import transaction
from warehouse.sql import statement

BATCH_SIZE = 2_000


@dataclass
class ReprocessResult:
    run_id: str
    topics_version: str
    articles: int = 0
    added: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)


def reprocess_run_id() -> str:
    return f"reprocess-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"


def _retag_batch(con: duckdb.DuckDBPyConnection, batch: list[dict[str, Any]], tagger: Tagger,
                 gazetteer: Gazetteer | None, result: ReprocessResult, work: Path) -> None:
    """Replace one batch's tags and places in one transaction; count the differences."""
    ids = [a["article_id"] for a in batch]
    now = datetime.now(UTC).isoformat()
    rows = [row for a in batch for row in tag_article(a, tagger, now)]  # tags, near misses
    tags = [row for row in rows if is_tag(row)]
    places = [place_article(a, gazetteer) for a in batch]
    topics_file, places_file = work / "article_topics.jsonl", work / "article_places.jsonl"
    with transaction(con):
        old = {(a, t): run for a, t, run in
               con.execute(statement("reprocess/old_topics"), {"ids": ids}).fetchall()}
        for row in tags:
            row["run_id"] = old.get((row["article_id"], row["topic"]), result.run_id)
        write_jsonl(topics_file, rows)
        write_jsonl(places_file, places)
        for name in ("delete_topics", "delete_near_misses", "delete_places"):
            con.execute(statement(f"reprocess/{name}"), {"ids": ids})
        if tags:
            con.execute(statement("reprocess/topics"), {"files": [str(topics_file)]})
        if len(rows) > len(tags):
            con.execute(statement("reprocess/near_misses"),
                        {"files": [str(topics_file)], "run_id": result.run_id})
        con.execute(statement("load/article_places"),
                    {"files": [str(places_file)], "run_id": result.run_id})
    new = {(row["article_id"], row["topic"]) for row in tags}
    result.added.update(t for _, t in new - old.keys())
    result.removed.update(t for _, t in old.keys() - new)
    result.kept.update(t for _, t in new & old.keys())
    result.articles += len(batch)


def reprocess_tags(con: duckdb.DuckDBPyConnection, tagger: Tagger,
                   gazetteer: Gazetteer | None = None, batch_size: int = BATCH_SIZE,
                   run_id: str | None = None) -> ReprocessResult:
    """Re-tag and re-place every stored article from its title and text."""
    result = ReprocessResult(run_id or reprocess_run_id(), tagger.version)
    columns = ("article_id", "title", "text", "language")
    after = ""
    with tempfile.TemporaryDirectory(prefix="steppewatch-reprocess-") as work:
        while True:
            rows = con.execute(statement("reprocess/articles"),
                               {"after": after, "limit": batch_size}).fetchall()
            if not rows:
                return result
            batch = [dict(zip(columns, row, strict=True)) for row in rows]
            _retag_batch(con, batch, tagger, gazetteer, result, Path(work))
            after = batch[-1]["article_id"]
