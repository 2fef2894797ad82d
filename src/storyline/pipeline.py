"""Runs the stages in order: ingest → clean → copies → nlp → resolve, batch by batch.

Every batch is committed in its own transaction, so a run killed half way keeps what it
committed, and the next run skips unchanged files and documents already analysed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sqlite3
import time
from collections import Counter, deque
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, overload

from spacy.language import Language
from sqlalchemy import Connection
from sqlalchemy.exc import DataError

from storyline import changes, clean
from storyline.clean.header import parse_header
from storyline.clean.language import reading
from storyline.clean.recurring import page_key, page_lines
from storyline.config import BuildConfig, check_aliases
from storyline.copies import band_keys, copy_groups, fingerprint
from storyline.errors import UnreadableParse, bug, error_line
from storyline.ingest import ReadStats, file_sha256, read_file, walk_file_names
from storyline.ingest.html import host_of
from storyline.ingest.normalise import UNSTORABLE, display_path, normalise_record, usable_url
from storyline.model import Analysis, Document, IngestError, RawRecord, document_id
from storyline.nlp.analyze import ANALYSIS_VERSION, EXTRACTOR_VERSIONS, analyze_stored, parse_and_analyze
from storyline.nlp.model import load_pipeline, model_fingerprint
from storyline.nlp.versions import stale_extractors
from storyline.resolve import resolve
from storyline.resolve.aliases import AliasRules
from storyline.resolve.names import TOKENS_VERSION, TokenCache
from storyline.resolve.stories import StoryRules
from storyline.store import Store

# Where a publication date came from, most trusted first (the order of trust).
DATE_TRUST = ["header", "html-meta", "record", "url", "dateline"]
MIN_SITE_DOCS = 2  # a line in this many different pages of one site is that site's boilerplate
# With --workers N, commit batches parsed ahead of the one being stored: the workers keep going while this
# process reads and writes (2 batches of config.nlp_commit documents keep 8 tasks queued for two workers).
PARSE_AHEAD = 2

Progress = Callable[[str, int, int | None], None]  # (stage, done, total)


@dataclass(slots=True)
class BuildReport:
    files: int = 0
    unchanged: int = 0
    read: int = 0
    failed: int = 0
    documents_added: int = 0
    copies_folded: int = 0
    analysed: int = 0
    recleaned: int = 0  # stored files read again: their boilerplate changed, or a copy of theirs did
    documents_removed: int = 0  # documents that left the dossier (kept in the store as history)
    files_removed: list[tuple[str, int]] = field(default_factory=list)  # (gone file, documents it took away)
    files_replaced: list[tuple[str, int]] = field(default_factory=list)  # (edited file, documents replaced)
    replaced_chars: int = 0  # lone surrogates and NULs replaced at the door (see ingest.normalise)
    errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # time spent per stage

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - t0

    @property
    def ok(self) -> bool:
        return not self.errors


def _nothing(stage: str, done: int, total: int | None) -> None:
    pass


def build(
    paths: Iterable[str | Path],
    store: Store,
    config: BuildConfig | None = None,
    *,
    progress: Progress = _nothing,
    on_error: Callable[[str], None] = lambda line: None,
) -> BuildReport:
    """Ingest new or changed files, then analyse and resolve what is not done yet.

    The aliases file is checked before anything is read (:class:`SettingsError` when it is
    missing, broken or has unknown keys), so a bad one never costs a whole build. One build at a
    time per store: a second raises :class:`StoreBusy` before it changes anything.
    """
    config = config or BuildConfig()
    if config.aliases is not None:
        check_aliases(config.aliases)
    with store.build_lock():
        before = changes.snapshot(store)
        report = _build(paths, store, config, progress, on_error)
        changes.record_run(store, before, report)  # what this build added, for `storyline changes`
        return report


def _build(
    paths: Iterable[str | Path],
    store: Store,
    config: BuildConfig,
    progress: Progress,
    on_error: Callable[[str], None],
) -> BuildReport:
    report = BuildReport()
    paths = list(paths)
    problems: list[IngestError] = []
    files = FoundFiles(walk_file_names(paths, problems))  # in a scratch database: a build may find 100,000
    report.files = len(files)
    for problem in problems:
        report.failed += 1
        _report(report, problem, on_error)
    gone = [] if config.keep_missing else missing_files(paths, files, store.file_states())
    with document_stages(config, report, store) as stages:
        ingest_files(files, store, config, report, progress, on_error, stages, gone=gone)
    changed = report.documents_added or report.documents_removed
    if changed or store.get_meta("groups_for") != str(store.count_documents()):
        progress("copies", 0, None)
        with report.timed("copies"):
            candidates = store.band_pairs((doc, band_keys(sig)) for doc, sig in store.fingerprints())
            paired = sorted({doc for pair in candidates for doc in pair})  # set_groups clears the others' groups
            groups = copy_groups(paired, candidates, store.texts)
            store.set_groups(groups)
        with store.transaction() as conn:
            store.set_meta(conn, "groups_for", str(store.count_documents()))
    if config.analyse:
        with report.timed("nlp"):
            report.analysed += analyse(store, config, progress, lambda line: _report(report, line, on_error))
        progress("resolve", 0, None)
        with report.timed("resolve"):
            run_resolve(store, config)
    elif report.documents_removed and store.has_resolution():  # what left leaves the corpus stage's results
        with report.timed("resolve"):
            run_resolve(store, config)
    return report


def missing_files(
    paths: Iterable[str | Path], listed: Container[str], states: dict[str, tuple[int, int, str, str]]
) -> list[str]:
    """The stored files this build removes: under one of ``paths`` (a folder given, or the file
    itself), not ``listed`` (the stored keys of the files found there), and gone from the disk.

    A file outside the given paths is never removed (one store holds folders built at different
    times), nor one that is still there but could not be listed (an unreadable folder), nor one
    whose documents were removed already. A given path that does not exist removes nothing.
    """
    scopes = []
    for given in paths:
        p = Path(given)
        if p.exists():
            key = display_path(_resolved(p))
            scopes.append((key, key.rstrip("/") + "/" if p.is_dir() else None))
    out = []
    for key, (_size, _mtime, _sha, status) in sorted(states.items()):
        if status == "removed" or key in listed:
            continue
        if any(key == exact or (folder and key.startswith(folder)) for exact, folder in scopes) and _vanished(key):
            out.append(key)
    return out


def _vanished(key: str) -> bool:
    """Whether nothing is at this stored path any more (a path that cannot be looked at is not gone)."""
    try:
        os.lstat(key)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except (OSError, ValueError):
        return False
    return False


def _report(report: BuildReport, error: str | IngestError, on_error: Callable[[str], None]) -> None:
    """Count and pass on one error line (an :class:`ErrorLine`, holding the exception behind it)."""
    line = error_line(error)
    report.errors.append(line)
    on_error(line)


# --------------------------------------------------------------------------- ingest + clean


FileEntry = tuple[str | Path, str, int, int, str]  # path (a string from a build), stored key, size, mtime_ns, sha256
SCRATCH_ROWS = 1_000  # rows read back from a scratch database at a time


def _scratch(schema: str) -> sqlite3.Connection:
    """A private temporary SQLite database (``sqlite3.connect("")``) with ``schema``: its pages stay in a
    cache of about 2 MB and spill to a temporary file, deleted when it is closed. What a build lists per
    file is kept in one, so the build's memory does not grow with the number of files."""
    db = sqlite3.connect("")
    db.executescript(schema)
    return db


