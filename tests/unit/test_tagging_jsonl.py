"""tag_lines on good and bad lines; evaluate and format_report on a labelled file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.tagging.evaluate import evaluate, format_report
from flows.tagging.jsonl import tag_lines
from flows.tagging.tagger import Tagger

TOPICS = """
[defaults]
min_score = 1
[topics.protest]
label = "Protests"
[topics.protest.queries]
ru = 'митинг* OR пикет*'
en = 'protest*'
[topics.police]
label = "Police"
[topics.police.queries]
ru = 'полиц*'
"""


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.from_text(TOPICS)


def test_good_lines_keep_fields_and_add_topics_matches_scores(tagger: Tagger) -> None:
    lines = [
        json.dumps({"id": "a", "title": "Митинг", "text": "Был пикет.", "lang": "ru", "x": 1}),
        json.dumps({"id": "b", "text": "Protesters gathered."}),  # no title, no lang
    ]
    first, second = (json.loads(line) for line in tag_lines(lines, tagger))
    assert first["id"] == "a" and first["x"] == 1 and first["title"] == "Митинг"
    assert first["topics"] == ["protest"]
    assert first["scores"] == {"protest": 3.0, "police": 0.0}
    match = first["matches"]["protest"][1]
    assert match == {"term": "пикет*", "surface": "пикет", "field": "text", "start": 4, "end": 9}
    assert second["topics"] == ["protest"]
    assert second["matches"]["protest"][0]["surface"] == "Protesters"


def test_bad_lines_yield_errors_with_line_numbers(tagger: Tagger) -> None:
    lines = [
        "{not json",
        "",
        json.dumps(["a list"]),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "t", "text": "пикет", "title": 5}),
        json.dumps({"id": "ok", "text": "пикет", "lang": "ru"}),
    ]
    out = [json.loads(line) for line in tag_lines(lines, tagger)]
    assert len(out) == 5  # the blank line is skipped
    assert [o.get("line") for o in out[:4]] == [1, 3, 4, 5]
    assert all("error" in o and f"line {o['line']}" in o["error"] for o in out[:4])
    assert out[2]["id"] == "no-text"
    assert "error" not in out[4] and out[4]["topics"] == ["protest"]


def test_evaluate_counts_and_report(tmp_path: Path, tagger: Tagger) -> None:
    rows = [
        {"id": "1", "lang": "ru", "title": "", "text": "Митинг.", "topics": ["protest"]},
        {"id": "2", "lang": "ru", "title": "", "text": "Полиция.", "topics": []},
        {"id": "3", "lang": "en", "title": "", "text": "Nothing.", "topics": ["protest"]},
        {"id": "4", "lang": "en", "title": "", "text": "Protest.", "topics": ["protest"]},
    ]
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    report = evaluate(path, tagger)
    assert report.articles == 4
    protest, police = report.topics["protest"], report.topics["police"]
    assert (protest.tp, protest.fp, protest.fn) == (2, 0, 1)
    assert (police.tp, police.fp, police.fn) == (0, 1, 0)
    assert protest.precision == 1.0 and protest.recall == pytest.approx(2 / 3)
    assert protest.f1 == pytest.approx(0.8)
    assert police.recall is None and police.precision == 0.0
    ru, en = report.languages["ru"], report.languages["en"]
    assert (ru.tp, ru.fp, ru.fn) == (1, 1, 0)
    assert (en.tp, en.fp, en.fn) == (1, 0, 1)
    assert {(m.id, m.topic, m.kind) for m in report.mistakes} == {
        ("2", "police", "fp"),
        ("3", "protest", "fn"),
    }
    assert report.errors and "line 5" in report.errors[0]
    table = format_report(report)
    for word in ("protest", "police", "ru", "en", "all", "80.0", "66.7"):
        assert word in table
