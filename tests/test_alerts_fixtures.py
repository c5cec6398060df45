"""Shared helpers of the alert tests: a warehouse built with warehouse.load, a config folder
with alert channels, and a recording HTTP endpoint on loopback. (No tests here.)"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.conftest import CONFIG, SITES
from warehouse.connection import open_warehouse
from warehouse.load import SourceRun, load_run
from warehouse.runs import start_run, upsert_sources

SOURCES = [
    {"source_id": "kloop", "name": "Kloop", "family": "wordpress", "countries": ["KG"],
     "languages": ["ru"], "base_url": "https://kloop.kg/"},
    {"source_id": "24kg", "name": "24.kg", "family": "custom", "countries": ["KG"],
     "languages": ["ru"], "base_url": "https://24.kg/"},
    {"source_id": "asia-plus", "name": "Asia-Plus", "family": "custom", "countries": ["TJ"],
     "languages": ["ru"], "base_url": "https://asiaplustj.info/"},
]
MALICIOUS_TITLE = ('<script>document.title="pwned"</script><img src=x '
                   'onerror="document.body.appendChild(document.createElement(\'hr\'))">Пытки')


@dataclass
class Article:
    article_id: str
    title: str
    text: str
    topics: dict[str, list[str]]  # topic -> surface forms found in the text
    source_id: str = "kloop"
    days_ago: int = 1

    @property
    def url(self) -> str:
        return f"https://example.test/{self.source_id}/{self.article_id}"


def _jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def _matches(text: str, surfaces: list[str]) -> list[dict]:
    found = []
    for surface in surfaces:
        start = text.find(surface)
        assert start >= 0, f"{surface!r} is not in the text"
        found.append({"term": surface.lower(), "surface": surface, "field": "text",
                      "start": start, "end": start + len(surface)})
    return found


def load_articles(data: Path, run_id: str, articles: list[Article]) -> None:
    """One run's articles, tags and source figures, loaded as the nightly load step does."""
    run_dir = data / "runs" / run_id
    now = datetime.now(UTC)
    for source in {a.source_id for a in articles}:
        mine = [a for a in articles if a.source_id == source]
        _jsonl(run_dir / source / "captures.jsonl", [{
            "capture_id": f"c-{a.article_id}", "source_id": source, "url": a.url,
            "kind": "article", "http_status": 200, "content_type": "text/html",
            "content_sha1": "x", "bytes": 10, "warc_file": f"warc/{run_id}/{source}.warc.gz",
            "warc_offset": i, "warc_length": 1, "fetched_at": now.isoformat()}
            for i, a in enumerate(mine)])
        _jsonl(run_dir / source / "extracted.jsonl", [{
            "article_id": a.article_id, "url": a.url, "canonical_url": None, "source_id": source,
            "capture_id": f"c-{a.article_id}", "title": a.title, "text": a.text, "author": None,
            "published_at": (now - timedelta(days=a.days_ago)).isoformat(), "language": "ru",
            "description": None, "encoding": "utf-8", "text_sha1": a.article_id,
            "extracted_at": now.isoformat()} for a in mine])
        _jsonl(run_dir / source / "tagged.jsonl", [{
            "article_id": a.article_id, "topic": topic, "score": float(len(surfaces)),
            "matches": _matches(a.text, surfaces), "topics_version": "v1",
            "tagged_at": now.isoformat()} for a in mine for topic, surfaces in a.topics.items()])
    runs = [SourceRun(s["source_id"], "ok", None, 5, 2, 0, 0, 100, 1.0) for s in SOURCES]
    with open_warehouse(data) as con:
        upsert_sources(con, SOURCES)
        start_run(con, run_id, now, "replay", None, "v1")
        load_run(con, run_id, run_dir, runs)


def config_dir(tmp: Path, channels: str = "", rule_channels: str = '["file"]',
               extra_rules: str = "") -> Path:
    """A config folder: the project's sources and topics, settings with the given channels."""
    folder = tmp / "config"
    folder.mkdir(exist_ok=True)
    for name in ("sources.toml", "topics.toml", "places.toml"):
        if (CONFIG / name).exists():
            shutil.copy(CONFIG / name, folder / name)
    (folder / "settings.toml").write_text(f"""
[replay]
sites = "{SITES}"

[[alerts.rules]]
name = "rights"
topics = ["police", "protest", "torture"]
channels = {rule_channels}
{extra_rules}
{channels}
""")
    return folder


@dataclass
class Endpoint:
    """A real HTTP server on 127.0.0.1 that records JSON posts and answers as told."""
    url: str
    posts: list[dict] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answers to come; then 200
    on_post: Callable[[dict], None] | None = None
    answer: bytes = b'{"ok": true, "result": {}}'


@contextmanager
def http_endpoint() -> Iterator[Endpoint]:
    endpoint = Endpoint(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            body = self.rfile.read(int(self.headers["Content-Length"]))
            post = {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
            status = endpoint.statuses.pop(0) if endpoint.statuses else 200
            if status == 200:
                endpoint.posts.append(post)
            if endpoint.on_post:
                endpoint.on_post(post)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(endpoint.answer if status == 200 else b'{"ok": false}')

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()
