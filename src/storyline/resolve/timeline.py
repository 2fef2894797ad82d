"""Stories in the order a reader wants them: dated ones by date, undated ones apart."""

from __future__ import annotations

from typing import Any


def date_key(value: str) -> str:
    """Sort key of a TIMEX3 value: a range sorts by its start, a month before its days."""
    return value.split("/", 1)[0]


def split_timeline(stories: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(dated stories by date, then by how many sources; undated stories by sources)."""
    dated = [s for s in stories if s.get("date")]
    undated = [s for s in stories if not s.get("date")]
    dated.sort(key=lambda s: (date_key(s["date"]), -len(s.get("sources", [])), s["id"]))
    undated.sort(key=lambda s: (-len(s.get("sources", [])), -len(s.get("events", [])), s["id"]))
    return dated, undated
