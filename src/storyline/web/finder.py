"""Search that knows the resolved entities: a name expands to every spelling of its entity.

:func:`find` runs the store's full-text search (SQLite FTS5 or PostgreSQL) for the query and, when
the query is the name or an alias of resolved entities, for each of their other spellings too;
documents the entity is mentioned in are found even when no spelling is indexed as typed. Each hit
points at the sentence that matched (a span, so the link opens the sentence highlighted), not at
the top of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from storyline.store import Store
from storyline.web.desk import Row, View
from storyline.web.render import HIT_END, HIT_START

FETCH = 200  # hits read from the store per spelling (pages are cut from the merged list)
SENTENCE_CHARS = 400  # longest sentence shown as a snippet; longer ones are cut around the hit


@dataclass(slots=True)
class Hit:
    """One matching document: where the match is (a sentence span) and which spelling matched."""

    doc: Row
    start: int
    end: int
    snippet: str  # with the store's hit markers (U+E000/U+E001) around the matched words
    spelling: str | None  # the alias that found it, when not the query itself
    entity: Row | None  # the entity whose alias it is


def normal(text: str) -> str:
    return " ".join(text.casefold().split())


def entities_named(v: View, query: str) -> list[Row]:
    """Entities whose name or one of whose aliases is the query (case and spacing aside)."""
    key = normal(query)
    if not key:
        return []
    return [e for e in v.entities.values() if key in {normal(n) for n in [e["name"], *e["aliases"]]}]


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) holding ``text[start:end]``."""
    left = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) for p in (". ", "? ", "! ")))
    left = 0 if left < 0 else left + (1 if text[left] == "\n" else 2)
    rights = [i for i in (text.find("\n", end), *(text.find(p, end) for p in (". ", "? ", "! "))) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    if text[right - 1 : right] == "\n":
        right -= 1
    while left < start and text[left].isspace():
        left += 1
    return left, max(right, end)


def _words(text: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]


def _pattern(phrase: str) -> re.Pattern[str] | None:
    words = _words(phrase)
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)


def first_match(text: str, phrases: list[str]) -> tuple[int, int, str] | None:
    """(start, end, phrase) of the earliest place a phrase occurs as words; then of any single word."""
    found = []
    for phrase in phrases:
        pat = _pattern(phrase)
        m = pat.search(text) if pat else None
        if m:
            found.append((m.start(), m.end(), phrase))
    if not found:
        for phrase in phrases:
            for word in _words(phrase):
                m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
                if m:
                    found.append((m.start(), m.end(), phrase))
    return min(found) if found else None


def _snippet(text: str, start: int, end: int, hits: list[tuple[int, int]]) -> str:
    """The sentence ``text[start:end]`` with the hit markers around ``hits`` (cut when very long)."""
    if end - start > SENTENCE_CHARS and hits:
        mid = hits[0][0]
        a, b = max(start, mid - SENTENCE_CHARS // 2), min(end, mid + SENTENCE_CHARS // 2)
        prefix, suffix = ("… " if a > start else ""), (" …" if b < end else "")
    else:
        a, b, prefix, suffix = start, end, "", ""
    out, pos = [], a
    for h0, h1 in sorted(hits):
        if h0 < pos or h1 > b:
            continue
        out += [text[pos:h0], HIT_START, text[h0:h1], HIT_END]
        pos = h1
    out.append(text[pos:b])
    return prefix + " ".join("".join(out).split()) + suffix


def find(store: Store, v: View, query: str) -> list[Hit]:
    """Documents matching ``query`` or another spelling of an entity it names, best first.

    Hits for the query as typed come first (in the store's ranking), then documents found only
    through an alias or through the entity's resolved mentions.
    """
    named = entities_named(v, query)
    spellings = list(dict.fromkeys(n for e in named for n in [e["name"], *e["aliases"]] if normal(n) != normal(query)))
    order: dict[str, str | None] = {}
    for phrase in [query, *spellings]:
        for h in store.search(phrase, limit=FETCH):
            order.setdefault(h["id"], None if phrase == query else phrase)
    for e in named:  # a mention the index cannot find as typed (a spelling no alias lists)
        for m in e["mentions"]:
            order.setdefault(m["doc"], m.get("text") or e["name"])
    out = []
    for doc_id, spelling in order.items():
        d = v.docs.get(doc_id)
        if d is None:
            continue
        phrases = [query] if spelling is None else [spelling, *spellings]
        where = first_match(d["text"], phrases) or first_match(d["text"], [query, *spellings])
        if where is None:
            out.append(Hit(d, 0, 0, "", spelling, None))
            continue
        s0, s1 = sentence_around(d["text"], where[0], where[1])
        marks = []
        for phrase in dict.fromkeys([query, *spellings, *_words(query)]):
            pat = _pattern(phrase)
            if pat:
                marks += [(m.start(), m.end()) for m in pat.finditer(d["text"], s0, s1)]
        marks = _disjoint(marks)
        entity = _owner(named, spelling) if spelling is not None else None
        out.append(Hit(d, s0, s1, _snippet(d["text"], s0, s1, marks), spelling, entity))
    return out


def _owner(named: list[Row], spelling: str) -> Row | None:
    """The entity among ``named`` that has ``spelling`` as its name or alias (else the first)."""
    key = normal(spelling)
    found = (e for e in named if key in {normal(n) for n in [e["name"], *e["aliases"]]})
    return next(found, named[0] if named else None)


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans, key=lambda x: (x[0], -x[1])):
        if out and a < out[-1][1]:
            continue
        out.append((a, b))
    return out


def hit_row(h: Hit) -> dict[str, Any]:
    """A hit as the JSON API gives it: the document, the matching sentence's span and its link."""
    from storyline.web.jsonapi import evidence_url
    from storyline.web.render import snippet_html, snippet_text

    d = h.doc
    return {
        "id": d["id"],
        "title": d.get("title"),
        "source": d.get("source"),
        "published": d.get("published"),
        "snippet": snippet_text(h.snippet),
        "snippet_html": str(snippet_html(h.snippet)),
        "start": h.start if h.end > h.start else None,
        "end": h.end if h.end > h.start else None,
        "spelling": h.spelling,
        "entity": h.entity["id"] if h.entity else None,
        "url_page": f"/documents/{d['id']}",
        "evidence_url": evidence_url(d["id"], h.start, h.end) if h.end > h.start else None,
    }
