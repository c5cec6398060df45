"""A synthetic warehouse with everything the workspace (flows/web) reads, for bench/web_bench.py.

    build(Path("/tmp/web-bench"), articles=100_000)

- sources: the outlets of config/sources.toml;
- crawl_runs: one nightly run per night for the last RUNS nights, source_runs for every
  outlet in each (a few failed), listed_links and run_errors that make coverage gaps;
- articles: texts mixed from the replay web's hand-written articles (bench/corpus.py, seven
  languages, ~3 KB each), published every 17 minutes backwards from bench.corpus.NEWEST;
- article_topics and article_places found by the real tagger and gazetteer (config/), run
  on each distinct paragraph once and shifted to the paragraph's offset in the text, so the
  matches' offsets are real and the build stays fast;
- article_versions: every article's first text, and a second or third for a few;
- captures pointing at real WARC records (crawlers.warc.WarcArchive): `pages` distinct
  article pages of 50-100 KB (bench/pages.py) that the captures share, and one listing
  page per outlet and run;
- report files in DATA/reports and the search index (warehouse.search).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import random
import time
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.corpus import NEWEST, ROOT, Story, StoryMixer, load_seeds
from bench.pages import article_html, listing_html
from crawlers.warc import WarcArchive, WarcPointer
from flows.tagging.places import load_gazetteer
from flows.tagging.tagger import Tagger
from warehouse.connection import open_warehouse

RUNS = 40  # nightly runs in the history (a few dozen per outlet; fewer for a tiny corpus)
CHUNK = 10_000  # articles generated and inserted at a time
SEPARATOR = "\n\n"  # between paragraphs of a text
GAP_KINDS = ("http_404", "timeout", "no_text", "http_503")


@dataclass(frozen=True)
class Source:
    source_id: str
    name: str
    family: str
    countries: list[str]
    languages: list[str]
    base_url: str


@dataclass
class Built:
    """What build() made, for the benchmark to sample its requests from."""
    articles: int
    pages: int
    runs: list[str]
    seconds: dict[str, float] = field(default_factory=dict)


def load_sources(path: Path = ROOT / "config" / "sources.toml") -> list[Source]:
    raw = tomllib.loads(path.read_text("utf-8"))["source"]
    return [Source(s["id"], s["name"], s.get("family", "custom"), s["countries"],
                   s["languages"], _base_url(s)) for s in raw]


def _base_url(source: dict[str, Any]) -> str:
    """The outlet's home page; a channel (a Telegram source) has none, its t.me page then."""
    return source.get("base_url") or f"https://t.me/s/{source.get('channel', source['id'])}/"


def run_starts(count: int = RUNS) -> list[tuple[str, datetime]]:
    """(run_id, started_at) of the nightly runs, oldest first; the last starts at NEWEST."""
    out = []
    for k in range(count):
        started = NEWEST - timedelta(days=count - 1 - k) + timedelta(minutes=k % 7)
        out.append((f"{started:%Y%m%dT%H%M%SZ}-{_hex(f'run{k}')[:6]}", started))
    return out


def _hex(value: str) -> str:
    return hashlib.sha1(value.encode()).hexdigest()


class Tags:
    """Topic matches and places of a text made of known paragraphs, each found once."""

    def __init__(self) -> None:
        self.tagger = Tagger.from_file(ROOT / "config" / "topics.toml")
        self.gazetteer = load_gazetteer(ROOT / "config" / "places.toml")
        self._cache: dict[tuple[str, str, str], tuple[dict, list, list]] = {}

    def _piece(self, field_name: str, piece: str, lang: str) -> tuple[dict, list, list]:
        key = (field_name, piece, lang)
        if key not in self._cache:
            title, text = (piece, "") if field_name == "title" else ("", piece)
            result = self.tagger.tag(title, text, lang)
            matches = {t: [asdict(m) for m in ms] for t, ms in result.matches.items()}
            countries, places = self.gazetteer.find_places(title, text)
            self._cache[key] = (matches, countries, places)
        return self._cache[key]

    def of(self, title: str, paragraphs: tuple[str, ...], lang: str
           ) -> tuple[dict[str, list[dict]], list[str], list[str]]:
        """Matches per topic (offsets into title or SEPARATOR-joined paragraphs), countries
        and places, in order of first mention."""
        found: dict[str, list[dict]] = {}
        countries: dict[str, None] = {}
        places: dict[str, None] = {}
        pieces = [("title", title, 0)]
        offset = 0
        for p in paragraphs:
            pieces.append(("text", p, offset))
            offset += len(p) + len(SEPARATOR)
        for field_name, piece, shift in pieces:
            matches, cs, ps = self._piece(field_name, piece, lang)
            for topic, ms in matches.items():
                found.setdefault(topic, []).extend(
                    {**m, "start": m["start"] + shift, "end": m["end"] + shift} for m in ms)
            countries.update(dict.fromkeys(cs))
            places.update(dict.fromkeys(ps))
        return found, list(countries), list(places)


