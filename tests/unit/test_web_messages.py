"""The workspace's message catalogue: every label in every interface language, and every
label a template or page asks for is in it."""

from __future__ import annotations

import re
from pathlib import Path

from crawlers.language import LANGUAGES
from flows.web.i18n import UI_LANGUAGES, Translator, catalogue
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
                                         "no_text", "too_large", "robots", "not_fetched",
                                         "other", "http_5xx", "http_other")} <= keys


def test_every_country_and_language_of_the_region_has_a_name() -> None:
    for code in ("KZ", "KG", "TJ", "UZ", "TM"):
        assert Translator("ru").maybe(f"country.{code}", code) != code
    for lang in LANGUAGES:
        assert Translator("en").maybe(f"lang.{lang}", lang) != lang, lang
