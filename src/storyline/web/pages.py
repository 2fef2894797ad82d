"""The pages: overview, document, entity, story, thread, timeline, search, and the API description.

Each page reads the desk's view and hands plain values to a template; article text reaches the
HTML only through autoescaping or :func:`storyline.web.render.highlight`. Every fact on a page
links to the span of text it rests on (``/documents/ID?hl=START-END#sSTART-END``).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from storyline.changes import KINDS
from storyline.export.timelinejs import timex_bounds
from storyline.resolve.confidence import display_threshold
from storyline.web import finder, outlets
from storyline.web import timeline as tl
from storyline.web.desk import Row, View
from storyline.web.jsonapi import (
    THREAD_EXAMPLES,
    evidence_sentences,
    evidence_url,
    filter_entities,
    find,
    find_document,
    story_title,
    thread_title,
)
from storyline.web.render import Mark, highlight, in_context, parse_span, snippet_html, span_anchor
from storyline.web.words import confidence, event_line, outlet_of, plural, show_date, source_entries, type_meaning

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 100  # rows per page in the document, entity and thread lists
OVERVIEW_THREADS = 10  # threads listed on the overview
MENTIONS_SHOWN = 300  # mentions in context on an entity page
SEARCH_PAGE = 20
UNKNOWN_SPEAKER = "unknown"  # the speaker filter's key for quotes nobody is named for


def basename(source: str | None) -> str:
    """A source's file name (or the URL as is), for lists."""
    if not source:
        return ""
    if "://" in source:
        return source
    path, _, record = source.partition("#")
    return PurePath(path).name + (f"#{record}" if record else "")


