"""The real Scrapy engine crawling the replay web of the real hosts, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from crawlers.warc import read_response
from tests.helpers import CONFIG, ROOT


def crawl(source: str, data: Path, replay_address: str, seen: list[str] | None = None) -> Path:
    out = data / "runs" / "r" / source
    data.mkdir(parents=True, exist_ok=True)
    seen_file = data / "seen.txt"
    seen_file.write_text("\n".join(seen or []) + "\n")
    subprocess.run(
        [sys.executable, "-m", "crawlers.run_crawl", "--sources", str(CONFIG / "sources.toml"),
         "--source", source, "--data", str(data), "--out", str(out),
         "--warc", str(data / "warc" / "r" / f"{source}.warc.gz"), "--seen", str(seen_file),
         "--replay", replay_address],
        check=True, cwd=ROOT, timeout=300,
    )
    return out


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_crawl_discovers_archives_and_records_errors(tmp_path: Path, replay_server) -> None:
    replay_server.clear_requests()
    out = crawl("kloop", tmp_path, replay_server.address)
    captures = rows(out / "captures.jsonl")
    pages = rows(out / "pages.jsonl")
    errors = rows(out / "errors.jsonl")

    kinds = {c["kind"] for c in captures}
    assert {"robots", "feed", "sitemap", "listing", "article"} <= kinds
    assert len(pages) >= 10
    assert all(p["url"].startswith("https://kloop.kg/blog/") for p in pages)
    # every response is in the WARC under the real URL, not the loopback one
    for capture in captures:
        stored = read_response(tmp_path, capture["warc_file"], capture["warc_offset"])
        assert stored.url == capture["url"]
        assert stored.status == capture["http_status"]
    gone = [e for e in errors if e["url"].endswith("/udalennaya-statya/")]
    assert gone and gone[0]["kind"] == "http_404"
    # robots.txt was asked for, and only the source's host was requested
    hosts = {host for host, _path, _status in replay_server.requests}
    assert hosts == {"kloop.kg"}
    assert any(path == "/robots.txt" for _h, path, _s in replay_server.requests)
    assert not any(path.startswith("/wp-admin") for _h, path, _s in replay_server.requests)
    # The process exits without the interpreter's teardown: its log and figures are whole.
    assert "Spider closed (finished)" in (out / "crawl.log").read_text().splitlines()[-1]
    stats = json.loads((out / "stats.json").read_text())
    assert stats["steppewatch/fetched/article"] == sum(c["kind"] == "article" for c in captures)


def test_second_crawl_fetches_no_stored_article(tmp_path: Path, replay_server) -> None:
    first = crawl("ozodi", tmp_path / "one", replay_server.address)
    stored = [p["url"] for p in rows(first / "pages.jsonl")]
    assert len(stored) >= 10
    second = crawl("ozodi", tmp_path / "two", replay_server.address, seen=stored)
    assert rows(second / "pages.jsonl") == []
    stats = json.loads((second / "stats.json").read_text())
    assert stats.get("steppewatch/fetched/article", 0) == 0
    assert stats["steppewatch/skipped_seen"] == len(stored)
