"""Error lines are plain text on one line: markup, newlines and escape sequences in names are shown,
never interpreted (issue 10)."""

from __future__ import annotations

import itertools
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


# --------------------------------------------------------------------------- the exception behind a line


def test_a_bug_is_a_line_in_words_with_the_exception_kept_beside_it() -> None:
    from storyline.errors import error_line
    from storyline.model import RawRecord
    from storyline.pipeline import _clean

    error = _clean(RawRecord(source="x.txt", raw=None, format="text"), frozenset())  # type: ignore[arg-type]
    line = error_line(error)
    assert line == "x.txt: could not be cleaned (an internal error; 'storyline build --verbose' shows it)"
    assert "TypeError" not in line and "\n" not in line
    assert line.detail.startswith("Traceback (most recent call last):")
    assert line.detail.splitlines()[-1].startswith("TypeError: ")


def _broken_parse_build(tmp_path: Path, *flags: str) -> list[str]:
    """A build in which a stored parse turns out broken (the unpickling raises deep in spaCy)."""
    from stored import break_parse, make_stale
    from storyline.store import Store

    db = tmp_path / "s.db"
    with Store(db) as store:
        victim = store.documents(with_raw=False)[0]
        break_parse(store, victim.id)
        make_stale(store, "quotes")
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--db", str(db), *flags])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    return result.output.splitlines()


def test_build_shows_the_exception_behind_a_line_only_when_verbose(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    assert runner.invoke(app, ["build", str(folder), "--db", str(tmp_path / "s.db"), "-q"]).exit_code == 0
    plain = _broken_parse_build(tmp_path)
    (line,) = [line for line in plain if line.startswith("skipped")]
    assert line.endswith(
        ": its stored parse cannot be read (corrupt, or not of its text; parsed again)"
    ) and str(folder) in line
    assert not any("Traceback" in x or "Error:" in x for x in plain)
    verbose = _broken_parse_build(tmp_path, "--verbose")
    at = verbose.index(line)  # the same line, then the exception under it, indented
    detail = list(itertools.takewhile(lambda x: x.startswith("    "), verbose[at + 1 :]))
    assert detail[0] == "    Traceback (most recent call last):"
    assert any(x.startswith("    storyline.errors.UnreadableParse: ") for x in detail)  # and its cause above it
    assert verbose[:at] + verbose[at + 1 + len(detail) :] == plain[: plain.index(line)] + plain[plain.index(line) + 1 :]
