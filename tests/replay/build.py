"""Render the offline replay web: content/*.json -> sites/<host>/<path> (see docs/REPLAY.md).

    python tests/replay/build.py [--content DIR] [--out DIR] [--sources FILE]

Wipes the output folder and renders every outlet of config/sources.toml with the
Jinja2 templates of its site family. The output is deterministic: the same content
gives byte-identical files (no "now", sorted everything), so it can be committed.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import shutil
import sys
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

REPLAY_DIR = Path(__file__).resolve().parent
REPO = REPLAY_DIR.parents[1]
TEMPLATES = REPLAY_DIR / "templates"
if str(REPO) not in sys.path:  # run as a script: the server module owns the path mapping
    sys.path.insert(0, str(REPO))
from crawlers.replay_server import OVERRIDES_FILE, candidate_files  # noqa: E402
from tests.replay.telegram_site import render_channels  # noqa: E402

PER_PAGE = 10  # articles in the main list of a listing page
PAGE_BYTES = (15_000, 60_000)  # article pages are kept in this size range, like real ones
LOCALES = {
    "ru": "ru_RU", "en": "en_US", "kk": "kk_KZ", "ky": "ky_KG", "tg": "tg_TJ", "uz": "uz_UZ",
    "tk": "tk_TM",
}
RELATED = 4  # related-articles block on article pages
TRACKING = re.compile(r"\?utm_[^#]*$")  # what the crawler's canonical_url strips from our links
TEMPLATE_SETS = {"pangea": "pangea", "wordpress": "wordpress"}  # custom: template_set_of
NEWSROOM = "newsroom"  # the shared set of custom CMSs without a template set of their own


# ---------------------------------------------------------------- content model


@dataclass
class Article:
    """One entry of an outlet: a real article, or a bad case (gallery, deleted)."""

    source: str
    key: str
    slug: str
    lang: str
    section: str
    published: datetime
    author: str
    title: str
    lead: str
    paragraphs: list[str]
    topics: list[str]
    url: str = ""
    kind: str = "article"  # article | gallery | deleted
    captions: list[str] = field(default_factory=list)
    charset: str = "utf-8"

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def post_id(self) -> int:
        """Stable CMS id (WordPress post, Drupal node) derived from the key."""
        digest = hashlib.sha256(f"{self.source}:{self.key}".encode()).hexdigest()
        return 100000 + int(digest[:8], 16) % 800000

    @property
    def token(self) -> str:
        """Stable hex token for image names and similar."""
        return hashlib.sha256(f"{self.source}/{self.key}".encode()).hexdigest()[:32]

    @property
    def uuid(self) -> str:
        """Stable UUID-shaped id, as Pangea names its images."""
        t = self.token
        return f"{t[:8]}-{t[8:12]}-{t[12:16]}-{t[16:20]}-{t[20:32]}"


def parse_article(source: str, raw: dict[str, Any]) -> Article:
    """Article from one content-file entry; fails loudly on a missing field."""
    return Article(
        source=source,
        key=str(raw["key"]),
        slug=raw["slug"],
        lang=raw["lang"],
        section=raw.get("section") or "news",
        published=datetime.fromisoformat(raw["published"]),
        author=raw.get("author") or "",
        title=raw["title"],
        lead=raw.get("lead") or "",
        paragraphs=list(raw["paragraphs"]),
        topics=list(raw.get("topics") or []),
    )


def url_section(section: str) -> str:
    """Section as a URL segment: 24.kg allows [a-z_], Asia-Plus [a-z]."""
    return re.sub(r"[^a-z_]", "", section.lower().replace("-", "_")) or "news"


def edition_prefix(a: Article, prefixes: dict[str, str]) -> str:
    """URL prefix of the article's language edition (the first entry is the default)."""
    return prefixes.get(a.lang, next(iter(prefixes.values())))


def akipress_slug(slug: str) -> str:
    """AKIpress writes the headline into the URL: words joined by underscores, capitalised."""
    words = slug.split("-")
    return "_".join([words[0].capitalize(), *words[1:]])


