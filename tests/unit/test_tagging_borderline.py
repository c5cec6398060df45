"""The borderline model: the shipped weights, and where it may and may not decide a tag."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from flows.tagging.borderline import MODEL_FILE, BorderlineModel, story
from flows.tagging.jsonl import result_fields
from flows.tagging.tagger import Tagger
from flows.tagging.topics import TopicsConfigError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "config" / MODEL_FILE
TUNING = ROOT / "tests" / "data" / "real_tune.jsonl"

TOPICS = """\
[topics.police]
label = "Police"
min_score = 2
[topics.police.queries]
ru = 'полиц*'
"""


def _model(add_at: float = 0.5, drop_below: float = 0.5, drop_max_score: float = 2.0) -> dict:
    """A hand-made model: "демонстр…" pulls towards police, "погод…" away from it."""
    edge = {"intercept": 0.0, "add_at": add_at, "drop_below": drop_below,
            "drop_max_score": drop_max_score}
    return {"prefix": 5, "topics": {"police": edge},
            "terms": {"демон": [1.0, 8.0], "погод": [1.0, -8.0], "полиц": [1.0, 0.0]}}


def _tagger(tmp_path: Path, model: dict | None) -> Tagger:
    (tmp_path / "topics.toml").write_text(TOPICS, "utf-8")
    if model is not None:
        (tmp_path / MODEL_FILE).write_text(json.dumps(model, ensure_ascii=False), "utf-8")
    return Tagger.from_file(tmp_path / "topics.toml")


def test_the_shipped_model_is_trained_on_the_tuning_set_as_it_is() -> None:
    first = json.loads(SHIPPED.read_text("utf-8"))["trained_on"][0]
    assert first["path"] == "tests/data/real_tune.jsonl"
    assert first["sha256"] == hashlib.sha256(TUNING.read_bytes()).hexdigest(), (
        "the tuning set changed: retrain with `make borderline-model`")


def test_run_time_probabilities_are_the_trainers() -> None:
    """The trainer's own probabilities for some tuning stories (scikit-learn) against the
    dictionary lookups of the tagger: the same words, features and arithmetic."""
    data = json.loads(SHIPPED.read_text("utf-8"))
    model = BorderlineModel(data, "shipped")
    rows = TUNING.read_text("utf-8").splitlines()
    assert len(data["checks"]) >= 30
    for check in data["checks"]:
        row = json.loads(rows[check["row"]])
        found = model.probabilities(story(row["title"], row["text"]), row["lang"])
        assert found[check["topic"]] == pytest.approx(check["probability"], abs=1e-5), check


def test_a_story_below_the_score_is_tagged_when_the_model_is_sure(tmp_path: Path) -> None:
    tagger = _tagger(tmp_path, _model())
    result = tagger.tag("", "Полиция разогнала демонстрацию. Демонстранты разошлись.", "ru")
    assert result.topics == ["police"] and result.scores["police"] == 1.0
    assert result.borderline["police"] > 0.5
    # the tag still shows the sentence and term that carried it
    assert [m.surface for m in result.matches["police"]] == ["Полиция"]
    doubtful = tagger.tag("", "Полиция сообщила о погоде. Погода будет тёплой.", "ru")
    assert doubtful.topics == [] and doubtful.borderline["police"] < 0.5


def test_a_weak_tag_is_dropped_when_the_model_doubts_and_a_strong_one_is_not(
    tmp_path: Path,
) -> None:
    tagger = _tagger(tmp_path, _model())
    weak = "Полиция сообщила о погоде. Полиция ждёт дождя. Погода испортится."
    assert tagger.tag("", weak, "ru").topics == []
    strong = weak + " Полиция просит не выезжать."  # three sentences: the queries decide
    result = tagger.tag("", strong, "ru")
    assert result.topics == ["police"] and "police" not in result.borderline


def test_the_model_never_tags_a_story_the_queries_did_not_match(tmp_path: Path) -> None:
    result = _tagger(tmp_path, _model()).tag("", "Демонстрация. Демонстранты. Демонстрант.", "ru")
    assert result.topics == [] and result.borderline == {}


def test_an_edge_out_of_range_is_off(tmp_path: Path) -> None:
    tagger = _tagger(tmp_path, _model(add_at=2.0, drop_below=0.0))
    assert tagger.tag("", "Полиция разогнала демонстрацию. Демонстранты ушли.", "ru").topics == []
    weak = "Полиция сообщила о погоде. Полиция ждёт дождя. Погода испортится."
    assert tagger.tag("", weak, "ru").topics == ["police"]


def test_the_version_names_the_model_and_the_queries_alone_have_none(tmp_path: Path) -> None:
    with_model = _tagger(tmp_path, _model())
    queries = Tagger.from_file(tmp_path / "topics.toml", borderline=False)
    assert with_model.version.startswith(queries.version + "+")
    assert queries.model is None and with_model.model is not None
    other = _tagger(tmp_path, _model(add_at=0.9))
    assert other.version != with_model.version  # retagging follows a retrained model


def test_a_broken_model_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "topics.toml").write_text(TOPICS, "utf-8")
    (tmp_path / MODEL_FILE).write_text('{"prefix": 5, "topics": {}', "utf-8")
    named = rf"^{re.escape(str(tmp_path / MODEL_FILE))}: not a borderline model"
    with pytest.raises(TopicsConfigError, match=named):  # the model's file, not topics.toml
        Tagger.from_file(tmp_path / "topics.toml")
    bad = _model()
    bad["terms"]["демон"] = [1.0]  # no weight for the topic
    (tmp_path / MODEL_FILE).write_text(json.dumps(bad), "utf-8")
    with pytest.raises(TopicsConfigError, match="make borderline-model"):
        Tagger.from_file(tmp_path / "topics.toml")


def test_json_output_carries_the_models_probability(tmp_path: Path) -> None:
    result = _tagger(tmp_path, _model()).tag("", "Полиция разогнала демонстрацию.", "ru")
    fields = result_fields(result)
    assert fields["topics"] == ["police"] and fields["borderline"]["police"] > 0.5
