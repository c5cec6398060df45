"""Tagging quality on labelled JSONL files: precision, recall and F1 per topic and language.

Each line: ``id``, ``lang``, ``title``, ``text`` and ``topics`` (the gold labels, see
LABELS.md), optionally ``hard_negative`` (a hard case: the share of those given a topic
their labels lack is reported; a hard case for one topic may carry another). Per-language
figures are micro-averaged over the topics. Several files are scored as one set (e.g. the
held-out set plus the monitors' exported corrections).

    python -m flows.tagging.evaluate FILE.jsonl [FILE.jsonl ...] [--topics config/topics.toml]
        [--mistakes] [--markdown] [--write DOC.md ...]

``--write`` replaces the text between ``<!-- tag-figures -->`` and ``<!-- /tag-figures -->``
in each DOC with the Markdown tables (``make tag-figures`` does this for the held-out set).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path

from flows.tagging.jsonl import SupportsTag


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: bool, gold: bool) -> None:
        self.tp += predicted and gold
        self.fp += predicted and not gold
        self.fn += gold and not predicted

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """None when there is nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Mistake:
    id: str
    lang: str
    topic: str
    kind: str  # "fp" (tagged, not gold) or "fn" (gold, not tagged)
    title: str


@dataclass(frozen=True)
class Outcome:
    """One labelled article: its language, the topics tagged and the gold topics."""

    lang: str
    predicted: frozenset[str]
    gold: frozenset[str]


@dataclass
class EvalReport:
    articles: int = 0
    topics: dict[str, Counts] = field(default_factory=dict)
    languages: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)
    mistakes: list[Mistake] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    hard_negatives: int = 0
    hard_negatives_tagged: int = 0
    outcomes: list[Outcome] = field(default_factory=list)


def _score(report: EvalReport, obj: dict, predicted: Set[str], topic_ids: list[str]) -> None:
    gold = set(obj.get("topics") or [])
    lang = str(obj.get("lang") or "und")
    for topic in topic_ids:
        p, g = topic in predicted, topic in gold
        for counts in (
            report.topics.setdefault(topic, Counts()),
            report.languages.setdefault(lang, Counts()),
            report.overall,
        ):
            counts.add(p, g)
        if p != g:
            kind = "fp" if p else "fn"
            title = str(obj.get("title") or "")[:80]
            report.mistakes.append(Mistake(str(obj.get("id", "")), lang, topic, kind, title))


def _read(path: Path, report: EvalReport, prefix: str) -> list[dict]:
    """The labelled objects of one file; bad lines are recorded in ``report.errors``."""
    objects, errors = read_labelled(path, prefix)
    report.errors.extend(errors)
    return objects


def read_labelled(path: Path, prefix: str = "") -> tuple[list[dict], list[str]]:
    """The labelled objects of one JSON-lines file, and one message per bad line."""
    objects: list[dict] = []
    errors: list[str] = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{prefix}line {number}: invalid JSON: {exc.msg}")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            errors.append(f"{prefix}line {number}: expected an object with a 'text' string")
            continue
        if not isinstance(obj.get("topics", []), list):
            errors.append(f"{prefix}line {number}: 'topics' must be a list")
            continue
        objects.append(obj)
    return objects, errors


def evaluate(paths: Path | Sequence[Path], tagger: SupportsTag) -> EvalReport:
    """Tag every labelled article of ``paths`` (one file or several, scored as one set) and
    count agreement with the gold topics."""
    files = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    topic_ids: list[str] = list(getattr(tagger, "topic_ids", []))
    report = EvalReport(files=[str(f) for f in files])
    objects: list[dict] = []
    for path in files:  # errors name their file only when there are several
        objects += _read(path, report, f"{path}: " if len(files) > 1 else "")
    if not topic_ids:
        topic_ids = sorted({t for obj in objects for t in obj.get("topics", [])})
    for obj in objects:
        result = tagger.tag(obj.get("title") or "", obj["text"], obj.get("lang"))
        report.articles += 1
        predicted, gold = frozenset(result.topics), frozenset(obj.get("topics") or [])
        _score(report, obj, predicted, topic_ids)
        report.outcomes.append(Outcome(str(obj.get("lang") or "und"), predicted, gold))
        if obj.get("hard_negative"):
            report.hard_negatives += 1
            report.hard_negatives_tagged += bool(predicted - gold)
    return report


def f1_interval(
    outcomes: list[Outcome], topics: list[str], resamples: int = 1000, seed: int = 0
) -> tuple[float, float] | None:
    """The 95% bootstrap interval of F1 over ``topics``: the articles drawn again with
    replacement ``resamples`` times (seeded, so the published figures are reproducible).
    It says how far the figure could move on another sample of the same size."""
    counts = []
    for o in outcomes:
        c = Counts()
        for topic in topics:
            c.add(topic in o.predicted, topic in o.gold)
        counts.append((c.tp, c.fp, c.fn))
    if not counts:
        return None
    draw, values = random.Random(seed), []
    for _ in range(resamples):
        tp = fp = fn = 0
        for a, b, c in draw.choices(counts, k=len(counts)):
            tp, fp, fn = tp + a, fp + b, fn + c
        if tp + fp and tp + fn:
            values.append(2 * tp / (2 * tp + fp + fn))
    if len(values) < resamples // 2:  # too few positives to say
        return None
    values.sort()
    return values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}"


