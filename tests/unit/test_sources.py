import importlib.util
import json
import sys
import tomllib
from datetime import datetime
from pathlib import Path
from types import ModuleType
from urllib.parse import urljoin, urlsplit

import pytest

from crawlers.sources import Source, SourceConfigError, load_sources
from crawlers.urls import canonical_url
from tests.helpers import CONFIG, ROOT

REPLAY = ROOT / "tests" / "replay"
SOURCES = load_sources(CONFIG / "sources.toml")
BY_ID = {s.id: s for s in SOURCES}
OUTLETS = [s for s in SOURCES if s.family != "telegram"]  # channels: tests/e2e/test_telegram.py
# Every RFE/RL service of the region: its local-language and its Russian edition (host, language).
RFERL_SERVICES = {
    "Azattyq (KZ)": [("www.azattyq.org", "kk"), ("rus.azattyq.org", "ru")],
    "Azattyk (KG)": [("www.azattyk.org", "ky"), ("rus.azattyk.org", "ru")],
    "Ozodi (TJ)": [("www.ozodi.org", "tg"), ("rus.ozodi.org", "ru")],
    "Ozodlik (UZ)": [("www.ozodlik.org", "uz"), ("rus.ozodlik.org", "ru")],
    "Azatlyk (TM)": [("www.azathabar.com", "tk"), ("rus.azathabar.com", "ru")],
}
# Paths of real sites' menu, service and feed pages: never an article, on any outlet.
MENU_PATHS = [
    "", "about/", "about", "about-us/", "contacts", "contacts/", "feed/", "feed", "rss/", "rss",
    "search/", "news/", "news/list", "category/news/", "category/politika/", "tag/police/",
    "page/2/", "author/redaktsiya/", "privacy-policy/", "sitemap.xml", "wp-admin/", "2026/11/",
    "lenta", "posts", "archive", "z/360", "p/5380.html", "donate/", "?p=1", "robots.txt",
]


def load_build() -> ModuleType:
    """tests/replay/build.py as a module: it knows each outlet's article-URL shape."""
    spec = importlib.util.spec_from_file_location("replay_build_for_sources", REPLAY / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


BUILD = load_build()
RAW_SOURCES = {s["id"]: s for s in tomllib.loads((CONFIG / "sources.toml").read_text())["source"]}


def fixture_articles(source_id: str) -> list[dict]:
    return json.loads((REPLAY / "content" / f"{source_id}.json").read_text("utf-8"))["articles"]


def fixture_urls(source_id: str) -> list[str]:
    """Article URLs of a source's replay fixtures, as the build renders them."""
    raw = RAW_SOURCES[source_id]
    return [
        BUILD.article_url(raw, BUILD.parse_article(source_id, entry))
        for entry in fixture_articles(source_id)
    ]


def menu_urls(source: Source) -> list[str]:
    """Menu, footer and service pages of an outlet: generic ones and its replay chrome's."""
    prefixes = {"/"} | {urlsplit(u).path.rstrip("/") + "/" for u in source.listings}
    host = source.hosts[0]
    urls = [f"https://{host}{prefix}{path}" for prefix in prefixes for path in MENU_PATHS]
    template_set = BUILD.template_set_of(RAW_SOURCES[source.id])
    chrome_file = REPLAY / "templates" / template_set / "outlets.toml"
    chrome = tomllib.loads(chrome_file.read_text("utf-8"))[source.id]
    for edition in (v for v in chrome.values() if isinstance(v, dict)):
        for _label, href, *_ in edition.get("nav", []) + edition.get("footer", []):
            urls.append(urljoin(f"https://{host}/", href))
    return urls


def test_real_sources_cover_the_region() -> None:
    sources = load_sources(CONFIG / "sources.toml")
    assert len(sources) >= 24
    assert {c for s in sources for c in s.countries} >= {"KZ", "KG", "TJ", "UZ", "TM"}
    assert {s.family for s in sources} == {"pangea", "wordpress", "custom", "telegram"}
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


@pytest.mark.parametrize("service", sorted(RFERL_SERVICES))
def test_every_rferl_service_has_its_editions(service: str) -> None:
    by_host = {s.hosts[0]: s for s in SOURCES}
    for host, lang in RFERL_SERVICES[service]:
        assert host in by_host, f"{service}: no source for {host}"
        edition = by_host[host]
        assert edition.family == "pangea" and edition.languages == (lang,), edition.id
        assert edition.sitemaps == (f"https://{host}/sitemap.xml",)


def test_every_country_has_independent_and_state_outlets() -> None:
    countries = {c for s in SOURCES for c in s.countries}
    assert countries == {"KZ", "KG", "TJ", "UZ", "TM"}
    state = {"kazinform": "KZ", "kabar": "KG", "khovar": "TJ", "uza": "UZ", "tdh": "TM"}
    for sid, country in state.items():
        assert BY_ID[sid].countries == (country,)
    languages = {lang for s in SOURCES for lang in s.languages}
    assert languages == {"ru", "en", "kk", "ky", "tg", "uz", "tk"}


@pytest.mark.parametrize("source", OUTLETS, ids=[s.id for s in OUTLETS])
def test_fixture_articles_match_and_menu_pages_do_not(source: Source) -> None:
    urls = fixture_urls(source.id)
    assert len(urls) >= 5
    for url in urls:
        assert source.is_article_url(url), url
        assert urlsplit(url).hostname in source.hosts
    for url in menu_urls(source):
        assert not source.is_article_url(url), f"{source.id}: menu page {url} looks like an article"


@pytest.mark.parametrize("source", OUTLETS, ids=[s.id for s in OUTLETS])
def test_fixture_content_is_in_the_outlets_languages(source: Source) -> None:
    articles = fixture_articles(source.id)
    assert {a["lang"] for a in articles} == set(source.languages)
    for a in articles:
        published = datetime.fromisoformat(a["published"])
        assert published.utcoffset() is not None, a["key"]
        assert "2026-11-01" <= published.date().isoformat() <= "2026-11-28", a["key"]
        assert set(a["topics"]) <= {"police", "protest", "torture"}, a["key"]
    assert any(a["topics"] for a in articles) and any(not a["topics"] for a in articles)
