"""The second signal: a linear model that decides only the stories the queries leave on the
edge, so that every tag still shows the sentences and terms that carried it.

A story is on a topic's edge when the topic's query matched it but its score is below
what a tag needs (the model may add the tag), or when it is tagged with a score of at most
``drop_max_score`` (the model may drop it). Everything else the queries decide alone.

The model is TF-IDF of word prefixes (each word's normalised form, cut to ``prefix``
letters, as the queries see it) and a logistic regression per topic, trained on the tuning
set by ``python -m flows.tagging.train_borderline`` (docs/DECISIONS.md). At run time it is
a dictionary lookup per word: no library and no download.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from itertools import compress
from operator import mul
from pathlib import Path

from flows.tagging.index import CACHE_LIMIT, TEXT, TITLE, Doc, TermTable, index_field
from flows.tagging.normalise import Analyzer
from flows.tagging.topics import TopicsConfigError

MODEL_FILE = "borderline_model.json"  # beside topics.toml


@dataclass(frozen=True)
class Edge:
    """Where one topic's model acts: add at ``add_at`` or above, drop below ``drop_below``."""

    intercept: float
    add_at: float
    drop_below: float
    drop_max_score: float


def feature(form: str, prefix: int) -> str:
    """A word's feature: the first ``prefix`` letters of its form ("" for one letter)."""
    return form[:prefix] if len(form) > 1 else ""


def story(title: str, text: str) -> Doc:
    """A story's words as the tagger reads them, without its postings: for training."""
    table = TermTable([])
    return Doc((index_field(title, table), index_field(text, table)))


def features(doc: Doc, lang: str | None, prefix: int) -> Counter[str]:
    """The story's feature counts over its title's and text's words, as the tagger read
    them: what the model is trained on."""
    analyzer = Analyzer(lang)
    counts = Counter(feature(analyzer.form(w), prefix) for f in (TITLE, TEXT)
                     for w in doc.fields[f].tokens)
    counts.pop("", None)  # sentence ends, one-letter words
    return counts


class Columns(dict[str, int]):
    """Cache from a word of one language to the model's column for its feature (-1: none).
    The tagger's term table tells it each new word with its form (``learn``), so a word's
    form is worked out once; a word it was not told is worked out here."""

    def __init__(self, model: BorderlineModel, analyzer: Analyzer) -> None:
        super().__init__()
        self.analyzer = analyzer
        self._column, self._prefix = model.columns.get, model.prefix

    def learn(self, word: str, form: str) -> None:
        """Called for every new word of every story: the training's ``feature``, looked up."""
        if len(self) >= CACHE_LIMIT:
            self.clear()
        self[word] = self._column(feature(form, self._prefix), -1)

    def __missing__(self, word: str) -> int:
        self.learn(word, self.analyzer.form(word))
        return self[word]


class BorderlineModel:
    """Probabilities per topic for a story, from the model file's weights."""

    def __init__(self, data: dict, version: str) -> None:
        self.version = version
        self.prefix = int(data["prefix"])
        self.edges = {t: Edge(**edge) for t, edge in data["topics"].items()}
        terms = data["terms"]  # term: [idf, weight per topic]
        if any(len(entry) != len(self.edges) + 1 for entry in terms.values()):
            raise ValueError("a term without one weight per topic")
        self.columns = {term: i for i, term in enumerate(terms)}
        by_column = [list(column) for column in zip(*terms.values(), strict=True)]
        self.idf = by_column[0]
        # Per column, idf² (for the norm) and per topic idf × weight: a story's sums are then
        # lookups summed in C (``probabilities``).
        self._idf2 = [v * v for v in self.idf]
        self._topics = [(t, e.intercept, [v * w for v, w in zip(self.idf, weights, strict=True)])
                        for (t, e), weights in zip(self.edges.items(), by_column[1:], strict=True)]
        self._columns: dict[str | None, Columns] = {}

    @classmethod
    def from_file(cls, path: Path) -> BorderlineModel:
        try:
            content = Path(path).read_bytes()
            return cls(json.loads(content), hashlib.sha256(content).hexdigest()[:8])
        except OSError as exc:
            raise TopicsConfigError(f"{path}: cannot read it: {exc.strerror or exc}") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise TopicsConfigError(f"{path}: not a borderline model ({exc}); rebuild it with "
                                    "`make borderline-model` or delete it") from None

    def columns_for(self, lang: str | None) -> Columns:
        """The word cache of one language (one per model, shared by all its stories)."""
        columns = self._columns.get(lang)
        if columns is None:
            columns = self._columns[lang] = Columns(self, Analyzer(lang))
        return columns

    def probabilities(self, doc: Doc, lang: str | None) -> dict[str, float]:
        """Each topic's probability: logistic regression over the story's L2-normalised
        TF-IDF (sublinear tf: 1 + ln n) of the features the model knows."""
        columns = self.columns_for(lang)
        # Counting, lookups and sums run in C: Python runs only for a word not seen before.
        counts = Counter(map(columns.__getitem__, doc.fields[TITLE].tokens))
        counts.update(map(columns.__getitem__, doc.fields[TEXT].tokens))
        counts.pop(-1, None)
        # A feature seen n > 1 times weighs 1 + ln n: its ln n is added on top of the 1.
        repeated = list(compress(counts, map((1).__lt__, counts.values())))
        logs = list(map(math.log, map(counts.__getitem__, repeated)))
        idf2 = self._idf2.__getitem__
        squares = [2 * v + v * v for v in logs]  # (1 + ln n)² - 1
        norm2 = sum(map(idf2, counts)) + sum(map(mul, map(idf2, repeated), squares))
        norm = math.sqrt(norm2) or 1.0
        probabilities = {}
        for topic, intercept, weights in self._topics:
            weight = weights.__getitem__
            z = sum(map(weight, counts)) + sum(map(mul, map(weight, repeated), logs))
            probabilities[topic] = _logistic(intercept + z / norm)
        return probabilities


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def on_edge(edge: Edge, tagged: bool, score: float) -> bool:
    """Whether the model decides this topic for this story (a threshold out of 0..1 is off)."""
    if tagged:
        return edge.drop_below > 0 and score <= edge.drop_max_score
    return edge.add_at <= 1 and score > 0


def decide(edge: Edge, tagged: bool, probability: float) -> bool:
    """The tag on the edge: added when the model is sure enough, dropped when it doubts."""
    return probability >= edge.add_at if not tagged else probability >= edge.drop_below


def load_beside(topics_file: Path) -> BorderlineModel | None:
    path = Path(topics_file).parent / MODEL_FILE
    return BorderlineModel.from_file(path) if path.exists() else None
