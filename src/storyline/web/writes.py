"""Writes, off unless the server has a token: upload files to ingest, merge or split entities and stories.

A merge or a split is written to the same alias file the command line reads
(``storyline build --aliases FILE``: lists ``merge`` and ``keep_apart`` of entity names at the top,
and of event ids under ``stories:``), then the corpus stage runs again, so the web and the CLI can
never disagree about who is who or which reports tell one event. Each write keeps the rest of the file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import anyio
import yaml
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.web.uploads import FILE_FIELD, Received, UploadRefused, receive_files

router = APIRouter(prefix="/api", tags=["write (needs STORYLINE_TOKEN)"])

_WRITE_LOCK = threading.Lock()  # one write at a time: a build and a resolve must not interleave


class NamesBody(BaseModel):
    """Entities to merge or keep apart, by name (as in the alias file) or by entity id."""

    names: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(default_factory=list, max_length=50)
    entities: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list, max_length=50)


def _refusal(settings: Any, request: Request) -> HTTPException | None:
    """Why ``request`` may not write, from its headers alone: 403 when writes are off, 401 without the token."""
    if not settings.writable:
        return HTTPException(403, "writes are off: start the server with STORYLINE_TOKEN set to allow them")
    if not settings.authorised(request):
        return HTTPException(
            401, "this write needs the header 'Authorization: Bearer <STORYLINE_TOKEN>'", {"WWW-Authenticate": "Bearer"}
        )
    return None


def check_token(request: Request) -> Any:
    """The settings, when this request may write; 403 when writes are off, 401 without the token."""
    settings = request.app.state.settings
    refusal = _refusal(settings, request)
    if refusal is not None:
        raise refusal
    return settings


class WriteGate:
    """Pure ASGI, in front of the app: a request to a write route is authorised from its headers
    before one byte of its body is read (FastAPI would parse a body before any dependency runs).

    An upload then goes on to its route, which streams the files in within their limits; any other
    write's JSON body is read here, up to ``max_json_bytes`` (413 past it), and handed on.
    """

    def __init__(self, app: ASGIApp, settings: Any) -> None:
        self.app = app
        self.settings = settings
        self.paths = {route.path for route in router.routes if isinstance(route, APIRoute)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        refusal = _refusal(self.settings, Request(scope))
        if refusal is None and not scope["path"].endswith("/upload"):
            body, refusal = await self._json_body(scope, receive)
            receive = _replay(body)
        if refusal is not None:
            answer = {"error": refusal.detail, "status": refusal.status_code}
            response = JSONResponse(answer, refusal.status_code, headers=refusal.headers)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _json_body(self, scope: Scope, receive: Receive) -> tuple[bytes, HTTPException | None]:
        limit = self.settings.desk_config.max_json_bytes
        too_big = HTTPException(413, f"a write's body is at most {limit} bytes (max_json_bytes)")
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return b"", too_big
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return bytes(body), HTTPException(400, "the client went away before the body was complete")
            body += message.get("body", b"")
            if len(body) > limit:
                return b"", too_big
            if not message.get("more_body", False):
                return bytes(body), None


def _replay(body: bytes) -> Receive:
    """A ``receive`` that gives ``body`` once, then waits for the client to go away, as a server's does."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await anyio.sleep_forever()
        return {"type": "http.disconnect"}  # pragma: no cover

    return receive


_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [FILE_FIELD],
                "properties": {FILE_FIELD: {"type": "array", "items": {"type": "string", "format": "binary"}}},
            }
        }
    },
}


@router.post(
    "/upload",
    summary="Upload files to ingest and analyse (needs the token).",
    description=(
        "News files in the multipart field `files`. The token is checked before the body is read. "
        "200 when every file was stored; 413 when a file is over `max_upload_bytes` (the others are stored) "
        "or the whole upload over `max_request_bytes` (nothing is stored); 422 when a file is empty or could "
        "not be read (the others are stored). The answer lists what was saved and every problem."
    ),
    openapi_extra={"requestBody": _UPLOAD_BODY},
)
async def upload(request: Request) -> Response:
    """Authorise from the headers, then stream the files in (:mod:`storyline.web.uploads`), then build them.

    The route declares no body, so FastAPI reads none: a request without the token is answered
    before a byte of its body is read.
    """
    settings = check_token(request)
    try:
        got = await receive_files(request, settings.upload_dir, settings.desk_config)
    except UploadRefused as exc:
        raise HTTPException(exc.status, exc.message) from None
    report = await run_in_threadpool(_build_uploads, settings, [path for _, path in got.kept])
    return _upload_answer(settings, got, report)


