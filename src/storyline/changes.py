"""What a build changed: every build is recorded as a run with what it brought, each item cited.

:func:`snapshot` reads the store before a build (its documents and the corpus stage's last
resolution); :func:`record_run` reads it again after, compares the two and stores the run. Stories
and threads are matched by what they hold, not by id (a story's id may change when it grows): a
story none of whose events was in a story before is new; one that shares events with earlier
stories and has an independent source none of them had gained sources. An entity holding mentions
that were two entities' before was merged. Each item keeps the sentences it rests on (document,
character span and the quoted words), so a run reads the same after later builds changed the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, Protocol

from storyline.brief import sentence_around
from storyline.model import Document, Resolution, ResolvedEvent, Story
from storyline.store import Store
from storyline.web.words import event_line, lead_event, names_list, story_line

QUOTE_CHARS = 220  # of a cited sentence kept with a change
DOCUMENTS_READ = 500  # new documents read at a time to list them: the memory of one batch, whatever the build's size
KINDS = {  # the kinds of change, in the order they are listed, with their heading
    "document": "new documents",
    "thread": "new threads",
    "story": "new stories",
    "sources": "stories that gained sources",
    "contested": "new contested claims",
    "date_conflict": "date conflicts that appeared",
    "merged": "entities merged",
}


class _Counts(Protocol):
    files: int
    read: int
    unchanged: int
    failed: int
    documents_added: int
    documents_removed: int
    analysed: int


@dataclass(slots=True)
class Snapshot:
    """The store as a build found it: its documents and the corpus stage's results."""

    started: str
    documents: set[str]
    resolution: Resolution = field(default_factory=Resolution)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def snapshot(store: Store) -> Snapshot:
    """What the store holds now (read before a build, to compare with after it)."""
    return Snapshot(_now(), set(store.document_ids()), store.resolution())


def record_run(store: Store, before: Snapshot, report: _Counts) -> int:
    """Compare the store with ``before``, record the run with its counts and changes; return its number."""
    after = snapshot(store)
    counts = {
        "files": report.files,
        "read": report.read,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "documents_added": report.documents_added,
        "documents_removed": report.documents_removed,
        "analysed": report.analysed,
        "documents": len(after.documents),
        "stories": len(after.resolution.stories),
    }
    return store.put_run(before.started, after.started, counts, diff_items(before, after, store))


class _Texts(dict[str, str]):
    """Document texts read from the store as citations need them (a run cites few documents)."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def __missing__(self, doc: str) -> str:
        self[doc] = self.store.texts([doc]).get(doc, "")
        return self[doc]


def _cite(texts: dict[str, str], doc: str, start: int, end: int) -> dict[str, Any]:
    """A citation as the briefing gives one: the document, the sentence's span, its words."""
    text = texts[doc]
    if text:
        start, end = sentence_around(text, start, min(end, len(text)))
    words = " ".join(text[start:end].split())
    quote = words if len(words) <= QUOTE_CHARS else words[: QUOTE_CHARS - 1].rstrip() + "…"
    return {"doc": doc, "start": start, "end": end, "quote": quote}


def _event_span(ev: ResolvedEvent) -> tuple[int, int]:
    """The sentence holding the event's trigger (as the briefing cites it)."""
    t = ev.trigger_start
    if t is not None:
        for start, end in [(ev.start, ev.end), *ev.evidence]:
            if start <= t < end:
                return start, end
    return ev.start, ev.end


def _overlapping(groups: Iterable[tuple[str, set[str]]], members: set[str]) -> list[str]:
    return [gid for gid, held in groups if held & members]


def diff(before: Snapshot, after: Snapshot, store: Store) -> list[dict[str, Any]]:
    """What ``after`` has that ``before`` had not, as items ``{kind, ref, line, cites}`` in :data:`KINDS` order."""
    return list(diff_items(before, after, store))


