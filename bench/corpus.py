"""Synthetic stories for the benchmark, mixed from the replay web's hand-written articles.

Each story takes the headline, author and lead of one real-language article and a body
of paragraphs drawn from every article of the same language, so N stories are N
distinct texts in the languages the outlets publish in.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTENT_DIR = ROOT / "tests" / "replay" / "content"
# The newest story is published at this moment; older ones step back from it.
NEWEST = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)
BODY_PARAGRAPHS = (8, 16)


@dataclass(frozen=True)
class Seed:
    """One hand-written article of tests/replay/content."""

    lang: str
    slug: str
    title: str
    lead: str
    author: str
    section: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    number: int
    lang: str
    slug: str
    title: str
    lead: str
    author: str
    section: str
    published: datetime
    paragraphs: tuple[str, ...]


def load_seeds(content_dir: Path = CONTENT_DIR) -> dict[str, list[Seed]]:
    """Hand-written articles per language."""
    seeds: dict[str, list[Seed]] = defaultdict(list)
    for path in sorted(content_dir.glob("*.json")):
        for raw in json.loads(path.read_text(encoding="utf-8"))["articles"]:
            seeds[raw["lang"]].append(Seed(
                raw["lang"], raw["slug"], raw["title"], raw["lead"], raw["author"],
                raw.get("section", "news"), tuple(raw["paragraphs"])))
    return dict(seeds)


class StoryMixer:
    """Deterministic stories: the same (seed, number) always gives the same story."""

    def __init__(self, seeds: dict[str, list[Seed]], seed: int = 8) -> None:
        self.seeds = seeds
        self.pool = {lang: [p for s in items for p in s.paragraphs]
                     for lang, items in seeds.items()}
        self.seed = seed

    def story(self, number: int, languages: tuple[str, ...]) -> Story:
        rng = random.Random(self.seed * 1_000_003 + number)
        lang = _pick_language(rng, languages)
        head = rng.choice(self.seeds[lang])
        body = rng.sample(self.pool[lang], min(len(self.pool[lang]), rng.randint(*BODY_PARAGRAPHS)))
        return Story(
            number=number, lang=lang, slug=head.slug, title=head.title, lead=head.lead,
            author=head.author, section=head.section,
            published=NEWEST - timedelta(minutes=17 * number),
            paragraphs=(*head.paragraphs[:2], *body),
        )


def _pick_language(rng: random.Random, languages: tuple[str, ...]) -> str:
    """Russian half of the time when the outlet publishes in it, else its local language."""
    local = [lang for lang in languages if lang != "ru"]
    if "ru" in languages and (not local or rng.random() < 0.5):
        return "ru"
    return rng.choice(local)