def _build_uploads(settings: Any, paths: list[Path]) -> Any:
    """Run the build on the kept files (the same build the command line runs), one writer at a time."""
    if not paths:
        return None
    from storyline.errors import StorylineError
    from storyline.pipeline import build  # the NLP stack loads only when someone uploads a file to keep
    from storyline.store import StoreError

    with _WRITE_LOCK:
        try:
            report = build([p.resolve() for p in paths], settings.desk.store, settings.build_config())
        except (StorylineError, StoreError) as exc:  # a busy or read-only store, a broken alias file
            raise HTTPException(409, _encodable(str(exc))) from None
        finally:
            settings.desk.invalidate()
    return report


def _encodable(line: str) -> str:
    """``line`` as text a JSON answer can encode (a lone surrogate written as ``\\udcff``)."""
    return line.encode("utf-8", errors="backslashreplace").decode("utf-8")


def _upload_answer(settings: Any, got: Received, report: Any) -> Response:
    """The build's report with the client's file names (never the server's paths) and every problem.

    200 when every file was stored; else 413 (a file over the size limit) or 422, with one line
    saying what was not stored and what was.
    """
    out: dict[str, Any] = asdict(report) if report is not None else {"documents_added": 0, "errors": []}
    folder = str(settings.upload_dir.resolve()) + "/"
    errors = [_encodable(line.replace(folder, "")) for line in out.get("errors", [])]
    for name, path in got.kept:  # a kept file is named by the client's name in every line about it
        errors = [line.replace(path.name, name) for line in errors]
    out["errors"] = errors
    out["saved"] = [path.name for _, path in got.kept]
    out["refused"] = [{"file": name, "reason": reason} for name, reason in got.refused]
    problems = [f"{name}: {reason}" for name, reason in got.refused] + errors
    if not problems:
        return JSONResponse(out)
    status = 413 if got.too_large else 422
    stored = out.get("documents_added", 0)
    listed = "; ".join(problems)
    out["error"] = (
        f"{len(problems)} problem{'s' if len(problems) > 1 else ''}: {listed} ({stored} new documents stored)"
    )
    out["status"] = status
    return JSONResponse(out, status)


def _names(request: Request, body: NamesBody) -> list[str]:
    view = request.app.state.settings.desk.view()
    names = [view.entities[n]["name"] if n in view.entities else n for n in body.names]
    for eid in body.entities:
        if eid not in view.entities:
            raise HTTPException(404, f"no entity {eid!r}")
        names.append(view.entities[eid]["name"])
    names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if len(names) < 2:
        raise HTTPException(400, "give at least two different names or entity ids")
    return names


