"""The Scrapy project and what it stores: sources, the WARC archive, article extraction.

    from crawlers import extract_article, load_sources, read_response

docs/API.md has a runnable example of each. Names are imported when first used, so
importing the package stays instant.
"""

from __future__ import annotations

from crawlers.package_api import declared_api

API = {
    "extract_article": "crawlers.extraction",
    "ExtractionError": "crawlers.extraction",
    "load_sources": "crawlers.sources",
    "Source": "crawlers.sources",
    "read_response": "crawlers.warc",
    "ReplayServer": "crawlers.replay_server",
}
__all__ = sorted(API)

__getattr__ = declared_api(__name__, API)
