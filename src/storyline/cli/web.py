"""The ``serve`` command: the analyst's desk in a browser."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from storyline import api
from storyline.cli.common import DbOption, err_console, fail, open_readonly, warn

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def serve(
    db: DbOption = api.DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback unless you say otherwise).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    aliases: Annotated[
        Path | None, typer.Option(help="YAML alias file that entity and story merges and splits are written to.")
    ] = None,
) -> None:
    """Serve the pages and the JSON API (read-only unless STORYLINE_TOKEN is set).

    Example: storyline serve --db storyline.db --port 8000
    """
    try:
        from storyline.web.app import create_app
    except ImportError as exc:
        fail(f"the web extra is not installed ({exc.name}): pip install 'storyline[web]'")
    import uvicorn

    store = open_readonly(db)
    token = os.environ.get("STORYLINE_TOKEN") or None
    if host not in LOOPBACK:
        warn(f"listening on {host}: anyone who can reach it can read the store")
    err_console.print(
        f"storyline: http://{host}:{port}/  ({'writes on, token required' if token else 'read-only'})",
        highlight=False,
        markup=False,
    )
    uvicorn.run(create_app(store, token=token, aliases=aliases), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command()(serve)
