"""The article index's fast paths give what their plain definitions give, on real text."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from crawlers.language import TOPIC_LANGUAGES
from flows.tagging.index import OPENING, TermTable, Vocabulary, index_field
from flows.tagging.normalise import TOKEN_RE, Analyzer, _fold_mixed_script, base_form
from flows.tagging.tagger import _compile_language
from flows.tagging.topics import load_topics

ROOT = Path(__file__).resolve().parents[2]
TUNING = ROOT / "tests" / "data" / "real_tune.jsonl"
COMMON_FOLD = str.maketrans({"ё": "е", "’": "'", "`": "'", "‘": "'", "ʻ": "'", "ʼ": "'",
                             "′": "'", "\u00ad": None})


def _stories(lang: str, limit: int = 120) -> list[dict]:
    with TUNING.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    return [r for r in rows if r["lang"] == lang][:limit]


def _vocabulary(lang: str) -> Vocabulary:
    loaded = load_topics(ROOT / "config" / "topics.toml")
    return _compile_language(loaded.topics, Analyzer(lang))[1]


def _terms_by_definition(word: str, vocabulary: Vocabulary) -> set[str]:
    """A word's terms: its key when a query uses it, and P* for every query prefix P its
    form starts with."""
    form = vocabulary.analyzer.form(word)
    key = vocabulary.analyzer.key(form)
    found = {key} if key in vocabulary.keys else set()
    return found | {f"{p}*" for p in vocabulary.prefixes if form.startswith(p)}


@pytest.mark.parametrize("lang", TOPIC_LANGUAGES)
def test_term_table_gives_every_key_and_prefix_of_a_word(lang: str) -> None:
    vocabulary = _vocabulary(lang)
    table = TermTable([vocabulary])
    words = {w for r in _stories(lang) for w in TOKEN_RE.findall(r["title"] + "\n" + r["text"])}
    words.discard("")
    with_terms = 0
    for word in sorted(words):
        expected = _terms_by_definition(word, vocabulary)
        assert set(table[word]) == expected, word
        with_terms += bool(expected)
    assert with_terms > 20  # the stories hold query words: the check has something to see


@pytest.mark.parametrize("word", ["dying", "Died", "going", "customs", "custody"])
def test_a_stem_that_does_not_start_like_its_word_is_found(word: str) -> None:
    vocabulary = _vocabulary("en")  # "died in custody": keys die, in, custodi
    assert set(TermTable([vocabulary])[word]) == _terms_by_definition(word, vocabulary)
    assert TermTable([vocabulary])["dying"] == ("die",)


def test_a_table_of_every_language_gives_each_languages_terms_once() -> None:
    vocabularies = [_vocabulary(lang) for lang in ("ru", "kk")]
    table = TermTable(vocabularies)
    for word in ("полиция", "полицейские", "наразылық", "митинг", "Алматы"):
        expected = set().union(*(_terms_by_definition(word, v) for v in vocabularies))
        assert set(table[word]) == expected
        assert len(table[word]) == len(expected)


def test_the_new_word_callback_needs_one_language() -> None:
    vocabularies = [_vocabulary("ru"), _vocabulary("kk")]
    with pytest.raises(ValueError, match="one vocabulary"):
        TermTable(vocabularies, lambda word, form: None)
    told: list[tuple[str, str]] = []
    table = TermTable(vocabularies[:1], lambda word, form: told.append((word, form)))
    table["Полицейские"]
    table["Полицейские"]  # known: not told again
    assert told == [("Полицейские", "полицейские")]


def _index_by_definition(text: str, table: TermTable) -> tuple[dict, dict, tuple]:
    """Postings, sentence numbers and opening, one token at a time."""
    postings: dict[str, list[int]] = {}
    sentence_of: dict[int, int] = {}
    opening: list[int] = []
    position = sentence = 0
    for word in TOKEN_RE.findall(text):
        if not word:
            sentence += 1
            continue
        if len(opening) < OPENING and sentence not in opening:
            opening.append(sentence)
        for term in table[word]:
            postings.setdefault(term, []).append(position)
            sentence_of[position] = sentence
        position += 1
    return postings, sentence_of, tuple(opening)


@pytest.mark.parametrize("lang", ["ru", "ky", "uz"])
def test_index_field_gives_postings_sentences_and_opening_as_defined(lang: str) -> None:
    table = TermTable([_vocabulary(lang)])
    texts = [r["text"] for r in _stories(lang, 60)] + ["", "\n\n. !", "Один. Два три?\n\nЧетыре"]
    for text in texts:
        index = index_field(text, table)
        assert (index.postings, index.sentence_of, index.opening) == _index_by_definition(
            text, table)


def test_a_words_offsets_are_found_as_far_as_asked() -> None:
    text = _stories("ru", 1)[0]["text"]
    index = index_field(text, TermTable([_vocabulary("ru")]))
    spans = [m.span(1) for m in TOKEN_RE.finditer(text) if m.start(1) >= 0]
    assert index.span(3, 5) == (spans[3][0], spans[5][1])  # reads six words, not all
    assert index.span(len(spans) - 1, len(spans) - 1) == spans[-1]
    assert index.span(0, 1) == (spans[0][0], spans[1][1])
    words = [w for w in TOKEN_RE.findall(text) if w]
    assert text[slice(*index.span(2, 2))] == words[2]


@pytest.mark.parametrize("word", ["ЁЛКА", "Oʻzbekiston", "o‘zbek", "poli\u00adtsiya", "`quote",
                                  "Полиция", "police", "пoлиция", "Ёрдам’", "ИИБ"])
def test_base_form_folds_only_where_a_word_needs_it(word: str) -> None:
    plain = word if word.isascii() else _fold_mixed_script(unicodedata.normalize("NFC", word))
    assert base_form(word) == plain.casefold().translate(COMMON_FOLD)

