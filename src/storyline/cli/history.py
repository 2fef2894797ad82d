"""Commands about what the store remembers of its builds: files (read or failed), changes (per run)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from storyline import api
from storyline.cli.common import DbOption, cell, console, cut_note, fail, open_readonly

ERROR_CHARS = 160  # of a file's last error in a table cell, cut with "…"


def files(
    db: DbOption = api.DEFAULT_DB,
    failed: Annotated[bool, typer.Option("--failed", help="Only the files whose last reading went wrong.")] = False,
    limit: Annotated[int, typer.Option(help="Rows at most.", min=1)] = 500,
) -> None:
    """List the files the store has read: path, state, records, size and the last error.

    Example: storyline files --db storyline.db --failed
    """
    with open_readonly(db) as store:
        rows = store.files(failed=failed)
    table = Table("path", "state", "records", "bytes", "last error")
    for r in rows[:limit]:
        table.add_row(
            cell(r["path"]), r["status"], str(r["records"]), str(r["size"]), cell(r["error"] or "—", ERROR_CHARS)
        )
    console.print(table)
    cut_note(min(limit, len(rows)), len(rows))
    if not rows:
        console.print("No failed files." if failed else "No files read yet.", highlight=False)


def changes(
    db: DbOption = api.DEFAULT_DB,
    since: Annotated[
        int | None, typer.Option(help="Every run after this one (default: the last run only).", min=0)
    ] = None,
) -> None:
    """What each build added: new documents, threads and stories, stories that gained sources, new
    contested claims and date conflicts, entities merged; every line cited [n] as the briefing is.

    Example: storyline changes --db storyline.db --since 1
    """
    from storyline.changes import render_changes  # the briefing's words: the resolver, spaCy

    with open_readonly(db) as store:
        runs = store.runs(since or 0, last=None if since is not None else 1)
    if not runs:
        fail(f"no run after run {since}" if since else "no build recorded in this store (run 'storyline build')")
    for line in render_changes(runs):
        console.print(cell(line), highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(files)
    app.command()(changes)
