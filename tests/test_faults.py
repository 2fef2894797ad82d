"""The fault suite (issue 10): a build broken by kill -9, a full disk or a second build, then resumed,
exports byte for byte what an unbroken build exports.

Marked ``faults`` (left out of ``make test``, run by ``make test-faults``): each case builds twice,
and the NLP cases load the model in a child process. The quick store faults (a damaged store, a
full store through the page limit) are in ``tests/cli/test_store_faults.py``.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from faultkit import NEWS, ROOT, child, cli, count, export, unbroken, wait_for, write_files, write_news, write_settings

pytestmark = pytest.mark.faults

INGEST_FILES = 60


def _kill(proc: subprocess.Popen[str]) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def _intact(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


# When to kill an ingest-only build: while the store is made (the migrations), after the first
# batch, half way, near the end.
INGEST_MOMENTS: dict[str, Callable[[Path], bool]] = {
    "store created": lambda db: db.exists(),
    "first batch": lambda db: count(db, "documents") >= 3,
    "half way": lambda db: count(db, "documents") >= INGEST_FILES // 2,
    "near the end": lambda db: count(db, "documents") >= INGEST_FILES - 6,
}


@pytest.mark.parametrize("moment", list(INGEST_MOMENTS))
def test_build_killed_during_ingest_resumes_to_the_unbroken_dossier(tmp_path: Path, moment: str) -> None:
    folder = write_files(tmp_path / "in", INGEST_FILES)
    settings = write_settings(tmp_path / "small.toml", file_batch=3)
    args = ("build", str(folder), "--db", str(tmp_path / "s.db"), "--no-nlp", "--quiet", "--config", str(settings))
    db = tmp_path / "s.db"
    proc = child(*args)
    hit = wait_for(proc, lambda: INGEST_MOMENTS[moment](db))
    _kill(proc)
    assert hit, f"the build ended before the moment '{moment}': nothing was killed"
    assert count(db, "documents") < INGEST_FILES
    assert cli(*args) == (0, [])
    _intact(db)
    assert export(db, tmp_path / "resumed.json") == unbroken(tmp_path, folder, "--no-nlp", "--config", str(settings))


# When to kill a whole build of three articles (one file, one analysis per commit): during ingest, after
# the first analysis, after the second.
NLP_MOMENTS: dict[str, Callable[[Path], bool]] = {
    "ingest": lambda db: count(db, "documents") >= 1,
    "first analysis": lambda db: count(db, "analyses") >= 1,
    "second analysis": lambda db: count(db, "analyses") >= 2,
}


@pytest.fixture(scope="module")
def news_dossier(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, bytes]:
    """The three invented articles, small batches, and their unbroken build's export."""
    tmp = tmp_path_factory.mktemp("news")
    folder = write_news(tmp / "in")
    settings = write_settings(tmp / "small.toml", file_batch=1, nlp_batch=1, nlp_commit=1)
    return folder, settings, unbroken(tmp, folder, "--config", str(settings))


@pytest.mark.slow
@pytest.mark.parametrize("moment", list(NLP_MOMENTS))
def test_build_killed_during_nlp_resumes_to_the_unbroken_dossier(
    tmp_path: Path, moment: str, news_dossier: tuple[Path, Path, bytes]
) -> None:
    folder, settings, expected = news_dossier
    db = tmp_path / "s.db"
    args = ("build", str(folder), "--db", str(db), "--quiet", "--config", str(settings))
    proc = child(*args)
    hit = wait_for(proc, lambda: NLP_MOMENTS[moment](db))
    _kill(proc)
    assert hit, f"the build ended before the moment '{moment}': nothing was killed"
    assert count(db, "analyses") < len(os.listdir(folder)), "killed before every article was analysed"
    assert cli(*args) == (0, [])
    _intact(db)
    assert export(db, tmp_path / "resumed.json") == expected


# A build process with its modules loaded, that starts when told to (a line on its stdin): loading
# spaCy takes seconds on a busy machine, longer than a small build lasts.
WARM_BUILD = (
    "import sys; import storyline.pipeline; from storyline.cli import main; "
    "print('ready', flush=True); sys.stdin.readline(); sys.argv[0] = 'storyline'; main()"
)


