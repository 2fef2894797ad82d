"""The spine end to end on real files and a real SQLite store: incremental, resumable, robust."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from storyline.config import BuildConfig
from storyline.pipeline import build
from storyline.store import Store

SPINE = BuildConfig(analyse=False)


def article(i: int) -> str:
    words = " ".join(f"w{i}x{j}" for j in range(60))
    return f"Headline number {i} about the talks\n\nOfficials met on day {i} to discuss {words}. They said more.\n"


def write(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:04d}.txt").write_text(article(i), encoding="utf-8")


def test_demo_corpus_builds_and_rebuild_reads_nothing(tmp_path: Path, demo_corpus: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        first = build([demo_corpus], store, SPINE)
        assert (first.files, first.read, first.documents_added) == (5, 5, 5)
        again = build([demo_corpus], store, SPINE)
        assert (again.read, again.unchanged, again.documents_added) == (0, 5, 0)
        ids = {d.source: d.id for d in store.documents()}
    assert len(set(ids.values())) == 5


def test_changed_file_replaces_its_document(tmp_path: Path) -> None:
    write(tmp_path / "in", 3)
    with Store(tmp_path / "s.db") as store:
        build([tmp_path / "in"], store, SPINE)
        before = {Path(d.source).name: d.id for d in store.documents()}
        target = tmp_path / "in" / "a0001.txt"
        target.write_text(article(1).replace("Officials", "Diplomats"), encoding="utf-8")
        report = build([tmp_path / "in"], store, SPINE)
        after = {Path(d.source).name: d.id for d in store.documents()}
    assert report.read == 1
    assert after["a0000.txt"] == before["a0000.txt"]
    assert after["a0001.txt"] != before["a0001.txt"]
    assert len(after) == 3


def test_exact_copies_under_two_names_are_one_document(tmp_path: Path) -> None:
    write(tmp_path / "in", 1)
    (tmp_path / "in" / "copy.txt").write_text(article(0), encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        report = build([tmp_path / "in"], store, SPINE)
        (doc,) = store.documents()
    assert report.copies_folded == 1
    assert sorted(Path(s).name for s in doc.sources) == ["a0000.txt", "copy.txt"]


def test_bad_files_are_reported_and_the_rest_is_stored(tmp_path: Path) -> None:
    write(tmp_path / "in", 2)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    errors: list[str] = []
    with Store(tmp_path / "s.db") as store:
        report = build([tmp_path / "in"], store, SPINE, on_error=errors.append)
        assert store.count_documents() == 2
    assert report.failed == 2 and not report.ok
    assert any("empty.txt" in e for e in errors) and any("binary.txt" in e for e in errors)
    assert all("\n" not in e for e in errors)


def test_killed_build_resumes_without_losing_or_doubling_anything(tmp_path: Path) -> None:
    n = 400
    write(tmp_path / "in", n)
    db = tmp_path / "s.db"
    code = (
        "import sys; from storyline.config import BuildConfig; from storyline.api import build; "
        f"build([{str(tmp_path / 'in')!r}], {str(db)!r}, config=BuildConfig(analyse=False, file_batch=5))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    deadline = time.time() + 60
    committed = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                committed = sqlite3.connect(db, timeout=1).execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if committed >= 20:
                break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < committed < n, "the build must be killed half way for this test to mean anything"
    with Store(db) as store:
        kept = store.count_documents()
        assert kept >= committed
        report = build([tmp_path / "in"], store, SPINE)
        assert store.count_documents() == n
        assert report.unchanged >= kept
    check = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
    assert check == "ok"


def test_a_file_that_goes_bad_keeps_what_it_gave_before(tmp_path: Path) -> None:
    write(tmp_path / "in", 2)
    with Store(tmp_path / "s.db") as store:
        build([tmp_path / "in"], store, SPINE)
        before = {d.id for d in store.documents()}
        (tmp_path / "in" / "a0001.txt").write_bytes(b"\x00\x01\x02" * 300)
        errors: list[str] = []
        report = build([tmp_path / "in"], store, SPINE, on_error=errors.append)
        assert {d.id for d in store.documents()} == before
        assert report.failed == 1 and "a0001.txt" in errors[0]
        again = build([tmp_path / "in"], store, SPINE)
        assert again.failed == 1, "a file that failed is read again on the next run, not marked done"
