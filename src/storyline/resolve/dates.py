"""Calendar values of events and stories: bounds, agreement, and the date a story's events agree on.

Values are TIMEX3 (``2023-07-26``, ``2023-07``, ``2023``, ranges ``A/B``, yearless ``XXXX-12-06``).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import lru_cache

DATE_TOLERANCE_DAYS = 1  # reports of one event may differ by a day (time zones, "last night")
DATE_CACHE = 65536  # distinct values (and pairs) remembered: placement asks about the same few dates millions of times


@lru_cache(maxsize=DATE_CACHE)
def date_bounds(value: str | None) -> tuple[date, date] | None:
    """First and last day a TIMEX value covers (2023-07 → July 1..31), None when not a calendar date."""
    if not value:
        return None
    if "/" in value:
        a, b = (date_bounds(v) for v in value.split("/", 1))
        return (a[0], b[1]) if a and b else None
    parts = value.split("-")
    try:
        y = int(parts[0])
        if len(parts) == 1:
            return date(y, 1, 1), date(y, 12, 31)
        m = int(parts[1])
        if len(parts) == 2:
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return date(y, m, 1), date.fromordinal(nxt.toordinal() - 1)
        d = date(y, m, int(parts[2][:2]))
        return d, d
    except (ValueError, IndexError):
        return None


YEARLESS = "XXXX-"  # a month-day an undated report gives without its year (TIMEX3 XXXX-12-06)
YEAR_WINDOW_DAYS = 183  # a yearless date is read in the year nearest its anchor: half a year either side


def yearless(value: str | None) -> bool:
    return value is not None and value.startswith(YEARLESS)


def _with_year(value: str, year: int) -> str:
    return f"{year:04d}-{value[len(YEARLESS) :]}"


def complete_year(value: str, anchor: date, latest: date | None = None) -> str | None:
    """A yearless value (``XXXX-07``, ``XXXX-12-06``) in the year that puts it nearest ``anchor``, a date
    its report was written near; no year whose date would start after ``latest`` (a deed told as done
    cannot be later than its report). None when no year within half a year of the anchor fits."""
    best: tuple[int, str] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        full = _with_year(value, year)
        b = date_bounds(full)
        if b is None or (latest is not None and b[0] > latest):
            continue
        gap = max(b[0].toordinal() - anchor.toordinal(), anchor.toordinal() - b[1].toordinal(), 0)
        if gap <= YEAR_WINDOW_DAYS and (best is None or gap < best[0]):
            best = (gap, full)
    return best[1] if best else None


@lru_cache(maxsize=DATE_CACHE)
def _gap(a: str | None, b: str | None) -> float | None:
    """Days between two dates' intervals (0 when they overlap, negative when they overlap by more); None
    when either is no calendar date. A yearless date (``XXXX-12-06``) is put in the year that brings it
    nearest the other, among the years the other covers and those beside them (31 December/1 January);
    two yearless ones are compared on month and day. Infinite when no such year makes it a calendar date
    (29 February beside 2003)."""
    if a and b and (yearless(a) or yearless(b)):
        if yearless(a) and yearless(b):
            pairs = [(_with_year(a, ya), _with_year(b, yb)) for ya, yb in ((2004, 2004), (2003, 2004), (2004, 2003))]
        else:
            loose, fixed = (a, b) if yearless(a) else (b, a)
            bounds = date_bounds(fixed)
            if bounds is None:
                return None
            pairs = [(_with_year(loose, y), fixed) for y in range(bounds[0].year - 1, bounds[1].year + 2)]
        gaps = [g for x, y in pairs if (g := _gap(x, y)) is not None]
        return min(gaps) if gaps else float("inf")
    ba, bb = date_bounds(a), date_bounds(b)
    if ba is None or bb is None:
        return None
    return max(ba[0].toordinal() - bb[1].toordinal(), bb[0].toordinal() - ba[1].toordinal())


def dates_agree(a: str | None, b: str | None) -> bool:
    """Two dates can be one event's: one holds the other, or they are within the tolerance (a yearless
    one in its nearest year, see :func:`_gap`); a value that is no calendar date agrees with anything."""
    gap = _gap(a, b)
    return gap is None or gap <= DATE_TOLERANCE_DAYS


def gap_days(a: str, b: str) -> int:
    """Days between two dates' intervals (0 when they overlap, or when either is no calendar date);
    a yearless date in the year that brings it nearest the other (see :func:`_gap`)."""
    gap = _gap(a, b)
    return 0 if gap is None or gap == float("inf") else max(int(gap), 0)


def same_date(a: str | None, b: str | None) -> bool:
    """The very same date, a yearless one taking the other's year (``XXXX-12-06`` = ``2008-12-06``)."""
    if not a or not b:
        return False
    if a == b:
        return True
    if yearless(a) != yearless(b):
        loose, fixed = (a, b) if yearless(a) else (b, a)
        return fixed[:4].isdigit() and _with_year(loose, int(fixed[:4])) == fixed
    return False



def story_date(dates: list[str]) -> tuple[str | None, bool]:
    """The date the events agree on (most often given, the most precise on a tie) and whether any disagrees.

    A yearless ``XXXX-12-06`` counts as the fully specified ``2008-12-06`` when another event gives it."""
    if not dates:
        return None, False
    full = Counter(d for d in dates if not yearless(d))
    # a yearless date is the full date of another report that gives the same month and day
    dates = [next((f for f, _ in full.most_common() if same_date(d, f)), d) if yearless(d) else d for d in dates]
    counts = Counter(dates)
    best = max(counts, key=lambda d: (counts[d], len(d), d))
    conflict = any(not dates_agree(best, d) or (d != best and _precision(d) == _precision(best)) for d in counts)
    return best, conflict


def _precision(value: str) -> int:
    return 9 if "/" in value else len(value)
