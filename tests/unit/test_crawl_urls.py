"""Canonical URLs: one article, one URL, whatever variant a page links to."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from crawlers.urls import article_url, canonical_url, url_date

KLOOP = re.compile(r"^https://kloop\.kg/blog/\d{4}/\d\d/\d\d/[\w-]+/$")
AZATTYQ = re.compile(r"^https://www\.azattyq\.org/a/(?:[\w-]+/)?\d+\.html$")


@pytest.mark.parametrize("variant", [
    "https://kloop.kg/blog/2026/11/27/story/",
    "https://kloop.kg/blog/2026/11/27/story/?utm_source=telegram&utm_medium=social",
    "https://kloop.kg/blog/2026/11/27/story/#comments",
    "https://m.kloop.kg/blog/2026/11/27/story/",
    "https://kloop.kg/blog/2026/11/27/story/amp/",
    "https://kloop.kg/blog/2026/11/27/story/?amp=1",
    "https://KLOOP.kg/blog/2026/11/27/story",
    "http://kloop.kg//blog/2026/11/27/story/",
])
def test_variants_of_a_wordpress_article_are_one_url(variant: str) -> None:
    assert article_url(variant, ["kloop.kg"], lambda u: bool(KLOOP.fullmatch(u))) == (
        "https://kloop.kg/blog/2026/11/27/story/")


@pytest.mark.parametrize("variant", [
    "https://m.azattyq.org/a/33210001.html", "https://www.azattyq.org/amp/a/33210001.html",
    "https://azattyq.org/a/33210001.html", "https://www.azattyq.org/a/33210001.amp.html",
])
def test_variants_of_a_pangea_article_are_one_url(variant: str) -> None:
    assert article_url(variant, ["www.azattyq.org"], lambda u: bool(AZATTYQ.fullmatch(u))) == (
        "https://www.azattyq.org/a/33210001.html")


def test_other_hosts_and_non_articles_are_no_article() -> None:
    def is_article(url: str) -> bool:
        return bool(KLOOP.fullmatch(url))

    assert article_url("https://kloop.kg.evil.example/blog/2026/11/27/x/", ["kloop.kg"],
                       is_article) is None
    assert article_url("https://kloop.kg/about/", ["kloop.kg"], is_article) is None


def test_content_parameters_are_kept_and_sorted() -> None:
    assert canonical_url("https://kun.uz/news/list?page=2&lang=ru&utm_source=x") == (
        "https://kun.uz/news/list?lang=ru&page=2")


def test_dates_in_article_urls() -> None:
    assert url_date("https://kloop.kg/blog/2026/11/27/x/") == datetime(2026, 11, 27, tzinfo=UTC)
    assert url_date("https://asiaplustj.info/ru/news/tajikistan/society/20261127/x") == (
        datetime(2026, 11, 27, tzinfo=UTC))
    assert url_date("https://24.kg/obschestvo/351204_x/") is None
