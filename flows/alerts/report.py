"""Alert reports: newly matched stories as self-contained HTML, Markdown and JSON.

Every scraped field is untrusted and is shown as the text it is, never as markup. HTML goes
through Jinja2 autoescaping (and a Content-Security-Policy that forbids scripts); Markdown
turns & < > into character references and backslash-escapes its own syntax; only http(s)
addresses become links; JSON carries the stored values as they are.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader

from flows.alerts.chart import Chart, chart
from flows.alerts.escaping import (
    is_web_url,
    markdown_escape,
    markdown_line,
    markdown_link,
    markdown_snippet,
    markdown_url,
    safe_href,
)
from flows.alerts.health import SourceHealth, health_table
from flows.alerts.matches import Segment, TermHit, lead_start, parse_matches, snippet
from flows.alerts.near_duplicates import sketch, sketch_groups
from flows.tagging.topics import load_topics
from flows.topic_colours import colour_of

__all__ = ["Report", "Story", "build_report", "markdown_escape", "markdown_line",
           "render_html", "render_json", "render_markdown", "report_paths", "safe_href",
           "story_from_row", "topic_order"]

COUNTRY_NAMES = {"KZ": "Kazakhstan", "KG": "Kyrgyzstan", "TJ": "Tajikistan",
                 "UZ": "Uzbekistan", "TM": "Turkmenistan"}
LAST_GROUPS = ("Regional", "Country unknown")  # after the countries, which go A to Z


@dataclass(frozen=True)
class Capture:
    """Where the page the story was extracted from is archived: its WARC record."""
    capture_id: str | None
    warc_file: str | None
    warc_offset: int | None
    fetched_at: datetime | None
    sha1: str | None

    @property
    def reference(self) -> str:
        """One line a monitor can cite: capture, WARC file and offset, fetch time, SHA-1."""
        parts = [f"capture {self.capture_id or 'unknown'}"]
        if self.warc_file:
            parts.append(f"{self.warc_file} at byte {self.warc_offset}")
        if self.fetched_at:
            parts.append(f"fetched {_utc(self.fetched_at)}")
        if self.sha1:
            parts.append(f"payload SHA-1 {self.sha1}")
        return " · ".join(parts)


def _utc(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


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
    snippet: list[Segment]  # plain parts, and highlighted parts naming their topics
    matches: dict[str, list[TermHit]] = field(default_factory=dict)  # per topic: why
    # per topic the borderline model decided: its probability (docs/TOPICS.md, Scoring)
    borderline: dict[str, float] = field(default_factory=dict)
    capture: Capture = field(default_factory=lambda: Capture(None, None, None, None, None))
    page_url: str | None = None  # the story's page in the workspace, when [web] base_url is set
    archive_url: str | None = None  # its archived copy there
    sketch: frozenset[int] = field(default=frozenset(), repr=False)  # of title and text
    also: list[Story] = field(default_factory=list)  # the same story at other outlets

    @property
    def terms(self) -> dict[str, list[str]]:
        """Per topic, the distinct words that matched."""
        return {t: sorted({w for h in hits for w in h.surfaces})
                for t, hits in self.matches.items()}

    @property
    def headline_url(self) -> str:
        """The headline's link: the workspace's story page if there is one, else the page."""
        return self.page_url or self.url

    @property
    def day(self) -> str:
        return self.published_at.strftime("%Y-%m-%d") if self.published_at else "undated"

    @property
    def country(self) -> str:
        if len(self.countries) == 1:
            return COUNTRY_NAMES.get(self.countries[0], self.countries[0])
        return "Regional" if self.countries else "Country unknown"

    def article_ids(self) -> list[str]:
        return [self.article_id, *(s.article_id for s in self.also)]


@dataclass(frozen=True)
class TopicStyle:
    """A topic's look in the report: CSS class, chart colour and highlight tint (the
    topic's colours in the workspace too: flows/topic_colours.py)."""
    topic: str
    css_class: str
    color: str
    tint: str


@dataclass
class CountryGroup:
    country: str
    stories: list[Story]  # newest first


