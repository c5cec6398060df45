"""The workspace's message catalogue: every label in every interface language, and every
label a template or page asks for is in it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from crawlers.language import LANGUAGES
from flows.alerts.health import KIND_WORDS, counted, kind_words
from flows.web.i18n import UI_LANGUAGES, Translator, catalogue
from flows.web.rendering import problem_words
from tests.helpers import ROOT

WEB = ROOT / "flows" / "web"
_ASKED = re.compile(r"""\bt\(\s*["']([a-z_.0-9]+)["']""")
_MESSAGE_KEY = re.compile(r"""message_key\s*=\s*["']([a-z_.0-9]+)["']""")


def asked_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*WEB.glob("templates/*.j2"), *WEB.glob("*.py")]:
        text = Path(path).read_text(encoding="utf-8")
        keys.update(_ASKED.findall(text))
        keys.update(_MESSAGE_KEY.findall(text))
    return {k for k in keys if not k.endswith(".")}  # "error." ~ kind: a family, checked below


def test_every_label_has_every_interface_language() -> None:
    for key, entry in catalogue().items():
        assert set(entry) == set(UI_LANGUAGES), key
        assert all(entry[lang].strip() for lang in UI_LANGUAGES), key
        fields = {lang: set(re.findall(r"{(\w+)}", entry[lang])) for lang in UI_LANGUAGES}
        assert fields["en"] == fields["ru"], key  # both fill in the same values


def test_every_label_asked_for_is_in_the_catalogue() -> None:
    asked = asked_keys()
    assert len(asked) > 60
    assert sorted(asked - set(catalogue())) == []


def test_every_family_of_labels_is_complete() -> None:
    keys = set(catalogue())
    assert {"feedback.wrong", "feedback.missing"} <= keys  # the verdicts
    assert {f"error.{kind}" for kind in ("http_404", "http_410", "http_403", "timeout",
                                         "no_text", "too_large", "robots_disallowed",
                                         "not_fetched", "other", "http_5xx",
                                         "http_other")} <= keys


# Where the crawler names a reason: the argument that is the kind, by position.
_KIND_ARGUMENT = {"FetchError": 2, "_bad_page": 1, "ExtractionError": 0, "_error_row": 1}
_CODE = re.compile(r"[a-z][a-z0-9_]*")
_SQL_REASON = re.compile(r"coalesce\(\s*e\.kind\s*,\s*'([a-z_]+)'\s*\)")


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def written_reasons() -> set[str]:
    """Every error kind and coverage gap reason the crawler, extractor and warehouse can
    write, read from their code: the kind given to FetchError, _bad_page, ExtractionError
    and extract's _error_row, the kinds error_kind() returns, the reasons the SQL names.
    (http_NNN, an HTTP status, is a family of its own.)"""
    found: set[str] = set()
    files = [*(ROOT / "crawlers").rglob("*.py"), ROOT / "flows" / "extract.py"]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name == "error_kind":
                found.update(c.value for c in ast.walk(node) if isinstance(c, ast.Constant)
                             and isinstance(c.value, str) and _CODE.fullmatch(c.value))
            if isinstance(node, ast.Call) and _called(node) in _KIND_ARGUMENT:
                index = _KIND_ARGUMENT[_called(node)]
                args = [*node.args[index:index + 1],
                        *(k.value for k in node.keywords if k.arg == "kind")]
                found.update(a.value for a in args if isinstance(a, ast.Constant)
                             and isinstance(a.value, str))
    for path in [*(ROOT / "warehouse").rglob("*.sql")]:
        found.update(_SQL_REASON.findall(path.read_text(encoding="utf-8")))
    return found


def test_the_reasons_are_read_from_the_code() -> None:
    reasons = written_reasons()
    assert {"pattern_miss", "moved", "redirected", "not_found_page", "not_fetched", "timeout",
            "robots_disallowed", "dns", "no_text", "extract_failed", "bad_feed", "deleted",
            "not_channel_page", "duplicate"} <= reasons
    assert not {r for r in reasons if r.startswith("http_")}


def test_every_reason_the_crawler_writes_has_words_in_the_workspace_and_the_report() -> None:
    """A reason code without words here would show as its raw code on the sources pages
    (English and Russian) and in the report's health table."""
    keys = set(catalogue())
    for reason in sorted(written_reasons()):
        assert f"error.{reason}" in keys, f"no error.{reason} in flows/web/messages.toml"
        assert reason in KIND_WORDS, f"no words for {reason} in flows/alerts/health.py"
        for lang in UI_LANGUAGES:
            t = Translator(lang)
            words = problem_words({reason: 2}, t)
            assert words != t("error.other", n=2, kind=reason.replace("_", " ")), words
            assert "_" not in words and "2" in words, (lang, words)
        assert "_" not in counted({reason: 2}, "page")
    for lang in UI_LANGUAGES:  # any HTTP status, and an exception nobody foresaw
        words = problem_words({"http_503": 1, "http_418": 2, "weird_error": 3}, Translator(lang))
        assert "HTTP 503" in words and "HTTP 418" in words and "weird error" in words, words
        assert "http_" not in words and "weird_error" not in words, words
    assert kind_words("http_503") == "server error (HTTP 503)"


def test_problem_words_in_russian() -> None:
    assert problem_words({"pattern_miss": 2, "moved": 1}, Translator("ru")) == (
        "переехали на другой хост (добавьте его к хостам источника): 1; страницы-списки со "
        "ссылками, похожими на статьи, но не подходящими под шаблон адреса: 2")


def test_every_country_and_language_of_the_region_has_a_name() -> None:
    for code in ("KZ", "KG", "TJ", "UZ", "TM"):
        assert Translator("ru").maybe(f"country.{code}", code) != code
    for lang in LANGUAGES:
        assert Translator("en").maybe(f"lang.{lang}", lang) != lang, lang