def http_url(url: str | None) -> str | None:
    """A URL fit for a link: only http(s), so a hostile ``javascript:`` URL stays text."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


TEMPLATE_GLOBALS: dict[str, Any] = {
    "evidence_url": evidence_url,
    "basename": basename,
    "anchor": span_anchor,
    "http_url": http_url,
    "thread_title": thread_title,
    "plural": plural,
    "show_date": show_date,
    "type_meaning": type_meaning,
    "confidence": confidence,
    "outlet_of": outlet_of,
}


def settings_of(request: Request) -> Any:
    return request.app.state.settings


def view_of(request: Request) -> View:
    return settings_of(request).desk.view()


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    return settings_of(request).render(request, template, **context)


Offset = Annotated[int, Query(ge=0, le=10_000_000)]


# --------------------------------------------------------------------------- overview


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    v = view_of(request)
    stats = settings_of(request).desk.store.stats()
    dated, undated = v.timeline()
    stories = [(s, story_title(v, s)) for s in dated + undated]
    top = sorted(v.entities.values(), key=lambda e: (-len(e["mentions"]), e["name"]))[:24]
    groups = [(g, [v.docs[d] for d in ids]) for g, ids in sorted(v.groups.items())]
    return render(
        request,
        "overview.html",
        stats=stats,
        documents=v.dossier["documents"][:PAGE_SIZE],
        more_documents=max(0, len(v.dossier["documents"]) - PAGE_SIZE),
        groups=groups,
        stories=stories,
        threads=[(t, v.thread_documents(t["id"])[:THREAD_EXAMPLES]) for t in v.thread_list()[:OVERVIEW_THREADS]],
        all_threads=len(v.threads),
        entities=top,
        contested=len(v.dossier["contested"]),
        sources=len(outlets.source_rows(v)),
        last_run=(settings_of(request).desk.store.runs(last=1) or [None])[-1],
    )


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, offset: Offset = 0) -> HTMLResponse:
    v = view_of(request)
    docs = v.dossier["documents"]
    return render(
        request,
        "documents.html",
        documents=docs[offset : offset + PAGE_SIZE],
        offset=offset,
        total=len(docs),
        size=PAGE_SIZE,
    )


# --------------------------------------------------------------------------- document


def document_marks(v: View, doc_id: str, hl: tuple[int, int] | None) -> list[Mark]:
    """Every span to show in a document: the requested one, events, quotes, dates, entity mentions."""
    marks: list[Mark] = []
    if hl:
        marks.append(Mark(hl[0], hl[1], "mark", "hl", anchor=span_anchor(*hl), rank=0))
    for ev in v.events_by_doc.get(doc_id, []):
        title = f"{event_line(ev, v.name)} ({ev['type']})"
        marks.append(
            Mark(ev["start"], ev["end"], "span", "event", (("title", title),), span_anchor(ev["start"], ev["end"]), 2)
        )
    for q in v.quotes_by_doc.get(doc_id, []):
        who = v.name(q.get("speaker")) or q.get("speaker_name") or "unknown speaker"
        marks.append(
            Mark(
                q["start"],
                q["end"],
                "span",
                "quote",
                (("title", f"quote: {who}"),),
                span_anchor(q["start"], q["end"]),
                3,
            )
        )
    for x in v.timexes_by_doc.get(doc_id, []):
        marks.append(
            Mark(
                x["start"],
                x["end"],
                "span",
                "timex",
                (("title", f"date: {x['value'] or 'cannot be fixed'}"),),
                span_anchor(x["start"], x["end"]),
                4,
            )
        )
    for eid, m in v.mentions_by_doc.get(doc_id, []):
        ent = v.entities[eid]
        marks.append(
            Mark(
                m["start"],
                m["end"],
                "a",
                f"ent ent-{ent['type']}",
                (("href", f"/entities/{eid}"), ("title", f"{ent['name']} ({ent['type']})")),
                span_anchor(m["start"], m["end"]),
                6,
            )
        )
    return marks


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document(
    request: Request,
    doc_id: str,
    hl: Annotated[str | None, Query(max_length=40, description="START-END: a span to highlight")] = None,
) -> HTMLResponse:
    v = view_of(request)
    d = find_document(request, v, doc_id)
    span = None
    if hl:
        try:
            span = parse_span(hl)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
        if span[1] > len(d["text"]):
            raise HTTPException(400, f"span {hl} is past the end of the text ({len(d['text'])} characters)")
    full = settings_of(request).desk.store.document(d["id"])
    raw = full.raw if full else ""
    removed = full.removed if full else []
    raw_marks = [Mark(r.start, r.end, "del", "removed", (("title", r.reason),), rank=1) for r in removed]
    ents: dict[str, int] = {}
    for eid, _ in v.mentions_by_doc.get(d["id"], []):
        ents[eid] = ents.get(eid, 0) + 1
    group = [v.docs[x] for x in v.groups.get(d.get("group") or "", []) if x != d["id"]]
    return render(
        request,
        "document.html",
        doc=d,
        text_html=highlight(d["text"], document_marks(v, d["id"], span)),
        raw_html=highlight(raw, raw_marks),
        removed=[(r, raw[r.start : r.end]) for r in removed],
        hl=span,
        hl_text=d["text"][span[0] : span[1]] if span else None,
        entities=sorted(((v.entities[e], n) for e, n in ents.items()), key=lambda x: (-x[1], x[0]["name"])),
        events=[(ev, v.story_of_event.get(ev["id"])) for ev in v.events_by_doc.get(d["id"], [])],
        lines={ev["id"]: event_line(ev, v.name) for ev in v.events_by_doc.get(d["id"], [])},
        quotes=v.quotes_by_doc.get(d["id"], []),
        timexes=v.timexes_by_doc.get(d["id"], []),
        group=group,
        thread=v.threads.get(d.get("thread") or ""),
        name=v.name,
    )


# --------------------------------------------------------------------------- entities


@router.get("/entities", response_class=HTMLResponse)
def entities(
    request: Request,
    type: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    offset: Offset = 0,
) -> HTMLResponse:
    v = view_of(request)
    rows = filter_entities(v, type, q)
    types = sorted({e["type"] for e in v.entities.values()})
    return render(
        request,
        "entities.html",
        entities=rows[offset : offset + PAGE_SIZE],
        total=len(rows),
        offset=offset,
        size=PAGE_SIZE,
        types=types,
        type=(type or "").upper(),
        q=q or "",
    )


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, entity_id: str) -> HTMLResponse:
    v = view_of(request)
    e = find("entity", v.entities, entity_id)
    contexts = []
    for m in e["mentions"][:MENTIONS_SHOWN]:
        d = v.docs.get(m["doc"])
        if d is not None:
            contexts.append((m, d, *in_context(d["text"], m["start"], m["end"])))
    events = [(ev, v.story_of_event.get(ev["id"])) for ev in v.events_of_entity.get(e["id"], [])]
    return render(
        request,
        "entity.html",
        e=e,
        aliases=[(a, e.get("merge_scores", {}).get(a)) for a in e["aliases"]],
        contexts=contexts,
        more_mentions=max(0, len(e["mentions"]) - MENTIONS_SHOWN),
        documents=len({m["doc"] for m in e["mentions"]}),
        quotes=v.quotes_of_entity.get(e["id"], []),
        events=events,
        related=v.related(e["id"]),
        docs=v.docs,
        name=v.name,
        aliases_file=settings_of(request).aliases,
    )


# --------------------------------------------------------------------------- stories and timeline


@router.get("/stories", include_in_schema=False)
def stories() -> Response:
    return RedirectResponse("/timeline", status_code=307)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: str) -> HTMLResponse:
    v = view_of(request)
    s = find("story", v.stories, story_id)
    evs = [v.events[e] for e in s["events"] if e in v.events]
    contested = {(c["claim"], c["denial"]): c for e in s["events"] for c in v.contested_of_event.get(e, [])}
    pairs = [(c, v.events.get(c["claim"]), v.events.get(c["denial"])) for c in contested.values()]
    thread_ids = dict.fromkeys(v.docs[d].get("thread") for d in s.get("documents") or [] if d in v.docs)
    told = evs + [ev for _, claim, denial in pairs for ev in (claim, denial) if ev is not None]
    story_docs = [v.docs[d] for d in s.get("documents") or [] if d in v.docs]
    return render(
        request,
        "story.html",
        s=s,
        title=story_title(v, s),
        events=evs,
        evidence={ev["id"]: evidence_sentences(v, ev) for ev in evs},
        lines={ev["id"]: event_line(ev, v.name) for ev in told},
        sources=source_entries(list(s.get("sources") or []), story_docs),
        threads=[v.threads[t] for t in thread_ids if t in v.threads],
        contested=pairs,
        docs=v.docs,
        dates=sorted((s.get("dates") or {}).items(), key=lambda kv: (-kv[1], kv[0])),
        story_of_event=v.story_of_event,
        name=v.name,
        aliases_file=settings_of(request).aliases,
    )


@router.get("/threads", response_class=HTMLResponse)
def threads(request: Request, offset: Offset = 0) -> HTMLResponse:
    v = view_of(request)
    rows = v.thread_list()
    return render(
        request,
        "threads.html",
        threads=[(t, v.thread_documents(t["id"])[:THREAD_EXAMPLES]) for t in rows[offset : offset + PAGE_SIZE]],
        offset=offset,
        total=len(rows),
        size=PAGE_SIZE,
    )


@router.get("/threads/{thread_id}", response_class=HTMLResponse)
def thread(request: Request, thread_id: str) -> HTMLResponse:
    v = view_of(request)
    t = find("thread", v.threads, thread_id)
    return render(
        request,
        "thread.html",
        t=t,
        title=thread_title(t),
        documents=v.thread_documents(t["id"]),
        stories=[(s, story_title(v, s)) for s in v.thread_stories(t["id"])],
    )


@router.get("/timeline", response_class=HTMLResponse)
def timeline(
    request: Request,
    start: Annotated[str | None, Query(alias="from", max_length=10, description="YYYY-MM-DD: zoom from")] = None,
    end: Annotated[str | None, Query(alias="to", max_length=10, description="YYYY-MM-DD: zoom to")] = None,
    show_all: Annotated[bool, Query(alias="all", description="also the stories below the display confidence")] = False,
) -> HTMLResponse:
    """The corpus's period drawn (zoomable with ``from``/``to``), background history folded apart; the
    stories below the display confidence only with ``all``."""
    v = view_of(request)
    dated, undated = v.timeline(show_all)
    focus, background = tl.split_background(v.dossier["documents"], dated)
    lo, hi = tl.parse_day(start), tl.parse_day(end)
    window = (lo, hi) if lo and hi and lo < hi else None
    zoom_pool = dated if window else focus  # zoomed in, any period can be looked at

    def title(s: Row) -> str:
        return story_title(v, s)

    return render(
        request,
        "timeline.html",
        drawing=tl.drawing(zoom_pool, title, window),
        background_drawing=tl.drawing(background, title),
        window=window,
        dated=[(s, title(s)) for s in focus],
        background=[(s, title(s)) for s in background],
        undated=[(s, title(s)) for s in undated],
        unplaced=sum(1 for s in dated if timex_bounds(s["date"]) is None),
        hidden=0 if show_all else v.hidden_stories(),
        show_all=show_all,
        threshold=display_threshold(),
    )


# --------------------------------------------------------------------------- quotes and contested


def quote_speaker(v: View, q: Row) -> tuple[str, str]:
    """(filter key, label) of a quote's speaker: the entity id and name, else the name as written."""
    if q.get("speaker") and q["speaker"] in v.entities:
        return q["speaker"], v.name(q["speaker"])
    if q.get("speaker_name"):
        return "name:" + q["speaker_name"], q["speaker_name"]
    return UNKNOWN_SPEAKER, "Unknown speaker"