def article_url(source: dict[str, Any], a: Article) -> str:
    """Article URL per the URL-shapes table of docs/REPLAY.md."""
    host, day = source["allowed_hosts"][0], a.published
    ymd, ym = f"{day:%Y/%m/%d}", f"{day:%Y/%m}"
    shapes: dict[str, Callable[[], str]] = {
        "azattyq-ru": lambda: f"/a/{a.slug}/{a.key}.html",
        "kloop": lambda: f"/blog/{ymd}/{a.slug}/",
        "cabar": lambda: f"/{a.lang}/{a.slug}",
        "turkmen-news": lambda: f"/{a.slug}/",
        "24kg": lambda: f"/{url_section(a.section)}/{a.key}_{a.slug}/",
        "kun-uz": lambda: ("/ru" if a.lang == "ru" else "") + f"/news/{ymd}/{a.slug}",
        "asia-plus": lambda: f"/news/tajikistan/{day:%Y%m%d}/{a.slug}/",
        "khovar": lambda: edition_prefix(a, {"tg": "", "ru": "/rus"}) + f"/{ym}/{a.slug}/",
        "hronikatm": lambda: f"/{ym}/{a.slug}/",
        "vlast": lambda: f"/{url_section(a.section).replace('_', '')}/{a.key}-{a.slug}.html",
        "kaktus": lambda: f"/doc/{a.key}_{a.slug.replace('-', '_')}.html",
        "akipress": lambda: f"/news:{a.key}:{akipress_slug(a.slug)}/",
        "gazeta-uz": lambda: edition_prefix(a, {"ru": "/ru", "uz": "/oz"}) + f"/{ymd}/{a.slug}/",
        "eurasianet": lambda: f"/{a.slug}",
        "fergana": lambda: f"/{'articles' if a.section == 'articles' else 'news'}/{a.key}/",
        "kazinform": lambda: edition_prefix(a, {"ru": "/ru", "kk": "/kz"})
        + f"/{a.slug}-{a.token[:6]}",
        "kabar": lambda: f"/news/{a.slug}/",
        "uza": lambda: edition_prefix(a, {"ru": "/ru", "uz": "/uz"}) + f"/posts/{a.slug}_{a.key}",
        "tdh": lambda: edition_prefix(a, {"tk": "/tk", "ru": "/ru"}) + f"/post/{a.key}/{a.slug}",
        "24kg-en": lambda: f"/english/{a.key}_{akipress_slug(a.slug)}/",
        "asia-plus-en": lambda: f"/en/{ymd}/{a.slug}/",
        "fergana-en": lambda: f"/news/{a.key}/",
        "informburo": lambda: f"/{'stati' if a.section == 'stati' else 'novosti'}/{a.slug}",
        "ulysmedia": lambda: f"/news/{a.key}-{a.slug}/",
    }
    default = (lambda: f"/a/{a.key}.html") if source["family"] == "pangea" else None
    shape = shapes.get(source["id"], default)
    if shape is None:
        raise SystemExit(f"no URL shape for source {source['id']!r}; see docs/REPLAY.md")
    return f"https://{host}{shape()}"


def newest_first(articles: Iterable[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published, a.key), reverse=True)


# ---------------------------------------------------------------- site files


@dataclass
class Site:
    """Files and per-path overrides of one host, keyed by site-relative name / URL path."""

    host: str
    files: dict[str, str] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)  # file name -> URL it answers

    def name_of(self, url: str, ext: str = "html") -> str:
        """The file name the replay server tries first for `url` among `.ext` files."""
        split = urlsplit(url)
        if split.netloc and split.netloc != self.host:
            raise ValueError(f"{url} does not belong to {self.host}")
        names = candidate_files(split.path or "/", split.query)
        return next(n for n in names if n.endswith("." + ext))

    def add(self, url: str, text: str, ext: str) -> str:
        """Store `text` where the replay server looks up `url`; returns the file name."""
        name = self.name_of(url, ext)
        if name in self.files:
            raise ValueError(f"two pages render to {self.host}/{name}")
        self.files[name] = text
        self.urls[name] = urljoin(f"https://{self.host}/", url)
        return name

    def rule(self, url: str, **settings: Any) -> None:
        split = urlsplit(url)
        target = split.path + (f"?{split.query}" if split.query else "")
        self.rules.setdefault(target, {}).update(settings)


