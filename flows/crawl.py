"""The crawl stage: one source in its own Scrapy process, figures read from its output."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from crawlers.sources import Source
from warehouse.load import seen_urls


class CrawlFailed(RuntimeError):
    """The crawl process of a source died or timed out; the message says which and why."""


@dataclass(frozen=True)
class CrawlResult:
    source_id: str
    pages_fetched: int
    article_pages: int
    skipped_seen: int
    errors: int
    bytes: int
    seconds: float


def _count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def _last_log_error(log: Path) -> str:
    if not log.exists():
        return "no crawl log"
    lines = [ln for ln in log.read_text(errors="replace").splitlines() if "ERROR" in ln]
    return lines[-1][-300:] if lines else "see " + str(log)


def run_crawl_process(source: Source, sources_file: Path, data_dir: Path, out_dir: Path,
                      warc_path: Path, seen_file: Path, user_agent: str,
                      replay_address: str | None, timeout_s: float) -> CrawlResult:
    """Crawl `source` in a subprocess; CrawlFailed when it exits badly or overruns."""
    command = [
        sys.executable, "-m", "crawlers.run_crawl", "--sources", str(sources_file),
        "--source", source.id, "--data", str(data_dir), "--out", str(out_dir),
        "--warc", str(warc_path), "--seen", str(seen_file), "--user-agent", user_agent,
    ]
    if replay_address:
        command += ["--replay", replay_address]
    started = time.monotonic()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        raise CrawlFailed(
            f"{source.id}: crawl still running after {timeout_s:.0f} s; stopped") from None
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise CrawlFailed(f"{source.id}: crawl process exited with {proc.returncode}: {detail}")
    return summarise_crawl(source.id, out_dir, time.monotonic() - started)


def summarise_crawl(source_id: str, out_dir: Path, seconds: float) -> CrawlResult:
    """Figures of a finished crawl; CrawlFailed when it reached nothing at all."""
    stats = json.loads((out_dir / "stats.json").read_text())
    fetched = {k.rsplit("/", 1)[1]: v for k, v in stats.items()
               if k.startswith("steppewatch/fetched/")}
    pages = sum(fetched.values())
    if pages == 0:
        raise CrawlFailed(
            f"{source_id}: no page could be fetched ({_last_log_error(out_dir / 'crawl.log')}); "
            "check the network and the source's URLs")
    return CrawlResult(
        source_id=source_id,
        pages_fetched=pages,
        article_pages=fetched.get("article", 0),
        skipped_seen=int(stats.get("steppewatch/skipped_seen", 0)),
        errors=_count_lines(out_dir / "errors.jsonl"),
        bytes=int(stats.get("steppewatch/bytes", 0)),
        seconds=round(seconds, 2),
    )


def prepare_crawl(con: duckdb.DuckDBPyConnection, run_dir: Path) -> int:
    """Files the crawl processes read (they never open the warehouse): the URLs already
    stored, in run_dir/seen.txt. Returns how many there are."""
    urls = seen_urls(con)
    (run_dir / "seen.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    return len(urls)
