"""Geometry of the report's small chart: stacked bars of matches per topic and day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from flows.topic_colours import colour_of

DAYS = 14
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 560, 150, 28, 20, 24


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


def chart(counts: list[dict], topics: list[str], end_day: date,
          order: Sequence[str] = ()) -> Chart:
    """Bars for the DAYS days ending end_day; counts are rows of topic, day, stories. Each
    topic's bars take its colour (flows/topic_colours.py) by its place in `order`, the
    topics of topics.toml (`topics` themselves when not given)."""
    days = [end_day - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    per_day = {(r["day"], r["topic"]): int(r["stories"]) for r in counts}
    peak = max([sum(per_day.get((d, t), 0) for t in topics) for d in days] + [1])
    colors = {t: colour_of(t, order or topics).ink for t in topics}
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
