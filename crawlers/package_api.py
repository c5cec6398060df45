"""A package's declared API, imported name by name when first used, so importing
`crawlers`, `warehouse` or `flows` stays instant and pulls in Scrapy, trafilatura or
Prefect only for the function that needs them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def declared_api(package: str, names: dict[str, str]) -> Callable[[str], Any]:
    """The package's module `__getattr__`: `names` maps each public name to "module" or
    "module:attribute"."""

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attr = names[name].partition(":")
        return getattr(importlib.import_module(module), attr or name)

    return __getattr__
