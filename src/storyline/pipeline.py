"""Runs the stages in order: ingest → clean → copies → nlp → resolve, batch by batch.

Every batch is committed in its own transaction, so a run killed half way keeps what it
committed, and the next run skips unchanged files and documents already analysed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from sqlalchemy import Connection
from sqlalchemy.exc import DataError

from storyline import changes, clean
from storyline.clean.header import parse_header
from storyline.config import BuildConfig, check_aliases
from storyline.copies import copy_groups, fingerprint
from storyline.errors import UnreadableParse
from storyline.ingest import ReadStats, file_sha256, list_files, read_file
from storyline.ingest.html import host_of
from storyline.ingest.normalise import UNSTORABLE, display_path, normalise_record, usable_url
from storyline.model import Analysis, Document, IngestError, RawRecord, document_id
from storyline.nlp.analyze import ANALYSIS_VERSION, EXTRACTOR_VERSIONS, analyze_stored, parse_and_analyze
from storyline.nlp.model import load_pipeline, model_fingerprint
from storyline.nlp.versions import stale_extractors
from storyline.resolve import resolve
from storyline.resolve.aliases import AliasRules
from storyline.resolve.stories import StoryRules
from storyline.store import Store

# Where a publication date came from, most trusted first (the order of trust).
DATE_TRUST = ["header", "html-meta", "record", "url", "dateline"]
MIN_SITE_DOCS = 2  # a line in this many different pages of one site is that site's boilerplate
SITE_LINE_MAX_CHARS = 300  # longer lines are body text, never counted as site boilerplate

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
    files, problems = list_files(paths)
    report.files = len(files)
    for problem in problems:
        report.failed += 1
        _report(report, str(problem), on_error)
    ingest_files(files, store, config, report, progress, on_error)
    if report.documents_added or store.get_meta("groups_for") != str(store.count_documents()):
        progress("copies", 0, None)
        with report.timed("copies"):
            groups = copy_groups(store.fingerprints(), store.texts)
            store.set_groups(groups)
        with store.transaction() as conn:
            store.set_meta(conn, "groups_for", str(store.count_documents()))
    if config.analyse:
        with report.timed("nlp"):
            report.analysed = analyse(store, config, progress, lambda line: _report(report, line, on_error))
        progress("resolve", 0, None)
        with report.timed("resolve"):
            run_resolve(store, config)
    return report


def _report(report: BuildReport, line: str, on_error: Callable[[str], None]) -> None:
    report.errors.append(line)
    on_error(line)


# --------------------------------------------------------------------------- ingest + clean


def ingest_files(
    files: list[Path],
    store: Store,
    config: BuildConfig,
    report: BuildReport,
    progress: Progress,
    on_error: Callable[[str], None],
) -> None:
    states = store.file_states()
    failed = store.failed_files()
    todo: list[tuple[Path, str, int, int, str]] = []
    for path in files:
        key = display_path(_resolved(path))
        try:
            st = path.stat()
            known = states.get(key)
            if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
                _unchanged(report, key, failed, on_error)
                continue
            sha = file_sha256(path)
        except OSError as exc:  # unreadable (permissions, vanished): reported, not recorded, retried next run
            report.failed += 1
            _report(report, str(IngestError(display_path(path), f"cannot be read ({exc.strerror or exc})")), on_error)
            continue
        if known and known[2] == sha:
            with store.transaction() as conn:
                store.touch_file(conn, key, st.st_size, st.st_mtime_ns)
            _unchanged(report, key, failed, on_error)
            continue
        todo.append((path, key, st.st_size, st.st_mtime_ns, sha))
    progress("ingest", 0, len(todo))
    for i in range(0, len(todo), config.file_batch):
        batch = todo[i : i + config.file_batch]
        with report.timed("read"):
            stats = ReadStats()
            read = [(item, list(_read(item[0], config, stats))) for item in batch]
            report.replaced_chars += stats.replaced
        records = [r for _, items in read for r in items if isinstance(r, RawRecord)]
        with report.timed("site-lines"):
            recurring = _site_boilerplate(store, records)
        with report.timed("clean"):
            docs = {id(rec): _clean(rec, recurring.get(rec.site or "", frozenset())) for rec in records}
        with report.timed("fingerprint"):
            sigs = {rec_id: _fingerprint(doc) for rec_id, doc in docs.items() if isinstance(doc, Document)}
        with report.timed("store"):
            plans = [_plan(entry, got, docs, sigs) for entry, got in read]
            fresh = _store_batch(store, plans, states)
        for plan, added in zip(plans, fresh, strict=True):
            for err in plan.errors:
                _report(report, str(err), on_error)
            report.read += 1
            if plan.errors and not plan.items:
                report.failed += 1
            report.documents_added += sum(added)
            report.copies_folded += len(added) - sum(added)
        progress("ingest", min(i + config.file_batch, len(todo)), len(todo))


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
        _report(report, str(IngestError(key, f"{error} (unchanged since it was last read)")), on_error)


@dataclass(slots=True)
class _FilePlan:
    """What one file gives the store: its documents and its row, and what went wrong in it."""

    key: str
    row: dict[str, object]
    items: list[tuple[Document, str, str | None, bytes | None]]
    errors: list[IngestError]


def _plan(
    entry: tuple[Path, str, int, int, str],
    got: list[RawRecord | IngestError],
    docs: dict[int, Document | IngestError],
    sigs: dict[int, bytes | IngestError],
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
    return _FilePlan(key, row, items, errors)


# What a store refuses for one record's content (an encoding it cannot hold, a value out of range):
# the batch is then stored again file by file, so only the file at fault is lost.
_RECORD_FAULTS = (DataError, UnicodeError, ValueError)


def _store_batch(
    store: Store, plans: list[_FilePlan], states: dict[str, tuple[int, int, str, str]]
) -> list[list[bool]]:
    """Store a batch in one transaction; when its content is refused, each file in its own.

    Returns, per file, whether each of its documents was new (empty for a file not stored).
    """
    try:
        with store.transaction() as conn:
            return [_store_file(store, conn, plan, states) for plan in plans]
    except _RECORD_FAULTS:
        pass
    out = []
    for plan in plans:
        try:
            with store.transaction() as conn:
                out.append(_store_file(store, conn, plan, states))
        except _RECORD_FAULTS as exc:
            plan.errors.append(IngestError(plan.key, f"could not be stored ({type(exc).__name__}: {exc})"))
            plan.items = []
            out.append([])
    return out


def _store_file(
    store: Store, conn: Connection, plan: _FilePlan, states: dict[str, tuple[int, int, str, str]]
) -> list[bool]:
    if plan.errors and not plan.items and plan.key in states:
        return []  # a file that went bad keeps what it gave before; retried next run
    if plan.key in states:
        store.forget_file(conn, plan.key)
    fresh = store.put_documents(conn, plan.items)
    store.record_files(conn, [plan.row])
    return fresh


def _fingerprint(doc: Document) -> bytes | IngestError:
    try:
        return fingerprint(doc.text)
    except Exception as exc:  # one record's bug must not stop the batch
        return IngestError(doc.source, f"could not be fingerprinted ({type(exc).__name__}: {exc})")


def _clean(rec: RawRecord, recurring: frozenset[str]) -> Document | IngestError:
    """The record's document, or an error: a cleaning bug, or nothing left of a text that had words
    (an empty document is never stored silently, where every empty one would fold into one)."""
    try:
        doc = make_document(rec, recurring)
    except Exception as exc:  # a cleaning bug on one record must not stop the batch
        return IngestError(rec.source, f"could not be cleaned ({type(exc).__name__}: {exc})")
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


def _read(path: Path, config: BuildConfig, stats: ReadStats) -> Iterator[RawRecord | IngestError]:
    try:
        yield from read_file(path, max_bytes=config.max_file_bytes, max_chars=config.max_record_chars, stats=stats)
    except Exception as exc:  # a reader bug must not stop the run: report the file and go on
        yield IngestError(display_path(path), f"could not be read ({type(exc).__name__}: {exc})")


def _site_of(rec: RawRecord) -> str | None:
    if rec.site:
        return rec.site
    return host_of(rec.url or (None if rec.pre_cleaned else clean_header_url(rec.raw)))


def clean_header_url(raw: str) -> str | None:
    """The URL of a plain-text header line (`` date YYYY-MM-DD https://...``), if any."""
    header = parse_header(raw)
    return header.url if header else None


def _line_key(line: str) -> str:
    return hashlib.blake2b(clean.normalise_line(line).encode("utf-8"), digest_size=12).hexdigest()


def _site_boilerplate(store: Store, records: list[RawRecord]) -> dict[str, frozenset[str]]:
    """Normalised lines that recur across different pages of one site (counted in the store)."""
    by_site: dict[str, dict[str, dict[str, str]]] = {}  # site -> raw hash -> line key -> line
    for rec in records:
        site = _site_of(rec)
        rec.site = site
        if not site:
            continue
        lines = {}
        for line in rec.raw.split("\n"):
            if 0 < len(line.strip()) <= SITE_LINE_MAX_CHARS:
                lines[_line_key(line)] = clean.normalise_line(line)
        by_site.setdefault(site, {})[hashlib.blake2b(rec.raw.encode("utf-8")).hexdigest()] = lines
    out: dict[str, frozenset[str]] = {}
    with store.transaction() as conn:
        for site, pages in by_site.items():
            for lines in pages.values():
                store.add_site_lines(conn, site, lines)
    for site, pages in by_site.items():
        every = {k: v for lines in pages.values() for k, v in lines.items()}
        counts = store.site_line_counts(site, every)
        out[site] = frozenset(every[k] for k, n in counts.items() if n >= MIN_SITE_DOCS)
    return out


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
    )


