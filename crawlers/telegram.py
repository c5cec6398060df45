"""Public Telegram channels: their web preview pages (https://t.me/s/CHANNEL) read with lxml.

A preview page shows about 20 posts of a channel, oldest first, and links the page of
older posts (`?before=POST_ID`). Each post becomes an article whose URL is
`https://t.me/CHANNEL/POST_ID`; its text, date, views, edited mark, forwarded-from and
links come from the page's markup as Telegram serves it (class names as on the real pages
saved in public test data; docs/TELEGRAM.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml import html as lxml_html
from lxml.html import HtmlElement

from crawlers.urls import canonical_url

HOST = "t.me"
FAMILY = "telegram"
CHANNEL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,63}")
POST_URL = re.compile(r"https://t\.me/([A-Za-z][A-Za-z0-9_]{3,63})/(\d+)")
DEFAULT_DELAY = 3.0  # seconds between preview pages of one channel (real web)
DEFAULT_PAGES_PER_NIGHT = 3  # ~60 posts: a busy channel's day
_BR = "\uE000"  # stands for <br> (a private-use letter) while whitespace is collapsed


def preview_url(channel: str, before: int | None = None) -> str:
    """The preview page of a channel (the newest posts), or of the posts before one."""
    return f"https://{HOST}/s/{channel}" + (f"?before={before}" if before else "")


def post_url(channel: str, post_id: int) -> str:
    return f"https://{HOST}/{channel}/{post_id}"


def parse_post_url(url: str) -> tuple[str, int] | None:
    """(channel, post id) of a post URL, else None."""
    match = POST_URL.fullmatch(url)
    return (match.group(1), int(match.group(2))) if match else None


def source_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A sources.toml entry of family "telegram" with the fields every source has, derived
    from its `channel`: the preview page is its listing, its posts its articles."""
    channel = str(entry.get("channel", ""))
    if not CHANNEL_NAME.fullmatch(channel):
        raise ValueError(f"channel {channel!r} is not a public channel name "
                         "(5-64 letters, digits or _, as in https://t.me/NAME)")
    return {
        **entry,
        "base_url": preview_url(channel),
        "article_pattern": rf"https://t\.me/{channel}/\d+",
        "listings": [preview_url(channel)],
        "allowed_hosts": [HOST],
        "download_delay": entry.get("download_delay", DEFAULT_DELAY),
    }


@dataclass(frozen=True)
class Post:
    channel: str
    post_id: int
    text: str
    published_at: str | None
    views: int | None
    edited: bool
    author: str | None
    forwarded_from: str | None
    forwarded_from_url: str | None
    links: tuple[str, ...]

    @property
    def url(self) -> str:
        return post_url(self.channel, self.post_id)


@dataclass(frozen=True)
class ChannelPage:
    channel: str
    title: str | None
    posts: tuple[Post, ...]  # as the page shows them, oldest first
    before: int | None  # the page of older posts starts before this post id


def parse_views(text: str) -> int | None:
    """"37.2K" -> 37200, "1.1M" -> 1100000, "2" -> 2."""
    match = re.fullmatch(r"([\d.,]+)\s*([KM]?)", text.strip(), re.IGNORECASE)
    if not match:
        return None
    number = float(match.group(1).replace(",", "."))
    return round(number * {"": 1, "K": 1_000, "M": 1_000_000}[match.group(2).upper()])


def _first(node: HtmlElement, xpath: str) -> Any:
    found = node.xpath(xpath)
    return found[0] if found else None


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def message_text(element: HtmlElement) -> str:
    """A post's text: <br> as line breaks, the markup's own whitespace collapsed."""
    element = lxml_html.fromstring(lxml_html.tostring(element))  # a copy: tails change
    for br in element.iter("br"):
        br.tail = _BR + (br.tail or "")
    flat = re.sub(r"\s+", " ", element.text_content())
    lines = [line.strip() for line in flat.split(_BR)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _links(message: HtmlElement, text: HtmlElement | None) -> tuple[str, ...]:
    """Links a post carries: in its text (hashtag searches left out) and its link preview."""
    hrefs = text.xpath(".//a/@href") if text is not None else []
    hrefs += message.xpath(f".//a[{_has_class('tgme_widget_message_link_preview')}]/@href")
    links: list[str] = []
    for href in hrefs:
        if href.strip().startswith("?"):  # a hashtag: a search on the channel
            continue
        url = urljoin(f"https://{HOST}/", href.strip())
        if url.startswith(("http://", "https://")) and canonical_url(url) not in links:
            links.append(canonical_url(url))
    return tuple(links)


def parse_post(message: HtmlElement) -> Post | None:
    """One `tgme_widget_message` element; None for service messages and foreign posts."""
    channel, _, number = (message.get("data-post") or "").partition("/")
    if not number.isdigit() or _has_class_name(message, "service_message"):
        return None
    text_el = _first(message, f"./div[{_has_class('tgme_widget_message_bubble')}]"
                              f"/div[{_has_class('tgme_widget_message_text')}]")
    meta = _first(message, f".//span[{_has_class('tgme_widget_message_meta')}]")
    views = _first(message, f".//span[{_has_class('tgme_widget_message_views')}]")
    author = _first(message, f".//span[{_has_class('tgme_widget_message_from_author')}]")
    forwarded_name = _has_class("tgme_widget_message_forwarded_from_name")
    forwarded = _first(message, f".//a[{forwarded_name}] | .//span[{forwarded_name}]")
    return Post(
        channel=channel, post_id=int(number),
        text=message_text(text_el) if text_el is not None else "",
        published_at=_first(message, f".//a[{_has_class('tgme_widget_message_date')}]"
                                     "/time/@datetime"),
        views=parse_views(views.text_content()) if views is not None else None,
        edited=meta is not None and _is_edited(meta),
        author=author.text_content().strip() if author is not None else None,
        forwarded_from=forwarded.text_content().strip() if forwarded is not None else None,
        forwarded_from_url=forwarded.get("href") if forwarded is not None else None,
        links=_links(message, text_el),
    )


def _has_class_name(element: HtmlElement, name: str) -> bool:
    return name in (element.get("class") or "").split()


def _is_edited(meta: HtmlElement) -> bool:
    """The meta line says "edited" before the date (after the signature, if any)."""
    said = meta.text_content()
    author = _first(meta, f".//span[{_has_class('tgme_widget_message_from_author')}]")
    if author is not None:
        said = said.replace(author.text_content(), "", 1)
    return "edited" in said.lower() or bool(meta.xpath(f".//*[{_has_class('edited')}]"))


def parse_channel_page(body: bytes | str, channel: str) -> ChannelPage:
    """The posts of a preview page (those of `channel`), its title and its older page."""
    # Telegram serves UTF-8; lxml would guess Latin-1 for a page without a charset.
    root = lxml_html.fromstring(body.decode("utf-8", "replace") if isinstance(body, bytes)
                                else body)
    history = _first(root, f"//section[{_has_class('tgme_channel_history')}]")
    if history is None:
        raise ValueError(f"not a channel preview page of {channel}: no message history")
    posts = []
    for message in history.xpath(f".//div[{_has_class('tgme_widget_message')}][@data-post]"):
        post = parse_post(message)
        if post is not None and post.channel.lower() == channel.lower():
            posts.append(post)
    before = _first(history, f".//a[{_has_class('tme_messages_more')}]/@data-before")
    title = _first(root, "//meta[@property='og:title']/@content")
    return ChannelPage(channel, title, tuple(posts),
                       int(before) if before and before.isdigit() else None)
