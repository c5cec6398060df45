"""Training the borderline model on a sample of the tuning set, with monitors' corrections."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import flows.tagging.train_borderline as trainer
from flows.tagging.borderline import MODEL_FILE, BorderlineModel, story
from flows.tagging.tagger import Tagger
from flows.tagging.train_borderline import _thresholds, main

ROOT = Path(__file__).resolve().parents[2]
TUNING = ROOT / "tests" / "data" / "real_tune.jsonl"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "config" / "topics.toml", tmp_path / "topics.toml")
    lines = TUNING.read_text("utf-8").splitlines()
    (tmp_path / "sample.jsonl").write_text("\n".join(lines[:400]) + "\n", "utf-8")
    return tmp_path


def _correction(text: str, topics: list[str]) -> str:
    return json.dumps({"id": "c1", "lang": "ru", "title": "", "text": text, "topics": topics},
                      ensure_ascii=False)


def test_a_model_trained_with_corrections_is_written_and_read_back(folder: Path) -> None:
    corrections = folder / "corrections.jsonl"
    corrections.write_text(_correction("Полиция задержала активиста у акимата.", ["police"])
                           + "\n", "utf-8")
    main(["--tuning", str(folder / "sample.jsonl"), "--tuning", str(corrections),
          "--topics", str(folder / "topics.toml")])
    data = json.loads((folder / MODEL_FILE).read_text("utf-8"))
    assert [s["stories"] for s in data["trained_on"]] == [400, 1]
    assert data["trained_on"][1]["path"] == str(corrections)
    rows = (folder / "sample.jsonl").read_text("utf-8").splitlines()
    model = BorderlineModel(data, "trained")
    for check in data["checks"]:  # the trainer's probabilities are the run time's
        row = json.loads(rows[check["row"]])
        found = model.probabilities(story(row["title"], row["text"]), row["lang"])
        assert found[check["topic"]] == pytest.approx(check["probability"], abs=1e-5)
    assert Tagger.from_file(folder / "topics.toml").model is not None


def test_a_bad_line_names_its_file_and_line_and_nothing_is_written(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrections = folder / "corrections.jsonl"
    corrections.write_text(_correction("Митинг у акимата.", ["protest"]) + "\n{oops\n", "utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["--tuning", str(folder / "sample.jsonl"), "--tuning", str(corrections),
              "--topics", str(folder / "topics.toml")])
    assert exit_.value.code == 1
    assert f"{corrections}: line 2: invalid JSON" in capsys.readouterr().err
    assert not (folder / MODEL_FILE).exists()


def test_a_better_f1_beyond_the_tie_wins_over_fewer_hard_negatives() -> None:
    # Ten matched stories on the edge (score 1, untagged); p decides which the model adds.
    p = np.array([0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5])
    gold = np.array([1, 1, 1, 1, 0, 1, 0, 0, 0, 0], dtype=bool)
    hard = np.array([0, 0, 0, 0, 1, 0, 0, 0, 0, 0], dtype=bool)
    tagged = np.zeros(10, dtype=bool)
    score = np.ones(10)
    add_at, _, _, f1, hard_tagged = _thresholds(p, tagged, score, gold, hard)
    # Adding down to 0.7 finds all five (F1 90.9, one hard negative); adding down to 0.8
    # finds four (F1 88.9, none): within F1_TIE only when the tie is wide enough.
    assert 0.65 < add_at <= 0.7 and hard_tagged == 1
    assert f1 == pytest.approx(200 * 5 / 11)


def test_a_tie_prefers_the_setting_that_tags_no_hard_negative(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(trainer, "F1_TIE", 2.5)
    p = np.array([0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5])
    gold = np.array([1, 1, 1, 1, 0, 1, 0, 0, 0, 0], dtype=bool)
    hard = np.array([0, 0, 0, 0, 1, 0, 0, 0, 0, 0], dtype=bool)
    add_at, _, _, f1, hard_tagged = trainer._thresholds(p, np.zeros(10, dtype=bool),
                                                        np.ones(10), gold, hard)
    assert hard_tagged == 0 and f1 == pytest.approx(200 * 4 / 9)
    assert 0.75 < add_at <= 0.8


def test_a_retrain_keeps_the_previous_thresholds_while_they_tie() -> None:
    p = np.array([0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5])
    gold = np.array([1, 1, 1, 1, 0, 1, 0, 0, 0, 0], dtype=bool)
    hard = np.zeros(10, dtype=bool)
    untagged, edge = np.zeros(10, dtype=bool), np.ones(10)
    # Adding at 0.69 finds all five for one false tag (F1 90.9); at 0.66 the same stories.
    kept = _thresholds(p, untagged, edge, gold, hard, previous=(0.66, 0.0, 2.0))
    assert kept[:3] == (0.66, 0.0, 2.0) and kept[3] == pytest.approx(200 * 5 / 11)
    # Adding at 0.51 also takes three more false tags (F1 71.4): beyond the tie, not kept.
    chosen = _thresholds(p, untagged, edge, gold, hard, previous=(0.51, 0.0, 2.0))
    assert 0.65 < chosen[0] <= 0.7 and chosen[3] == pytest.approx(200 * 5 / 11)


@pytest.mark.parametrize("content", [None, "{oops", '{"topics": {"police": {}}}', "[]"])
def test_no_readable_previous_model_means_no_previous_thresholds(
    tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / MODEL_FILE
    if content is not None:
        path.write_text(content, "utf-8")
    assert trainer.previous_thresholds(path) == {}


def test_the_shipped_model_gives_its_thresholds_to_the_next_retrain() -> None:
    shipped = json.loads((ROOT / "config" / MODEL_FILE).read_text("utf-8"))["topics"]
    found = trainer.previous_thresholds(ROOT / "config" / MODEL_FILE)
    assert set(found) == set(shipped)
    assert all(found[t][0] == shipped[t]["add_at"] for t in shipped)
