"""Per-language token normalisation, shared by topic queries and article texts.

A token's *form* is its casefolded spelling with ё→е, every apostrophe variant unified to
``'``, look-alike letters of the other script folded, (Uzbek only) Cyrillic
transliterated to Latin and apostrophes dropped, and (Tajik only) ҷ ҳ қ ғ ӣ ӯ folded to the
Russian-keyboard letters ч х к г и у that many Tajik texts use instead, and (Kazakh only)
Cyrillic, every Latin spelling in use and the Arabic script folded to one Latin skeleton.
Its *key* is the form stemmed by Snowball for Russian and English, and the form itself for
the other languages, whose inflection queries cover with prefixes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import snowballstemmer

from crawlers.language import STEMMED

# Letters, digits, combining marks and soft hyphens; ʻ ʼ are letters (\w) already.
_WORD = "[\\w\u0300-\u036f\u00ad]+"
_APOSTROPHES = "'’`‘"
WORD_PATTERN = f"{_WORD}(?:[{_APOSTROPHES}]{_WORD})*"
# Group 1 is a word; an empty group 1 is a sentence boundary (end punctuation or newline).
TOKEN_RE = re.compile(f"({WORD_PATTERN})|[.!?…]+(?=\\s|$)|\\n")
WORD_RE = re.compile(WORD_PATTERN)

_COMMON_FOLD = {
    "ё": "е", "’": "'", "`": "'", "‘": "'", "ʻ": "'", "ʼ": "'", "′": "'", "\u00ad": None
}  # fmt: skip
_COMMON = str.maketrans(_COMMON_FOLD)
_HAS_COMMON = re.compile(f"[{''.join(_COMMON_FOLD)}]").search
# Tajik typed on a Russian keyboard: ҷ ҳ қ ғ ӣ ӯ as ч х к г и у (шиканча = шиканҷа).
_LATIN_LETTER = re.compile("[A-Za-z]")
_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")
_TG_FOLD = str.maketrans("ҷҳқғӣӯ", "чхкгиу")
_HAS_TG_FOLD = re.compile("[ҷҳқғӣӯ]").search
_LATIN_TO_CYRILLIC = str.maketrans("AaBCcEeHIKkMOoPpTXxYyi", "АаВСсЕеНІКкМОоРрТХхУуі")
_CYRILLIC_TO_LATIN = str.maketrans("АаВСсЕеНКМОоРрТХхУу", "AaBCcEeHKMOoPpTXxYy")

_UZ_VOWELS = frozenset("аеёиоуэюяў")
_UZ_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "j", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ч": "ch", "ш": "sh", "ъ": "'",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "ё": "yo", "ў": "o'", "қ": "q", "ғ": "g'",
    "ҳ": "h", "ы": "i", "щ": "sh",
}  # fmt: skip

# Kazakh is written in Cyrillic and, more and more, in Latin: the 2018 alphabet (ı ý ǵ ń),
# the 2021 one (ş ğ ñ ū ü), and transliterations (ǧ ŋ y for ы, w for ұ). Both scripts fold
# to one skeleton, so one Cyrillic query finds every spelling: ұсталды = ūstaldy = ustaldy.
# Pairs that only the 2018 and 2021 alphabets tell apart (ы/і, ұ/ү, қ/к) fold together.
_KK_FOLD = str.maketrans({
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
    "ж": "j", "з": "z", "и": "i", "й": "i", "і": "i", "к": "k", "қ": "q", "л": "l",
    "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "s",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "ä": "a", "á": "a", "ǵ": "g", "ğ": "g", "ǧ": "g", "ı": "i", "ñ": "n",
    "ń": "n", "ŋ": "n", "ö": "o", "ó": "o", "ş": "sh", "ç": "ch", "ū": "u", "ü": "u",
    "ú": "u", "ý": "u", "w": "u", "y": "i", "é": "e", "\u0307": "", "'": "",
    # The Arabic script (tote jazu: Kazakhs of China and Mongolia, outlets' tt/ editions)
    # writes every vowel, so it folds letter for letter; the hamza marking a word's front
    # vowels is dropped, as the fold drops what tells ә from а.
    "ا": "a", "ٵ": "a", "ب": "b", "ۆ": "v", "گ": "g", "ع": "g", "د": "d", "ە": "e",
    "ج": "j", "ز": "z", "ي": "i", "ی": "i", "ك": "k", "ک": "k", "ق": "q", "ل": "l",
    "م": "m", "ن": "n", "ڭ": "n", "و": "o", "ٶ": "o", "پ": "p", "ر": "r", "س": "s",
    "ت": "t", "ۋ": "u", "ۇ": "u", "ٷ": "u", "ف": "f", "ح": "h", "ھ": "h", "ه": "h",
    "چ": "ch", "ش": "sh", "ى": "i", "ٸ": "i", "ء": "", "ٴ": "", "ـ": "",
})  # fmt: skip
_KK_DIGRAPHS = (("zh", "j"), ("kh", "h"), ("ts", "s"))


def kk_skeleton(form: str) -> str:
    """One spelling for a casefolded Kazakh word in Cyrillic, any Latin alphabet or the
    Arabic script."""
    folded = form.translate(_KK_FOLD)
    for digraph, letter in _KK_DIGRAPHS:
        if digraph in folded:
            folded = folded.replace(digraph, letter)
    # и before я/ю (полиция: iia) is one letter in the Arabic script (پوليتسيا: ia); other
    # ii (ІІД, the police department) stay apart from i (идея).
    if "ii" in folded:
        folded = folded.replace("iia", "ia").replace("iiu", "iu")
    return folded


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _fold_mixed_script(token: str) -> str:
    """Fold look-alike letters when a word mixes Cyrillic and Latin (``пoлиция``)."""
    if not _LATIN_LETTER.search(token) or not _CYRILLIC_LETTER.search(token):
        return token  # one script: the usual case, found by two scans in C
    cyrillic = sum(1 for ch in token if _is_cyrillic(ch))
    latin = sum(1 for ch in token if ch.isascii() and ch.isalpha())
    return token.translate(_LATIN_TO_CYRILLIC if cyrillic >= latin else _CYRILLIC_TO_LATIN)


def uz_cyrillic_to_latin(word: str) -> str:
    """Transliterate a casefolded Uzbek word from Cyrillic to the official Latin alphabet."""
    if not any(_is_cyrillic(ch) for ch in word):
        return word
    out: list[str] = []
    previous = ""
    for ch in word:
        if ch == "е":
            out.append("ye" if previous in ("", "ъ", "ь") or previous in _UZ_VOWELS else "e")
        elif ch == "ц":
            out.append("ts" if previous in _UZ_VOWELS else "s")
        else:
            out.append(_UZ_LETTERS.get(ch, ch))
        previous = ch
    return "".join(out)


def base_form(surface: str) -> str:
    """Language-independent form: NFC, casefold, ё→е, apostrophes unified, scripts folded."""
    if not surface.isascii():
        surface = _fold_mixed_script(unicodedata.normalize("NFC", surface))
    folded = surface.casefold()
    # translate() looks up every letter: a search in C first spares it for most words.
    return folded.translate(_COMMON) if _HAS_COMMON(folded) else folded


# The words whose Snowball stem does not start like them (English: dying is "die"); the
# stemmer's other changes are at a word's end.
UNPREFIXED_STEMS = frozenset({"dying", "lying", "tying", "skies"})


@dataclass(frozen=True)
class Analyzer:
    """Turns a surface token into its form (for prefixes) and key (for words) in one language."""

    lang: str | None
    # The tagger folds Kazakh to its skeleton; search keeps Cyrillic for its suffix rules.
    kazakh_skeleton: bool = True
    _stem_cyrillic: Callable[[str], str] | None = field(init=False, repr=False, compare=False)
    _stem_latin: Callable[[str], str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        stemmed = self.lang in STEMMED
        ru = snowballstemmer.stemmer("russian").stemWord if stemmed else None
        en = snowballstemmer.stemmer("english").stemWord if stemmed else None
        object.__setattr__(self, "_stem_cyrillic", ru)
        object.__setattr__(self, "_stem_latin", en)

    def form(self, surface: str) -> str:
        if self.lang == "tg":
            form = base_form(surface)
            return form.translate(_TG_FOLD) if _HAS_TG_FOLD(form) else form
        if self.lang == "kk" and self.kazakh_skeleton:
            return kk_skeleton(base_form(surface))
        if self.lang != "uz":
            return base_form(surface)
        if surface.isascii():
            return base_form(surface).replace("'", "")
        folded = _fold_mixed_script(unicodedata.normalize("NFC", surface)).casefold()
        # Apostrophes dropped: oʻ, o' and a bare o (qolga for qoʻlga) are one spelling.
        return uz_cyrillic_to_latin(folded).translate(_COMMON).replace("'", "")

    def key(self, form: str) -> str:
        if self._stem_cyrillic is None or self._stem_latin is None:
            return form
        if any(_is_cyrillic(ch) for ch in form):
            return self._stem_cyrillic(form)
        if any("a" <= ch <= "z" for ch in form):
            return self._stem_latin(form)
        return form


def normalise(surface: str, lang: str | None) -> str:
    """The index key of one word in a language (form, then stem for ru/en)."""
    analyzer = Analyzer(lang)
    return analyzer.key(analyzer.form(surface))


@dataclass(frozen=True)
class Token:
    surface: str
    form: str
    key: str
    start: int
    end: int
    sentence: int


def tokenise(text: str, lang: str | None) -> Iterator[Token]:
    """Words of ``text`` with their normalised form and key and offsets into ``text``."""
    analyzer = Analyzer(lang)
    sentence = 0
    for m in TOKEN_RE.finditer(text):
        if m.start(1) < 0:
            sentence += 1
            continue
        form = analyzer.form(m.group(1))
        yield Token(m.group(1), form, analyzer.key(form), m.start(1), m.end(1), sentence)
