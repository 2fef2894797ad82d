"""Stories, dates, counts and sources in words, for the desk's pages.

A story's line is built from the parts of its lead event: who (actors), what (the event type and
its trigger word, as an English verb phrase), to whom (targets), where and when — "Sergei Shoigu
held talks with Kang Sun Nam in Pyongyang, 26 July 2023". The PLOVER code is shown beside the
line by the templates, never instead of it. Pure functions over dossier rows; no HTML here.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import PurePath
from typing import Any
from urllib.parse import urlparse

Row = dict[str, Any]

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
FACTUAL = frozenset({"asserted", "reported"})

Phrases = tuple[str, str, str, str]  # past tense with an object, past without, base form with one, without


@lru_cache(maxsize=1)
def event_phrases() -> tuple[dict[str, Phrases], dict[str, dict[str, Phrases]]]:
    """How an event is said, from ``web/data/event_phrases.tsv``: per PLOVER type, and more exactly per
    type and trigger lemma."""
    by_type: dict[str, Phrases] = {}
    by_lemma: dict[str, dict[str, Phrases]] = {}
    text = resources.files("storyline.web").joinpath("data/event_phrases.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, lemma, *forms = line.split("\t")
        if len(forms) != 4:
            raise ValueError(f"event_phrases.tsv: {line!r} does not have four forms")
        phrases: Phrases = (forms[0], forms[1], forms[2], forms[3])
        if lemma == "*":
            by_type[kind] = phrases
        else:
            by_lemma.setdefault(kind, {})[lemma] = phrases
    return by_type, by_lemma


TYPE_MEANING = {
    "AGREE": "agree: an agreement, treaty or accord",
    "CONSULT": "consult: a meeting, visit, call or talks",
    "SUPPORT": "support: praise, endorsement or backing",
    "CONCEDE": "concede: a concession or easing",
    "COOPERATE": "cooperate: joint action, exercises, cooperation",
    "AID": "aid: military, economic or humanitarian aid",
    "RETREAT": "retreat: a withdrawal",
    "REQUEST": "request: an appeal or demand",
    "ACCUSE": "accuse: an accusation, criticism or charge",
    "REJECT": "reject: a rejection or denial",
    "THREATEN": "threaten: a threat or warning",
    "PROTEST": "protest: a protest or demonstration",
    "SANCTION": "sanction: sanctions or a penalty",
    "MOBILIZE": "mobilize: a deployment or alert of forces",
    "COERCE": "coerce: an arrest, seizure or crackdown",
    "ASSAULT": "assault: an attack or use of force",
}
NAMES_IN_LINE = 3  # participants named on each side before "and N others"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 report``, ``2 reports``; ``many`` for an irregular plural (``1 story``, ``2 stories``)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def type_meaning(code: str | None) -> str:
    """What a PLOVER code stands for, for a tooltip."""
    return TYPE_MEANING.get(code or "", code or "") + " (PLOVER event type)"


# The bidirectional controls: marks, embeddings, overrides, isolates (a name in Arabic or Hebrew
# letters alone sets the direction of its own words only, and is left as it is).
_BIDI_CONTROL = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FSI, PDI = "\u2068", "\u2069"  # FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE: <bdi> in plain text


def isolated(name: str) -> str:
    """A name as a piece of a line: between FSI and PDI when it holds a bidirectional control.

    The PDI closes every override or embedding the name opened, so a name holding U+202E reverses
    itself only, not the words of the line after it. Any other name is returned unchanged.
    """
    return f"{FSI}{name}{PDI}" if _BIDI_CONTROL.search(name) else name


def names_list(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``, ``A, B, C and 2 others``."""
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) > NAMES_IN_LINE:
        rest = len(names) - NAMES_IN_LINE
        names = [*names[:NAMES_IN_LINE], plural(rest, "other")]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def show_date(value: str | None) -> str:
    """A TIMEX3 value as a reader reads it: 26 July 2023, July 2023, 25–27 July 2023, 2001."""
    if not value:
        return ""
    if "/" in value:
        a, b = value.split("/", 1)
        ma, mb = _DAY.fullmatch(a), _DAY.fullmatch(b)
        if ma and mb and ma[1] == mb[1] and ma[2] == mb[2]:
            return f"{int(ma[3])}–{int(mb[3])} {_month(mb[2])} {mb[1]}"
        return f"{show_date(a)} – {show_date(b)}"
    m = _DAY.fullmatch(value)
    if m:
        return f"{int(m[3])} {_month(m[2])} {m[1]}" if _month(m[2]) else value
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if m and _month(m[2]):
        return f"{_month(m[2])} {m[1]}"
    m = re.fullmatch(r"XXXX-(\d{2})(?:-(\d{2}))?", value)
    if m and _month(m[1]):
        return (f"{int(m[2])} " if m[2] else "") + f"{_month(m[1])}, year unknown"
    return value


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _month(mm: str) -> str:
    return MONTHS[int(mm) - 1] if 1 <= int(mm) <= 12 else ""


