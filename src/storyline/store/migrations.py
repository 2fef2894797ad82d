"""Named, ordered schema migrations, recorded in the database they were applied to.

Each migration is a function of a SQLAlchemy connection. A new migration is appended to
``MIGRATIONS`` under a new name; applied ones are never edited.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, inspect, select, text, update

from storyline.store.schema import metadata


def _initial(conn: Connection) -> None:
    metadata.create_all(conn)


def _fulltext(conn: Connection) -> None:
    """Full-text index over clean text: FTS5 on SQLite, a tsvector index on PostgreSQL."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
                "title, text, content='documents', content_rowid='rowid', tokenize='porter unicode61')"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS documents_ai AFTER INSERT ON documents BEGIN "
                "INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS documents_ad AFTER DELETE ON documents BEGIN "
                "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
                "VALUES ('delete', old.rowid, old.title, old.text); END"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS documents_au AFTER UPDATE OF title, text ON documents BEGIN "
                "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
                "VALUES ('delete', old.rowid, old.title, old.text); "
                "INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"
            )
        )
    elif conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "CREATE INDEX IF NOT EXISTS documents_text_fts ON documents "
                "USING gin (to_tsvector('english', coalesce(title, '') || ' ' || text))"
            )
        )


def _threads(conn: Connection) -> None:
    """The threads table (documents that cover one real-world event)."""
    from storyline.store.schema import threads

    threads.create(conn, checkfirst=True)


def _runs(conn: Connection) -> None:
    """The runs table: one row a build, with what it changed (see :mod:`storyline.changes`)."""
    from storyline.store.schema import runs

    runs.create(conn, checkfirst=True)


def _parses(conn: Connection) -> None:
    """Stored parses (the parses table); each analysis's extractor versions and parse fingerprint."""
    from storyline.store.schema import parses

    parses.create(conn, checkfirst=True)
    have = {c["name"] for c in inspect(conn).get_columns("analyses")}
    if "versions" not in have:
        conn.execute(text("ALTER TABLE analyses ADD COLUMN versions TEXT"))
    if "parse" not in have:
        conn.execute(text("ALTER TABLE analyses ADD COLUMN parse VARCHAR(40)"))


def _site_pages(conn: Connection) -> None:
    """Site lines counted per distinct page (``site_pages``, ``page_lines``) instead of a running count.

    The pages are filled from the stored documents (each source gets its document's raw text: the
    one the store kept), so an older store keeps counting what it holds; ``site_lines`` goes.
    """
    from storyline.clean.recurring import page_key, page_lines
    from storyline.store.schema import document_sources, documents, site_pages
    from storyline.store.schema import page_lines as page_lines_table

    site_pages.create(conn, checkfirst=True)
    page_lines_table.create(conn, checkfirst=True)
    conn.execute(text("DROP TABLE IF EXISTS site_lines"))
    sources: dict[str, list[tuple[str, str]]] = {}
    for source, path, doc_id in conn.execute(
        select(document_sources.c.source, document_sources.c.path, document_sources.c.doc_id)
    ):
        sources.setdefault(doc_id, []).append((source, path))
    query = select(documents.c.id, documents.c.site, documents.c.raw).where(documents.c.site.is_not(None))
    for doc_id, site, raw in conn.execute(query).all():
        page = page_key(raw)
        rows = [{"source": s, "path": p, "site": site, "page": page} for s, p in sources.get(doc_id, [])]
        lines = page_lines(raw)
        if rows:
            conn.execute(insert(site_pages), rows)
        if rows and lines:
            conn.execute(
                text(
                    "INSERT INTO page_lines (site, line, page) VALUES (:site, :line, :page) ON CONFLICT DO NOTHING"
                ),
                [{"site": site, "line": key, "page": page} for key in lines],
            )


def _removed(conn: Connection) -> None:
    """Documents kept as history when their files are deleted or edited (``removed_at``, ``replaced_by``)."""
    have = {c["name"] for c in inspect(conn).get_columns("documents")}
    if "removed_at" not in have:
        conn.execute(text("ALTER TABLE documents ADD COLUMN removed_at VARCHAR(40)"))
    if "replaced_by" not in have:
        conn.execute(text("ALTER TABLE documents ADD COLUMN replaced_by VARCHAR(40)"))


def _languages(conn: Connection) -> None:
    """``documents.not_analysed``: why the NLP stage leaves a document alone (a script it does not read).

    Stored documents are flagged from their clean text; a flagged one loses the analysis and parse it
    was given as English text, so the corpus stage no longer counts it.
    """
    from storyline.clean.script import unread_script
    from storyline.store.schema import analyses, documents, parses

    if "not_analysed" not in {c["name"] for c in inspect(conn).get_columns("documents")}:
        conn.execute(text("ALTER TABLE documents ADD COLUMN not_analysed TEXT"))
    flagged = {
        doc_id: reason
        for doc_id, body in conn.execute(select(documents.c.id, documents.c.text))
        if (reason := unread_script(body)) is not None
    }
    for doc_id, reason in flagged.items():
        conn.execute(update(documents).where(documents.c.id == doc_id).values(not_analysed=reason))
        conn.execute(delete(analyses).where(analyses.c.doc_id == doc_id))
        conn.execute(delete(parses).where(parses.c.doc_id == doc_id))


