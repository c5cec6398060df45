"""The alert report: grouping, reprints shown once, highlights, counts, escaping, JSON."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.alerts.channels import RenderedReport
from flows.alerts.delivery import rule_report
from flows.alerts.near_duplicates import groups
from tests.helpers import MALICIOUS_TITLE, REPORT_RULE, WIRE, load_articles, report_articles
from warehouse.connection import open_warehouse


@pytest.fixture
def rendered(tmp_path: Path) -> RenderedReport:
    load_articles(tmp_path, "run1", report_articles())
    with open_warehouse(tmp_path) as con:
        return rule_report(con, REPORT_RULE, "file", "run1", datetime.now(UTC))


def test_near_duplicates_group_only_reprints() -> None:
    assert groups([WIRE, WIRE + " Фото: 24.kg", "Совсем другой текст о пикете в Душанбе."]) \
        == [[0, 1], [2]]


def test_reprints_are_shown_once_with_also_reported_by(rendered: RenderedReport) -> None:
    report = rendered.report
    assert report.summary["stories"] == 4 and report.summary["reprints"] == 1
    lead = next(s for s in report.stories if s.also)
    assert lead.article_id == "a-wire1"  # published first
    assert [o.outlet for o in lead.also] == ["24.kg"]
    assert "Also reported by: <a href=\"https://example.test/24kg/a-wire2\">24.kg</a>" \
        in rendered.html
    assert rendered.html.count("В Бишкеке задержали участников акции") == 2  # police + protest
    assert "Участников акции у мэрии" not in rendered.html


def test_report_groups_by_topic_and_country_and_counts(rendered: RenderedReport) -> None:
    report = rendered.report
    assert [s.topic for s in report.sections] == ["police", "protest", "torture"]
    protest = dict(report.sections[1].countries)
    assert sorted(protest) == ["Kyrgyzstan", "Tajikistan"]
    assert report.summary["topics"] == {"police": 3, "protest": 3, "torture": 1}
    assert sum(int(b.label.rsplit(": ", 1)[1]) for b in report.chart.bars) == 7
    assert "<svg" in rendered.html and rendered.html.count("<rect") >= 4
    assert "<mark>пыткам</mark>" in rendered.html
    assert "**пыткам**" in rendered.markdown


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
    assert {"text": "милиции", "highlighted": True} in wire["snippet"]
    assert {h["source_id"] for h in data["source_health"]} == {"kloop", "24kg", "asia-plus"}


def test_health_table_shows_every_column_the_statement_returns(tmp_path: Path) -> None:
    from flows.alerts.report import build_report, render_html, render_markdown

    health = [{"source_id": "kloop", "status": "ok", "robots_blocked": 7, "seconds": 1.25}]
    report = build_report("r", ["police"], "run1", [], health, [], datetime.now(UTC))
    html, md = render_html(report), render_markdown(report)
    assert "<th>robots blocked</th>" in html and "<td class=\"num\">7</td>" in html
    assert "| source id | status | robots blocked | seconds |" in md
    assert "No newly matched stories" in html
