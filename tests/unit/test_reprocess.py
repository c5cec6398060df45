"""`steppewatch reprocess --tags` on a real DuckDB warehouse: tags follow topics.toml changes."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawlers.staging import write_jsonl
from flows.tagging.borderline import MODEL_FILE
from flows.tagging.staged import tag_source
from flows.tagging.tagger import Tagger
from tests.helpers import ROOT, invoke
from warehouse.connection import open_warehouse
from warehouse.load import SourceRun, load_run
from warehouse.runs import start_run, upsert_sources

TOPICS = """
[topics.protest]
label = "Protests"
description = "Public protest."
[topics.protest.queries]
ru = '{query}'
"""


def _article(article_id: str, title: str, text: str) -> dict:
    return {"article_id": article_id, "url": f"https://24.kg/{article_id}/",
            "canonical_url": None, "source_id": "24kg", "capture_id": f"c-{article_id}",
            "title": title, "text": text, "author": None, "published_at": None,
            "language": "ru", "description": None, "encoding": "utf-8", "text_sha1": article_id,
            "extracted_at": "2026-11-01T10:00:00+00:00"}


def _config(folder: Path, query: str) -> Tagger:
    folder.mkdir(exist_ok=True)
    (folder / "topics.toml").write_text(TOPICS.format(query=query), encoding="utf-8")
    shutil.copy(ROOT / "config" / "places.toml", folder / "places.toml")
    return Tagger.from_file(folder / "topics.toml")


def _warehouse(data: Path, tagger: Tagger) -> None:
    """One nightly run's worth of staged files, tagged with `tagger` and loaded."""
    source_dir = data / "runs" / "r1" / "24kg"
    source_dir.mkdir(parents=True)
    write_jsonl(source_dir / "extracted.jsonl", [
        _article("a1", "Митинг в Бишкеке", "Сторонники оппозиции вышли на митинг."),
        _article("a2", "Пикет у парламента", "Активист провёл одиночный пикет в Оше."),
        _article("a3", "Курс валют", "Доллар подорожал."),
    ])
    tag_source(source_dir, tagger)
    (source_dir / "places.jsonl").unlink()  # stored before places existed: reprocess adds them
    with open_warehouse(data) as con:
        upsert_sources(con, [{"source_id": "24kg", "name": "24.kg", "family": "custom",
                              "countries": ["KG"], "languages": ["ru"],
                              "base_url": "https://24.kg/"}])
        start_run(con, "r1", datetime.now(UTC), "replay", None, tagger.version)
        load_run(con, "r1", data / "runs" / "r1",
                 [SourceRun("24kg", "ok", None, 3, 3, 0, 0, 1, 1.0)])


def _tags(data: Path) -> dict[str, tuple[str, str]]:
    with open_warehouse(data) as con:
        rows = con.execute("SELECT article_id, topics_version, run_id FROM article_topics "
                           "WHERE topic = 'protest'").fetchall()
    return {article: (version, run) for article, version, run in rows}


def test_reprocess_tags_follows_a_topics_change(tmp_path: Path) -> None:
    config, data = tmp_path / "config", tmp_path / "data"
    first = _config(config, "митинг*")
    _warehouse(data, first)
    assert _tags(data) == {"a1": (first.version, "r1")}

    second = _config(config, "митинг* OR пикет*")
    assert second.version != first.version
    proc = invoke(["--config", str(config), "--data", str(data), "reprocess", "--tags",
                    "--batch-size", "2"])
    assert f"re-tagged 3 articles with topics version {second.version}" in proc.stdout
    assert "protest" in proc.stdout
    tags = _tags(data)
    assert tags["a1"] == (second.version, "r1")  # kept: still from the run that first tagged it
    assert tags["a2"][0] == second.version and tags["a2"][1].startswith("reprocess-")
    assert "a3" not in tags
    with open_warehouse(data) as con:
        places = dict(con.execute("SELECT article_id, places FROM article_places").fetchall())
    assert places == {"a1": ["Bishkek"], "a2": ["Osh"], "a3": []}

    third = _config(config, "пикет*")
    proc = invoke(["--config", str(config), "--data", str(data), "reprocess", "--tags"])
    lines = [line.split() for line in proc.stdout.splitlines() if "protest" in line]
    assert ["│", "protest", "│", "0", "│", "1", "│", "1", "│"] in lines  # added, removed, kept
    assert _tags(data) == {"a2": (third.version, tags["a2"][1])}


def _near(data: Path) -> dict[str, tuple[float, list[dict], str]]:
    with open_warehouse(data) as con:
        rows = con.execute("SELECT article_id, score, matches, run_id FROM article_near_misses "
                           "WHERE topic = 'protest'").fetchall()
    return {article: (score, json.loads(matches), run) for article, score, matches, run in rows}


def test_near_misses_are_stored_apart_from_tags_and_replaced_by_reprocess(
    tmp_path: Path,
) -> None:
    """A story the query matched in one sentence (below the two a tag needs) is a near miss:
    loaded with the night, not a tag, and replaced with the tags by a reprocess."""
    config, data = tmp_path / "config", tmp_path / "data"
    first = _config(config, "митинг* OR доллар*")
    _warehouse(data, first)
    assert _tags(data) == {"a1": (first.version, "r1")}
    assert _near(data) == {"a3": (1.0, [{"term": "доллар*", "surface": "Доллар",
                                         "field": "text"}], "r1")}

    _config(config, "митинг* OR подорож*")
    invoke(["--config", str(config), "--data", str(data), "reprocess", "--tags"])
    near = _near(data)
    assert list(near) == ["a3"] and near["a3"][1][0]["surface"] == "подорожал"
    assert near["a3"][2].startswith("reprocess-")
    assert set(_tags(data)) == {"a1"}


def test_reprocess_needs_a_warehouse_and_says_what(tmp_path: Path) -> None:
    proc = invoke(["--data", str(tmp_path), "reprocess", "--tags"], check=False)
    assert proc.returncode == 1
    assert "no warehouse at" in proc.stderr
    proc = invoke(["--data", str(tmp_path), "reprocess"], check=False)
    assert proc.returncode == 1 and "reprocess --tags" in proc.stderr


def _borderline(data: Path) -> dict[str, float | None]:
    with open_warehouse(data) as con:
        return dict(con.execute("SELECT article_id, borderline FROM article_topics").fetchall())


def test_the_borderline_models_probability_is_stored_with_its_tag(tmp_path: Path) -> None:
    """Loaded with the night's tags, written again by reprocess, NULL where the queries
    alone decided."""
    config, data = tmp_path / "config", tmp_path / "data"
    _config(config, "митинг*")
    model = {"prefix": 5, "terms": {"митин": [1.0, 5.0]},
             "topics": {"protest": {"intercept": 0.0, "add_at": 2.0, "drop_below": 0.01,
                                    "drop_max_score": 3.0}}}  # keeps tags of score 3 or less
    (config / MODEL_FILE).write_text(json.dumps(model, ensure_ascii=False), encoding="utf-8")
    tagger = Tagger.from_file(config / "topics.toml")
    expected = tagger.tag("Митинг в Бишкеке", "Сторонники оппозиции вышли на митинг.",
                          "ru").borderline["protest"]
    _warehouse(data, tagger)
    assert _borderline(data) == {"a1": pytest.approx(expected)} and expected > 0.99

    (config / MODEL_FILE).unlink()  # the queries alone: the same tag, no probability
    invoke(["--config", str(config), "--data", str(data), "reprocess", "--tags"])
    assert _borderline(data) == {"a1": None}
