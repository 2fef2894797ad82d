"""Where a careless scraper glued two blocks together with no space between them.

Three shapes, found by their characters alone:
  * a sentence end glued to the next sentence: ``in 1953.During``, ``24-17.“We``;
  * a title-cased heading glued to its paragraph: ``Relations`` + ``On July 26``, the second
    word being one that opens sentences ("The", "On", "We"), so ``MacBook`` or ``GarageBand``
    stay whole;
  * a year glued to a sentence opener: ``November 18, 2019We recently``.
Abbreviations (``U.S.``, ``e.g.``) have a single letter before their dots and are left alone, as
are decimals and domain names (lower case after the dot).
"""

from __future__ import annotations

import re

from storyline.clean.lexicon import GLUE_WORDS

# After a heading, "A" and "In" count only before a lower-case word ("SteakhouseA party"), so
# "LinkedIn Quora" and "SeriesA" stay whole; "I" never does.
_WEAK = ("A", "I", "In")
_OPENERS = "|".join([*sorted(GLUE_WORDS - set(_WEAK), key=len, reverse=True), r"(?:A|In)(?=\s[a-z0-9])"])
_YEAR_OPENERS = "|".join(sorted(GLUE_WORDS, key=len, reverse=True))
# "[a-z0-9%)]{2}" before the stop keeps one-letter abbreviations ("U.S.", "e.g.") whole.
SENTENCE_GLUE = re.compile(r"(?<=[a-z0-9%)\]]{2}[.!?])([\"”’)]?)(?=[\"“‘]?(?:[A-Z][a-z’']|I\s))")
HEADING_GLUE = re.compile(rf"\b[A-Z][a-z]{{2,}}(?=(?:{_OPENERS})\b)")
YEAR_GLUE = re.compile(rf"(?<=\b(?:19|20)\d\d)(?=(?:{_YEAR_OPENERS})\b)")
URLISH = re.compile(r"\S*(?:://|www\.|@)\S*")


def glue_points(text: str) -> list[int]:
    """Offsets in ``text`` where a glued block starts (sorted, without duplicates)."""
    if len(text) < 8:
        return []
    points: set[int] = set()
    for m in SENTENCE_GLUE.finditer(text):
        points.add(m.end())
    for m in HEADING_GLUE.finditer(text):
        points.add(m.end())
    for m in YEAR_GLUE.finditer(text):
        points.add(m.start())
    if not points:
        return []
    shielded = [(m.start(), m.end()) for m in URLISH.finditer(text)]
    return sorted(p for p in points if 0 < p < len(text) and not any(s < p < e for s, e in shielded))