def toml_value(value: Any) -> str:
    """A TOML literal for the few value types overrides use."""
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def overrides_toml(site: Site) -> str:
    """The host's `_replay.toml` (always written, so the place for overrides is obvious)."""
    lines = [
        f"# Per-path overrides for {site.host}, read by crawlers/replay_server.py.",
        "# Generated by tests/replay/build.py; keys: status, headers, location, delay, encoding.",
        "# See docs/REPLAY.md.",
    ]
    for target in sorted(site.rules):
        lines += ["", f"[paths.{json.dumps(target)}]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in sorted(site.rules[target].items())]
    return "\n".join(lines) + "\n"


def write_sites(out: Path, sites: dict[str, Site]) -> None:
    """Wipe `out` and write every host's files."""
    if out.exists():
        strays = [p.name for p in out.iterdir() if not (p.is_dir() and "." in p.name)]
        if strays:
            raise SystemExit(f"refusing to wipe {out}: it holds non-host entries {strays[:5]}")
        shutil.rmtree(out)
    for host, site in sorted(sites.items()):
        files = dict(site.files) | {OVERRIDES_FILE: overrides_toml(site)}
        for name, text in sorted(files.items()):
            target = out / host / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")


# ---------------------------------------------------------------- templates


def rfc822(value: datetime) -> str:
    return format_datetime(value)


def cdata(value: str) -> Markup:
    """Wrap text in CDATA (feeds carry HTML that way), splitting any `]]>`."""
    return Markup("<![CDATA[" + str(value).replace("]]>", "]]]]><![CDATA[>") + "]]>")


def make_env(strings: dict[str, dict[str, Any]]) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2", "xml.j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def human_date(value: datetime, lang: str) -> str:
        s = strings[lang]
        month = s["months"][value.month - 1]
        return s["date"].format(day=value.day, month=month, year=value.year, time=f"{value:%H:%M}")

    env.filters |= {
        "rfc822": rfc822,
        "iso": lambda d: d.isoformat(),
        "human_date": human_date,
        "cdata": cdata,
        "urlq": lambda s: quote(str(s), safe=""),
        "slugify": slugify,
        "words": lambda s, n: " ".join(str(s).split()[:n]),
        "locale": lambda lang: LOCALES.get(lang, lang),
    }
    env.globals["feed_html"] = feed_html
    env.globals["nav_href"] = nav_href
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    return env


LATIN = (
    ("a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p")
    + ("r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "-", "y", "-", "e", "yu", "ya")
    + ("a", "g", "q", "n", "o", "u", "u", "h", "i", "h", "j", "i", "u")
)
TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіҳҷӣӯ", LATIN, strict=True))


def slugify(text: str) -> str:
    """ASCII slug of a (Cyrillic or Latin) name, for author and tag URLs."""
    out = "".join(TRANSLIT.get(ch, ch) for ch in text.lower()).replace("-", "")
    return re.sub(r"[^a-z0-9]+", "-", out).strip("-") or "redaktsiya"


def nav_href(nav: list[list[str]], label: str) -> str:
    """Menu link of a section label, else the first menu entry (the news section)."""
    return next((href for name, href in nav if name == label), nav[0][1])


def feed_html(a: Article) -> Markup:
    """Lead and paragraphs as escaped HTML, for feeds' content:encoded."""
    lead = Markup("<p><strong>{}</strong></p>").format(a.lead)
    return Markup("\n").join([lead, *(Markup("<p>{}</p>").format(p) for p in a.paragraphs)])


# ---------------------------------------------------------------- one outlet


@dataclass
class Outlet:
    """Everything needed to render one source of sources.toml."""

    source: dict[str, Any]
    articles: list[Article]  # real articles, newest first
    chrome: dict[str, Any]  # template-set data of this source (outlets.toml)
    extras: list[Article]  # bad-case entries listed alongside articles
    services: list[list[str]]  # sister sites (Pangea footer)
    env: Environment
    strings: dict[str, dict[str, Any]]
    site: Site
    sites: dict[str, Site] = field(default_factory=dict)

    @property
    def sid(self) -> str:
        return str(self.source["id"])

    @property
    def base(self) -> str:
        return f"https://{self.site.host}"

    def extra_site(self, host: str) -> Site:
        """Another host of the outlet (an old domain that redirects), written like the others."""
        return self.sites.setdefault(host, Site(host))

    @property
    def template_set(self) -> str:
        return template_set_of(self.source)

    def editions(self) -> list[str]:
        """Languages with their own chrome, in sources.toml order."""
        langs = [lang for lang in self.source["languages"] if lang in self.chrome]
        return langs or [next(k for k, v in self.chrome.items() if isinstance(v, dict))]

    def edition_of(self, a: Article) -> str:
        return a.lang if a.lang in self.editions() else self.editions()[0]

    def entries(self, lang: str | None = None) -> list[Article]:
        """Articles and bad-case entries of one edition (or all), newest first."""
        items = newest_first(self.articles + self.extras)
        return [a for a in items if lang is None or self.edition_of(a) == lang]

    def context(self, lang: str, **extra: Any) -> dict[str, Any]:
        shared = {k: v for k, v in self.chrome.items() if not isinstance(v, dict)}
        site = shared | self.chrome[lang]
        return {
            "source": self.source,
            "site": site,
            "s": self.strings[lang],
            "lang": lang,
            "base": self.base,
            "host": self.site.host,
            "sections": site.get("sections", {}),
            "services": self.services,
            "page_lang": lang,
            "charset": "utf-8",
            "is_home": False,
            **extra,
        }

    def render(self, template: str, lang: str, **extra: Any) -> str:
        name = f"{self.template_set}/{template}"
        return self.env.get_template(name).render(self.context(lang, **extra))

    def page(self, url: str, template: str, lang: str, **extra: Any) -> None:
        self.site.add(url, self.render(template, lang, page_url=self.base + url, **extra), "html")

    def xml(self, url: str, template: str, lang: str, **extra: Any) -> None:
        self.site.add(url, self.render(template, lang, page_url=self.base + url, **extra), "xml")

    def related(self, a: Article) -> list[Article]:
        """Next articles of the same edition, cyclically: stable and never itself."""
        pool = [x for x in self.entries(self.edition_of(a)) if x.kind == "article"]
        start = pool.index(a) + 1 if a in pool else 0
        ring = pool[start:] + pool[:start]
        return [x for x in ring if x is not a][:RELATED]

    def most_read(self, lang: str, n: int = 5) -> list[Article]:
        pool = [x for x in self.entries(lang) if x.kind == "article"]
        return sorted(pool, key=lambda x: x.token)[:n]

    def article_pages(self, template: str = "article.html.j2") -> None:
        for a in self.articles:
            lang = self.edition_of(a)
            self.page(
                a.path,
                template,
                lang,
                a=a,
                page_lang=a.lang,
                charset=a.charset,
                related=self.related(a),
                latest=self.entries(lang)[:8],
                most_read=self.most_read(lang),
            )

    def listing(self, url: str, next_url: str | None, lang: str, template: str, **kw: Any) -> None:
        """Page 1 of a listing (main list + a full news ticker) and its page 2."""
        entries = self.entries(lang)
        first, second = entries[:PER_PAGE], entries[PER_PAGE : 2 * PER_PAGE]
        if not second:  # short outlets: page 2 repeats the older half, like real archives
            second = entries[len(entries) // 2 :]
        common = {"ticker": entries, "most_read": self.most_read(lang), **kw}
        self.page(url, template, lang, items=first, next_url=next_url, prev_url=None, **common)
        if next_url:
            self.page(next_url, template, lang, items=second, next_url=None, prev_url=url, **common)

    def home(self, url: str, lang: str, template: str) -> None:
        """A home page that is not the crawler's listing: newest entries, no pagination."""
        entries = self.entries(lang)
        self.page(
            url,
            template,
            lang,
            items=entries[:PER_PAGE],
            ticker=entries,
            most_read=self.most_read(lang),
            next_url=None,
            prev_url=None,
            is_home=True,
        )


# ---------------------------------------------------------------- families


def month_sitemaps(entries: list[Article]) -> dict[str, list[Article]]:
    """Entries grouped per month of publication, newest month first (Pangea's sitemaps)."""
    by_month: dict[str, list[Article]] = {}
    for a in entries:
        by_month.setdefault(f"{a.published:%Y_%m}", []).append(a)
    return dict(sorted(by_month.items(), reverse=True))


def render_pangea(o: Outlet) -> None:
    lang = o.editions()[0]
    o.site.add("/robots.txt", o.render("robots.txt.j2", lang), "txt")
    o.listing("/", "/?p=1", lang, "home.html.j2")
    for feed in o.source["feeds"]:  # /api/<token>: the all-news RSS feed
        o.xml(urlsplit(feed).path, "rss.xml.j2", lang, items=o.entries(lang)[:30])
    o.article_pages()
    for g in (e for e in o.extras if e.kind == "gallery"):
        o.page(
            g.path,
            "gallery.html.j2",
            lang,
            a=g,
            page_lang=g.lang,
            latest=o.entries(lang)[:8],
            most_read=o.most_read(lang),
        )
    months = month_sitemaps(o.entries())
    o.xml("/sitemap.xml", "sitemap_index.xml.j2", lang, months=months)
    for month, items in months.items():
        o.xml(f"/sitemap_{month}.xml", "sitemap_month.xml.j2", lang, items=items)


def render_wordpress(o: Outlet) -> None:
    editions = o.editions()
    o.site.add("/robots.txt", o.render("robots.txt.j2", editions[0]), "txt")
    for lang in editions:
        prefix = o.chrome[lang]["path_prefix"]
        o.listing(prefix, f"{prefix}page/2/", lang, "home.html.j2")
        default_feed = f"{prefix}feed/" if prefix == "/" else f"{prefix}feed"
        feed = o.chrome[lang].get("feed_path", default_feed)
        o.xml(feed, "feed.xml.j2", lang, items=o.entries(lang))
        o.site.rule(feed, headers={"Content-Type": "application/rss+xml; charset=UTF-8"})
    home = o.chrome[editions[0]]["path_prefix"]
    if home != "/":  # a multilingual install redirects its root to the first language
        o.site.rule("/", status=301, location=f"{o.base}{home}")
    o.article_pages()
    for d in (e for e in o.extras if e.kind == "deleted"):
        o.page(d.path, "not_found.html.j2", o.edition_of(d), a=d, latest=o.entries()[:8])
        o.site.rule(d.url, status=404)
    posts = [a for a in o.entries() if a.kind == "article"]
    for a in posts:  # WordPress shortlinks answer with a redirect to the permalink
        o.site.rule(f"/?p={a.post_id}", status=301, location=a.url)
    if o.chrome["seo"] == "yoast":
        o.xml("/sitemap_index.xml", "yoast_index.xml.j2", editions[0], items=posts)
        o.xml("/post-sitemap.xml", "yoast_posts.xml.j2", editions[0], items=posts)
    elif o.chrome["seo"] == "core":  # "none": a site whose sitemap we do not know
        o.xml("/wp-sitemap.xml", "wp_sitemap_index.xml.j2", editions[0], items=posts)
        o.xml("/wp-sitemap-posts-post-1.xml", "wp_sitemap_posts.xml.j2", editions[0], items=posts)


def render_24kg(o: Outlet) -> None:
    lang = o.editions()[0]
    o.site.add("/robots.txt", o.render("robots.txt.j2", lang), "txt")
    o.listing("/", "/page_2/", lang, "home.html.j2")
    o.xml("/rss/", "rss.xml.j2", lang, items=o.entries(lang)[:30])
    o.article_pages()
    for a in o.articles:
        if a.charset != "utf-8":
            o.site.rule(
                a.url,
                encoding=a.charset,
                headers={"Content-Type": f"text/html; charset={a.charset}"},
            )


def render_kun_uz(o: Outlet) -> None:
    o.site.add("/robots.txt", o.render("robots.txt.j2", o.editions()[0]), "txt")
    for lang in o.editions():
        prefix = o.chrome[lang]["prefix"]
        o.listing(f"{prefix}/news/list", f"{prefix}/news/list?page=2", lang, "list.html.j2")
        o.xml(f"{prefix}/news/rss", "rss.xml.j2", lang, items=o.entries(lang))
        o.home(f"{prefix}/", lang, "list.html.j2")
    o.article_pages()


def render_asia_plus(o: Outlet, old: Site) -> None:
    """asiaplus.news; its old host asiaplustj.info answers every page with a 301 there."""
    lang = o.editions()[0]
    o.site.add("/robots.txt", o.render("robots.txt.j2", lang), "txt")
    o.listing("/vse-novosti/", "/vse-novosti/page/2/", lang, "list.html.j2")
    o.home("/", lang, "list.html.j2")
    o.xml("/feed/", "rss.xml.j2", lang, items=o.entries(lang)[:30])
    o.article_pages()
    old.rule("/", status=301, location=f"{o.base}/")
    old.rule("/ru", status=301, location=f"{o.base}/")
    old.rule("/ru/rss", status=301, location=f"{o.base}/feed/")
    old.rule("/ru/news/all", status=301, location=f"{o.base}/vse-novosti/")


def render_newsroom(o: Outlet) -> None:
    """A custom news CMS: per edition a home page, a listing (maybe paginated), maybe a feed."""
    editions = o.editions()
    if "robots.txt" not in o.site.files:  # an edition on a host another source renders
        o.site.add("/robots.txt", o.render("robots.txt.j2", editions[0]), "txt")
    for lang in editions:
        edition = o.chrome[lang]
        home, listing = edition["home"], edition.get("listing", edition["home"])
        if listing != home:
            o.home(home, lang, "list.html.j2")
        o.listing(listing, edition.get("next"), lang, "list.html.j2", is_home=listing == home)
        if "feed" in edition:
            o.xml(edition["feed"], "rss.xml.j2", lang, items=o.entries(lang)[:30])
    if "root_redirect" in o.chrome:
        o.site.rule("/", status=301, location=o.base + o.chrome["root_redirect"])
    o.article_pages()


RENDERERS: dict[str, Callable[[Outlet], None]] = {
    "pangea": render_pangea,
    "wordpress": render_wordpress,
    "24kg": render_24kg,
    "kun-uz": render_kun_uz,
    "asia-plus": lambda o: render_asia_plus(o, o.extra_site("asiaplustj.info")),
    NEWSROOM: render_newsroom,
}


def template_set_of(source: dict[str, Any]) -> str:
    """Family set (pangea, wordpress), a custom outlet's own set, else the newsroom set."""
    if source["family"] in TEMPLATE_SETS:
        return TEMPLATE_SETS[source["family"]]
    return source["id"] if (TEMPLATES / source["id"]).is_dir() else NEWSROOM


# ---------------------------------------------------------------- bad cases


def bad_case_entry(case: dict[str, Any], kind: str) -> Article:
    return Article(
        source=case["source"],
        key=re.sub(r"\D", "", case["url"]) or kind,
        slug=kind,
        lang="ru",
        section="news",
        published=datetime.fromisoformat(case["published"]),
        author=case["author"],
        title=case["title"],
        lead=case["lead"],
        paragraphs=[],
        topics=[],
        url=case["url"],
        kind=kind,
        captions=list(case.get("captions", [])),
    )


def apply_bad_cases(sid: str, articles: list[Article], cases: dict[str, Any]) -> list[Article]:
    """Extras listed with this outlet's articles; marks the cp1251 article in place."""
    extras = [
        bad_case_entry(cases[k], k) for k in ("deleted", "gallery") if cases[k]["source"] == sid
    ]
    cp = cases["cp1251"]
    if cp["source"] == sid and articles:
        chosen = next((a for a in articles if a.topics), articles[0])
        chosen.charset = cp["encoding"]
    return extras


# ---------------------------------------------------------------- checks and main


def check_outlet(o: Outlet) -> list[str]:
    """Problems that would make the replay disagree with sources.toml."""
    problems = []
    pattern = re.compile(o.source["article_pattern"])
    for a in o.articles + o.extras:
        if not pattern.fullmatch(a.url):
            problems.append(f"{o.sid}: {a.url} does not match article_pattern")
    for a in o.articles:
        size = len(o.site.files[o.site.name_of(a.url)].encode())
        if not PAGE_BYTES[0] <= size <= PAGE_BYTES[1]:
            problems.append(f"{o.sid}: {a.url} renders to {size} bytes, outside {PAGE_BYTES}")
    problems += stray_article_links(o, pattern)
    entry_urls = [*o.source["feeds"], *o.source["sitemaps"], *o.source["listings"]]
    for url in [*entry_urls, o.source["base_url"]]:
        split = urlsplit(url)
        names = candidate_files(split.path or "/", split.query)
        if not any(n in o.site.files for n in names) and split.path not in o.site.rules:
            problems.append(f"{o.sid}: nothing rendered for {url}")
    return problems


def stray_article_links(o: Outlet, pattern: re.Pattern[str]) -> list[str]:
    """Links a crawler would take for articles (per article_pattern) that are no entry."""
    known = {a.url for a in o.articles + o.extras}
    problems = []
    for name, text in o.site.files.items():
        if not name.endswith(".html"):
            continue
        for href in re.findall(r'<a\s[^>]*?href="([^"]*)"', text):
            url = urljoin(o.site.urls[name], html.unescape(href)).split("#")[0]
            url = TRACKING.sub("", url)
            if pattern.fullmatch(url) and url not in known:
                problems.append(f"{o.sid}: {o.site.urls[name]} links {url}, not an article")
    return sorted(set(problems))


def load_outlet(
    source: dict[str, Any],
    content_dir: Path,
    env: Environment,
    strings: dict[str, Any],
    sites: dict[str, Site],
) -> Outlet | None:
    file = content_dir / f"{source['id']}.json"
    if not file.is_file():
        print(f"warning: no content for {source['id']} ({file}); skipped", file=sys.stderr)
        return None
    raw = json.loads(file.read_text("utf-8"))
    articles = newest_first(parse_article(source["id"], r) for r in raw["articles"])
    for a in articles:
        a.url = article_url(source, a)
    cases = tomllib.loads((TEMPLATES / "bad_cases.toml").read_text("utf-8"))
    extras = apply_bad_cases(source["id"], articles, cases)
    set_name = template_set_of(source)
    chrome_all = tomllib.loads((TEMPLATES / set_name / "outlets.toml").read_text("utf-8"))
    services = chrome_all.get("_services", {}).get("links", [])
    host = source["allowed_hosts"][0]
    site = sites.setdefault(host, Site(host))
    return Outlet(source, articles, chrome_all[source["id"]], extras, services, env, strings, site,
                  sites)


def build(sources_file: Path, content_dir: Path, out: Path) -> dict[str, Site]:
    """Render every source; returns the sites written."""
    sources = tomllib.loads(sources_file.read_text("utf-8"))["source"]
    strings = tomllib.loads((TEMPLATES / "strings.toml").read_text("utf-8"))
    env = make_env(strings)
    sites: dict[str, Site] = {}
    problems: list[str] = []
    channels = [s for s in sources if s["family"] == "telegram"]  # t.me: telegram_site.py
    if channels:
        render_channels(channels, sites.setdefault("t.me", Site("t.me")))
    for source in (s for s in sources if s["family"] != "telegram"):
        outlet = load_outlet(source, content_dir, env, strings, sites)
        if outlet is None:
            continue
        renderer = RENDERERS.get(template_set_of(source))
        if renderer is None:
            raise SystemExit(f"no templates for source {source['id']!r}")
        renderer(outlet)
        problems += check_outlet(outlet)
    if problems:
        raise SystemExit("replay build failed:\n  " + "\n  ".join(problems))
    write_sites(out, sites)
    return sites


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=Path, default=REPO / "config" / "sources.toml")
    parser.add_argument("--content", type=Path, default=REPLAY_DIR / "content")
    parser.add_argument("--out", type=Path, default=REPLAY_DIR / "sites")
    args = parser.parse_args(argv)
    sites = build(args.sources, args.content, args.out)
    for host, site in sorted(sites.items()):
        print(f"{host:20} {len(site.files) + 1:4} files")
    print(f"wrote {sum(len(s.files) + 1 for s in sites.values())} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
