"""Near-identical texts (one story reprinted by several outlets), found by bottom-k MinHash.

Each text becomes the set of its word 3-shingles; the sketch keeps the k smallest shingle
hashes (Broder's bottom-k MinHash). Two texts whose sketches share a value are candidates;
their Jaccard similarity is estimated from the k smallest hashes of the sketches' union.
"""

from __future__ import annotations

import re
from collections import Counter

SHINGLE_WORDS = 3
SKETCH_SIZE = 64
LEAD_WORDS = 400  # reprints share the lead; tails differ (bylines, related links)
SIMILAR = 0.5
MAX_BUCKET = 50  # a shingle in more texts than this is boilerplate, not a reprint

_WORD = re.compile(r"\w+")


def shingle_hashes(text: str) -> set[int]:
    """Hashes of the word 3-shingles of the text's lead. Python's own (SipHash) string hash:
    sketches are compared within one process only, so a per-process seed does not matter,
    and it is several times faster than a cryptographic digest."""
    words = _WORD.findall(text.lower())[:LEAD_WORDS]
    if len(words) < SHINGLE_WORDS:
        return {hash(tuple(words))} if words else set()
    shifted = (words[i:] for i in range(SHINGLE_WORDS))
    return {hash(gram) for gram in zip(*shifted, strict=False)}


def sketch(text: str) -> frozenset[int]:
    return frozenset(sorted(shingle_hashes(text))[:SKETCH_SIZE])


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """Estimated Jaccard similarity of the texts behind two sketches."""
    if not a or not b:
        return 0.0
    union = sorted(a | b)[:SKETCH_SIZE]
    return sum(1 for h in union if h in a and h in b) / len(union)


def _may_reach(shared: int, a: frozenset[int], b: frozenset[int], threshold: float) -> bool:
    """Whether sketches sharing `shared` values can reach `threshold`: the estimate counts
    shared values among the union's smallest min(k, |a ∪ b|), so it is at most shared / that."""
    return shared >= threshold * min(SKETCH_SIZE, len(a) + len(b) - shared)


def groups(texts: list[str], threshold: float = SIMILAR) -> list[list[int]]:
    """Indices of the texts, grouped where they are near-identical; each group in input order."""
    return sketch_groups([sketch(t) for t in texts], threshold)


def sketch_groups(sketches: list[frozenset[int]], threshold: float = SIMILAR) -> list[list[int]]:
    """Indices of the sketches, grouped where their texts are near-identical."""
    parent = list(range(len(sketches)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_hash: dict[int, list[int]] = {}
    for i, sk in enumerate(sketches):
        for h in sk:
            by_hash.setdefault(h, []).append(i)
    shared = Counter((i, j) for ids in by_hash.values() if len(ids) <= MAX_BUCKET
                     for i in ids for j in ids if i < j)
    for (i, j), count in sorted(shared.items()):
        if _may_reach(count, sketches[i], sketches[j], threshold) and root(i) != root(j) \
                and similarity(sketches[i], sketches[j]) >= threshold:
            parent[root(j)] = root(i)
    clusters: dict[int, list[int]] = {}
    for i in range(len(sketches)):
        clusters.setdefault(root(i), []).append(i)
    return sorted(clusters.values())
