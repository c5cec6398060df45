"""The alert report: each story once under its country with all its topics, a highlight
colour per topic and the query terms that fired, headline apart from the lead, the archived
copy's reference and workspace links, sources' health in words, escaping, JSON."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.alerts.channels import RenderedReport
from flows.alerts.delivery import rule_report, run_alerts
from flows.alerts.health import counted, health_table
from flows.alerts.matches import parse_matches, snippet
from flows.alerts.near_duplicates import groups
from flows.settings import load_settings
from flows.tagging.topics import load_topics
from flows.topic_colours import PALETTE
from flows.web.rendering import TopicLabels
from tests.helpers import (
    CONFIG,
    MALICIOUS_TITLE,
    REPORT_RULE,
    WIRE,
    Article,
    config_dir,
    load_articles,
    police_story,
    report_articles,
)
from warehouse.connection import open_warehouse

BASE = "https://monitor.example.org"
# The query terms as topics.toml writes them, for the words the helper articles match.
TERMS = {"пыткам": "пытк*", "изоляторе": "изолятор*", "милиции": "милиц*", "акции": "акци*",
         "пикет": "пикет*"}


def with_query_terms(data: Path) -> None:
    """Stored matches name the query term as written (`пытк*`), not the word it matched."""
    with open_warehouse(data) as con:
        for word, term in TERMS.items():
            con.execute("UPDATE article_topics SET matches = replace(matches::VARCHAR, ?, ?)::JSON",
                        [f'"term":"{word}"', f'"term":"{term}"'])


def report_of(data: Path, base_url: str = "") -> RenderedReport:
    with open_warehouse(data) as con:
        return rule_report(con, REPORT_RULE, "file", "run1", datetime.now(UTC), base_url)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    load_articles(tmp_path, "run1", report_articles())
    with_query_terms(tmp_path)
    return tmp_path


@pytest.fixture
def rendered(data: Path) -> RenderedReport:
    return report_of(data)


def story_html(html: str, article_id: str) -> str:
    story = re.search(rf'<div class="story" id="story-{article_id}">\n(.*?)\n</div>\n', html,
                      re.S).group(1)
    assert '<div class="story"' not in story  # one story, not the next one's start
    return story


# --- 1. each story once, grouped by country, newest first ------------------------------

def test_near_duplicates_group_only_reprints() -> None:
    assert groups([WIRE, WIRE + " Фото: 24.kg", "Совсем другой текст о пикете в Душанбе."]) \
        == [[0, 1], [2]]


def test_each_story_is_listed_once_with_all_its_topics(rendered: RenderedReport) -> None:
    report = rendered.report
    assert [(g.country, [s.article_id for s in g.stories]) for g in report.groups] == [
        ("Kyrgyzstan", ["a-evil", "a-wire1"]),  # newest first
        ("Tajikistan", ["a-tj"])]
    assert report.summary["topics"] == {"police": 3, "protest": 3, "torture": 1}
    html, md = rendered.html, rendered.markdown
    assert html.count("В Бишкеке задержали участников акции") == 1  # police and protest
    assert md.count("В Бишкеке задержали участников акции") == 1
    wire = story_html(html, "a-wire1")
    assert re.findall(r'<span class="badge t-[a-z]+">(\w+)</span>', wire.split("<p")[0]) \
        == ["police", "protest"]
    assert "Kloop, " in md and " · topics: police, protest" in md
    assert html.index("<h3>Kyrgyzstan</h3>") < html.index("<h3>Tajikistan</h3>")


def test_countries_go_a_to_z_then_regional_then_unknown() -> None:
    from flows.alerts.report import Story, country_groups

    def story(article_id: str, countries: list[str]) -> Story:
        return Story(article_id, "t", "https://x.test/", "o", countries, "ru", None, [], 1.0, [])

    leads = [story("r", ["KG", "KZ"]), story("u", []), story("tj", ["TJ"]), story("kz", ["KZ"]),
             story("kz2", ["KZ"])]
    assert [(g.country, [s.article_id for s in g.stories]) for g in country_groups(leads)] == [
        ("Kazakhstan", ["kz", "kz2"]), ("Tajikistan", ["tj"]), ("Regional", ["r"]),
        ("Country unknown", ["u"])]


def test_reprints_are_shown_once_with_also_reported_by(rendered: RenderedReport) -> None:
    report = rendered.report
    assert report.summary["stories"] == 4 and report.summary["reprints"] == 1
    lead = next(s for s in report.stories if s.also)
    assert lead.article_id == "a-wire1"  # published first
    assert [o.outlet for o in lead.also] == ["24.kg"]
    also = re.search(r'<div class="also">(.*?)</div>', story_html(rendered.html, "a-wire1"))
    assert also.group(1).startswith(
        'Also reported by:<ul><li><a href="https://example.test/24kg/a-wire2">24.kg</a> ('
        ) and "archived copy: <span class=\"ref\">capture c-a-wire2 · " in also.group(1)
    assert "- [24.kg](<https://example.test/24kg/a-wire2>), " in rendered.markdown
    assert "Archived copy: capture c-a-wire2 · warc/run1/24kg.warc.gz at byte 0" \
        in rendered.markdown
    assert "Участников акции у мэрии" not in rendered.html
    assert report.article_ids.count("a-wire2") == 1  # still delivered, once


def test_chart_counts_each_topic_of_a_story(rendered: RenderedReport) -> None:
    report = rendered.report
    assert sum(int(b.label.rsplit(": ", 1)[1]) for b in report.chart.bars) == 7
    assert "<svg" in rendered.html and rendered.html.count("<rect") >= 4


# --- 2. a colour per topic; the terms that fired and the words they matched -------------

def test_each_topic_has_its_own_highlight_class_and_colour(rendered: RenderedReport) -> None:
    styles = rendered.report.topics
    assert [s.css_class for s in styles.values()] == ["t-police", "t-protest", "t-torture"]
    assert len({s.tint for s in styles.values()}) == 3
    html = rendered.html
    for style in styles.values():
        assert f".{style.css_class} mark, mark.{style.css_class} {{ background: {style.tint};" \
            in html
    evil = story_html(html, "a-evil")
    assert '<span class="t-torture" title="torture"><mark>пыткам</mark></span>' in evil
    assert '<span class="t-police" title="police"><mark>изоляторе</mark></span>' in evil
    legend = re.search(r'<p class="legend meta">(.*?)</p>', html).group(1)
    assert re.findall(r'<span class="(t-\w+)"><mark>(\w+)</mark>', legend) == [
        ("t-police", "police"), ("t-protest", "protest"), ("t-torture", "torture")]


def test_a_topic_has_its_topics_toml_colour_whatever_the_rules_order(tmp_path: Path) -> None:
    """Police is the first topic of topics.toml: the first colour of the palette in every
    report (whatever place a rule gives it) and in the workspace."""
    order = [t.id for t in load_topics(CONFIG / "topics.toml").topics]
    config = config_dir(tmp_path, extra_rules='[[alerts.rules]]\nname = "abuse"\n'
                        'topics = ["torture", "police"]\nchannels = ["file"]\n')
    data = tmp_path / "data"
    load_articles(data, "run1", report_articles())
    with open_warehouse(data) as con:
        results = run_alerts(con, load_settings(config, data), "run1", data / "reports")
    assert [r.rule for r in results] == ["rights", "abuse"]
    for result in results:
        html = result.html.read_text()
        for topic in ("police", "torture"):
            colour = PALETTE[order.index(topic) % len(PALETTE)]
            assert (f".t-{topic} mark, mark.t-{topic} {{ background: {colour.tint}; "
                    f"box-shadow: inset 0 -2px 0 {colour.ink}; }}") in html
            assert f".badge.t-{topic} {{ background: {colour.ink};" in html
            assert f'fill="{colour.ink}"><title>{topic} ' in html  # its chart bars
            assert TopicLabels(dict.fromkeys(order, "")).colour(topic) == \
                f"topic-{order.index(topic) % len(PALETTE)}"


def test_each_topic_names_the_query_terms_that_fired(rendered: RenderedReport) -> None:
    evil = story_html(rendered.html, "a-evil")
    assert ('<span class="badge t-torture">torture</span> <span class="term">пытк*</span> → '
            '<span class="t-torture"><mark>пыткам</mark></span>') in evil
    assert ('<span class="badge t-police">police</span> <span class="term">изолятор*</span> → '
            '<span class="t-police"><mark>изоляторе</mark></span>') in evil
    md = rendered.markdown
    assert "- torture: пытк\\* → **пыткам**\n" in md
    assert "- police: изолятор\\* → **изоляторе**\n" in md
    assert "> В **изоляторе** задержанного подвергли **пыткам**, заявили родственники." in md
    story = next(s for s in json.loads(rendered.json)["stories"] if s["article_id"] == "a-evil")
    assert story["matches"]["torture"] == [
        {"term": "пытк*", "surfaces": ["пыткам"], "in_title": False, "in_text": True}]
    assert {"text": "пыткам", "highlighted": True, "topics": ["torture"]} in story["snippet"]


def test_a_tag_the_borderline_model_decided_says_so_in_every_format(data: Path) -> None:
    with open_warehouse(data) as con:
        con.execute("UPDATE article_topics SET borderline = 0.834 "
                    "WHERE article_id = 'a-evil' AND topic = 'police'")
    rendered = report_of(data)
    note = "(decided by the borderline model, probability 0.83)"
    evil = story_html(rendered.html, "a-evil")
    assert evil.count(note) == 1
    police = re.search(r'<li><span class="badge t-police">.*?</li>', evil).group(0)
    assert note in police  # beside the police tag's words, not the torture tag's
    assert f"- police: изолятор\\* → **изоляторе** {note}\n" in rendered.markdown
    assert rendered.markdown.count(note) == 1
    stories = {s["article_id"]: s for s in json.loads(rendered.json)["stories"]}
    assert stories["a-evil"]["borderline"] == {"police": 0.834}
    assert all(not s["borderline"] for k, s in stories.items() if k != "a-evil")


def test_matches_group_words_by_term_and_spans_by_topic() -> None:
    """A custody word that two topics' queries need is one span naming both topics; a term
    matching several words lists each once; a headline match is flagged."""
    text = "Задержанного пытали в ИВС, пытки продолжались в ИВС."
    hit = {"field": "text"}
    found = parse_matches([
        {"topic": "torture", "matches": json.dumps([
            {**hit, "term": "пыт*", "surface": "пытали", "start": 13, "end": 19},
            {**hit, "term": "пыт*", "surface": "пытки", "start": 27, "end": 32},
            {**hit, "term": "ИВС", "surface": "ИВС", "start": 22, "end": 25},
            {"field": "title", "term": "пыт*", "surface": "Пытки", "start": 0, "end": 5}])},
        {"topic": "police", "matches": [
            {**hit, "term": "ИВС", "surface": "ИВС", "start": 22, "end": 25}]},
    ])
    torture = {h.term: h for h in found.by_topic["torture"]}
    assert torture["пыт*"].surfaces == ("Пытки", "пытали", "пытки")
    assert torture["пыт*"].where == "also in the headline" and torture["ИВС"].where == ""
    parts = snippet(text, found.spans)
    assert [(p.text, p.topics) for p in parts if p.topics] == [
        ("пытали", ("torture",)), ("ИВС", ("torture", "police")), ("пытки", ("torture",))]
    assert "".join(p.text for p in parts) == text


def test_a_snippet_opens_and_closes_on_whole_words() -> None:
    words = " ".join(f"слово{i}" for i in range(200))
    at = words.index("слово100")
    parts = snippet(words, [(at, at + len("слово100"), ("police",))])
    assert parts[0].text == "…" and parts[-1].text == "…"
    assert re.match(r"слово\d+ ", parts[1].text) and parts[1].text[0] != "о"
    assert re.search(r" слово\d+$", parts[-2].text)
    assert set(parts[1].text.split()) <= set(words.split())


# --- 3. headline apart from the lead -------------------------------------------------------

def test_headline_is_its_own_element_and_line(rendered: RenderedReport) -> None:
    wire = story_html(rendered.html, "a-wire1")
    assert re.match(r'\s*<h4 class="headline"><a href="[^"]+">В Бишкеке задержали участников '
                    r'акции</a></h4>\n', wire)
    assert '<p class="snippet">Сотрудники <span class="t-police"' in wire
    md = rendered.markdown
    assert ("#### [В Бишкеке задержали участников акции](<https://example.test/kloop/a-wire1>)"
            "\n\nKloop, ") in md
    assert "\n\n> Сотрудники **милиции** задержали" in md


def test_a_headline_repeated_as_the_first_line_is_not_shown_again(tmp_path: Path) -> None:
    load_articles(tmp_path, "run1", [Article(
        "a-dup", "Пытки в ИВС Бишкека", "Пытки в ИВС Бишкека\nПравозащитники сообщили о пытках "
        "задержанного в изоляторе.", {"torture": ["Пытки", "пытках"]})])
    story = report_of(tmp_path).report.stories[0]
    assert [(p.text, bool(p.topics)) for p in story.snippet] == [
        ("Правозащитники сообщили о ", False), ("пытках", True),
        (" задержанного в изоляторе.", False)]


# --- 5. the archived copy, and links to the workspace ------------------------------------

def test_without_base_url_the_headline_links_the_page_and_the_archive_is_text(
        rendered: RenderedReport) -> None:
    wire = story_html(rendered.html, "a-wire1")
    assert '<h4 class="headline"><a href="https://example.test/kloop/a-wire1">' in wire
    reference = re.search(r'archived copy: <span class="ref">(.*?)</span>', wire).group(1)
    assert re.fullmatch(r"capture c-a-wire1 · warc/run1/kloop\.warc\.gz at byte 1 · fetched "
                        r"\d{4}-\d\d-\d\d \d\d:\d\d UTC · payload SHA-1 x", reference)
    assert "/stories/" not in rendered.html and "/archive/" not in rendered.html
    assert "Archived copy: capture c-a-wire1 · warc/run1/kloop.warc.gz at byte 1" \
        in rendered.markdown
    archive = json.loads(rendered.json)["stories"][1]["archive"]
    assert archive["capture_id"] == "c-a-wire1" and archive["warc_offset"] == 1
    assert archive["content_sha1"] == "x" and archive["archive_url"] is None


def test_with_base_url_the_headline_links_the_story_page(data: Path) -> None:
    rendered = report_of(data, BASE + "/")
    wire = story_html(rendered.html, "a-wire1")
    assert f'<h4 class="headline"><a href="{BASE}/stories/a-wire1">' in wire
    assert '<a href="https://example.test/kloop/a-wire1">live page</a>' in wire
    assert f'<a href="{BASE}/archive/c-a-wire1">archived copy</a>: <span class="ref">' \
        "capture c-a-wire1 · " in wire
    assert f'Also reported by:<ul><li><a href="{BASE}/stories/a-wire2">24.kg</a>' in wire
    assert f'<a href="{BASE}/archive/c-a-wire2">archived copy</a>' in wire
    md = rendered.markdown
    assert f"#### [В Бишкеке задержали участников акции](<{BASE}/stories/a-wire1>)" in md
    assert (f"[live page](<https://example.test/kloop/a-wire1>) · "
            f"[archived copy](<{BASE}/archive/c-a-wire1>): capture c-a-wire1") in md
    story = json.loads(rendered.json)["stories"][1]
    assert story["story_url"] == f"{BASE}/stories/a-wire1"
    assert story["archive"]["archive_url"] == f"{BASE}/archive/c-a-wire1"


def test_the_runs_stories_to_check_are_counted_and_linked(data: Path) -> None:
    """Near misses of this run (a topic's query matched without tagging) are counted per
    topic in every format, with a link to the workspace's list; other runs' are not."""
    assert "Stories to check" not in report_of(data, BASE).html
    with open_warehouse(data) as con:
        ids = [i for (i,) in con.execute("SELECT article_id FROM articles ORDER BY 1").fetchall()]
        for article, run in ((ids[0], "run1"), (ids[1], "run1"), (ids[2], "run0")):
            con.execute("INSERT INTO article_near_misses (article_id, topic, score, matches, "
                        "borderline, topics_version, run_id, tagged_at) "
                        "VALUES (?, 'torture', 1, '[]', 0.4, 'v1', ?, now())", [article, run])
    rendered = report_of(data, BASE + "/")
    assert (f'torture <b>2</b> — <a href="{BASE}/missed">check them in the workspace</a>'
            in rendered.html)
    assert f"torture 2 — [check them in the workspace](<{BASE}/missed>)" in rendered.markdown
    assert json.loads(rendered.json)["to_check"] == {"stories": {"torture": 2},
                                                     "url": f"{BASE}/missed"}
    assert "check them in the workspace" not in report_of(data).html  # no base_url: no link
    assert "torture <b>2</b>" in report_of(data).html


def test_web_base_url_from_settings_reaches_the_report_files(tmp_path: Path) -> None:
    config = config_dir(tmp_path)
    with (config / "settings.toml").open("a") as settings_file:
        settings_file.write(f'\n[web]\nbase_url = "{BASE}"\n')
    data = tmp_path / "data"
    load_articles(data, "run1", [police_story("a1", "Задержание в Оше")])
    with open_warehouse(data) as con:
        result = run_alerts(con, load_settings(config, data), "run1", data / "reports")[0]
    assert f'<a href="{BASE}/stories/a1">Задержание в Оше</a>' in result.html.read_text()


def test_a_base_url_that_is_not_web_links_nothing(data: Path) -> None:
    html = report_of(data, "javascript:alert(1)").html
    assert "javascript:alert(1)" not in html and "/stories/" not in html


# --- 4. the sources' health in words -------------------------------------------------------

def test_health_says_in_words_what_failed_and_for_how_long(tmp_path: Path) -> None:
    """Three nights: 24.kg fails the last two, Asia-Plus stores nothing new in any; Kloop's
    last night has errors and coverage gaps."""
    for night in ("run1", "run2", "run3"):
        load_articles(tmp_path, night, [police_story(f"{night}-a", f"Задержание {night}")])
    with open_warehouse(tmp_path) as con:
        con.execute("UPDATE source_runs SET status = 'failed', message = 'DNSLookupError: "
                    "24.kg' WHERE source_id = '24kg' AND run_id IN ('run2', 'run3')")
        con.execute("""UPDATE source_runs SET errors_by_kind = '{"http_404": 2, "timeout": 1}'
                       WHERE source_id = 'kloop' AND run_id = 'run3'""")
        for n, kind in enumerate(["http_404", "http_404", None]):
            url = f"https://example.test/kloop/gone-{n}"
            con.execute("INSERT INTO listed_links VALUES ('run3', 'kloop', ?, 'feed', false, "
                        "NULL)", [url])
            if kind:
                con.execute("INSERT INTO run_errors VALUES ('run3', 'kloop', ?, 'crawl', ?, "
                            "'HTTP 404 for article page', 404, NULL)", [url, kind])
        rendered = rule_report(con, REPORT_RULE, "file", "run3", datetime.now(UTC))
    table = {h.outlet: h for h in rendered.report.health_table}
    assert list(table) == ["24.kg", "Asia-Plus", "Kloop"]  # failing, then flagged, then ok
    assert table["24.kg"].status == "failed: DNSLookupError: 24.kg"
    assert table["24.kg"].flags == ["failing for 2 nights", "no new story for 3 nights"]
    assert table["Asia-Plus"].flags == ["no new story for 3 nights"]
    assert table["Kloop"].problems == [
        "2 pages not found (HTTP 404), 1 timed out",
        "3 listed stories not stored: 2 not found (HTTP 404), 1 not fetched in this run"]
    html, md = rendered.html, rendered.markdown
    assert "<td>Asia-Plus</td>" in html and '<span class="flag">failing for 2 nights</span>' in html
    assert "{" not in html.split("Sources in this run")[1]  # no JSON left
    assert "| 24.kg | failed: DNSLookupError: 24.kg; **failing for 2 nights**; " in md
    assert "2 pages not found (HTTP 404), 1 timed out; 3 listed stories not stored" in md
    raw = {h["source_id"]: h for h in json.loads(rendered.json)["source_health"]}
    assert json.loads(raw["kloop"]["errors_by_kind"]) == {"http_404": 2, "timeout": 1}


def test_error_kinds_in_words() -> None:
    assert counted({"timeout": 1, "http_404": 2}, "page") == \
        "2 pages not found (HTTP 404), 1 timed out"
    assert counted({"http_503": 1}, "page") == "1 page server error (HTTP 503)"
    assert counted({"robots_disallowed": 3, "some_new_kind": 1}, "page") == \
        "3 pages blocked by robots.txt, 1 some new kind"
    assert counted({"pattern_miss": 2, "moved": 1}, "page") == ("2 pages with links that look "
        "like articles but fail the URL pattern, 1 moved to another host")
    row = {"source_id": "x", "status": "ok", "pages_fetched": 1}
    assert health_table([row], [])[0].outlet == "x"  # no name: the id


def test_no_stories_and_no_health_still_render(tmp_path: Path) -> None:
    from flows.alerts.report import build_report, render_html, render_markdown

    report = build_report("r", ["police"], "run1", [], [], [], datetime.now(UTC))
    html, md = render_html(report), render_markdown(report)
    assert "No newly matched stories" in html and "No source figures" in html
    assert "No newly matched stories" in md and "## Stories" not in md


# --- 6. scraped text stays text -------------------------------------------------------------

def test_scraped_text_is_escaped_everywhere(rendered: RenderedReport) -> None:
    html = rendered.html
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in html
    assert "onerror=&#34;" in html  # as text, inside no tag
    md = rendered.markdown
    assert re.search(r"<(script|img)", md) is None and "&lt;script&gt;" in md
    data = json.loads(rendered.json)
    assert any(s["title"] == MALICIOUS_TITLE for s in data["stories"])


def test_json_report_holds_stories_reprints_and_health(rendered: RenderedReport) -> None:
    data = json.loads(rendered.json)
    assert data["summary"]["stories"] == 4
    wire = next(s for s in data["stories"] if s["article_id"] == "a-wire1")
    assert wire["also_reported_by"][0]["outlet"] == "24.kg"
    assert wire["also_reported_by"][0]["archive"]["capture_id"] == "c-a-wire2"
    assert wire["matched_terms"] == {"police": ["милиции"], "protest": ["акции"]}
    assert {h["source_id"] for h in data["source_health"]} == {"kloop", "24kg", "asia-plus"}
    assert {h["outlet"] for h in data["source_health_in_words"]} == {"Kloop", "24.kg",
                                                                     "Asia-Plus"}
