"""Writes, off unless the server has a token: upload files to ingest, merge or split entities.

A merge or a split is written to the same alias file the command line reads
(``storyline build --aliases FILE``: lists ``merge`` and ``keep_apart`` of name lists), then the
corpus stage runs again, so the web and the CLI can never disagree about who is who.
"""

from __future__ import annotations

import hashlib
import re
import threading
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


def _update_aliases(path: Path, add: str, names: list[str]) -> dict[str, list[list[str]]]:
    """Add a ``merge`` or ``keep_apart`` rule, dropping the opposite rules it contradicts."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    if data is not None and not isinstance(data, dict):
        raise HTTPException(409, f"{path}: not an alias file (expected the keys merge and keep_apart)")
    rules = {"merge": list((data or {}).get("merge") or []), "keep_apart": list((data or {}).get("keep_apart") or [])}
    other = "keep_apart" if add == "merge" else "merge"
    wanted = {n.casefold() for n in names}
    if add == "merge":  # a keep-apart rule whose names are now all merged is void
        rules[other] = [r for r in rules[other] if not {n.casefold() for n in r} <= wanted]
    else:  # a merge rule holding two names now kept apart is void
        rules[other] = [r for r in rules[other] if len({n.casefold() for n in r} & wanted) < 2]
    if not any({n.casefold() for n in r} == wanted for r in rules[add]):
        rules[add].append(names)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tmp.replace(path)
    return rules


def _apply(request: Request, body: NamesBody, add: str) -> dict[str, Any]:
    settings = check_token(request)
    if settings.aliases is None:
        raise HTTPException(409, "no alias file: start the server with --aliases FILE to merge or split entities")
    names = _names(request, body)
    from storyline.pipeline import run_resolve

    with _WRITE_LOCK:
        rules = _update_aliases(settings.aliases, add, names)
        run_resolve(settings.desk.store, settings.build_config())
        settings.desk.invalidate()
    return {"rule": add, "names": names, "aliases": str(settings.aliases), "rules": rules}


@router.post("/entities/merge", summary="Merge entities (written to the alias file; needs the token).")
def merge(request: Request, body: NamesBody) -> dict[str, Any]:
    return _apply(request, body, "merge")


@router.post("/entities/split", summary="Keep names apart (written to the alias file; needs the token).")
def split(request: Request, body: NamesBody) -> dict[str, Any]:
    return _apply(request, body, "keep_apart")
