"""Boilerplate, comments, repeats and glued headings removed from flattened article text.

The chain: header line → lines as units → glued blocks split → each unit's kind (features) →
site boilerplate → comment section cut → body block → headline → repeats → publication date →
the clean text with its clean→raw map. Every removed piece keeps its raw offsets and a reason.
"""

from __future__ import annotations

import itertools

from storyline.clean.body import best_block, find_title
from storyline.clean.comments import chatty_tail, comments_start
from storyline.clean.glued import glue_points
from storyline.clean.header import parse_header
from storyline.clean.lines import Unit, classify, score, split_lines
from storyline.clean.metadata import date_from_url, dateline_date
from storyline.clean.repeats import fold, repeated_sentences, repeated_units
from storyline.model import Cleaned, Removal, Segment

DATELINE_WINDOW_WORDS = 200  # prose words into the body still searched for a byline date


def split_glued(units: list[Unit]) -> list[Unit]:
    """Each unit cut where a scraper glued two blocks together."""
    out: list[Unit] = []
    for u in units:
        points = glue_points(u.text)
        if not points:
            out.append(u)
            continue
        bounds = [0, *points, len(u.text)]
        for a, b in itertools.pairwise(bounds):
            piece = u.text[a:b]
            lead = len(piece) - len(piece.lstrip())
            body = piece.strip()
            if body:
                s = u.start + a + lead
                out.append(Unit(s, s + len(body), body, u.line, u.line_norm))
    return out


def _classify(units: list[Unit], recurring: frozenset[str]) -> None:
    """Each unit's kind; lines the site repeats on other pages are furniture unless they are prose.

    Prose shared by two pages of a site is as often a shared opening sentence or a reposted
    paragraph as a legal notice, so a recurring sentence keeps its kind: inside the body block
    it stays, outside it goes anyway.
    """
    for u in units:
        u.kind, u.reason, u.words = classify(u.text)
        if u.line_norm in recurring and u.kind != "sentence":
            u.kind, u.reason = "junk", "site-boilerplate"


def _select(units: list[Unit]) -> tuple[int, int]:
    """Mark the units of the article body as kept; return the body block (first, last+1)."""
    for u in units:
        u.score = score(u.kind, u.words)
    block = best_block([u.score for u in units])
    if block is None:  # no prose at all: keep whatever is not furniture
        for u in units:
            u.keep = u.kind in ("sentence", "text", "heading")
            u.reason = u.reason or ("navigation" if not u.keep else "")
        return 0, len(units)
    first, last = block
    if last == len(units) - 2 and units[-1].kind == "text":
        last += 1  # the article's last line, cut short or unpunctuated, with nothing after it
    for i, u in enumerate(units):
        if first <= i <= last:
            u.keep = u.kind in ("sentence", "text")
            if not u.keep and not u.reason:
                u.reason = "heading" if u.kind == "heading" else "navigation"
        else:
            u.keep = False
            if not u.reason:
                u.reason = "navigation" if i < first else "footer"
    return first, last + 1


def _dateline(units: list[Unit], lo: int, block_start: int) -> str | None:
    lines, prose = [], 0
    for u in units[lo:]:
        if u.kind == "sentence":
            prose += u.words
            if prose > DATELINE_WINDOW_WORDS:
                break
            continue
        lines.append(u.text)
    return dateline_date(lines)


def _assemble(raw: str, pieces: list[tuple[int, int]]) -> tuple[str, list[Segment]]:
    parts: list[str] = []
    segments: list[Segment] = []
    pos, prev_end = 0, None
    for s, e in pieces:
        if prev_end is not None:
            sep = "\n\n" if raw.count("\n", prev_end, s) >= 2 else "\n"
            parts.append(sep)
            pos += len(sep)
        parts.append(raw[s:e])
        segments.append(Segment(pos, s, e - s))
        pos += e - s
        prev_end = e
    return "".join(parts), segments


