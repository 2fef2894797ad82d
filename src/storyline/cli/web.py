"""The ``serve`` command: the analyst's desk in a browser."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from storyline import api
from storyline.cli.common import DbOption, err_console, fail, open_readonly, warn
from storyline.config import SettingsError, load_config, load_desk_config

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def serve(
    db: DbOption = api.DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback unless you say otherwise).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    aliases: Annotated[
        Path | None, typer.Option(help="YAML alias file that entity and story merges and splits are written to.")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="TOML file: [desk] bounds uploads, [build] is how uploaded files are built."),
    ] = None,
    max_upload_bytes: Annotated[
        int | None, typer.Option(min=1, help="Bytes of one uploaded file; a larger one is refused alone.")
    ] = None,
    max_request_bytes: Annotated[
        int | None, typer.Option(min=1, help="Bytes of one whole upload; past it nothing is kept.")
    ] = None,
    max_upload_files: Annotated[int | None, typer.Option(min=1, help="Files in one upload.")] = None,
    max_json_bytes: Annotated[int | None, typer.Option(min=1, help="Bytes of a merge's or split's JSON body.")] = None,
) -> None:
    """Serve the pages and the JSON API (read-only unless STORYLINE_TOKEN is set).

    Example: storyline serve --db storyline.db --port 8000 --max-upload-files 50  (or [desk] in --config)
    """
    try:
        settings, desk = load_config(config), load_desk_config(config)
    except SettingsError as exc:
        fail(str(exc))
    desk = desk.with_overrides(
        max_upload_bytes=max_upload_bytes,
        max_request_bytes=max_request_bytes,
        max_upload_files=max_upload_files,
        max_json_bytes=max_json_bytes,
    )
    try:
        from storyline.web.app import create_app
    except ImportError as exc:
        fail(f"the web extra is not installed ({exc.name}): pip install 'storyline[web]'")
    import uvicorn

    with open_readonly(db) as store:  # closed when the server stops (the process exits without collecting it)
        token = os.environ.get("STORYLINE_TOKEN") or None
        if host not in LOOPBACK:
            warn(f"listening on {host}: anyone who can reach it can read the store")
        err_console.print(
            f"storyline: http://{host}:{port}/  ({'writes on, token required' if token else 'read-only'})",
            highlight=False,
            markup=False,
        )
        app = create_app(store, token=token, aliases=aliases, config=settings, desk_config=desk)
        uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command()(serve)
