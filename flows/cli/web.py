"""`steppewatch web`: the workspace in the browser (flows/web, docs/WEB.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.cli.app import Paths, app, data_dir, fail, out


@app.command()
def web(
    host: Annotated[str | None, typer.Option(help="Address to listen on; default [web] host "
                                                  "(127.0.0.1). Another needs a token.")] = None,
    port: Annotated[int | None, typer.Option(help="Port; default [web] port (8750).")] = None,
) -> None:
    """Serve the workspace: stories, archived pages, sources, runs, reports, corrections."""
    import uvicorn

    from flows.settings import SettingsError, load_settings
    from flows.web.app import TokenMissing, create_app
    from warehouse.connection import existing_warehouse

    try:
        settings = load_settings(Paths.config, data_dir())
        existing_warehouse(settings.data_dir)
        host = host or settings.web.host
        application = create_app(settings, host)
    except (SettingsError, TokenMissing, FileNotFoundError) as error:
        fail(str(error))
    port = port or settings.web.port
    shown = f"[{host}]" if ":" in host else host
    out.print(f"workspace of {settings.data_dir} on http://{shown}:{port}/ (Ctrl-C stops it)")
    uvicorn.run(application, host=host, port=port, log_level="warning")
