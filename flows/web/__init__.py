"""The workspace (`steppewatch web`): a server-rendered web app over the warehouse.

    from flows.web import create_app
    app = create_app(load_settings(Path("config"), Path("data/demo")))  # an ASGI app

docs/WEB.md describes its pages, security and limits."""

from __future__ import annotations

from crawlers.package_api import declared_api

API = {"create_app": "flows.web.app"}
__all__ = sorted(API)

__getattr__ = declared_api(__name__, API)
