"""The topic tagger: compiled topic queries applied to one article's title and text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crawlers.language import TOPIC_LANGUAGES
from flows.tagging.borderline import BorderlineModel, decide, load_beside, on_edge
from flows.tagging.index import FIELDS, TEXT, TITLE, Doc, TermTable, Vocabulary, index_field
from flows.tagging.normalise import Analyzer
from flows.tagging.query import Hit, Matcher, Or, QueryError, compile_query, hopeless
from flows.tagging.topics import (
    TopicsConfigError,
    TopicSpec,
    in_file,
    load_topics,
    parse_topics,
)

ALL = "*"  # plan for articles of unknown language: every language's queries at once


@dataclass(frozen=True)
class Match:
    topic: str
    term: str
    surface: str
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class NearTerm:
    """A query term that matched in a story it did not tag, and the words it matched
    (without offsets: finding them costs a second pass over the text)."""

    term: str
    surface: str
    field: str


@dataclass
class TagResult:
    topics: list[str]
    matches: dict[str, list[Match]]
    scores: dict[str, float]
    # The borderline model's probability for each topic it decided (borderline.py).
    borderline: dict[str, float] = field(default_factory=dict)
    # Near misses: each topic whose query matched without tagging, with the terms that
    # matched (its score is in ``scores``; the model's probability, if it decided, in
    # ``borderline``), so that a monitor can check the stories a topic nearly got.
    near: dict[str, list[NearTerm]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Plan:
    topic: TopicSpec
    query: Matcher | None
    ignore: Matcher | None
    stricter: Matcher | None = None


def _combine(matchers: list[Matcher | None]) -> Matcher | None:
    present = [m for m in matchers if m is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else Or(tuple(present))


def _compile_language(
    topics: tuple[TopicSpec, ...], analyzer: Analyzer
) -> tuple[list[_Plan], Vocabulary]:
    """Every topic's query, ignore and stricter queries for one language, and what they
    look up."""
    keys: set[str] = set()
    prefixes: set[str] = set()

    def compile_all(sources: list[str], topic: str, kind: str) -> Matcher | None:
        matchers: list[Matcher | None] = []
        for source in sources:
            try:
                compiled = compile_query(source, analyzer)
            except QueryError as exc:
                raise TopicsConfigError(f"topic {topic} {kind} ({analyzer.lang}): {exc}; fix "
                                        "the query", source, exc.offset) from exc
            keys.update(compiled.keys)
            prefixes.update(compiled.prefixes)
            matchers.append(compiled.matcher)
        return _combine(matchers)

    plans = []
    for topic in topics:
        lang = analyzer.lang or ""
        query = compile_all(topic.sources(lang), topic.id, "query")
        ignore = [topic.ignore[lang]] if lang in topic.ignore else []
        stricter = topic.stricter.get(lang, [])
        plans.append(_Plan(topic, query, compile_all(ignore, topic.id, "ignore"),
                           compile_all(stricter, topic.id, "stricter")))
    return plans, Vocabulary(analyzer, frozenset(keys), frozenset(prefixes))


def _score(hits: list[Hit], doc: Doc, title_weight: float) -> float:
    """``title_weight`` if the title has a hit, plus one per text sentence with a hit."""
    sentence_of = doc.fields[TEXT].sentence_of
    sentences = {sentence_of[first] for f, first, _, _ in hits if f == TEXT}
    in_title = any(f == TITLE for f, _, _, _ in hits)
    return (title_weight if in_title else 0.0) + len(sentences)


def _tagged_by_lede(topic: TopicSpec, hits: list[Hit], doc: Doc, text: str | None) -> bool:
    """A hit in the lede of a brief (text of at most ``short_text`` characters), or of any
    text when the topic sets ``lede_tags``: the lede is the story there; a passing mention
    later in it is still not. The lede is the first sentence of some length and any short
    lines before it (a dateline, a menu line), within the opening (``FieldIndex.lede``)."""
    if not text or not (topic.lede_tags or (topic.short_text and len(text) <= topic.short_text)):
        return False
    index = doc.fields[TEXT]
    return any(f == TEXT and index.sentence_of[first] in index.lede for f, first, _, _ in hits)


def _is_stricter_kind(stricter: Matcher | None, doc: Doc) -> bool:
    """Whether the story is of a kind the topic's ``stricter`` queries name."""
    if stricter is None or hopeless(stricter, doc):
        return False
    with doc.unmasked():  # the topic's ignore masks are for its own words
        return stricter.hits(doc) is not None


def _tagged(plan: _Plan, hits: list[Hit], score: float, doc: Doc, text: str | None) -> bool:
    """Whether the topic's score (or a lede) is enough; in a story of one of the topic's
    ``stricter`` kinds only the stricter score is (the lede rules do not apply)."""
    if _is_stricter_kind(plan.stricter, doc):
        return score >= plan.topic.strict_score
    return score >= plan.topic.min_score or _tagged_by_lede(plan.topic, hits, doc, text)


def _near_terms(hits: list[Hit], doc: Doc) -> list[NearTerm]:
    """Each term that matched and the words it matched, once, in the story's order."""
    found = (NearTerm(term, " ".join(doc.fields[f].words[first:last + 1]), FIELDS[f])
             for f, first, last, term in sorted(hits))
    return list(dict.fromkeys(found))


