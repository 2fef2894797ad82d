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
from typing import TYPE_CHECKING, Any

from storyline.config import BuildConfig
from storyline.export.dossier import build_dossier
from storyline.store import Store

if TYPE_CHECKING:  # the pipeline pulls in spaCy: imported when a build runs, not to read a store
    from storyline.pipeline import BuildReport, Progress

DEFAULT_DB = "storyline.db"


def open_store(db: str | Path = DEFAULT_DB, *, readonly: bool = False) -> Store:
    """Open (and migrate) a store: a SQLite file path or a database URL."""
    return Store(db, readonly=readonly)


def build(
    paths: Iterable[str | Path],
    db: str | Path = DEFAULT_DB,
    *,
    config: BuildConfig | None = None,
    progress: Progress | None = None,
    on_error: Callable[[str], None] = lambda line: None,
) -> BuildReport:
    """Ingest files and folders into ``db`` and run every stage on what is new.

    Re-running on the same folder reads only new or changed files; a run that was killed
    resumes where it stopped. Bad files are reported through ``on_error`` and skipped.
    """
    from storyline.pipeline import _nothing
    from storyline.pipeline import build as run_build

    with open_store(db) as store:
        return run_build(paths, store, config, progress=progress or _nothing, on_error=on_error)


def dossier(db: str | Path = DEFAULT_DB) -> dict[str, Any]:
    """The whole dossier (``storyline.dossier/1``) as a dict."""
    with open_store(db, readonly=True) as store:
        return dossier_of(store)


def dossier_of(store: Store) -> dict[str, Any]:
    return build_dossier(store.documents(with_raw=False), store.analyses(), store.resolution())


EXPORT_FORMATS = ("json", "csv", "graphml", "gexf", "timelinejs", "ftm")
EXPORT_SUFFIX = {
    "json": ".json",
    "csv": "",
    "graphml": ".graphml",
    "gexf": ".gexf",
    "timelinejs": ".timeline.json",
    "ftm": ".ftm.json",
}


def export(db: str | Path, fmt: str = "json", out: str | Path | None = None) -> Path:
    """Write the store in ``fmt`` to ``out`` (a file, or a folder for ``csv``).

    json: the dossier (``storyline schema``); csv: one table per kind of record; graphml / gexf:
    the entity network for Gephi; timelinejs: TimelineJS 3 slides; ftm: FollowTheMoney entities
    (JSON lines) for Aleph.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    target = Path(out or f"dossier{EXPORT_SUFFIX[fmt]}")
    with open_store(db, readonly=True) as store:
        data = dossier_of(store)
        sentences = {a.doc: list(a.sentences) for a in store.analyses()} if fmt in ("graphml", "gexf") else None
    if fmt == "json":
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "csv":
        from storyline.export.csv import write_csv

        write_csv(data, target)
    elif fmt in ("graphml", "gexf"):
        from storyline.export.graph import write_graph

        write_graph(data, target, fmt, sentences)
    elif fmt == "timelinejs":
        from storyline.export.timelinejs import timelinejs

        target.write_text(json.dumps(timelinejs(data), ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        from storyline.export.ftm import write_ftm

        write_ftm(data, target)
    return target
