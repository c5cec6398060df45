"""Alert reports: newly matched stories as self-contained HTML, Markdown and JSON.

Every scraped field is untrusted and is shown as the text it is, never as markup. HTML goes
through Jinja2 autoescaping (and a Content-Security-Policy that forbids scripts); Markdown
turns & < > into character references and backslash-escapes its own syntax; only http(s)
addresses become links; JSON carries the stored values as they are.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader

from flows.alerts.chart import Chart, chart, topic_colors
from flows.alerts.near_duplicates import sketch, sketch_groups

SNIPPET_CHARS = 320
COUNTRY_NAMES = {"KZ": "Kazakhstan", "KG": "Kyrgyzstan", "TJ": "Tajikistan",
                 "UZ": "Uzbekistan", "TM": "Turkmenistan"}


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
    sketch: frozenset[int] = field(default=frozenset(), repr=False)  # of title and text
    also: list[Story] = field(default_factory=list)  # the same story at other outlets

    @property
    def snippet_text(self) -> str:
        return "".join(f"**{t}**" if hit else t for t, hit in self.snippet)

    @property
    def day(self) -> str:
        return self.published_at.strftime("%Y-%m-%d") if self.published_at else "undated"

    @property
    def country(self) -> str:
        if len(self.countries) == 1:
            return COUNTRY_NAMES.get(self.countries[0], self.countries[0])
        return "Regional" if self.countries else "Country unknown"

    def other_topics(self, topic: str) -> list[str]:
        return [t for t in self.topics if t != topic]

    def article_ids(self) -> list[str]:
        return [self.article_id, *(s.article_id for s in self.also)]


@dataclass
class Section:
    topic: str
    countries: list[tuple[str, list[Story]]]


@dataclass
class Report:
    rule: str
    run_id: str
    generated_at: datetime
    stories: list[Story]  # lead stories; reprints hang off each in `also`
    sections: list[Section]
    summary: dict[str, Any]
    chart: Chart
    colors: dict[str, str]
    health: list[dict[str, Any]]
    health_columns: list[str]
    topic_days: list[dict[str, Any]] = field(default_factory=list)

    @property
    def article_ids(self) -> list[str]:
        return [a for s in self.stories for a in s.article_ids()]

    @property
    def story_count(self) -> int:
        return len(self.article_ids)


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
        sketch=sketch(f"{row['title'] or ''}\n{row['text']}"),  # the text itself is not kept
    )


def fold_reprints(stories: list[Story]) -> list[Story]:
    """One lead per group of near-identical stories: the earliest published, then top score."""
    leads = []
    grouped = sketch_groups([s.sketch for s in stories])
    for story in stories:
        story.sketch = frozenset()  # done with: thousands of sketches are tens of MB
    for members in grouped:
        group = sorted((stories[i] for i in members),
                       key=lambda s: (s.published_at is None, s.published_at or 0, -s.score))
        group[0].also = group[1:]
        leads.append(group[0])
    return sorted(leads, key=lambda s: (s.published_at is None, s.published_at or 0),
                  reverse=True)


def _sections(stories: list[Story], topics: list[str]) -> list[Section]:
    sections = []
    for topic in topics:
        by_country: dict[str, list[Story]] = {}
        for story in stories:
            if topic in story.topics:
                by_country.setdefault(story.country, []).append(story)
        if by_country:
            sections.append(Section(topic, sorted(by_country.items())))
    return sections


def _summary(stories: list[Story], leads: list[Story], topics: list[str]) -> dict[str, Any]:
    return {
        "stories": len(stories), "shown": len(leads), "reprints": len(stories) - len(leads),
        "topics": {t: sum(1 for s in stories if t in s.topics) for t in topics},
        "countries": dict(Counter(s.country for s in stories).most_common()),
        "outlets": dict(Counter(s.outlet for s in stories).most_common()),
    }


def build_report(rule: str, rule_topics: list[str], run_id: str, stories: list[Story],
                 health: list[dict[str, Any]], topic_days: list[dict[str, Any]],
                 generated_at: datetime) -> Report:
    """Group, fold reprints, count and chart the stories of one rule's report."""
    leads = fold_reprints(stories)
    topics = [t for t in rule_topics if any(t in s.topics for s in stories)] or rule_topics
    end_day = generated_at.date() if isinstance(generated_at, datetime) else date.today()
    return Report(
        rule=rule, run_id=run_id, generated_at=generated_at, stories=leads,
        sections=_sections(leads, topics), summary=_summary(stories, leads, rule_topics),
        chart=chart(topic_days, rule_topics, end_day), colors=topic_colors(rule_topics),
        health=health, health_columns=list(health[0]) if health else [],
        topic_days=topic_days,
    )


