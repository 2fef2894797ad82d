"""RSS and Atom feeds that carry full articles (``content:encoded``, Atom ``content``).

Each entry is one article; its markup becomes text with one block (paragraph, heading, list
item) a line. An entry with only a teaser summary is not an article and is reported, not kept.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from storyline.ingest.decode import ReadProblem
from storyline.ingest.html import host_of
from storyline.ingest.jsonl import iso_datetime
from storyline.model import IngestError, RawRecord

# An entry whose only text is a summary this short is a teaser, not the article. Set by hand:
# teasers in common news feeds run 20-60 words; full-text descriptions run to hundreds.
MIN_SUMMARY_WORDS = 80
BLOCK_TAGS = frozenset(
    "p div br li h1 h2 h3 h4 h5 h6 blockquote pre tr table ul ol dl dt dd section article header footer "
    "figure figcaption aside hr address".split()
)
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")


def html_fragment_text(markup: str) -> str:
    """Text of an HTML fragment, one block a line, spaces inside a line collapsed."""
    if "<" not in markup:
        return "\n".join(_SPACES.sub(" ", ln).strip() for ln in markup.splitlines() if ln.strip())
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = "\n" + (el.text or "")
    lines = (_SPACES.sub(" ", ln).strip() for ln in root.text_content().split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _entry_text(entry: Any) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) or []]
    full = max(contents, key=len, default="")
    if full.strip():
        return html_fragment_text(full)
    summary = html_fragment_text(entry.get("summary", "") or "")
    return summary if len(summary.split()) >= MIN_SUMMARY_WORDS else ""


def _entry_date(entry: Any) -> str | None:
    for key in ("published", "created", "updated"):
        value = entry.get(key)
        iso = iso_datetime(value) if value else None
        if iso:
            return iso
        parsed = entry.get(f"{key}_parsed")
        if parsed:  # feedparser's own parse, in UTC
            return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", parsed)
    return None


def read_feed(data: bytes, source: str) -> Iterator[RawRecord | IngestError]:
    """Every full-text entry of an RSS/Atom feed; one error per entry without an article."""
    import feedparser  # here: only a build that meets a feed pays for its import

    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.get("entries", [])
    if not entries:
        if parsed.get("bozo"):
            raise ReadProblem(f"not a readable feed ({parsed.get('bozo_exception')})")
        raise ReadProblem("feed holds no entries")
    found = 0
    pending: list[IngestError] = []  # held back until one entry has text: all-teaser feeds get one line
    for n, entry in enumerate(entries, 1):
        where = f"{source}#{n}"
        text = _entry_text(entry)
        if not text:
            pending.append(IngestError(where, f"entry {n}: no full text in the feed (summary only)"))
            if found:
                yield from pending
                pending.clear()
            continue
        found += 1
        yield from pending
        pending.clear()
        url = entry.get("link") or None
        published = _entry_date(entry)
        yield RawRecord(
            source=where,
            raw=text,
            format="feed",
            title=(entry.get("title") or "").strip() or None,
            published=published,
            published_from="record" if published else None,
            url=url,
            html=max((c.get("value", "") for c in entry.get("content", []) or []), key=len, default="") or None,
            pre_cleaned=True,
            site=host_of(url),
        )
    if not found:
        raise ReadProblem(f"feed of {len(entries)} entries carries no full text (summaries only)")
