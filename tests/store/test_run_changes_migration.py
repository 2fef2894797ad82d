"""Migration 0013_run_changes: a run's items move from the one JSON value of ``runs.changes`` to rows
of ``run_changes``; a store opened read only before it is read from the old value."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from storyline.store import Store

ITEMS = [
    {"kind": "document", "ref": f"d{i}", "line": f"Title {i} — “quoted”", "cites": [
        {"doc": f"d{i}", "start": 0, "end": 12, "quote": "First words…"}]}
    for i in range(7)
] + [{"kind": "story", "ref": "s1", "line": "A story", "cites": []}]  # fmt: skip


def _as_before_0013(path: Path, runs: list[list[dict[str, object]]]) -> None:
    """The store as 0012 left it: each run's items one JSON value in ``runs.changes``, no run_changes."""
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE run_changes")
        db.execute("ALTER TABLE runs ADD COLUMN changes TEXT NOT NULL DEFAULT '[]'")
        for run_id, items in enumerate(runs, 1):
            db.execute("UPDATE runs SET changes = ? WHERE id = ?", (json.dumps(items), run_id))
        db.execute("DELETE FROM schema_migrations WHERE name = '0013_run_changes'")


def test_an_older_stores_runs_read_the_same_before_and_after_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        store.put_run("2026-01-01T00:00:00+00:00", "2026-01-01T00:00:09+00:00", {"files": 8}, ITEMS)
        store.put_run("2026-01-02T00:00:00+00:00", "2026-01-02T00:00:01+00:00", {"files": 8}, [])
        made = store.runs()
    _as_before_0013(path, [ITEMS, []])
    with Store(path, readonly=True) as store:  # not migrated: read from runs.changes
        assert store.runs() == made
        assert store.runs(last=1) == made[1:]
    with Store(path) as store:
        assert store.runs() == made
        assert [r["changes"] for r in made] == [ITEMS, []]
        store.put_run("c", "d", {"files": 9}, iter(ITEMS[:2]))
        assert [r["changes"] for r in store.runs(1)] == [[], ITEMS[:2]]
    with sqlite3.connect(path) as db:
        assert "changes" not in {row[1] for row in db.execute("PRAGMA table_info(runs)")}
        assert db.execute("SELECT count(*) FROM run_changes").fetchone() == (len(ITEMS) + 2,)
