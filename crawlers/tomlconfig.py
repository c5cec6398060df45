"""Reading the TOML config files (sources, topics, settings, places).

A file that is missing, not UTF-8 or not valid TOML raises a ConfigError whose text is
one line naming the file and, for a syntax error, the line and column:
``config/topics.toml:12:7: not valid TOML: ...; fix the file there``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
# tomllib's wording for a few common slips, said the way a person would fix them.
_PLAIN = {
    "Illegal character '\\n'": "a string or value is not closed before the end of the line",
    "Unclosed array": "a list '[' is not closed with ']'",
    "Unclosed inline table": "an inline table '{' is not closed with '}'",
}


class ConfigError(ValueError):
    """A config file that cannot be used; its text is one line naming the file."""


def _position(error: tomllib.TOMLDecodeError, text: str) -> tuple[int, int, str]:
    """(line, column, reason) of a TOML syntax error (Python 3.14 carries them as
    attributes; older versions only in the message)."""
    message = str(error.args[0] if error.args else error)
    line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
    reason = getattr(error, "msg", None)
    found = _AT.search(message)
    if found:
        line, column = line or int(found[1]), column or int(found[2])
        reason = reason or message[: found.start()]
    elif _AT_END.search(message):
        lines = text.split("\n")
        line, column = line or len(lines), column or len(lines[-1]) + 1
        reason = reason or _AT_END.sub("", message)
    reason = reason or message
    return line or 1, column or 1, _PLAIN.get(reason, reason)


def loads_toml(text: str, path: Path | str, error: type[ConfigError] = ConfigError
               ) -> dict[str, Any]:
    """The TOML document ``text`` read from ``path``; a syntax error raises ``error``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column, reason = _position(exc, text)
        raise error(f"{path}:{line}:{column}: not valid TOML: {reason}; "
                    "fix the file there") from None


def decode_utf8(content: bytes, path: Path | str, error: type[ConfigError] = ConfigError) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = content[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise error(f"{path}:{line}:{column}: not UTF-8 text; save the file as UTF-8") from None


def read_toml(path: Path, error: type[ConfigError] = ConfigError) -> dict[str, Any]:
    """The TOML file ``path``; a missing, unreadable or malformed file raises ``error``."""
    try:
        content = Path(path).read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such file; pass --config DIR, a folder with "
                    f"{Path(path).name}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read it: {exc.strerror or exc}") from None
    return loads_toml(decode_utf8(content, path, error), path, error)
