"""The article's block of lines and its headline.

The body is the run of lines with the highest total score (Finn, Kushmerick and Smyth's Body
Text Extraction, on lines instead of tags): prose lines add their length, furniture subtracts,
so the best run spans the article and bridges a short ad or caption inside it, but not the
menus above it or the related lists and footers below.
"""

from __future__ import annotations

import re

from storyline.clean.lines import Unit
from storyline.clean.repeats import fold

TITLE_LOOKBACK = 8  # units above the body searched for the headline; tuned on aebtext pages
TITLE_MAX_WORDS = 30


def best_block(scores: list[float]) -> tuple[int, int] | None:
    """(first, last) index of the maximum-sum run of ``scores``, or None if no run is positive."""
    best, best_span = 0.0, None
    total, start = 0.0, 0
    for i, s in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += s
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def _slug_words(url: str | None) -> set[str]:
    if not url:
        return set()
    path = re.sub(r"^[a-z]+://[^/]*", "", url, flags=re.I)
    return {w for w in re.split(r"[^a-z0-9]+", path.lower()) if len(w) > 2 and not w.isdigit()}


def find_title(units: list[Unit], block_start: int, url: str | None = None) -> int | None:
    """Index of the headline: a heading-shaped line just above the body (or its first line).

    Of the heading-shaped lines in the few units above the body, the one sharing most words
    with the URL's slug wins; without a slug, the nearest one.
    """
    candidates: list[int] = []
    looked = 0
    for i in range(block_start - 1, -1, -1):
        if units[i].kind == "junk":
            continue  # bylines, dates, share boxes between headline and body do not count
        looked += 1
        if looked > TITLE_LOOKBACK:
            break
        if units[i].kind in ("heading", "text") and 2 <= units[i].words <= TITLE_MAX_WORDS:
            candidates.append(i)
    if not candidates and block_start < len(units):
        first = units[block_start]
        if first.kind == "heading" and first.words <= TITLE_MAX_WORDS:
            return block_start
        return None
    if not candidates:
        return None
    # the headline printed twice: the first printing is the headline, the second a repeat
    folded = {i: fold(units[i].text) for i in candidates}
    candidates = [i for i in candidates if not any(j < i and folded[j] == folded[i] for j in candidates)]
    slug = _slug_words(url)
    if slug:
        overlap = [(len(slug & set(fold(units[i].text).split())), -k) for k, i in enumerate(candidates)]
        best = max(range(len(candidates)), key=lambda k: overlap[k])
        if overlap[best][0] >= 2:
            return candidates[best]
    return candidates[0]