def test_second_build_started_during_a_build_stops_and_the_first_is_unharmed(tmp_path: Path) -> None:
    folder = write_files(tmp_path / "in", 300)  # one file per commit: about ten seconds of build
    settings = write_settings(tmp_path / "one.toml", file_batch=1)
    db = tmp_path / "s.db"
    args = ("build", str(folder), "--db", str(db), "--no-nlp", "--quiet", "--config", str(settings))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    second = subprocess.Popen(
        [sys.executable, "-c", WARM_BUILD, *args], env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert second.stdout is not None and second.stdout.readline() == "ready\n"
    first = child(*args)
    assert wait_for(first, lambda: count(db, "documents") >= 2)  # the first holds the store, half way in
    _, err = second.communicate("go\n", timeout=120)
    assert first.poll() is None, "the first build ended before the second began: nothing was raced"
    assert second.returncode == 1
    assert err.strip().splitlines() == [
        f"error: {db}: another build is writing to this store; wait for it to finish, then build again"
    ]
    _, err = first.communicate(timeout=300)
    assert (first.returncode, err) == (0, "")
    _intact(db)
    assert export(db, tmp_path / "built.json") == unbroken(tmp_path, folder, "--no-nlp", "--config", str(settings))


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """A real tmpfs under ``tmp_path``; the callable (re)sizes it to that many bytes. Needs root."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root (the page-limit case in tests/cli/test_store_faults.py runs)")
    where = tmp_path / "tmpfs"
    where.mkdir()
    mounted = False

    def size(n: int) -> Path:
        nonlocal mounted
        opts = f"size={n}" if not mounted else f"remount,size={n}"
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "none", str(where)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted = True
        return where

    yield size
    if mounted:
        subprocess.run(["umount", "--lazy", str(where)], check=True)  # gone once no file in it is open


def _bytes_of(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def test_full_tmpfs_stops_the_ingest_and_the_same_build_resumes_once_freed(
    tmp_path: Path, tmpfs: Callable[[int], Path]
) -> None:
    n = 40
    folder = write_files(tmp_path / "in", n)
    settings = write_settings(tmp_path / "small.toml", file_batch=4)
    expected = unbroken(tmp_path, folder, "--no-nlp", "--config", str(settings))
    # the write-ahead log takes each commit's pages anew: twice the finished store fills it half way
    db = tmpfs(2 * _bytes_of(tmp_path / "unbroken.db")) / "s.db"
    args = ("build", str(folder), "--db", str(db), "--no-nlp", "--quiet", "--config", str(settings))
    code, lines = cli(*args)
    assert code == 1
    (line,) = lines
    assert line.startswith(f"error: {db}: the disk is full ("), line
    assert "what was stored before is kept" in line
    kept = count(db, "documents")
    assert 0 < kept < n, "the disk must fill half way for this test to mean anything"
    tmpfs(64 * 2**20)  # space freed
    assert count(db, "documents") == kept, "nothing committed is lost"
    assert cli(*args) == (0, [])
    _intact(db)
    assert export(db, tmp_path / "resumed.json") == expected


@pytest.mark.slow
@pytest.mark.parametrize("pages", [0, 8, 24])
def test_full_tmpfs_stops_the_nlp_and_the_same_build_resumes_once_freed(
    tmp_path: Path, tmpfs: Callable[[int], Path], news_dossier: tuple[Path, Path, bytes], pages: int
) -> None:
    """Room for the WAL index (32 KiB) and ``pages`` pages of log beside the stored articles: 0 stops
    the NLP stage before its first commit (SQLite says SQLITE_IOERR_SHMSIZE), 8 after one analysis,
    24 in the corpus stage after the last."""
    folder, settings, expected = news_dossier
    where = tmpfs(64 * 2**20)
    db = where / "s.db"
    args = ("build", str(folder), "--db", str(db), "--quiet", "--config", str(settings))
    assert cli(*args, "--no-nlp") == (0, [])  # the articles stored; the NLP stage meets the full disk
    tmpfs(shutil.disk_usage(where).used + 32 * 1024 + pages * 4096)
    code, lines = cli(*args)
    assert code == 1
    assert lines[-1].startswith(f"error: {db}: the disk is full ("), lines
    assert "what was stored before is kept" in lines[-1]
    assert count(db, "documents") == len(NEWS), "nothing committed is lost"
    tmpfs(64 * 2**20)
    assert cli(*args) == (0, [])
    _intact(db)
    assert export(db, tmp_path / "resumed.json") == expected
