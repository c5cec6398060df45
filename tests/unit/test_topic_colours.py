"""One palette of topic colours (flows/topic_colours.py) for the report and the workspace:
the workspace's static style.css holds exactly that palette, every colour keeps its text
readable, and a topic takes its colour by its place in topics.toml everywhere."""

from __future__ import annotations

import re
from datetime import date

from flows.alerts.chart import chart
from flows.tagging.topics import load_topics
from flows.topic_colours import PALETTE, STYLESHEET, colour_index, css_block, main
from flows.web.rendering import TopicLabels
from tests.helpers import CONFIG

BADGE = re.compile(r"\.badge\.topic-(\d+)\s*\{\s*background:\s*(#[0-9a-f]{6});\s*\}")
MARK = re.compile(r"mark\.topic-(\d+)\s*\{\s*background:\s*(#[0-9a-f]{6});\s*"
                  r"box-shadow:\s*inset 0 -2px (#[0-9a-f]{6});\s*\}")
WHITE, WORKSPACE_TEXT, REPORT_TEXT = "#ffffff", "#1d232a", "#222222"


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_style_css_holds_the_python_palette() -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    badges = {int(i): ink for i, ink in BADGE.findall(css)}
    marks = {int(i): (tint, ink) for i, tint, ink in MARK.findall(css)}
    assert badges == {i: c.ink for i, c in enumerate(PALETTE)}
    assert marks == {i: (c.tint, c.ink) for i, c in enumerate(PALETTE)}


def test_style_css_topic_block_is_written_from_the_palette() -> None:
    assert css_block() in STYLESHEET.read_text(encoding="utf-8")
    assert main(["--check"]) == 0


def test_every_colour_keeps_its_text_readable() -> None:
    assert len(PALETTE) >= 6
    for colour in PALETTE:
        assert contrast(WHITE, colour.ink) >= 4.5, colour  # white on a badge
        for text in (WORKSPACE_TEXT, REPORT_TEXT):  # dark text on a highlighted word
            assert contrast(text, colour.tint) >= 10, colour
        assert contrast(colour.ink, colour.tint) >= 3, colour  # the underline shows
    assert len({c.ink for c in PALETTE}) == len({c.tint for c in PALETTE}) == len(PALETTE)


def test_a_topic_takes_its_colour_by_its_place_in_topics_toml() -> None:
    order = [t.id for t in load_topics(CONFIG / "topics.toml").topics]
    labels = TopicLabels(dict.fromkeys(order, "label"))
    for i, topic in enumerate(order):
        assert colour_index(topic, order) == i % len(PALETTE)
        assert labels.colour(topic) == f"topic-{i % len(PALETTE)}"
    assert labels.colour("gone") == f"topic-{len(order) % len(PALETTE)}"
    # The report's chart: the rule's own order does not change a topic's colour.
    rows = [{"day": date(2026, 1, 10), "topic": t, "stories": 1} for t in order]
    bars = chart(rows, list(reversed(order)), date(2026, 1, 10), order).bars
    assert {b.label.split()[0]: b.color for b in bars} == {
        t: PALETTE[i % len(PALETTE)].ink for i, t in enumerate(order)}
