"""Topic queries: luqum parse trees compiled to matchers over an indexed article.

A matcher's ``hits`` returns ``None`` when the article does not match and otherwise the
hits that made it match: positive terms of the branches that are true (a ``NOT`` branch
contributes none, nor does a context clause boosted to zero, ``(…)^0``: it must match but
its words add nothing to the score). A hit is ``(field, first word, last word, term as
written)``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from luqum import tree
from luqum.exceptions import ParseError
from luqum.parser import parser

from flows.tagging.index import FIELDS, TEXT, TITLE, Doc
from flows.tagging.normalise import WORD_PATTERN, Analyzer

Hit = tuple[int, int, int, str]
_TERM_RE = re.compile(f"({WORD_PATTERN})(\\*?)")
_INNER_STAR = re.compile(r"\*\w")
_ALL_FIELDS: tuple[int, ...] = (TITLE, TEXT)
OPENED = 2  # the text's opening sentences only (index.OPENING): with the title, ``opening:``
_OPENING_FIELDS: tuple[int, ...] = (TITLE, OPENED)


class QueryError(ValueError):
    """A topic query that cannot be parsed or uses an unsupported construct; ``offset``:
    where in the query the problem is, when known."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


class Matcher:
    """``needs``: terms of which at least one must be in the article for a match (None: no
    such set, e.g. under NOT). Lets whole branches be skipped with one set test."""

    needs: frozenset[str] | None = None

    def hits(self, doc: Doc) -> list[Hit] | None:
        raise NotImplementedError


def hopeless(matcher: Matcher, doc: Doc) -> bool:
    return matcher.needs is not None and matcher.needs.isdisjoint(doc.present)


def _indexed(f: int) -> int:
    """The indexed field a query field reads (the opening is part of the text)."""
    return TEXT if f == OPENED else f


def _positions(doc: Doc, f: int, term: str) -> list[int]:
    indexed = _indexed(f)
    index = doc.fields[indexed]
    found = index.postings.get(term)
    if not found:
        return []
    if f == OPENED:
        found = [p for p in found if index.sentence_of[p] in index.opening]
    if doc.masks and doc.masks[indexed]:
        mask = doc.masks[indexed]
        return [p for p in found if p not in mask]
    return found


@dataclass(frozen=True)
class Term(Matcher):
    term: str
    label: str
    fields: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "needs", frozenset({self.term}))

    def hits(self, doc: Doc) -> list[Hit] | None:
        out = [(_indexed(f), p, p, self.label)
               for f in self.fields for p in _positions(doc, f, self.term)]
        return out or None


@dataclass(frozen=True)
class Phrase(Matcher):
    """Words in order (slop 0) or, with slop N, in any order at most N words apart.

    Neither form crosses a sentence boundary.
    """

    terms: tuple[str, ...]
    slop: int
    label: str
    fields: tuple[int, ...]
    _every: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "needs", frozenset(self.terms[:1]))
        object.__setattr__(self, "_every", frozenset(self.terms))

    def hits(self, doc: Doc) -> list[Hit] | None:
        if not self._every <= doc.present:  # a word missing from the story: no phrase
            return None
        out: list[Hit] = []
        for f in self.fields:
            lists = [_positions(doc, f, t) for t in self.terms]
            if not all(lists):
                continue
            sentence_of = doc.fields[_indexed(f)].sentence_of
            spans = self._exact(lists) if self.slop == 0 else self._near(lists)
            out.extend((_indexed(f), a, b, self.label) for a, b in spans
                       if sentence_of[a] == sentence_of[b])
        return out or None

    def _exact(self, lists: list[list[int]]) -> list[tuple[int, int]]:
        sets = [set(ps) for ps in lists[1:]]
        n = len(lists) - 1
        return [(p, p + n) for p in lists[0] if all(p + i + 1 in s for i, s in enumerate(sets))]

    def _near(self, lists: list[list[int]]) -> list[tuple[int, int]]:
        window = self.slop + len(lists) - 1
        spans: list[tuple[int, int]] = []
        for p in lists[0]:
            chosen = [p]
            for ps in lists[1:]:
                i = bisect.bisect_left(ps, p - window)
                nearest = [q for q in ps[i : i + 2 * window + 2] if abs(q - p) <= window]
                if not nearest:
                    break
                chosen.append(min(nearest, key=lambda q: abs(q - p)))
            else:
                if max(chosen) - min(chosen) <= window:
                    spans.append((min(chosen), max(chosen)))
        return spans


