"""Commands that write results: export, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from storyline import api
from storyline.cli.common import DbOption, cell, console, fail


def export(
    db: DbOption = api.DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(api.EXPORT_FORMATS)}.")] = "json",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (or folder for csv).")] = None,
) -> None:
    """Export the dossier: JSON, CSV tables, the entity network (GraphML/GEXF), TimelineJS, FollowTheMoney.

    Example: storyline export --db storyline.db --format json -o dossier.json
    """
    from storyline.export.files import ExportError
    from storyline.store import StoreError

    try:
        path = api.export(db, fmt, out)
    except (ValueError, StoreError, ExportError) as exc:
        fail(str(exc))
    console.print(f"wrote {cell(str(path))}", highlight=False)


def schema() -> None:
    """Print the JSON Schema of the dossier.

    Example: storyline schema > dossier.schema.json
    """
    from storyline.export.dossier import dossier_schema

    print(json.dumps(dossier_schema(), indent=1))


def register(app: typer.Typer) -> None:
    app.command()(export)
    app.command()(schema)
