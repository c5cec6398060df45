"""The DuckDB warehouse as a library: open it, search it, export from it.

    from warehouse import open_readonly, search_stories
    with open_readonly(Path("data/demo")) as con:
        hits = search_stories(con, "пытки", country="KG")

docs/API.md has a runnable example of each. Names are imported when first used, so
importing the package stays instant.
"""

from __future__ import annotations

from crawlers.package_api import declared_api

API = {
    "open_readonly": "warehouse.connection",  # for queries: reads the warehouse, nothing else
    "open_warehouse": "warehouse.connection",  # the writer (load, alerts, reprocess)
    "search_stories": "warehouse.search",
    "refresh_search_index": "warehouse.search",
    "reindex": "warehouse.search",  # the search index rebuilt from the warehouse
    "SearchIndexMissing": "warehouse.search",
    "export_stories": "warehouse.export",
    "staging_file": "warehouse.export",
    "statement": "warehouse.sql",
    "record_feedback": "warehouse.feedback",  # a monitor's correction of a tag, stored once
    "new_feedback_key": "warehouse.feedback",
    "list_feedback": "warehouse.feedback",
    "feedback_examples": "warehouse.feedback",  # corrections as labelled lines for tag --eval
    "FeedbackError": "warehouse.feedback",
    "search_scores": "warehouse.search",  # ids and scores only, for a list of its own
    "StoryFilter": "warehouse.stories",  # what the workspace's filters narrowed stories to
    "list_stories": "warehouse.stories",
    "story_detail": "warehouse.stories",
    "story_versions": "warehouse.stories",
    "near_miss_page": "warehouse.near_misses",  # stories a topic nearly got, to check
    "story_near_misses": "warehouse.near_misses",
    "source_overview": "warehouse.history",  # outlets with their latest health
    "source_detail": "warehouse.history",  # one outlet as source_overview gives it
    "source_runs": "warehouse.history",
    "run_history": "warehouse.history",
    "run_detail": "warehouse.history",  # one run as run_history gives it
}
__all__ = sorted(API)

__getattr__ = declared_api(__name__, API)
