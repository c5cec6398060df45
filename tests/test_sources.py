from pathlib import Path

import pytest

from crawlers.sources import SourceConfigError, load_sources
from crawlers.urls import canonical_url
from tests.conftest import CONFIG


def test_real_sources_cover_the_region() -> None:
    sources = load_sources(CONFIG / "sources.toml")
    assert len(sources) >= 8
    assert {c for s in sources for c in s.countries} >= {"KZ", "KG", "TJ", "UZ", "TM"}
    assert {s.family for s in sources} == {"pangea", "wordpress", "custom"}
    for source in sources:
        assert source.base_url.startswith("https://")
        assert source.start_urls(), source.id


def test_article_pattern_and_hosts() -> None:
    kloop = {s.id: s for s in load_sources(CONFIG / "sources.toml")}["kloop"]
    assert kloop.is_article_url("https://kloop.kg/blog/2026/11/20/v-bishkeke-miting/")
    assert not kloop.is_article_url("https://kloop.kg/blog/2026/11/20/")
    assert kloop.hosts == ("kloop.kg",)


def test_bad_source_entry_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nid = "x"\nname = "X"\nfamily = "custom"\n')
    with pytest.raises(SourceConfigError, match="source 'x' lacks field 'countries'"):
        load_sources(path)


@pytest.mark.parametrize(("raw", "canonical"), [
    ("https://Kloop.kg/blog/2026/11/01/x/?utm_source=tg&utm_medium=social#comments",
     "https://kloop.kg/blog/2026/11/01/x/"),
    ("https://24.kg/obschestvo/1_b/?b=2&a=1", "https://24.kg/obschestvo/1_b/?a=1&b=2"),
    ("https://kun.uz/news/2026/11/01/abc?fbclid=XYZ", "https://kun.uz/news/2026/11/01/abc"),
])
def test_canonical_url(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical


@pytest.mark.parametrize(("source_id", "url", "is_article"), [
    ("cabar", "https://cabar.asia/ru/pochemu-zhaloby-na-pytki-redko-dohodyat-do-suda", True),
    ("cabar", "https://cabar.asia/ru/about", False),
    ("cabar", "https://cabar.asia/en/feed", False),
    ("turkmen-news", "https://turkmen.news/v-mary-zhiteli-perekryli-dorogu/", True),
    ("turkmen-news", "https://turkmen.news/contacts/", False),
])
def test_menu_pages_are_not_articles(source_id: str, url: str, is_article: bool) -> None:
    source = {s.id: s for s in load_sources(CONFIG / "sources.toml")}[source_id]
    assert source.is_article_url(url) is is_article
