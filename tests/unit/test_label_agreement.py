"""How exact the held-out figures are: two labellers' agreement, and F1's bootstrap interval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.tagging.agreement import Agreement, agreement, format_markdown, read_labels, settled
from flows.tagging.evaluate import Counts, Outcome, f1_interval, write_figures
from tests.helpers import ROOT

LABELS = ROOT / "tests/data/real_holdout_labels.jsonl"
AUDIT = ROOT / "tests/data/real_tune_audit.jsonl"


def test_kappa_discounts_the_agreement_two_labellers_reach_by_chance() -> None:
    # 50 pages: 20 both, 5 first only, 10 second only, 15 neither. Observed agreement
    # 0.7; by chance 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa (0.7 - 0.5) / (1 - 0.5) = 0.4.
    assert abs(Agreement(Counts(tp=20, fp=10, fn=5), neither=15).kappa - 0.4) < 1e-9
    assert Agreement(Counts(tp=7), neither=3).kappa == 1.0


def test_agreement_and_settlement_count_each_labeller_apart() -> None:
    rows = [
        {"first": ["police"], "second": ["police"], "final": ["police"]},
        {"first": [], "second": ["police"], "final": ["police"]},
        {"first": ["protest", "torture"], "second": ["protest"], "final": ["protest", "torture"]},
        {"first": ["torture"], "second": ["police"], "final": []},
    ]
    police = agreement(rows)["police"].counts
    assert (police.tp, police.fp, police.fn) == (1, 2, 0)
    assert (agreement(rows)["torture"].counts.fn, agreement(rows)["torture"].neither) == (2, 2)
    assert settled(rows) == {"first": 1, "second": 1, "neither": 1}


def test_the_held_out_set_carries_the_settled_labels_of_every_page() -> None:
    held_out = [json.loads(line) for line in (ROOT / "tests/data/real_holdout.jsonl").open()]
    labels = read_labels(LABELS)
    assert [r["id"] for r in held_out] == [r["id"] for r in labels]
    for page, label in zip(held_out, labels, strict=True):
        assert sorted(page["topics"]) == label["final"], page["id"]
        if label["first"] == label["second"]:
            assert label["final"] == label["first"] and "reason" not in label
        else:
            assert label["reason"], page["id"]  # every settled disagreement says why


def test_the_tuning_set_carries_the_settled_labels_of_every_audited_page() -> None:
    """Tuning pages labelled a second time (tests/data/real_tune_audit.jsonl) train and
    score with their settled labels, and a random share of them was picked for the check."""
    tuning = {r["id"]: r for r in map(json.loads, (ROOT / "tests/data/real_tune.jsonl").open())}
    audit = read_labels(AUDIT)
    assert {a["picked"] for a in audit} == {"tagger-disagreed", "random", "round-32", "round-33",
                                            "round-34", "round-35", "round-36"}
    for label in audit:
        page = tuning[label["id"]]
        assert page["url"] == label["url"]
        assert sorted(page["topics"]) == sorted(label["final"]), label["id"]
        if label["first"] == label["second"]:
            assert label["final"] == label["first"] and "reason" not in label
        else:
            assert label["reason"], label["id"]


@pytest.mark.parametrize(("labels", "block"), [(LABELS, "label-agreement"),
                                                (AUDIT, "tune-audit")])
def test_published_agreement_is_that_of_the_labels_file(
    tmp_path: Path, labels: Path, block: str
) -> None:
    """`make tag-figures` writes the table; a changed label must come with it."""
    doc = ROOT / "docs/TOPICS.md"
    copy = tmp_path / "TOPICS.md"
    copy.write_text(doc.read_text("utf-8"), "utf-8")
    write_figures(copy, format_markdown(read_labels(labels)), block=block)
    assert copy.read_text("utf-8") == doc.read_text("utf-8")


def test_f1_interval_brackets_the_figure_and_is_reproducible() -> None:
    right = [Outcome("ru", frozenset({"police"}), frozenset({"police"}))] * 30
    wrong = [Outcome("ru", frozenset({"police"}), frozenset()),
             Outcome("ru", frozenset(), frozenset({"police"}))] * 5
    assert f1_interval(right, ["police"]) == (1.0, 1.0)
    low, high = f1_interval(right + wrong, ["police"]) or (0.0, 0.0)
    assert low < 60 / 70 < high < 1.0  # the set's own F1 is 2*30 / (2*30 + 5 + 5)
    assert f1_interval(right + wrong, ["police"]) == (low, high)
    assert f1_interval([Outcome("tg", frozenset(), frozenset())] * 9, ["police"]) is None
