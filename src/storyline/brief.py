"""The cited Markdown briefing: about a page, every line backed by the spans it rests on.

No generative model: each line is assembled from extracted facts (entities, stories, contested
claims, quotes) and quotes the evidence sentence verbatim, so the briefing cannot state what no
source said. A citation ``[n]`` resolves to a document and a character span in the References.

A timeline line states one event (its type, date and participants, quoting its sentence). It cites
the sentences of the story's events that state that same event and nothing else: a sentence is cited
only when it holds the trigger of an event of the same type and mode, that shares the line's
participants and does not name another date; its "N independent sources" counts only the sources of
the events so cited (counted by :class:`storyline.resolve.sources.SourceCounter`). The events of a
story that state something else make lines of their own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from storyline.model import Document, Entity, ResolvedEvent
from storyline.resolve.confidence import display_threshold
from storyline.resolve.sources import SourceCounter
from storyline.resolve.timeline import date_key

KEY_ACTORS = 5  # entities listed under "Key actors"
MAX_DATED = 10  # lines of the timeline, most-sourced kept when cut, shown by date
MAX_UNDATED = 3  # undated (and yearless) lines, most-sourced first; the rest are only counted
MAX_BACKGROUND = 4
MAX_CONTESTED = 3
MAX_QUOTES = 3
EXCERPT_CHARS = 110  # a quoted sentence in the body (the References quote more): the seeds' whole brief fits a page
REFERENCE_CHARS = 220
# An event dated more than this before the earliest publication date in the corpus is background
# (history the articles recall), not news of the corpus's period. Chosen so that an article's
# run-up of the last months (a remark months earlier, a meeting late in the previous year)
# stays in the timeline and anniversaries and history (the seeds' 1948, 1953, 2001; decades before a
# 2023 corpus) go to "Background"; on the ECB+ dev set it keeps the December 2008 riots that 2009
# articles report.
BACKGROUND_MARGIN = timedelta(days=365)
FACTUAL = frozenset({"asserted", "reported"})  # modes that say the event happened
# Types whose trigger words name different acts (an arrest is not the charges, a trial not the
# accusation): a sentence backs a line of these types only when its word is the line's word.
DISTINCT_WORDS = frozenset({"ACCUSE", "COERCE", "REJECT"})

VERBS = {
    "AGREE": "agreement",
    "CONSULT": "talks",
    "SUPPORT": "support",
    "CONCEDE": "concession",
    "COOPERATE": "cooperation",
    "AID": "aid",
    "RETREAT": "withdrawal",
    "REQUEST": "request",
    "ACCUSE": "accusation",
    "REJECT": "rejection",
    "THREATEN": "threat",
    "PROTEST": "protest",
    "SANCTION": "sanctions",
    "MOBILIZE": "deployment",
    "COERCE": "coercion",
    "ASSAULT": "attack",
}
# A more exact word for a type by its trigger's lemma (general English, no corpus's names).
TRIGGER_WORDS = {
    "CONSULT": {"visit": "visit", "trip": "visit", "travel": "visit", "tour": "visit", "host": "visit",
                "arrive": "visit", "meet": "meeting", "meeting": "meeting", "summit": "summit", "call": "call"},
    "REJECT": {"deny": "denial", "denial": "denial", "innocence": "denial", "refuse": "refusal"},
    "COERCE": {"arrest": "arrest", "arrested": "arrest", "detain": "detention", "charge": "charges"},
    "ACCUSE": {"trial": "trial", "charge": "charges", "charged": "charges", "convict": "conviction",
               "convicted": "conviction", "condemn": "condemnation", "criticize": "criticism"},
    "ASSAULT": {"kill": "killing", "killed": "killing", "shoot": "shooting", "shot": "shooting",
                "shooting": "shooting", "murder": "murder", "bomb": "bombing", "bombing": "bombing",
                "strike": "strike", "raid": "raid", "raids": "raid"},
    "PROTEST": {"riot": "riots", "riots": "riots", "rioting": "riots", "rally": "rally", "rallies": "rally"},
    "AGREE": {"sign": "agreement", "establish": "establishment", "armistice": "armistice"},
}
ENTITY_WORDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def type_word(event: dict[str, Any]) -> str:
    """The event's type in words: "visit", "talks", "accusation" (never a PLOVER code)."""
    words = TRIGGER_WORDS.get(event["type"], {})
    lemma = (event.get("trigger") or "").lower()
    return words.get(lemma) or VERBS.get(event["type"], event["type"].lower())