def _claims(conn: Connection) -> None:
    """The claims table: partitions stored by the Dask workers themselves (see schema.claims)."""
    from storyline.store.schema import claims

    claims.create(conn, checkfirst=True)


def _copy_dates(conn: Connection) -> None:
    """Each copy's own date and title beside its source (``document_sources``), so that a document's
    copies settle its date in any order. A stored copy is given its document's row's values when it
    is the one the row came from (the others' were not kept)."""
    have = {c["name"] for c in inspect(conn).get_columns("document_sources")}
    for name, kind in (("published", "VARCHAR(40)"), ("published_from", "VARCHAR(20)"), ("title", "TEXT")):
        if name not in have:
            conn.execute(text(f"ALTER TABLE document_sources ADD COLUMN {name} {kind}"))
            conn.execute(
                text(
                    f"UPDATE document_sources SET {name} = (SELECT d.{name} FROM documents d "
                    "WHERE d.id = document_sources.doc_id AND d.source = document_sources.source)"
                )
            )


def _language(conn: Connection) -> None:
    """``documents.language``: the language of each document's clean text (:mod:`storyline.clean.language`).

    Stored documents are given theirs from their clean text; one in a language other than English that
    was not flagged yet is flagged as not analysed, and loses the analysis and parse it was given as
    English text (as ``0008_languages`` does for the scripts the NLP does not read).
    """
    from storyline.clean.language import reading
    from storyline.store.schema import analyses, documents, parses

    if "language" not in {c["name"] for c in inspect(conn).get_columns("documents")}:
        conn.execute(text("ALTER TABLE documents ADD COLUMN language VARCHAR(12)"))
    rows = conn.execute(select(documents.c.id, documents.c.text, documents.c.not_analysed)).all()
    for doc_id, body, flagged in rows:
        language, reason = reading(body)
        values: dict[str, str | None] = {"language": language}
        if flagged is None and reason is not None:
            values["not_analysed"] = reason
            conn.execute(delete(analyses).where(analyses.c.doc_id == doc_id))
            conn.execute(delete(parses).where(parses.c.doc_id == doc_id))
        if language is not None or len(values) > 1:
            conn.execute(update(documents).where(documents.c.id == doc_id).values(**values))


def _doc_tokens(conn: Connection) -> None:
    """The doc_tokens table: documents' token offsets kept for the corpus stage (resolve/names.py). It
    starts empty: the next corpus stage tokenises every document once and stores them."""
    from storyline.store.schema import doc_tokens

    doc_tokens.create(conn, checkfirst=True)


def _run_changes(conn: Connection) -> None:
    """The run_changes table: each run's items one a row, moved out of the one JSON value of
    ``runs.changes`` (read a run at a time), which goes."""
    from storyline.store.schema import run_changes

    run_changes.create(conn, checkfirst=True)
    if "changes" not in {c["name"] for c in inspect(conn).get_columns("runs")}:
        return
    for (run_id,) in conn.execute(text("SELECT id FROM runs ORDER BY id")).all():
        value = conn.execute(text("SELECT changes FROM runs WHERE id = :id"), {"id": run_id}).scalar_one()
        rows = [{"run_id": run_id, "seq": i, "item": json.dumps(item)} for i, item in enumerate(json.loads(value))]
        if rows:
            conn.execute(insert(run_changes), rows)
    conn.execute(text("ALTER TABLE runs DROP COLUMN changes"))  # SQLite 3.35 and later, PostgreSQL


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_initial", _initial),
    ("0002_fulltext", _fulltext),
    ("0003_threads", _threads),
    ("0004_runs", _runs),
    ("0005_parses", _parses),
    ("0006_site_pages", _site_pages),
    ("0007_removed", _removed),
    ("0008_languages", _languages),
    ("0009_claims", _claims),
    ("0010_copy_dates", _copy_dates),
    ("0011_language", _language),
    ("0012_doc_tokens", _doc_tokens),
    ("0013_run_changes", _run_changes),
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: Connection) -> list[str]:
    """Apply the migrations this database has not had yet; return their names."""
    conn.execute(
        text("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR(100) PRIMARY KEY, applied_at VARCHAR(40))")
    )
    done = {row[0] for row in conn.execute(text("SELECT name FROM schema_migrations"))}
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        step(conn)
        conn.execute(
            text("INSERT INTO schema_migrations (name, applied_at) VALUES (:n, :t)"),
            {"n": name, "t": datetime.now(UTC).isoformat(timespec="seconds")},
        )
        applied.append(name)
    return applied
