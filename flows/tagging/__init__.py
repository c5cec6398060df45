"""Topic tagging: Lucene-style topic queries over normalised tokens, and the place gazetteer.

See docs/TOPICS.md for the query syntax, the normalisation and the scoring rules.
"""

from flows.tagging.tagger import Match, Tagger, TagResult

__all__ = ["Match", "TagResult", "Tagger"]
