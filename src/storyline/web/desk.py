"""What the pages and the JSON API read: the dossier, indexed once, refreshed when the store changes.

:func:`build_view` is pure (dossier in, indexes out). :class:`Desk` holds a store and the view
of it, and rebuilds the view when the store's counts change (a ``storyline build`` run beside
the server) or when a write made through the server says so.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from storyline.export.dossier import build_dossier
from storyline.resolve.confidence import display_threshold
from storyline.resolve.timeline import split_timeline
from storyline.store import Store

Row = dict[str, Any]
RELATED_MAX = 15  # related entities listed on an entity page


@dataclass(slots=True)
class View:
    """The dossier and the indexes the pages need (documents, entities, events, stories by id)."""

    dossier: Row
    docs: dict[str, Row] = field(default_factory=dict)
    entities: dict[str, Row] = field(default_factory=dict)
    events: dict[str, Row] = field(default_factory=dict)
    stories: dict[str, Row] = field(default_factory=dict)
    threads: dict[str, Row] = field(default_factory=dict)
    story_of_event: dict[str, str] = field(default_factory=dict)
    mentions_by_doc: dict[str, list[tuple[str, Row]]] = field(default_factory=dict)
    timexes_by_doc: dict[str, list[Row]] = field(default_factory=dict)
    quotes_by_doc: dict[str, list[Row]] = field(default_factory=dict)
    events_by_doc: dict[str, list[Row]] = field(default_factory=dict)
    events_of_entity: dict[str, list[Row]] = field(default_factory=dict)
    quotes_of_entity: dict[str, list[Row]] = field(default_factory=dict)
    contested_of_event: dict[str, list[Row]] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)  # copy group -> document ids

    def name(self, entity_id: str | None) -> str:
        ent = self.entities.get(entity_id or "")
        return ent["name"] if ent else (entity_id or "")

    def confident(self, story: Row) -> bool:
        """A story is shown by default when one of its events reaches the display confidence (an event
        with no confidence recorded, from an older store, counts as reaching it)."""
        threshold = display_threshold()
        scores = [self.events[e].get("confidence") for e in story["events"] if e in self.events]
        return not scores or any(c is None or c >= threshold for c in scores)

    def timeline(self, show_all: bool = False) -> tuple[list[Row], list[Row]]:
        """Dated and undated stories; by default only those shown at the display confidence."""
        stories = self.dossier["stories"]
        return split_timeline(stories if show_all else [s for s in stories if self.confident(s)])

    def hidden_stories(self) -> int:
        """Stories left off the default timeline: all their events fall below the display confidence."""
        return sum(1 for s in self.dossier["stories"] if not self.confident(s))

    def thread_list(self) -> list[Row]:
        """Threads in date order: first publication date, undated threads last."""
        return sorted(self.threads.values(), key=lambda t: (t.get("start") or "9999", t.get("end") or "9999", t["id"]))

    def thread_documents(self, thread_id: str) -> list[Row]:
        """A thread's documents by publication date (undated last)."""
        docs = [self.docs[d] for d in self.threads[thread_id]["documents"] if d in self.docs]
        return sorted(docs, key=lambda d: (d.get("published") or "9999", d["id"]))

    def thread_stories(self, thread_id: str) -> list[Row]:
        """The stories that the events of a thread's documents belong to, in timeline order (undated last)."""
        ids = {
            self.story_of_event[ev["id"]]
            for d in self.threads[thread_id]["documents"]
            for ev in self.events_by_doc.get(d, [])
            if ev["id"] in self.story_of_event
        }
        dated, undated = self.timeline(show_all=True)
        return [s for s in dated + undated if s["id"] in ids]

    def related(self, entity_id: str) -> list[tuple[Row, int, int]]:
        """Entities seen with this one: (entity, documents shared, events shared), most first."""
        docs = {m["doc"] for m in self.entities[entity_id]["mentions"]}
        together: Counter[str] = Counter()
        for d in docs:
            together.update({eid for eid, _ in self.mentions_by_doc.get(d, []) if eid != entity_id})
        in_events: Counter[str] = Counter()
        for ev in self.events_of_entity.get(entity_id, []):
            in_events.update({x for x in ev["actors"] + ev["targets"] if x != entity_id})
        ids = set(together) | set(in_events)
        ranked = sorted(ids, key=lambda i: (-in_events[i], -together[i], self.name(i)))
        return [(self.entities[i], together[i], in_events[i]) for i in ranked[:RELATED_MAX] if i in self.entities]


def build_view(dossier: Row) -> View:
    """Index a dossier for the pages; every list keeps the dossier's order."""
    v = View(dossier=dossier)
    v.docs = {d["id"]: d for d in dossier["documents"]}
    v.entities = {e["id"]: e for e in dossier["entities"]}
    v.events = {e["id"]: e for e in dossier["events"]}
    v.stories = {s["id"]: s for s in dossier["stories"]}
    v.threads = {t["id"]: t for t in dossier.get("threads") or []}
    for s in dossier["stories"]:
        for ev in s["events"]:
            v.story_of_event[ev] = s["id"]
    mentions: dict[str, list[tuple[str, Row]]] = defaultdict(list)
    for e in dossier["entities"]:
        for m in e["mentions"]:
            mentions[m["doc"]].append((e["id"], m))
    v.mentions_by_doc = dict(mentions)
    timexes: dict[str, list[Row]] = defaultdict(list)
    for x in dossier["timexes"]:
        timexes[x["doc"]].append(x)
    v.timexes_by_doc = dict(timexes)
    quotes: dict[str, list[Row]] = defaultdict(list)
    by_speaker: dict[str, list[Row]] = defaultdict(list)
    for q in dossier["quotes"]:
        quotes[q["doc"]].append(q)
        if q.get("speaker"):
            by_speaker[q["speaker"]].append(q)
    v.quotes_by_doc, v.quotes_of_entity = dict(quotes), dict(by_speaker)
    events: dict[str, list[Row]] = defaultdict(list)
    of_entity: dict[str, list[Row]] = defaultdict(list)
    for ev in dossier["events"]:
        events[ev["doc"]].append(ev)
        for x in dict.fromkeys(ev["actors"] + ev["targets"]):
            of_entity[x].append(ev)
    v.events_by_doc, v.events_of_entity = dict(events), dict(of_entity)
    contested: dict[str, list[Row]] = defaultdict(list)
    for c in dossier["contested"]:
        contested[c["claim"]].append(c)
        contested[c["denial"]].append(c)
    v.contested_of_event = dict(contested)
    groups: dict[str, list[str]] = defaultdict(list)
    for d in dossier["documents"]:
        if d.get("group"):
            groups[d["group"]].append(d["id"])
    v.groups = {g: ids for g, ids in groups.items() if len(ids) > 1}
    return v


class Desk:
    """A store and its current view; safe to share between the server's threads."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._view: View | None = None
        self._stamp: tuple[Any, ...] | None = None

    def stamp(self) -> tuple[Any, ...]:
        """Changes whenever a build or a resolve run changes what the store holds."""
        stats = self.store.stats()
        return (*sorted(stats.items()), self.store.get_meta("groups_for"))

    def view(self) -> View:
        stamp = self.stamp()
        with self._lock:
            if self._view is None or stamp != self._stamp:
                docs = self.store.documents(with_raw=False)
                dossier = build_dossier(docs, self.store.analyses(), self.store.resolution())
                self._view, self._stamp = build_view(dossier), stamp
            return self._view

    def invalidate(self) -> None:
        with self._lock:
            self._view = None