def format_report(report: EvalReport) -> str:
    """A plain-text table: one row per topic, per language, and all together."""
    header = f"{'':<10}{'tp':>6}{'fp':>6}{'fn':>6}{'precision':>11}{'recall':>9}{'f1':>8}"
    rows = [f"{report.articles} articles", header]

    def row(name: str, c: Counts) -> str:
        return (
            f"{name:<10}{c.tp:>6}{c.fp:>6}{c.fn:>6}"
            f"{_pct(c.precision):>11}{_pct(c.recall):>9}{_pct(c.f1):>8}"
        )

    rows += [row(t, c) for t, c in report.topics.items()]
    rows.append("-" * len(header))
    rows += [row(lang, c) for lang, c in sorted(report.languages.items())]
    rows.append("-" * len(header))
    rows.append(row("all", report.overall))
    if report.hard_negatives:
        rows.append(_hard_line(report))
    rows += [f"error: {e}" for e in report.errors]
    return "\n".join(rows)


def _hard_line(report: EvalReport) -> str:
    share = 100 * report.hard_negatives_tagged / report.hard_negatives
    return (f"hard negatives wrongly tagged: {report.hard_negatives_tagged} of "
            f"{report.hard_negatives} ({share:.1f}%)")


def _interval(outcomes: list[Outcome], topics: list[str]) -> str:
    found = f1_interval(outcomes, topics)
    return "—" if found is None else f"{100 * found[0]:.1f}–{100 * found[1]:.1f}"


def format_markdown(report: EvalReport) -> str:
    """Markdown tables (per topic, per language) with the set's size and each F1's 95%
    bootstrap interval, for the docs."""
    head = ("| {} | positives | precision | recall | F1 | F1, 95% interval |\n"
            "| --- | ---: | ---: | ---: | ---: | ---: |")
    topic_ids = list(report.topics)

    def row(name: str, c: Counts, outcomes: list[Outcome], topics: list[str]) -> str:
        return (f"| {name} | {c.tp + c.fn} | {_pct(c.precision)} | {_pct(c.recall)} "
                f"| {_pct(c.f1)} | {_interval(outcomes, topics)} |")

    names = ", ".join(f"`{Path(f).name}`" for f in report.files) or "the labelled set"
    parts = [f"{report.articles} articles ({names}); positives = gold labels of the topic, "
             "or of all topics for a language; figures in %; the interval is where F1 "
             "falls on 95% of 1,000 resamples of the articles."]
    if report.hard_negatives:
        parts[0] += f" {_hard_line(report).capitalize()}."
    everyone = report.outcomes
    parts.append("\n".join([head.format("topic"),
                            *(row(t, c, everyone, [t]) for t, c in report.topics.items()),
                            row("all", report.overall, everyone, topic_ids)]))
    parts.append("\n".join([head.format("language"), *(
        row(lang, c, [o for o in everyone if o.lang == lang], topic_ids)
        for lang, c in sorted(report.languages.items()))]))
    return "\n\n".join(parts)


def _block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {name} -->\n).*?(<!-- /{name} -->)", re.S)


def write_figures(doc: Path, markdown: str, block: str = "tag-figures") -> None:
    """Replace the text between the doc's ``<!-- block -->`` markers with ``markdown``."""
    text, pattern = doc.read_text(encoding="utf-8"), _block(block)
    if not pattern.search(text):
        raise SystemExit(f"{doc}: no <!-- {block} --> ... <!-- /{block} --> block")
    doc.write_text(pattern.sub(lambda m: m[1] + markdown + "\n" + m[2], text), "utf-8")


def main(argv: list[str] | None = None) -> None:
    from flows.tagging.tagger import Tagger

    ap = argparse.ArgumentParser(description="Precision/recall of the topic tagger.")
    ap.add_argument("labelled", type=Path, nargs="+")
    ap.add_argument("--topics", type=Path, default=Path("config/topics.toml"))
    ap.add_argument("--mistakes", action="store_true", help="list false positives/negatives")
    ap.add_argument("--markdown", action="store_true", help="Markdown tables for the docs")
    ap.add_argument("--write", type=Path, nargs="+", default=[], metavar="DOC",
                    help="put the Markdown tables into each DOC's tag-figures block")
    args = ap.parse_args(argv)
    report = evaluate(args.labelled, Tagger.from_file(args.topics))
    for doc in args.write:
        write_figures(doc, format_markdown(report))
    print(format_markdown(report) if args.markdown else format_report(report))
    if args.mistakes:
        for m in report.mistakes:
            print(f"{m.kind} {m.topic:<8} {m.lang:<3} {m.id}  {m.title}")


if __name__ == "__main__":
    main()
