"""Migration 0011_language: an older store's documents get their language, and one in a language
other than English, analysed as English before, is flagged and loses that analysis."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from language_texts import FOREIGN
from storyline.model import Analysis, RawRecord
from storyline.pipeline import make_document
from storyline.store import Store

ENGLISH = (
    "The harbour authority said on Tuesday that the new container terminal would open to ships in the "
    "spring, two years later than first planned, after a dispute over dredging costs."
)


def test_migration_gives_stored_documents_their_language_and_flags_those_not_in_english(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    ru = make_document(RawRecord(source="ru.txt", raw=FOREIGN["ru"], format="text"))
    en = make_document(RawRecord(source="en.txt", raw=ENGLISH, format="text"))
    zh = make_document(RawRecord(source="zh.txt", raw="港口管理局周三宣布，新的码头将于明年春天开放。", format="text"))
    assert (ru.language, en.language, zh.language) == ("ru", "en", "zh")
    with Store(path) as store:
        with store.transaction() as conn:
            store.put_documents(conn, [(d, f"/x/{d.source}", None, None) for d in (ru, en, zh)])
        store.put_analyses([Analysis(doc=ru.id, model="m"), Analysis(doc=en.id, model="m")], "1")
    with sqlite3.connect(path) as db:  # as a store of migration 0010 has it: the Russian text analysed as English
        db.execute("UPDATE documents SET not_analysed = NULL WHERE id = ?", (ru.id,))
        db.execute("ALTER TABLE documents DROP COLUMN language")
        db.execute("DELETE FROM schema_migrations WHERE name = '0011_language'")
    with Store(path) as store:
        assert store.not_analysed() == {
            ru.id: "Russian text (storyline's NLP reads English)",
            zh.id: "Han script (storyline's NLP reads English)",  # flagged by 0008, kept as it was
        }
        assert store.analysed("m", "1") == {en.id}
        assert {d.source: d.language for d in store.documents()} == {"en.txt": "en", "ru.txt": "ru", "zh.txt": "zh"}
