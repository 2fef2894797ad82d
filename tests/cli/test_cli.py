"""The command line on a real store: build, docs, show, export, schema, and documented commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from storyline.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module")
def spine_db(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> Path:
    db = tmp_path_factory.mktemp("cli") / "s.db"
    result = runner.invoke(app, ["build", str(demo_corpus), "--db", str(db), "--no-nlp", "--quiet"])
    assert result.exit_code == 0, result.output
    return db


def test_docs_lists_every_document(spine_db: Path) -> None:
    result = runner.invoke(app, ["docs", "--db", str(spine_db)])
    assert result.exit_code == 0
    assert len(re.findall(r"\d{3}_\w+\.txt", result.output)) == 5


def test_show_removed_says_what_was_cut_and_why(spine_db: Path) -> None:
    result = runner.invoke(app, ["show", "002_96534314ea5c0b81.txt", "--db", str(spine_db), "--removed"])
    assert result.exit_code == 0, result.output
    assert "raw " in result.output and "kept" in result.output


def test_show_unknown_document_is_a_one_line_error(spine_db: Path) -> None:
    result = runner.invoke(app, ["show", "nope", "--db", str(spine_db)])
    assert result.exit_code == 1
    assert "no document 'nope'" in result.output


def test_export_validates_against_the_shipped_schema(spine_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.json"
    result = runner.invoke(app, ["export", "--db", str(spine_db), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    schema = json.loads(runner.invoke(app, ["schema"]).output)
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert len(data["documents"]) == 5


def test_build_of_a_missing_path_fails_clearly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(tmp_path / "absent"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "no such file or folder" in result.output


def test_build_with_an_uninstalled_model_names_it(tmp_path: Path, demo_corpus: Path) -> None:
    result = runner.invoke(app, ["build", str(demo_corpus), "--db", str(tmp_path / "x.db"), "--model", "xx_nope"])
    assert result.exit_code == 1
    assert "xx_nope" in result.output and "not installed" in result.output


def test_every_command_is_in_the_readme_and_has_an_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"storyline {name}" in readme, f"README does not document 'storyline {name}'"
        assert "Example:" in (command.callback.__doc__ or ""), f"'{name}' help has no example"
