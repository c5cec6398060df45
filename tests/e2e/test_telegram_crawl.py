"""The Telegram spider in the real Scrapy engine (crawlers.run_crawl in a subprocess) against
the replayed t.me: the page budget of a night and a backfill with --since."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from crawlers.plan import CrawlPlan
from tests.helpers import CONFIG, ROOT

CHANNEL = "news24kg"
NEWEST = [61250, 61262, 61270]  # the newest page's posts (the older page: 61190, 61201)


def crawl(data: Path, replay, seen: list[str], plan: CrawlPlan | None = None,
          sources: Path = CONFIG / "sources.toml") -> tuple[list[str], list[dict]]:
    """The t.me paths requested and the article pages handed on."""
    out = data / "runs" / "r" / "tg-24kg"
    data.mkdir(parents=True, exist_ok=True)
    (data / "seen.txt").write_text("\n".join(seen) + "\n")
    command = [sys.executable, "-m", "crawlers.run_crawl", "--sources", str(sources),
               "--source", "tg-24kg", "--data", str(data), "--out", str(out),
               "--warc", str(data / "warc" / "r" / "tg-24kg.warc.gz"),
               "--seen", str(data / "seen.txt"), "--replay", replay.address]
    if plan:
        plan.write(data / "plan.json")
        command += ["--plan", str(data / "plan.json")]
    replay.clear_requests()
    subprocess.run(command, check=True, cwd=ROOT, timeout=300)
    paths = [p for host, p, _ in replay.requests if host == "t.me" and p != "/robots.txt"]
    pages = [json.loads(line) for line in (out / "pages.jsonl").read_text().splitlines()]
    return paths, pages


def stored(*ids: int) -> list[str]:
    return [f"https://t.me/{CHANNEL}/{i}" for i in ids]


def test_a_page_budget_of_one_reads_only_the_newest_page(tmp_path: Path, replay_server) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nid = "tg-24kg"\nname = "24.kg"\nfamily = "telegram"\n'
                       f'channel = "{CHANNEL}"\npages_per_night = 1\ncountries = ["KG"]\n'
                       'languages = ["ru"]\n', "utf-8")
    paths, pages = crawl(tmp_path / "data", replay_server, [], sources=sources)
    assert paths == [f"/s/{CHANNEL}"]
    assert sorted(p["url"] for p in pages) == stored(*NEWEST)
    assert not any(p["revisit"] for p in pages)


def test_a_backfill_goes_back_past_stored_posts_to_its_date(tmp_path: Path,
                                                            replay_server) -> None:
    seen = stored(*NEWEST)
    nightly, _ = crawl(tmp_path / "night", replay_server, seen)
    assert nightly == [f"/s/{CHANNEL}"]  # a stored post on the newest page: stop there
    paths, pages = crawl(tmp_path / "backfill", replay_server, seen,
                         CrawlPlan(since="2026-11-20"))
    assert paths == [f"/s/{CHANNEL}", f"/s/{CHANNEL}?before=61250"]
    by_url = {p["url"]: p["revisit"] for p in pages}
    assert by_url == {**dict.fromkeys(seen, True), **dict.fromkeys(stored(61190, 61201), False)}
    _, recent = crawl(tmp_path / "recent", replay_server, [], CrawlPlan(since="2026-11-21"))
    assert sorted(p["url"] for p in recent) == stored(*NEWEST)  # 61190, 61201: 2026-11-20