class FoundFiles:
    """The files a build found, each once (by its stored key: ``display_path`` of the resolved path),
    in the order found, kept in a scratch database: iterating gives their names a chunk at a time,
    ``key in found`` asks whether one was found."""

    def __init__(self, names: Iterable[str]) -> None:
        self.db = _scratch("CREATE TABLE found (n INTEGER PRIMARY KEY, name BLOB NOT NULL, key TEXT NOT NULL UNIQUE)")
        rows = ((os.fsencode(name), display_path(_resolved(Path(name)))) for name in names)
        self.db.executemany("INSERT OR IGNORE INTO found (name, key) VALUES (?, ?)", rows)
        self.count: int = self.db.execute("SELECT count(*) FROM found").fetchone()[0]

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        rows = self.db.execute("SELECT name FROM found ORDER BY n")
        while chunk := rows.fetchmany(SCRATCH_ROWS):
            yield from (os.fsdecode(name) for (name,) in chunk)

    def __contains__(self, key: object) -> bool:
        return self.db.execute("SELECT 1 FROM found WHERE key = ?", (key,)).fetchone() is not None


class Entries(Sequence[FileEntry]):
    """Files to read, in the order added, kept in a scratch database; a slice is read back as a list,
    so the stages take their batches from it without the whole list ever being in memory."""

    def __init__(self, entries: Iterable[FileEntry] = ()) -> None:
        self.db = _scratch(
            "CREATE TABLE entries (n INTEGER PRIMARY KEY, path BLOB NOT NULL, key TEXT NOT NULL,"
            " size INTEGER NOT NULL, mtime INTEGER NOT NULL, sha TEXT NOT NULL)"
        )
        self.count = 0
        self.extend(entries)

    def extend(self, entries: Iterable[FileEntry]) -> None:
        rows = ((os.fsencode(path), key, size, mtime, sha) for path, key, size, mtime, sha in entries)
        self.db.executemany("INSERT INTO entries (path, key, size, mtime, sha) VALUES (?, ?, ?, ?, ?)", rows)
        self.count = self.db.execute("SELECT count(*) FROM entries").fetchone()[0]

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> FileEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[FileEntry]: ...
    def __getitem__(self, index: int | slice) -> FileEntry | list[FileEntry]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self.count)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return self._rows(start, stop)
        i = index + self.count if index < 0 else index
        if not 0 <= i < self.count:
            raise IndexError(index)
        return self._rows(i, i + 1)[0]

    def __iter__(self) -> Iterator[FileEntry]:
        for i in range(0, self.count, SCRATCH_ROWS):
            yield from self._rows(i, i + SCRATCH_ROWS)

    def _rows(self, start: int, stop: int) -> list[FileEntry]:
        """The entries ``start`` to ``stop`` (0-based, ``stop`` excluded); rows are numbered from 1."""
        q = "SELECT path, key, size, mtime, sha FROM entries WHERE n > ? AND n <= ? ORDER BY n"
        rows = self.db.execute(q, (start, stop))
        return [(os.fsdecode(path), key, size, mtime, sha) for path, key, size, mtime, sha in rows]


@dataclass(frozen=True, slots=True)
class Analysed:
    """An analysis made beside the cleaning (on a cluster worker), as :func:`analyse` would store it."""

    analysis: Analysis
    published: str | None  # the publication date its document had
    parse: bytes  # the parse it was made from, as stored
    fingerprint: str  # of the model that parsed it (:func:`model_fingerprint`)


@dataclass(frozen=True, slots=True)
class SitePage:
    """One record as the site-boilerplate count sees it: its site, its page digest, its line keys."""

    source: str
    site: str
    page: str
    lines: frozenset[str]


class DocumentStages(Protocol):
    """Where the document stages run: in this process, or mapped over partitions on a cluster.

    ``survey`` is pass 1 (read, list each record's site lines); ``prepare`` is pass 2 (read, clean
    with the corpus's recurring line keys, fingerprint, and on a cluster parse and extract), yielding
    in file order, batch by batch, the files' plans, their analyses and the characters replaced.
    """

    def survey(self, entries: list[FileEntry]) -> list[SitePage]: ...

    def prepare(
        self,
        entries: Sequence[FileEntry],
        recurring: dict[str, frozenset[str]],
        held: Mapping[str, list[tuple[str, str]]] | None = None,
    ) -> Iterator[tuple[list[_FilePlan], list[Analysed], int] | StoredBatch]: ...


