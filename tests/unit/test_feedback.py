"""Monitors' corrections of topic tags on a real DuckDB warehouse: stored once, checked,
listed, kept through re-tagging, exported as labelled lines that `tag --eval` reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.reprocess import reprocess_tags
from flows.tagging.tagger import Tagger
from tests.helpers import CONFIG, Article, invoke, load_articles, police_story
from warehouse.connection import open_readonly, open_warehouse
from warehouse.feedback import (
    NOTE_MAX_CHARS,
    FeedbackError,
    feedback_examples,
    list_feedback,
    new_feedback_key,
    record_feedback,
)

TOPICS = ["police", "protest", "torture"]
TORTURE = Article("a-torture", "Пытки в ИВС Оша", "Родственники заявили, что задержанного "
                  "пытали в изоляторе.", {"torture": ["пытали"], "police": ["изоляторе"]},
                  "24kg")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    load_articles(tmp_path, "r1", [police_story("a-police", "Задержание в Оше"), TORTURE])
    return tmp_path


def _record(con, article_id: str, topic: str, verdict: str, note: str | None = None,
            key: str | None = None) -> bool:
    return record_feedback(con, key=key or new_feedback_key(), article_id=article_id,
                           topic=topic, verdict=verdict, note=note, topics=TOPICS)


def _rows(data: Path) -> list[tuple]:
    with open_warehouse(data) as con:
        return con.execute("SELECT * FROM tag_feedback ORDER BY seq").fetchall()


def test_a_form_sent_twice_is_stored_once(data: Path) -> None:
    key = new_feedback_key()
    with open_warehouse(data) as con:
        assert _record(con, "a-police", "police", "wrong", "не про милицию", key) is True
        assert _record(con, "a-police", "police", "wrong", "не про милицию", key) is False
        # the same key with other fields (a tampered or stale form) changes nothing either
        assert _record(con, "a-police", "protest", "missing", None, key) is False
    (row,) = _rows(data)
    assert row[0] == key and row[2:6] == ("a-police", "police", "wrong", "не про милицию")
    assert row[6] is True  # the story carried the topic when it was judged


@pytest.mark.parametrize(("fields", "message"), [
    ({"article_id": "no-such"}, "no story 'no-such' in the warehouse"),
    ({"topic": "weather"}, "unknown topic 'weather'; use one of police, protest, torture"),
    ({"verdict": "maybe"}, "unknown verdict 'maybe'; use one of wrong, missing"),
    ({"note": "я" * (NOTE_MAX_CHARS + 1)}, f"keep it under {NOTE_MAX_CHARS}"),
    ({"key": "short"}, "the form has no valid key"),
    ({"key": "../../' OR 1=1 --padding"}, "the form has no valid key"),
])
def test_bad_input_is_one_readable_line_and_stores_nothing(data: Path, fields: dict,
                                                          message: str) -> None:
    given = {"key": new_feedback_key(), "article_id": "a-police", "topic": "police",
             "verdict": "wrong", "note": None, **fields}
    with open_warehouse(data) as con, pytest.raises(FeedbackError) as raised:
        record_feedback(con, **given, topics=TOPICS)
    assert message in str(raised.value) and "\n" not in str(raised.value)
    assert _rows(data) == []


def test_list_shows_the_latest_first_with_the_story(data: Path) -> None:
    with open_warehouse(data) as con:
        _record(con, "a-police", "police", "wrong")
        _record(con, "a-torture", "protest", "missing", "  митинг у ИВС  ")
    with open_readonly(data) as con:
        rows = list_feedback(con)
        only = list_feedback(con, article_id="a-police")
        assert len(list_feedback(con, limit=1)) == 1
    assert [(r.article_id, r.topic, r.verdict, r.note, r.was_tagged) for r in rows] == [
        ("a-torture", "protest", "missing", "митинг у ИВС", False),
        ("a-police", "police", "wrong", None, True)]
    assert (rows[0].title, rows[0].outlet, rows[0].url) == (
        "Пытки в ИВС Оша", "24.kg", TORTURE.url)
    assert [r.article_id for r in only] == ["a-police"]


def test_examples_apply_the_latest_verdict_to_the_stored_tags(data: Path) -> None:
    with open_warehouse(data) as con:
        _record(con, "a-torture", "police", "wrong", "не о полиции")
        _record(con, "a-torture", "protest", "missing")
        _record(con, "a-torture", "protest", "wrong", "всё же не протест")  # latest wins
        _record(con, "a-police", "torture", "missing")
    with open_readonly(data) as con:
        examples = {e["id"]: e for e in feedback_examples(con)}
    assert set(examples) == {"a-police", "a-torture"}  # only the corrected stories
    torture = examples["a-torture"]
    assert torture["topics"] == ["torture"]
    assert (torture["lang"], torture["title"], torture["text"], torture["url"]) == (
        "ru", TORTURE.title, TORTURE.text, TORTURE.url)
    assert torture["note"] == "не о полиции | всё же не протест"
    assert torture["corrections"] == [{"topic": "police", "verdict": "wrong"},
                                      {"topic": "protest", "verdict": "wrong"}]
    assert examples["a-police"]["topics"] == ["police", "torture"]
    # a stored tag marked wrong makes a hard negative; only a missing one added, it is not
    assert (torture["hard_negative"], examples["a-police"]["hard_negative"]) == (True, False)


def test_reprocess_leaves_the_corrections_as_they_were(data: Path) -> None:
    with open_warehouse(data) as con:
        _record(con, "a-torture", "police", "wrong", "не о полиции")
        _record(con, "a-police", "protest", "missing")
    before = _rows(data)
    with open_warehouse(data) as con:
        result = reprocess_tags(con, Tagger.from_file(CONFIG / "topics.toml"))
        tags = con.execute("SELECT count(*) FROM article_topics WHERE run_id = ?",
                           [result.run_id]).fetchone()[0]
        examples = {e["id"]: e["topics"] for e in feedback_examples(con)}
    assert result.articles == 2 and tags + sum(result.kept.values()) > 0  # it did re-tag
    assert _rows(data) == before
    assert "police" not in examples["a-torture"] and "protest" in examples["a-police"]


def test_cli_lists_and_exports_what_tag_eval_reads(data: Path, tmp_path: Path) -> None:
    with open_warehouse(data) as con:
        _record(con, "a-torture", "police", "wrong", "не о полиции")
        _record(con, "a-police", "torture", "missing")
    listed = invoke(["--data", str(data), "feedback", "list"], env={"COLUMNS": "200"})
    assert "2 corrections, latest first" in listed.stdout
    assert "не о полиции" in listed.stdout and "Пытки в ИВС Оша" in listed.stdout

    exported = tmp_path / "out" / "corrections.jsonl"
    exported.parent.mkdir()
    proc = invoke(["--data", str(data), "feedback", "export", str(exported)])
    assert f"wrote 2 labelled stories to {exported}" in proc.stderr
    lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert {(e["id"], tuple(e["topics"])) for e in lines} == {
        ("a-police", ("police", "torture")), ("a-torture", ("torture",))}

    report = invoke(["tag", "--eval", str(exported)])
    assert report.stdout.startswith("2 articles")
    assert "error:" not in report.stdout
    assert {line.split()[0] for line in report.stdout.splitlines()[2:5]} == set(TOPICS)


def test_cli_says_what_is_wrong_in_one_line(tmp_path: Path, data: Path) -> None:
    missing = invoke(["--data", str(tmp_path / "nowhere"), "feedback", "list"], check=False)
    assert missing.returncode == 1 and "no warehouse at" in missing.stderr
    folder = invoke(["--data", str(data), "feedback", "export", str(tmp_path)], check=False)
    assert folder.returncode == 1 and "is a folder" in folder.stderr
