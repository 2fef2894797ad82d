"""The store: the one module that speaks SQL.

SQLite by default (one file, WAL, foreign keys); any SQLAlchemy URL (``postgresql://…``) works
through the same code. Writes go in batches inside transactions, so a run killed half way
keeps everything it committed and the next run resumes from there.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import OperationalError

from storyline.config import RUN_ITEMS_WRITTEN
from storyline.model import (
    Analysis,
    Contested,
    Document,
    Entity,
    EntityMention,
    Event,
    Mention,
    Quote,
    Removal,
    Resolution,
    ResolvedEvent,
    ResolvedQuote,
    Segment,
    Story,
    Thread,
    Timex,
)
from storyline.store import schema as t
from storyline.store.migrations import SCHEMA_VERSION, migrate


class StoreError(RuntimeError):
    """The database cannot be opened or is newer than this version of storyline."""


def _url(target: str | Path) -> str:
    s = str(target)
    return s if "://" in s else f"sqlite:///{Path(s).expanduser()}"


class StoreBusy(StoreError):
    """Another build holds the store: a second one stops at once, with nothing changed."""


class StoreDamaged(StoreError):
    """SQLite finds the file damaged (not a database, or a malformed page): the message names the
    file, says what ``PRAGMA quick_check`` finds in it and what to do."""


class StoreFull(StoreError):
    """The disk (or the fault-injection page limit) is full: the write stops, what was committed stays,
    and the same build resumes once there is room."""


# SQLite's primary result codes (the low byte of an extended code)
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 10, 11, 13, 26
# An I/O error with less room than this left beside the file is the disk being full: SQLite says
# SQLITE_IOERR_SHMSIZE, not SQLITE_FULL, when the WAL index (32 KiB at a time) cannot grow on a full disk.
FULL_DISK_BYTES = 1 << 20
QUICK_CHECK_LINES = 3  # the first problems quick_check names in a damaged-store line; the rest are counted
# Fault-injection knob for the tests (docs/robustness.md): a SQLite store holds at most this many pages
# (``PRAGMA max_page_count``), so a build meets "database or disk is full" without filling a disk.
MAX_PAGES_ENV = "STORYLINE_SQLITE_MAX_PAGES"


def quick_check(path: Path) -> str:
    """What ``PRAGMA quick_check`` says of a SQLite file, as one line: "ok", its first problems, or why
    it cannot run. It reads the whole file, so it is run once a fault is seen, never on open."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in conn.execute(f"PRAGMA quick_check({QUICK_CHECK_LINES + 1})")]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"cannot run ({exc})"
    found = [line for row in rows for line in str(row).splitlines() if line and not line.startswith("*** in database")]
    shown = "; ".join(found[:QUICK_CHECK_LINES])
    return shown + ("; …" if len(found) > QUICK_CHECK_LINES else "")


def store_fault(path: Path, exc: BaseException) -> StoreError | None:
    """The one-line StoreError for SQLite's report of a damaged file or a full disk, or None for
    any other error (which keeps its own course)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return StoreDamaged(
            f"{path}: the store is damaged ({exc}); PRAGMA quick_check: {quick_check(path)}; restore a copy "
            "of it, or build into a new file (--db NEW.db)"
        )
    if code == _SQLITE_IOERR and not _room(path):
        code = _SQLITE_FULL
    if code == _SQLITE_FULL:
        return StoreFull(
            f"{path}: the disk is full ({exc}); what was stored before is kept: free some space (or move the "
            "store with --db), then run the same command again to resume"
        )
    if code == _SQLITE_IOERR:
        return StoreError(
            f"{path}: the store's file cannot be read or written ({exc}, {exc.sqlite_errorname}); check the disk "
            "and the file, then run the same command again"
        )
    return None


def _room(path: Path) -> bool:
    """Whether the disk of ``path`` has room left (:data:`FULL_DISK_BYTES`)."""
    try:
        return shutil.disk_usage(path.resolve().parent).free >= FULL_DISK_BYTES
    except OSError:
        return True


def _max_pages() -> int | None:
    value = os.environ.get(MAX_PAGES_ENV)
    return int(value) if value else None


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    _sqlite_reader_pragmas(dbapi_conn, _record)


def _sqlite_reader_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """What every connection sets; the journal mode is left as the file has it (a reader changes nothing)."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    limit = _max_pages()
    if limit is not None:
        cur.execute(f"PRAGMA max_page_count={limit:d}")
    cur.close()


def _writable(path: Path) -> bool:
    """Whether a build can write the database: the file (when it exists) and its folder."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(folder, os.W_OK | os.X_OK) and (not path.exists() or os.access(path, os.W_OK))


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection to a file this process cannot write: SQLite's read-only mode, or, when a WAL
    database's shared-memory file cannot be made (a read-only folder), the file as immutable."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False)


def _raise_fault(path: Path, exc: BaseException) -> None:
    """SQLAlchemy's ``handle_error`` hook: a damaged file or a full disk becomes its one-line StoreError."""
    fault = store_fault(path, exc)
    if fault is not None:
        raise fault from exc