class LocalStages:
    """The document stages in this process, ``config.file_batch`` files a batch."""

    def __init__(self, config: BuildConfig, report: BuildReport) -> None:
        self.config = config
        self.report = report

    def survey(self, entries: list[FileEntry]) -> list[SitePage]:
        return [page for entry in entries for page in survey_file(entry[0], self.config)]

    def prepare(
        self,
        entries: Sequence[FileEntry],
        recurring: dict[str, frozenset[str]],
        held: Mapping[str, list[tuple[str, str]]] | None = None,
    ) -> Iterator[tuple[list[_FilePlan], list[Analysed], int]]:
        for i in range(0, len(entries), self.config.file_batch):
            stats = ReadStats()
            plans = prepare_files(entries[i : i + self.config.file_batch], self.config, recurring, stats, self.report)
            yield plans, [], stats.replaced


@contextmanager
def document_stages(config: BuildConfig, report: BuildReport, store: Store | None = None) -> Iterator[DocumentStages]:
    """Where this build runs its document stages: on the Dask cluster ``config.dask`` names, in a
    pool of ``config.workers`` local processes when that is more than one, else here.

    On a cluster building a PostgreSQL ``store``, the workers store their partitions themselves
    (:func:`store_partition`) and the stages yield what that gave (:class:`StoredBatch`).
    """
    if config.dask is None and config.workers > 1:
        from storyline.scale.pool import pool_stages

        with pool_stages(config) as pooled:
            yield pooled
        return
    if config.dask is None:
        yield LocalStages(config, report)
        return
    from storyline.scale.cluster import dask_stages

    with dask_stages(config, None if store is None or store.is_sqlite else store) as stages:
        yield stages


def ingest_files(
    files: Sequence[str | Path],
    store: Store,
    config: BuildConfig,
    report: BuildReport,
    progress: Progress,
    on_error: Callable[[str], None],
    stages: DocumentStages | None = None,
    *,
    gone: list[str] | None = None,
) -> None:
    """Read, clean and store the new or changed files, a batch per transaction; remove the ``gone`` ones.

    Cleaning is a function of the corpus, not of batches: pass 1 lists every new record's site
    lines, the lines recurring in the store's pages plus these decide what is site boilerplate, and
    stored files whose cleaning that changes are read and cleaned again, so an incremental or resumed
    build stores what one build of all the files would. The same holds for edited and gone files:
    their documents leave the dossier (kept in the store as history, an edited file's old ones
    pointing at what replaced them), and the other files holding copies of them are read again, so
    each shared row is rebuilt from the copies left, as a build of the files left would store it.
    """
    stages = stages or LocalStages(config, report)
    gone = gone or []
    states = store.file_states()
    todo = _changed_files(files, store, states, report, on_error)
    if not todo and not gone:
        return
    edited = sorted(e[1] for e in todo if e[1] in states and states[e[1]][3] != "removed")
    before = set(store.document_ids())
    with report.timed("site-lines"):
        recurring, todo = corpus_site_lines(store, todo, states, stages.survey, report, set(gone))
    dropped = _forget_stored(store, todo, states, gone)
    held: dict[str, list[tuple[str, str]]] = {}  # path -> (source, document) it held before this build
    for path, source, doc in dropped:
        held.setdefault(path, []).append((source, doc))
    progress("ingest", 0, len(todo))
    done = 0
    for batch in stages.prepare(todo, recurring, held):
        if isinstance(batch, StoredBatch):  # the workers stored it themselves
            done += count_stored(batch, report, on_error)
            progress("ingest", done, len(todo))
            continue
        plans, analyses, replaced = batch
        report.replaced_chars += replaced
        with report.timed("store"):
            _store_plans(store, plans, states, report, on_error, held)
            if analyses:
                report.analysed += _store_analyses(store, analyses)
        done += len(plans)
        progress("ingest", done, len(todo))
    if gone:
        with store.transaction() as conn:
            store.remove_files(conn, gone)  # their pages leave the counts last: a killed build finds them again
    after = set(store.document_ids())
    report.documents_added = len(after - before)  # a copy read again brings back its own document: not new
    report.documents_removed = len(before - after)
    _report_removals(store, report, dropped, edited, gone, after)


def _forget_stored(
    store: Store, todo: list[FileEntry], states: dict[str, tuple[int, int, str, str]], gone: list[str]
) -> list[tuple[str, str, str]]:
    """Drop the document sources of the stored files read again and of the gone ones, in one
    transaction before any file is stored; return them as (path, source, document).

    Dropping them all first makes each document's row the one its copies read again give, in
    whichever order they are stored. The files read again are marked to be read by the next build
    too, so a build killed before it stored them gives them back then.
    """
    stored = [e[1] for e in todo if e[1] in states]
    with store.transaction() as conn:
        dropped = store.forget_sources(conn, stored + gone)
        store.invalidate_files(conn, stored)
    return dropped


def _report_removals(
    store: Store,
    report: BuildReport,
    dropped: list[tuple[str, str, str]],
    edited: list[str],
    gone: list[str],
    live: set[str],
) -> None:
    """Count per gone file the documents that left with it, per edited file those its edit replaced
    (recorded on the old ones as ``replaced_by``)."""
    was_edited = set(edited)
    now = store.source_documents(source for path, source, _ in dropped if path in was_edited)
    pairs = []
    for path in edited:
        old = {(source, doc) for p, source, doc in dropped if p == path}
        replaced = {(doc, now[source]) for source, doc in old if doc not in live and source in now}
        pairs += sorted(replaced)
        if replaced:
            report.files_replaced.append((path, len({doc for doc, _ in replaced})))
    for path in gone:
        report.files_removed.append((path, len({doc for p, _, doc in dropped if p == path and doc not in live})))
    if pairs:
        with store.transaction() as conn:
            store.mark_replaced(conn, pairs)


