"""The Python API: what the command line and the web pages call.

>>> import storyline
>>> report = storyline.build(["examples/ru-dprk-2023"], db="storyline.db")
>>> dossier = storyline.dossier("storyline.db")
>>> [d["title"] for d in dossier["documents"]][:1]
['Russia plans to conduct joint military exercises with North Korea']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from storyline.config import BuildConfig
from storyline.export.dossier import build_dossier
from storyline.pipeline import BuildReport, Progress, _nothing
from storyline.pipeline import build as _build
from storyline.store import Store

DEFAULT_DB = "storyline.db"


def open_store(db: str | Path = DEFAULT_DB, *, readonly: bool = False) -> Store:
    """Open (and migrate) a store: a SQLite file path or a database URL."""
    return Store(db, readonly=readonly)


def build(
    paths: Iterable[str | Path],
    db: str | Path = DEFAULT_DB,
    *,
    config: BuildConfig | None = None,
    progress: Progress = _nothing,
    on_error: Callable[[str], None] = lambda line: None,
) -> BuildReport:
    """Ingest files and folders into ``db`` and run every stage on what is new.

    Re-running on the same folder reads only new or changed files; a run that was killed
    resumes where it stopped. Bad files are reported through ``on_error`` and skipped.
    """
    with open_store(db) as store:
        return _build(paths, store, config, progress=progress, on_error=on_error)


def dossier(db: str | Path = DEFAULT_DB) -> dict[str, Any]:
    """The whole dossier (``storyline.dossier/1``) as a dict."""
    with open_store(db, readonly=True) as store:
        return dossier_of(store)


def dossier_of(store: Store) -> dict[str, Any]:
    return build_dossier(store.documents(with_raw=False), store.analyses(), store.resolution())


EXPORT_FORMATS = ("json",)


def export(db: str | Path, fmt: str = "json", out: str | Path | None = None) -> Path:
    """Write the store in ``fmt`` to ``out`` (a file, or a folder for multi-file formats)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    target = Path(out or f"dossier.{fmt}")
    data = dossier(db)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return target
