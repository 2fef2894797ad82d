"""Helpers for the fault tests: invented articles, the CLI in a child process, row counts, exports.

A fault test builds a corpus twice, once unbroken and once broken (killed, out of disk, ...) then
resumed, and compares the two ``storyline export --format json`` files byte for byte.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

TOWNS = ["Alderford", "Brackwater", "Cullen Reach", "Dunmore", "Eastleigh Vale", "Fernhollow"]
SUBJECTS = ["bridge repairs", "the school roof", "a flood barrier", "bus timetables", "the library", "a wind farm"]

# Three short invented articles with people, places, dates, quotes and events for the NLP stage.
NEWS = {
    "harbour.txt": (
        "date 2025-04-02 https://coastpost.example/harbour\n"
        "Harbour board approves new ferry pier in Saltby\n\n"
        "The Saltby harbour board approved a new ferry pier on Tuesday after a two-hour meeting. "
        "Chairwoman Agnes Morrow said the pier would open in June. \"We have waited ten years for this,\" "
        "Morrow told reporters outside the town hall. The ferry company Northwind Lines will pay half "
        "of the cost, according to the board.\n"
    ),
    "strike.txt": (
        "date 2025-04-03 https://valleytimes.example/strike\n"
        "Ferry crews in Saltby call a strike over the new pier\n\n"
        "Crews of Northwind Lines voted on Wednesday to strike for three days next week. Union leader "
        "Tomas Reyes said the new pier in Saltby would cut jobs. \"Nobody asked the crews,\" Reyes said. "
        "Agnes Morrow of the harbour board said she would meet the union on Friday.\n"
    ),
    "talks.txt": (
        "date 2025-04-05 https://coastpost.example/talks\n"
        "Talks between the harbour board and the ferry union end without a deal\n\n"
        "Agnes Morrow met Tomas Reyes in Saltby on Friday, but the talks ended without a deal. "
        "Reyes said the strike would go ahead on Monday. Morrow said the board was ready to talk again "
        "after the strike. Northwind Lines said ferries would run a reduced timetable.\n"
    ),
}


def news_article(i: int) -> str:
    """A small invented article, distinct for each ``i`` (for ingest-only builds of many files)."""
    town, subject = TOWNS[i % len(TOWNS)], SUBJECTS[(i // len(TOWNS)) % len(SUBJECTS)]
    return (
        f"date 2025-0{1 + i % 9}-{10 + i % 18} https://towncrier.example/{i}\n"
        f"{town} council item {i}: {subject}\n\n"
        f"Councillors in {town} discussed {subject} at meeting number {i} on Monday evening. "
        f"The clerk read out {i + 3} letters from residents about {subject}, and the vote was put off "
        f"until the next meeting. A report on {subject} for {town} is due in {i % 11 + 2} weeks.\n"
    )


def write_files(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"item{i:04d}.txt").write_text(news_article(i), encoding="utf-8")
    return folder


def write_news(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in NEWS.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder


def write_settings(path: Path, **values: int) -> Path:
    """A ``--config`` file with these ``[build]`` settings (small batches: many commits to fault between)."""
    path.write_text("[build]\n" + "".join(f"{k} = {v}\n" for k, v in values.items()), encoding="utf-8")
    return path


def cli(*args: str) -> tuple[int, list[str]]:
    """``storyline ARGS`` in this process: exit code and output lines (never a traceback)."""
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output.strip().splitlines()


def child(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """``storyline ARGS`` in a child process of its own process group (to be killed as a whole)."""
    cmd = [sys.executable, "-c", "from storyline.cli import main; main()", *args]
    full = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    return subprocess.Popen(
        cmd, env=full, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def count(db: Path, table: str) -> int:
    """Rows of ``table`` committed so far (0 while the store or the table is not there yet)."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(db, timeout=1)
        try:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not created yet, or locked for a moment
        return 0


def wait_for(proc: subprocess.Popen[str], ready: Callable[[], bool], timeout: float = 120) -> bool:
    """Poll until ``ready()`` while ``proc`` runs; whether it became ready before the process ended."""
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        if ready():
            return True
        time.sleep(0.005)
    return False


def export(db: Path, out: Path) -> bytes:
    """The bytes of ``storyline export --db DB --format json -o OUT``."""
    code, lines = cli("export", "--db", str(db), "--format", "json", "-o", str(out))
    assert code == 0, lines
    return out.read_bytes()


def unbroken(tmp_path: Path, folder: Path, *build_args: str) -> bytes:
    """The export of one unbroken build of ``folder`` into a new store."""
    db = tmp_path / "unbroken.db"
    code, lines = cli("build", str(folder), "--db", str(db), "--quiet", *build_args)
    assert code == 0, lines
    return export(db, tmp_path / "unbroken.json")


SQLITE_PAGE = 4096  # the page size of the stores storyline makes (SQLite's default)


def page_bounds(db: Path) -> tuple[int, int]:
    """(pages in the file, the highest root page of a table or index)."""
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("PRAGMA page_count").fetchone()[0],
            conn.execute("SELECT max(rootpage) FROM sqlite_master").fetchone()[0],
        )
    finally:
        conn.close()


def overwrite_pages(db: Path, first: int, last: int) -> None:
    """Overwrite pages ``first`` to ``last`` (1-based, inclusive) with random bytes."""
    with open(db, "r+b") as fh:
        fh.seek((first - 1) * SQLITE_PAGE)
        fh.write(os.urandom((last - first + 1) * SQLITE_PAGE))