# --------------------------------------------------------------------------- nlp + resolve


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
    done = store.analysed(config.model, ANALYSIS_VERSION, fingerprint)
    todo = [d for d in store.document_ids() if d not in done]
    if not todo:
        return 0
    parsed = store.parsed(config.model, fingerprint)
    nlp = load_pipeline(config.model)
    progress("nlp", 0, len(todo))
    count = 0
    for i in range(0, len(todo), config.nlp_commit):
        docs = store.documents(todo[i : i + config.nlp_commit], with_raw=False)
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
                    analyze_stored(
                        stored[doc.id], doc, nlp.vocab, config.model, earlier=earlier.get(doc.id), stale=stale
                    )
                )
            except UnreadableParse as exc:
                on_error(f"{doc.source}: its stored parse cannot be read ({exc}); parsed again")
                to_parse.append(doc)
            except Exception as exc:
                on_error(f"{doc.source}: could not be analysed ({type(exc).__name__}: {exc})")
        fresh = _parse_batch(to_parse, nlp, config, on_error)
        results += [a for a, _ in fresh]
        store.put_analyses(
            results,
            ANALYSIS_VERSION,
            versions=EXTRACTOR_VERSIONS,
            parses={a.doc: data for a, data in fresh},
            fingerprint=fingerprint,
        )
        count += len(results)
        progress("nlp", count, len(todo))
    return count


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
            on_error(f"{doc.source}: could not be analysed ({type(exc).__name__}: {exc})")
    return results


def run_resolve(store: Store, config: BuildConfig) -> None:
    """Run the corpus stage over the whole store with the user's rules: the alias file's entity rules
    (top-level ``merge`` / ``keep_apart``) and its story rules (under ``stories:``)."""
    rules = AliasRules.load(config.aliases) if config.aliases else AliasRules()
    story_rules = StoryRules.load(config.aliases) if config.aliases else None
    documents = store.documents(with_raw=False)
    analyses = store.analyses()
    store.put_resolution(resolve(documents, analyses, rules, story_rules))