def _changed_files(
    files: Sequence[str | Path],
    store: Store,
    states: dict[str, tuple[int, int, str, str]],
    report: BuildReport,
    on_error: Callable[[str], None],
) -> Entries:
    """The files that are new or whose content changed; a touched but unchanged file is only re-dated."""
    failed = store.failed_files()
    todo = Entries()
    batch: list[FileEntry] = []
    for name in files:
        path = Path(name)  # for this file only: the entry keeps the string
        key = display_path(_resolved(path))
        try:
            st = path.stat()
            known = states.get(key)
            if known and known[3] == "removed":  # a file that comes back is read as new
                known = None
            if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
                _unchanged(report, key, failed, on_error)
                continue
            sha = file_sha256(path)
        except OSError as exc:  # unreadable (permissions, vanished): reported, not recorded, retried next run
            report.failed += 1
            _report(report, IngestError(display_path(path), f"cannot be read ({exc.strerror or exc})"), on_error)
            continue
        if known and known[2] == sha:
            with store.transaction() as conn:
                store.touch_file(conn, key, st.st_size, st.st_mtime_ns)
            _unchanged(report, key, failed, on_error)
            continue
        batch.append((str(name), key, st.st_size, st.st_mtime_ns, sha))
        if len(batch) >= SCRATCH_ROWS:
            todo.extend(batch)
            batch = []
    todo.extend(batch)
    return todo


def corpus_site_lines(
    store: Store,
    todo: Entries,
    states: dict[str, tuple[int, int, str, str]],
    survey: Callable[[list[FileEntry]], list[SitePage]],
    report: BuildReport,
    gone: set[str] | None = None,
) -> tuple[dict[str, frozenset[str]], Entries]:
    """The recurring line keys per site of the corpus the build leaves, and the files to clean.

    The corpus is the store's pages, less those only the files read again or ``gone`` held, plus the
    pages of ``todo`` (each distinct page once). A stored file holding a line whose recurring status
    this changes is added to the files to read, so that its documents are cleaned again; so is one
    holding a copy of a document of a file read again or gone, so that the copy's row is rebuilt.
    ``todo`` is extended with those (and returned).
    """
    gone = gone or set()
    pages = SurveyedPages()
    pages.survey(todo, survey)
    redo = {e[1] for e in todo if e[1] in states} | gone  # a file not stored holds no stored page nor copy
    while True:
        recurring, again = _recurring_lines(store, pages, redo)
        again = (again | store.copy_paths(redo | again)) - redo
        entries = [e for e in (_stored_entry(path, states) for path in sorted(again)) if e is not None]
        if not entries:
            return recurring, todo
        report.recleaned += len(entries)
        todo.extend(entries)
        redo |= {e[1] for e in entries}
        pages.survey(entries, survey)


SURVEY_FILES = 2_000  # files surveyed at a time: the memory of their SitePages, whatever the build's size
_HEX_PAGE = re.compile(r"[0-9a-f]{32}")  # a page_key()
_HEX_LINE = re.compile(r"[0-9a-f]{24}")  # a key of page_lines()
LINE_BYTES = 12


class SurveyedPages:
    """Pass 1's site pages, kept packed in a scratch database: per site, per page digest (16 bytes), the
    page's line keys as one bytes object (12 bytes a key, not a frozenset of 24-character strings); a
    page or key that is not a digest is kept as it is. One site's pages are read back at a time."""

    def __init__(self) -> None:
        self.db = _scratch(
            "CREATE TABLE pages (site TEXT NOT NULL, page NOT NULL, lines NOT NULL, PRIMARY KEY (site, page))"
        )

    def survey(self, entries: Sequence[FileEntry], survey: Callable[[list[FileEntry]], list[SitePage]]) -> None:
        """Survey ``entries`` (``SURVEY_FILES`` at a time) and keep their pages, a later page of one digest
        replacing an earlier (the same raw text, so the same lines)."""
        for i in range(0, len(entries), SURVEY_FILES):
            rows = (
                (p.site, bytes.fromhex(p.page) if _HEX_PAGE.fullmatch(p.page) else p.page, _packed_lines(p.lines))
                for p in survey(list(entries[i : i + SURVEY_FILES]))
            )
            self.db.executemany("INSERT OR REPLACE INTO pages (site, page, lines) VALUES (?, ?, ?)", rows)

    @property
    def sites(self) -> list[str]:
        """The sites that have pages, sorted."""
        return [site for (site,) in self.db.execute("SELECT DISTINCT site FROM pages ORDER BY site")]

    def site(self, site: str) -> dict[str, frozenset[str]]:
        """page digest -> line keys of the pages of ``site`` (empty when it has none)."""
        out = {}
        for page, lines in self.db.execute("SELECT page, lines FROM pages WHERE site = ?", (site,)):
            key = page.hex() if isinstance(page, bytes) else page
            if isinstance(lines, bytes):
                out[key] = frozenset(lines[i : i + LINE_BYTES].hex() for i in range(0, len(lines), LINE_BYTES))
            else:
                out[key] = frozenset(json.loads(lines))
        return out


def _packed_lines(lines: frozenset[str]) -> bytes | str:
    """The line keys as one bytes object, or as a JSON list when one is not a digest."""
    if all(_HEX_LINE.fullmatch(line) for line in lines):
        return b"".join(bytes.fromhex(line) for line in lines)
    return json.dumps(sorted(lines))


def _stored_entry(key: str, states: dict[str, tuple[int, int, str, str]]) -> FileEntry | None:
    """A stored file to read again as it is on disk now (None when it is gone: it keeps what it gave)."""
    path = Path(key)
    try:
        st = path.stat()
    except OSError:
        return None
    known = states.get(key)
    sha = known[2] if known and (known[0], known[1]) == (st.st_size, st.st_mtime_ns) else None
    try:
        return (str(path), key, st.st_size, st.st_mtime_ns, sha or file_sha256(path))
    except OSError:
        return None


