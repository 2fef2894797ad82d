"""Typed events (PLOVER) from the dependency parse and a predicate lexicon."""

from __future__ import annotations

from spacy.tokens import Doc

from storyline.model import Event, Mention, Quote, Timex


def find_events(sdoc: Doc, mentions: list[Mention], timexes: list[Timex], quotes: list[Quote]) -> list[Event]:
    """Events in text order, participants as indices into ``mentions``."""
    return []
