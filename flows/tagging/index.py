"""One article's fields tokenised once into postings of the terms the topic queries use."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from flows.tagging.normalise import TOKEN_RE, Analyzer

FIELDS: tuple[str, ...] = ("title", "text")
TITLE, TEXT = 0, 1
OPENING = 3  # sentences that open a story: stored pages often start on menu lines
LEDE_WORDS = 3  # the lede: the opening's first sentence of 3+ words, and the lines before it
_CACHE_LIMIT = 400_000
_HEAD = 3


@dataclass(frozen=True)
class Vocabulary:
    """What one language's compiled queries look up: word keys and prefix forms."""

    analyzer: Analyzer
    keys: frozenset[str]
    prefixes: frozenset[str]


class TermTable(dict[str, tuple[str, ...]]):
    """Cache from a surface token to the query terms it satisfies (usually none).

    A word satisfies its key when a query uses that key, and ``P*`` for every query prefix
    ``P`` its form starts with. Several vocabularies (one per language) may share a table.
    """

    def __init__(self, vocabularies: Iterable[Vocabulary],
                 on_new_word: Callable[[str, str], None] | None = None) -> None:
        super().__init__()
        self._vocabularies = tuple(vocabularies)
        # Told each new word and its form in the first vocabulary's language (the borderline
        # model's features): a new word's form is then worked out once, not twice.
        self._on_new_word = on_new_word
        self._lengths = tuple(
            tuple(sorted({len(p) for p in v.prefixes})) for v in self._vocabularies
        )
        # Stems are prefixes of the word's form: stem only words that start like a key.
        self._heads = tuple(frozenset(k[:_HEAD] for k in v.keys) for v in self._vocabularies)
        # Every query prefix is at least as long as the shortest: a word whose form does not
        # start like any of them (most words) needs no look at each length.
        self._prefix_heads = tuple(
            frozenset(p[: lengths[0]] for p in v.prefixes) if lengths else frozenset()
            for v, lengths in zip(self._vocabularies, self._lengths, strict=True)
        )

    def __missing__(self, surface: str) -> tuple[str, ...]:
        terms: list[str] = []
        for i, (vocabulary, lengths, heads, prefix_heads) in enumerate(
            zip(self._vocabularies, self._lengths, self._heads, self._prefix_heads, strict=True)
        ):
            form = vocabulary.analyzer.form(surface)
            if i == 0 and self._on_new_word is not None:
                self._on_new_word(surface, form)
            if len(form) <= _HEAD or form[:_HEAD] in heads:
                key = vocabulary.analyzer.key(form)
                if key in vocabulary.keys:
                    terms.append(key)
            if not lengths or form[: lengths[0]] not in prefix_heads:
                continue
            for n in lengths:
                if n > len(form):
                    break
                if form[:n] in vocabulary.prefixes:
                    terms.append(form[:n] + "*")
        found = tuple(dict.fromkeys(terms))
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[surface] = found
        return found


@dataclass
class FieldIndex:
    """Postings (term -> word positions) and sentence numbers of the words that matter;
    ``opening``: the numbers of the first ``OPENING`` sentences that have any word (blank
    lines and lone punctuation are no sentences)."""

    text: str
    postings: dict[str, list[int]]
    sentence_of: dict[int, int]
    opening: tuple[int, ...] = ()
    # Every token as read ("" at a sentence end): kept, not copied, for the borderline model.
    tokens: list[str] = field(default_factory=list, repr=False)
    _spans: list[tuple[int, int]] | None = field(default=None, repr=False)

    @cached_property
    def lede(self) -> frozenset[int]:
        """The opening's sentences up to its first of ``LEDE_WORDS`` words or more, so a
        dateline or menu line before it ("АСТАНА.", "Главная / Новости") comes along.
        Counted on demand: few texts are briefs or have a hit of a ``lede_tags`` topic."""
        if not self.opening:
            return frozenset()
        words = dict.fromkeys(self.opening, 0)
        sentence = 0
        for m in TOKEN_RE.finditer(self.text):
            if m.start(1) < 0:
                sentence += 1
                if sentence > self.opening[-1]:
                    break
            elif sentence in words:
                words[sentence] += 1
        lede: list[int] = []
        for number in self.opening:
            lede.append(number)
            if words[number] >= LEDE_WORDS:
                break
        return frozenset(lede)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets of words ``first``..``last`` in the field's text."""
        if self._spans is None:
            self._spans = [m.span(1) for m in TOKEN_RE.finditer(self.text) if m.start(1) >= 0]
        return self._spans[first][0], self._spans[last][1]


def index_field(text: str, table: TermTable) -> FieldIndex:
    postings: dict[str, list[int]] = {}
    sentence_of: dict[int, int] = {}
    opening: list[int] = []
    position = 0
    sentence = 0
    tokens = TOKEN_RE.findall(text)
    for word in tokens:
        if not word:
            sentence += 1
            continue
        if len(opening) < OPENING and (not opening or opening[-1] != sentence):
            opening.append(sentence)
        terms = table[word]
        if terms:
            sentence_of[position] = sentence
            for term in terms:
                if term in postings:
                    postings[term].append(position)
                else:
                    postings[term] = [position]
        position += 1
    return FieldIndex(text, postings, sentence_of, tuple(opening), tokens)


@dataclass
class Doc:
    """The indexed title and text, plus positions masked out for the current topic."""

    fields: tuple[FieldIndex, FieldIndex]
    masks: tuple[frozenset[int], frozenset[int]] | None = None
    present: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.present = self.fields[0].postings.keys() | self.fields[1].postings.keys()

    @property
    def empty(self) -> bool:
        return not self.present

    @contextmanager
    def unmasked(self) -> Iterator[None]:
        """Every position visible for a while: the ignore masks hide a topic's scoring
        words only, not the words context and story kinds read."""
        masks, self.masks = self.masks, None
        try:
            yield
        finally:
            self.masks = masks
