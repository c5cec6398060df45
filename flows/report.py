"""Alert reports: newly matched stories rendered as Markdown and self-contained HTML."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

SNIPPET_CHARS = 320


@dataclass
class Story:
    article_id: str
    title: str
    url: str
    outlet: str
    countries: list[str]
    language: str | None
    published_at: datetime | None
    topics: list[str]
    score: float
    snippet: list[tuple[str, bool]]  # (text, highlighted) segments
    terms: dict[str, list[str]] = field(default_factory=dict)

    @property
    def snippet_text(self) -> str:
        return "".join(f"**{t}**" if hit else t for t, hit in self.snippet)


def _text_spans(topic_matches: list[dict[str, Any]]) -> tuple[list[tuple[int, int]], dict]:
    spans, terms = [], {}
    for entry in topic_matches or []:
        matches = entry["matches"]
        matches = json.loads(matches) if isinstance(matches, str) else matches
        terms[entry["topic"]] = sorted({m["surface"] for m in matches})
        spans += [(m["start"], m["end"]) for m in matches if m["field"] == "text"]
    return sorted(spans), terms


def snippet(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """A window of the text around the first match, split into plain and highlighted parts."""
    first = spans[0][0] if spans else 0
    start = max(0, first - SNIPPET_CHARS // 3)
    end = min(len(text), start + SNIPPET_CHARS)
    parts, cursor = [], start
    for s, e in spans:
        if s < cursor or e > end:
            continue
        parts += [(text[cursor:s], False), (text[s:e], True)]
        cursor = e
    parts.append((text[cursor:end], False))
    if start > 0:
        parts.insert(0, ("…", False))
    if end < len(text):
        parts.append(("…", False))
    return [p for p in parts if p[0]]


def story_from_row(row: dict[str, Any]) -> Story:
    spans, terms = _text_spans(row["topic_matches"])
    return Story(
        article_id=row["article_id"], title=row["title"] or row["url"], url=row["url"],
        outlet=row["outlet"], countries=list(row["countries"] or []), language=row["language"],
        published_at=row["published_at"], topics=list(row["topics"] or []),
        score=float(row["top_score"] or 0), snippet=snippet(row["text"], spans), terms=terms,
    )


_ENV = Environment(
    loader=PackageLoader("flows", "templates"),
    autoescape=select_autoescape(["html", "j2"], default_for_string=True),
    trim_blocks=True, lstrip_blocks=True,
)
_MD_ENV = Environment(loader=PackageLoader("flows", "templates"), autoescape=False,
                      trim_blocks=True, lstrip_blocks=True)


def render_report(rule: str, run_id: str, stories: list[Story],
                  health: list[dict[str, Any]], out_dir: Path) -> tuple[Path, Path]:
    """Write <run>-<rule>.md and .html; the same run and rule always write the same files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    context = {"rule": rule, "run_id": run_id, "stories": stories, "health": health,
               "topics": sorted({t for s in stories for t in s.topics})}
    md_path = out_dir / f"{run_id}-{rule}.md"
    html_path = out_dir / f"{run_id}-{rule}.html"
    md_path.write_text(_MD_ENV.get_template("report.md.j2").render(**context), encoding="utf-8")
    html_path.write_text(_ENV.get_template("report.html.j2").render(**context), encoding="utf-8")
    return md_path, html_path