class Store:
    """A storyline database: documents, their analyses and the resolved corpus."""

    def __init__(self, target: str | Path, *, readonly: bool = False) -> None:
        """Open the store; ``readonly`` opens it to read only (no migration, no journal switch).

        A read-only SQLite file (or one in a read-only folder) is opened in SQLite's read-only
        mode; opening such a file for writing is a one-line StoreError.
        """
        self.url = _url(target)
        self.readonly = readonly
        path = self.sqlite_path
        if path is not None and readonly and not path.exists():
            raise StoreError(f"{path}: no such database (run 'storyline build' first)")
        if path is not None and not readonly and not _writable(path):
            raise StoreError(
                f"{path}: the store is read-only (its file or folder cannot be written), so it cannot be built"
            )
        if path is not None and readonly and not _writable(path):
            self.engine: Engine = create_engine("sqlite://", creator=lambda: _read_only_connection(path))
        else:
            self.engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_reader_pragmas if readonly else _sqlite_pragmas)
            if path is not None:
                event.listen(self.engine, "handle_error", lambda ctx: _raise_fault(path, ctx.original_exception))
        if not readonly:
            with self.engine.begin() as conn:
                migrate(conn)
        with self.engine.connect() as conn:
            version = conn.execute(text("SELECT count(*) FROM schema_migrations")).scalar_one()
        if version > SCHEMA_VERSION:
            raise StoreError(f"{target}: database schema {version} is newer than this storyline ({SCHEMA_VERSION})")

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        """The database file of a SQLite store (None for another database or an in-memory one)."""
        if not self.url.startswith("sqlite:///"):
            return None
        name = self.url.removeprefix("sqlite:///").split("?", 1)[0]
        return Path(name) if name and name != ":memory:" else None

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        """Held for a whole build: a second build on the same store raises :class:`StoreBusy`.

        SQLite: an exclusive ``flock`` on ``<db>.lock`` beside the file (never on the database file
        itself, whose POSIX locks SQLite owns); another database: a session advisory lock. Both end
        with the process, so a killed build never leaves the store locked.
        """
        busy = StoreBusy(
            f"{self.url if self.sqlite_path is None else self.sqlite_path}: another build is "
            "writing to this store; wait for it to finish, then build again"
        )
        path = self.sqlite_path
        if path is not None:
            with open(f"{path}.lock", "a+b") as fh:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise busy from None
                try:
                    yield
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)
            return
        if self.is_sqlite:  # in memory: one process only
            yield
            return
        key = zlib.crc32(b"storyline build") - 2**31  # one lock per database, a signed 32-bit key
        with self.engine.connect() as conn:
            if not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar_one():
                raise busy
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _writing(self, conn: Connection | None) -> Iterator[Connection]:
        """``conn`` (inside the caller's transaction), else a transaction of its own."""
        if conn is not None:
            yield conn
            return
        with self.transaction() as own:
            yield own

    @contextmanager
    def _reading(self, conn: Connection | None) -> Iterator[Connection]:
        """``conn`` (a transaction's own connection, which sees its writes), else a connection of its own."""
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as own:
            yield own

    # ------------------------------------------------------------------ concurrent writers

    def claimed(self, key: str, write: Callable[[Connection], dict[str, Any]]) -> dict[str, Any]:
        """Run ``write`` once per ``key`` whichever process asks, in a transaction that first claims the key.

        The claim row and ``write``'s writes commit together, with what ``write`` returns: a caller that
        finds the key claimed by a committed transaction gets that summary back and writes nothing; one
        that finds it claimed by a running one waits for it (and claims the key itself when that one is
        rolled back, its process killed). A transaction that PostgreSQL aborts to break a deadlock
        between writers is run again, up to ``WRITE_ATTEMPTS`` times.
        """
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self.transaction() as conn:
                    claim = text("INSERT INTO claims (key) VALUES (:k) ON CONFLICT DO NOTHING RETURNING key")
                    if conn.execute(claim, {"k": key}).first() is None:
                        done = conn.execute(select(t.claims.c.summary).where(t.claims.c.key == key)).scalar_one()
                        return json.loads(done)
                    summary = write(conn)
                    conn.execute(update(t.claims).where(t.claims.c.key == key).values(summary=json.dumps(summary)))
                    return summary
            except OperationalError as exc:
                if attempt == WRITE_ATTEMPTS or getattr(exc.orig, "sqlstate", None) not in _RETRIED:
                    raise
        raise AssertionError("unreachable")

    def drop_claims(self, prefix: str) -> None:
        """Forget the claims whose key starts with ``prefix`` (a build's token)."""
        with self.transaction() as conn:
            conn.execute(delete(t.claims).where(t.claims.c.key.startswith(prefix, autoescape=True)))

    def lock_documents(self, conn: Connection, ids: Iterable[str]) -> None:
        """Hold, until ``conn``'s transaction ends, a lock on each of these document ids (PostgreSQL;
        SQLite has one writer at a time). Taken in key order, so writers never wait on each other in a
        circle; a writer holding a document's lock is the only one reading and writing its rows."""
        if self.is_sqlite:
            return
        keys = sorted({_lock_key(doc_id) for doc_id in ids})
        if keys:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), [{"k": k} for k in keys])

    def documents_of_paths(self, conn: Connection, paths: Iterable[str]) -> set[str]:
        """Ids of the documents with a source in these files."""
        query = select(t.document_sources.c.doc_id).distinct()
        return {r[0] for q in _in_chunks(query, t.document_sources.c.path, paths) for r in conn.execute(q)}

    # ------------------------------------------------------------------ meta

    def get_meta(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(t.meta.c.value).where(t.meta.c.key == key)).scalar()

    def set_meta(self, conn: Connection, key: str, value: str) -> None:
        conn.execute(delete(t.meta).where(t.meta.c.key == key))
        conn.execute(insert(t.meta).values(key=key, value=value))

    # ------------------------------------------------------------------ files

    def file_states(
        self, paths: Iterable[str] | None = None, *, conn: Connection | None = None
    ) -> dict[str, tuple[int, int, str, str]]:
        """path -> (size, mtime_ns, sha256, status) of every file already ingested (or of those of ``paths``)."""
        f = t.files.c
        query = select(f.path, f.size, f.mtime_ns, f.sha256, f.status)
        with self._reading(conn) as c:
            return {r[0]: (r[1], r[2], r[3], r[4]) for q in _in_chunks(query, f.path, paths) for r in c.execute(q)}

    def touch_file(self, conn: Connection, path: str, size: int, mtime_ns: int) -> None:
        conn.execute(update(t.files).where(t.files.c.path == path).values(size=size, mtime_ns=mtime_ns))

    def record_files(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        """Record files as read (path, size, mtime_ns, sha256, error, records), in bulk."""
        if not rows:
            return
        paths = [r["path"] for r in rows]
        for i in range(0, len(paths), 500):
            conn.execute(delete(t.files).where(t.files.c.path.in_(paths[i : i + 500])))
        conn.execute(insert(t.files), [{**r, "status": "error" if r["error"] else "ok"} for r in rows])

    def remove_files(self, conn: Connection, paths: Iterable[str]) -> None:
        """Record files as gone from their folders (status ``removed``), their pages no longer counted;
        what they gave is dropped by :meth:`forget_sources`. A file that comes back is read as new."""
        for path in paths:
            self._forget_pages(conn, path)
            conn.execute(update(t.files).where(t.files.c.path == path).values(status="removed", error=None))

    def invalidate_files(self, conn: Connection, paths: Iterable[str]) -> None:
        """Make these files read again by the next build (their recorded time and hash no longer match)."""
        wanted = list(paths)
        for i in range(0, len(wanted), 500):
            conn.execute(update(t.files).where(t.files.c.path.in_(wanted[i : i + 500])).values(sha256="", mtime_ns=-1))

    def forget_file(self, conn: Connection, path: str) -> None:
        """Drop what a changed file contributed (its documents' sources, its pages); a document left
        with no source leaves the dossier and stays as history (see :meth:`forget_sources`)."""
        self._forget_pages(conn, path)
        self.forget_sources(conn, [path])

    def forget_sources(
        self, conn: Connection, paths: Iterable[str], when: str | None = None
    ) -> list[tuple[str, str, str]]:
        """Drop the document sources of these files; return them as (path, source, document), by source.

        A document no source holds any more is marked removed at ``when`` (now by default): it leaves
        every listing, the corpus stages and the dossier, and stays in the store with its analysis and
        parse, as history; a file that gives it again brings it back (:meth:`put_documents`). One
        that keeps other sources takes the first of them as its source.
        """
        wanted = list(paths)
        dropped: list[tuple[str, str, str]] = []
        s = t.document_sources.c
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            dropped += [tuple(r) for r in conn.execute(select(s.path, s.source, s.doc_id).where(s.path.in_(chunk)))]
            conn.execute(delete(t.document_sources).where(s.path.in_(chunk)))
        dropped.sort(key=lambda x: x[1])
        docs = sorted({doc for _, _, doc in dropped})
        left: dict[str, str] = {}
        for i in range(0, len(docs), 500):
            q = select(s.doc_id, func.min(s.source)).where(s.doc_id.in_(docs[i : i + 500])).group_by(s.doc_id)
            left.update({r[0]: r[1] for r in conn.execute(q)})
        stamp = when or _now()
        for doc_id in docs:
            d = t.documents.c
            if doc_id in left:
                conn.execute(update(t.documents).where(d.id == doc_id).values(source=left[doc_id]))
            else:
                conn.execute(
                    update(t.documents)
                    .where((d.id == doc_id) & d.removed_at.is_(None))
                    .values(removed_at=stamp)
                )
        return dropped

    def restore_sources(self, conn: Connection, path: str, held: Iterable[tuple[str, str]]) -> None:
        """Give a file back the (source, document) pairs it held; their documents return to the dossier."""
        rows = [{"source": source, "path": path, "doc_id": doc} for source, doc in held]
        if not rows:
            return
        conn.execute(insert(t.document_sources), rows)
        d = t.documents.c
        for doc in sorted({r["doc_id"] for r in rows}):
            first = select(func.min(t.document_sources.c.source)).where(t.document_sources.c.doc_id == doc)
            conn.execute(update(t.documents).where(d.id == doc).values(removed_at=None, source=first.scalar_subquery()))

    def source_documents(self, sources: Iterable[str]) -> dict[str, str]:
        """source -> the document it holds now, for those of ``sources`` stored."""
        wanted = list(set(sources))
        s = t.document_sources.c
        with self.engine.connect() as conn:
            return {
                r[0]: r[1]
                for i in range(0, len(wanted), 500)
                for r in conn.execute(select(s.source, s.doc_id).where(s.source.in_(wanted[i : i + 500])))
            }

    def mark_replaced(self, conn: Connection, pairs: Iterable[tuple[str, str]]) -> None:
        """Record, for removed documents, the document their source's edited file gave instead."""
        d = t.documents.c
        for old, new in pairs:
            conn.execute(update(t.documents).where((d.id == old) & d.removed_at.is_not(None)).values(replaced_by=new))

    def copy_paths(self, paths: Iterable[str]) -> set[str]:
        """The other files holding a copy of a document of these files, and theirs in turn: the files
        to read again when these change, so that each shared row is rebuilt from the copies left."""
        s = t.document_sources.c
        seen = set(paths)
        frontier = set(seen)
        with self.engine.connect() as conn:
            while frontier:
                wanted = sorted(frontier)
                docs: set[str] = set()
                for i in range(0, len(wanted), 500):
                    docs.update(r[0] for r in conn.execute(select(s.doc_id).where(s.path.in_(wanted[i : i + 500]))))
                ids = sorted(docs)
                found: set[str] = set()
                for i in range(0, len(ids), 500):
                    q = select(s.path).where(s.doc_id.in_(ids[i : i + 500])).distinct()
                    found.update(r[0] for r in conn.execute(q))
                frontier = found - seen
                seen |= found
        return seen - set(paths)

    def history(self) -> list[dict[str, Any]]:
        """The removed documents, kept as history: id, source, title, when it left, what replaced it."""
        d = t.documents.c
        q = select(d.id, d.source, d.title, d.removed_at, d.replaced_by).where(d.removed_at.is_not(None))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q.order_by(d.source, d.id)).mappings()]

    # ------------------------------------------------------------------ documents

    def put_documents(
        self, conn: Connection, items: list[tuple[Document, str, str | None, bytes | None]]
    ) -> list[bool]:
        """Insert documents with their file path, raw HTML and fingerprint, in bulk.

        Exact copies (same id) are one document with every copy's source. Its row is the copy whose
        source sorts first, with the date and the title of the first copy in that order that has one
        (each copy's own are kept with its source), so the row does not depend on the order the copies
        were stored in, nor on which writer stored one first. A removed document (kept as history) given
        again comes back as this copy's row, keeping its analysis and parse when its date is the same.
        Returns, per item, whether its document was new to the dossier.
        """
        if not items:
            return []
        ids = list({doc.id for doc, *_ in items})
        known: dict[str, dict[str, Any]] = {}  # id -> the row's source, date and title so far
        removed: set[str] = set()  # ids of rows kept as history, to bring back
        cols = (t.documents.c[k] for k in ("id", "removed_at", *_COPY_KEYS))
        query = select(*cols)
        for i in range(0, len(ids), 500):
            for r in conn.execute(query.where(t.documents.c.id.in_(ids[i : i + 500]))).mappings():
                known[r["id"]] = {k: r[k] for k in _COPY_KEYS}
                if r["removed_at"] is not None:
                    removed.add(r["id"])
        before = {doc_id: row["published"] for doc_id, row in known.items()}
        merged: set[str] = set()  # documents given a copy by this call: their date and title are settled below
        new_docs, fp_rows, fresh = [], [], []
        html_of: dict[str, str | None] = {}
        pending: dict[str, dict[str, Any]] = {}
        for doc, _path, html, sig in items:
            row = _document_row(doc)
            current = known.get(doc.id)
            if doc.id in removed:
                removed.discard(doc.id)
                fresh.append(True)
                self._revive(conn, row, current, html, sig)
                known[doc.id] = {k: row[k] for k in _COPY_KEYS}
                continue
            if current is None:
                fresh.append(True)
                known[doc.id] = {k: row[k] for k in _COPY_KEYS}
                pending[doc.id] = row
                new_docs.append(row)
                html_of[doc.id] = html
                if sig is not None:
                    fp_rows.append({"doc_id": doc.id, "minhash": sig})
                continue
            fresh.append(False)
            merged.add(doc.id)
            if doc.source >= current["source"]:
                continue
            values: dict[str, Any] = {k: v for k, v in row.items() if k not in _KEPT_KEYS}  # the copy that sorts first
            if doc.id in pending:  # a copy of a document of this same call: not written yet
                pending[doc.id].update(values)
            else:
                conn.execute(update(t.documents).where(t.documents.c.id == doc.id).values(**values))
                conn.execute(delete(t.raw_html).where(t.raw_html.c.doc_id == doc.id))
                if html:
                    conn.execute(insert(t.raw_html).values(doc_id=doc.id, html=html))
            html_of[doc.id] = html
            current.update({k: values[k] for k in _COPY_KEYS})
        html_rows = [{"doc_id": d, "html": h} for d, h in html_of.items() if h and d in pending]
        for table, rows in ((t.documents, new_docs), (t.raw_html, html_rows), (t.fingerprints, fp_rows)):
            if rows:
                conn.execute(insert(table), rows)
        sources = [doc.source for doc, *_ in items]
        for i in range(0, len(sources), 500):
            conn.execute(delete(t.document_sources).where(t.document_sources.c.source.in_(sources[i : i + 500])))
        conn.execute(
            insert(t.document_sources),
            [
                {
                    "source": doc.source,
                    "path": path,
                    "doc_id": doc.id,
                    "published": doc.published,
                    "published_from": doc.published_from,
                    "title": doc.title,
                }
                for doc, path, *_ in items
            ],
        )
        self._settle_copies(conn, merged, known, before)
        return fresh

    def _revive(
        self, conn: Connection, row: dict[str, Any], before: Any, html: str | None, sig: bytes | None
    ) -> None:
        """Bring a removed document back as ``row`` (one copy's); its analysis stays if its date does."""
        doc_id = row["id"]
        values = {k: v for k, v in row.items() if k not in _KEPT_KEYS}
        conn.execute(
            update(t.documents).where(t.documents.c.id == doc_id).values(**values, removed_at=None, replaced_by=None)
        )
        if before["published"] != row["published"]:
            conn.execute(delete(t.analyses).where(t.analyses.c.doc_id == doc_id))
        for table, value in ((t.raw_html, {"html": html}), (t.fingerprints, {"minhash": sig})):
            conn.execute(delete(table).where(table.c.doc_id == doc_id))
            if next(iter(value.values())) is not None:
                conn.execute(insert(table).values(doc_id=doc_id, **value))

    def _settle_copies(
        self, conn: Connection, ids: set[str], rows: dict[str, dict[str, Any]], before: dict[str, str | None]
    ) -> None:
        """Give each document of ``ids`` (``rows``: its row's source, date and title as written) the date
        and the title of its first copy by source that has one. One whose date this changes from its date
        ``before`` is analysed again: the dates in its text are read against it."""
        if not ids:
            return
        s = t.document_sources.c
        copies: dict[str, list[Any]] = {}
        query = select(s.doc_id, s.source, s.published, s.published_from, s.title)
        for q in _in_chunks(query, s.doc_id, sorted(ids)):
            for r in conn.execute(q):
                copies.setdefault(r.doc_id, []).append(r)
        for doc_id, found in copies.items():
            found.sort(key=lambda r: r.source)
            row = rows[doc_id]
            values: dict[str, Any] = {}
            dated = next((r for r in found if r.published), None)
            if dated is not None and dated.published != row["published"]:
                values.update(published=dated.published, published_from=dated.published_from)
            elif dated is not None and dated.published_from != row["published_from"]:
                values["published_from"] = dated.published_from
            titled = next((r.title for r in found if r.title), None)
            if titled is not None and titled != row["title"]:
                values["title"] = titled
            if values:
                conn.execute(update(t.documents).where(t.documents.c.id == doc_id).values(**values))
                row.update(values)
            if doc_id in before and row["published"] != before[doc_id]:
                conn.execute(delete(t.analyses).where(t.analyses.c.doc_id == doc_id))

    def put_document(
        self, conn: Connection, doc: Document, path: str, html: str | None = None, minhash: bytes | None = None
    ) -> bool:
        """One document (see :meth:`put_documents`); True when it is new."""
        return self.put_documents(conn, [(doc, path, html, minhash)])[0]

    def count_documents(self) -> int:
        """How many documents the dossier holds (removed ones are history, not counted)."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(t.documents).where(_LIVE)).scalar_one()

    def document_ids(self) -> list[str]:
        """Ids of the documents in the dossier, in source order."""
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(t.documents.c.id).where(_LIVE).order_by(t.documents.c.source))]

    def not_analysed(self) -> dict[str, str]:
        """The documents the NLP stage leaves alone, with the reason (see ``Document.not_analysed``)."""
        with self.engine.connect() as conn:
            q = select(t.documents.c.id, t.documents.c.not_analysed).where(t.documents.c.not_analysed.is_not(None))
            return {doc_id: reason for doc_id, reason in conn.execute(q)}

    def documents(self, ids: Iterable[str] | None = None, *, with_raw: bool = True) -> list[Document]:
        """Documents in source order (all of them, or those with the given ids); removed ones never."""
        cols = [c for c in t.documents.c if with_raw or c.name != "raw"]
        query = select(*cols).where(_LIVE).order_by(t.documents.c.source)
        with self.engine.connect() as conn:
            sources: dict[str, list[str]] = {}
            if ids is not None:
                wanted = list(ids)
                rows = []
                for i in range(0, len(wanted), 500):
                    rows += conn.execute(query.where(t.documents.c.id.in_(wanted[i : i + 500]))).mappings().all()
                rows.sort(key=lambda r: r["source"])
            else:
                rows = conn.execute(query).mappings().all()
            of_sources = select(t.document_sources.c.source, t.document_sources.c.doc_id)
            for q in _in_chunks(of_sources, t.document_sources.c.doc_id, None if ids is None else wanted):
                for src, doc_id in conn.execute(q.order_by(t.document_sources.c.source)):  # the wanted ones' only
                    sources.setdefault(doc_id, []).append(src)
        return [_document(r, sources.get(r["id"], [])) for r in rows]

    def document(self, doc_id: str) -> Document | None:
        """One document of the dossier by id, or by a unique id prefix or source file name."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.documents.c.id).where((t.documents.c.id == doc_id) & _LIVE)).first()
            if row is None:
                hits = conn.execute(
                    select(t.documents.c.id).where(t.documents.c.id.like(f"{doc_id}%") & _LIVE).limit(2)
                ).all()
                if not hits:
                    hits = conn.execute(
                        select(t.document_sources.c.doc_id)
                        .where(
                            (t.document_sources.c.source == doc_id) | t.document_sources.c.source.like(f"%/{doc_id}")
                        )
                        .limit(2)
                    ).all()
                if len(hits) != 1:
                    return None
                row = hits[0]
        docs = self.documents([row[0]])
        return docs[0] if docs else None

    def raw_html(self, doc_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(t.raw_html.c.html).where(t.raw_html.c.doc_id == doc_id)).scalar()

    # ------------------------------------------------------------------ site boilerplate

    def put_site_pages(self, conn: Connection, pages: Iterable[tuple[str, str, str, str, Iterable[str]]]) -> None:
        """Record pages as (source, path, site, page, line keys); a page already known adds no line."""
        rows = [{"source": s, "path": p, "site": site, "page": page} for s, p, site, page, _ in pages]
        if not rows:
            return
        sources = [r["source"] for r in rows]
        for i in range(0, len(sources), 500):
            conn.execute(delete(t.site_pages).where(t.site_pages.c.source.in_(sources[i : i + 500])))
        conn.execute(insert(t.site_pages), rows)
        lines = [{"site": site, "line": k, "page": page} for _, _, site, page, keys in pages for k in keys]
        if lines:
            conn.execute(
                text("INSERT INTO page_lines (site, line, page) VALUES (:site, :line, :page) ON CONFLICT DO NOTHING"),
                lines,
            )

    def _forget_pages(self, conn: Connection, path: str) -> None:
        """Drop a file's records from the page counts; a page no record holds any more loses its lines."""
        gone = set(conn.execute(select(t.site_pages.c.site, t.site_pages.c.page).where(t.site_pages.c.path == path)))
        conn.execute(delete(t.site_pages).where(t.site_pages.c.path == path))
        for site, page in gone:
            same = (t.site_pages.c.site == site) & (t.site_pages.c.page == page)
            held = conn.execute(select(t.site_pages.c.source).where(same).limit(1)).first()
            if held is None:
                conn.execute(delete(t.page_lines).where((t.page_lines.c.site == site) & (t.page_lines.c.page == page)))

    def site_pages(self, site: str) -> dict[str, set[str]]:
        """page -> paths of the files whose records hold it, for every stored page of ``site``."""
        out: dict[str, set[str]] = {}
        with self.engine.connect() as conn:
            for page, path in conn.execute(
                select(t.site_pages.c.page, t.site_pages.c.path).where(t.site_pages.c.site == site)
            ):
                out.setdefault(page, set()).add(path)
        return out

    def sites_of_paths(self, paths: Iterable[str]) -> set[str]:
        """The sites whose pages came from these files."""
        wanted = list(paths)
        out: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                q = select(t.site_pages.c.site).where(t.site_pages.c.path.in_(wanted[i : i + 500])).distinct()
                out.update(r[0] for r in conn.execute(q))
        return out

    def line_pages(self, site: str, lines: Iterable[str]) -> dict[str, set[str]]:
        """line key -> the stored pages of ``site`` holding it, for the given line keys."""
        wanted = list(set(lines))
        out: dict[str, set[str]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                q = select(t.page_lines.c.line, t.page_lines.c.page).where(
                    (t.page_lines.c.site == site) & t.page_lines.c.line.in_(wanted[i : i + 500])
                )
                for line, page in conn.execute(q):
                    out.setdefault(line, set()).add(page)
        return out

    def lines_of_pages(self, site: str, pages: Iterable[str]) -> set[str]:
        """The line keys of the given stored pages of ``site``."""
        wanted = list(set(pages))
        out: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                q = select(t.page_lines.c.line).where(
                    (t.page_lines.c.site == site) & t.page_lines.c.page.in_(wanted[i : i + 500])
                )
                out.update(r[0] for r in conn.execute(q))
        return out

    # ------------------------------------------------------------------ copies

    def fingerprints(self) -> Iterator[tuple[str, bytes]]:
        """(document id, MinHash) of the documents in the dossier, by id."""
        f = t.fingerprints.c
        query = select(f.doc_id, f.minhash).join(t.documents, t.documents.c.id == f.doc_id).where(_LIVE)
        with self.engine.connect() as conn:
            yield from conn.execute(query.order_by(f.doc_id))

    def band_pairs(self, banded: Iterable[tuple[str, Iterable[bytes]]]) -> set[tuple[str, str]]:
        """The pairs of keys (smaller first) that share a band key at the same band position.

        ``banded`` gives each key its band keys in band order. They go to a scratch table of this
        connection (SQLite keeps it in a temporary file) and are joined there, so what stays in memory
        is the pairs found, not an index over the whole corpus (about 6 KB a document, see
        ``storyline.copies``).
        """
        bands = Table(
            "copy_bands",
            MetaData(),
            Column("band", Integer, nullable=False),
            Column("key", LargeBinary, nullable=False),
            Column("doc", String, nullable=False),
            prefixes=["TEMPORARY"],
        )
        a, b = bands.alias("a"), bands.alias("b")
        pairs = (
            select(a.c.doc, b.c.doc)
            .join(b, (a.c.band == b.c.band) & (a.c.key == b.c.key) & (a.c.doc < b.c.doc))
            .distinct()
        )
        with self.engine.connect() as conn:
            bands.create(conn)
            try:
                rows: list[dict[str, Any]] = []
                for doc, keys in banded:
                    rows += [{"band": i, "key": key, "doc": doc} for i, key in enumerate(keys)]
                    if len(rows) >= 10_000:
                        conn.execute(insert(bands), rows)
                        rows = []
                if rows:
                    conn.execute(insert(bands), rows)
                Index("copy_bands_key", bands.c.band, bands.c.key).create(conn)
                return {(min(x, y), max(x, y)) for x, y in conn.execute(pairs)}  # whatever the collation
            finally:
                bands.drop(conn)
                conn.commit()

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        wanted = list(ids)
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                q = select(t.documents.c.id, t.documents.c.text).where(t.documents.c.id.in_(wanted[i : i + 500]))
                out.update({r[0]: r[1] for r in conn.execute(q)})
        return out

    def published(self, ids: Iterable[str], *, conn: Connection | None = None) -> dict[str, str | None]:
        """id -> publication date of each stored document among ``ids`` (absent ones left out)."""
        wanted = list(ids)
        out: dict[str, str | None] = {}
        with self._reading(conn) as conn:
            for i in range(0, len(wanted), 500):
                q = select(t.documents.c.id, t.documents.c.published).where(
                    t.documents.c.id.in_(wanted[i : i + 500]) & _LIVE
                )
                out.update({r[0]: r[1] for r in conn.execute(q)})
        return out

    def set_groups(self, groups: dict[str, tuple[str | None, float | None]]) -> None:
        """Copy group of every document (None for a document with no copies)."""
        with self.transaction() as conn:
            conn.execute(update(t.documents).values(group_id=None, group_score=None))
            for doc_id, (group, score) in groups.items():
                if group is not None:
                    conn.execute(
                        update(t.documents).where(t.documents.c.id == doc_id).values(group_id=group, group_score=score)
                    )

    # ------------------------------------------------------------------ analyses

    def analysed(self, model: str, version: str, fingerprint: str | None = None) -> set[str]:
        """Ids of the documents analysed with this model under this version; with ``fingerprint``,
        only those whose analysis was made from a parse with that fingerprint, or records none."""
        a = t.analyses.c
        cond = (a.model == model) & (a.version == version)
        if fingerprint is not None:
            cond &= a.parse.is_(None) | (a.parse == fingerprint)
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(select(a.doc_id).where(cond))}

    def put_analyses(
        self,
        items: Iterable[Analysis],
        version: str,
        *,
        versions: Mapping[str, str] | None = None,
        parses: Mapping[str, bytes] | None = None,
        fingerprint: str | None = None,
        conn: Connection | None = None,
    ) -> None:
        """Store analyses under ``version``, each replacing its document's earlier one, in one transaction
        (``conn``'s when given).

        ``versions`` records the per-extractor versions they were made with, ``fingerprint`` the
        model fingerprint of the parses they were made from; ``parses`` (document id -> bytes, for
        documents among ``items``) stores such parses, replacing the documents' earlier ones.
        """
        items = list(items)
        if parses and fingerprint is None:
            raise ValueError("stored parses need the fingerprint of the model that made them")
        model_of = {a.doc: a.model for a in items}
        extra = set(parses or ()) - model_of.keys()
        if extra:
            raise ValueError(f"parses of {len(extra)} documents without an analysis in this batch")
        recorded = json.dumps(dict(versions), sort_keys=True) if versions is not None else None
        last = {a.doc: a for a in items}  # a document given twice: its last analysis replaces the earlier
        rows = [
            {
                "doc_id": a.doc,
                "model": a.model,
                "version": version,
                "data": json.dumps(_plain(a)),
                "versions": recorded,
                "parse": fingerprint,
            }
            for a in last.values()
        ]
        parse_rows = [
            {"doc_id": doc_id, "model": model_of[doc_id], "fingerprint": fingerprint, "data": data}
            for doc_id, data in (parses or {}).items()
        ]
        with self._writing(conn) as conn:
            for table, new_rows in ((t.analyses, rows), (t.parses, parse_rows)):
                ids = [r["doc_id"] for r in new_rows]
                for i in range(0, len(ids), 500):
                    conn.execute(delete(table).where(table.c.doc_id.in_(ids[i : i + 500])))
                if new_rows:
                    conn.execute(insert(table), new_rows)

    def parsed(self, model: str, fingerprint: str) -> set[str]:
        """Ids of the documents with a stored parse made by this model (same name and fingerprint)."""
        with self.engine.connect() as conn:
            q = (
                select(t.parses.c.doc_id)
                .join(t.documents, t.documents.c.id == t.parses.c.doc_id)
                .where((t.parses.c.model == model) & (t.parses.c.fingerprint == fingerprint) & _LIVE)
            )
            return {r[0] for r in conn.execute(q)}

    def parses(self, ids: Iterable[str], model: str, fingerprint: str) -> dict[str, bytes]:
        """document id -> stored parse bytes, for those of ``ids`` parsed by this model and fingerprint."""
        p = t.parses.c
        query = select(p.doc_id, p.data).where((p.model == model) & (p.fingerprint == fingerprint))
        with self.engine.connect() as conn:
            return {r[0]: bytes(r[1]) for q in _in_chunks(query, p.doc_id, list(ids)) for r in conn.execute(q)}

    def analysis_versions(
        self, model: str, ids: Iterable[str] | None = None
    ) -> dict[str, tuple[str | None, dict[str, str]]]:
        """document id -> (parse fingerprint, per-extractor versions) its analysis with this model was
        made with (None and empty for one stored without them); for all documents or those of ``ids``."""
        a = t.analyses.c
        query = select(a.doc_id, a.parse, a.versions).where(a.model == model)
        with self.engine.connect() as conn:
            rows = [r for q in _in_chunks(query, a.doc_id, ids) for r in conn.execute(q)]
        return {r[0]: (r[1], json.loads(r[2]) if r[2] else {}) for r in rows}

    def analyses(self, ids: Iterable[str] | None = None) -> list[Analysis]:
        """Analyses in document id order: all of the dossier's documents, or those of ``ids``."""
        query = (
            select(t.analyses.c.data)
            .join(t.documents, t.documents.c.id == t.analyses.c.doc_id)
            .where(_LIVE)
            .order_by(t.analyses.c.doc_id)
        )
        with self.engine.connect() as conn:
            rows = [r for q in _in_chunks(query, t.analyses.c.doc_id, ids) for r in conn.execute(q)]
        out = [analysis_from_dict(json.loads(r[0])) for r in rows]
        if ids is not None:
            out.sort(key=lambda a: a.doc)
        return out

    def doc_tokens(self, version: str) -> dict[str, bytes]:
        """document id -> token offsets stored under ``version`` (rows of another version are left out)."""
        k = t.doc_tokens.c
        with self.engine.connect() as conn:
            return {r[0]: bytes(r[1]) for r in conn.execute(select(k.doc_id, k.data).where(k.version == version))}

    def put_doc_tokens(self, rows: Mapping[str, bytes], version: str) -> None:
        """Store documents' token offsets under ``version`` in one transaction, each replacing its document's
        earlier row; rows of any other version go (what made them changed)."""
        k = t.doc_tokens.c
        with self.transaction() as conn:
            conn.execute(delete(t.doc_tokens).where(k.version != version))
            for q in _in_chunks(delete(t.doc_tokens), k.doc_id, list(rows)):
                conn.execute(q)
            if rows:
                live = {
                    r[0]
                    for q in _in_chunks(select(t.documents.c.id), t.documents.c.id, list(rows))
                    for r in conn.execute(q)
                }
                data = [{"doc_id": d, "version": version, "data": b} for d, b in rows.items() if d in live]
                if data:
                    conn.execute(insert(t.doc_tokens), data)

    # ------------------------------------------------------------------ resolution

    def put_resolution(self, res: Resolution) -> None:
        """Replace the corpus stage's results in one transaction."""
        with self.transaction() as conn:
            for table in (t.contested, t.events, t.stories, t.threads, t.quotes, t.mentions, t.entities):
                conn.execute(delete(table))
            if res.threads:
                _insert_many(
                    conn,
                    t.threads,
                    [{"id": x.id, "start": x.start, "data": json.dumps(_flat(x))} for x in res.threads],
                )
            if res.entities:
                _insert_many(
                    conn,
                    t.entities,
                    [
                        {"id": e.id, "name": e.name, "type": e.type, "data": json.dumps(_entity_data(e))}
                        for e in res.entities
                    ],
                )
                rows = [
                    {
                        "entity_id": e.id,
                        "doc_id": m.doc,
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                        "score": m.score,
                    }
                    for e in res.entities
                    for m in e.mentions
                ]
                if rows:
                    _insert_many(conn, t.mentions, rows)
            if res.quotes:
                _insert_many(
                    conn,
                    t.quotes,
                    [
                        {
                            "doc_id": q.doc,
                            "start": q.start,
                            "end": q.end,
                            "speaker": q.speaker,
                            "data": json.dumps(_flat(q)),
                        }
                        for q in res.quotes
                    ],
                )
            if res.stories:
                _insert_many(
                    conn,
                    t.stories,
                    [{"id": s.id, "date": s.date, "data": json.dumps(_flat(s))} for s in res.stories],
                )
            if res.events:
                _insert_many(
                    conn,
                    t.events,
                    [
                        {
                            "id": e.id,
                            "doc_id": e.doc,
                            "type": e.type,
                            "date": e.date,
                            "story_id": e.story,
                            "data": json.dumps(_flat(e)),
                        }
                        for e in res.events
                    ],
                )
            if res.contested:
                _insert_many(
                    conn,
                    t.contested,
                    [{"claim": c.claim, "denial": c.denial, "score": c.score} for c in res.contested],
                )

    def has_resolution(self) -> bool:
        """Whether the corpus stage has run on this store (it left threads or entities)."""
        with self.engine.connect() as conn:
            return any(conn.execute(select(table.c.id).limit(1)).first() for table in (t.threads, t.entities))

    def resolution(self) -> Resolution:
        with self.engine.connect() as conn:
            mentions: dict[str, list[EntityMention]] = {}
            for r in conn.execute(select(t.mentions).order_by(t.mentions.c.doc_id, t.mentions.c.start)).mappings():
                mentions.setdefault(r["entity_id"], []).append(
                    EntityMention(doc=r["doc_id"], start=r["start"], end=r["end"], text=r["text"], score=r["score"])
                )
            entities = []
            for r in conn.execute(select(t.entities).order_by(t.entities.c.name)).mappings():
                data = json.loads(r["data"])
                entities.append(
                    Entity(
                        id=r["id"],
                        name=r["name"],
                        type=r["type"],
                        aliases=data.get("aliases", []),
                        mentions=mentions.get(r["id"], []),
                        merge_scores=data.get("merge_scores", {}),
                        merge_reasons=data.get("merge_reasons", {}),
                        roles=data.get("roles", []),
                    )
                )
            quotes = [
                ResolvedQuote(**json.loads(r[0])) for r in conn.execute(select(t.quotes.c.data).order_by(t.quotes.c.id))
            ]
            events = [
                ResolvedEvent(**json.loads(r[0])) for r in conn.execute(select(t.events.c.data).order_by(t.events.c.id))
            ]
            stories = [
                Story(**json.loads(r[0])) for r in conn.execute(select(t.stories.c.data).order_by(t.stories.c.id))
            ]
            contested = [
                Contested(claim=r[0], denial=r[1], score=r[2])
                for r in conn.execute(select(t.contested.c.claim, t.contested.c.denial, t.contested.c.score))
            ]
            threads = [
                Thread(**json.loads(r[0])) for r in conn.execute(select(t.threads.c.data).order_by(t.threads.c.id))
            ]
            threads.sort(key=lambda x: (x.start or "9999", x.id))  # the order resolve gives them
        return Resolution(
            entities=entities, quotes=quotes, events=events, stories=stories, contested=contested, threads=threads
        )

    # ------------------------------------------------------------------ search

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Full-text search over clean text, best first, with a highlighted snippet.

        Snippets mark hits with U+E000/U+E001 so that a caller can escape the text first and
        then turn the markers into tags.
        """
        terms = _fts_query(query)
        if not terms:
            return []
        with self.engine.connect() as conn:
            if self.is_sqlite:
                rows = conn.execute(
                    text(
                        "SELECT d.id, d.title, d.source, d.published, "
                        "snippet(documents_fts, 1, '\ue000', '\ue001', ' … ', 24) AS snippet "
                        "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
                        "WHERE documents_fts MATCH :q AND d.removed_at IS NULL "
                        "ORDER BY bm25(documents_fts) LIMIT :limit OFFSET :offset"
                    ),
                    {"q": terms, "limit": limit, "offset": offset},
                ).mappings()
            else:
                rows = conn.execute(
                    text(
                        "SELECT id, title, source, published, ts_headline('english', text, q, "
                        "'StartSel=\ue000, StopSel=\ue001, MaxFragments=2') AS snippet "
                        "FROM documents, plainto_tsquery('english', :raw) q "
                        "WHERE to_tsvector('english', coalesce(title, '') || ' ' || text) @@ q AND removed_at IS NULL "
                        "ORDER BY ts_rank(to_tsvector('english', text), q) DESC LIMIT :limit OFFSET :offset"
                    ),
                    {"raw": query, "limit": limit, "offset": offset},
                ).mappings()
            return [dict(r) for r in rows]

    def stats(self) -> dict[str, Any]:
        with self.engine.connect() as conn:

            def count(table: Any) -> int:
                return conn.execute(select(func.count()).select_from(table)).scalar_one()

            d = t.documents.c
            dates = conn.execute(select(func.min(d.published), func.max(d.published)).where(_LIVE)).first()
            groups = conn.execute(
                select(func.count(func.distinct(d.group_id))).where(d.group_id.is_not(None) & _LIVE)
            ).scalar_one()
            return {
                "documents": conn.execute(select(func.count()).select_from(t.documents).where(_LIVE)).scalar_one(),
                "sources": count(t.document_sources),
                "copy_groups": groups,
                "entities": count(t.entities),
                "quotes": count(t.quotes),
                "events": count(t.events),
                "stories": count(t.stories),
                "threads": count(t.threads),
                "not_analysed": conn.execute(
                    select(func.count()).select_from(t.documents).where(t.documents.c.not_analysed.is_not(None))
                ).scalar_one(),
                "contested": count(t.contested),
                "files_failed": conn.execute(
                    select(func.count()).select_from(t.files).where(t.files.c.status == "error")
                ).scalar_one(),
                "first_date": dates[0] if dates else None,
                "last_date": dates[1] if dates else None,
                "removed_documents": conn.execute(  # kept as history: their files were edited or deleted
                    select(func.count()).select_from(t.documents).where(~_LIVE)
                ).scalar_one(),
                "builds": self.count_runs(),  # a build may change documents and leave every count as it was
            }

    # ------------------------------------------------------------------ files read, builds run

    def files(self, *, failed: bool = False) -> list[dict[str, Any]]:
        """Every file the store has read (path, size, status, records, error), by path; ``failed``: only
        those whose last reading went wrong."""
        q = select(t.files.c.path, t.files.c.size, t.files.c.status, t.files.c.records, t.files.c.error)
        if failed:
            q = q.where(t.files.c.status == "error")
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q.order_by(t.files.c.path)).mappings()]

    def failed_files(self) -> dict[str, tuple[str, int]]:
        """path -> (last error, records it still gave) of every file whose last reading went wrong."""
        return {r["path"]: (r["error"] or "", r["records"]) for r in self.files(failed=True)}

    def analysed_any(self, version: str) -> set[str]:
        """Ids of the documents analysed by this extractor version, with whichever model."""
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(select(t.analyses.c.doc_id).where(t.analyses.c.version == version))}

    def put_run(
        self, started: str, finished: str, counts: dict[str, Any], changes: Iterable[dict[str, Any]]
    ) -> int:
        """Record one build and what it changed; return the run's number (1, 2, ...).

        ``changes`` (the items, in their order) is consumed as it is written, :data:`RUN_ITEMS_WRITTEN`
        rows a statement, in the run's one transaction: a lazy iterable is never held whole.
        """
        with self.transaction() as conn:
            row = {"started": started, "finished": finished, "counts": json.dumps(counts)}
            run_id = int(conn.execute(insert(t.runs).values(**row)).inserted_primary_key[0])
            batch: list[dict[str, Any]] = []
            for seq, item in enumerate(changes):
                batch.append({"run_id": run_id, "seq": seq, "item": json.dumps(item)})
                if len(batch) == RUN_ITEMS_WRITTEN:
                    conn.execute(insert(t.run_changes), batch)
                    batch = []
            if batch:
                conn.execute(insert(t.run_changes), batch)
            return run_id

    def runs(self, since: int = 0, *, last: int | None = None) -> list[dict[str, Any]]:
        """The recorded builds after run ``since`` (only the ``last`` ones when given), oldest first, each
        with its ``changes`` (the items); none in a store made before runs were kept. A store opened read
        only before 0013_run_changes has them as one JSON value in ``runs.changes``: read from there."""
        with self.engine.connect() as conn:
            if not conn.dialect.has_table(conn, "runs"):
                return []
            q = select(t.runs).where(t.runs.c.id > since).order_by(t.runs.c.id.desc()).limit(last)
            rows = list(conn.execute(q).mappings())[::-1]
            old = "changes" in {c["name"] for c in inspect(conn).get_columns("runs")}
            out = []
            for r in rows:
                if old:
                    value = conn.execute(text("SELECT changes FROM runs WHERE id = :id"), {"id": r["id"]})
                    items = json.loads(value.scalar_one())
                else:
                    q = select(t.run_changes.c.item).where(t.run_changes.c.run_id == r["id"])
                    items = [json.loads(item) for (item,) in conn.execute(q.order_by(t.run_changes.c.seq))]
                out.append({**r, "counts": json.loads(r["counts"]), "changes": items})
            return out

    def count_runs(self, since: int = 0) -> int:
        """How many builds are recorded after run ``since``."""
        with self.engine.connect() as conn:
            if not conn.dialect.has_table(conn, "runs"):
                return 0
            return conn.execute(select(func.count()).select_from(t.runs).where(t.runs.c.id > since)).scalar_one()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


WRITE_ATTEMPTS = 5  # a deadlock between writers is rare (pages shared by files of two partitions): a few retries
_RETRIED = {"40P01", "40001"}  # PostgreSQL's deadlock_detected, serialization_failure


def _lock_key(doc_id: str) -> int:
    """A document id as a PostgreSQL advisory lock key: a signed 64-bit digest."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big", signed=True)