@router.get("/quotes", response_class=HTMLResponse)
def quotes(
    request: Request,
    speaker: Annotated[str, Query(max_length=300)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    direct: Annotated[str, Query(max_length=5)] = "",
) -> HTMLResponse:
    """Quotes grouped by speaker (most quoted first), filtered by speaker, words and direct speech."""
    v = view_of(request)
    everyone = v.dossier["quotes"]
    counts: dict[str, tuple[str, int]] = {}
    for row in everyone:
        key, label = quote_speaker(v, row)
        counts[key] = (label, counts.get(key, (label, 0))[1] + 1)
    needle = q.casefold().strip()
    rows = [
        row
        for row in everyone
        if (not speaker or quote_speaker(v, row)[0] == speaker)
        and (not needle or needle in (row.get("text") or "").casefold())
        and (not direct or row.get("direct"))
    ]
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        d = v.docs.get(row["doc"])
        ctx = in_context(d["text"], row["start"], row["end"]) if d else ("", row.get("text") or "", "")
        grouped.setdefault(quote_speaker(v, row)[0], []).append((row, d, *ctx))
    order = sorted(grouped, key=lambda k: (k == UNKNOWN_SPEAKER, -len(grouped[k]), counts[k][0]))
    return render(
        request,
        "quotes.html",
        groups=[(counts[k][0], k, grouped[k]) for k in order],
        speakers=sorted(((k, lab, n) for k, (lab, n) in counts.items()), key=lambda x: (-x[2], x[1])),
        speaker=speaker,
        q=q,
        direct=bool(direct),
        total=len(rows),
        all_quotes=len(everyone),
        entity_ids=v.entities,
        name=v.name,
    )


def contested_side(v: View, event_id: str, span: Row | None) -> dict[str, Any]:
    """One side of a contested pair: its event in words, its sentence, document, outlet and story."""
    ev = v.events.get(event_id)
    where = span or ({"doc": ev["doc"], "start": ev["start"], "end": ev["end"]} if ev else None)
    doc = v.docs.get(where["doc"]) if where else None
    text = doc["text"][where["start"] : where["end"]] if doc and where else ""
    story_id = v.story_of_event.get(event_id)
    return {
        "event": ev,
        "line": event_line(ev, v.name) if ev else event_id,
        "span": (where | {"text": text}) if where else None,
        "doc": doc,
        "outlet": outlet_of(doc),
        "story": v.stories.get(story_id or ""),
    }


@router.get("/contested", response_class=HTMLResponse)
def contested(request: Request) -> HTMLResponse:
    """Every contested claim side by side with its denial: both spans, both sources."""
    v = view_of(request)
    pairs = []
    for c in v.dossier["contested"]:
        claim = contested_side(v, c["claim"], c.get("claim_evidence"))
        denial = contested_side(v, c["denial"], c.get("denial_evidence"))
        same = bool(claim["span"] and denial["span"] and claim["span"] == denial["span"])
        pairs.append({"claim": claim, "denial": denial, "score": c.get("score"), "same_sentence": same})
    return render(request, "contested.html", pairs=pairs)


# --------------------------------------------------------------------------- sources and changes


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request) -> HTMLResponse:
    """Every source the stories count (outlets, relayed organisations, unnamed articles): how many
    stories each covers, its documents, whom it relays and who relays it, each relay with its sentence."""
    v = view_of(request)
    rows = outlets.source_rows(v)
    titles = {s["id"]: story_title(v, s) for s in v.dossier["stories"]}
    texts = {d: doc["text"] for d, doc in v.docs.items()}
    return render(request, "sources.html", rows=rows, kinds=outlets.counts(rows), titles=titles, texts=texts)


