"""The timeline drawing: the corpus's own period on a readable axis, background history apart.

:func:`split_background` separates the stories the articles recall from long before they were
published (the 1948 ties, the 1953 armistice) from the news of the corpus's period.
:func:`drawing` places stories on an axis over a window, with ticks at a step chosen so that no
two labels overlap (days, weeks, months, quarters, years, decades: the finest that fits), every
mark a link to its story and every tick a link that zooms to its interval. Pure: rows in, numbers
and strings out; the template draws the SVG.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from storyline.export.timelinejs import timex_bounds

Row = dict[str, Any]

WIDTH = 960  # px of the drawing
MARGIN = 24  # px either side of the axis
LANE_HEIGHT = 22
MAX_LANES = 16  # past this many lanes, marks share the lane that frees first (a bounded height)
LABEL_PX_PER_CHAR = 6.6  # 11px sans-serif, a generous average advance
LABEL_GAP = 10  # px between one label's end and the next tick
PAD_DAYS = 3  # at least this many days either side of the first and last story
# A story dated more than this before the corpus's first publication date is background (history the
# articles recall), as the briefing has it: the run-up of the last months stays on the timeline.
BACKGROUND_MARGIN = timedelta(days=365)
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAY_STEPS = (1, 2, 7, 14)
MONTH_STEPS = (1, 2, 3, 6)
YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500)


@dataclass(slots=True)
class Tick:
    x: float
    label: str
    start: date  # the interval the tick opens, for the zoom link
    end: date


@dataclass(slots=True)
class Drawing:
    items: list[Row] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    start: date | None = None
    end: date | None = None
    step: str = ""  # "7 days", "1 month", "10 years": what a tick stands for


def label_width(label: str) -> float:
    """Estimated px width of a tick label (an upper bound for the desk's 11px font)."""
    return len(label) * LABEL_PX_PER_CHAR


def corpus_period(documents: list[Row], dated: list[Row]) -> tuple[date, date] | None:
    """The corpus's own period: its publication dates, else the span of its latest year of stories."""
    published = [b for d in documents if (b := timex_bounds(d.get("published")))]
    if published:
        return min(b[0] for b in published), max(b[1] for b in published)
    bounds = [b for s in dated if (b := timex_bounds(s.get("date")))]
    if not bounds:
        return None
    last = max(b[1] for b in bounds)
    return last - BACKGROUND_MARGIN, last


def split_background(documents: list[Row], dated: list[Row]) -> tuple[list[Row], list[Row]]:
    """(stories of the corpus's period, background stories from long before it), each in date order."""
    period = corpus_period(documents, dated)
    if period is None:
        return dated, []
    cut = period[0] - BACKGROUND_MARGIN
    focus, background = [], []
    for s in dated:
        b = timex_bounds(s.get("date"))
        (background if b is not None and b[1] < cut else focus).append(s)
    return focus, background


def _months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def _candidates(lo: date, hi: date) -> list[tuple[str, list[date], Any]]:
    """Tick series from finest to coarsest: (what a step is, tick dates, label function)."""
    out: list[tuple[str, list[date], Any]] = []
    span = (hi - lo).days
    for step in DAY_STEPS:
        if span / step > 400:
            continue
        first = lo if step < 7 else lo + timedelta(days=(7 - lo.weekday()) % 7)  # weeks start on Monday
        days = [first + timedelta(days=i) for i in range(0, span + 1, step) if first + timedelta(days=i) <= hi]
        out.append((f"{step} day{'s' if step > 1 else ''}", days, "day"))
    for step in MONTH_STEPS:
        if span / (30 * step) > 400:
            continue
        m = date(lo.year, lo.month, 1)
        while (m.month - 1) % step:
            m = _months(m, 1)
        months = []
        while m <= hi:
            if m >= lo:
                months.append(m)
            m = _months(m, step)
        out.append((f"{step} month{'s' if step > 1 else ''}", months, "month"))
    for step in YEAR_STEPS:
        y = lo.year + (-lo.year) % step
        years = [date(v, 1, 1) for v in range(y, hi.year + 1, step) if date(v, 1, 1) >= lo]
        out.append((f"{step} year{'s' if step > 1 else ''}", years, "year"))
    return out


def _labels(ticks: list[date], kind: str) -> list[str]:
    labels = []
    for i, t in enumerate(ticks):
        new_year = i == 0 or ticks[i - 1].year != t.year
        if kind == "day":
            labels.append(f"{t.day} {MONTH_ABBR[t.month - 1]}" + (f" {t.year}" if new_year else ""))
        elif kind == "month":
            labels.append(MONTH_ABBR[t.month - 1] + (f" {t.year}" if new_year else ""))
        else:
            labels.append(str(t.year))
    return labels


def choose_ticks(lo: date, hi: date, x: Any, width: float) -> tuple[str, list[Tick]]:
    """The finest tick series (at least two ticks) whose labels all fit between their tick and the
    next, and inside the drawing; else the single first tick of the coarsest series; never overlapping."""
    single: tuple[str, list[Tick]] = ("", [])
    for step, days, kind in _candidates(lo, hi):
        if not days:
            continue
        labels = _labels(days, kind)
        xs = [x(d) for d in days]
        fits = all(xs[i] + 3 + label_width(labels[i]) + LABEL_GAP <= xs[i + 1] for i in range(len(xs) - 1))
        if not fits or xs[-1] + 3 + label_width(labels[-1]) > width:
            continue
        ends = [*days[1:], hi]
        ticks = [Tick(xs[i], labels[i], days[i], ends[i]) for i in range(len(days))]
        if len(ticks) >= 2:
            return step, ticks
        single = (step, ticks)
    return single


def drawing(
    dated: list[Row], title: Any, window: tuple[date, date] | None = None, width: int = WIDTH
) -> Drawing:
    """Positions of ``dated`` stories on an axis: a dot for a day, a bar for a month, year or range.

    ``window`` (first, last day) zooms: stories outside it are left out; without it the axis spans
    the stories, padded. ``title(story)`` is the story's line for the tooltip.
    """
    placed = [(s, b) for s in dated if (b := timex_bounds(s.get("date")))]
    if window:
        placed = [(s, b) for s, b in placed if b[1] >= window[0] and b[0] <= window[1]]
    if not placed:
        return Drawing(width=width)
    if window:
        lo, hi = window
    else:
        lo, hi = min(b[0] for _, b in placed), max(b[1] for _, b in placed)
        pad = timedelta(days=max(PAD_DAYS, (hi - lo).days // 20))
        lo, hi = lo - pad, hi + pad
    days = max(1, (hi - lo).days + 1)

    def x(d: date, end: bool = False) -> float:
        d = min(max(d, lo), hi + timedelta(days=1))
        return round(MARGIN + ((d - lo).days + (1 if end else 0)) / days * (width - 2 * MARGIN), 1)

    lanes: list[float] = []
    items = []
    for s, (first, last, precision) in placed:
        x0, x1 = x(first), x(last, end=True)
        if precision == "day":
            x0 = x1 = round((x0 + x1) / 2, 1)
        free = [i for i, right in enumerate(lanes) if right + 8 < x0]
        if free:
            lane = free[0]
        elif len(lanes) < MAX_LANES:
            lane = len(lanes)
            lanes.append(x1)
        else:
            lane = min(range(len(lanes)), key=lanes.__getitem__)
        lanes[lane] = max(x1, x0 + 8)
        sources = len(s.get("sources") or [])
        items.append(
            {
                "story": s,
                "title": title(s),
                "x0": x0,
                "width": max(4.0, round(x1 - x0, 1)),
                "y": 40 + lane * LANE_HEIGHT,
                "r": min(4 + sources, 10),
                "precision": precision,
                "sources": sources,
            }
        )
    step, ticks = choose_ticks(lo, hi, x, width)
    return Drawing(items, ticks, width, 52 + len(lanes) * LANE_HEIGHT, lo, hi, step)


def parse_day(value: str | None) -> date | None:
    """``YYYY-MM-DD`` → date; None for anything else (a bad zoom parameter just unzooms)."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