def _load_rules(path: Path) -> dict[str, Any]:
    """The alias file as a mapping (empty when it does not exist yet); 409 when it is something else."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    if data is not None and not isinstance(data, dict):
        raise HTTPException(409, f"{path}: not an alias file (expected the keys merge, keep_apart and stories)")
    return dict(data or {})


def _save_rules(path: Path, data: dict[str, Any]) -> None:
    """Replace the alias file in one step (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tmp.replace(path)


def _add_rule(
    section: dict[str, Any], add: str, items: list[str], fold: Callable[[str], str]
) -> dict[str, list[list[str]]]:
    """``merge`` and ``keep_apart`` of ``section`` with one rule added and the opposite rules it contradicts
    dropped (items compared after ``fold``)."""
    rules = {"merge": list(section.get("merge") or []), "keep_apart": list(section.get("keep_apart") or [])}
    other = "keep_apart" if add == "merge" else "merge"
    wanted = {fold(x) for x in items}
    if add == "merge":  # a keep-apart rule whose items are now all merged is void
        rules[other] = [r for r in rules[other] if not {fold(x) for x in r} <= wanted]
    else:  # a merge rule holding two items now kept apart is void
        rules[other] = [r for r in rules[other] if len({fold(x) for x in r} & wanted) < 2]
    if not any({fold(x) for x in r} == wanted for r in rules[add]):
        rules[add].append(items)
    return rules


def _update_aliases(path: Path, add: str, names: list[str]) -> dict[str, list[list[str]]]:
    """Add an entity ``merge`` or ``keep_apart`` rule (names compared case-blind), keeping the story rules."""
    data = _load_rules(path)
    rules = _add_rule(data, add, names, str.casefold)
    _save_rules(path, data | rules)
    return rules


def _update_story_rules(path: Path, add: str, events: list[str]) -> dict[str, list[list[str]]]:
    """Add a ``stories:`` ``merge`` or ``keep_apart`` rule of event ids, keeping the entity rules."""
    data = _load_rules(path)
    section = data.get("stories")
    if section is not None and not isinstance(section, dict):
        raise HTTPException(409, f"{path}: 'stories' is not a mapping (expected the keys merge and keep_apart)")
    rules = _add_rule(section or {}, add, events, str)
    _save_rules(path, data | {"stories": (section or {}) | rules})
    return rules


def _apply(request: Request, body: NamesBody, add: str) -> dict[str, Any]:
    settings = check_token(request)
    if settings.aliases is None:
        raise HTTPException(409, "no alias file: start the server with --aliases FILE to merge or split entities")
    names = _names(request, body)
    rules = _write_and_resolve(settings, lambda: _update_aliases(settings.aliases, add, names))
    return {"rule": add, "names": names, "aliases": str(settings.aliases), "rules": rules}


def _write_and_resolve(settings: Any, write: Any) -> Any:
    """Write a rule to the alias file and run the corpus stage again, one writer at a time."""
    from storyline.pipeline import run_resolve

    with _WRITE_LOCK:
        rules = write()
        run_resolve(settings.desk.store, settings.build_config())
        settings.desk.invalidate()
    return rules


@router.post("/entities/merge", summary="Merge entities (written to the alias file; needs the token).")
def merge(request: Request, body: NamesBody) -> dict[str, Any]:
    return _apply(request, body, "merge")


@router.post("/entities/split", summary="Keep names apart (written to the alias file; needs the token).")
def split(request: Request, body: NamesBody) -> dict[str, Any]:
    return _apply(request, body, "keep_apart")


class StoriesBody(BaseModel):
    """Stories to merge (story ids, or event ids of their reports), or events to keep apart (event ids)."""

    stories: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list, max_length=50)
    events: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list, max_length=50)


def _event_ids(request: Request, body: StoriesBody) -> list[str]:
    """One event id per story given (its first event) and every event id given; 404 for an unknown id."""
    view = request.app.state.settings.desk.view()
    ids = []
    for sid in body.stories:
        story = view.stories.get(sid)
        if story is None:
            raise HTTPException(404, f"no story {sid!r} (list them at /api/stories)")
        first = next((e for e in story["events"] if e in view.events), None)
        if first is None:
            raise HTTPException(409, f"story {sid!r} has no events left to merge")
        ids.append(first)
    for eid in body.events:
        if eid not in view.events:
            raise HTTPException(404, f"no event {eid!r} (a story's events are listed at /api/stories/ID)")
        ids.append(eid)
    ids = list(dict.fromkeys(ids))
    if len(ids) < 2:
        raise HTTPException(400, "give at least two different stories or events")
    return ids


def _apply_story_rule(request: Request, body: StoriesBody, add: str) -> dict[str, Any]:
    settings = check_token(request)
    if settings.aliases is None:
        raise HTTPException(409, "no alias file: start the server with --aliases FILE to merge or split stories")
    if add == "keep_apart" and body.stories:
        raise HTTPException(400, "a split keeps events apart: give the event ids (not story ids) under 'events'")
    events = _event_ids(request, body)
    rules = _write_and_resolve(settings, lambda: _update_story_rules(settings.aliases, add, events))
    return {"rule": add, "events": events, "aliases": str(settings.aliases), "rules": rules}


@router.post("/stories/merge", summary="Merge stories, by story or event id (into the alias file; needs the token).")
def merge_stories(request: Request, body: StoriesBody) -> dict[str, Any]:
    return _apply_story_rule(request, body, "merge")


@router.post("/stories/split", summary="Keep events out of one story (written to the alias file; needs the token).")
def split_stories(request: Request, body: StoriesBody) -> dict[str, Any]:
    return _apply_story_rule(request, body, "keep_apart")
