"""The report's source-health table in plain words: outlet names, what was stored, what
failed and why ("2 pages not found (HTTP 404), 1 timed out"), coverage gaps by reason, and
an outlet failing or silent for several nights.

Error kinds are the crawler's and extractor's (crawlers/spiders/source_spider.error_kind,
crawlers/extraction.py, crawlers/revisits.py); every kind they write has words here
(tests/unit/test_web_messages.py fails when one has none); another kind, the name of an
unforeseen exception, is shown as its name in words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

STALE_NIGHTS = 3  # no new story this many runs in a row is worth a flag

KIND_WORDS = {
    "timeout": "timed out", "dns": "host not found (DNS)", "no_response": "got no answer",
    "connection_refused": "connection refused", "connection_lost": "connection lost",
    "data_loss": "cut off while downloading", "too_large": "too large to fetch",
    "cancelled": "download cancelled", "robots_disallowed": "blocked by robots.txt",
    "redirect_loop": "in a redirect loop", "redirect_limit": "redirected too many times",
    "offsite": "redirected off the site", "filtered": "filtered out by the crawler",
    "no_text": "held no article text", "not_html": "not an HTML page",
    "extract_failed": "could not be read", "bad_feed": "unreadable feed",
    "bad_sitemap": "unreadable sitemap", "pagination_trap": "endless pagination (stopped)",
    "duplicate": "duplicate of another page", "not_fetched": "not fetched in this run",
    "not_article": "not articles (video, gallery or audio)", "moved": "moved to another host",
    "pattern_miss": "with links that look like articles but fail the URL pattern",
    "deleted": "deleted by their Telegram channel", "not_channel_page": "not a channel's page",
    "not_found_page": "now saying the stored story is not found",
    "redirected": "now redirecting away from the stored story",
}
HTTP_WORDS = {401: "refused (HTTP 401)", 403: "refused (HTTP 403)",
              404: "not found (HTTP 404)", 410: "gone (HTTP 410)",
              429: "rate-limited (HTTP 429)"}


@dataclass(frozen=True)
class SourceHealth:
    outlet: str
    status: str  # "ok", or "failed: MESSAGE"
    failed: bool
    flags: list[str]  # "failing for 2 nights", "no new story for 3 nights"
    new_stories: int
    fetched: str  # "40 pages, 12 of them articles; 30 already stored, skipped"
    problems: list[str]  # errors, coverage gaps and held-back pages, each a sentence
    seconds: float | None


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def kind_words(kind: str) -> str:
    """An error kind as words: http_404 -> 'not found (HTTP 404)'."""
    if kind.startswith("http_") and kind[5:].isdigit():
        status = int(kind[5:])
        default = f"server error (HTTP {status})" if status >= 500 else f"HTTP {status}"
        return HTTP_WORDS.get(status, default)
    return KIND_WORDS.get(kind, kind.replace("_", " "))


def counted(counts: dict[str, int], noun: str) -> str:
    """{"http_404": 2, "timeout": 1} -> '2 pages not found (HTTP 404), 1 timed out': the
    largest first, the noun only on the first."""
    items = sorted(((n, k) for k, n in counts.items() if n), key=lambda x: (-x[0], x[1]))
    words = [f"{n} {kind_words(k)}" for n, k in items]
    if words:
        n = items[0][0]
        words[0] = f"{plural(n, noun)} {kind_words(items[0][1])}"
    return ", ".join(words)


def _errors(raw: Any) -> dict[str, int]:
    value = json.loads(raw) if isinstance(raw, str) else raw
    return {str(k): int(v) for k, v in (value or {}).items()}


def _nights(n: int) -> str:
    return plural(n, "night")


def flags(row: dict[str, Any]) -> list[str]:
    out = []
    if row.get("status") != "ok":
        out.append(f"failing for {_nights(int(row.get('failed_in_a_row') or 1))}")
    empty = int(row.get("empty_in_a_row") or 0)
    if empty >= STALE_NIGHTS:
        out.append(f"no new story for {_nights(empty)}")
    return out


def _fetched(row: dict[str, Any]) -> str:
    text = f"{plural(int(row.get('pages_fetched') or 0), 'page')}"
    if row.get("article_pages"):
        text += f", {row['article_pages']} of them articles"
    details = [(row.get("skipped_seen"), "already stored, not fetched again"),
               (row.get("not_modified"), "feeds or sitemaps unchanged"),
               (row.get("revisited"), "revisited for edits"),
               (row.get("versions_new"), "edited since stored")]
    extra = [f"{n} {words}" for n, words in details if n]
    return "; ".join([text, *extra])


def _problems(row: dict[str, Any], gaps: dict[str, int]) -> list[str]:
    out = []
    errors = _errors(row.get("errors_by_kind"))
    if errors:
        out.append(counted(errors, "page"))
    if gaps:
        total = sum(gaps.values())
        out.append(f"{plural(total, 'listed story', 'listed stories')} not stored: "
                   f"{_gap_list(gaps)}")
    if row.get("held_back"):
        out.append(f"{plural(int(row['held_back']), 'page')} held back after failing before")
    return out


def _gap_list(gaps: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind_words(k)}" for k, n in
                     sorted(gaps.items(), key=lambda x: (-x[1], x[0])))


def source_health(row: dict[str, Any], gaps: dict[str, int]) -> SourceHealth:
    """One run_health row (and its coverage gaps per reason) in words."""
    failed = row.get("status") != "ok"
    return SourceHealth(
        outlet=row.get("outlet") or row["source_id"],
        status=f"failed: {row.get('message') or 'no reason recorded'}" if failed else "ok",
        failed=failed, flags=flags(row), new_stories=int(row.get("articles_new") or 0),
        fetched=_fetched(row), problems=_problems(row, gaps),
        seconds=float(row["seconds"]) if row.get("seconds") is not None else None,
    )


def health_table(rows: list[dict[str, Any]], gap_rows: list[dict[str, Any]]) -> list[SourceHealth]:
    """Every source of the run in words, the failing and flagged ones first."""
    gaps: dict[str, dict[str, int]] = {}
    for g in gap_rows:
        gaps.setdefault(g["source_id"], {})[g["reason"]] = int(g["gaps"])
    table = [source_health(r, gaps.get(r["source_id"], {})) for r in rows]
    return sorted(table, key=lambda h: (not h.failed, not h.flags, h.outlet.lower()))