def _recurring_lines(
    store: Store, pages: SurveyedPages, redo: set[str]
) -> tuple[dict[str, frozenset[str]], set[str]]:
    """Per site of ``pages``: the keys of their lines found in ``MIN_SITE_DOCS`` distinct pages of the
    corpus; and the stored files (not in ``redo``) that hold a line whose status changed."""
    recurring: dict[str, frozenset[str]] = {}
    again: set[str] = set()
    for site in sorted(set(pages.sites) | store.sites_of_paths(redo)):
        stored = store.site_pages(site)
        kept = {page for page, paths in stored.items() if paths - redo}
        fresh = pages.site(site)  # page -> line keys, of this site only
        fresh_lines = set().union(*fresh.values()) if fresh else set()
        lines = fresh_lines | store.lines_of_pages(site, set(stored) - kept)
        holders = store.line_pages(site, lines)
        counts_after: Counter[str] = Counter()
        for page, keys in fresh.items():
            counts_after.update(keys if page not in kept else ())
        flipped = set()
        after = set()
        for line in lines:
            held = holders.get(line, set())
            n_after = len(held & kept) + counts_after[line]
            if n_after >= MIN_SITE_DOCS:
                after.add(line)
            if (len(held) >= MIN_SITE_DOCS) != (n_after >= MIN_SITE_DOCS):
                flipped.add(line)
        recurring[site] = frozenset(after & fresh_lines)
        for line in flipped:
            for page in holders.get(line, set()) & kept:
                again |= stored[page] - redo
    return recurring, again


def _store_plans(
    store: Store,
    plans: list[_FilePlan],
    states: dict[str, tuple[int, int, str, str]],
    report: BuildReport,
    on_error: Callable[[str], None],
    held: Mapping[str, list[tuple[str, str]]] | None = None,
) -> None:
    """Store one batch of files (one transaction) and count what it gave in ``report``; ``held``: the
    sources each stored file held, given back to one that went bad (it keeps what it gave)."""
    fresh = _store_batch(store, plans, states, held or {})
    for plan, added in zip(plans, fresh, strict=True):
        for err in plan.errors:
            _report(report, err, on_error)
        report.read += 1
        if plan.errors and not plan.items:
            report.failed += 1
        report.copies_folded += len(added) - sum(added)  # documents_added: counted over the build


def _store_analyses(store: Store, analyses: list[Analysed], conn: Connection | None = None) -> int:
    """Store analyses made beside the cleaning, for the documents stored as they were analysed
    (in ``conn``'s transaction when given, else in one of their own).

    An analysis is dropped (and the document analysed again by :func:`analyse`) when its document is
    not stored or its stored date differs: an exact copy may have filled it in.
    """
    stored = store.published((x.analysis.doc for x in analyses), conn=conn)
    keep = [x for x in analyses if x.analysis.doc in stored and stored[x.analysis.doc] == x.published]
    for model_print in sorted({x.fingerprint for x in keep}):  # one model on every worker: one group
        made = [x for x in keep if x.fingerprint == model_print]
        store.put_analyses(
            [x.analysis for x in made],
            ANALYSIS_VERSION,
            versions=EXTRACTOR_VERSIONS,
            parses={x.analysis.doc: x.parse for x in made},
            fingerprint=model_print,
            conn=conn,
        )
    return len(keep)


@dataclass(frozen=True, slots=True)
class StoredBatch:
    """What a worker that stored its partition itself reports back, instead of the records.

    ``files``: per file, in order, its key, its error lines, whether it gave documents, and whether
    each of its documents was new; ``analysed``: the analyses stored; ``replaced``: the characters
    replaced at the door.
    """

    files: list[tuple[str, list[str], bool, list[bool]]]
    analysed: int
    replaced: int


def store_partition(
    store: Store,
    plans: list[_FilePlan],
    analyses: list[Analysed],
    replaced: int,
    claim: str,
    held: Mapping[str, list[tuple[str, str]]] | None = None,
) -> StoredBatch:
    """Store one partition's files and analyses in one transaction that holds ``claim`` (a key unique
    to the partition in this build), from a process other writers run beside.

    Exactly once: a partition run again (its first worker killed) whose transaction committed stores
    nothing and returns what it gave then (:meth:`Store.claimed`). The partition's documents, and those
    of its files stored before, are locked first (:meth:`Store.lock_documents`), so two partitions
    holding copies of one document merge them one after the other, into the row any order gives. A
    file whose content the store refuses is rolled back alone (a savepoint), as :func:`_store_batch`;
    ``held``: the sources each of its stored files held, given back to one that went bad.
    """
    held = held or {}

    def write(conn: Connection) -> dict[str, object]:
        states = store.file_states([p.key for p in plans], conn=conn)
        docs = {doc.id for plan in plans for doc, *_ in plan.items}
        store.lock_documents(conn, docs | store.documents_of_paths(conn, [p.key for p in plans if p.key in states]))
        files: list[tuple[str, list[str], bool, list[bool]]] = []
        for plan in plans:
            errors = [str(e) for e in plan.errors]
            try:
                with conn.begin_nested():
                    fresh = _store_file(store, conn, plan, states, held)
            except _RECORD_FAULTS as exc:
                errors.append(str(IngestError(plan.key, f"could not be stored ({type(exc).__name__}: {exc})")))
                files.append((plan.key, errors, False, []))
                continue
            files.append((plan.key, errors, bool(plan.items), fresh))
        return {"files": files, "analysed": _store_analyses(store, analyses, conn) if analyses else 0}

    done = store.claimed(claim, write)
    files = [(key, list(errors), bool(gave), [bool(x) for x in fresh]) for key, errors, gave, fresh in done["files"]]
    return StoredBatch(files, int(done["analysed"]), replaced)


