"""The optional first line of a plain-text article: `` date YYYY-MM-DD <url or title>``."""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADER = re.compile(
    r"^\ufeff?[ \t]*date[ \t]+(?P<date>\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:?\d\d)?)?)"
    r"(?:[ \t]+(?P<rest>[^\n]*?))?[ \t]*\r?$",
    re.M,
)
URL = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.I)
IDENTIFIER = re.compile(r"^[\w.-]+:\S+$")  # "wikinews:101354": an id, neither a URL nor a title


@dataclass(slots=True)
class Header:
    end: int  # raw offset just past the header line
    published: str
    url: str | None = None
    title: str | None = None


def parse_header(raw: str) -> Header | None:
    """The header line at the very start of ``raw``, or None when the text has none."""
    m = HEADER.match(raw)
    if not m:
        return None
    rest = (m.group("rest") or "").strip()
    url = rest if URL.match(rest) else None
    title = rest if rest and not url and not IDENTIFIER.match(rest) else None
    return Header(end=m.end(), published=m.group("date"), url=url, title=title)
