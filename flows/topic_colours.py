"""The topics' colours, defined once for the alert report (chart, badges, highlighted words)
and the workspace (flows/web/static/style.css), so a topic looks the same everywhere.

A topic's colour is chosen by its position in config/topics.toml: the first topic takes
PALETTE[0], the next PALETTE[1], and so on in turn; a topic topics.toml no longer holds
takes the colour after the last one. Each colour is a pair: a dark `ink` (chart bars, the
workspace's badges with white text on them, the underline of a highlighted word) and a
light `tint` of the same hue (behind highlighted words and the report's badges, dark text
on it).

The workspace is served under a strict Content-Security-Policy, so its stylesheet stays a
static file; the block of style.css between STYLE_BEGIN and STYLE_END is written from
PALETTE by `python -m flows.topic_colours` (tests/unit/test_topic_colours.py fails when it
is not current).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path


@dataclass(frozen=True)
class TopicColour:
    ink: str  # dark: white text on it
    tint: str  # light, same hue: dark text on it


PALETTE: tuple[TopicColour, ...] = (
    TopicColour("#1f5fa8", "#cfe2fb"),  # blue
    TopicColour("#b35a00", "#ffe2c2"),  # orange
    TopicColour("#8e1f4f", "#f8d3e3"),  # crimson
    TopicColour("#2e7d32", "#d5eed6"),  # green
    TopicColour("#5b3fa3", "#e3dbf6"),  # violet
    TopicColour("#5d6b75", "#e1e6e9"),  # slate
)

STYLESHEET = Path(__file__).parent / "web" / "static" / "style.css"
STYLE_BEGIN = "/* Topic colours: written from flows/topic_colours.py by " \
    "`python -m flows.topic_colours`; do not edit by hand. */"
STYLE_END = "/* End of topic colours. */"


def colour_index(topic: str, order: Sequence[str]) -> int:
    """The palette index of `topic`, by its position in `order` (topics.toml's)."""
    position = order.index(topic) if topic in order else len(order)
    return position % len(PALETTE)


def colour_of(topic: str, order: Sequence[str]) -> TopicColour:
    return PALETTE[colour_index(topic, order)]


def css_class(index: int) -> str:
    """The workspace's class of palette entry `index` (`topic-0`, `topic-1`, ...)."""
    return f"topic-{index}"


def css_block() -> str:
    """style.css's topic rules: a badge and a highlighted word per palette entry, and the
    words two topics matched striped in both tints."""
    lines = [STYLE_BEGIN]
    for i, colour in enumerate(PALETTE):
        name = css_class(i)
        lines.append(f".badge.{name} {{ background: {colour.ink}; }} "
                     f"mark.{name} {{ background: {colour.tint}; "
                     f"box-shadow: inset 0 -2px {colour.ink}; }}")
    for (i, first), (j, second) in combinations(enumerate(PALETTE), 2):
        lines.append(f"mark.{css_class(i)}.{css_class(j)} {{ background: repeating-linear-"
                     f"gradient(135deg, {first.tint} 0 6px, {second.tint} 6px 12px); }}")
    lines.append(STYLE_END)
    return "\n".join(lines)


def with_css_block(stylesheet: str) -> str:
    """`stylesheet` with its topic block replaced by the current one."""
    start, end = stylesheet.find(STYLE_BEGIN), stylesheet.find(STYLE_END)
    if start < 0 or end < start:
        raise ValueError(f"{STYLESHEET.name} has no topic colour block "
                         f"({STYLE_BEGIN!r} ... {STYLE_END!r})")
    return stylesheet[:start] + css_block() + stylesheet[end + len(STYLE_END):]


def main(argv: Sequence[str] = ()) -> int:
    """Write the topic block of style.css; with --check, only say whether it is current."""
    current = STYLESHEET.read_text(encoding="utf-8")
    wanted = with_css_block(current)
    if "--check" in argv:
        if current != wanted:
            print(f"{STYLESHEET}: topic colours not current; "
                  "run `python -m flows.topic_colours`", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        STYLESHEET.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
