"""A Telegram post as an article: read back from its archived preview page."""

from __future__ import annotations

import hashlib
from typing import Any

from crawlers.extraction import ExtractedArticle, ExtractionError
from crawlers.language import detect_language
from crawlers.telegram import parse_channel_page, parse_post_url

TITLE_CHARS = 120


def post_title(text: str) -> str:
    """A headline for a post: its first line, cut at a word near TITLE_CHARS."""
    first = text.split("\n", 1)[0].strip()
    if len(first) <= TITLE_CHARS:
        return first
    cut = first[:TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:—-") + "…"


def extract_post(body: bytes, url: str, languages: list[str] | tuple[str, ...] = ()
                 ) -> tuple[ExtractedArticle, dict[str, Any]]:
    """The article of one post read from its archived preview page, and the post's
    Telegram fields (tg_* keys of the staged row); ExtractionError when the page no
    longer shows it or it has no text."""
    channel, post_id = parse_post_url(url) or ("", 0)
    page = parse_channel_page(body, channel)
    post = next((p for p in page.posts if p.post_id == post_id), None)
    if post is None or not post.text:
        raise ExtractionError("no_text", f"{url}: the post has no text on its page"
                              if post else f"{url}: the post is not on its page")
    title = post_title(post.text)
    article = ExtractedArticle(
        url=url, canonical_url=None, title=title, text=post.text,
        author=post.author or page.title, published_at=post.published_at,
        language=detect_language(post.text, languages), description=None,
        encoding="utf-8", text_sha1=hashlib.sha1(post.text.encode()).hexdigest())
    return article, {
        "tg_channel": post.channel, "tg_post_id": post.post_id, "tg_views": post.views,
        "tg_edited": post.edited, "tg_forwarded_from": post.forwarded_from,
        "tg_forwarded_from_url": post.forwarded_from_url, "tg_links": list(post.links)}
