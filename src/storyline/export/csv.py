"""CSV tables for spreadsheets and pandas: one file per kind of record, spans as offsets.

Lists (aliases, actors, sources, ...) are joined with ``|``; every span keeps its document id
and its character offsets into that document's clean text (in ``documents.csv``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

LIST_SEP = "|"
Row = dict[str, Any]

TABLES = ("documents", "entities", "mentions", "timexes", "quotes", "events", "stories", "contested")


def _join(values: list[Any] | None) -> str:
    return LIST_SEP.join(str(v) for v in values or [])


def _documents(d: Row) -> list[Row]:
    return [
        {
            "id": x["id"],
            "source": x["source"],
            "sources": _join(x.get("sources")),
            "group": x.get("group"),
            "group_score": x.get("group_score"),
            "title": x.get("title"),
            "published": x.get("published"),
            "published_from": x.get("published_from"),
            "url": x.get("url"),
            "site": x.get("site"),
            "format": x.get("format"),
            "words": x.get("words"),
            "text": x["text"],
        }
        for x in d["documents"]
    ]


def _entities(d: Row) -> list[Row]:
    return [
        {
            "id": e["id"],
            "name": e["name"],
            "type": e["type"],
            "aliases": _join(e["aliases"]),
            "roles": _join(e.get("roles")),
            "mentions": len(e["mentions"]),
            "documents": len({m["doc"] for m in e["mentions"]}),
        }
        for e in d["entities"]
    ]


def _mentions(d: Row) -> list[Row]:
    return [
        {
            "entity": e["id"],
            "doc": m["doc"],
            "start": m["start"],
            "end": m["end"],
            "text": m.get("text", ""),
            "score": m.get("score", 1.0),
        }
        for e in d["entities"]
        for m in e["mentions"]
    ]


def _timexes(d: Row) -> list[Row]:
    cols = ("doc", "start", "end", "text", "value", "kind", "relative")
    return [{c: x.get(c) for c in cols} for x in d["timexes"]]


def _quotes(d: Row) -> list[Row]:
    cols = ("doc", "start", "end", "speaker", "speaker_name", "cue", "direct", "via", "text")
    return [{c: q.get(c) for c in cols} for q in d["quotes"]]


def _events(d: Row) -> list[Row]:
    cols = (
        "id",
        "doc",
        "type",
        "actors",
        "targets",
        "location",
        "date",
        "story",
        "mode",
        "source",
        "trigger",
        "start",
        "end",
        "text",
    )
    return [{c: _join(e.get(c)) if c in ("actors", "targets") else e.get(c) for c in cols} for e in d["events"]]


def _stories(d: Row) -> list[Row]:
    return [
        {
            "id": s["id"],
            "date": s.get("date"),
            "date_conflict": s.get("date_conflict", False),
            "type": s.get("type", ""),
            "title": s.get("title", ""),
            "events": _join(s["events"]),
            "sources": _join(s.get("sources")),
            "documents": _join(s.get("documents")),
            "score": s.get("score"),
        }
        for s in d["stories"]
    ]


def _contested(d: Row) -> list[Row]:
    return [{"claim": c["claim"], "denial": c["denial"], "score": c.get("score")} for c in d["contested"]]


BUILDERS: dict[str, Callable[[Row], list[Row]]] = {
    "documents": _documents,
    "entities": _entities,
    "mentions": _mentions,
    "timexes": _timexes,
    "quotes": _quotes,
    "events": _events,
    "stories": _stories,
    "contested": _contested,
}

HEADERS: dict[str, list[str]] = {  # written even when a table is empty, so readers find the columns
    "documents": [
        "id",
        "source",
        "sources",
        "group",
        "group_score",
        "title",
        "published",
        "published_from",
        "url",
        "site",
        "format",
        "words",
        "text",
    ],
    "entities": ["id", "name", "type", "aliases", "roles", "mentions", "documents"],
    "mentions": ["entity", "doc", "start", "end", "text", "score"],
    "timexes": ["doc", "start", "end", "text", "value", "kind", "relative"],
    "quotes": ["doc", "start", "end", "speaker", "speaker_name", "cue", "direct", "via", "text"],
    "events": [
        "id",
        "doc",
        "type",
        "actors",
        "targets",
        "location",
        "date",
        "story",
        "mode",
        "source",
        "trigger",
        "start",
        "end",
        "text",
    ],
    "stories": ["id", "date", "date_conflict", "type", "title", "events", "sources", "documents", "score"],
    "contested": ["claim", "denial", "score"],
}


def tables(dossier: Row) -> dict[str, list[Row]]:
    """Every table's rows (pure: no files)."""
    return {name: BUILDERS[name](dossier) for name in TABLES}


def write_csv(dossier: Row, folder: Path) -> list[Path]:
    """Write one UTF-8 CSV per table into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables(dossier).items():
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=HEADERS[name], extrasaction="raise")
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written
