"""The replay of t.me: the preview pages of the Telegram sources of sources.toml.

Each channel of tests/replay/telegram/channels.json becomes https://t.me/s/CHANNEL (its
newest page) and one https://t.me/s/CHANNEL?before=ID page per older page, rendered with
templates/telegram/, whose markup is that of real saved preview pages (docs/TELEGRAM.md).
tests/replay/build.py calls `render_channels`; tests render changed content with it too.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

REPLAY_DIR = Path(__file__).resolve().parent
CONTENT = REPLAY_DIR / "telegram" / "channels.json"
TEMPLATES = REPLAY_DIR / "templates" / "telegram"
HOST = "t.me"
ROBOTS = "User-agent: *\nAllow: /\n"
_URL = re.compile(r"https?://[^\s<>\"]+")
_TAG = re.compile(r"(?<![\w/])#(\w+)")


class SiteFiles(Protocol):
    def add(self, url: str, text: str, ext: str) -> str: ...


def load_content(path: Path = CONTENT) -> dict[str, Any]:
    return {k: v for k, v in json.loads(path.read_text("utf-8")).items() if not k.startswith("_")}


def text_html(text: str) -> Markup:
    """A post's text as Telegram marks it up: links and hashtags as <a>, lines by <br/>."""
    def link(match: re.Match[str]) -> str:
        url = html.unescape(match.group(0))
        return (f'<a href="{html.escape(url)}" target="_blank" rel="noopener" onclick="return '
                f"confirm('Open this link?\\n\\n'+this.href);\">{match.group(0)}</a>")

    escaped = _URL.sub(link, html.escape(text, quote=False))
    escaped = _TAG.sub(lambda m: f'<a href="?q=%23{m.group(1)}">#{m.group(1)}</a>', escaped)
    return Markup(escaped.replace("\n", "<br/>"))


def _view_token(channel: str, post_id: int) -> str:
    """An opaque data-view value shaped like Telegram's (base64 of a small JSON)."""
    digest = hashlib.sha1(f"{channel}/{post_id}".encode()).hexdigest()[:18]
    raw = json.dumps({"c": -1000000000 - len(channel), "p": post_id, "h": digest},
                     separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _post(channel: str, raw: dict[str, Any]) -> dict[str, Any]:
    post_id = int(raw["id"])
    photo_hash = hashlib.sha1(f"{channel}{post_id}".encode()).hexdigest()
    return {
        **raw, "id": post_id, "view_token": _view_token(channel, post_id),
        "time": raw["date"][11:16], "edited": raw.get("edited", False),
        "author": raw.get("author"), "forwarded_from": raw.get("forwarded_from"),
        "link_preview": raw.get("link_preview"),
        "photo": photo_hash if raw.get("photo") else None,
        "photo_ids": f"{int(photo_hash[:15], 16)} {post_id}_{int(photo_hash[15:22], 16)}",
        "text_html": text_html(raw["text"]) if raw.get("text") else None,
    }


def channel_pages(channel: str, content: dict[str, Any]) -> dict[str, str]:
    """URL -> HTML of each preview page of one channel (its newest page first)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=True, keep_trailing_newline=True)
    template = env.get_template("channel.html.j2")
    pages = content["pages"]
    firsts = [min(int(p["id"]) for p in page) for page in pages]
    common = {
        "channel": channel, "title": content["title"], "subscribers": content["subscribers"],
        "description": content["description"],
        "description_html": text_html(content["description"]),
        "links_count": sum(1 for page in pages for p in page if "http" in p.get("text", "")),
        "initials": content["title"][:2], "photo": hashlib.sha1(channel.encode()).hexdigest(),
        "tme": hashlib.sha1(channel.encode()).hexdigest()[:18],
    }
    rendered = {}
    for number, page in enumerate(pages):
        page_before = firsts[number - 1] if number else None
        before = firsts[number] if number + 1 < len(pages) else None
        url = f"https://{HOST}/s/{channel}" + (f"?before={page_before}" if page_before else "")
        posts = [_post(channel, p) for p in sorted(page, key=lambda p: int(p["id"]))]
        rendered[url] = template.render(common, posts=posts, before=before,
                                        page_before=page_before)
    return rendered


def render_channels(sources: list[dict[str, Any]], site: SiteFiles,
                    content: dict[str, Any] | None = None) -> None:
    """Write the preview pages of every Telegram source into the t.me site."""
    content = load_content() if content is None else content
    site.add("/robots.txt", ROBOTS, "txt")
    for source in sources:
        if source["id"] not in content:
            raise SystemExit(f"no Telegram replay content for {source['id']} in {CONTENT}")
        for url, page in channel_pages(source["channel"], content[source["id"]]).items():
            site.add(url, page, "html")
