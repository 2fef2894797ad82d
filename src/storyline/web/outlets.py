"""The sources page's table: every source the stories count, what it covers, and who relays whom.

A source is labelled as the source counter labels it (:mod:`storyline.resolve.sources`): an outlet
(a document's site or URL host), an organisation an article relays ("according to" an agency, a quote
given via an agency), or, for an article whose outlet nothing records, the article itself. Relays
come from the quotes given via an organisation and from the events an article reports as an
organisation's; each relay keeps the sentence it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storyline.resolve.sources import RELAY_TYPES
from storyline.web.desk import Row, View
from storyline.web.words import file_label, outlet_of


@dataclass(slots=True)
class Relay:
    """One source relaying another, with the sentences that show it (document, start, end)."""

    name: str  # the other side's label
    entity: str | None  # the relayed organisation's entity id, when this side is the publisher
    publisher: str = ""  # the publisher's label, when this side is the relayed organisation
    spans: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass(slots=True)
class SourceRow:
    """A source: its label, its kind, the stories that count it, its documents and its relays."""

    label: str
    kind: str  # "outlet", "article" (no outlet recorded) or "relayed" (named by the articles)
    shown: str  # what a reader sees: the label, or an unnamed article's title
    documents: list[Row] = field(default_factory=list)
    stories: list[Row] = field(default_factory=list)
    relays: dict[str, Relay] = field(default_factory=dict)  # whom it relays, by label
    relayed_by: dict[str, Relay] = field(default_factory=dict)  # who relays it, by label

    @property
    def entity(self) -> str | None:
        """The relayed organisation's entity id (for a link to its page)."""
        return next((r.entity for r in self.relayed_by.values() if r.entity), None)


def publisher_label(doc: Row) -> str:
    """The label the source counter gives an article it counts as its own source."""
    return outlet_of(doc) or file_label(doc)


def _relays(v: View) -> list[tuple[Row, str, str, tuple[str, int, int]]]:
    """(document, relayed organisation's name, its entity id, span) for every relayed quote and report."""
    out = []
    for q in v.dossier["quotes"]:
        ent = v.entities.get(q.get("via") or "")
        if ent and q["doc"] in v.docs:
            out.append((v.docs[q["doc"]], ent["name"], ent["id"], (q["doc"], q["start"], q["end"])))
    for ev in v.dossier["events"]:
        ent = v.entities.get(ev.get("source") or "")
        if ev.get("mode") == "reported" and ent and ent["type"] in RELAY_TYPES and ev["doc"] in v.docs:
            out.append((v.docs[ev["doc"]], ent["name"], ent["id"], (ev["doc"], ev["start"], ev["end"])))
    return out


def source_rows(v: View) -> list[SourceRow]:
    """Every source, most stories first: the stories counting it, its documents, whom it relays and
    who relays it."""
    rows: dict[str, SourceRow] = {}
    for doc in v.dossier["documents"]:
        label = publisher_label(doc)
        outlet = outlet_of(doc)
        row = rows.setdefault(
            label, SourceRow(label, "outlet" if outlet else "article", label if outlet else doc.get("title") or label)
        )
        row.documents.append(doc)
    for story in v.dossier["stories"]:
        for label in story.get("sources") or []:
            key = label if label in rows else label.split(" (", 1)[0]  # "file.txt (doc id)": same name elsewhere
            rows.setdefault(key, SourceRow(key, "relayed", key)).stories.append(story)
    for doc, name, entity_id, span in _relays(v):
        publisher = rows[publisher_label(doc)]
        agency = rows.setdefault(name, SourceRow(name, "relayed", name))
        publisher.relays.setdefault(name, Relay(name, entity_id)).spans.append(span)
        agency.relayed_by.setdefault(publisher.label, Relay(publisher.shown, entity_id, publisher.label)).spans.append(
            span
        )
    return sorted(rows.values(), key=lambda r: (-len(r.stories), r.kind == "relayed", r.shown.casefold()))


def counts(rows: list[SourceRow]) -> dict[str, Any]:
    """How many sources of each kind (for the page's heading)."""
    out: dict[str, int] = {}
    for r in rows:
        out[r.kind] = out.get(r.kind, 0) + 1
    return out
