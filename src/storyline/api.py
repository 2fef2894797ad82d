"""The Python API: what the command line and the web pages call.

>>> import storyline
>>> report = storyline.build(["examples/ru-dprk-2023"], db="storyline.db")
>>> dossier = storyline.dossier("storyline.db")
>>> [d["title"] for d in dossier["documents"]][:1]
['Russia plans to conduct joint military exercises with North Korea']
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from storyline.config import BuildConfig

# The pipeline pulls in spaCy, the store SQLAlchemy, the dossier the resolver: each imported where it
# is used, so that the command line's own start (``storyline --help``) imports none of them.
if TYPE_CHECKING:
    from storyline.pipeline import BuildReport, Progress
    from storyline.store import Store

DEFAULT_DB = "storyline.db"
DEFAULT_ECBPLUS = Path("../shared/dev/ecbplus")  # the ECB+ release beside the checkout (relative to the cwd)
THREAD_EXAMPLES = 3  # documents named per thread in a listing


def open_store(db: str | Path = DEFAULT_DB, *, readonly: bool = False) -> Store:
    """Open (and migrate) a store: a SQLite file path or a database URL."""
    from storyline.store import Store

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
    from storyline.export.dossier import build_dossier

    return build_dossier(store.documents(with_raw=False), store.analyses(), store.resolution())


def analysis_gap(store: Store) -> str | None:
    """A one-line warning when some documents are not analysed by this storyline's extractors (a build
    stopped half way, built with --no-nlp, or older than this version); None when every one is."""
    from storyline.nlp.analyze import ANALYSIS_VERSION

    ids = store.document_ids()
    missing = len(set(ids) - store.analysed_any(ANALYSIS_VERSION))
    if not missing:
        return None
    return (
        f"{missing} of {len(ids)} documents are not analysed by this version of storyline (a build stopped, "
        "or --no-nlp), so they are missing below or analysed by an older one: run 'storyline build' again"
    )


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
    """Write the store in ``fmt`` to ``out`` (a file, or a folder for ``csv``), each file whole or not
    at all (:mod:`storyline.export.files`: a problem writing is an ExportError naming the file).

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
    if fmt == "csv":
        from storyline.export.csv import write_csv

        write_csv(data, target)
        return target
    from storyline.export.files import replaced

    with replaced(target) as part:  # written whole beside the target, then renamed over it
        if fmt == "json":
            part.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        elif fmt in ("graphml", "gexf"):
            from storyline.export.graph import write_graph

            write_graph(data, part, fmt, sentences)
        elif fmt == "timelinejs":
            from storyline.export.timelinejs import timelinejs

            part.write_text(json.dumps(timelinejs(data), ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            from storyline.export.ftm import write_ftm

            write_ftm(data, part)
    return target


# --------------------------------------------------------------------------- threads


@dataclass(slots=True)
class ThreadSummary:
    """One thread as a listing shows it: dates, size, membership score, label terms, a few documents."""

    id: str
    start: str | None
    end: str | None
    documents: int
    score: float
    terms: list[str]
    examples: list[tuple[str, str]] = field(default_factory=list)  # (title, outlet) of its first documents


def thread_summaries(store: Store, examples: int = THREAD_EXAMPLES) -> list[ThreadSummary]:
    """Every thread of the store in date order (first publication date, undated threads last).

    Each names its first ``examples`` documents by publication date: their title (or file name) and
    outlet (the site, else the file name).
    """
    docs = {d.id: d for d in store.documents(with_raw=False)}
    out = []
    for t in store.resolution().threads:
        members = sorted((docs[d] for d in t.documents if d in docs), key=lambda d: (d.published or "9999", d.id))
        named = [(d.title or PurePath(d.source).name, d.site or PurePath(d.source).name) for d in members[:examples]]
        out.append(
            ThreadSummary(
                id=t.id,
                start=t.start,
                end=t.end,
                documents=len(t.documents),
                score=t.score,
                terms=list(t.terms),
                examples=named,
            )
        )
    out.sort(key=lambda s: (s.start or "9999", s.end or "9999", s.id))
    return out


def threads(db: str | Path = DEFAULT_DB) -> list[ThreadSummary]:
    """The threads of ``db`` in date order (see :func:`thread_summaries`)."""
    with open_store(db, readonly=True) as store:
        return thread_summaries(store)


# --------------------------------------------------------------------------- evaluation


def check_ecbplus(corpus: Path) -> None:
    """Raise ``FileNotFoundError`` (one line, saying what is expected) unless ``corpus`` holds ECB+."""
    from storyline.evaluation.ecbplus import COREF_SENTENCES_CSV

    if not corpus.is_dir():
        raise FileNotFoundError(f"no ECB+ corpus at {corpus}: give --corpus DIR (the ECB+ folder with xml/)")
    for part in ("xml", COREF_SENTENCES_CSV):
        if not (corpus / part).exists():
            raise FileNotFoundError(f"{corpus} is not the ECB+ release: it has no {part}")


def eval_ecbplus(
    corpus: Path = DEFAULT_ECBPLUS,
    model: str | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> str:
    """Cross-document event coreference on ECB+, leave one topic out; the per-topic Markdown table.

    Every article is parsed and analysed as a build does; for each topic the scorer is fitted on the
    others and the topic is scored (MUC, B³, CEAF-e, CoNLL F1, beside the same-lemma baseline).
    ``progress`` gets one line per step. Raises ``FileNotFoundError`` when ``corpus`` is not ECB+.
    """
    from storyline.evaluation.ecb_events import leave_one_topic_out, prepare, table

    check_ecbplus(corpus)
    progress(f"parsing and analysing ECB+ at {corpus}")
    prep = prepare(corpus, model)
    progress(f"{len(prep.mentions)} gold event mentions in {len(prep.topics)} topics; leaving one topic out at a time")
    return table(leave_one_topic_out(prep, progress=progress))


def eval_threads(db: str | Path, gold: Path) -> str:
    """Leave-one-topic-out B³ of the thread model on a built store of annotated documents.

    Runs the threads trainer (:mod:`storyline.resolve.models.train_threads`) with its output sent to
    a temporary file, so the shipped ``threads.json`` is left alone; returns the table it prints.
    """
    from storyline.resolve.models import train_threads

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "threads.json"
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            train_threads.main(["--db", str(db), "--gold", str(gold), "-o", str(out)])
    return "\n".join(line for line in printed.getvalue().splitlines() if not line.startswith("wrote "))
