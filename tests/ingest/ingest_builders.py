"""Builders for the small files the ingest tests write (a unique module name: importable from tests)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

BODY = [
    "The harbour authority said on Tuesday that the new container terminal would open to ships "
    "in the spring, two years later than first planned, after a dispute over dredging costs.",
    "Engineers found that the channel silted up faster than the models had predicted, and the "
    "contractor asked for more money to keep it deep enough for the largest vessels.",
    "Local fishermen, who had opposed the project from the start, welcomed the delay and said "
    "they hoped the extra time would be used to study the effect on the bay's fish stocks.",
    "The terminal is expected to handle half a million containers a year once it is running, "
    "according to figures published by the port's owners in their annual report.",
]
NAV = ["Home", "World", "Business", "Sport", "Weather", "Subscribe"]
FOOTER = "Copyright 2023 Example Harbour Gazette. All rights reserved."
RELATED = ["Ferry fares rise again this summer", "Lighthouse keeper retires after forty years"]


def page(
    *,
    title: str = "Harbour terminal delayed by two years",
    body: list[str] | None = None,
    url: str | None = "https://news.example.org/2023/07/26/harbour-terminal-delayed/",
    meta_date: str | None = None,
    charset: str = "utf-8",
) -> str:
    """A small but realistic news page: menu, article, related links, footer."""
    body = BODY if body is None else body
    head = [f'<meta charset="{charset}">', f"<title>{title} | Example Gazette</title>"]
    if url:
        head.append(f'<link rel="canonical" href="{url}">')
    if meta_date:
        head.append(f'<meta property="article:published_time" content="{meta_date}">')
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)
    paras = "".join(f"<p>{p}</p>\n" for p in body)
    related = "".join(f'<li><a href="/r{i}">{r}</a></li>' for i, r in enumerate(RELATED))
    return (
        "<!DOCTYPE html>\n<html lang='en'><head>" + "".join(head) + "</head><body>"
        f"<header><nav><ul>{nav}</ul></nav></header>"
        f"<main><article><h1>{title}</h1>\n{paras}</article>"
        f'<aside class="related"><h2>Related</h2><ul>{related}</ul></aside></main>'
        f"<footer><p>{FOOTER}</p></footer></body></html>"
    )


def records_and_peak(path: Path) -> tuple[int, int]:
    """How many records ``read_file`` yields from ``path``, and the peak of traced memory meanwhile."""
    from storyline.ingest import read_file
    from storyline.model import RawRecord

    tracemalloc.start()
    try:
        count = sum(isinstance(x, RawRecord) for x in read_file(path))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
