"""Writes, off unless the server has a token: upload files to ingest, merge or split entities and stories.

A merge or a split is written to the same alias file the command line reads
(``storyline build --aliases FILE``: lists ``merge`` and ``keep_apart`` of entity names at the top,
and of event ids under ``stories:``), then the corpus stage runs again, so the web and the CLI can
never disagree about who is who or which reports tell one event. Each write keeps the rest of the file.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from pydantic import BaseModel, Field

router = APIRouter(prefix="/api", tags=["write (needs STORYLINE_TOKEN)"])

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # per file: a big WARC is fine, a disk-filler is not
MAX_UPLOAD_FILES = 200
_WRITE_LOCK = threading.Lock()  # one write at a time: a build and a resolve must not interleave
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class NamesBody(BaseModel):
    """Entities to merge or keep apart, by name (as in the alias file) or by entity id."""

    names: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(default_factory=list, max_length=50)
    entities: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list, max_length=50)


def check_token(request: Request) -> Any:
    """The settings, when this request may write; 403 when writes are off, 401 without the token."""
    settings = request.app.state.settings
    if not settings.writable:
        raise HTTPException(403, "writes are off: start the server with STORYLINE_TOKEN set to allow them")
    if not settings.authorised(request):
        raise HTTPException(
            401, "this write needs the header 'Authorization: Bearer <STORYLINE_TOKEN>'", {"WWW-Authenticate": "Bearer"}
        )
    return settings


def safe_filename(name: str | None) -> str:
    """The last path part of an uploaded file's name, reduced to harmless characters."""
    base = Path((name or "").replace("\\", "/")).name
    base = _SAFE_NAME.sub("_", base).strip("._")
    return base[:120] or "upload"


@router.post("/upload", summary="Upload files to ingest and analyse (needs the token).")
def upload(request: Request, files: Annotated[list[UploadFile], File(description="News files.")]) -> dict[str, Any]:
    settings = check_token(request)
    if not files:
        raise HTTPException(400, "no files uploaded")
    if len(files) > MAX_UPLOAD_FILES:
        raise HTTPException(413, f"at most {MAX_UPLOAD_FILES} files per upload")
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    for f in files:
        data = f.file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise HTTPException(413, f"{safe_filename(f.filename)}: larger than {MAX_UPLOAD_BYTES // 2**20} MB")
        if not data:
            raise HTTPException(400, f"{safe_filename(f.filename)}: empty file")
        digest = hashlib.sha256(data).hexdigest()[:12]
        path = settings.upload_dir / f"{digest}_{safe_filename(f.filename)}"
        path.write_bytes(data)
        saved.append(path)
    from storyline.pipeline import build  # the NLP stack loads only when someone uploads

    with _WRITE_LOCK:
        report = build(saved, settings.desk.store, settings.build_config())
        settings.desk.invalidate()
    out = asdict(report)
    out["saved"] = [p.name for p in saved]
    return out


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
