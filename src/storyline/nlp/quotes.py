"""Direct and indirect quotes with their speakers."""

from __future__ import annotations

from spacy.tokens import Doc

from storyline.model import Mention, Quote


def find_quotes(sdoc: Doc, mentions: list[Mention]) -> list[Quote]:
    """Quotes in text order; ``speaker`` is an index into ``mentions`` or None."""
    return []