@dataclass(frozen=True)
class And(Matcher):
    children: tuple[Matcher, ...]

    def __post_init__(self) -> None:
        needing = [c.needs for c in self.children if c.needs is not None]
        object.__setattr__(self, "needs", min(needing, key=len) if needing else None)

    def hits(self, doc: Doc) -> list[Hit] | None:
        if any(hopeless(child, doc) for child in self.children):
            return None
        out: list[Hit] = []
        for child in self.children:
            found = child.hits(doc)
            if found is None:
                return None
            out.extend(found)
        return out


@dataclass(frozen=True)
class Or(Matcher):
    children: tuple[Matcher, ...]

    def __post_init__(self) -> None:
        needs = [c.needs for c in self.children]
        union = None if any(n is None for n in needs) else frozenset().union(*needs)
        object.__setattr__(self, "needs", union)

    def hits(self, doc: Doc) -> list[Hit] | None:
        out: list[Hit] = []
        matched = False
        for child in self.children:
            if hopeless(child, doc):
                continue
            found = child.hits(doc)
            if found is not None:
                matched = True
                out.extend(found)
        return out if matched else None


@dataclass(frozen=True)
class Not(Matcher):
    child: Matcher

    def hits(self, doc: Doc) -> list[Hit] | None:
        return [] if self.child.hits(doc) is None else None


@dataclass(frozen=True)
class Context(Matcher):
    """``(…)^0``: required context whose words are not hits (they do not score).

    Context reads the words an ``ignore`` phrase hid: "по данным полиции, задержаны трое"
    does not score the police, but it still says the police were there.
    """

    child: Matcher

    def __post_init__(self) -> None:
        object.__setattr__(self, "needs", self.child.needs)

    def hits(self, doc: Doc) -> list[Hit] | None:
        with doc.unmasked():
            return None if self.child.hits(doc) is None else []


@dataclass
class Compiled:
    """A compiled query and the keys and prefixes the article index must provide."""

    matcher: Matcher
    keys: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)


