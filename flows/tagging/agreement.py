"""How far two blind labellers of one set agree, per topic: the resolution of the figures.

A tagger scored against one labeller cannot be measured more finely than two careful
labellers agree with each other. ``tests/data/real_holdout_labels.jsonl`` holds, for every
held-out page, the ``first`` labeller's topics, the ``second`` labeller's (labelled blind:
the page and LABELS.md only), and the ``final`` topics that ``real_holdout.jsonl`` carries:
the first and second where they agree, an adjudicator's (given the page, LABELS.md and the
two lists without saying whose) where they do not, with its ``reason``.

    python -m flows.tagging.agreement tests/data/real_holdout_labels.jsonl [--write DOC.md]

``--write`` puts the table between ``<!-- label-agreement -->`` markers, or those named by
``--block`` (``make tag-figures`` does both for docs/TOPICS.md: the held-out set, and
``tests/data/real_tune_audit.jsonl``, the tuning pages labelled a second time).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from flows.tagging.evaluate import Counts, write_figures


@dataclass
class Agreement:
    """One topic: ``counts`` scores the second labeller against the first; ``neither``
    is the pages neither gave the topic."""

    counts: Counts
    neither: int = 0

    @property
    def kappa(self) -> float:
        """Cohen's kappa: agreement beyond what two labellers with these rates reach by chance."""
        c = self.counts
        n = c.tp + c.fp + c.fn + self.neither
        observed = (c.tp + self.neither) / n
        first_yes, second_yes = (c.tp + c.fn) / n, (c.tp + c.fp) / n
        chance = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
        return (observed - chance) / (1 - chance) if chance < 1 else 1.0


def read_labels(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def agreement(rows: list[dict]) -> dict[str, Agreement]:
    """Per topic any labeller gave (the file's own topics, not a fixed list)."""
    topics = sorted({t for row in rows for k in ("first", "second", "final") for t in row[k]})
    out = {topic: Agreement(Counts()) for topic in topics}
    for row in rows:
        first, second = set(row["first"]), set(row["second"])
        for topic, a in out.items():
            a.counts.add(topic in second, topic in first)
            a.neither += topic not in first and topic not in second
    return out


def settled(rows: list[dict]) -> dict[str, int]:
    """How the disagreements were settled: as the first labeller, the second, or neither."""
    out = {"first": 0, "second": 0, "neither": 0}
    for row in rows:
        first, second, final = (sorted(row[k]) for k in ("first", "second", "final"))
        if first != second:
            out["first" if final == first else "second" if final == second else "neither"] += 1
    return out


def format_markdown(rows: list[dict]) -> str:
    table = ["| topic | both | first only | second only | F1 of one against the other | "
             "Cohen's kappa |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for topic, a in agreement(rows).items():
        c = a.counts
        f1 = "—" if c.f1 is None else f"{100 * c.f1:.1f}"
        table.append(f"| {topic} | {c.tp} | {c.fn} | {c.fp} | {f1} | {a.kappa:.2f} |")
    s = settled(rows)
    disagreed = sum(s.values())
    return (f"{len(rows)} pages labelled twice, blind; {disagreed} pages with different topic "
            f"lists, settled as the first labeller on {s['first']}, as the second on "
            f"{s['second']}, as neither on {s['neither']}.\n\n" + "\n".join(table))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Agreement of two labellers of one set.")
    ap.add_argument("labels", type=Path, help="JSONL with first, second and final topics")
    ap.add_argument("--write", type=Path, nargs="+", default=[], metavar="DOC",
                    help="put the table into each DOC's block (--block)")
    ap.add_argument("--block", default="label-agreement",
                    help="the DOC's <!-- block --> markers to write between")
    args = ap.parse_args(argv)
    markdown = format_markdown(read_labels(args.labels))
    for doc in args.write:
        write_figures(doc, markdown, block=args.block)
    print(markdown)


if __name__ == "__main__":
    main()