def _merge_removals(raw: str, removed: list[Removal]) -> list[Removal]:
    """Neighbouring cuts for the same reason, with only whitespace between, as one."""
    out: list[Removal] = []
    for r in sorted(removed, key=lambda r: r.start):
        if out and out[-1].reason == r.reason and not raw[out[-1].end : r.start].strip():
            out[-1].end = max(out[-1].end, r.end)
        else:
            out.append(Removal(r.start, r.end, r.reason))
    return out


def clean_text(raw: str, *, recurring: frozenset[str] = frozenset(), pre_cleaned: bool = False) -> Cleaned:
    """The article body of ``raw`` with a clean→raw offset map and what was removed, and why.

    ``recurring`` holds :func:`normalise_line` forms of lines that recur across the site's pages;
    ``pre_cleaned`` says a library already isolated the body, so only repeats and glued
    blocks are fixed and no line is judged by its shape. The header line is a plain-text file's
    convention: a pre-cleaned body (a JSONL field, a page's text) that starts ``date 2023-07-26``
    starts with its own words.
    """
    removed: list[Removal] = []
    header = None if pre_cleaned else parse_header(raw)
    skip = 0
    if header:
        removed.append(Removal(0, header.end, "header-line"))
        skip = header.end
    units = split_glued([u for u in split_lines(raw, normalise=bool(recurring)) if u.start >= skip])
    url = header.url if header else None
    title: str | None = header.title if header else None
    title_idx: int | None = None
    published, published_from = (header.published, "header") if header else (None, None)

    if pre_cleaned:
        for u in units:
            u.kind, u.reason, u.words = classify(u.text)
            u.keep = True
    else:
        _classify(units, recurring)
        cut = comments_start(units)
        body_units = units
        if cut is not None:
            at, why = cut
            for u in units[at:]:
                u.keep = False
                u.reason = u.reason if u.kind == "junk" else why if why == "author-box" and u is units[at] \
                    else "comments"
            body_units = units[:at]
        block_start, _ = _select(body_units)
        title_idx = find_title(body_units, block_start, url)
        if title_idx is not None:
            units[title_idx].keep = True
            units[title_idx].reason = ""
            if title is None:
                title = units[title_idx].text
        if published is None:
            lo = title_idx if title_idx is not None and title_idx < block_start else max(0, block_start - 8)
            day = _dateline(body_units, lo, block_start)
            if day:
                published, published_from = day, "dateline"
    if published is None and url:
        day = date_from_url(url)
        if day:
            published, published_from = day, "url"

    # the headline printed again below itself
    if title:
        tf = fold(title)
        first = True
        slack = 4 + len(title) // 5
        for i, u in enumerate(units):
            if abs(len(u.text) - len(title)) > slack or fold(u.text) != tf:
                continue
            if u.keep and first and (title_idx is None or i <= title_idx):
                first = False
                continue
            u.keep, u.reason = False, "title-repeat"

    kept = [u for u in units if u.keep]
    if not pre_cleaned:
        tail = chatty_tail([u.text for u in kept])
        if tail is not None:
            for u in kept[tail:]:
                u.keep, u.reason = False, "comments"
            kept = kept[:tail]
    for i in repeated_units([u.text for u in kept]):
        kept[i].keep, kept[i].reason = False, "repeat"
    kept = [u for u in kept if u.keep]
    pieces: list[tuple[int, int]] = []
    for u, cuts in zip(kept, repeated_sentences([u.text for u in kept]), strict=True):
        pos = 0
        for s, e in cuts:
            if u.text[pos:s].strip():
                a = pos + len(u.text[pos:s]) - len(u.text[pos:s].lstrip())
                pieces.append((u.start + a, u.start + len(u.text[:s].rstrip())))
            removed.append(Removal(u.start + s, u.start + e, "repeat"))
            pos = e
        rest = u.text[pos:]
        if rest.strip():
            a = pos + len(rest) - len(rest.lstrip())
            pieces.append((u.start + a, u.start + len(u.text.rstrip())))
    removed.extend(Removal(u.start, u.end, u.reason or "boilerplate") for u in units if not u.keep)
    text, segments = _assemble(raw, pieces)
    return Cleaned(
        text=text, segments=segments, removed=_merge_removals(raw, removed), title=title,
        published=published, published_from=published_from, url=url,
    )
