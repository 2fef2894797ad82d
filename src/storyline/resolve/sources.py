"""Independent sources of a story: outlets, not articles.

Two articles are one source when they come from the same outlet (site, or host of their URL) or
are copies of one article (the copy group, e.g. a wire story syndicated on two sites). An article
whose every report of the story is relayed from an outlet ("KCNA said", "according to TASS") counts
as that outlet, so ten papers quoting one agency make one source, not ten.
"""

from __future__ import annotations

from urllib.parse import urlparse

from storyline.model import Document, Entity, ResolvedEvent

RELAY_TYPES = frozenset({"ORG"})  # who can be relayed as an outlet: organisations (agencies, papers)


def outlet(doc: Document) -> str:
    """The outlet of a document: its site, else its URL's host, else the document itself."""
    if doc.site:
        return doc.site.lower().removeprefix("www.")
    if doc.url:
        host = urlparse(doc.url).netloc.lower().removeprefix("www.")
        if host:
            return host
    return doc.id


def count_sources(events: list[ResolvedEvent], documents: list[Document], entities: list[Entity]) -> list[str]:
    """Independent sources of a group of events, one label each, sorted.

    A label is an outlet's site or host, a relayed outlet's name, or a document id when nothing
    else tells the outlet apart.
    """
    docs = {d.id: d for d in documents}
    ents = {e.id: e for e in entities}
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
    for doc_id in own:
        d = docs.get(doc_id)
        out = outlet(d) if d else doc_id
        find("doc:" + doc_id)
        union("doc:" + doc_id, "out:" + out)
        if d is not None and d.group:
            union("doc:" + doc_id, "grp:" + d.group)
        labels.setdefault("out:" + out, out)
    sources = set()
    for doc_id in own:
        root = find("doc:" + doc_id)
        members = sorted(k for k in parent if find(k) == root and k.startswith("out:"))
        sources.add(labels[members[0]] if members else doc_id)
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
