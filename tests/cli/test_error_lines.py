"""Error lines are plain text on one line: markup, newlines and escape sequences in names are shown,
never interpreted (issue 10)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app
from storyline.cli.common import one_line

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "examples" / "ru-dprk-2023").glob("*.txt"))[:2]
runner = CliRunner()


def test_one_line_escapes_controls_and_unencodable_characters() -> None:
    assert one_line("a\nb\tc\x1b[31m") == "a\\x0ab\\x09c\\x1b[31m"
    assert one_line("x\u202ey\x85") == "x\\u202ey\\x85"
    assert one_line("caf\udce9.txt") == "caf\\udce9.txt"
    assert one_line("[/red] [bold]é") == "[/red] [bold]é"


def test_build_prints_hostile_names_as_plain_lines(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    (folder / "x[").mkdir()
    (folder / "x[" / "red]").mkdir()
    (folder / "x[" / "red]" / "empty.txt").write_text("")
    (folder / "new\nline.txt").write_text("")
    (folder / "esc\x1b[2J.txt").write_text("")
    (folder / os.fsdecode(b"\xff[bold].txt")).write_bytes(b"")
    result = runner.invoke(app, ["build", str(folder), "--db", str(tmp_path / "s.db"), "--no-nlp"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    skipped = sorted(line for line in result.output.splitlines() if line.startswith("skipped"))
    assert skipped == [
        f"skipped {folder}/\\xff[bold].txt: empty file",
        f"skipped {folder}/esc\\x1b[2J.txt: empty file",
        f"skipped {folder}/new\\x0aline.txt: empty file",
        f"skipped {folder}/x[/red]/empty.txt: empty file",
    ]
    assert "2 new documents" in result.output


def test_fatal_error_naming_markup_is_printed_as_is(tmp_path: Path) -> None:
    missing = tmp_path / "gone[/red]" / "x.txt"
    result = runner.invoke(app, ["build", str(missing), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1
    assert f"error: {missing}: no such file or folder" in result.output