def _model_lang(key: str) -> str | None:
    return None if key == ALL else key


def _masks(hits: list[Hit]) -> tuple[frozenset[int], frozenset[int]]:
    masked: tuple[set[int], set[int]] = (set(), set())
    for f, first, last, _ in hits:
        masked[f].update(range(first, last + 1))
    return frozenset(masked[TITLE]), frozenset(masked[TEXT])


class Tagger:
    """Tags articles with the topics of a topics.toml; see docs/TOPICS.md for the rules."""

    version: str
    path: Path | None = None  # the topics.toml it came from; places.toml sits beside it

    def __init__(self, topics: tuple[TopicSpec, ...], version: str,
                 model: BorderlineModel | None = None) -> None:
        # The version names what decides a tag: the queries, and the model when there is one.
        self.version = f"{version}+{model.version}" if model else version
        self.topics = topics
        self.model = model
        self._edges = model.edges if model else {}
        self._plans: dict[str, list[_Plan]] = {ALL: []}
        self._tables: dict[str, TermTable] = {}
        compiled = {lang: _compile_language(topics, Analyzer(lang)) for lang in TOPIC_LANGUAGES}
        for lang, (plans, vocabulary) in compiled.items():
            learn = model.columns_for(lang).learn if model else None
            self._tables[lang] = TermTable([vocabulary], learn)
            self._plans[lang] = [p for p in plans if p.query is not None]
        self._tables[ALL] = TermTable(vocabulary for _, vocabulary in compiled.values())
        for i, topic in enumerate(topics):
            query = _combine([compiled[lang][0][i].query for lang in TOPIC_LANGUAGES])
            ignore = _combine([compiled[lang][0][i].ignore for lang in TOPIC_LANGUAGES])
            stricter = _combine([compiled[lang][0][i].stricter for lang in TOPIC_LANGUAGES])
            if query is not None:
                self._plans[ALL].append(_Plan(topic, query, ignore, stricter))

    @classmethod
    def from_file(cls, path: Path, borderline: bool = True) -> Tagger:
        """The topics of ``path``, with the borderline model beside it unless told not to
        (``borderline=False``: the queries alone, as their rules are written)."""
        loaded = load_topics(path)
        model = load_beside(path) if borderline else None
        try:
            tagger = cls(loaded.topics, loaded.version, model)
        except TopicsConfigError as error:
            raise in_file(error, path, Path(path).read_bytes()) from None
        tagger.path = Path(path)
        return tagger

    @classmethod
    def from_text(cls, content: str) -> Tagger:
        loaded = parse_topics(content.encode("utf-8"))
        return cls(loaded.topics, loaded.version)

    @property
    def topic_ids(self) -> list[str]:
        return [t.id for t in self.topics]

    def plan_language(self, lang: str | None) -> str:
        """The language whose queries apply: ``ru`` for ``ru-RU``, ``*`` when unknown."""
        base = (lang or "").strip().lower().replace("_", "-").split("-")[0]
        return base if base in self._plans else ALL

    def tag(self, title: str, text: str, lang: str | None) -> TagResult:
        key = self.plan_language(lang)
        table = self._tables[key]
        doc = Doc((index_field(title or "", table), index_field(text or "", table)))
        result = TagResult([], {}, {t.id: 0.0 for t in self.topics})
        if doc.empty:
            return result
        probabilities: dict[str, float] | None = None  # the model's, computed when needed
        for plan in self._plans[key]:
            if plan.query is None or hopeless(plan.query, doc):
                continue
            doc.masks = None
            if plan.ignore is not None and not hopeless(plan.ignore, doc):
                ignored = plan.ignore.hits(doc)
                if ignored:
                    doc.masks = _masks(ignored)
            hits = plan.query.hits(doc)
            if hits is None:
                continue
            score = _score(hits, doc, plan.topic.title_weight)
            result.scores[plan.topic.id] = score
            tagged = _tagged(plan, hits, score, doc, text)
            edge = self._edges.get(plan.topic.id)
            if edge is not None and on_edge(edge, tagged, score):
                if probabilities is None:
                    assert self.model is not None  # an edge comes from the model
                    probabilities = self.model.probabilities(doc, _model_lang(key))
                probability = probabilities[plan.topic.id]
                result.borderline[plan.topic.id] = probability
                tagged = decide(edge, tagged, probability)
            if tagged:
                result.topics.append(plan.topic.id)
                result.matches[plan.topic.id] = self._matches(plan.topic.id, hits, doc)
            else:
                result.near[plan.topic.id] = _near_terms(hits, doc)
        return result

    @staticmethod
    def _matches(topic: str, hits: list[Hit], doc: Doc) -> list[Match]:
        """One match per stretch of text: hits inside a longer hit (a phrase) are dropped."""
        out: list[Match] = []
        covered: tuple[int, int, int] = (-1, -1, -1)  # field, first, last of the last kept
        for f, first, last, term in sorted(set(hits), key=lambda h: (h[0], h[1], -h[2], h[3])):
            if f == covered[0] and first >= covered[1] and last <= covered[2]:
                continue
            covered = (f, first, last)
            index = doc.fields[f]
            start, end = index.span(first, last)
            out.append(Match(topic, term, index.text[start:end], FIELDS[f], start, end))
        return out
