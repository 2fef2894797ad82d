"""Independent sources of a story: outlets, not articles.

Two articles are one source when they come from the same outlet (site, or host of their URL) or
are copies of one article (the copy group, e.g. a wire story syndicated on two sites). An article
whose every report of the story is relayed from an outlet ("KCNA said", "according to TASS") counts
as that outlet, so ten papers quoting one agency make one source, not ten.
"""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import urlparse

from storyline.model import Document, Entity, ResolvedEvent

RELAY_TYPES = frozenset({"ORG"})  # who can be relayed as an outlet: organisations (agencies, papers)


def outlet(doc: Document) -> str | None:
    """The outlet of a document: its site, else its URL's host; None when nothing names it."""
    if doc.site:
        return doc.site.lower().removeprefix("www.")
    if doc.url:
        host = urlparse(doc.url).netloc.lower().removeprefix("www.")
        if host:
            return host
    return None


def source_label(doc: Document) -> str:
    """What a reader is shown for a document's source: its outlet, else the file it came from.

    A file name ("report.txt", "feed.jsonl#3") says more than a document id; the id is the last
    resort for a document with no source at all.
    """
    name = outlet(doc)
    if name:
        return name
    path, sep, record = doc.source.partition("#")
    base = PurePath(path.replace("\\", "/")).name if path else ""
    return (base + sep + record) if base else doc.id


def count_sources(events: list[ResolvedEvent], documents: list[Document], entities: list[Entity]) -> list[str]:
    """Independent sources of a group of events, one label each, sorted (see :class:`SourceCounter`)."""
    return SourceCounter(documents, entities).count(events)


class SourceCounter:
    """Counts the independent sources of many stories with lookup tables built once per run."""

    def __init__(self, documents: list[Document], entities: list[Entity]) -> None:
        self.docs = {d.id: d for d in documents}
        self.ents = {e.id: e for e in entities}

    def count(self, events: list[ResolvedEvent]) -> list[str]:
        """Independent sources of a group of events, one label each, sorted.

        A label is an outlet's site or host, a relayed outlet's name, or, when nothing names the
        outlet, the article's file name: such an article counts as a source of its own (two files of
        the same name in different folders get their document id added to tell them apart).
        """
        return _count(events, self.docs, self.ents)


def _count(events: list[ResolvedEvent], docs: dict[str, Document], ents: dict[str, Entity]) -> list[str]:
    # the document's own label: its copy group merges outlets, its outlet merges articles
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    relayed: dict[str, set[str]] = {}
    own: set[str] = set()
    by_doc: dict[str, list[ResolvedEvent]] = {}
    for ev in events:
        by_doc.setdefault(ev.doc, []).append(ev)
    for doc_id, evs in by_doc.items():
        relays = {_relay(ev, ents) for ev in evs}
        if None not in relays:  # every report in this article is someone else's
            relayed[doc_id] = {r for r in relays if r}
            continue
        own.add(doc_id)
    labels: dict[str, str] = {}
    for doc_id in sorted(own):
        d = docs.get(doc_id)
        out = outlet(d) if d else None
        find("doc:" + doc_id)
        if out:
            union("doc:" + doc_id, "out:" + out)
            labels.setdefault("out:" + out, out)
        if d is not None and d.group:
            union("doc:" + doc_id, "grp:" + d.group)
        labels.setdefault("doc:" + doc_id, source_label(d) if d else doc_id)
    by_root: dict[str, tuple[str, bool]] = {}  # root -> (label, named by an outlet)
    for doc_id in sorted(own):
        root = find("doc:" + doc_id)
        if root in by_root:
            continue
        members = sorted(k for k in parent if find(k) == root)
        named = [k for k in members if k.startswith("out:")]
        first_doc = min(k for k in members if k.startswith("doc:"))
        by_root[root] = (labels[named[0]], True) if named else (labels[first_doc], False)
    sources: set[str] = set()
    for root, (label, is_outlet) in sorted(by_root.items()):
        if label in sources and not is_outlet:
            label = f"{label} ({root.removeprefix('doc:')})"  # same file name, another folder
        sources.add(label)
    for names in relayed.values():
        sources |= names
    return sorted(sources)


def _relay(ev: ResolvedEvent, ents: dict[str, Entity]) -> str | None:
    """The outlet an event is relayed from, or None when the article reports it itself."""
    if ev.mode != "reported" or not ev.source:
        return None
    e = ents.get(ev.source)
    if e is None or e.type not in RELAY_TYPES:
        return None
    return e.name
