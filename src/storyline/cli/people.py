"""Commands about who is who and who said what: entities, quotes."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from storyline import api
from storyline.cli.common import DbOption, cell, console, cut_note, open_readonly

QUOTE_CHARS = 120  # of a quote in a table cell, cut with "…"


def entities(
    db: DbOption = api.DEFAULT_DB,
    kind: Annotated[str | None, typer.Option("--type", help="Only this type (PERSON, ORG, GPE, ...).")] = None,
    limit: Annotated[int, typer.Option(help="Rows at most.", min=1)] = 100,
) -> None:
    """List entities: name, type, aliases with merge scores and reasons, documents, mentions.

    Example: storyline entities --db storyline.db --type PERSON
    """
    with open_readonly(db) as store:
        ents = [e for e in store.resolution().entities if kind is None or e.type == kind.upper()]
    ents.sort(key=lambda e: (-len(e.mentions), e.name))
    table = Table("name", "type", "aliases (merge score, reason)", "docs", "mentions")
    for e in ents[:limit]:
        aliases = ", ".join(
            f"{a} ({e.merge_scores.get(a, 1.0):.2f}" + (f", {e.merge_reasons[a]})" if a in e.merge_reasons else ")")
            for a in e.aliases
        )
        table.add_row(cell(e.name), e.type, cell(aliases), str(len({m.doc for m in e.mentions})), str(len(e.mentions)))
    console.print(table)
    cut_note(min(limit, len(ents)), len(ents))


def quotes(
    db: DbOption = api.DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option(help="Only quotes by this person or organisation.")] = None,
) -> None:
    """List quotes with their speakers.

    Example: storyline quotes --db storyline.db --speaker Peskov
    """
    with open_readonly(db) as store:
        res = store.resolution()
    names = {e.id: e for e in res.entities}
    table = Table("speaker", "quote", "doc", "span", "kind")
    for q in res.quotes:
        ent = names.get(q.speaker) if q.speaker else None
        who = ent.name if ent else "(unknown)"
        if speaker:
            forms = [who, *(ent.aliases if ent else [])]
            if not any(speaker.lower() in f.lower() for f in forms):
                continue
        table.add_row(
            cell(who), cell(q.text, QUOTE_CHARS), q.doc[:10], f"{q.start}-{q.end}", "direct" if q.direct else "indirect"
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(entities)
    app.command()(quotes)
