"""Commands over a fully analysed demo store: entities, quotes, timeline, brief."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app

runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def full_db(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> Path:
    db = tmp_path_factory.mktemp("full") / "s.db"
    result = runner.invoke(app, ["build", str(demo_corpus), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db


def test_entities_lists_people_with_their_aliases_and_scores(full_db: Path) -> None:
    result = runner.invoke(app, ["entities", "--db", str(full_db), "--type", "PERSON"])
    assert result.exit_code == 0
    rows = [line for line in result.output.splitlines() if "PERSON" in line]
    assert len(rows) >= 10
    assert any("(" in row and ")" in row for row in rows)  # an alias with its merge score


def test_quotes_filtered_by_speaker_only_shows_that_speaker(full_db: Path) -> None:
    every = runner.invoke(app, ["quotes", "--db", str(full_db)]).output
    some = runner.invoke(app, ["quotes", "--db", str(full_db), "--speaker", "Peskov"]).output
    assert "Peskov" in some
    assert len(some.splitlines()) < len(every.splitlines())


def test_timeline_puts_dated_stories_in_order(full_db: Path) -> None:
    result = runner.invoke(app, ["timeline", "--db", str(full_db)])
    assert result.exit_code == 0
    dates = [
        line.split("│")[1].strip()[:10]
        for line in result.output.splitlines()
        if line.startswith("│") and line.split("│")[1].strip()[:4].isdigit()
    ]
    assert len(dates) >= 3 and dates == sorted(dates)
    assert "Undated" in result.output


def test_brief_writes_markdown_with_references(full_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    result = runner.invoke(app, ["brief", "--db", str(full_db), "-o", str(out)])
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Briefing") and "## References" in text and "[1]:" in text
