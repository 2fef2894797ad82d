"""The ``serve`` command: documented, loopback by default, a missing store is a one-line error."""

from __future__ import annotations

import inspect
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app
from storyline.cli.web import serve

runner = CliRunner()


def test_serve_listens_on_loopback_unless_told_otherwise() -> None:
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


def test_serve_help_has_an_example_and_the_token_variable() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "STORYLINE_TOKEN" in result.output and "Example: storyline serve" in result.output


def test_serve_on_a_missing_store_fails_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "absent.db")])
    assert result.exit_code == 1
    assert "no such database" in result.output
