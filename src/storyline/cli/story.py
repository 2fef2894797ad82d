"""Commands about what happened: timeline, brief."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from storyline import api
from storyline.brief import render_brief
from storyline.cli.common import DbOption, console, open_readonly
from storyline.resolve.timeline import split_timeline


def timeline(db: DbOption = api.DEFAULT_DB) -> None:
    """Stories in date order, undated ones apart, with their independent sources.

    Example: storyline timeline --db storyline.db
    """
    with open_readonly(db) as store:
        data = api.dossier_of(store)
    names = {e["id"]: e["name"] for e in data["entities"]}
    events = {e["id"]: e for e in data["events"]}
    dated, undated = split_timeline(data["stories"])
    for title, stories in (("Timeline", dated), ("Undated", undated)):
        table = Table("date", "type", "who", "reports", "independent sources", title=title, title_justify="left")
        for s in stories:
            evs = [events[e] for e in s["events"] if e in events]
            who = sorted({names.get(x, x) for e in evs for x in e["actors"] + e["targets"]})
            date = s["date"] or "—"
            if s.get("date_conflict"):
                date += " (disputed)"
            table.add_row(date, s.get("type", ""), ", ".join(who)[:60], str(len(evs)), str(len(s.get("sources", []))))
        console.print(table)


def brief(
    db: DbOption = api.DEFAULT_DB,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the Markdown here (default: print).")] = None,
) -> None:
    """A one-page Markdown briefing where every line cites the sentences it rests on.

    Example: storyline brief --db storyline.db -o brief.md
    """
    with open_readonly(db) as store:
        text = render_brief(api.dossier_of(store))
    if out is None:
        print(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {out}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(timeline)
    app.command()(brief)