def lead_event(story: Row, events: dict[str, Row]) -> Row | None:
    """The event whose parts best tell the story: factual, dated as the story is, with both sides,
    naming the participants most of the story's reports name (fewer extra names break a tie)."""
    evs = [events[e] for e in story.get("events") or [] if e in events]
    if not evs:
        return None
    support: Counter[str] = Counter(p for ev in evs for p in dict.fromkeys(ev["actors"] + ev["targets"]))

    def rank(ev: Row) -> tuple[Any, ...]:
        parts = list(dict.fromkeys(ev["actors"] + ev["targets"]))
        mean = sum(support[p] for p in parts) / len(parts) if parts else 0.0
        same_day = bool(story.get("date")) and ev.get("date") == story.get("date")
        return (bool(ev["actors"]), ev.get("mode") in FACTUAL, same_day, bool(ev["targets"]), mean, -len(parts))

    return max(evs, key=rank)


def event_line(ev: Row, name: Any, when: str | None = None) -> str:
    """One event in words: "Sergei Shoigu held talks with Kang Sun Nam in Pyongyang, 26 July 2023".

    ``name`` maps an entity id to its name; ``when`` overrides the event's own date (a story's
    date). The mode shows in the verb: planned, might, did not, reportedly.
    """
    actors = [isolated(name(x)) for x in ev["actors"]]
    targets = [isolated(name(x)) for x in ev["targets"] if x not in ev["actors"]]
    lemma = (ev.get("trigger") or "").lower()
    kind = ev.get("type") or ""
    by_type, by_lemma = event_phrases()
    phrases = by_lemma.get(kind, {}).get(lemma) or by_type.get(kind)
    if phrases is None:
        phrases = (f"took part in a {kind.lower()} event with", f"took part in a {kind.lower()} event",
                   f"take part in a {kind.lower()} event with", f"take part in a {kind.lower()} event")  # fmt: skip
    past_obj, past, base_obj, base = phrases
    verb_obj, verb = past_obj, past
    mode = ev.get("mode") or "asserted"
    if mode == "planned":
        verb_obj, verb = f"planned to {base_obj}", f"planned to {base}"
    elif mode == "hypothetical":
        verb_obj, verb = f"might {base_obj}", f"might {base}"
    elif mode == "negated":
        verb_obj, verb = f"did not {base_obj}", f"did not {base}"
    elif mode == "reported":
        verb_obj, verb = f"reportedly {past_obj}", f"reportedly {past}"
    subject = names_list(actors) or "Someone"
    line = f"{subject} {verb_obj} {names_list(targets)}" if targets else f"{subject} {verb}"
    place = isolated(name(ev["location"])) if ev.get("location") else ""
    if place and place not in actors + targets:
        line += f" in {place}"
    shown = show_date(when if when is not None else ev.get("date"))
    return line + (f", {shown}" if shown else "")


def story_line(story: Row, events: dict[str, Row], name: Any) -> str:
    """A story's line: its lead event in words, dated with the story's date."""
    ev = lead_event(story, events)
    if ev is None:
        return f"Story {story['id']}"
    return event_line(ev, name, story.get("date") or "")


def is_generated_title(story: Row) -> bool:
    """True for the title the story stage makes ("CONSULT A, B (date)"), not one a person gave."""
    title, kind = story.get("title") or "", story.get("type") or ""
    return not title or (bool(kind) and title.startswith(kind + " ")) or title == kind


def confidence(score: float | None, reports: int) -> tuple[str, str] | None:
    """(phrase, explanation) of a story's weakest-link score; None when there is nothing to explain."""
    if score is None or reports < 2:
        return None
    if score >= 0.9:
        phrase = "the reports surely tell one event"
    elif score >= 0.6:
        phrase = "the reports probably tell one event"
    else:
        phrase = "loosely joined: check that the reports tell one event"
    why = (
        f"Every report joined to this story was scored against the others by the event model; the story "
        f"keeps its weakest link, {score:.2f} on a 0–1 scale: the least sure join among its {reports} reports."
    )
    return phrase, why


def outlet_of(doc: Row | None) -> str | None:
    """A document's outlet: its site, else its URL's host; None when nothing names it."""
    if not doc:
        return None
    if doc.get("site"):
        return str(doc["site"]).lower().removeprefix("www.")
    if doc.get("url"):
        host = urlparse(doc["url"]).netloc.lower().removeprefix("www.")
        return host or None
    return None


def file_label(doc: Row) -> str:
    """The label the source counter gives a document with no outlet: its file name."""
    path, sep, record = (doc.get("source") or "").partition("#")
    base = PurePath(path.replace("\\", "/")).name if path else ""
    return (base + sep + record) if base else doc["id"]


def source_entries(labels: list[str], docs: list[Row]) -> list[tuple[str, Row | None]]:
    """A story's source labels as (outlet name, the document to link when no outlet is recorded).

    A label that is an outlet or a relayed agency is shown as is; a label that is a file name
    (an article whose outlet nothing records) is shown by the article's title, linked to it.
    """
    by_file = {file_label(d): d for d in docs if outlet_of(d) is None}
    out: list[tuple[str, Row | None]] = []
    for label in labels:
        key = label.split(" (", 1)[0]
        d = by_file.get(label) or by_file.get(key)
        out.append((d.get("title") or label, d) if d is not None else (label, None))
    return out


def day(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