def diff_items(before: Snapshot, after: Snapshot, store: Store) -> Iterator[dict[str, Any]]:
    """:func:`diff`'s items one at a time: the new documents' as they are read (a batch of texts at a
    time), so a writer of the run's record holds what it has not written yet, not the whole list."""
    yield from _document_items(before, after, store)
    yield from _other_items(before, after, store)


def _item(kind: str, ref: str, line: str, cites: list[dict[str, Any]]) -> dict[str, Any]:
    once = list({(c["doc"], c["start"], c["end"]): c for c in cites}.values())  # a sentence cited once
    return {"kind": kind, "ref": ref, "line": line, "cites": once}


def _title(doc: Document) -> str:
    return doc.title or PurePath(doc.source).name


def _document_items(before: Snapshot, after: Snapshot, store: Store) -> Iterator[dict[str, Any]]:
    """The items of the new documents (the first kind), in id order."""
    new_docs = sorted(after.documents - before.documents)
    for i in range(0, len(new_docs), DOCUMENTS_READ):  # a batch of texts at a time: a big build's are not all held
        chunk = new_docs[i : i + DOCUMENTS_READ]
        batch = {d.id: d for d in store.documents(chunk, with_raw=False)}
        chunk_texts = {doc: batch[doc].text if doc in batch else "" for doc in chunk}
        for doc in chunk:
            line = (_title(batch[doc]) if doc in batch else None) or doc
            yield _item("document", doc, line, [_cite(chunk_texts, doc, 0, 1)])


class _Titles(dict[str, str]):
    """The title of a new document (its file's name when it has none), read as a thread names one; a
    document that is not new is named by its id."""

    def __init__(self, store: Store, before: Snapshot, after: Snapshot) -> None:
        super().__init__()
        self.store, self.before, self.after = store, before, after

    def __missing__(self, doc: str) -> str:
        new = doc in self.after.documents and doc not in self.before.documents
        found = self.store.documents([doc], with_raw=False) if new else []
        self[doc] = _title(found[0]) if found else doc
        return self[doc]


