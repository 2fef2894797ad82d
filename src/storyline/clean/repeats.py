"""Text printed twice: a doubled paragraph, a teaser that repeats the body, a repeated sentence.

Sentences are compared in a folded form (case, punctuation and quotes removed) so a copy that
lost an apostrophe still counts. A unit whose every long sentence comes again later (a teaser
block, the first of a doubled paragraph) is dropped whole; then, reading in order, a sentence
already printed earlier (alone or inside a longer sentence) is dropped.
"""

from __future__ import annotations

import re

MIN_REPEAT_WORDS = 6  # shorter sentences ("He said no.") recur legitimately; tuned on seeds/aebtext
# A sentence ends at . ! ? (plus closing quotes) followed by space and an opening capital/quote.
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_FOLD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower case, apostrophes dropped, every other non-word run a single space."""
    t = text.casefold().replace("’", "").replace("'", "")
    return " ".join(_FOLD.sub(" ", t).split())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans of ``text`` (offsets into it); enough to find repeats."""
    spans, start = [], 0
    for m in SENTENCE_BREAK.finditer(text):
        end = m.start() + len(m.group().rstrip())  # keep the closing quotes with the sentence
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _long(folded: str) -> bool:
    return folded.count(" ") + 1 >= MIN_REPEAT_WORDS


def repeated_units(texts: list[str]) -> set[int]:
    """Indices of units whose every long sentence is printed again in a later unit."""
    folded = [fold(t) for t in texts]
    joined = " " + " ".join(folded) + " "
    starts, pos = [], 1
    for f in folded:
        starts.append(pos)
        pos += len(f) + 1
    out: set[int] = set()
    for i, text in enumerate(texts):
        sents = [fold(text[s:e]) for s, e in sentence_spans(text)]
        sents = [s for s in sents if _long(s)]
        if not sents:
            continue
        after = starts[i] + len(folded[i])
        if all(joined.find(" " + s + " ", after) >= 0 for s in sents):
            out.add(i)
    return out


def repeated_sentences(texts: list[str]) -> list[list[tuple[int, int]]]:
    """For each unit, the spans of its sentences already printed earlier (in order of reading)."""
    seen = " "
    out: list[list[tuple[int, int]]] = []
    for text in texts:
        cut: list[tuple[int, int]] = []
        for s, e in sentence_spans(text):
            f = fold(text[s:e])
            if _long(f) and (" " + f + " ") in seen:
                cut.append((s, e))
            else:
                seen += f + " "
        out.append(cut)
    return out
