"""Geometry of the report's small chart: stacked bars of matches per topic and day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

DAYS = 14
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 560, 150, 28, 20, 24
PALETTE = ("#c0392b", "#2471a3", "#b9770e", "#239b56", "#7d3c98", "#566573")
# Light tints of PALETTE, the background of a topic's highlighted words (dark text stays
# readable on them); the chart bar and the highlight of a topic share their hue.
TINTS = ("#f8c9c4", "#c6def1", "#fbe0a6", "#c3ecd2", "#e3cdee", "#dde1e4")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    label: str  # tooltip: topic, day and count


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    day_labels: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[float, str, str]] = field(default_factory=list)  # x, color, topic
    peak: int = 0
    baseline: float = HEIGHT - BOTTOM
    left: float = LEFT

    @property
    def days(self) -> int:
        return DAYS


def topic_colors(topics: list[str]) -> dict[str, str]:
    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(topics)}


def topic_tints(topics: list[str]) -> dict[str, str]:
    return {t: TINTS[i % len(TINTS)] for i, t in enumerate(topics)}


def chart(counts: list[dict], topics: list[str], end_day: date) -> Chart:
    """Bars for the DAYS days ending end_day; counts are rows of topic, day, stories."""
    days = [end_day - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    per_day = {(r["day"], r["topic"]): int(r["stories"]) for r in counts}
    peak = max([sum(per_day.get((d, t), 0) for t in topics) for d in days] + [1])
    colors = topic_colors(topics)
    slot = (WIDTH - LEFT) / DAYS
    scale = (HEIGHT - BOTTOM - TOP) / peak
    result = Chart(peak=peak)
    for i, day in enumerate(days):
        x, y = LEFT + i * slot + 2, float(HEIGHT - BOTTOM)
        for topic in topics:
            n = per_day.get((day, topic), 0)
            if n:
                y -= n * scale
                result.bars.append(Bar(round(x, 1), round(y, 1), round(slot - 4, 1),
                                       round(n * scale, 1), colors[topic],
                                       f"{topic} {day.isoformat()}: {n}"))
        if (DAYS - 1 - i) % 2 == 0:  # every other day, ending on the last
            result.day_labels.append((round(x + (slot - 4) / 2, 1), day.strftime("%d.%m")))
    result.legend = [(LEFT + i * 110, colors[t], t) for i, t in enumerate(topics)]
    return result