RUNS_SHOWN = 20  # builds listed on the changes page, newest first


@router.get("/changes", response_class=HTMLResponse)
def changes_page(request: Request, since: Offset = 0) -> HTMLResponse:
    """What each build added, newest first (``?since=RUN``: only the builds after it), every line
    cited by the sentences it rests on; a citation links to its sentence while its document is held."""
    v = view_of(request)
    store = settings_of(request).desk.store
    shown = store.runs(since, last=RUNS_SHOWN)[::-1]
    more = store.count_runs(since) - len(shown)
    return render(request, "changes.html", runs=shown, more=more, since=since, kinds=KINDS, docs=v.docs)


# --------------------------------------------------------------------------- search


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    offset: Offset = 0,
) -> HTMLResponse:
    """Full-text search, alias-aware: every result links to the sentence that matched."""
    store = settings_of(request).desk.store
    v = view_of(request)
    hits = finder.find(store, v, q) if q.strip() else []
    results = [(h, snippet_html(h.snippet)) for h in hits[offset : offset + SEARCH_PAGE]]
    engine = "SQLite FTS5" if store.is_sqlite else "PostgreSQL full-text search"
    named = finder.entities_named(v, q) if q.strip() else []
    return render(
        request,
        "search.html",
        q=q,
        search_q=q,
        results=results,
        total=len(hits),
        offset=offset,
        more=len(hits) > offset + SEARCH_PAGE,
        size=SEARCH_PAGE,
        engine=engine,
        named=named,
    )


# --------------------------------------------------------------------------- API description


@router.get("/api", include_in_schema=False)
def api_root() -> Response:
    return RedirectResponse("/api/docs", status_code=307)


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The OpenAPI description as a page of our own (the stock pages would load scripts from a CDN)."""
    schema = request.app.openapi()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "type": _type_of(p.get("schema", {})),
                    "description": p.get("description") or p.get("schema", {}).get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": params,
                    "body": "requestBody" in op,
                    "tags": op.get("tags", []),
                }
            )
    return render(request, "api.html", operations=operations, info=schema.get("info", {}))


def _type_of(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"])
    bits = [schema.get("type", "any")]
    for key, sign in (("minimum", "≥"), ("maximum", "≤"), ("minLength", "len ≥"), ("maxLength", "len ≤")):
        if key in schema:
            bits.append(f"{sign} {schema[key]}")
    return " ".join(str(b) for b in bits)