def count_stored(batch: StoredBatch, report: BuildReport, on_error: Callable[[str], None]) -> int:
    """Count in ``report`` what a worker stored (as :func:`_store_plans` counts what it stores); the files."""
    report.replaced_chars += batch.replaced
    report.analysed += batch.analysed
    for _key, errors, gave, fresh in batch.files:
        for line in errors:
            _report(report, line, on_error)
        report.read += 1
        if errors and not gave:
            report.failed += 1
        report.documents_added += sum(fresh)
        report.copies_folded += len(fresh) - sum(fresh)
    return len(batch.files)


def survey_file(path: str | Path, config: BuildConfig) -> list[SitePage]:
    """Pass 1 of ingest for one file: the site pages of its records (none when it cannot be read;
    pass 2 reports why)."""
    out = []
    for rec in _read(path, config, ReadStats()):
        if isinstance(rec, RawRecord) and (site := _site_of(rec)):
            out.append(SitePage(rec.source, site, page_key(rec.raw), frozenset(page_lines(rec.raw))))
    return out


def prepare_files(
    entries: list[FileEntry],
    config: BuildConfig,
    recurring: dict[str, frozenset[str]],
    stats: ReadStats,
    report: BuildReport | None = None,
) -> list[_FilePlan]:
    """Pass 2 of ingest for a batch of files: read, clean with the corpus's recurring line keys per
    site, fingerprint. A pure function of the files and its arguments (it runs on cluster workers)."""
    report = report or BuildReport()
    with report.timed("read"):
        read = [(entry, list(_read(entry[0], config, stats))) for entry in entries]
    records = [r for _, items in read for r in items if isinstance(r, RawRecord)]
    with report.timed("site-lines"):
        pages: dict[int, SitePage] = {}
        own: dict[int, frozenset[str]] = {}
        for rec in records:
            rec.site = _site_of(rec)
            if rec.site:
                lines = page_lines(rec.raw)
                keys = recurring.get(rec.site, frozenset())
                pages[id(rec)] = SitePage(rec.source, rec.site, page_key(rec.raw), frozenset(lines))
                own[id(rec)] = frozenset(norm for key, norm in lines.items() if key in keys)
    with report.timed("clean"):
        docs = {id(rec): _clean(rec, own.get(id(rec), frozenset())) for rec in records}
    with report.timed("fingerprint"):
        sigs = {rec_id: _fingerprint(doc) for rec_id, doc in docs.items() if isinstance(doc, Document)}
    return [_plan(entry, got, docs, sigs, pages) for entry, got in read]


def _unchanged(
    report: BuildReport, key: str, failed: dict[str, tuple[str, int]], on_error: Callable[[str], None]
) -> None:
    """Count a file not read again; one whose last reading went wrong is reported again with its
    recorded reason (and counted failed when it gave nothing), so a re-run never hides it."""
    report.unchanged += 1
    if key in failed:
        error, records = failed[key]
        if not records:
            report.failed += 1
        _report(report, IngestError(key, f"{error} (unchanged since it was last read)"), on_error)


@dataclass(slots=True)
class _FilePlan:
    """What one file gives the store: its documents and its row, and what went wrong in it."""

    key: str
    row: dict[str, object]
    items: list[tuple[Document, str, str | None, bytes | None]]
    errors: list[IngestError]
    pages: list[SitePage] = field(default_factory=list)  # its records' pages, counted once it is stored


def _plan(
    entry: FileEntry,
    got: list[RawRecord | IngestError],
    docs: dict[int, Document | IngestError],
    sigs: dict[int, bytes | IngestError],
    pages: dict[int, SitePage],
) -> _FilePlan:
    _path, key, size, mtime_ns, sha = entry
    errors: list[IngestError] = []
    items: list[tuple[Document, str, str | None, bytes | None]] = []
    for x in got:
        if isinstance(x, IngestError):
            errors.append(x)
            continue
        doc, sig = docs[id(x)], sigs.get(id(x))
        if isinstance(doc, IngestError):
            errors.append(doc)
        elif isinstance(sig, IngestError):
            errors.append(sig)
        else:
            items.append((doc, key, x.html, sig))
    row: dict[str, object] = {
        "path": key,
        "size": size,
        "mtime_ns": mtime_ns,
        "sha256": sha,
        "records": len(items),
        "error": "; ".join(e.reason for e in errors) if errors else None,
    }
    return _FilePlan(key, row, items, errors, [pages[id(x)] for x in got if id(x) in pages])


STORE_REFUSED = "the store refused its content; 'storyline build --verbose' shows why"
# What a store refuses for one record's content (an encoding it cannot hold, a value out of range):
# the batch is then stored again file by file, so only the file at fault is lost.
_RECORD_FAULTS = (DataError, UnicodeError, ValueError)


def _store_batch(
    store: Store,
    plans: list[_FilePlan],
    states: dict[str, tuple[int, int, str, str]],
    held: Mapping[str, list[tuple[str, str]]] | None = None,
) -> list[list[bool]]:
    """Store a batch in one transaction; when its content is refused, each file in its own.

    Returns, per file, whether each of its documents was new (empty for a file not stored).
    """
    held = held or {}
    try:
        with store.transaction() as conn:
            return _store_files(store, conn, plans, states, held)
    except _RECORD_FAULTS:
        pass
    out = []
    for plan in plans:
        try:
            with store.transaction() as conn:
                out.append(_store_file(store, conn, plan, states, held))
        except _RECORD_FAULTS as exc:
            plan.errors.append(bug(plan.key, "could not be stored", exc, why=STORE_REFUSED))
            plan.items = []
            out.append([])
    return out


def _store_files(
    store: Store,
    conn: Connection,
    plans: list[_FilePlan],
    states: dict[str, tuple[int, int, str, str]],
    held: Mapping[str, list[tuple[str, str]]],
) -> list[list[bool]]:
    """:func:`_store_file` for each plan in order, each run of files new to the store written in one go
    (the same rows: its documents, pages and file records in three bulk writes instead of three a file)."""
    out: list[list[bool]] = []
    run: list[_FilePlan] = []
    for plan in [*plans, None]:
        if plan is not None and plan.key not in states:
            run.append(plan)
            continue
        if run:
            out += _put_files(store, conn, run)
            run = []
        if plan is not None:
            out.append(_store_file(store, conn, plan, states, held))
    return out


