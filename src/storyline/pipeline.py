"""Runs the stages in order: ingest → clean → copies → nlp → resolve, batch by batch.

Every batch is committed in its own transaction, so a run killed half way keeps what it
committed, and the next run skips unchanged files and documents already analysed.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from storyline import clean
from storyline.clean.header import parse_header
from storyline.config import BuildConfig
from storyline.copies import copy_groups, fingerprint
from storyline.ingest import iter_files, read_file
from storyline.model import Document, IngestError, RawRecord, document_id
from storyline.nlp.analyze import ANALYSIS_VERSION, analyze_documents
from storyline.nlp.model import load_pipeline
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
    """Ingest new or changed files, then analyse and resolve what is not done yet."""
    config = config or BuildConfig()
    report = BuildReport()
    files = list(iter_files(paths))
    report.files = len(files)
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
            report.analysed = analyse(store, config, progress)
        progress("resolve", 0, None)
        with report.timed("resolve"):
            run_resolve(store, config)
    return report


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
    todo: list[tuple[Path, str, int, int, str]] = []
    for path in files:
        key = str(path.resolve())
        st = path.stat()
        known = states.get(key)
        if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
            report.unchanged += 1
            continue
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if known and known[2] == sha:
            with store.transaction() as conn:
                store.touch_file(conn, key, st.st_size, st.st_mtime_ns)
            report.unchanged += 1
            continue
        todo.append((path, key, st.st_size, st.st_mtime_ns, sha))
    progress("ingest", 0, len(todo))
    for i in range(0, len(todo), config.file_batch):
        batch = todo[i : i + config.file_batch]
        with report.timed("read"):
            read = [(item, list(_read(item[0]))) for item in batch]
        records = [r for _, items in read for r in items if isinstance(r, RawRecord)]
        with report.timed("site-lines"):
            recurring = _site_boilerplate(store, records)
        with report.timed("clean"):
            docs = {id(rec): _clean(rec, recurring.get(rec.site or "", frozenset())) for rec in records}
        with report.timed("fingerprint"):
            sigs = {rec_id: fingerprint(doc.text) for rec_id, doc in docs.items() if isinstance(doc, Document)}
        with report.timed("store"), store.transaction() as conn:
            items, file_rows = [], []
            for (_path, key, size, mtime_ns, sha), got in read:
                errors = [x for x in got if isinstance(x, IngestError)]
                errors += [docs[id(x)] for x in got if isinstance(docs.get(id(x)), IngestError)]
                good = [x for x in got if isinstance(docs.get(id(x)), Document)]
                for err in errors:
                    report.errors.append(str(err))
                    on_error(str(err))
                report.read += 1
                if errors and not good:
                    report.failed += 1
                    if key in states:  # a file that went bad keeps what it gave before; retried next run
                        continue
                if key in states:
                    store.forget_file(conn, key)
                items += [(docs[id(rec)], key, rec.html, sigs[id(rec)]) for rec in good]
                file_rows.append(
                    {
                        "path": key,
                        "size": size,
                        "mtime_ns": mtime_ns,
                        "sha256": sha,
                        "records": len(good),
                        "error": "; ".join(e.reason for e in errors) if errors else None,
                    }
                )
            fresh = store.put_documents(conn, items)
            report.documents_added += sum(fresh)
            report.copies_folded += len(fresh) - sum(fresh)
            store.record_files(conn, file_rows)
        progress("ingest", min(i + config.file_batch, len(todo)), len(todo))


def _clean(rec: RawRecord, recurring: frozenset[str]) -> Document | IngestError:
    try:
        return make_document(rec, recurring)
    except Exception as exc:  # a cleaning bug on one record must not stop the batch
        return IngestError(rec.source, f"could not be cleaned ({type(exc).__name__}: {exc})")


def _read(path: Path) -> Iterator[RawRecord | IngestError]:
    try:
        yield from read_file(path)
    except Exception as exc:  # a reader bug must not stop the run: report the file and go on
        yield IngestError(str(path), f"could not be read ({type(exc).__name__}: {exc})")


def _site_of(rec: RawRecord) -> str | None:
    if rec.site:
        return rec.site
    url = rec.url or clean_header_url(rec.raw)
    if url:
        host = urlsplit(url).hostname
        return host.removeprefix("www.") if host else None
    return None


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
    """Clean one record and settle its metadata: a pure function of the record."""
    cleaned = clean.clean_text(rec.raw, recurring=recurring, pre_cleaned=rec.pre_cleaned)
    candidates = [(rec.published, rec.published_from), (cleaned.published, cleaned.published_from)]
    dated = [(d, f or "record") for d, f in candidates if d]
    dated.sort(key=lambda x: DATE_TRUST.index(x[1]) if x[1] in DATE_TRUST else len(DATE_TRUST))
    published, published_from = dated[0] if dated else (None, None)
    url = rec.url or cleaned.url
    site = rec.site
    if not site and url:
        host = urlsplit(url).hostname
        site = host.removeprefix("www.") if host else None
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


def analyse(store: Store, config: BuildConfig, progress: Progress) -> int:
    """Parse every document not yet analysed with this model and extractor version."""
    done = store.analysed(config.model, ANALYSIS_VERSION)
    todo = [d for d in store.document_ids() if d not in done]
    if not todo:
        return 0
    nlp = load_pipeline(config.model)
    progress("nlp", 0, len(todo))
    count = 0
    for i in range(0, len(todo), config.nlp_commit):
        docs = store.documents(todo[i : i + config.nlp_commit], with_raw=False)
        results = list(analyze_documents(docs, nlp, config.model, config.nlp_batch, config.workers))
        store.put_analyses(results, ANALYSIS_VERSION)
        count += len(results)
        progress("nlp", count, len(todo))
    return count


def run_resolve(store: Store, config: BuildConfig) -> None:
    """Run the corpus stage over the whole store with the user's rules: the alias file's entity rules
    (top-level ``merge`` / ``keep_apart``) and its story rules (under ``stories:``)."""
    rules = AliasRules.load(config.aliases) if config.aliases else AliasRules()
    story_rules = StoryRules.load(config.aliases) if config.aliases else None
    documents = store.documents(with_raw=False)
    analyses = store.analyses()
    store.put_resolution(resolve(documents, analyses, rules, story_rules))
