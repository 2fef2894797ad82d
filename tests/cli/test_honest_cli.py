"""The command line says what it leaves out: cut tables and cells, failed files, unanalysed documents;
and it shows text as it is (brackets are never read as Rich markup)."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from storyline.cli import app
from storyline.cli.common import cell
from storyline.store import Store

runner = CliRunner()
HOSTILE_TITLE = "Talks [bold]end[/bold] [as planned] [/] today"


def _corpus(folder: Path, demo_corpus: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted(demo_corpus.glob("*.txt"))[:n]:
        shutil.copy(src, folder / src.name)
    return folder


@pytest.fixture(scope="module")
def half_bad(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> tuple[Path, Path]:
    """Two demo articles, a binary file and an HTML page titled with markup; built once without the NLP stage."""
    base = tmp_path_factory.mktemp("honest")
    folder = _corpus(base / "in", demo_corpus, 2)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03 not text \x00")
    body = " ".join(f"<p>Paragraph {i} says the talks went on for a long time in the city.</p>" for i in range(8))
    page = f"<html><head><title>{HOSTILE_TITLE}</title></head><body><article>{body}</article></body></html>"
    (folder / "page.html").write_text(page, encoding="utf-8")
    db = base / "s.db"
    first = runner.invoke(app, ["build", str(folder), "--db", str(db), "--no-nlp", "--quiet"])
    assert first.exit_code == 1 and "binary.txt" in first.output
    return folder, db


def test_a_rerun_reports_the_files_that_failed_before_and_exits_non_zero(half_bad: tuple[Path, Path]) -> None:
    folder, db = half_bad
    again = runner.invoke(app, ["build", str(folder), "--db", str(db), "--no-nlp"])
    assert again.exit_code == 1
    skipped = [line for line in again.stderr.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1 and "binary.txt" in skipped[0] and "binary" in skipped[0].split(":", 1)[1]
    assert "0 read, 4 unchanged, 1 failed" in again.stdout
    assert f"storyline files --db {db} --failed lists them" in again.stdout


def test_files_lists_every_file_with_its_state_and_failed_only_the_failed(half_bad: tuple[Path, Path]) -> None:
    _, db = half_bad
    every = runner.invoke(app, ["files", "--db", str(db)])
    assert every.exit_code == 0
    rows = [line for line in every.stdout.splitlines() if re.search(r"\.(txt|html) ", line)]
    assert len(rows) == 4
    assert sum(" error " in r for r in rows) == 1 and sum(" ok " in r for r in rows) == 3
    failed = runner.invoke(app, ["files", "--db", str(db), "--failed"])
    rows = [line for line in failed.stdout.splitlines() if re.search(r"\.(txt|html) ", line)]
    assert len(rows) == 1 and "binary.txt" in rows[0] and "binary file" in rows[0]


def test_bracketed_corpus_text_is_shown_as_written(half_bad: tuple[Path, Path]) -> None:
    _, db = half_bad
    result = runner.invoke(app, ["docs", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "[as planned] [/]" in result.stdout and "[bold]end[/bold]" in result.stdout
    doc = next(d for d in Store(db, readonly=True).documents(with_raw=False) if d.title == HOSTILE_TITLE)
    shown = runner.invoke(app, ["show", doc.id, "--db", str(db)])
    assert shown.exit_code == 0 and HOSTILE_TITLE in shown.stdout


def test_a_table_that_cuts_says_so(half_bad: tuple[Path, Path]) -> None:
    _, db = half_bad
    cut = runner.invoke(app, ["docs", "--db", str(db), "--limit", "2"])
    assert "2 of 3 shown; --limit 3 for all" in cut.stdout
    whole = runner.invoke(app, ["docs", "--db", str(db)])
    assert "shown;" not in whole.stdout


def test_brief_and_timeline_warn_in_one_line_when_documents_are_not_analysed(half_bad: tuple[Path, Path]) -> None:
    _, db = half_bad
    for command in ("brief", "timeline"):
        result = runner.invoke(app, [command, "--db", str(db)])
        assert result.exit_code == 0, result.output
        warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
        assert len(warnings) == 1 and "3 of 3 documents are not analysed" in warnings[0]
        assert "warning" not in result.stdout


def test_brief_on_an_analysed_store_does_not_warn(tmp_path: Path, demo_corpus: Path) -> None:
    folder = _corpus(tmp_path / "in", demo_corpus, 2)
    db = tmp_path / "a.db"
    assert runner.invoke(app, ["build", str(folder), "--db", str(db), "--quiet"]).exit_code == 0
    result = runner.invoke(app, ["brief", "--db", str(db)])
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.parametrize(
    ("text", "limit", "shown"),
    [
        ("x" * 130, 120, "x" * 119 + "…"),
        ("x" * 120, 120, "x" * 120),
        ("[to Russia] [/]", None, "[to Russia] [/]"),
        ("a\nb", None, "a\\x0ab"),
    ],
)
def test_a_cell_is_one_line_cut_with_an_ellipsis_and_shown_as_written(text: str, limit: int | None, shown: str) -> None:
    console = Console(width=300, record=True, file=io.StringIO())
    console.print(cell(text, limit), highlight=False)
    assert console.export_text().rstrip("\n") == shown


def test_help_shows_bracketed_words_literally() -> None:
    result = runner.invoke(app, ["build", "--help"])
    assert "TOML file with a [build] table" in " ".join(result.stdout.split())
