"""TimelineJS 3 JSON: one slide per dated story, with its sources and how sure its date is.

TimelineJS renders ``text`` fields as HTML, so every piece of article text is escaped here.
A story dated only to a month or a year gets a slide with that precision (TimelineJS shows
``{"year": 2023, "month": 7}`` as July 2023) and says so; a range gets an end date; a story the
reports date differently says which dates they give. Undated stories cannot sit on a time axis:
the title slide lists how many there are.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from html import escape
from pathlib import PurePath
from typing import Any

Row = dict[str, Any]
EVIDENCE_SHOWN = 3  # evidence sentences quoted per slide
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
PRECISION_WORDS = {"day": "to the day", "month": "to the month", "year": "to the year", "range": "as a range"}


def timex_bounds(value: str | None) -> tuple[date, date, str] | None:
    """(first day, last day, precision) of a TIMEX3 value; None when it names no calendar date.

    Precision is ``day``, ``month``, ``year`` or ``range`` (``2023-07-25/2023-07-27``).
    """
    if not value:
        return None
    first, _, last = value.partition("/")
    a, b = _bounds(first), _bounds(last or first)
    if a is None or b is None:
        return None
    precision = "range" if last else a[2]
    return a[0], max(a[1], b[1]), precision


def _bounds(value: str) -> tuple[date, date, str] | None:
    m = _DATE.match(value.strip())
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            day = date(year, int(m.group(2)), int(m.group(3)))
            return day, day, "day"
        if m.group(2):
            month = int(m.group(2))
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
        return date(year, 1, 1), date(year, 12, 31), "year"
    except ValueError:
        return None


def _tl_date(value: str, display: str | None = None) -> Row:
    """A TimelineJS date object with only the parts the value fixes."""
    m = _DATE.match(value)
    assert m is not None
    out: Row = {"year": int(m.group(1))}
    if m.group(2):
        out["month"] = int(m.group(2))
    if m.group(3):
        out["day"] = int(m.group(3))
    if display:
        out["display_date"] = display
    return out


def _name(entities: dict[str, Row], eid: str) -> str:
    return entities[eid]["name"] if eid in entities else eid


def _title(story: Row, events: list[Row], entities: dict[str, Row]) -> str:
    if story.get("title"):
        return story["title"]
    if not events:
        return f"Story {story['id']}"
    ev = events[0]
    who = ", ".join(_name(entities, x) for x in ev["actors"]) or "someone"
    whom = ", ".join(_name(entities, x) for x in ev["targets"])
    return f"{who} — {ev['type'].lower()}" + (f" — {whom}" if whom else "")


def _slide(story: Row, dossier_index: dict[str, dict[str, Row]]) -> Row | None:
    bounds = timex_bounds(story.get("date"))
    if bounds is None:
        return None
    entities, events_by_id, docs = dossier_index["entities"], dossier_index["events"], dossier_index["documents"]
    events = [events_by_id[e] for e in story["events"] if e in events_by_id]
    precision = bounds[2]
    value = story["date"]
    first, _, last = value.partition("/")
    uncertainty = f"Dated {PRECISION_WORDS[precision]}: {value}."
    given = ", ".join(f"{d} ({n}×)" for d, n in sorted((story.get("dates") or {}).items()))
    if story.get("date_conflict"):
        uncertainty += f" The reports disagree on the date: {given}."
    elif len(story.get("dates") or {}) > 1:
        uncertainty += f" The reports give: {given}."
    sources = story.get("sources") or []
    parts = [f"<p><b>{escape(uncertainty)}</b></p>"]
    parts.append(
        f"<p>{len(sources)} independent source{'s' if len(sources) != 1 else ''}: "
        + escape(", ".join(PurePath(s.split("#")[0]).name if "://" not in s else s for s in sources) or "none")
        + "</p>"
    )
    for ev in events[:EVIDENCE_SHOWN]:
        d = docs.get(ev["doc"], {})
        where = d.get("title") or d.get("source") or ev["doc"]
        when = f", {d['published']}" if d.get("published") else ""
        parts.append(
            f"<blockquote>{escape(ev.get('text') or '')}</blockquote>"
            f"<p><small>{escape(ev['type'])} — {escape(where)}{escape(when)} "
            f"[{escape(ev['doc'])} {ev['start']}–{ev['end']}]</small></p>"
        )
    if len(events) > EVIDENCE_SHOWN:
        parts.append(f"<p><small>and {len(events) - EVIDENCE_SHOWN} more reports</small></p>")
    slide: Row = {
        "unique_id": story["id"],
        "start_date": _tl_date(first, value),
        "text": {"headline": escape(_title(story, events, entities)), "text": "".join(parts)},
        "group": story.get("type") or None,
    }
    if last:
        slide["end_date"] = _tl_date(last)
    if slide["group"] is None:
        del slide["group"]
    return slide


def timelinejs(dossier: Row, title: str = "storyline") -> Row:
    """The TimelineJS JSON object (``{"title": ..., "events": [...]}``)."""
    index = {
        "entities": {e["id"]: e for e in dossier["entities"]},
        "events": {e["id"]: e for e in dossier["events"]},
        "documents": {d["id"]: d for d in dossier["documents"]},
    }
    slides, undated = [], 0
    for story in dossier["stories"]:
        slide = _slide(story, index)
        if slide is None:
            undated += 1
        else:
            slides.append(slide)
    slides.sort(
        key=lambda s: (
            s["start_date"]["year"],
            s["start_date"].get("month", 0),
            s["start_date"].get("day", 0),
            s["unique_id"],
        )
    )
    intro = (
        f"{len(slides)} dated stories from {len(dossier['documents'])} documents. "
        f"{undated} stories are not dated by their text and are not on this timeline."
    )
    return {"title": {"text": {"headline": escape(title), "text": f"<p>{escape(intro)}</p>"}}, "events": slides}