class Archive:
    """The WARC files of the bench: one per run and outlet, as the crawl writes them."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self._open: dict[Path, WarcArchive] = {}

    def write(self, run_id: str, source_id: str, url: str, body: bytes, kind: str,
              content_type: str = "text/html; charset=utf-8") -> Page:
        path = self.data / "warc" / run_id / f"{source_id}.warc.gz"
        if path not in self._open:
            self._open[path] = WarcArchive(path, self.data)
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        pointer = self._open[path].write(url, 200, "OK", headers, body,
                                         [("User-Agent", "steppewatch-bench")], kind=kind)
        return Page(pointer, hashlib.sha1(body).hexdigest(), len(body))

    def close(self) -> None:
        for archive in self._open.values():
            archive.close()


@dataclass(frozen=True)
class Page:
    """An archived page: where its record is, its payload's SHA-1 and size."""
    pointer: WarcPointer
    sha1: str
    size: int


def _capture(capture_id: str, run_id: str, source_id: str, url: str, kind: str,
             page: Page, fetched_at: datetime) -> dict[str, Any]:
    pointer = page.pointer
    return {"capture_id": capture_id, "run_id": run_id, "source_id": source_id, "url": url,
            "kind": kind, "http_status": 200, "content_type": "text/html; charset=utf-8",
            "content_sha1": page.sha1, "bytes": page.size,
            "warc_file": pointer.warc_file, "warc_offset": pointer.offset,
            "warc_length": pointer.length, "fetched_at": fetched_at}


