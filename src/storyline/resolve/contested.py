"""A claim by one actor linked to the denial of the same proposition by another."""

from __future__ import annotations

from storyline.model import Analysis, Contested, ResolvedEvent


def find_contested(events: list[ResolvedEvent], analyses: list[Analysis]) -> list[Contested]:
    return []
