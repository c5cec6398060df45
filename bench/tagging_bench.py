"""Tagging throughput: tag N generated ~2 KB articles with config/topics.toml on one core.

    python bench/tagging_bench.py [--n 10000] [--topics config/topics.toml] [--no-lang] [--places]

Articles mix six languages, common words, invented inflections of them (a vocabulary of
~20,000 words per language, so the per-word cache keeps missing as on real text) and topic
words (about a fifth of the articles match a topic). Prints articles/s of wall time and of
this process's CPU time (articles/s per core, steady on a busy machine); asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from flows.tagging.places import find_places, load_gazetteer
from flows.tagging.tagger import Tagger

ROOT = Path(__file__).resolve().parents[1]

FILLER = {
    "ru": "в на и по с что это году области министр сообщил заявил правительство проект "
    "город район жители школа больница дорога вода цены рынок работа зарплата",
    "en": "the of and in to a that said government year city region minister project "
    "school hospital road water prices market work salary residents",
    "kk": "және бұл жылы облыс министр мәлімдеді үкімет жоба қала аудан тұрғындар мектеп "
    "аурухана жол су баға нарық жұмыс жалақы",
    "ky": "жана бул жылы облус министр билдирди өкмөт долбоор шаар район тургундар мектеп "
    "оорукана жол суу баа базар иш айлык",
    "uz": "va bu yili viloyat vazir ma'lum qildi hukumat loyiha shahar tuman aholi maktab "
    "shifoxona yo'l suv narx bozor ish maosh",
    "tg": "ва ин сол вилоят вазир изҳор дошт ҳукумат лоиҳа шаҳр ноҳия сокинон мактаб "
    "беморхона роҳ об нарх бозор кор маош",
}
TOPICAL = {
    "ru": "полиция задержала митингующих пытками СИЗО протестующих полицейскими",
    "en": "police detained protesters torture custody rally strike",
    "kk": "полиция наразылық акциясы азаптау түрме ереуіл",
    "ky": "милиция нааразылык акциясы кыйноо түрмө",
    "uz": "politsiya qiynoqqa norozilik namoyish qamoqxona",
    "tg": "милитсия шиканҷа эътирозгарон тазоҳурот зиндон",
}


def vocabulary(rng: random.Random, lang: str, size: int = 20_000) -> list[str]:
    """Filler words plus invented inflections of them, so the word cache keeps missing."""
    words = FILLER[lang].split()
    letters = sorted(set("".join(words)) - {"'"})
    invented = {
        rng.choice(words) + "".join(rng.choices(letters, k=rng.randint(1, 4))) for _ in range(size)
    }
    return words * 200 + sorted(invented)


def article(rng: random.Random, lang: str, words: list[str]) -> tuple[str, str]:
    topical = TOPICAL[lang].split()
    sentences = []
    size = 0
    while size < 2000:
        n = rng.randint(8, 18)
        sentence = [rng.choice(words) for _ in range(n)]
        if rng.random() < 0.08:
            sentence[rng.randrange(n)] = rng.choice(topical)
        text = " ".join(sentence).capitalize() + f" {rng.randint(1, 9999)}."
        sentences.append(text)
        size += len(text) + 1
    title = " ".join(rng.choice(words) for _ in range(7)).capitalize()
    return title, " ".join(sentences)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--topics", type=Path, default=ROOT / "config" / "topics.toml")
    ap.add_argument("--no-lang", action="store_true", help="tag without a declared language")
    ap.add_argument("--places", action="store_true",
                    help="also find each article's places, as the tag stage does")
    args = ap.parse_args()
    tagger = Tagger.from_file(args.topics)
    gazetteer = load_gazetteer(args.topics.parent / "places.toml") if args.places else None
    rng = random.Random(7)
    langs = list(FILLER)
    vocabularies = {lang: vocabulary(rng, lang) for lang in langs}
    docs = [
        (lang, *article(rng, lang, vocabularies[lang])) for lang in rng.choices(langs, k=args.n)
    ]
    size = sum(len(title) + len(text) for _, title, text in docs) / len(docs)
    started, cpu_started = time.perf_counter(), time.process_time()
    tagged = 0
    for lang, title, text in docs:
        result = tagger.tag(title, text, None if args.no_lang else lang)
        tagged += bool(result.topics)
        if gazetteer is not None:
            find_places(title, text, gazetteer)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started  # per core, whatever else the machine runs
    print(
        f"{args.n} articles of {size:.0f} chars avg, {tagged} tagged: "
        f"{elapsed:.2f} s, {args.n / elapsed:,.0f} articles/s wall; "
        f"{cpu:.2f} s CPU, {args.n / cpu:,.0f} articles/s per core"
    )


if __name__ == "__main__":
    main()