def _store_file(
    store: Store,
    conn: Connection,
    plan: _FilePlan,
    states: dict[str, tuple[int, int, str, str]],
    held: Mapping[str, list[tuple[str, str]]],
) -> list[bool]:
    if plan.errors and not plan.items and plan.key in states:
        store.restore_sources(conn, plan.key, held.get(plan.key, []))
        return []  # a file that went bad keeps what it gave before; retried next run
    if plan.key in states:
        store.forget_file(conn, plan.key)
    return _put_files(store, conn, [plan])[0]


def _put_files(store: Store, conn: Connection, plans: list[_FilePlan]) -> list[list[bool]]:
    """Write files' documents, pages and file records (each kind in one bulk write); per file, whether
    each of its documents was new."""
    fresh = store.put_documents(conn, [item for p in plans for item in p.items])
    store.put_site_pages(conn, [(pg.source, p.key, pg.site, pg.page, pg.lines) for p in plans for pg in p.pages])
    store.record_files(conn, [p.row for p in plans])
    out, k = [], 0
    for p in plans:
        out.append(fresh[k : k + len(p.items)])
        k += len(p.items)
    return out


def _fingerprint(doc: Document) -> bytes | IngestError:
    try:
        return fingerprint(doc.text)
    except Exception as exc:  # one record's bug must not stop the batch
        return bug(doc.source, "could not be fingerprinted", exc)


def _clean(rec: RawRecord, recurring: frozenset[str]) -> Document | IngestError:
    """The record's document, or an error: a cleaning bug, or nothing left of a text that had words
    (an empty document is never stored silently, where every empty one would fold into one)."""
    try:
        doc = make_document(rec, recurring)
    except Exception as exc:  # a cleaning bug on one record must not stop the batch
        return bug(rec.source, "could not be cleaned", exc)
    if not doc.text.strip():
        reasons = Counter(r.reason for r in doc.removed).most_common(2)
        cut = " and ".join(reason for reason, _ in reasons) or "nothing readable"
        return IngestError(
            rec.source,
            f"no article text left after cleaning ({len(rec.raw.strip()):,} characters read, cut as {cut}; "
            "storyline reads English prose)",
        )
    return doc


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path.absolute()


def _read(path: str | Path, config: BuildConfig, stats: ReadStats) -> Iterator[RawRecord | IngestError]:
    try:
        yield from read_file(
            Path(path), max_bytes=config.max_file_bytes, max_chars=config.max_record_chars, stats=stats
        )
    except Exception as exc:  # a reader bug must not stop the run: report the file and go on
        yield bug(display_path(path), "could not be read", exc)


def _site_of(rec: RawRecord) -> str | None:
    if rec.site:
        return rec.site
    return host_of(rec.url or (None if rec.pre_cleaned else clean_header_url(rec.raw)))


def clean_header_url(raw: str) -> str | None:
    """The URL of a plain-text header line (`` date YYYY-MM-DD https://...``), if any."""
    header = parse_header(raw)
    return header.url if header else None


def make_document(rec: RawRecord, recurring: frozenset[str] = frozenset()) -> Document:
    """Clean one record and settle its metadata: a pure function of the record.

    Any record is accepted: one that did not come through the door (:func:`read_file`) is
    normalised on a copy first (storable text, a URL that parses or none).
    """
    if rec.url is not None or any(UNSTORABLE.search(v) for v in (rec.raw, rec.title or "", rec.source)):
        rec = dataclasses.replace(rec)
        normalise_record(rec)
    cleaned = clean.clean_text(rec.raw, recurring=recurring, pre_cleaned=rec.pre_cleaned)
    candidates = [(rec.published, rec.published_from), (cleaned.published, cleaned.published_from)]
    dated = [(d, f or "record") for d, f in candidates if d]
    dated.sort(key=lambda x: DATE_TRUST.index(x[1]) if x[1] in DATE_TRUST else len(DATE_TRUST))
    published, published_from = dated[0] if dated else (None, None)
    url = usable_url(rec.url) or usable_url(cleaned.url)
    site = rec.site or host_of(url)
    language, not_analysed = reading(cleaned.text)
    return Document(
        id=document_id(cleaned.text),
        source=rec.source,
        text=cleaned.text,
        raw=rec.raw,
        format=rec.format,
        sources=[rec.source],
        title=rec.title or cleaned.title,
        published=published,
        published_from=published_from,
        url=url,
        site=site,
        segments=cleaned.segments,
        removed=cleaned.removed,
        not_analysed=not_analysed,
        language=language,
    )


# --------------------------------------------------------------------------- nlp + resolve

BROKEN_PARSE = "corrupt, or not of its text; parsed again"


