"""One article's fields tokenised once into postings of the terms the topic queries use."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, compress, islice
from operator import methodcaller, not_

from flows.tagging.normalise import TOKEN_RE, UNPREFIXED_STEMS, Analyzer

FIELDS: tuple[str, ...] = ("title", "text")
TITLE, TEXT = 0, 1
OPENING = 3  # sentences that open a story: stored pages often start on menu lines
LEDE_WORDS = 3  # the lede: the opening's first sentence of 3+ words, and the lines before it
CACHE_LIMIT = 400_000  # words a per-word cache keeps before it starts again
_HEAD = 3
_WORD_SPAN = methodcaller("span", 1)


@dataclass(frozen=True)
class Vocabulary:
    """What one language's compiled queries look up: word keys and prefix forms."""

    analyzer: Analyzer
    keys: frozenset[str]
    prefixes: frozenset[str]


class _Reader:
    """What one vocabulary looks up for a new word: its key, and its query prefixes."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.form = vocabulary.analyzer.form
        self.key = vocabulary.analyzer.key
        self.keys = vocabulary.keys
        self.prefixes = vocabulary.prefixes
        # Stems are prefixes of the word's form: stem only words that start like a key
        # (its first letters, or the whole of a two-letter key: "going" is "go"; no longer
        # word stems to one letter).
        self.heads = frozenset(k[:_HEAD] for k in vocabulary.keys)
        self.short_keys = frozenset(k for k in vocabulary.keys if len(k) == _HEAD - 1)
        self.irregular = frozenset(w for w in UNPREFIXED_STEMS if self.key(w) in vocabulary.keys)
        self.shortest = min(map(len, vocabulary.prefixes), default=0)
        # Every start of a query prefix: a word's form is read one letter longer only while
        # it still starts like one of them (most words leave after two or three letters).
        self.starts = frozenset(
            p[:n] for p in vocabulary.prefixes for n in range(self.shortest, len(p) + 1)
        )

    def terms(self, form: str) -> list[str]:
        terms: list[str] = []
        if (len(form) <= _HEAD or form[:_HEAD] in self.heads or form[:2] in self.short_keys
                or form in self.irregular):
            key = self.key(form)
            if key in self.keys:
                terms.append(key)
        if self.shortest:
            for n in range(self.shortest, len(form) + 1):
                start = form[:n]
                if start not in self.starts:
                    break
                if start in self.prefixes:
                    terms.append(start + "*")
        return terms


class TermTable(dict[str, tuple[str, ...]]):
    """Cache from a surface token to the query terms it satisfies (usually none).

    A word satisfies its key when a query uses that key, and ``P*`` for every query prefix
    ``P`` its form starts with. Several vocabularies (one per language) may share a table.
    """

    def __init__(self, vocabularies: Iterable[Vocabulary],
                 on_new_word: Callable[[str, str], None] | None = None) -> None:
        super().__init__()
        self._readers = tuple(_Reader(v) for v in vocabularies)
        # Told each new word and its form (the borderline model's features): a new word's
        # form is then worked out once, not twice. A table of one language only.
        if on_new_word is not None and len(self._readers) != 1:
            raise ValueError("on_new_word needs a table of exactly one vocabulary")
        self._on_new_word = on_new_word
        self[""] = ()  # a sentence end: among the tokens, never a word

    def __missing__(self, surface: str) -> tuple[str, ...]:
        readers = self._readers
        if len(readers) == 1:  # one language: the tagger's usual table, kept lean
            form = readers[0].form(surface)
            if self._on_new_word is not None:
                self._on_new_word(surface, form)
            found = tuple(readers[0].terms(form))
        else:  # every language: their terms, each once
            found = tuple(dict.fromkeys(
                t for reader in readers for t in reader.terms(reader.form(surface))
            ))
        if len(self) >= CACHE_LIMIT:
            self.clear()
            self[""] = ()
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
    # Every token as read ("" at a sentence end): kept, not copied, for the borderline model
    # and for the words' offsets.
    tokens: list[str] = field(default_factory=list, repr=False)
    # The words' character offsets, found on demand as far as a match needs them.
    _spans: list[tuple[int, int]] = field(default_factory=list, repr=False)
    _unread: Iterator[tuple[int, int]] | None = field(default=None, repr=False)

    @cached_property
    def words(self) -> list[str]:
        """The words as read, by position (the postings' numbers): sentence ends left out."""
        return list(filter(None, self.tokens))

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
        if self._unread is None:  # a word's offsets: its match's, sentence ends skipped
            self._unread = compress(map(_WORD_SPAN, TOKEN_RE.finditer(self.text)), self.tokens)
        if last >= len(self._spans):
            self._spans.extend(islice(self._unread, last + 1 - len(self._spans)))
        return self._spans[first][0], self._spans[last][1]


def index_field(text: str, table: TermTable) -> FieldIndex:
    tokens = TOKEN_RE.findall(text)
    # Lookups, counting and skipping run in C; Python runs only for the words with terms.
    found = list(map(table.__getitem__, tokens))
    # Per token, the sentence ends up to it: a word's sentence number, and (taken from the
    # token's index) its position among the words.
    ends = list(accumulate(map(not_, tokens)))
    postings: dict[str, list[int]] = {}
    sentence_of: dict[int, int] = {}
    for i in compress(range(len(tokens)), found):
        sentence = ends[i]
        position = i - sentence
        sentence_of[position] = sentence
        for term in found[i]:
            if term in postings:
                postings[term].append(position)
            else:
                postings[term] = [position]
    return FieldIndex(text, postings, sentence_of, _opening(tokens, ends), tokens)


def _opening(tokens: list[str], ends: list[int]) -> tuple[int, ...]:
    """The numbers of the first ``OPENING`` sentences that have a word."""
    opening: list[int] = []
    for word, sentence in zip(tokens, ends, strict=True):
        if word and (not opening or opening[-1] != sentence):
            opening.append(sentence)
            if len(opening) == OPENING:
                break
    return tuple(opening)


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
