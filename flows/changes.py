"""What the revisits of a run found: stories edited, retitled, removed or restored.

After a run is loaded, each revisit of a stored article becomes a check (present with its
text and headline, not modified, gone, or failed) and is compared with what earlier runs
knew of the article (warehouse/changes.py reads and stores both):

- **edited**: the article text differs from the last text seen, once whitespace and
  boilerplate lines are set aside (`article_text`): share and view counters, "read also"
  and related-story links, which are short lines that do not end a sentence;
- **headline**: the headline differs (whitespace aside);
- **removed**: gone (404, 410, redirected off the article to the home or a section page,
  a "page not found" page answered 200, or a page without a story's text) on two answered
  checks in a row, so an outage of one check is never a takedown;
- **restored**: present again after a confirmed removal.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

from warehouse import changes as store
from warehouse.changes import Change, Check
from warehouse.connection import transaction

# Errors of a revisit that mean the article is no longer there, and the reason recorded.
GONE = {"http_404": "http_404", "http_410": "http_410", "redirected": "redirected",
        "not_found_page": "soft_404", "no_text": "no_article", "not_article": "no_article"}
NOT_MODIFIED = 304
PROSE_WORDS = 12  # a line this long counts as text even without a sentence's end
_SENTENCE_END = re.compile(r"[.!?…:;][\"'»”’)\]]*$")


def article_text(text: str) -> str:
    """The text's prose lines, whitespace collapsed: what an edit must change. Lines that
    neither end a sentence nor run to PROSE_WORDS words (counters, "Поделиться 12", related
    headlines, tags) are boilerplate a revisit should not report."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines
                     if line and (_SENTENCE_END.search(line) or len(line.split()) >= PROSE_WORDS))


def headline(title: str | None) -> str:
    return " ".join((title or "").split())


def classify(row: dict[str, Any], extracts: dict[str, dict[str, Any]]) -> Check:
    """The check a revisit made, from its first answer, extracted article and error."""
    base = {"article_id": row["article_id"], "http_status": row["http_status"],
            "capture_id": row["capture_id"]}
    if row["article_capture_id"]:
        extract = extracts.get(row["article_capture_id"], {})
        return Check(**base, state="present", final_capture_id=row["article_capture_id"],
                     text_sha1=extract.get("text_sha1"), title=extract.get("title"))
    kind = row["error_kind"]
    final = row["error_capture_id"]
    if kind in GONE:
        return Check(**base, state="gone", reason=GONE[kind], final_capture_id=final)
    if kind:
        return Check(**base, state="failed", reason=kind, final_capture_id=final)
    if row["http_status"] == NOT_MODIFIED:
        return Check(**base, state="not_modified")
    return Check(**base, state="failed", reason="no_outcome")


def _ids(*capture_ids: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c in capture_ids if c))


def changes_of(check: Check, known: dict[str, Any],
               texts: dict[tuple[str, str], str]) -> list[Change]:
    """What the check shows against what earlier runs knew (`known`: changes/history)."""
    if check.state == "gone":
        return _removal(check, known)
    if check.state not in ("present", "not_modified"):
        return []  # no answer: it neither confirms nor clears a removal
    restored = [Change(check.article_id, "restored",
                       _ids(known["last_capture_id"], known["last_final_capture_id"],
                            check.capture_id, check.final_capture_id),
                       previous_sha1=known["text_sha1"],
                       new_sha1=check.text_sha1 or known["text_sha1"],
                       previous_title=known["title"], new_title=check.title)]
    return (restored if known["removed"] else []) + _edits(check, known, texts)


def _removal(check: Check, known: dict[str, Any]) -> list[Change]:
    """Gone on this check and the last answered one, and not removed already: removed."""
    if known["last_state"] != "gone" or known["removed"]:
        return []
    return [Change(check.article_id, "removed",
                   _ids(known["last_capture_id"], known["last_final_capture_id"],
                        check.capture_id, check.final_capture_id),
                   previous_sha1=known["text_sha1"], previous_title=known["title"],
                   reason=check.reason)]


def _edits(check: Check, known: dict[str, Any],
           texts: dict[tuple[str, str], str]) -> list[Change]:
    """A new text (boilerplate aside) and a new headline, against the last ones seen."""
    if check.state != "present" or not check.text_sha1:
        return []
    article, found = check.article_id, []
    evidence = _ids(known["capture_id"], check.final_capture_id or check.capture_id)
    old, new = texts.get((article, known["text_sha1"])), texts.get((article, check.text_sha1))
    if old is not None and new is not None and article_text(old) != article_text(new):
        found.append(Change(article, "edited", evidence, known["text_sha1"], check.text_sha1,
                            known["title"], check.title))
    if check.title is not None and headline(check.title) != headline(known["title"]):
        found.append(Change(article, "headline", evidence, known["text_sha1"],
                            check.text_sha1, known["title"], check.title))
    return found


def _with_baseline(check: Check, known: dict[str, Any]) -> Check:
    """A 304 keeps the text and headline of the copy its validators came from."""
    if check.state != "not_modified":
        return check
    return Check(**{**check.__dict__, "text_sha1": known["text_sha1"], "title": known["title"]})


def record_changes(con: duckdb.DuckDBPyConnection, run_id: str,
                   run_dir: Path) -> list[Change]:
    """Store the run's checks (at the run's start) and the changes they show; a run loaded
    again adds nothing."""
    extracts = store.revisit_extracts(con, run_id, run_dir)
    checks = [classify(row, extracts) for row in store.run_checks(con, run_id)]
    if not checks:
        return []  # the run revisited nothing
    ids = [check.article_id for check in checks]
    known = store.history(con, run_id, ids)
    texts = store.version_texts(con, ids)
    checks = [_with_baseline(check, known[check.article_id]) for check in checks]
    found = [change for check in checks for change in changes_of(check, known[check.article_id],
                                                                  texts)]
    with transaction(con):
        store.record(con, run_id, store.run_started(con, run_id), checks, found)
    return found