class _Compiler:
    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.keys: set[str] = set()
        self.prefixes: set[str] = set()

    def compile(self, node: tree.Item, fields: tuple[int, ...]) -> Matcher:
        if isinstance(node, tree.SearchField):
            return self.compile(node.expr, self._field(node.name, fields))
        if isinstance(node, (tree.Group, tree.FieldGroup)):
            return self.compile(node.expr, fields)
        if isinstance(node, tree.AndOperation):
            return And(tuple(self.compile(c, fields) for c in node.children))
        if isinstance(node, tree.OrOperation):
            return Or(tuple(self.compile(c, fields) for c in node.children))
        if isinstance(node, tree.UnknownOperation):
            return self._implicit(node, fields)
        if isinstance(node, (tree.Not, tree.Prohibit)):
            return Not(self.compile(node.a, fields))
        if isinstance(node, tree.Plus):
            return self.compile(node.a, fields)
        if isinstance(node, tree.Boost):
            return self._boost(node, fields)
        if isinstance(node, tree.Proximity):
            if not isinstance(node.term, tree.Phrase):
                raise QueryError(f"proximity needs a quoted phrase: {node}")
            return self._words(node.term.value.strip('"'), str(node), int(node.degree), fields)
        if isinstance(node, tree.Phrase):
            return self._words(node.value.strip('"'), node.value, 0, fields)
        if isinstance(node, tree.Word):
            return self._words(node.value, node.value, 0, fields)
        raise QueryError(f"unsupported query syntax ({type(node).__name__}): {node}")

    def _boost(self, node: tree.Boost, fields: tuple[int, ...]) -> Matcher:
        """Only ``^0`` (context that must match but does not score); other boosts would
        suggest weights the scoring does not have."""
        if float(node.force) != 0:
            raise QueryError(f"only ^0 (context) is supported as a boost: {node}")
        return Context(self.compile(node.expr, fields))

    def _field(self, name: str, fields: tuple[int, ...]) -> tuple[int, ...]:
        if name == "opening":
            wanted = _OPENING_FIELDS
        elif name in FIELDS:
            wanted = (FIELDS.index(name),)
        else:
            raise QueryError(f"unknown field {name!r}; use one of {', '.join(FIELDS)}, "
                             "opening")
        if fields != _ALL_FIELDS and fields != wanted:
            raise QueryError(f"field {name!r} nested inside another field")
        return wanted

    def _implicit(self, node: tree.UnknownOperation, fields: tuple[int, ...]) -> Matcher:
        """Juxtaposed clauses, as in Lucene: +must, -must_not, others should (OR)."""
        must = [self.compile(c.a, fields) for c in node.children if isinstance(c, tree.Plus)]
        must_not = [
            Not(self.compile(c.a, fields)) for c in node.children if isinstance(c, tree.Prohibit)
        ]
        should = [
            self.compile(c, fields)
            for c in node.children
            if not isinstance(c, (tree.Plus, tree.Prohibit))
        ]
        if not must and should:
            must.append(Or(tuple(should)))
        elif should:
            must.append(Or((*should, Not(Or(tuple(should))))))  # optional: hits if present
        return And(tuple(must + must_not))

    def _words(self, text: str, label: str, slop: int, fields: tuple[int, ...]) -> Matcher:
        text = text.replace("\\", "")
        parts = _TERM_RE.findall(text)
        rest = _TERM_RE.sub(" ", text)
        if not parts or "*" in rest or "?" in text or _INNER_STAR.search(text):
            raise QueryError(f"only words and trailing * wildcards are supported: {label!r}")
        terms = tuple(self._term(word, star == "*") for word, star in parts)
        if len(terms) == 1:
            return Term(terms[0], label, fields)
        return Phrase(terms, slop, label, fields)

    def _term(self, word: str, prefix: bool) -> str:
        form = self.analyzer.form(word)
        if prefix:
            self.prefixes.add(form)
            return form + "*"
        key = self.analyzer.key(form)
        self.keys.add(key)
        return key


def _position(source: str, offset: int) -> str:
    line = source.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - (source.rfind(chr(10), 0, offset) + 1) + 1}"


def unbalanced(source: str) -> QueryError | None:
    """A double quote not closed on its line, or an unbalanced parenthesis, in ``source``,
    said plainly (luqum's own message is about an illegal character or the end of input)."""
    opened: list[int] = []
    quote: int | None = None
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if quote is not None:
            if ch == "\n":  # a phrase stays on its line: else one missing quote pairs the
                break  # quotes after it wrongly, and the query still parses
            quote = None if ch == '"' else quote
        elif ch == '"':
            quote = i
        elif ch == "(":
            opened.append(i)
        elif ch == ")":
            if not opened:
                return QueryError(f"unbalanced parenthesis: the ')' at {_position(source, i)} "
                                  "of the query has no '(' before it", i)
            opened.pop()
        i += 1
    if quote is not None:
        return QueryError(f"unbalanced quote: the '\"' at {_position(source, quote)} of the "
                          "query is not closed on its line", quote)
    if opened:
        return QueryError(f"unbalanced parenthesis: the '(' at {_position(source, opened[-1])} "
                          "of the query is never closed", opened[-1])
    return None


def compile_query(source: str, analyzer: Analyzer) -> Compiled:
    """Parse ``source`` with luqum and compile it for ``analyzer``'s language."""
    problem = unbalanced(source)
    if problem:
        raise problem
    try:
        parsed = parser.parse(source)
    except (ParseError, TypeError, ValueError) as exc:
        raise QueryError(f"cannot parse query: {exc}") from exc
    compiler = _Compiler(analyzer)
    matcher = compiler.compile(parsed, _ALL_FIELDS)
    return Compiled(matcher, compiler.keys, compiler.prefixes)
