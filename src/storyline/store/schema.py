"""Tables of the store (SQLAlchemy Core, so SQLite and PostgreSQL share one definition).

Per-document results (documents, fingerprints, parses, analyses) are written batch by batch as the
document stages finish; corpus results (entities, quotes, events, stories, contested) are
replaced as a whole each time the corpus stage runs. Nested records are JSON text.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

files = Table(
    "files",
    metadata,
    Column("path", Text, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("status", String(10), nullable=False),  # "ok", "error", or "removed" (gone from its folder)
    Column("error", Text),
    Column("records", Integer, nullable=False, default=0),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("source", Text, nullable=False),
    Column("format", String(10), nullable=False),
    Column("title", Text),
    Column("published", String(40)),
    Column("published_from", String(20)),
    Column("url", Text),
    Column("site", Text),
    Column("raw", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("segments", Text, nullable=False),  # JSON [[clean_start, raw_start, length], ...]
    Column("removed", Text, nullable=False),  # JSON [[raw_start, raw_end, reason], ...]
    Column("words", Integer, nullable=False),
    Column("group_id", String(40)),
    Column("group_score", Float),
    # A document whose files are gone or edited stays as history (0007_removed): when it left the
    # dossier, and the document its source's edited file gave instead (null: none, or not edited).
    Column("removed_at", String(40)),
    Column("replaced_by", String(40)),
    Column("not_analysed", Text),  # why the NLP stage leaves it alone (see Document.not_analysed), or NULL
    Column("language", String(12)),  # ISO 639 code of its language, or NULL: not told (0011_language)
)

document_sources = Table(
    "document_sources",
    metadata,
    Column("source", Text, primary_key=True),  # file path, or path#record
    Column("path", Text, nullable=False, index=True),  # the file it came from
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    # the copy's own date and title, which settle its document's where the first copy has none
    Column("published", String(40)),
    Column("published_from", String(20)),
    Column("title", Text),
)

raw_html = Table(
    "raw_html",
    metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("html", Text, nullable=False),
)

fingerprints = Table(
    "fingerprints",
    metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),
)

# A site's recurring lines are counted over its distinct pages: each stored record names its page
# (a digest of its raw text), each page lists its short lines once, so counting a page again changes
# nothing and a line's count is the number of distinct pages holding it.
site_pages = Table(
    "site_pages",
    metadata,
    Column("source", Text, primary_key=True),  # a record: file path, or path#record
    Column("path", Text, nullable=False, index=True),  # the file it came from
    Column("site", Text, nullable=False, index=True),
    Column("page", String(32), nullable=False),  # digest of the record's raw text
)

page_lines = Table(
    "page_lines",
    metadata,
    Column("site", Text, primary_key=True),
    Column("line", String(24), primary_key=True),  # digest of a normalised line
    Column("page", String(32), primary_key=True),
)

analyses = Table(
    "analyses",
    metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("model", String(100), nullable=False),
    Column("version", String(20), nullable=False),  # nlp.analyze.ANALYSIS_VERSION: all extractors' versions
    Column("data", Text, nullable=False),
    Column("versions", Text),  # JSON {extractor: version} it was made with (null before 0005_parses)
    Column("parse", String(40)),  # fingerprint of the model whose parse it was made from (null: unknown)
)

# One stored parse per document (nlp.parses): DocBin bytes of what the extractors read, and the
# model fingerprint (nlp.model.model_fingerprint) it was made with.
parses = Table(
    "parses",
    metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("model", String(100), nullable=False),
    Column("fingerprint", String(40), nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# Per-document products of the corpus stage that depend on the document alone, kept between builds so an
# incremental build computes them for its new documents only: the token offsets of resolve/names.py
# (``version``: what made them, resolve.names.TOKENS_VERSION; a row of another version is made again).
doc_tokens = Table(
    "doc_tokens",
    metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("version", String(100), nullable=False),
    Column("data", LargeBinary, nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(10), nullable=False),
    Column("data", Text, nullable=False),
)

mentions = Table(
    "mentions",
    metadata,
    Column("entity_id", String(40), ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("score", Float, nullable=False),
    Index("mentions_entity", "entity_id"),
    Index("mentions_doc", "doc_id", "start"),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("speaker", String(40), index=True),
    Column("data", Text, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("type", String(12), nullable=False),
    Column("date", String(40)),
    Column("story_id", String(40), index=True),
    Column("data", Text, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("date", String(40)),
    Column("data", Text, nullable=False),
)

contested = Table(
    "contested",
    metadata,
    Column("claim", String(40), primary_key=True),
    Column("denial", String(40), primary_key=True),
    Column("score", Float, nullable=False),
)

threads = Table(
    "threads",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("start", String(40)),
    Column("data", Text, nullable=False),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text),
)

# One row a partition of a build whose Dask workers write to the store themselves (a PostgreSQL store):
# inserted first in the transaction that stores the partition, with what that stored, so a partition
# run again (its worker lost) finds it and stores nothing twice. Dropped when the build's ingest ends.
claims = Table(
    "claims",
    metadata,
    Column("key", String(100), primary_key=True),  # the build's token and the partition's number
    Column("summary", Text),  # JSON: what storing the partition gave (pipeline.StoredBatch)
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started", String(40), nullable=False),
    Column("finished", String(40), nullable=False),
    Column("counts", Text, nullable=False),  # JSON: what the build read and did
)

# What each run added, one item a row (storyline.changes: kind, ref, line and the cited sentences), in
# the order they are listed; written in batches as the run is recorded, so a run of 100,000 new
# documents never holds its record whole. (Before 0013_run_changes: the JSON list in runs.changes.)
run_changes = Table(
    "run_changes",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),  # the item's place in the run's list, from 0
    Column("item", Text, nullable=False),  # JSON: {kind, ref, line, cites}
)