# --------------------------------------------------------------------------- dates


def _bounds(value: str) -> tuple[str, str] | None:
    """(first, last) day of a TIMEX3 date value as "YYYY-MM-DD" (year "XXXX" when unknown); None if not a date."""
    if "/" in value:
        a, b = (_bounds(v) for v in value.split("/", 1))
        return (a[0], b[1]) if a and b else None
    m = re.fullmatch(r"(\d{4}|XXXX)(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if m:
        year, month, day = m.groups()
        return (f"{year}-{month or '01'}-{day or '01'}", f"{year}-{month or '12'}-{day or '31'}")
    m = re.fullmatch(r"(\d{3})X", value)  # a decade, "200X"
    return (f"{m[1]}0-01-01", f"{m[1]}9-12-31") if m else None


def dates_agree(a: str, b: str) -> bool | None:
    """Whether two TIMEX3 values can name the same time; None when either is no calendar date."""
    x, y = _bounds(a), _bounds(b)
    if x is None or y is None:
        return None
    if x[0].startswith("XXXX") or y[0].startswith("XXXX"):  # a yearless date: compare month and day
        x, y = (x[0][5:], x[1][5:]), (y[0][5:], y[1][5:])
    return x[0] <= y[1] and y[0] <= x[1]


def yearless(value: str | None) -> bool:
    return bool(value) and value.startswith("XXXX")  # type: ignore[union-attr]


def show_date(value: str) -> str:
    """A date as a reader reads it: ISO for a full date, "6 December, year unknown" for a yearless one."""
    w = re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", value)
    if w:
        return f"{'weekend of ' if w[3] else ''}week {int(w[2])} of {w[1]}"
    m = re.fullmatch(r"XXXX-(\d{2})(?:-(\d{2}))?", value)
    if m and 1 <= int(m[1]) <= 12:
        month = MONTHS[int(m[1]) - 1]
        return f"{int(m[2])} {month}, year unknown" if m[2] else f"{month}, year unknown"
    return value


# --------------------------------------------------------------------------- citations


class Citations:
    """Numbered references to (document, start, end); the same span gets the same number."""

    def __init__(self, documents: dict[str, dict[str, Any]], labels: dict[str, str] | None = None) -> None:
        self.documents = documents
        self.labels = labels or {}
        self.spans: list[tuple[str, int, int]] = []
        self.relayed: dict[tuple[str, int, int], str] = {}

    def cite(self, doc: str, start: int, end: int, relayed: str | None = None) -> str:
        key = (doc, start, end)
        if key not in self.spans:
            self.spans.append(key)
        if relayed:
            self.relayed[key] = relayed
        return f"[{self.spans.index(key) + 1}]"

    def excerpt(self, doc: str, start: int, end: int, limit: int = EXCERPT_CHARS) -> str:
        text = " ".join(self.documents[doc]["text"][start:end].split())
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

    def references(self) -> list[str]:
        """One line a span: the outlet (file name only when no outlet is known), document, chars, quote."""
        lines = []
        for i, key in enumerate(self.spans, 1):
            doc, start, end = key
            d = self.documents[doc]
            label = self.labels.get(doc) or doc
            when = f", published {d['published'][:10]}" if d.get("published") else ""
            via = f" (relaying {self.relayed[key]})" if key in self.relayed else ""
            quote = self.excerpt(doc, start, end, REFERENCE_CHARS)
            lines.append(f"[{i}]: {label} ({doc}), chars {start}–{end}: “{quote}”{via}{when}  ")
        return lines


# --------------------------------------------------------------------------- the facts a line rests on


@dataclass(slots=True)
class Line:
    """One timeline line: the event it states, the events whose sentences state it, their sources."""

    lead: dict[str, Any]
    events: list[dict[str, Any]]
    date: str | None
    conflict: list[str] = field(default_factory=list)  # other dates its reports give
    sources: list[str] = field(default_factory=list)
    parties: set[str] = field(default_factory=set)  # the lead's participants its sentence names


class Facts:
    """Lookup tables over a dossier: mentions and date expressions by document, the source counter."""

    def __init__(self, dossier: dict[str, Any]) -> None:
        self.documents = {d["id"]: d for d in dossier["documents"]}
        self.names = {e["id"]: e["name"] for e in dossier["entities"]}
        self.events = {e["id"]: e for e in dossier["events"]}
        self.mentions: dict[str, list[tuple[int, int, str]]] = {}
        for e in dossier["entities"]:
            for m in e["mentions"]:
                self.mentions.setdefault(m["doc"], []).append((m["start"], m["end"], e["id"]))
        self.timexes: dict[str, list[dict[str, Any]]] = {}
        for t in dossier.get("timexes", []):
            if t.get("kind", "DATE") == "DATE":
                self.timexes.setdefault(t["doc"], []).append(t)
        docs = [_model(Document, d) for d in dossier["documents"]]
        self.counter = SourceCounter(docs, [_model(Entity, {**e, "mentions": []}) for e in dossier["entities"]])
        self.labels = {d.id: self.counter.count([_doc_event(d.id)])[0] for d in docs}
        published = sorted(d["published"][:10] for d in dossier["documents"] if d.get("published"))
        self.background_before = (
            (date.fromisoformat(published[0]) - BACKGROUND_MARGIN).isoformat() if published else None
        )

    def sources(self, events: list[dict[str, Any]]) -> list[str]:
        """Independent sources of these events (outlets, relayed agencies), by the one counter."""
        return self.counter.count([_model(ResolvedEvent, e) for e in events])

    def span(self, event: dict[str, Any]) -> tuple[int, int]:
        """The sentence of an event that holds its trigger (its evidence span, else its sentence)."""
        t = event.get("trigger_start")
        if t is not None:
            for start, end in [(event["start"], event["end"]), *map(tuple, event.get("evidence") or [])]:
                if start <= t < end:
                    return start, end
        return event["start"], event["end"]

    def named_in(self, doc: str, start: int, end: int) -> set[str]:
        """Entities with a mention inside ``[start, end)`` of a document."""
        return {e for s, t, e in self.mentions.get(doc, []) if start <= s and t <= end}

    def other_date(self, event: dict[str, Any], line_date: str) -> bool:
        """Whether the event's sentence names a date that cannot be shown to be the line's date."""
        if event.get("date") and dates_agree(event["date"], line_date):
            return False
        start, end = self.span(event)
        for t in self.timexes.get(event["doc"], []):
            if start <= t["start"] and t["end"] <= end and not (t.get("value") and dates_agree(t["value"], line_date)):
                return True
        return False

    def states(self, event: dict[str, Any], lead: dict[str, Any], line_date: str | None) -> bool:
        """Whether the event's sentence states the lead's event: same type and mode, its date, its parties."""
        if event is lead:
            return True
        if event["type"] != lead["type"] or (event["mode"] in FACTUAL) != (lead["mode"] in FACTUAL):
            return False
        if event.get("date") and lead.get("date") and dates_agree(event["date"], lead["date"]) is False:
            return False
        if event["type"] in DISTINCT_WORDS and type_word(event) != type_word(lead):
            return False
        parties, theirs = self.parties(lead), self.parties(event)
        if not parties:  # nothing to tie it but its date: both must be dated alike
            return bool(event.get("date") and lead.get("date") and dates_agree(event["date"], lead["date"]))
        if len(parties & theirs) < min(2, max(len(parties), len(theirs))):
            return False
        return not (line_date and self.other_date(event, line_date))

    def parties(self, event: dict[str, Any]) -> set[str]:
        """The event's participants that its own sentence names (the ones a line may show)."""
        return participants(event) & self.named_in(event["doc"], *self.span(event))


def participants(event: dict[str, Any]) -> set[str]:
    return set(event.get("actors") or []) | set(event.get("targets") or [])


def _model(cls: type, row: dict[str, Any]) -> Any:
    """A model record from a dossier row; a field the row lacks and the record requires gets a blank."""
    blank = {"trigger": "", "location": None, "source": "", "text": "", "type": "", "name": ""}
    required = {f.name: blank.get(f.name) for f in fields(cls)
                if f.default is MISSING and f.default_factory is MISSING}
    return cls(**(required | {k: v for k, v in row.items() if k in {f.name for f in fields(cls)}}))


def _doc_event(doc: str) -> ResolvedEvent:
    """A stand-in event of a document, to ask the source counter for the document's own label."""
    return ResolvedEvent(id="", doc=doc, type="", start=0, end=0, trigger="", actors=[], targets=[],
                         location=None, date=None, mode="asserted")


def _lead_key(event: dict[str, Any], story_date: str | None, facts: Facts) -> tuple[Any, ...]:
    dated = bool(event.get("date")) and not yearless(event.get("date"))
    return (event["mode"] in FACTUAL, dated, event.get("date") == story_date,
            bool(facts.parties(event)), -len(event.get("text", "")), event["id"])


def story_lines(story: dict[str, Any], facts: Facts) -> list[Line]:
    """The lines of a story: its lead event with the events that state it, then the rest likewise."""
    remaining = [facts.events[e] for e in story["events"] if e in facts.events]
    lines = []
    while remaining:
        groups = {e["id"]: [x for x in remaining if facts.states(x, e, e.get("date"))] for e in remaining}
        keys = {e["id"]: _lead_key(e, story.get("date"), facts) for e in remaining}
        lead = max(remaining, key=lambda e: (*keys[e["id"]][:2], len(groups[e["id"]]), *keys[e["id"]][2:]))
        group = groups[lead["id"]]
        remaining = [e for e in remaining if not any(e is g for g in group)]
        dates = [e["date"] for e in group if e.get("date")]
        full = [d for d in dates if not yearless(d)]
        chosen = None
        if dates:
            chosen = story["date"] if story.get("date") in dates else Counter(full or dates).most_common(1)[0][0]
        if chosen and not lead.get("date"):  # the date came from another report: check the rest against it
            group = [e for e in group if e is lead or not facts.other_date(e, chosen)]
        conflict = sorted({d for d in dates if dates_agree(d, chosen) is False}) if chosen else []
        lines.append(Line(lead, group, chosen, conflict, facts.sources(group), facts.parties(lead)))
    return lines


# --------------------------------------------------------------------------- rendering


def confident(line: Line, threshold: float) -> bool:
    """A line is shown when one of its events reaches the display confidence (an event with no
    confidence recorded, from an older store, is shown)."""
    scores = [e.get("confidence") for e in line.events]
    return any(c is None or c >= threshold for c in scores)


def render_brief(dossier: dict[str, Any], min_confidence: float | None = None) -> str:
    """The briefing of a dossier, as Markdown: a page of cited lines, then the References. Lines whose
    events all fall below ``min_confidence`` (default: the confidence model's display threshold) are
    left out and counted."""
    threshold = display_threshold() if min_confidence is None else min_confidence
    facts = Facts(dossier)
    cites = Citations(facts.documents, facts.labels)
    every = [x for s in dossier["stories"] for x in story_lines(s, facts)]
    lines = [x for x in every if confident(x, threshold)]
    out = [_title(dossier), ""]
    sections = _timeline(lines, facts, cites)
    if len(every) > len(lines):
        sections += [f"_{len(every) - len(lines)} more lines rest only on events below the display confidence "
                     f"({threshold:g}): `storyline brief --all` shows them, and every event is in the JSON "
                     "export with its confidence._", ""]
    out += _key_actors(dossier, facts, cites)
    out += sections
    out += _contested(dossier, facts, cites)
    out += _quotes(dossier, facts, cites)
    out += ["## References", "", *cites.references(), ""]
    return "\n".join(out)


def _title(dossier: dict[str, Any]) -> str:
    docs = dossier["documents"]
    if not docs:
        return "# Briefing: the store holds no documents yet"
    dates = sorted(d["published"][:10] for d in docs if d.get("published"))
    span = f", published {dates[0]} to {dates[-1]}" if dates else ""
    undated = sum(1 for d in docs if not d.get("published"))
    note = f" ({undated} undated)" if undated else ""
    unnamed = sum(1 for d in docs if not (d.get("site") or d.get("url")))
    outlets = f"; {unnamed} with no outlet recorded, shown by file name" if unnamed else ""
    return f"# Briefing: {len(docs)} documents{span}{note}{outlets}"


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence (or line) holding ``text[start:end]``, so a citation reads as evidence."""
    left = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) for p in (". ", "? ", "! ")))
    left = 0 if left < 0 else left + (1 if text[left] == "\n" else 2)
    rights = [i for i in (text.find("\n", end), *(text.find(p, end) for p in (". ", "? ", "! "))) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    if right <= len(text) and text[right - 1] == "\n":
        right -= 1
    return left, right


def _key_actors(dossier: dict[str, Any], facts: Facts, cites: Citations) -> list[str]:
    """The most-named actors, each citing one sentence already in the briefing that names it (if any)."""
    ranked = sorted(
        (e for e in dossier["entities"] if e["type"] in ENTITY_WORDS and e["mentions"]),
        key=lambda e: (-len({m["doc"] for m in e["mentions"]}), -len(e["mentions"]), e["name"]),
    )[:KEY_ACTORS]
    if not ranked:
        return []
    total = len(dossier["documents"])
    lines = ["## Key actors", ""]
    for e in ranked:
        span = next((s for s in cites.spans if e["id"] in facts.named_in(*s)), None)
        if span is None:  # a sentence of one of its events that names it
            span = next(((ev["doc"], *facts.span(ev)) for ev in dossier["events"] if e["id"] in participants(ev)
                         and e["id"] in facts.named_in(ev["doc"], *facts.span(ev))), None)
        if span is None:
            m = e["mentions"][0]
            span = (m["doc"], *sentence_around(facts.documents[m["doc"]]["text"], m["start"], m["end"]))
        n = len({m["doc"] for m in e["mentions"]})
        also = f"; also {', '.join(e['aliases'][:2])}" if e["aliases"] else ""
        lines.append(f"- **{e['name']}** ({ENTITY_WORDS[e['type']]}), in {n} of {total} documents{also}. "
                     f"{cites.cite(*span)}")
    return [*lines, ""]


def _parties(event: dict[str, Any], facts: Facts) -> str:
    """Who did it to whom, as far as the event's own sentence names them."""
    named, names = facts.parties(event), facts.names
    who = [names.get(x, x) for x in dict.fromkeys(event["actors"]) if x in named]
    whom = [names.get(x, x) for x in dict.fromkeys(event["targets"]) if x not in event["actors"] and x in named]
    text = ", ".join(who) + (f" → {', '.join(whom)}" if whom else "")
    return text if who else (f"→ {', '.join(whom)}" if whom else "unnamed parties")


def _line_refs(line: Line, facts: Facts, cites: Citations) -> str:
    """One citation a document (its first sentence stating the event), so every counted source is cited."""
    lead = line.lead
    refs: dict[str, str] = {lead["doc"]: ""}  # the lead's document cites the sentence the line quotes
    best = sorted(line.events, key=lambda e: (e is not lead, type_word(e) != type_word(lead),
                                              e.get("date") != line.date, -len(facts.parties(e) & line.parties)))
    for e in best:
        if not refs.get(e["doc"]):
            relay = facts.sources([e])[0] if e["mode"] == "reported" and e.get("source") else None
            relay = relay if relay and relay != facts.labels.get(e["doc"]) else None
            refs[e["doc"]] = cites.cite(e["doc"], *facts.span(e), relayed=relay)
    return "".join(refs.values())


def _render_line(line: Line, facts: Facts, cites: Citations, quote: bool = True) -> str:
    """A line: date, type in words, parties, the lead's sentence (shorter when not ``quote``), sources, refs."""
    lead = line.lead
    when = f"**{show_date(line.date)}**" if line.date else "**undated**"
    giving = [e for e in line.events if e.get("date") == line.date]
    if line.date and giving and all(e.get("date_from") for e in giving):
        when += " (year inferred)"  # an undated report's yearless date, the year from the reports beside it
    if line.conflict:
        when += f" (reports also give {', '.join(show_date(d) for d in line.conflict)})"
    backing = f"one source, {line.sources[0]}" if len(line.sources) == 1 else f"{len(line.sources)} independent sources"
    mode = "" if lead["mode"] in FACTUAL else f", {lead['mode']}"
    said = f": “{cites.excerpt(lead['doc'], *facts.span(lead), limit=EXCERPT_CHARS if quote else 90)}”"
    refs = _line_refs(line, facts, cites)
    return f"- {when} — {type_word(lead)}{mode}: {_parties(lead, facts)}{said} ({backing}) {refs}"


def _weight(line: Line) -> tuple[Any, ...]:
    """Most sources first, then most reports, then what is said to have happened, between named parties."""
    lead = line.lead
    return (-len(line.sources), -len(line.events), lead["mode"] not in FACTUAL, -min(2, len(line.parties)),
            lead["id"])


def _timeline(lines: list[Line], facts: Facts, cites: Citations) -> list[str]:
    """Timeline (dated, in the corpus's period), Undated (and yearless), Background (long before the period)."""
    cutoff = facts.background_before
    dated = [x for x in lines if x.date and not yearless(x.date)]
    rest = [x for x in lines if not x.date or yearless(x.date)]
    old = [x for x in dated if cutoff and (_bounds(x.date) or ("", "9999"))[1] < cutoff]  # type: ignore[arg-type]
    dated = [x for x in dated if not any(x is b for b in old)]
    by_date = lambda x: (date_key(x.date or ""), _weight(x))  # noqa: E731
    sections = (
        ("Timeline", "dated", sorted(sorted(dated, key=_weight)[:MAX_DATED], key=by_date), len(dated), True),
        ("Undated events", "undated", sorted(rest, key=_weight)[:MAX_UNDATED], len(rest), True),
        ("Background", "earlier", sorted(sorted(old, key=_weight)[:MAX_BACKGROUND], key=by_date), len(old), False),
    )
    out: list[str] = []
    for title, kind, shown, total, quote in sections:
        if shown:
            more = f" ({total - len(shown)} more {kind} events, mostly single reports, in the JSON export)"
            out += [f"## {title}{more if total > len(shown) else ''}", "",
                    *(_render_line(x, facts, cites, quote) for x in shown), ""]
    return out


def _contested(dossier: dict[str, Any], facts: Facts, cites: Citations) -> list[str]:
    lines = []
    for c in dossier.get("contested", []):
        claim, denial = facts.events.get(c["claim"]), facts.events.get(c["denial"])
        if not claim or not denial:
            continue
        who_claims = ", ".join(facts.names.get(x, x) for x in claim["actors"]) or "one side"
        who_denies = ", ".join(facts.names.get(x, x) for x in denial["actors"]) or "the other side"
        cs, ds = facts.span(claim), facts.span(denial)
        if (claim["doc"], *cs) == (denial["doc"], *ds):
            lines.append(f"- {who_claims} claims and {who_denies} denies, in one sentence: "
                         f"“{cites.excerpt(claim['doc'], *cs)}” {cites.cite(claim['doc'], *cs)}")
        else:
            lines.append(f"- {who_claims}: “{cites.excerpt(claim['doc'], *cs)}” {cites.cite(claim['doc'], *cs)}"
                         f" — contested by {who_denies}: “{cites.excerpt(denial['doc'], *ds)}” "
                         f"{cites.cite(denial['doc'], *ds)}")
        if len(lines) == MAX_CONTESTED:
            break
    return ["## Contested", "", *lines, ""] if lines else []


def _quotes(dossier: dict[str, Any], facts: Facts, cites: Citations) -> list[str]:
    said = [q for q in dossier.get("quotes", []) if q.get("speaker") and q.get("direct", True)]
    said.sort(key=lambda q: (-len(q["text"]), q["doc"], q["start"]))
    seen: set[str] = set()
    lines = []
    for q in said:
        if q["speaker"] in seen:
            continue
        seen.add(q["speaker"])
        lines.append(f"- **{facts.names.get(q['speaker'], q['speaker'])}**: "
                     f"“{cites.excerpt(q['doc'], q['start'], q['end'])}” {cites.cite(q['doc'], q['start'], q['end'])}")
        if len(lines) == MAX_QUOTES:
            break
    return ["## Who said what", "", *lines, ""] if lines else []
