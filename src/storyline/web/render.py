"""Turning article text into safe HTML: escaped pieces between span boundaries, nested tags.

Article text is hostile input, so nothing here ever pastes text into HTML unescaped: the text is
cut at every span boundary, each piece is escaped on its own, and the tags around it are built
from values we control (escaped too). Spans may nest or overlap (a mention inside a quote inside
an event sentence; a quote that runs past its sentence): overlapping tags are closed and reopened
so the HTML stays well formed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from markupsafe import Markup, escape

HIT_START, HIT_END = "\ue000", "\ue001"  # the store's search snippet markers
CONTEXT_CHARS = 70  # characters either side of a mention in a keyword-in-context line

_SPAN_PARAM = re.compile(r"^(\d{1,9})-(\d{1,9})$")


@dataclass(frozen=True, slots=True)
class Mark:
    """A tag to wrap around ``text[start:end]``; ``anchor`` becomes the element id where it opens."""

    start: int
    end: int
    tag: str
    classes: str = ""
    attrs: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    anchor: str | None = None
    rank: int = 5  # among marks on the same span, a lower rank is the outer tag


def span_anchor(start: int, end: int) -> str:
    """The element id of an evidence span (``#s120-245`` in links)."""
    return f"s{start}-{end}"


def parse_span(value: str) -> tuple[int, int]:
    """``"120-245"`` → (120, 245); raises ValueError with a message a user can act on."""
    m = _SPAN_PARAM.match(value.strip())
    if not m:
        raise ValueError(f"span must look like START-END (two character offsets), not {value!r}")
    start, end = int(m.group(1)), int(m.group(2))
    if end <= start:
        raise ValueError(f"span {value!r} is empty: END must be greater than START")
    return start, end


def _open(mark: Mark, with_anchor: bool) -> str:
    parts = [mark.tag]
    if with_anchor and mark.anchor:
        parts.append(f'id="{escape(mark.anchor)}"')
    if mark.classes:
        parts.append(f'class="{escape(mark.classes)}"')
    parts += [f'{escape(k)}="{escape(v)}"' for k, v in mark.attrs]
    return "<" + " ".join(parts) + ">"


def highlight(text: str, marks: list[Mark]) -> Markup:
    """``text`` as HTML with every mark's tag around its span; overlaps are split, never broken.

    Sweeps the span boundaries once: between two boundaries the set of covering marks is fixed,
    so the piece is escaped and wrapped by exactly those marks, outermost first. An ``<a>`` is
    never opened inside another ``<a>`` (the inner link is dropped for that piece).
    """
    n = len(text)
    valid = sorted(
        {
            Mark(max(0, m.start), min(n, m.end), m.tag, m.classes, m.attrs, m.anchor, m.rank)
            for m in marks
            if min(n, m.end) > max(0, m.start)
        },
        key=lambda m: (m.start, -m.end, m.rank, m.tag, m.classes, m.attrs),
    )
    order = {m: i for i, m in enumerate(valid)}
    bounds = sorted({0, n, *(m.start for m in valid), *(m.end for m in valid)})
    starts: dict[int, list[Mark]] = {}
    for m in valid:
        starts.setdefault(m.start, []).append(m)
    out: list[str] = []
    active: set[Mark] = set()
    stack: list[Mark] = []
    used_anchors: set[str] = set()
    opened: set[Mark] = set()
    for a, b in pairwise(bounds):
        active = {m for m in active if m.end > a} | set(starts.get(a, []))
        wanted: list[Mark] = []
        in_link = False
        for m in sorted(active, key=order.__getitem__):
            if m.tag == "a":
                if in_link:
                    continue
                in_link = True
            wanted.append(m)
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        for m in reversed(stack[keep:]):
            out.append(f"</{m.tag}>")
        del stack[keep:]
        for m in wanted[keep:]:
            first = m not in opened and m.anchor is not None and m.anchor not in used_anchors
            if first:
                used_anchors.add(m.anchor)  # type: ignore[arg-type]
            opened.add(m)
            out.append(_open(m, first))
            stack.append(m)
        out.append(str(escape(text[a:b])))
    for m in reversed(stack):
        out.append(f"</{m.tag}>")
    return Markup("".join(out))


def bdi(value: object) -> Markup:
    """Corpus text as an isolated piece of HTML: escaped, inside ``<bdi>``.

    The templates' ``|bdi`` filter. A right-to-left override (U+202E) or an unclosed embedding in
    an article's title, a name or a sentence then reorders that piece only, never the page around
    it. Already-safe HTML (a highlighted text, a snippet) is wrapped as it is; None or "" gives "".
    """
    if value is None or value == "":
        return Markup("")
    return Markup("<bdi>") + escape(value) + Markup("</bdi>")


def snippet_html(snippet: str | None) -> Markup:
    """A search snippet with the store's hit markers turned into ``<mark>``, everything else escaped."""
    if not snippet:
        return Markup("")
    escaped = str(escape(snippet))
    html = escaped.replace(HIT_START, "<mark>").replace(HIT_END, "</mark>")
    if html.count("<mark>") != html.count("</mark>"):  # a cut marker: drop them all rather than break the page
        html = escaped.replace(HIT_START, "").replace(HIT_END, "")
    return Markup(html)


def snippet_text(snippet: str | None) -> str:
    """A search snippet for the JSON API: the hit markers as ``[[ ]]``-free plain text."""
    return (snippet or "").replace(HIT_START, "").replace(HIT_END, "")


def in_context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """(left, span, right) around a span, whitespace collapsed, cut at word boundaries."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    if start - width > 0 and " " in left:
        left = "…" + left.split(" ", 1)[1]
    if end + width < len(text) and " " in right:
        right = right.rsplit(" ", 1)[0] + "…"
    return (
        " ".join(left.split()) + (" " if left[-1:].isspace() else ""),
        text[start:end],
        ((" " if right[:1].isspace() else "") + " ".join(right.split())),
    )
