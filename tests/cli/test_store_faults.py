"""A damaged store and a full disk are one line each, with what to do (issue 10, "Store faults").

The quick cases, run by ``make test``; kill -9, a real full tmpfs and concurrent builds are in
``tests/test_faults.py`` (``make test-faults``).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from faultkit import cli, count, export, overwrite_pages, page_bounds, unbroken, write_files, write_settings
from storyline.store.db import MAX_PAGES_ENV

DAMAGED_END = "restore a copy of it, or build into a new file (--db NEW.db)"


def _store(tmp_path: Path, n: int = 12) -> tuple[Path, Path]:
    folder = write_files(tmp_path / "in", n)
    db = tmp_path / "s.db"
    assert cli("build", str(folder), "--db", str(db), "--no-nlp", "--quiet") == (0, [])
    return folder, db






def damage(tmp_path: Path, how: str) -> tuple[Path, Path]:
    folder, db = _store(tmp_path)
    pages, roots = page_bounds(db)
    if how == "middle pages":  # the middle third of the file: the schema itself may be hit
        overwrite_pages(db, pages // 3, 2 * pages // 3)
    elif how == "data pages":  # past every root page: the file opens and a command meets the damage
        overwrite_pages(db, roots + 2, pages - 1)
    else:  # random bytes named .db
        db = tmp_path / "random.db"
        db.write_bytes(os.urandom(64 * 1024))
    return folder, db


@pytest.mark.parametrize("how", ["middle pages", "data pages", "random bytes"])
@pytest.mark.parametrize("command", ["build", "export", "docs"])
def test_damaged_store_is_one_line_naming_the_file_quick_check_and_what_to_do(
    tmp_path: Path, how: str, command: str
) -> None:
    folder, db = damage(tmp_path, how)
    before = db.read_bytes()
    args = {
        "build": ["build", str(folder), "--no-nlp", "--quiet"],
        "export": ["export", "--format", "json", "-o", str(tmp_path / "out.json")],
        "docs": ["docs"],
    }[command]
    code, lines = cli(*args, "--db", str(db))
    assert code == 1
    (line,) = lines
    assert line.startswith(f"error: {db}: the store is damaged ("), line
    assert "PRAGMA quick_check: " in line and line.endswith(DAMAGED_END)
    if how == "random bytes":
        assert "(file is not a database)" in line
    else:
        assert "(database disk image is malformed)" in line
    if how == "data pages":  # quick_check ran and says which pages
        assert "PRAGMA quick_check: cannot run" not in line and "Page " in line
    assert db.read_bytes() == before, "a damaged store is left as it was"
    assert not (tmp_path / "out.json").exists()


def test_full_store_stops_with_one_line_and_the_same_build_resumes_to_the_same_dossier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLITE_FULL through the page-limit knob (STORYLINE_SQLITE_MAX_PAGES): the build stops, what was
    committed stays, and the same command, with room again, gives an unbroken build's dossier."""
    n = 40
    folder = write_files(tmp_path / "in", n)
    settings = write_settings(tmp_path / "small.toml", file_batch=4)
    expected = unbroken(tmp_path, folder, "--no-nlp", "--config", str(settings))
    empty = tmp_path / "empty.db"
    assert cli("build", str(write_files(tmp_path / "none", 0)), "--db", str(empty), "--no-nlp", "--quiet")[0] == 0
    low, high = page_bounds(empty)[0], page_bounds(tmp_path / "unbroken.db")[0]
    assert high > low + 8

    db = tmp_path / "s.db"
    build = ("build", str(folder), "--db", str(db), "--no-nlp", "--quiet", "--config", str(settings))
    monkeypatch.setenv(MAX_PAGES_ENV, str((low + high) // 2))
    code, lines = cli(*build)
    assert code == 1
    assert lines == [
        f"error: {db}: the disk is full (database or disk is full); what was stored before is kept: free some "
        "space (or move the store with --db), then run the same command again to resume"
    ]
    kept = count(db, "documents")
    assert 0 < kept < n, "the store must fill half way for this test to mean anything"
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    monkeypatch.delenv(MAX_PAGES_ENV)
    assert cli(*build) == (0, [])
    assert count(db, "documents") == n
    assert export(db, tmp_path / "resumed.json") == expected
