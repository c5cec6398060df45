"""The spider of a public Telegram channel: its web preview pages, newest first.

It reads https://t.me/s/CHANNEL (the newest ~20 posts), then older pages through the
page's "more" link (`?before=POST_ID`), one page at a time, at most `pages_per_night`
pages, and stops at the first page that shows a post already stored: a nightly run of a
channel that posted less than a page since the last one fetches one page. With a `since`
date (a backfill) it goes on until a page's posts are older than that date. No login, no
API: only the pages anyone can open in a browser.

Each post with text is handed on as an article page whose capture is the preview page
(every post on it is read back from that one WARC record). A post already stored is
handed on again, so an edit is seen (a new article_versions row when its text changed);
a stored post missing between the first and last post of a page was deleted, and is
recorded as such.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers import telegram
from crawlers.items import ArticlePage, DiscoveredLink, FetchError
from crawlers.plan import CrawlPlan
from crawlers.sources import Source
from crawlers.spiders.source_spider import SourceSpider


class TelegramSpider(SourceSpider):
    name = "telegram"

    def __init__(self, source: Source, seen_urls: frozenset[str],
                 plan: CrawlPlan | None = None, **kwargs: Any) -> None:
        super().__init__(source, seen_urls, plan, **kwargs)
        self.channel = source.channel or ""
        self.stored_ids = {ids[1] for ids in map(telegram.parse_post_url, seen_urls)
                           if ids and ids[0].lower() == self.channel.lower()}

    @property
    def page_budget(self) -> int:
        if self.since:
            return self.plan.backfill_max_pages
        return self.source.pages_per_night or telegram.DEFAULT_PAGES_PER_NIGHT

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self._request(telegram.preview_url(self.channel), self.parse_page, "listing",
                            page=1, entry=True)

    def parse_page(self, response: Response) -> Iterator[Any]:
        try:
            page = telegram.parse_channel_page(response.body, self.channel)
        except ValueError as err:
            yield self._bad_page(response, "not_channel_page", str(err))
            return
        self._entry_reached(response)
        capture = response.meta["capture"]
        yield from self._deleted(page, response, capture)
        known = False
        for post in reversed(page.posts):  # newest first, as a reader goes back
            known |= post.post_id in self.stored_ids
            yield from self._post(post, response, capture)
        yield from self._older_page(page, response, known)

    def _post(self, post: telegram.Post, response: Response,
              capture: dict[str, Any]) -> Iterator[Any]:
        date = datetime.fromisoformat(post.published_at) if post.published_at else None
        if not post.text or self._is_old(date):
            self.crawler.stats.inc_value("steppewatch/telegram_skipped")
            return
        seen = post.url in self.seen_urls
        yield DiscoveredLink(self.source.id, post.url, response.url, seen, post.published_at)
        if seen:
            self.crawler.stats.inc_value("steppewatch/skipped_seen")
        self.crawler.stats.inc_value("steppewatch/telegram_posts")
        yield ArticlePage(
            source_id=self.source.id, url=post.url, requested_url=post.url,
            capture_id=capture["capture_id"], warc_file=capture["warc_file"],
            warc_offset=capture["warc_offset"], http_status=response.status,
            content_type=capture["content_type"], revisit=seen)

    def _deleted(self, page: telegram.ChannelPage, response: Response,
                 capture: dict[str, Any]) -> Iterator[FetchError]:
        """Stored posts the page should show (between its first and last post) but does not."""
        shown = {post.post_id for post in page.posts}
        if not shown:
            return
        low, high = min(shown), max(shown)
        for post_id in sorted(i for i in self.stored_ids if low < i < high and i not in shown):
            self.crawler.stats.inc_value("steppewatch/telegram_deleted")
            yield FetchError(self.source.id, telegram.post_url(self.channel, post_id), "deleted",
                             f"post {post_id} of {self.channel} is no longer on its page "
                             f"(posts {low}-{high}): deleted or hidden by the channel",
                             response.status, capture["capture_id"])

    def _older_page(self, page: telegram.ChannelPage, response: Response,
                    known: bool) -> Iterator[scrapy.Request]:
        """The page of older posts, unless this one reached what is stored (a nightly run),
        the backfill date, or the night's page budget."""
        number = response.meta.get("page", 1)
        dates = [datetime.fromisoformat(p.published_at) for p in page.posts if p.published_at]
        if not page.before or number >= self.page_budget:
            return
        if self.since and dates and min(dates) < self.since:
            return
        if known and not self.since:
            return
        yield self._request(telegram.preview_url(self.channel, page.before), self.parse_page,
                            "listing", page=number + 1)
