"""A small warehouse for the workspace's tests: real WARC records (one of them a hostile
page), stories in three outlets with tags whose matches point into their texts, a reprint
pair, a story with a second version, and a report file. No tests here."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawlers.warc import WarcArchive, capture_row
from tests.helpers import ALERT_SOURCES, MALICIOUS_TITLE, ROOT, WIRE, write_rows
from warehouse.connection import open_warehouse
from warehouse.load import SourceRun, load_run
from warehouse.runs import finish_run, start_run, upsert_sources
from warehouse.search import refresh_search_index

HTML = [("Content-Type", "text/html; charset=utf-8")]
AGENT = [("User-Agent", "steppewatch-test")]
HOSTILE_PAGE = (ROOT / "tests" / "data" / "hostile_page.html").read_bytes()
RUN_ID = "20261201T020000Z-abc123"
EDITED_TEXT = WIRE.replace("двенадцать", "двадцать") + " Организаторов оштрафовали."


@dataclass(frozen=True)
class Story:
    article_id: str
    source_id: str
    title: str
    text: str
    topics: dict[str, list[str]]  # topic -> words of the text it matched
    days_ago: int = 1  # days before the run
    language: str = "ru"
    page: bytes | None = None  # the archived page; else one made from title and text
    borderline: dict[str, float] = field(default_factory=dict)  # topics the model decided
    near: dict[str, list[str]] = field(default_factory=dict)  # near misses: topic -> words

    @property
    def url(self) -> str:
        return f"https://example.test/{self.source_id}/{self.article_id}"


STORIES = [
    Story("a-wire1", "kloop", "В Бишкеке задержали участников акции", WIRE,
          {"police": ["милиции", "РУВД"], "protest": ["акции"]}, 2),
    Story("a-wire2", "24kg", "Участников акции у мэрии Бишкека задержали", WIRE + " Фото: 24.kg",
          {"police": ["милиции"], "protest": ["акции"]}, 1),
    Story("a-evil", "kloop", MALICIOUS_TITLE, "В изоляторе задержанного подвергли пыткам, "
          "заявили родственники. Сотрудники милиции это отрицают.",
          {"torture": ["пыткам"], "police": ["милиции"]}, 3, borderline={"police": 0.83},
          near={"protest": ["заявили"]}),
    Story("a-hostile", "kloop", "Пытки в изоляторе временного содержания",
          "Родственники задержанного заявили, что сотрудники милиции избивали его в ИВС.",
          {"torture": ["избивали"], "police": ["милиции"]}, 4, page=HOSTILE_PAGE),
    Story("a-tj", "asia-plus", "В Душанбе прошёл пикет",
          "Жители Душанбе вышли на пикет у хукумата.", {"protest": ["пикет"]}, 5),
    Story("a-plain", "asia-plus", "В Душанбе открылся новый парк",
          "Жители Душанбе получили новый парк у реки.", {}, 6,
          borderline={"protest": 0.31}, near={"protest": ["Жители"]}),
]


def _page(story: Story) -> bytes:
    if story.page is not None:
        return story.page
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(story.title)}"
            f"</title></head><body><article><h1>{html.escape(story.title)}</h1>"
            f"<p>{html.escape(story.text)}</p></article></body></html>").encode()


def _matches(story: Story, words: list[str]) -> list[dict]:
    found = []
    for word in words:
        start = story.text.index(word)
        found.append({"term": word.lower()[:5] + "*", "surface": word, "field": "text",
                      "start": start, "end": start + len(word)})
    return found


def _stage(data: Path, run_dir: Path, now: datetime) -> dict[str, list[dict]]:
    """The run's captures (real WARC records), extracted articles and tags, per source."""
    staged: dict[str, list[dict]] = {}
    archives: dict[str, WarcArchive] = {}
    for story in STORIES:
        archive = archives.setdefault(story.source_id, WarcArchive(
            data / "warc" / RUN_ID / f"{story.source_id}.warc.gz", data))
        body = _page(story)
        pointer = archive.write(story.url, 200, "OK", HTML, body, AGENT,
                            kind="article")
        fetched = (now - timedelta(days=story.days_ago)).isoformat()
        capture = capture_row(story.source_id, pointer, story.url, "article", 200,
                              {"content-type": "text/html; charset=utf-8"}, body, fetched)
        staged.setdefault(story.source_id, []).append({"story": story, "capture": capture,
                                                       "fetched": fetched})
    for archive in archives.values():
        archive.close()
    for source, entries in staged.items():
        folder = run_dir / source
        write_rows(folder / "captures.jsonl", [e["capture"] for e in entries])
        write_rows(folder / "extracted.jsonl", [_extracted(e) for e in entries])
        write_rows(folder / "tagged.jsonl", [
            {"article_id": e["story"].article_id, "topic": topic, "score": 2.0 + len(words),
             "matches": _matches(e["story"], words), "topics_version": "v1",
             "tagged_at": e["fetched"], "borderline": e["story"].borderline.get(topic)}
            for e in entries for topic, words in e["story"].topics.items()] + [
            {"article_id": e["story"].article_id, "topic": topic, "tagged": False,
             "score": 1.0, "matches": [{"term": w.lower()[:5] + "*", "surface": w,
                                        "field": "text"} for w in words],
             "topics_version": "v1", "tagged_at": e["fetched"],
             "borderline": e["story"].borderline.get(topic)}
            for e in entries for topic, words in e["story"].near.items()])
    return staged


