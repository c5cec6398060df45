"""What every page of the workspace shares: the warehouse access, the renderer with the
topics' labels, the data folder and the settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from flows.settings import Settings
from flows.tagging.topics import load_topics
from flows.web.access import WarehouseAccess
from flows.web.rendering import Renderer, TopicLabels


@dataclass
class WebState:
    settings: Settings
    access: WarehouseAccess
    renderer: Renderer
    topics: TopicLabels

    @classmethod
    def from_settings(cls, settings: Settings) -> WebState:
        loaded = load_topics(settings.topics_file)
        topics = TopicLabels({t.id: t.label for t in loaded.topics})
        return cls(settings, WarehouseAccess(settings.data_dir), Renderer(topics), topics)

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    def corrections_of(self, con: duckdb.DuckDBPyConnection,
                       article_id: str) -> list[dict[str, Any]]:
        """The corrections monitors recorded on one story, newest first."""
        from warehouse.feedback import list_feedback

        try:
            return _as_dicts(list_feedback(con, article_id=article_id))
        except duckdb.CatalogException:  # a warehouse from before corrections, not migrated
            return []


def _as_dicts(rows: list[Any]) -> list[dict[str, Any]]:
    return [row if isinstance(row, dict) else vars(row) for row in rows]
