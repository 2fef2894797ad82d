"""Helpers for tests of stored parses: read the parses table, make analyses stale as a code change would."""

from __future__ import annotations

import json

from sqlalchemy import text

from storyline.config import BuildConfig
from storyline.store import Store


def stored_parses(store: Store) -> dict[str, tuple[str, bytes]]:
    """document id -> (model fingerprint, bytes) of every stored parse."""
    with store.engine.connect() as conn:
        return {r[0]: (r[1], bytes(r[2])) for r in conn.execute(text("SELECT doc_id, fingerprint, data FROM parses"))}


def make_stale(store: Store, extractor: str) -> None:
    """Record, for every analysis, an older version of one extractor: what a change to its code leaves."""
    with store.transaction() as conn:
        for doc_id, (_, versions) in store.analysis_versions(BuildConfig().model).items():
            older = json.dumps({**versions, extractor: "0" * 12})
            update = text("UPDATE analyses SET version = 'older', versions = :v WHERE doc_id = :i")
            conn.execute(update, {"v": older, "i": doc_id})


def break_parse(store: Store, doc_id: str) -> None:
    """Overwrite one stored parse with bytes that are no parse (a zlib header, then junk)."""
    with store.transaction() as conn:
        conn.execute(text("UPDATE parses SET data = :d WHERE doc_id = :i"), {"d": b"\x78\x9cbroken", "i": doc_id})
