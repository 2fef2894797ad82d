"""The JSON API: every list paginated (``limit``, ``offset``), every span with its evidence link."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from storyline.web import finder
from storyline.web.desk import Row, View
from storyline.web.outlets import Relay, source_rows
from storyline.web.words import is_generated_title, story_line

router = APIRouter(prefix="/api", tags=["read"])

MAX_LIMIT = 500
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]


def view_of(request: Request) -> View:
    return request.app.state.settings.desk.view()


def evidence_url(doc: str, start: int, end: int) -> str:
    """The document page with this span highlighted and scrolled to."""
    return f"/documents/{doc}?hl={start}-{end}#s{start}-{end}"


def page(request: Request, items: list[Any], limit: int, offset: int) -> Row:
    """One page of ``items`` and the URL of the next one."""
    chunk = items[offset : offset + limit]
    nxt = None
    if offset + limit < len(items):
        nxt = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return {"total": len(items), "limit": limit, "offset": offset, "next": nxt, "items": chunk}


def document_summary(d: Row) -> Row:
    return {k: v for k, v in d.items() if k != "text"} | {"url_page": f"/documents/{d['id']}"}


def entity_summary(e: Row) -> Row:
    return {
        "id": e["id"],
        "name": e["name"],
        "type": e["type"],
        "aliases": e["aliases"],
        "mentions": len(e["mentions"]),
        "documents": len({m["doc"] for m in e["mentions"]}),
        "url_page": f"/entities/{e['id']}",
    }


def with_evidence(row: Row) -> Row:
    return row | {"evidence_url": evidence_url(row["doc"], row["start"], row["end"])}


def story_summary(v: View, s: Row) -> Row:
    """A story row with its page and its line in words (``title``; the stage's own title stays as ``label``)."""
    return s | {"url_page": f"/stories/{s['id']}", "title": story_title(v, s), "label": s.get("title") or ""}


def story_title(v: View, s: Row) -> str:
    """A title a person gave the story, else its lead event in words: who did what to whom, where, when."""
    if not is_generated_title(s):
        return s["title"]
    return story_line(s, v.events, v.name)


def evidence_sentences(v: View, ev: Row) -> list[Row]:
    """Every sentence of its document that tells the event (its ``evidence`` spans, else its own
    sentence), in text order, each with its text and the link that highlights it."""
    text = v.docs[ev["doc"]]["text"] if ev["doc"] in v.docs else ""
    spans = sorted({(int(a), int(b)) for a, b in ev.get("evidence") or []} or {(ev["start"], ev["end"])})
    return [
        {"start": a, "end": b, "text": text[a:b], "evidence_url": evidence_url(ev["doc"], a, b)}
        for a, b in spans
        if 0 <= a < b <= len(text)
    ]


def thread_title(t: Row) -> str:
    """A thread's label: the headline words most of its documents share, else its id."""
    return " · ".join(t.get("terms") or []) or f"Thread {t['id']}"


THREAD_EXAMPLES = 3  # documents named with each thread in a list


def thread_summary(v: View, t: Row) -> Row:
    """A thread row with its label, page and its first documents by date."""
    first = v.thread_documents(t["id"])[:THREAD_EXAMPLES]
    return t | {
        "title": thread_title(t),
        "url_page": f"/threads/{t['id']}",
        "examples": [
            {k: d.get(k) for k in ("id", "title", "site", "source", "published")}
            | {"url_page": f"/documents/{d['id']}"}
            for d in first
        ],
    }


def find_document(request: Request, v: View, doc_id: str) -> Row:
    """A document by id, unique id prefix or file name; 404 with a hint otherwise."""
    if doc_id in v.docs:
        return v.docs[doc_id]
    found = request.app.state.settings.desk.store.document(doc_id) if doc_id.strip() else None
    if found is None or found.id not in v.docs:
        raise HTTPException(404, f"no document {doc_id!r} (list them at /api/documents)")
    return v.docs[found.id]


PLURAL = {"entity": "entities", "story": "stories", "thread": "threads"}


def find(kind: str, table: dict[str, Row], key: str) -> Row:
    """A row by id; 404 with where to look otherwise."""
    if key in table:
        return table[key]
    raise HTTPException(404, f"no {kind} {key!r} (list them at /api/{PLURAL[kind]})")


@router.get("/stats", summary="Counts of what the store holds, and its date range.")
def stats(request: Request) -> Row:
    return request.app.state.settings.desk.store.stats()


@router.get("/documents", summary="Documents in source order (without their text).")
def documents(request: Request, limit: Limit = 50, offset: Offset = 0) -> Row:
    v = view_of(request)
    return page(request, [document_summary(d) for d in v.dossier["documents"]], limit, offset)


@router.get("/documents/{doc_id}", summary="One document: clean text and every span found in it.")
def document(request: Request, doc_id: str) -> Row:
    v = view_of(request)
    d = find_document(request, v, doc_id)
    full = request.app.state.settings.desk.store.document(d["id"])
    return d | {
        "removed": [{"start": r.start, "end": r.end, "reason": r.reason} for r in (full.removed if full else [])],
        "mentions": [{"entity": eid, "name": v.name(eid), **m} for eid, m in v.mentions_by_doc.get(d["id"], [])],
        "timexes": v.timexes_by_doc.get(d["id"], []),
        "quotes": [with_evidence(q) for q in v.quotes_by_doc.get(d["id"], [])],
        "events": [with_evidence(e) for e in v.events_by_doc.get(d["id"], [])],
        "url_page": f"/documents/{d['id']}",
    }


@router.get("/entities", summary="Entities, most mentioned first; filter by type or name.")
def entities(
    request: Request,
    type: Annotated[str | None, Query(max_length=20, description="PERSON, ORG, GPE, LOC, NORP, FAC")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of a name or alias.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Row:
    v = view_of(request)
    rows = filter_entities(v, type, q)
    return page(request, [entity_summary(e) for e in rows], limit, offset)


def filter_entities(v: View, kind: str | None, q: str | None) -> list[Row]:
    rows = list(v.entities.values())
    if kind:
        rows = [e for e in rows if e["type"] == kind.strip().upper()]
    if q:
        needle = q.casefold().strip()
        rows = [e for e in rows if any(needle in n.casefold() for n in [e["name"], *e["aliases"]])]
    rows.sort(key=lambda e: (-len(e["mentions"]), e["name"]))
    return rows


@router.get("/entities/{entity_id}", summary="One entity: aliases, mentions, quotes, events, related entities.")
def entity(request: Request, entity_id: str) -> Row:
    v = view_of(request)
    e = find("entity", v.entities, entity_id)
    return e | {
        "mentions": [with_evidence(m) for m in e["mentions"]],
        "quotes": [with_evidence(q) for q in v.quotes_of_entity.get(e["id"], [])],
        "events": [with_evidence(x) for x in v.events_of_entity.get(e["id"], [])],
        "related": [
            {"id": r["id"], "name": r["name"], "type": r["type"], "documents": docs, "events": evs}
            for r, docs, evs in v.related(e["id"])
        ],
        "url_page": f"/entities/{e['id']}",
    }


@router.get("/stories", summary="Stories (one real-world event reported across documents).")
def stories(request: Request, limit: Limit = 50, offset: Offset = 0) -> Row:
    v = view_of(request)
    dated, undated = v.timeline(show_all=True)
    return page(request, [story_summary(v, s) for s in dated + undated], limit, offset)


@router.get("/stories/{story_id}", summary="One story: its events with evidence, sources, contested links.")
def story(request: Request, story_id: str) -> Row:
    v = view_of(request)
    s = find("story", v.stories, story_id)
    evs = [v.events[e] for e in s["events"] if e in v.events]
    contested = {(c["claim"], c["denial"]): c for e in s["events"] for c in v.contested_of_event.get(e, [])}
    return story_summary(v, s) | {
        "events": [with_evidence(e) | {"evidence_sentences": evidence_sentences(v, e)} for e in evs],
        "contested": list(contested.values()),
    }


@router.get("/threads", summary="Threads (documents covering one development) in date order.")
def threads(request: Request, limit: Limit = 50, offset: Offset = 0) -> Row:
    v = view_of(request)
    return page(request, [thread_summary(v, t) for t in v.thread_list()], limit, offset)


@router.get("/threads/{thread_id}", summary="One thread: its documents and the stories their events belong to.")
def thread(request: Request, thread_id: str) -> Row:
    v = view_of(request)
    t = find("thread", v.threads, thread_id)
    return thread_summary(v, t) | {
        "documents": [document_summary(d) for d in v.thread_documents(t["id"])],
        "stories": [story_summary(v, s) for s in v.thread_stories(t["id"])],
    }


@router.get("/timeline", summary="Stories by date; undated stories apart.")
def timeline(request: Request) -> Row:
    v = view_of(request)
    dated, undated = v.timeline(show_all=True)
    return {"dated": [story_summary(v, s) for s in dated], "undated": [story_summary(v, s) for s in undated]}


@router.get("/quotes", summary="Quotes with their speakers; filter by speaker entity or document.")
def quotes(
    request: Request,
    speaker: Annotated[str | None, Query(max_length=200, description="Entity id, or part of a name.")] = None,
    doc: Annotated[str | None, Query(max_length=200, description="Document id.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Row:
    v = view_of(request)
    rows = v.dossier["quotes"]
    if doc:
        rows = [q for q in rows if q["doc"] == doc]
    if speaker:
        needle = speaker.casefold()

        def said_by(q: Row) -> bool:
            if q.get("speaker") == speaker:
                return True
            ent = v.entities.get(q.get("speaker") or "")
            names = [ent["name"], *ent["aliases"]] if ent else [q.get("speaker_name") or ""]
            return any(needle in n.casefold() for n in names)

        rows = [q for q in rows if said_by(q)]
    items = [with_evidence(q) | {"speaker_name": v.name(q["speaker"]) or q.get("speaker_name")} for q in rows]
    return page(request, items, limit, offset)


@router.get(
    "/search",
    summary="Full-text search over clean text, alias-aware, best first; each hit with its matching sentence.",
)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to look for.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Offset = 0,
) -> Row:
    store = request.app.state.settings.desk.store
    hits = finder.find(store, view_of(request), q) if q.strip() else []
    nxt = str(request.url.include_query_params(offset=offset + limit)) if len(hits) > offset + limit else None
    items = [finder.hit_row(h) for h in hits[offset : offset + limit]]
    return {"query": q, "limit": limit, "offset": offset, "next": nxt, "total": len(hits), "items": items}


@router.get("/sources", summary="Sources the stories count: kind, stories covered, documents, who relays whom.")
def sources(request: Request, limit: Limit = 50, offset: Offset = 0) -> Row:
    rows = [
        {
            "label": r.label,
            "kind": r.kind,
            "shown": r.shown,
            "entity": r.entity,
            "stories": [s["id"] for s in r.stories],
            "documents": [d["id"] for d in r.documents],
            "relays": [_relay_row(x) for x in r.relays.values()],
            "relayed_by": [_relay_row(x) for x in r.relayed_by.values()],
        }
        for r in source_rows(view_of(request))
    ]
    return page(request, rows, limit, offset)


def _relay_row(relay: Relay) -> Row:
    spans = [{"doc": d, "start": a, "end": b, "evidence_url": evidence_url(d, a, b)} for d, a, b in relay.spans]
    return {"name": relay.name, "entity": relay.entity, "publisher": relay.publisher or None, "spans": spans}


@router.get(
    "/changes", summary="Recorded builds after run `since`, newest first, with what each added and its evidence."
)
def changes(
    request: Request,
    since: Annotated[int, Query(ge=0, description="Only the builds after this run.")] = 0,
    limit: Limit = 20,
) -> Row:
    store = request.app.state.settings.desk.store
    runs = store.runs(since, last=limit)[::-1]
    return {"since": since, "limit": limit, "total": store.count_runs(since), "items": runs}


@router.get("/dossier", summary="The whole dossier (storyline.dossier/1), as `storyline export --format json`.")
def dossier(request: Request) -> Row:
    return view_of(request).dossier
