"""Publication dates from a URL and from a dateline or byline printed near the top of the text.

Regular expressions only (no dateparser): these run on every document and must stay cheap.
A date inside a body sentence ("relations were established on October 12, 1948") is never
a publication date, so :func:`dateline_date` only looks at short, non-sentence lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?P<y>(?:19|20)\d\d)"
DATE_PATTERNS = [
    re.compile(rf"(?<!\d){_YEAR}[-/.](?P<m>\d\d?)[-/.](?P<d>\d\d?)(?!\d)"),  # 2019-04-10
    re.compile(rf"(?<!\d)(?P<a>\d\d?)(?P<sep>[-/.])(?P<b>\d\d?)(?P=sep){_YEAR}(?!\d)"),  # 27-07-2023
    re.compile(rf"(?<!\w){_MONTH}\s+(?P<d>\d\d?)(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)", re.I),  # Nov 19, 2019
    re.compile(rf"(?<!\d)(?P<d>\d\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}(?!\d)", re.I),
]
QUICK_YEAR = re.compile(r"(?:19|20)\d\d")  # every pattern needs a year: skip the rest without one
TIME_OF_DAY = re.compile(r"\b\d\d?[:.]\d\d(?:\s*(?:[ap]\.?m\.?))?\b", re.I)

# The URL path carries the day in one of these shapes: /2023/07/26/, /20230726/, -2019-11-19-.
URL_DATES = [
    re.compile(r"(?<![\d])((?:19|20)\d\d)[/_-](\d\d?)[/_-](\d\d?)(?![\d])"),
    re.compile(r"(?<![\d])((?:19|20)\d\d)(\d\d)(\d\d)(?![\d])"),
]
# Words that say a line is about when the piece was published (or updated) rather than reported.
DATELINE_CUES = re.compile(
    r"\b(?:published|posted|updated|created|modified|date|dated|by|am|pm|est|edt|gmt|utc|ist)\b|\||•",
    re.I,
)
SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
PROSE_MIN_WORDS = 10
DATELINE_MAX_WORDS = 25  # longer lines are prose; tuned on seeds + aebtext bylines (all <= 20 words)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every full calendar date written in ``text``: (start, end, ISO date), in order."""
    if not QUICK_YEAR.search(text):
        return []
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for i, pat in enumerate(DATE_PATTERNS):
        for m in pat.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            y = int(m.group("y"))
            if i == 0:
                iso = _iso(y, int(m.group("m")), int(m.group("d")))
            elif i == 1:
                a, b = int(m.group("a")), int(m.group("b"))
                # "/" is the US month-first order unless the first number cannot be a month.
                if m.group("sep") == "/" and a <= 12:
                    iso = _iso(y, a, b)
                else:
                    iso = _iso(y, b, a) if a > 12 or m.group("sep") != "/" else None
            else:
                iso = _iso(y, MONTHS[m.group("mon").lower()[:3]], int(m.group("d")))
            if iso:
                found.append((m.start(), m.end(), iso))
                taken.append((m.start(), m.end()))
    found.sort()
    return found


def date_from_url(url: str | None) -> str | None:
    """The day a URL's path spells (``/2023/07/26/``, ``/20230726/``), or None."""
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url.strip(), flags=re.I)
    for pat in URL_DATES:
        for m in pat.finditer(path):
            iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if iso:
                return iso
    return None


def is_date_line(line: str, max_other_words: int = 4) -> bool:
    """A line that is a date or timestamp and little else ("November 19, 2019 at 9:03 am")."""
    dates = find_dates(line)
    if not dates:
        return False
    rest = line
    for s, e, _ in reversed(dates):
        rest = rest[:s] + " " + rest[e:]
    rest = TIME_OF_DAY.sub(" ", rest)
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= max_other_words


def dateline_date(lines: Iterable[str]) -> str | None:
    """The publication date printed in a byline or dateline among ``lines``, or None.

    ``lines`` are the short lines around the headline (the caller leaves body sentences out).
    A line qualifies when it is short and either is a bare date or carries a dateline cue
    ("Published", "Updated", "By", "|"); of its dates the earliest is taken, since a line
    that shows both a creation and an update time lists the creation first or earlier.
    """
    for line in lines:
        words = line.split()
        if not words or len(words) > DATELINE_MAX_WORDS:
            continue
        if len(words) > PROSE_MIN_WORDS and SENTENCE_END.search(line):
            continue  # a sentence of the story: its dates are what it reports
        dates = find_dates(line)
        if not dates:
            continue
        if is_date_line(line) or DATELINE_CUES.search(line):
            return min(iso for _, _, iso in dates)
    return None
