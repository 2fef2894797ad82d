"""CSV tables for spreadsheets and pandas: one file per kind of record, spans as offsets.

Lists (aliases, actors, sources, ...) are joined with ``|``; every span keeps its document id
and its character offsets into that document's clean text (in ``documents.csv``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

LIST_SEP = "|"
Row = dict[str, Any]

# The columns of each table, in order: written even when a table is empty, so readers find them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "source", "sources", "group", "group_score", "title", "published", "published_from",
                  "url", "site", "format", "language", "words", "text"),
    "entities": ("id", "name", "type", "aliases", "roles", "mentions", "documents"),
    "mentions": ("entity", "doc", "start", "end", "text", "score"),
    "timexes": ("doc", "start", "end", "text", "value", "kind", "relative"),
    "quotes": ("doc", "start", "end", "speaker", "speaker_name", "cue", "direct", "via", "text"),
    "events": ("id", "doc", "type", "actors", "targets", "location", "date", "story", "mode", "source",
               "trigger", "start", "end", "text"),
    "stories": ("id", "date", "date_conflict", "type", "title", "events", "sources", "documents", "score"),
    "contested": ("claim", "denial", "score"),
}
TABLES = tuple(COLUMNS)


def _cell(value: Any) -> Any:
    return LIST_SEP.join(str(v) for v in value) if isinstance(value, list) else value


def _records(dossier: Row, table: str) -> Iterable[Row]:
    """The dossier's records for a table, with the few columns that are computed."""
    if table == "entities":
        for e in dossier["entities"]:
            yield {**e, "mentions": len(e["mentions"]), "documents": len({m["doc"] for m in e["mentions"]})}
    elif table == "mentions":
        for e in dossier["entities"]:
            for m in e["mentions"]:
                yield {"score": 1.0, "text": "", **m, "entity": e["id"]}
    else:
        yield from dossier[table]


def tables(dossier: Row) -> dict[str, list[Row]]:
    """Every table's rows (pure: no files)."""
    return {
        name: [{c: _cell(r.get(c)) for c in cols} for r in _records(dossier, name)] for name, cols in COLUMNS.items()
    }


def write_csv(dossier: Row, folder: Path) -> list[Path]:
    """Write one UTF-8 CSV per table into ``folder``, each file whole or not at all
    (:func:`storyline.export.files.replaced`); returns the files written."""
    from storyline.export.files import replaced, write_failed

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_failed(folder, exc) from exc
    written = []
    for name, rows in tables(dossier).items():
        path = folder / f"{name}.csv"
        with replaced(path) as part, part.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS[name], extrasaction="raise")
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written