# Markdown's own syntax in running text: escape, code, emphasis, links and images, headings,
# table cells, strikethrough. ( ) matter only after ], which is escaped; & < > are HTML's.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
_LINE_BREAK = re.compile(r"\r\n?|\n")
_LIST_MARK = re.compile(r"^[-+=]")  # a bullet, or a setext heading's underline
_NUMBER_MARK = re.compile(r"^(\d{1,9})([.)])")  # an ordered list item
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_WEB = re.compile(r"https?://", re.IGNORECASE)
_URL_SAFE = "/:?#[]@!$&'()*+,;=%"  # RFC 3986 reserved characters and % escapes stay


def markdown_escape(value: Any) -> str:
    """Scraped text inside a Markdown line, shown as the text it is by any renderer: & < >
    as HTML character references (so no tag, raw or not, survives), Markdown's link,
    emphasis, code, heading, table and strikethrough characters backslash-escaped, line
    breaks as spaces."""
    text = _LINE_BREAK.sub(" ", str(value if value is not None else ""))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _line_start(escaped: str) -> str:
    """Escaped text that starts a Markdown line (a blockquote's text): no indentation that
    would make it code, no leading mark that would make it a list or a heading's underline."""
    text = escaped.lstrip(" \t")
    return _NUMBER_MARK.sub(r"\1\\\2", _LIST_MARK.sub(r"\\\g<0>", text))


def markdown_line(value: Any) -> str:
    """Scraped text at the start of a Markdown line (see markdown_escape)."""
    return _line_start(markdown_escape(value))


def markdown_snippet(parts: list[tuple[str, bool]]) -> str:
    """A snippet's segments as one Markdown line, the highlighted ones in bold."""
    return _line_start("".join(f"**{markdown_escape(text)}**" if hit else markdown_escape(text)
                               for text, hit in parts))


def is_web_url(url: Any) -> bool:
    """Only http(s) addresses become links; javascript:, data: and the rest stay text."""
    return isinstance(url, str) and _WEB.match(url) is not None


def safe_href(url: str) -> str:
    """Only web links are linked; anything else (javascript:, data:) becomes inert."""
    return url if is_web_url(url) else "#"


def markdown_url(url: str) -> str:
    """A web URL as a Markdown link destination inside <...>: spaces, < > \\ and anything not
    ASCII percent-encoded, an &...; that CommonMark would decode written as &amp;...;."""
    return _ENTITY_LIKE.sub("&amp;", quote(safe_href(url), safe=_URL_SAFE))


def markdown_link(label: Any, url: str) -> str:
    """[label](<url>) for a web address; the label and the address as plain text for any
    other, so a javascript: address is seen but never followed."""
    if is_web_url(url):
        return f"[{markdown_escape(label)}](<{markdown_url(url)}>)"
    return f"{markdown_escape(label)} ({markdown_escape(url)})"


def _loader_env(autoescape: bool) -> Environment:
    env = Environment(loader=PackageLoader("flows.alerts", "templates"), trim_blocks=True,
                      lstrip_blocks=True, autoescape=autoescape)  # every HTML template escapes
    env.filters["md"] = markdown_escape
    env.filters["mdline"] = markdown_line
    env.filters["mdsnippet"] = markdown_snippet
    env.filters["mdlink"] = markdown_link
    env.filters["mdurl"] = markdown_url
    env.filters["href"] = safe_href
    env.tests["web_url"] = is_web_url
    return env


_HTML_ENV = _loader_env(autoescape=True)
_MD_ENV = _loader_env(autoescape=False)


def render_html(report: Report) -> str:
    return _HTML_ENV.get_template("report.html.j2").render(r=report)


def render_markdown(report: Report) -> str:
    return _MD_ENV.get_template("report.md.j2").render(r=report)


def _story_json(s: Story) -> dict[str, Any]:
    return {
        "article_id": s.article_id, "title": s.title, "url": s.url, "outlet": s.outlet,
        "published_at": s.published_at.isoformat() if s.published_at else None,
        "language": s.language, "countries": s.countries, "topics": s.topics, "score": s.score,
        "snippet": [{"text": t, "highlighted": hit} for t, hit in s.snippet],
        "matched_terms": s.terms,
        "also_reported_by": [{"article_id": o.article_id, "outlet": o.outlet, "url": o.url,
                              "title": o.title} for o in s.also],
    }


def render_json(report: Report) -> str:
    return json.dumps({
        "rule": report.rule, "run_id": report.run_id,
        "generated_at": report.generated_at.isoformat(), "summary": report.summary,
        "stories": [_story_json(s) for s in report.stories],
        "matches_per_day": report.topic_days,
        "source_health": report.health,
    }, ensure_ascii=False, default=str)  # no indent: the C encoder, a fraction of the memory


def report_paths(folder: Path, run_id: str, rule: str) -> dict[str, Path]:
    """Where a rule's report of a run is written: FOLDER/RUN-RULE.html, .md and .json."""
    return {ext: folder / f"{run_id}-{rule}.{ext}" for ext in ("html", "md", "json")}
