"""Search queries: the Lucene syntax of the topic queries, compiled to a tantivy query.

    police AND (пытки OR torture) -title:football "сотрудники милиции" пытк* lang:ru
    "пытали милиции"~3   пытали NEAR/3 милиции   outlet:kloop   country:KG   topic:torture

Words and phrases look in title and text (``title:`` or ``text:`` for one of them); each
word becomes its term in every language that writes its script (warehouse/terms.py), so
inflected forms and the other script of Uzbek match. ``word*`` matches terms starting with
the word's folded form. Juxtaposed words must all match (``any_term``: any of them).
``outlet:``, ``lang:``, ``country:`` and ``topic:`` compare whole values. The parser is
luqum, as for topic queries (flows/tagging/query.py), whose syntax errors this reuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tantivy
from luqum import tree
from luqum.exceptions import ParseError
from luqum.parser import parser

from flows.tagging.query import QueryError, unbalanced
from warehouse.search_index import SCHEMA, TEXT_FIELDS, keyword
from warehouse.terms import (
    CYRILLIC_LANGUAGES,
    LATIN_LANGUAGES,
    fold,
    query_terms,
    term,
    words,
)

TITLE_BOOST = 2.0  # a word in the title says more about the story than one in the text
NEAR_DEFAULT = 5
_NEAR = re.compile(r'(\S+)\s+NEAR(?:/(\d+))?\s+(\S+)')
_KEYWORDS = {"outlet": "outlet", "lang": "lang", "language": "lang", "country": "country",
             "topic": "topic"}
_Occur = tantivy.Occur
__all__ = ["Compiled", "QueryError", "compile_search"]


@dataclass
class Compiled:
    """The tantivy query and what a snippet marks: the terms and prefixes it looks for."""

    query: tantivy.Query
    terms: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)


def _near_to_proximity(source: str) -> str:
    """``a NEAR b`` and ``a NEAR/N b`` as the phrase ``"a b"~N``."""
    return _NEAR.sub(lambda m: f'"{m.group(1)} {m.group(3)}"~{m.group(2) or NEAR_DEFAULT}',
                     source)


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _languages(text: str, languages: tuple[str, ...] | None) -> tuple[str, ...]:
    script = CYRILLIC_LANGUAGES if _is_cyrillic(text) else LATIN_LANGUAGES
    chosen = tuple(lang for lang in script if languages is None or lang in languages)
    return chosen or script


def _any(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(_Occur.Should, q) for q in queries])


class _Compiler:
    def __init__(self, languages: tuple[str, ...] | None, any_term: bool) -> None:
        self.languages = languages
        self.any_term = any_term
        self.terms: set[str] = set()
        self.prefixes: set[str] = set()

    def compile(self, node: tree.Item, fields: tuple[str, ...]) -> tantivy.Query:
        if isinstance(node, tree.SearchField):
            return self._field(node, fields)
        if isinstance(node, (tree.Group, tree.FieldGroup)):
            return self.compile(node.expr, fields)
        if isinstance(node, tree.AndOperation):
            return self._bool([(_Occur.Must, self.compile(c, fields)) for c in node.children])
        if isinstance(node, tree.OrOperation):
            return _any([self.compile(c, fields) for c in node.children])
        if isinstance(node, tree.UnknownOperation):
            return self._implicit(node, fields)
        if isinstance(node, (tree.Not, tree.Prohibit)):
            return self._bool([(_Occur.MustNot, self.compile(node.a, fields))])
        if isinstance(node, tree.Plus):
            return self.compile(node.a, fields)
        if isinstance(node, tree.Proximity):
            if not isinstance(node.term, tree.Phrase):
                raise QueryError(f"proximity needs a quoted phrase: {node}")
            return self._text(node.term.value.strip('"'), int(node.degree or 0), fields)
        if isinstance(node, tree.Phrase):
            return self._text(node.value.strip('"'), 0, fields)
        if isinstance(node, tree.Word):
            return self._text(node.value, 0, fields)
        raise QueryError(f"unsupported query syntax ({type(node).__name__}): {node}")

    def _bool(self, clauses: list[tuple[tantivy.Occur, tantivy.Query]]) -> tantivy.Query:
        if all(occur == _Occur.MustNot for occur, _ in clauses):  # NOT x alone: all but x
            clauses = [(_Occur.Must, tantivy.Query.all_query()), *clauses]
        return tantivy.Query.boolean_query(clauses)

    def _implicit(self, node: tree.UnknownOperation, fields: tuple[str, ...]) -> tantivy.Query:
        """Juxtaposed clauses: all must match (any of them with any_term); +x must, -x must
        not, whatever the default."""
        usual = _Occur.Should if self.any_term else _Occur.Must
        clauses = []
        for child in node.children:
            if isinstance(child, tree.Prohibit):
                clauses.append((_Occur.MustNot, self.compile(child.a, fields)))
            elif isinstance(child, tree.Plus):
                clauses.append((_Occur.Must, self.compile(child.a, fields)))
            else:
                clauses.append((usual, self.compile(child, fields)))
        return self._bool(clauses)

    def _field(self, node: tree.SearchField, fields: tuple[str, ...]) -> tantivy.Query:
        name = node.name.casefold()
        if name in TEXT_FIELDS:
            if fields != TEXT_FIELDS and fields != (name,):
                raise QueryError(f"field {name!r} nested inside another field")
            return self.compile(node.expr, (name,))
        if name in _KEYWORDS:
            return self._keyword(_KEYWORDS[name], node.expr)
        raise QueryError(f"unknown field {node.name!r}; use one of title, text, outlet, "
                         "lang, country, topic")

    def _keyword(self, name: str, expr: tree.Item) -> tantivy.Query:
        if isinstance(expr, (tree.Group, tree.FieldGroup)):
            return self._keyword(name, expr.expr)
        if isinstance(expr, tree.OrOperation):
            return _any([self._keyword(name, c) for c in expr.children])
        if not isinstance(expr, (tree.Word, tree.Phrase)):
            raise QueryError(f"{name}: takes a value or (a OR b), not {expr}")
        return keyword_query(name, expr.value.strip('"'))

    def _text(self, text: str, slop: int, fields: tuple[str, ...]) -> tantivy.Query:
        text = text.replace("\\", "")
        if "*" in text:
            return self._prefix(text, fields)
        if "?" in text:
            raise QueryError(f"only trailing * wildcards are supported: {text!r}")
        found = [w for w, _start, _end in words(text)]
        if not found:
            raise QueryError(f"nothing to search for in {text!r}")
        if len(found) == 1:
            return self._word(found[0], fields)
        return self._phrase(found, slop, fields)

    def _word(self, word: str, fields: tuple[str, ...]) -> tantivy.Query:
        variants = query_terms(word, self.languages)
        self.terms.update(variants)
        return _any([_boost(tantivy.Query.term_query(SCHEMA, f, t), f)
                     for f in fields for t in variants])

    def _phrase(self, found: list[str], slop: int, fields: tuple[str, ...]) -> tantivy.Query:
        """The phrase in each language of its script: the words' terms in one language."""
        options = []
        for lang in _languages(" ".join(found), self.languages):
            terms = [term(w, lang) for w in found]
            self.terms.update(terms)
            options += [_boost(tantivy.Query.phrase_query(SCHEMA, f, terms, slop=slop), f)
                        for f in fields]
        return _any(options)

    def _prefix(self, text: str, fields: tuple[str, ...]) -> tantivy.Query:
        stem, star, rest = text.partition("*")
        if rest.strip() or len(list(words(stem))) != 1:
            raise QueryError(f"a wildcard ends a single word: {text!r}")
        word = stem.strip()
        forms = {fold(word, lang) for lang in _languages(word, self.languages)}
        self.prefixes.update(forms)
        # A stem may be shorter than the prefix (пытал* and the stem пыта of пытали): the
        # prefix's own terms match too.
        return _any([tantivy.Query.regex_query(SCHEMA, f, re.escape(form) + ".*")
                     for f in fields for form in sorted(forms)] + [self._word(word, fields)])


def _boost(query: tantivy.Query, name: str) -> tantivy.Query:
    return tantivy.Query.boost_query(query, TITLE_BOOST) if name == "title" else query


def keyword_query(name: str, value: str) -> tantivy.Query:
    """A filter on one value of a keyword field, adding nothing to the score."""
    return tantivy.Query.const_score_query(
        tantivy.Query.term_query(SCHEMA, name, keyword(value), index_option="basic"), 0.0)


def compile_search(source: str, *, languages: tuple[str, ...] | None = None,
                   any_term: bool = False) -> Compiled:
    """Parse `source` and compile it; `languages` narrows the terms a word becomes."""
    problem = unbalanced(source)
    if problem:
        raise problem
    try:
        parsed = parser.parse(_near_to_proximity(source))
    except (ParseError, TypeError, ValueError) as exc:
        raise QueryError(f"cannot parse query: {exc}") from exc
    compiler = _Compiler(languages, any_term)
    query = compiler.compile(parsed, TEXT_FIELDS)
    return Compiled(query, compiler.terms, compiler.prefixes)