def _in_chunks(query: Any, column: Any, ids: Iterable[str] | None) -> list[Any]:
    """``query`` as is (``ids`` None), or once per 500 of ``ids``, each restricted to them."""
    if ids is None:
        return [query]
    wanted = list(ids)
    return [query.where(column.in_(wanted[i : i + 500])) for i in range(0, len(wanted), 500)]


_LIVE = t.documents.c.removed_at.is_(None)  # a document in the dossier, not kept as history
_COPY_KEYS = ("source", "published", "published_from", "title")  # what a document's copies settle between them
_KEPT_KEYS = ("id", "group_id", "group_score")  # what a copy's row never replaces


def _document_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "source": doc.source,
        "format": doc.format,
        "title": doc.title,
        "published": doc.published,
        "published_from": doc.published_from,
        "url": doc.url,
        "site": doc.site,
        "raw": doc.raw,
        "text": doc.text,
        "segments": json.dumps([[s.clean_start, s.raw_start, s.length] for s in doc.segments]),
        "removed": json.dumps([[r.start, r.end, r.reason] for r in doc.removed]),
        "words": doc.words,
        "group_id": None,
        "group_score": None,
        "not_analysed": doc.not_analysed,
        "language": doc.language,
    }


def _fts_query(query: str) -> str:
    """A user's words as an FTS5 query of quoted terms (no operator injection)."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
    return " ".join(f'"{w}"' for w in words)


def _flat(obj: Any) -> dict[str, Any]:
    """The fields of a dataclass that holds no dataclass, as a dict: what ``asdict`` gives (the same JSON),
    without its deep copy of every list (the corpus stage writes some 100,000 of them)."""
    return {name: getattr(obj, name) for name in _field_names(type(obj))}


def _insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys, plain values) in one statement run per row. On SQLite
    the driver's ``executemany`` takes them as tuples: SQLAlchemy's parameter processing per row was
    about half the cost of writing a corpus stage's half a million rows; on other databases SQLAlchemy's."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    names = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {conn.dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(n) for n in names)}) VALUES ({', '.join('?' * len(names))})"
    )
    conn.exec_driver_sql(sql, [tuple(r[n] for n in names) for r in rows])


def _plain(obj: Any) -> Any:
    """A dataclass (nested ones, lists, tuples and dicts too) as plain values: what ``asdict`` gives (the
    same JSON), without its deep copy of every leaf value (each stored analysis is thousands of them)."""
    if hasattr(type(obj), "__dataclass_fields__"):
        return {name: _plain(getattr(obj, name)) for name in _field_names(type(obj))}
    if type(obj) is list:
        return [_plain(v) for v in obj]
    if type(obj) is tuple:
        return tuple(_plain(v) for v in obj)
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _entity_data(e: Entity) -> dict[str, Any]:
    return {"aliases": e.aliases, "merge_scores": e.merge_scores, "merge_reasons": e.merge_reasons, "roles": e.roles}


def _document(r: Any, sources: list[str]) -> Document:
    return Document(
        id=r["id"],
        source=r["source"],
        text=r["text"],
        raw=r.get("raw", ""),
        format=r["format"],
        sources=sources or [r["source"]],
        title=r["title"],
        published=r["published"],
        published_from=r["published_from"],
        url=r["url"],
        site=r["site"],
        segments=[Segment(*s) for s in json.loads(r["segments"])],
        removed=[Removal(*x) for x in json.loads(r["removed"])],
        group=r["group_id"],
        group_score=r["group_score"],
        not_analysed=r.get("not_analysed"),
        language=r.get("language"),
    )


def analysis_from_dict(d: dict[str, Any]) -> Analysis:
    return Analysis(
        doc=d["doc"],
        model=d["model"],
        mentions=[Mention(**m) for m in d.get("mentions", [])],
        timexes=[Timex(**x) for x in d.get("timexes", [])],
        quotes=[Quote(**q) for q in d.get("quotes", [])],
        events=[Event(**e) for e in d.get("events", [])],
        sentences=[tuple(s) for s in d.get("sentences", [])],
    )