def _other_items(before: Snapshot, after: Snapshot, store: Store) -> list[dict[str, Any]]:
    """The items of every kind after the documents, in :data:`KINDS` order."""
    res, old = after.resolution, before.resolution
    events = {e.id: e for e in res.events}
    rows = {e.id: asdict(e) for e in res.events}
    names = {e.id: e.name for e in res.entities}

    def name(entity_id: str | None) -> str:
        return names.get(entity_id or "", entity_id or "")

    texts = _Texts(store)
    titles = _Titles(store, before, after)
    items: list[dict[str, Any]] = []

    def add(kind: str, ref: str, line: str, cites: list[dict[str, Any]]) -> None:
        items.append(_item(kind, ref, line, cites))

    old_thread_docs = [(t.id, set(t.documents)) for t in old.threads]
    for th in res.threads:
        if not _overlapping(old_thread_docs, set(th.documents)) and th.documents:
            words = " ".join(th.terms) or titles[th.documents[0]]
            add("thread", th.id, f"{words} ({len(th.documents)} documents)", [_cite(texts, th.documents[0], 0, 1)])

    old_story_events = [(s.id, set(s.events)) for s in old.stories]
    old_stories = {s.id: s for s in old.stories}
    old_doc = {e.id: e.doc for e in old.events}

    def story_cites(story: Story, docs: set[str] | None = None) -> list[dict[str, Any]]:
        evs = [events[e] for e in story.events if e in events and (docs is None or events[e].doc in docs)]
        lead = lead_event(asdict(story), {e.id: rows[e.id] for e in evs})
        ordered = sorted(evs, key=lambda e: e.id != (lead or {}).get("id"))
        seen: dict[str, dict[str, Any]] = {}
        for ev in ordered:  # one sentence a document, the lead's first
            seen.setdefault(ev.doc, _cite(texts, ev.doc, *_event_span(ev)))
        return list(seen.values())

    for story in res.stories:
        line = story_line(asdict(story), rows, name)
        matches = _overlapping(old_story_events, set(story.events))
        if not matches:
            add("story", story.id, line, story_cites(story))
            continue
        had = {src for m in matches for src in old_stories[m].sources}
        gained = [src for src in story.sources if src not in had]
        if gained:
            docs_had = {old_doc[e] for m in matches for e in old_stories[m].events if e in old_doc}
            new_in = {events[e].doc for e in story.events if e in events} - docs_had
            cites = story_cites(story, new_in or None)
            add("sources", story.id, f"{line}: now also {names_list(gained)}", cites)
        if story.date_conflict and not any(old_stories[m].date_conflict for m in matches):
            dates = ", ".join(sorted(story.dates)) or "dates that disagree"
            add("date_conflict", story.id, f"{line}: its reports give {dates}", story_cites(story))

    old_pairs = {(c.claim, c.denial) for c in old.contested}
    for c in res.contested:
        if (c.claim, c.denial) in old_pairs or c.claim not in events or c.denial not in events:
            continue
        claim, denial = events[c.claim], events[c.denial]
        line = f"{event_line(rows[c.claim], name)} — denied: {event_line(rows[c.denial], name)}"
        cites = [_cite(texts, ev.doc, *_event_span(ev)) for ev in (claim, denial)]
        add("contested", f"{c.claim}:{c.denial}", line, cites)

    owner = {(m.doc, m.start, m.end): e.id for e in old.entities for m in e.mentions}
    old_names = {e.id: e.name for e in old.entities}
    for ent in res.entities:
        first: dict[str, Any] = {}
        for m in ent.mentions:
            was = owner.get((m.doc, m.start, m.end))
            if was is not None and was not in first:
                first[was] = m
        if len(first) >= 2:
            were = names_list(sorted({old_names[x] for x in first}))
            cites = [_cite(texts, m.doc, m.start, m.end) for m in first.values()]
            add("merged", ent.id, f"{were}: now one entity, {ent.name}", cites)
    order = list(KINDS)
    items.sort(key=lambda item: order.index(item["kind"]))
    return items


def run_heading(run: dict[str, Any]) -> str:
    """One line saying when a run was and what it read: "run 2, 2026-…: 5 files (1 read, …)"."""
    c = run["counts"]
    return (
        f"run {run['id']}, {run['started']} to {run['finished']}: {c['files']} files ({c['read']} read, "
        f"{c['unchanged']} unchanged, {c['failed']} failed), {c['documents_added']} new documents, "
        f"{c['analysed']} analysed; the store then held {c['documents']} documents in {c['stories']} stories"
    )


def render_changes(runs: list[dict[str, Any]]) -> list[str]:
    """The runs as plain lines, each change cited ``[n]`` as the briefing cites, its references after it.

    A run that changed nothing says so.
    """
    lines: list[str] = []
    for run in runs:
        lines.append(run_heading(run))
        spans: list[tuple[str, int, int]] = []
        quotes: dict[tuple[str, int, int], str] = {}
        for kind, heading in KINDS.items():
            got = [item for item in run["changes"] if item["kind"] == kind]
            if not got:
                continue
            lines.append(f"  {heading} ({len(got)})")
            for item in got:
                refs = ""
                for c in item["cites"]:
                    key = (c["doc"], c["start"], c["end"])
                    if key not in quotes:
                        spans.append(key)
                        quotes[key] = c["quote"]
                    refs += f"[{spans.index(key) + 1}]"
                lines.append(f"    {item['line']} {refs}".rstrip())
        if not run["changes"]:
            lines.append("  nothing new")
        for i, key in enumerate(spans, 1):
            doc, start, end = key
            lines.append(f"  [{i}]: {doc}, chars {start}–{end}: “{quotes[key]}”")
    return lines
