"""Article or not: the page's own metadata decides when it speaks, the URL pattern when it
does not; links that look like articles are told from menus."""

from __future__ import annotations

import json

import pytest

from crawlers.detection import is_article_page, looks_like_article, page_kind


def page(*, og: str | None = None, ld: object = None, published: bool = False) -> bytes:
    head = ["<html><head><title>x</title>"]
    if og:
        head.append(f'<meta property="og:type" content="{og}">')
    if published:
        head.append('<meta property="article:published_time" content="2026-11-27T10:00:00Z">')
    if ld is not None:
        head.append(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    return ("".join(head) + "</head><body><p>text</p></body></html>").encode()


@pytest.mark.parametrize(("body", "kind"), [
    (page(og="article"), "article"),
    (page(og="website"), None),
    (page(), None),
    (page(published=True), "article"),
    (page(ld={"@type": "NewsArticle"}), "article"),
    (page(ld=[{"@type": "BreadcrumbList"}, {"@type": ["ReportageNewsArticle"]}]), "article"),
    (page(ld={"@graph": [{"@type": "WebPage"}, {"@type": "BlogPosting"}]}), "article"),
    (page(og="video.other"), "video"),
    (page(og="article", ld={"@type": "VideoObject"}), "video"),
    (page(og="article", ld={"@type": "ImageGallery"}), "gallery"),
    (page(ld={"@type": "AudioObject"}), "audio"),
    (page(ld={"@type": "PodcastEpisode"}, published=True), "audio"),
    (page(og="website", ld={"@type": "CollectionPage"}), "listing"),
    # an article that embeds a video is still an article
    (page(og="article", ld={"@type": "NewsArticle", "video": {"@type": "VideoObject"}}),
     "article"),
    (page(ld={"@graph": [{"@type": "NewsArticle"}, {"@type": "VideoObject"}]}), "article"),
    (b'<script type="application/ld+json">{not json</script><meta property="og:type" '
     b'content="article">', "article"),
])
def test_page_kind(body: bytes, kind: str | None) -> None:
    assert page_kind(body) == kind


@pytest.mark.parametrize(("matches", "kind", "article"), [
    (True, None, True), (False, None, False), (False, "article", True),
    (True, "video", False), (True, "gallery", False), (True, "audio", False),
    (True, "listing", False), (True, "article", True),
])
def test_metadata_no_beats_the_pattern_and_its_yes_adds_to_it(
        matches: bool, kind: str | None, article: bool) -> None:
    assert is_article_page(matches, kind) is article


HOSTS = ("news.example", "www.azattyk.org")


@pytest.mark.parametrize(("url", "looks"), [
    ("https://news.example/story/2026/11/27/v-bishkeke-zaderzhali", True),
    ("https://news.example/new-shape/v-bishkeke-zaderzhali-uchastnikov-mitinga", True),
    ("https://news.example/item/3321704", True),
    ("https://www.azattyk.org/a/33217001.html", True),
    ("https://news.example/doc/409757_depytat:_razreshaetsia.html", True),
    ("https://news.example/about-us/", False),
    ("https://news.example/privacy-policy/", False),
    ("https://news.example/other-media/iz-drugih-smi/", False),
    ("https://news.example/tag/police-violence-in-bishkek/", False),
    ("https://news.example/category/news/page/2/", False),
    ("https://news.example/ru/rubrics/tajikistan/society/page/770", False),
    ("https://news.example/news/list?page=2", False),
    ("https://www.azattyk.org/z/22799", False),
    ("https://news.example/media/2026/11/photo-of-the-day.jpg", False),
    ("https://elsewhere.example/v-bishkeke-zaderzhali-uchastnikov-mitinga", False),
])
def test_looks_like_article(url: str, looks: bool) -> None:
    assert looks_like_article(url, HOSTS) is looks