class Generator:
    def __init__(self, data: Path, articles: int, pages: int) -> None:
        self.data, self.total = data, articles
        self.sources = load_sources()
        self.runs = run_starts(min(RUNS, max(3, articles // 1000)))
        self.mixer = StoryMixer(load_seeds())
        self.tags = Tags()
        self.archive = Archive(data)
        self.per_source = max(1, pages // len(self.sources))  # distinct pages per outlet
        self.page_of: dict[tuple[int, int], Page] = {}
        self.pool = {lang: [self.mixer.story(10_000_000 + i, (lang,)) for i in range(80)]
                     for lang in self.mixer.seeds}
        self.new_in_run: dict[tuple[str, str], list[str]] = {}  # (run, source): new urls

    def run_of(self, published: datetime) -> tuple[int, str, datetime]:
        """The run that first stored an article: the night after it was published, or the
        first run (a backfill) for older ones."""
        first = self.runs[0][1]
        k = 0 if published < first else min((published - first).days + 1, len(self.runs) - 1)
        return k, *self.runs[k]

    def url_of(self, source: Source, story: Story) -> str:
        return f"{source.base_url}news/{story.published:%Y/%m/%d}/{story.number}-{story.slug}.html"

    def page(self, n: int, source: Source, story: Story, url: str, run_id: str) -> Page:
        """The archived page of article n: its own for the first articles, else shared."""
        key = (n % len(self.sources), (n // len(self.sources)) % self.per_source)
        if key not in self.page_of:
            others = [self.pool[story.lang][(n * 7 + k) % 80] for k in range(80)]
            body = article_html(story, url, source.base_url, source.name, others).encode()
            self.page_of[key] = self.archive.write(run_id, source.source_id, url, body,
                                                   "article")
        return self.page_of[key]

    def chunk(self, first: int, last: int) -> dict[str, list[dict[str, Any]]]:
        rows: dict[str, list[dict[str, Any]]] = {
            "captures": [], "articles": [], "article_topics": [], "article_places": [],
            "article_versions": []}
        for n in range(first, last):
            self.article(n, rows)
        return rows

    def article(self, n: int, rows: dict[str, list[dict[str, Any]]]) -> None:
        source = self.sources[n % len(self.sources)]
        story = self.mixer.story(n, tuple(source.languages))
        url = self.url_of(source, story)
        article_id = _hex(url)[:20]
        k, run_id, started = self.run_of(story.published)
        seen = max(started, story.published) + timedelta(minutes=5 + n % 50)
        page = self.page(n, source, story, url, run_id)
        capture_id = _hex(f"bench:{article_id}")[:20]
        rows["captures"].append(_capture(capture_id, run_id, source.source_id, url, "article",
                                         page, seen))
        text = SEPARATOR.join(story.paragraphs)
        rows["articles"].append({
            "article_id": article_id, "url": url, "canonical_url": url,
            "source_id": source.source_id, "capture_id": capture_id, "title": story.title,
            "text": text, "author": story.author, "published_at": story.published,
            "language": story.lang, "description": story.lead, "encoding": "utf-8",
            "text_sha1": _hex(text), "first_run_id": run_id, "extracted_at": seen})
        self.new_in_run.setdefault((run_id, source.source_id), []).append(url)
        matches, countries, places = self.tags.of(story.title, story.paragraphs, story.lang)
        for topic, ms in matches.items():
            rows["article_topics"].append({
                "article_id": article_id, "topic": topic, "score": float(len(ms)),
                "matches": ms,
                "topics_version": self.tags.tagger.version, "run_id": run_id, "tagged_at": seen})
        if countries or places:
            rows["article_places"].append({"article_id": article_id, "countries": countries,
                                           "places": places, "run_id": run_id})
        for version in self.versions(n, story, text, capture_id, run_id, seen, k):
            rows["article_versions"].append({"article_id": article_id, **version})
            if version["capture_id"] != capture_id:
                rows["captures"].append(_capture(version["capture_id"], version["run_id"],
                                                 source.source_id, url, "article", page,
                                                 version["extracted_at"]))

    def versions(self, n: int, story: Story, text: str, capture_id: str, run_id: str,
                 seen: datetime, k: int) -> Iterator[dict[str, Any]]:
        """The first text, and for one article in 25 a second (a paragraph added), for one
        in 100 a third (a headline changed too), fetched on the nights after."""
        count = 3 if n % 100 == 7 else 2 if n % 25 == 3 else 1
        title, paragraphs = story.title, list(story.paragraphs)
        for v in range(count):
            if v == 1:
                paragraphs.append(self.pool[story.lang][n % 80].lead)
                text = SEPARATOR.join(paragraphs)
            if v == 2:
                title = f"{title} ({self.pool[story.lang][(n + 1) % 80].title[:30]})"
            night = min(k + v, len(self.runs) - 1)
            yield {"text_sha1": _hex(title + text), "title": title, "text": text,
                   "capture_id": capture_id if v == 0 else _hex(f"bench:{capture_id}:{v}")[:20],
                   "run_id": run_id if v == 0 else self.runs[night][0],
                   "extracted_at": seen + timedelta(days=v)}

    def history(self) -> dict[str, list[dict[str, Any]]]:
        """crawl_runs, source_runs, listing captures, listed_links, run_errors and
        monitors' corrections."""
        rows: dict[str, list[dict[str, Any]]] = {
            "crawl_runs": [], "source_runs": [], "captures": [], "listed_links": [],
            "run_errors": [], "tag_feedback": self.corrections()}
        for k, (run_id, started) in enumerate(self.runs):
            rows["crawl_runs"].append({
                "run_id": run_id, "started_at": started,
                "finished_at": started + timedelta(minutes=40 + k % 13), "mode": "nightly",
                "status": "failed" if k % 17 == 5 else "completed",
                "topics_version": self.tags.tagger.version,
                "report_path": str(self.data / "reports" / f"{run_id}-all-topics.html")})
            for i, source in enumerate(self.sources):
                self.source_run(k, run_id, started, i, source, rows)
        return rows

    def corrections(self, count: int = 300) -> list[dict[str, Any]]:
        """Corrections of tags on every so many articles (one in three: a missing topic)."""
        rows = []
        for j, n in enumerate(range(0, self.total, max(1, self.total // count))):
            source = self.sources[n % len(self.sources)]
            story = self.mixer.story(n, tuple(source.languages))
            missing = j % 3 == 2
            rows.append({
                "feedback_id": _hex(f"feedback{j}")[:22],
                "article_id": _hex(self.url_of(source, story))[:20],
                "topic": ("police", "protest", "torture")[j % 3],
                "verdict": "missing" if missing else "wrong", "was_tagged": not missing,
                "note": "checked against the outlet's page" if j % 2 else None,
                "topics_version": self.tags.tagger.version,
                "created_at": NEWEST - timedelta(hours=j)})
        return rows

    def source_run(self, k: int, run_id: str, started: datetime, i: int, source: Source,
                   rows: dict[str, list[dict[str, Any]]]) -> None:
        rng = random.Random(k * 1000 + i)
        failed = rng.random() < 0.04 or (i == 3 and k >= len(self.runs) - 3)  # failing lately
        new = self.new_in_run.get((run_id, source.source_id), [])
        listing = listing_html(source.name, source.base_url, [], None).encode()
        page = self.archive.write(run_id, source.source_id, source.base_url, listing, "listing")
        fetched = started + timedelta(minutes=1 + i)
        rows["captures"].append(_capture(page.pointer.capture_id, run_id, source.source_id,
                                         source.base_url, "listing", page, fetched))
        errors: dict[str, int] = {}
        gaps = 0 if failed or rng.random() < 0.6 else rng.randint(1, 3)
        for j in range(gaps):
            url = f"{source.base_url}news/missing/{run_id}/{j}.html"
            rows["listed_links"].append(_listed(run_id, source, url, False, fetched))
            if j % 3 != 2:  # the third of each run is listed but never fetched
                kind = GAP_KINDS[(k + i + j) % len(GAP_KINDS)]
                errors[kind] = errors.get(kind, 0) + 1
                rows["run_errors"].append({
                    "run_id": run_id, "source_id": source.source_id, "url": url,
                    "stage": "extract" if kind == "no_text" else "crawl", "kind": kind,
                    "message": f"{kind} for article page", "capture_id": None,
                    "http_status": int(kind[5:]) if kind.startswith("http_") else None})
        for url in new if not failed else []:
            rows["listed_links"].append(_listed(run_id, source, url, False, fetched))
        rows["source_runs"].append({
            "run_id": run_id, "source_id": source.source_id,
            "status": "failed" if failed else "ok",
            "message": "all feeds and listings answered HTTP 503" if failed else None,
            "pages_fetched": 3 if failed else 6 + len(new) + gaps,
            "article_pages": 0 if failed else len(new) + gaps,
            "skipped_seen": 0 if failed else rng.randint(10, 60),
            "articles_new": 0 if failed else len(new), "errors": sum(errors.values()),
            "bytes": (len(new) + 3) * 70_000, "seconds": round(rng.uniform(20, 300), 1),
            "not_modified": rng.randint(0, 2), "revisited": rng.randint(0, 20),
            "versions_new": rng.randint(0, 2), "coverage_gaps": gaps,
            "errors_by_kind": errors or None, "held_back": 0})


def _listed(run_id: str, source: Source, url: str, seen: bool, when: datetime
            ) -> dict[str, Any]:
    return {"run_id": run_id, "source_id": source.source_id, "url": url,
            "found_on": source.base_url, "seen_before": seen, "published_at": when}


def insert(con: Any, table: str, rows: list[dict[str, Any]], scratch: Path) -> None:
    """Insert `rows` (dicts of the table's columns) through a JSON-lines file, typed by the
    table's own columns, as the load step does."""
    if not rows:
        return
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = ?", [table]).fetchall())
    names = list(rows[0])
    path = scratch / f"{table}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    columns = "{" + ", ".join(f"'{n}': '{types[n]}'" for n in names) + "}"
    con.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(names)} "  # ours
                f"FROM read_json(?, format = 'newline_delimited', columns = {columns})",
                [str(path)])
    path.unlink()


def write_reports(data: Path, runs: list[tuple[str, datetime]]) -> None:
    """An alert report in three formats per run, as the alert step names them."""
    folder = data / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    for run_id, started in runs:
        stem = folder / f"{run_id}-all-topics"
        stem.with_suffix(".html").write_text(
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{run_id}</title></head>"
            f"<body><h1>Report of {run_id}</h1><p>{started:%Y-%m-%d}</p></body></html>\n")
        stem.with_suffix(".md").write_text(f"# Report of {run_id}\n\n{started:%Y-%m-%d}\n")
        stem.with_suffix(".json").write_text(json.dumps({"run_id": run_id, "stories": []}))


def refresh_index(con: Any, data: Path) -> None:
    """The search index through warehouse.search's public function (whatever engine it
    runs: some take the data folder too)."""
    from warehouse.search import refresh_search_index

    params = inspect.signature(refresh_search_index).parameters
    needs_data = [p for p in list(params)[1:] if params[p].default is inspect.Parameter.empty]
    refresh_search_index(con, *([data] if needs_data else []))


def build(data: Path, articles: int, pages: int = 2_000) -> Built:
    """The warehouse of `articles` synthetic articles at `data` (made from scratch)."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    gen = Generator(data, articles, pages)
    with open_warehouse(data) as con:
        insert(con, "sources", [{**asdict(s), "updated_at": NEWEST} for s in gen.sources], data)
        for first in range(0, articles, CHUNK):
            for table, rows in gen.chunk(first, min(first + CHUNK, articles)).items():
                insert(con, table, rows, data)
        for table, rows in gen.history().items():
            insert(con, table, rows, data)
        gen.archive.close()
        seconds["rows and WARC"] = time.perf_counter() - started
        write_reports(data, gen.runs)
        indexing = time.perf_counter()
        refresh_index(con, data)
        seconds["search index"] = time.perf_counter() - indexing
    return Built(articles, len(gen.page_of), [r for r, _ in gen.runs], seconds)
