"""Training the borderline model on a sample of the tuning set, with monitors' corrections."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows.tagging.borderline import MODEL_FILE, BorderlineModel, story
from flows.tagging.tagger import Tagger
from flows.tagging.train_borderline import main

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
