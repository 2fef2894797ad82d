"""Commands about what happened: threads, timeline, brief."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from storyline import api
from storyline.cli.common import DbOption, cell, console, cut_note, open_readonly, warn

if TYPE_CHECKING:
    from storyline.store import Store

TITLE_CHARS = 60  # of a document title in a table cell


def _warn_if_incomplete(store: Store) -> None:
    gap = api.analysis_gap(store)
    if gap:
        warn(gap)


def threads(
    db: DbOption = api.DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="Threads at most.", min=1)] = 50,
) -> None:
    """Threads in date order: the documents that cover one development, with their label words.

    Example: storyline threads --db storyline.db --limit 20
    """
    with open_readonly(db) as store:
        rows = api.thread_summaries(store)
    table = Table("dates", "docs", "score", "label", "documents (outlet)")
    for t in rows[:limit]:
        dates = "undated" if not t.start else t.start if t.end in (None, t.start) else f"{t.start} – {t.end}"
        shown = [
            cell(title, TITLE_CHARS) + ("" if outlet == title else f" ({cell(outlet)})") for title, outlet in t.examples
        ]
        if t.documents > len(shown):
            shown.append(f"… {t.documents - len(shown)} more")
        table.add_row(dates, str(t.documents), f"{t.score:.2f}", cell(" ".join(t.terms) or "—"), "\n".join(shown))
    console.print(table)
    cut_note(min(limit, len(rows)), len(rows))
    if not rows:
        console.print("No threads: build with the NLP stage on (storyline build DIR --db FILE).", highlight=False)


def timeline(db: DbOption = api.DEFAULT_DB) -> None:
    """Stories in date order, undated ones apart, with their independent sources.

    Example: storyline timeline --db storyline.db
    """
    from storyline.resolve.timeline import split_timeline

    with open_readonly(db) as store:
        _warn_if_incomplete(store)
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
            table.add_row(
                cell(date), s.get("type", ""), cell(", ".join(who), 60), str(len(evs)), str(len(s.get("sources", [])))
            )
        console.print(table)


def brief(
    db: DbOption = api.DEFAULT_DB,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the Markdown here (default: print).")] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option("--min-confidence", min=0.0, max=1.0,
                     help="Show events from this confidence up (default: the model's display threshold)."),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show every event, whatever its confidence.")] = False,
) -> None:
    """A one-page Markdown briefing where every line cites the sentences it rests on.

    Example: storyline brief --db storyline.db -o brief.md
    """
    from storyline.brief import render_brief  # the briefing's words: the resolver, spaCy

    with open_readonly(db) as store:
        _warn_if_incomplete(store)
        text = render_brief(api.dossier_of(store), min_confidence=0.0 if show_all else min_confidence)
    if out is None:  # to the terminal: control characters escaped; the file keeps the text as it is
        print(cell(text, layout=True, markup=False))
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {cell(str(out))}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(threads)
    app.command()(timeline)
    app.command()(brief)
