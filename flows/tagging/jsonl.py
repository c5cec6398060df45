"""JSON lines in, JSON lines out: the same objects plus topics, matches and scores."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, Protocol

from flows.tagging.tagger import TagResult


class SupportsTag(Protocol):
    def tag(self, title: str, text: str, lang: str | None) -> TagResult: ...


def result_fields(result: TagResult) -> dict[str, Any]:
    """``topics``, ``matches``, ``scores`` and ``borderline`` of a tag result, JSON-ready."""
    return {
        "topics": list(result.topics),
        "matches": {
            topic: [
                {"term": m.term, "surface": m.surface, "field": m.field, "start": m.start,
                 "end": m.end}
                for m in matches
            ]
            for topic, matches in result.matches.items()
        },
        "scores": dict(result.scores),
        # the borderline model's probability for each topic it decided (borderline.py)
        "borderline": dict(result.borderline),
    }  # fmt: skip


def _error(bad: BadLine) -> str:
    out: dict[str, Any] = {"line": bad.number, "error": f"line {bad.number}: {bad.problem}"}
    if bad.id is not None:
        out["id"] = bad.id
    return json.dumps(out, ensure_ascii=False)


def _check(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return "expected a JSON object"
    if not isinstance(obj.get("text"), str):
        return "'text' is missing or not a string"
    for name in ("title", "lang"):
        if obj.get(name) is not None and not isinstance(obj[name], str):
            return f"'{name}' must be a string"
    return None


class BadLine(NamedTuple):
    """A line that could not be tagged: its number (from 1), the problem, the object's id."""

    number: int
    problem: str
    id: Any = None


def tag_each(lines: Iterable[str], tagger: SupportsTag) -> Iterator[str | BadLine]:
    """Each non-blank line tagged (a JSON line) or, when it cannot be, a BadLine; never
    raises for a bad line. Line numbers count from 1, blank lines included."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadLine(number, f"not JSON: {exc.msg} (column {exc.colno})")
            continue
        oid = obj.get("id") if isinstance(obj, dict) else None
        problem = _check(obj)
        if problem:
            yield BadLine(number, problem, oid)
            continue
        try:
            result = tagger.tag(obj.get("title") or "", obj["text"], obj.get("lang"))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the stream
            yield BadLine(number, f"tagging failed: {type(exc).__name__}: {exc}", oid)
            continue
        yield json.dumps({**obj, **result_fields(result)}, ensure_ascii=False)


def tag_lines(lines: Iterable[str], tagger: SupportsTag) -> Iterator[str]:
    """Tag each JSON line; a bad line yields ``{"line": n, "error": ...}``, never raises.

    Blank lines are skipped. Line numbers count from 1, blank lines included.
    """
    for item in tag_each(lines, tagger):
        yield _error(item) if isinstance(item, BadLine) else item
