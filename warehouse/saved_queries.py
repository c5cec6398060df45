"""Saved queries: warehouse/queries/NAME.sql, run with named parameters.

A saved query starts with comment lines: the first says what it answers, and each
`-- param NAME: description (default VALUE)` line declares a `$NAME` parameter. Parameters
arrive as text; the query casts them (`$since::DATE`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from warehouse.sql import PACKAGE, sql_file

QUERIES = PACKAGE / "queries"
_PARAM = re.compile(r"^--\s*param\s+(\w+)\s*:\s*(.*?)(?:\s*\(default\s+(.*)\))?\s*$")


class SavedQueryError(ValueError):
    pass


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    default: str | None


@dataclass(frozen=True)
class SavedQuery:
    name: str
    summary: str
    sql: str
    params: list[Param] = field(default_factory=list)

    def bind(self, given: dict[str, str]) -> dict[str, str]:
        """The values of every declared parameter: given, else default; an error names the
        missing or unknown one."""
        known = {p.name for p in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            raise SavedQueryError(
                f"saved query {self.name!r} has no parameter {unknown[0]!r}; "
                f"its parameters: {', '.join(sorted(known)) or 'none'}")
        values = {}
        for param in self.params:
            value = given.get(param.name, param.default)
            if value is None:
                raise SavedQueryError(f"saved query {self.name!r} needs --param "
                                      f"{param.name}=VALUE ({param.description})")
            values[param.name] = value
        return values


def parse_saved_query(name: str, sql: str) -> SavedQuery:
    comments = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        comments.append(line)
    params = [Param(m[1], m[2], m[3]) for line in comments if (m := _PARAM.match(line))]
    summary = comments[0].lstrip("- ").strip() if comments else ""
    return SavedQuery(name, summary, sql, params)


def saved_queries() -> list[SavedQuery]:
    found = [entry for entry in QUERIES.iterdir() if entry.name.endswith(".sql")]
    return sorted((parse_saved_query(e.name[:-4], sql_file(e)) for e in found),
                  key=lambda q: q.name)


def saved_query(name: str) -> SavedQuery:
    if not re.fullmatch(r"[\w-]+", name) or not (QUERIES / f"{name}.sql").is_file():
        names = ", ".join(q.name for q in saved_queries())
        raise SavedQueryError(f"no saved query {name!r} in warehouse/queries; known: {names}")
    return parse_saved_query(name, sql_file(QUERIES / f"{name}.sql"))


def parse_params(pairs: list[str]) -> dict[str, str]:
    """`key=value` options as a dict; an error names the malformed one."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"\w+", key):
            raise SavedQueryError(f"--param {pair!r} is not key=value")
        params[key] = value
    return params
