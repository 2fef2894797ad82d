"""Date expressions normalised to TIMEX3 values against the publication date."""

from __future__ import annotations

from spacy.tokens import Doc

from storyline.model import Timex


def find_timexes(sdoc: Doc, published: str | None) -> list[Timex]:
    """Date expressions in text order; relative ones get None in an undated document."""
    return []