def analyse(
    store: Store, config: BuildConfig, progress: Progress, on_error: Callable[[str], None] = lambda line: None
) -> int:
    """Analyse every document not yet analysed with this model (same fingerprint, or an analysis
    that records none) and these extractor versions.

    A document whose stored parse was made by this model (same fingerprint) only has its
    extractors run again, on that parse, and of them only the stale ones and their readers when
    its analysis was made from that parse; the others are parsed, and their parses stored with
    their analyses. A stored parse that cannot be read is reported (``on_error``) and parsed
    again; a missing one is made when the document's extractors next have to run (a current
    analysis needs no parse). A document whose analysis fails is reported and left unanalysed,
    to be tried again next build; the others of its batch are analysed and stored.
    """
    fingerprint = model_fingerprint(config.model)
    done = store.analysed(config.model, ANALYSIS_VERSION, fingerprint) | set(store.not_analysed())
    todo = [d for d in store.document_ids() if d not in done]
    if not todo:
        return 0
    parsed = store.parsed(config.model, fingerprint)
    nlp = load_pipeline(config.model)
    progress("nlp", 0, len(todo))
    count = 0
    # only worker processes parse ahead: here a batch is parsed at once, and held back it would only be
    # committed later (a build killed then would lose it)
    parse_ahead = PARSE_AHEAD if config.workers > 1 else 0
    with _parser(config, nlp, on_error) as parse:
        ahead: deque[tuple[list[Analysis], Callable[[], list[tuple[Analysis, bytes]]]]] = deque()
        for i in range(0, len(todo), config.nlp_commit):
            ids = todo[i : i + config.nlp_commit]
            results, to_parse = _from_stored(store, ids, parsed, nlp, config, fingerprint, on_error)
            ahead.append((results, parse(to_parse)))
            while ahead and (len(ahead) > parse_ahead or i + config.nlp_commit >= len(todo)):
                results, fresh = ahead.popleft()
                count += _put_analysed(store, results, fresh(), fingerprint)
                progress("nlp", count, len(todo))
    return count


def _from_stored(
    store: Store,
    ids: list[str],
    parsed: set[str],
    nlp: Language,
    config: BuildConfig,
    fingerprint: str,
    on_error: Callable[[str], None],
) -> tuple[list[Analysis], list[Document]]:
    """One commit batch of :func:`analyse`: the analyses made from stored parses (``fingerprint``: of
    the model), and the documents to parse."""
    docs = store.documents(ids, with_raw=False)
    have = [d.id for d in docs if d.id in parsed]
    stored = store.parses(have, config.model, fingerprint)
    made = store.analysis_versions(config.model, have)
    earlier = {a.doc: a for a in store.analyses([d for d in have if made.get(d, (None,))[0] == fingerprint])}
    results: list[Analysis] = []
    to_parse: list[Document] = []
    for doc in docs:
        if doc.id not in stored:
            to_parse.append(doc)
            continue
        stale = stale_extractors(made.get(doc.id, (None, {}))[1], EXTRACTOR_VERSIONS)
        try:
            results.append(
                analyze_stored(stored[doc.id], doc, nlp.vocab, config.model, earlier=earlier.get(doc.id), stale=stale)
            )
        except UnreadableParse as exc:
            on_error(error_line(bug(doc.source, "its stored parse cannot be read", exc, why=BROKEN_PARSE)))
            to_parse.append(doc)
        except Exception as exc:
            on_error(error_line(bug(doc.source, "could not be analysed", exc)))
    return results, to_parse


def _put_analysed(
    store: Store, results: list[Analysis], fresh: list[tuple[Analysis, bytes]], fingerprint: str
) -> int:
    """Commit one batch of :func:`analyse` (one transaction): the new parses are stored with their analyses."""
    store.put_analyses(
        results + [a for a, _ in fresh],
        ANALYSIS_VERSION,
        versions=EXTRACTOR_VERSIONS,
        parses={a.doc: data for a, data in fresh},
        fingerprint=fingerprint,
    )
    return len(results) + len(fresh)


@contextmanager
def _parser(
    config: BuildConfig, nlp: Language, on_error: Callable[[str], None]
) -> Iterator[Callable[[list[Document]], Callable[[], list[tuple[Analysis, bytes]]]]]:
    """How :func:`analyse` parses and extracts a batch of documents: ``parse(docs)`` starts it and
    returns the call that gives the results, in order. With ``config.workers`` > 1 that is done in a
    pool of worker processes (:mod:`storyline.scale.pool`) while this process stores earlier batches;
    else here, at once."""
    if config.workers <= 1:

        def here(docs: list[Document]) -> Callable[[], list[tuple[Analysis, bytes]]]:
            made = _parse_batch(docs, nlp, config, on_error)
            return lambda: made

        yield here
        return
    from storyline.scale.pool import ParsePool

    one = dataclasses.replace(config, workers=1)

    def fallback(docs: list[Document]) -> list[tuple[Analysis, bytes]]:
        return _parse_batch(docs, nlp, one, on_error)

    with ParsePool(config) as pool:

        def pooled(docs: list[Document]) -> Callable[[], list[tuple[Analysis, bytes]]]:
            parsing = pool.submit(docs)
            return lambda: parsing.result(fallback)

        yield pooled


def _parse_batch(
    docs: list[Document], nlp: Language, config: BuildConfig, on_error: Callable[[str], None]
) -> list[tuple[Analysis, bytes]]:
    """Parse and analyse ``docs``; when the batch fails, one by one, each under its own guard."""
    if not docs:
        return []
    try:
        return list(parse_and_analyze(docs, nlp, config.model, config.nlp_batch, config.workers))
    except Exception:  # one document at fault: analyse the batch one by one, each its own guard
        pass
    results: list[tuple[Analysis, bytes]] = []
    for doc in docs:
        try:
            results += parse_and_analyze([doc], nlp, config.model, config.nlp_batch, 1)
        except Exception as exc:
            on_error(error_line(bug(doc.source, "could not be analysed", exc)))
    return results


def run_resolve(store: Store, config: BuildConfig) -> None:
    """Run the corpus stage over the whole store with the user's rules: the alias file's entity rules
    (top-level ``merge`` / ``keep_apart``) and its story rules (under ``stories:``)."""
    rules = AliasRules.load(config.aliases) if config.aliases else AliasRules()
    story_rules = StoryRules.load(config.aliases) if config.aliases else None
    documents = [d for d in store.documents(with_raw=False) if d.not_analysed is None]  # no thread, no events
    analyses = store.analyses()
    tokens = TokenCache(store.doc_tokens(TOKENS_VERSION))  # documents tokenised by earlier runs
    store.put_resolution(resolve(documents, analyses, rules, story_rules, tokens))
    if tokens.made:
        store.put_doc_tokens(tokens.made, TOKENS_VERSION)