@dataclass
class Report:
    rule: str
    run_id: str
    generated_at: datetime
    stories: list[Story]  # lead stories, newest first; reprints hang off each in `also`
    groups: list[CountryGroup]  # the same stories by country, each listed once
    summary: dict[str, Any]
    chart: Chart
    topics: dict[str, TopicStyle]  # every topic shown: the rule's first, then the others
    health: list[dict[str, Any]]  # run_health rows as stored (the JSON report)
    health_table: list[SourceHealth]  # the same in words (HTML, Markdown)
    topic_days: list[dict[str, Any]] = field(default_factory=list)
    # Per topic, this run's stories its query matched without tagging them, and where the
    # workspace lists them (docs/TOPICS.md, Near misses)
    to_check: dict[str, int] = field(default_factory=dict)
    to_check_url: str | None = None

    @property
    def article_ids(self) -> list[str]:
        return [a for s in self.stories for a in s.article_ids()]

    @property
    def story_count(self) -> int:
        return len(self.article_ids)

    def story_topics(self, story: Story) -> list[TopicStyle]:
        """The story's topics in the report's order (legend, colours)."""
        return [style for topic, style in self.topics.items() if topic in story.topics
                or topic in story.matches]


def story_from_row(row: dict[str, Any]) -> Story:
    found = parse_matches(row["topic_matches"])
    skip = lead_start(row["title"] or "", row["text"])
    return Story(
        article_id=row["article_id"], title=row["title"] or row["url"], url=row["url"],
        outlet=row["outlet"], countries=list(row["countries"] or []), language=row["language"],
        published_at=row["published_at"], topics=list(row["topics"] or []),
        score=float(row["top_score"] or 0), snippet=snippet(row["text"], found.spans, skip=skip),
        matches=found.by_topic,
        borderline={e["topic"]: e["borderline"] for e in row["topic_matches"] or []
                    if e.get("borderline") is not None},
        capture=Capture(row.get("capture_id"), row.get("warc_file"), row.get("warc_offset"),
                        row.get("fetched_at"), row.get("content_sha1")),
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


def country_groups(leads: list[Story]) -> list[CountryGroup]:
    """Each lead story once, under its country (A to Z, then regional and unknown), keeping
    the leads' order (newest first) inside a country."""
    by_country: dict[str, list[Story]] = {}
    for story in leads:
        by_country.setdefault(story.country, []).append(story)
    order = sorted(by_country, key=lambda c: (c in LAST_GROUPS, LAST_GROUPS.index(c)
                                              if c in LAST_GROUPS else 0, c))
    return [CountryGroup(c, by_country[c]) for c in order]


def _css_class(topic: str, taken: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-")
    name = f"t-{slug}" if slug else "t"
    while name in taken:  # two topic names that differ only in punctuation or case
        name += "-x"
    taken.add(name)
    return name


def topic_styles(rule_topics: list[str], stories: list[Story],
                 topic_order: Sequence[str] = ()) -> dict[str, TopicStyle]:
    """The rule's topics, then any other topic a story carries. Each takes its colour by
    its place in `topic_order`, the topics of topics.toml, as in the workspace (without
    it, by its place in the list)."""
    others = sorted({t for s in stories for t in [*s.topics, *s.matches]} - set(rule_topics))
    shown = [*rule_topics, *others]
    order = topic_order or shown
    taken: set[str] = set()
    colours = {t: colour_of(t, order) for t in shown}
    return {t: TopicStyle(t, _css_class(t, taken), colours[t].ink, colours[t].tint)
            for t in shown}


def topic_order(topics_file: Path) -> tuple[str, ...]:
    """The topic ids of topics.toml in its order (their colours' order), or none when there
    is no such file."""
    if not topics_file.is_file():
        return ()
    return tuple(t.id for t in load_topics(topics_file).topics)


def _workspace(base_url: str) -> str | None:
    """The workspace's address from [web] base_url; None when it is not http(s)."""
    base = base_url.strip().rstrip("/")
    return base if is_web_url(base) else None


def link_workspace(stories: list[Story], base_url: str) -> None:
    """With [web] base_url set, each story (and reprint) links to its story page and its
    archived copy in the workspace; an address that is not http(s) links nothing."""
    base = _workspace(base_url)
    if base is None:
        return
    for story in [*stories, *(o for s in stories for o in s.also)]:
        story.page_url = f"{base}/stories/{quote(story.article_id, safe='')}"
        if story.capture.capture_id:
            story.archive_url = f"{base}/archive/{quote(story.capture.capture_id, safe='')}"


def _summary(stories: list[Story], leads: list[Story], topics: list[str]) -> dict[str, Any]:
    return {
        "stories": len(stories), "shown": len(leads), "reprints": len(stories) - len(leads),
        "topics": {t: sum(1 for s in stories if t in s.topics) for t in topics},
        "countries": dict(Counter(s.country for s in stories).most_common()),
        "outlets": dict(Counter(s.outlet for s in stories).most_common()),
    }


def build_report(rule: str, rule_topics: list[str], run_id: str, stories: list[Story],
                 health: list[dict[str, Any]], topic_days: list[dict[str, Any]],
                 generated_at: datetime, gaps: list[dict[str, Any]] | None = None,
                 base_url: str = "", topic_order: Sequence[str] = (),
                 to_check: dict[str, int] | None = None) -> Report:
    """Fold reprints, group by country, count, chart and describe the sources' health for
    one rule's report. `gaps`: coverage gaps of the run per source and reason;
    `topic_order`: the topics of topics.toml, whose places give the topics' colours;
    `to_check`: per topic, the run's near misses (the workspace's stories to check)."""
    leads = fold_reprints(stories)
    link_workspace(leads, base_url)
    end_day = generated_at.date() if isinstance(generated_at, datetime) else date.today()
    return Report(
        rule=rule, run_id=run_id, generated_at=generated_at, stories=leads,
        groups=country_groups(leads), summary=_summary(stories, leads, rule_topics),
        chart=chart(topic_days, rule_topics, end_day, topic_order or rule_topics),
        topics=topic_styles(rule_topics, stories, topic_order),
        health=health, health_table=health_table(health, gaps or []), topic_days=topic_days,
        to_check={t: n for t, n in (to_check or {}).items() if n},
        to_check_url=_to_check_url(base_url, rule_topics),
    )


def _to_check_url(base_url: str, rule_topics: list[str]) -> str | None:
    """The workspace's stories to check, narrowed to the rule's topic when it has one."""
    base = _workspace(base_url)
    if base is None:
        return None
    return f"{base}/missed" + (f"?topic={quote(rule_topics[0], safe='')}"
                               if len(rule_topics) == 1 else "")


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


def _archive_json(s: Story) -> dict[str, Any]:
    c = s.capture
    return {"capture_id": c.capture_id, "warc_file": c.warc_file, "warc_offset": c.warc_offset,
            "fetched_at": c.fetched_at.isoformat() if c.fetched_at else None,
            "content_sha1": c.sha1, "archive_url": s.archive_url}


def _story_json(s: Story) -> dict[str, Any]:
    return {
        "article_id": s.article_id, "title": s.title, "url": s.url, "story_url": s.page_url,
        "outlet": s.outlet, "published_at": s.published_at.isoformat() if s.published_at else None,
        "language": s.language, "countries": s.countries, "topics": s.topics, "score": s.score,
        "snippet": [{"text": p.text, "highlighted": bool(p.topics), "topics": list(p.topics)}
                    for p in s.snippet],
        "matches": {t: [{"term": h.term, "surfaces": list(h.surfaces), "in_title": h.in_title,
                         "in_text": h.in_text} for h in hits] for t, hits in s.matches.items()},
        "matched_terms": s.terms,
        "borderline": s.borderline,
        "archive": _archive_json(s),
        "also_reported_by": [{"article_id": o.article_id, "outlet": o.outlet, "url": o.url,
                              "story_url": o.page_url, "title": o.title,
                              "archive": _archive_json(o)} for o in s.also],
    }


def render_json(report: Report) -> str:
    return json.dumps({
        "rule": report.rule, "run_id": report.run_id,
        "generated_at": report.generated_at.isoformat(), "summary": report.summary,
        "stories": [_story_json(s) for s in report.stories],
        "matches_per_day": report.topic_days,
        "to_check": {"stories": report.to_check, "url": report.to_check_url},
        "source_health": report.health,
        "source_health_in_words": [asdict(h) for h in report.health_table],
    }, ensure_ascii=False, default=str)  # no indent: the C encoder, a fraction of the memory


def report_paths(folder: Path, run_id: str, rule: str) -> dict[str, Path]:
    """Where a rule's report of a run is written: FOLDER/RUN-RULE.html, .md and .json."""
    return {ext: folder / f"{run_id}-{rule}.{ext}" for ext in ("html", "md", "json")}
