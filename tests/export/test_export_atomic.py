"""``storyline export -o FILE`` writes the whole file or nothing: a temporary file beside it, renamed
over it. A file size limit (EFBIG, as a full disk stops a write) or a read-only folder while writing
is one line naming the file and the reason, exit code 1, the old file intact, no part left (issue 10).
Real processes, a real kernel limit and real file modes: nothing is mocked."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from handmade import Handmade
from typer.testing import CliRunner

from lockout import run_storyline_locked_out
from storyline import api
from storyline.cli import app
from storyline.config import BuildConfig

ROOT = Path(__file__).resolve().parents[2]
OLD = b'{"schema": "an older dossier, to be kept"}\n'
ITEM = (
    "The council met on Tuesday to discuss the budget for the coming year, and agreed after a long debate "
    "to spend more on roads and schools. The mayor said the plan would be published next week. "
)
# Bytes a file may grow to: room for the store's 32 KiB WAL index, not for these exports of the demo store
# (json 121 KB, graphml 85 KB, ftm 94 KB) nor the documents table of 80 invented articles.
LIMIT = 64 * 1024


def _export_limited(db: Path, fmt: str, out: Path) -> subprocess.CompletedProcess[str]:
    """``storyline export`` in a child process whose files may not grow past LIMIT (RLIMIT_FSIZE:
    a write past it fails with EFBIG, Python ignoring SIGXFSZ)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    cmd = [sys.executable, "-c", "from storyline.cli import main; main()"]
    cmd += ["export", "--db", str(db), "--format", fmt, "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, preexec_fn=limit)


def _parts(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.part"))


@pytest.mark.parametrize("fmt", ["json", "graphml", "ftm"])
def test_a_write_past_the_file_size_limit_is_one_line_and_keeps_the_old_file(
    tmp_path: Path, demo_store: Path, fmt: str
) -> None:
    whole = tmp_path / "whole"
    assert CliRunner().invoke(app, ["export", "--db", str(demo_store), "-f", fmt, "-o", str(whole)]).exit_code == 0
    assert whole.stat().st_size > LIMIT  # the export does not fit: the write fails part way
    out = tmp_path / "d.out"
    out.write_bytes(OLD)
    done = _export_limited(demo_store, fmt, out)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"error: {out}: could not be written (File too large); the file there before is left as it was"
    )
    assert out.read_bytes() == OLD and _parts(tmp_path) == []
    fresh = tmp_path / "new.out"  # no file before: none after, not a part of one
    done = _export_limited(demo_store, fmt, fresh)
    assert done.returncode == 1 and done.stderr.strip().endswith("(File too large); nothing was written")
    assert not fresh.exists() and _parts(tmp_path) == []


def test_csv_tables_past_the_limit_keep_their_old_files(tmp_path: Path) -> None:
    articles = tmp_path / "in"
    articles.mkdir()
    for i in range(80):
        text = " ".join(ITEM.replace("Tuesday", f"day {i}-{j}") for j in range(8))
        (articles / f"a{i:02}.txt").write_text(text + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    assert api.build([articles], db=db, config=BuildConfig(analyse=False)).ok
    whole = tmp_path / "whole"
    assert CliRunner().invoke(app, ["export", "--db", str(db), "-f", "csv", "-o", str(whole)]).exit_code == 0
    assert (whole / "documents.csv").stat().st_size > LIMIT
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "documents.csv").write_bytes(OLD)
    done = _export_limited(db, "csv", folder)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"error: {folder / 'documents.csv'}: could not be written (File too large); "
        "the file there before is left as it was"
    )
    assert (folder / "documents.csv").read_bytes() == OLD and _parts(tmp_path) == []


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_read_only_folder_is_one_line_and_keeps_the_old_file(tmp_path: Path, handmade: Handmade, fmt: str) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    out = folder / "d.json" if fmt == "json" else folder
    old = folder / ("d.json" if fmt == "json" else "documents.csv")
    old.write_bytes(OLD)
    folder.chmod(0o555)
    try:
        done = run_storyline_locked_out("export", "--db", str(handmade.db), "-f", fmt, "-o", str(out))
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"error: {old}: could not be written (Permission denied); the file there before is left as it was"
    )
    assert old.read_bytes() == OLD and _parts(tmp_path) == []


def test_a_folder_that_does_not_exist_is_one_line(tmp_path: Path, handmade: Handmade) -> None:
    out = tmp_path / "missing" / "d.json"
    done = CliRunner().invoke(app, ["export", "--db", str(handmade.db), "-o", str(out)])
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert done.output.strip() == f"error: {out}: could not be written (No such file or directory); nothing was written"


def test_an_export_replaces_the_old_file_whole_with_the_mode_of_a_new_file(tmp_path: Path, handmade: Handmade) -> None:
    out = tmp_path / "d.json"
    out.write_bytes(OLD)
    umask = os.umask(0o022)
    try:
        done = CliRunner().invoke(app, ["export", "--db", str(handmade.db), "-o", str(out)])
    finally:
        os.umask(umask)
    assert done.exit_code == 0, done.output
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "storyline.dossier/1"
    assert out.stat().st_mode & 0o777 == 0o644 and _parts(tmp_path) == []