def _extracted(entry: dict) -> dict:
    story: Story = entry["story"]
    return {"article_id": story.article_id, "url": story.url, "canonical_url": None,
            "source_id": story.source_id, "capture_id": entry["capture"]["capture_id"],
            "title": story.title, "text": story.text, "author": None,
            "published_at": entry["fetched"], "language": story.language,
            "description": None, "encoding": "utf-8",
            "text_sha1": hashlib.sha1(story.text.encode()).hexdigest(),
            "extracted_at": entry["fetched"]}


def _second_version(data: Path, con, now: datetime) -> str:  # noqa: ANN001
    """a-wire1 fetched again with an edited text: a new capture and article_versions row."""
    story = STORIES[0]
    archive = WarcArchive(data / "warc" / RUN_ID / "kloop-revisit.warc.gz", data)
    body = _page(Story(story.article_id, story.source_id, story.title, EDITED_TEXT, {}))
    pointer = archive.write(story.url, 200, "OK", HTML, body, AGENT,
                            kind="article")
    archive.close()
    capture = capture_row("kloop", pointer, story.url, "article", 200,
                          {"content-type": "text/html"}, body, now.isoformat())
    capture["run_id"] = RUN_ID
    columns = ", ".join(capture)
    con.execute(f"INSERT INTO captures ({columns}) VALUES ({', '.join('?' * len(capture))})",
                list(capture.values()))
    con.execute("INSERT INTO article_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
                [story.article_id, hashlib.sha1(EDITED_TEXT.encode()).hexdigest(),
                 capture["capture_id"], story.title, EDITED_TEXT, RUN_ID, now])
    return capture["capture_id"]


def build_workspace_warehouse(data: Path) -> dict[str, str]:
    """The warehouse in `data`; returns the capture id of each story (and of the revisit)."""
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    run_dir = data / "runs" / RUN_ID
    staged = _stage(data, run_dir, now)
    runs = [SourceRun(s["source_id"], "ok", None, 5, 2, 0, 0, 100, 1.0) for s in ALERT_SOURCES]
    with open_warehouse(data) as con:
        upsert_sources(con, ALERT_SOURCES)
        start_run(con, RUN_ID, now, "replay", None, "v1")
        load_run(con, RUN_ID, run_dir, runs)
        revisit = _second_version(data, con, now)
        finish_run(con, RUN_ID, "completed", None)
        refresh_search_index(con)
    reports = data / "reports"
    reports.mkdir(exist_ok=True)
    (reports / f"{RUN_ID}-rights.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>report</title></head>"
        "<body><h1>steppewatch report</h1></body></html>", encoding="utf-8")
    (reports / f"{RUN_ID}-rights.json").write_text("{}", encoding="utf-8")
    ids = {e["story"].article_id: e["capture"]["capture_id"]
           for entries in staged.values() for e in entries}
    return {**ids, "revisit": revisit}
