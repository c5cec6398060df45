"""Train the borderline model (borderline.py) on the tuning set, and on any monitors'
corrections given too, and write it beside topics.toml. Needs scikit-learn, which only
training uses: `make borderline-model [CORRECTIONS=corrections.jsonl]`.

Per topic: TF-IDF of word prefixes and a class-weighted logistic regression, in which a
hard negative (a story marked ``hard_negative`` that lacks the topic) weighs double. The
thresholds (add at, drop below, and the highest score a dropped tag may have) come from
out-of-fold probabilities of a 5-fold cross-validation on the training stories: of those
within ``F1_TIE`` of the best F1, the ones that tag the fewest hard negatives; a threshold
that does not pay there stays off. A retrain keeps the thresholds of the model it replaces
while they still tie (``--fresh-thresholds`` chooses anew), so that a few more stories do
not flip tags for nothing. The held-out set is never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from flows.tagging.borderline import MODEL_FILE, features, story
from flows.tagging.evaluate import read_labelled
from flows.tagging.tagger import Tagger, TagResult
from flows.tagging.topics import TopicsConfigError, load_topics

PREFIX = 5  # letters of each word's form: a stem for the agglutinative languages too
MIN_DF = 5  # a prefix seen in fewer tuning stories says nothing general
C = 4.0  # inverse regularisation, as measured in docs/DECISIONS.md
# Tags of at most this score may be dropped (2: one title hit or two sentences); the
# cross-validation picks the bound, the smallest of equals.
DROP_MAX_SCORES = (2.0, 3.0, 4.0)
ADD_GRID = [2.0, *np.round(np.linspace(0.30, 0.99, 24), 3)]  # 2.0: never add
DROP_GRID = [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5]  # 0.0: never drop
# Cross-validated F1 this close to the best is a tie (five fold seeds move the optimum by
# 0.6); of tied thresholds, those tagging the fewest hard negatives win (docs/DECISIONS.md).
F1_TIE = 0.25
HARD_NEGATIVE_WEIGHT = 2.0  # a hard negative's weight in the regression
CHECKS = 12  # stories whose probabilities the model file carries, to test the runtime


def _elements(counts: Counter[str]) -> list[str]:
    return list(counts.elements())


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=_elements, min_df=MIN_DF, sublinear_tf=True)


def _classifier() -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced")


def _f1(predicted: np.ndarray, gold: np.ndarray) -> float:
    tp = int((predicted & gold).sum())
    wrong = int((predicted ^ gold).sum())
    return 200 * tp / max(2 * tp + wrong, 1)


def _band(p: np.ndarray, tagged: np.ndarray, score: np.ndarray, add_at: float,
          drop_below: float, drop_max_score: float) -> np.ndarray:
    drop = tagged & (score <= drop_max_score) & (p < drop_below)
    add = ~tagged & (score > 0) & (p >= add_at)
    return (tagged & ~drop) | add


def _out_of_fold(docs: list[Counter[str]], gold: np.ndarray, weight: np.ndarray) -> np.ndarray:
    probabilities = np.zeros(len(docs))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, test in folds.split(np.zeros(len(docs)), gold):
        vectorizer = _vectorizer()
        x = vectorizer.fit_transform([docs[i] for i in train])
        model = _classifier().fit(x, gold[train], sample_weight=weight[train])
        held_out = vectorizer.transform([docs[i] for i in test])
        probabilities[test] = model.predict_proba(held_out)[:, 1]
    return probabilities


Setting = tuple[float, float, float]  # add_at, drop_below, drop_max_score


def _thresholds(p: np.ndarray, tagged: np.ndarray, score: np.ndarray, gold: np.ndarray,
                hard: np.ndarray, previous: Setting | None = None
                ) -> tuple[float, float, float, float, int]:
    """(add_at, drop_below, drop_max_score) tied with the best cross-validated F1: the
    ``previous`` setting if it ties, else those that tag the fewest hard negatives (off wins
    ties, then the smaller bound); with their F1 and the hard negatives they tag."""
    hard_negative = hard & ~gold
    settings: list[Setting] = [(2.0, 0.0, DROP_MAX_SCORES[0])]  # off
    settings += [(float(a), d, m) for m in DROP_MAX_SCORES for a in ADD_GRID for d in DROP_GRID]
    if previous is not None:
        settings.insert(0, previous)
    found = []
    for add_at, drop_below, drop_max_score in settings:
        tags = _band(p, tagged, score, add_at, drop_below, drop_max_score)
        found.append((_f1(tags, gold), int((tags & hard_negative).sum())))
    best = max(f1 for f1, _ in found)
    tied = [i for i, (f1, _) in enumerate(found) if f1 >= best - F1_TIE - 1e-9]
    if previous is not None and 0 in tied:  # the previous setting is the first
        chosen = 0
    else:  # fewest hard negatives, then the best F1, then the first (off, smaller bounds)
        chosen = min(tied, key=lambda i: (found[i][1], -found[i][0], i))
    return (*settings[chosen], *found[chosen])


def _g(x: float) -> float:
    return float(f"{x:.6g}")


class TrainingInputError(Exception):
    """A labelled file that cannot be trained on; nothing is written."""


def _labelled(files: list[Path]) -> tuple[list[dict], list[dict]]:
    """Every labelled story of ``files``, and what each file was (path, hash, stories)."""
    rows: list[dict] = []
    sources: list[dict] = []
    errors: list[str] = []
    for path in files:
        try:
            found, bad = read_labelled(path, f"{path}: ")
        except (OSError, UnicodeDecodeError) as exc:
            raise TrainingInputError(f"{path}: cannot read it ({exc}); give a JSON-lines "
                                     "file of labelled stories") from None
        errors += bad
        rows += found
        sources.append({"path": str(path), "sha256": _sha256(path), "stories": len(found)})
    if errors:
        raise TrainingInputError("\n".join(errors) + "\nmend or remove these lines; nothing "
                                 "was written")
    return rows, sources


def _fit_topic(topic: str, rows: list[dict], results: list[TagResult], hard: np.ndarray,
               docs: list[Counter[str]], x: Any, previous: Setting | None
               ) -> tuple[LogisticRegression, dict, str]:
    """One topic's regression on every story, its edge from the cross-validation, and a
    line saying what the edge gains there."""
    gold = np.array([topic in r["topics"] for r in rows])
    hard_negative = hard & ~gold  # a hard case that lacks this topic
    weight = np.where(hard_negative, HARD_NEGATIVE_WEIGHT, 1.0)
    tagged = np.array([topic in res.topics for res in results])
    score = np.array([res.scores[topic] for res in results])
    p = _out_of_fold(docs, gold, weight)
    add_at, drop_below, drop_max_score, f1, hard_tagged = _thresholds(p, tagged, score, gold,
                                                                      hard, previous)
    model = _classifier().fit(x, gold, sample_weight=weight)
    edge = {"intercept": _g(model.intercept_[0]), "add_at": add_at, "drop_below": drop_below,
            "drop_max_score": drop_max_score}
    said = (f"{topic}: cross-validated F1 {_f1(tagged, gold):.1f} (queries) -> {f1:.1f} (add "
            f"at {add_at:g}, drop below {drop_below:g} up to score {drop_max_score:g}); hard "
            f"negatives tagged {int((tagged & hard_negative).sum())} -> {hard_tagged}")
    if previous is not None and (add_at, drop_below, drop_max_score) == previous:
        said += "; the previous model's thresholds, still tied with the best"
    return model, edge, said


def previous_thresholds(model_file: Path) -> dict[str, Setting]:
    """Each topic's thresholds in the model file a retrain replaces; none if there is no
    readable model file."""
    try:
        topics = json.loads(model_file.read_text("utf-8"))["topics"]
        return {t: (float(e["add_at"]), float(e["drop_below"]), float(e["drop_max_score"]))
                for t, e in topics.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def train(files: list[Path], topics_file: Path, progress: Callable[[str], None] = print,
          previous: dict[str, Setting] | None = None) -> dict:
    """The model trained on the stories of ``files`` (the tuning set first, then any
    monitors' corrections from `steppewatch feedback export`); ``previous``: the thresholds
    to keep per topic while they tie with the best."""
    rows, sources = _labelled(files)
    rows = [{**r, "title": r.get("title") or "", "lang": r.get("lang"),
             "topics": r.get("topics") or []} for r in rows]
    loaded = load_topics(topics_file)
    queries = Tagger(loaded.topics, loaded.version)  # the queries alone, without a model
    docs = [features(story(r["title"], r["text"]), r["lang"], PREFIX) for r in rows]
    results = [queries.tag(r["title"], r["text"], r["lang"]) for r in rows]
    hard = np.array([bool(r.get("hard_negative")) for r in rows])
    vectorizer = _vectorizer()
    x = vectorizer.fit_transform(docs)
    models, edges = [], {}
    for topic in queries.topic_ids:
        model, edges[topic], said = _fit_topic(topic, rows, results, hard, docs, x,
                                               (previous or {}).get(topic))
        models.append(model)
        progress(said)
    terms = {term: [_g(vectorizer.idf_[i]), *(_g(m.coef_[0][i]) for m in models)]
             for term, i in vectorizer.vocabulary_.items()}
    first = sources[0]["stories"]  # checks name lines of the first file
    checks = [{"row": i, "topic": t, "probability": _g(m.predict_proba(x[i])[0, 1])}
              for i in range(0, first, max(1, first // CHECKS))[:CHECKS]
              for t, m in zip(edges, models, strict=True)]
    return {"trained_on": sources, "topics_version": loaded.version, "prefix": PREFIX,
            "topics": edges, "checks": checks, "terms": terms}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(model: dict, out: Path) -> None:
    """One check and one term per line, terms sorted: a retrained model diffs by the terms
    that moved."""
    checks, terms = model.pop("checks"), model.pop("terms")
    head = json.dumps(model, ensure_ascii=False, indent=2)[:-2]
    check_lines = [f"    {json.dumps(c)}" for c in checks]
    term_lines = [f"    {json.dumps(term, ensure_ascii=False)}: {json.dumps(terms[term])}"
                  for term in sorted(terms)]
    out.write_text(f'{head},\n  "checks": [\n' + ",\n".join(check_lines) + '\n  ],\n'
                   '  "terms": {\n' + ",\n".join(term_lines) + "\n  }\n}\n", "utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tuning", type=Path, action="append",
                        help="labelled JSON lines; again for more files (default: the tuning "
                             "set). The first file's lines are the model's checks.")
    parser.add_argument("--topics", type=Path, default=Path("config/topics.toml"))
    parser.add_argument("--fresh-thresholds", action="store_true",
                        help="choose every threshold anew, not keeping the replaced model's "
                             "while they tie with the best")
    args = parser.parse_args(argv)
    out = args.topics.parent / MODEL_FILE
    previous = {} if args.fresh_thresholds else previous_thresholds(out)
    try:
        model = train(args.tuning or [Path("tests/data/real_tune.jsonl")], args.topics,
                      lambda line: print(line, file=sys.stderr), previous)
    except (TrainingInputError, TopicsConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    write(model, out)
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
