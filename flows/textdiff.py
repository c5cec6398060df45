"""What changed between two texts, word by word, for people to read (story versions)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

Change = tuple[Literal["same", "added", "removed"], str]
_TOKEN = re.compile(r"\s+|[^\s]+")
CONTEXT_WORDS = 12  # words of unchanged text kept around each change


def word_diff(old: str, new: str) -> list[Change]:
    """The new text as runs of unchanged, removed and added words (whitespace kept)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[Change] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("added", "".join(b[j1:j2])))
    return out


def condensed(changes: list[Change], context: int = CONTEXT_WORDS) -> list[Change]:
    """The changes with long unchanged runs shortened to `context` words on each side."""
    out: list[Change] = []
    for i, (kind, text) in enumerate(changes):
        if kind != "same":
            out.append((kind, text))
            continue
        words = _TOKEN.findall(text)
        keep = 2 * context  # tokens: words and the spaces between them
        if len(words) <= 2 * keep:
            out.append((kind, text))
            continue
        head = "".join(words[:keep]) if i > 0 else ""
        tail = "".join(words[-keep:]) if i < len(changes) - 1 else ""
        out.append((kind, f"{head} … {tail}".strip(" ") if head or tail else "…"))
    return out
