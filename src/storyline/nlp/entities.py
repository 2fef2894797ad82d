"""Names in a parse: tidied NER spans, demonyms linked to countries, short forms to full names."""

from __future__ import annotations

from spacy.tokens import Doc

from storyline.model import Mention


def extract_mentions(sdoc: Doc) -> list[Mention]:
    """Mentions of PERSON, ORG, GPE, LOC, NORP and FAC names, in text order."""
    return []
