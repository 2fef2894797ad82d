"""The README's command reference matches ``--help``: every command, every option, an example each."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer

from storyline.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, Any]]:
    """(``storyline NAME`` or ``storyline GROUP NAME``, the click command) for every command.

    Typer ships its own copy of click, so groups and options are told apart by what they have.
    """
    out = []
    root: Any = typer.main.get_command(app)
    for name, cmd in root.commands.items():
        if hasattr(cmd, "commands"):
            out += [(f"storyline {name} {sub}", c) for sub, c in cmd.commands.items()]
        else:
            out.append((f"storyline {name}", cmd))
    return out


def reference_rows() -> dict[str, str]:
    """The command reference table: the command cell's first words -> the row."""
    rows = {}
    for line in README.splitlines():
        m = re.match(r"\| `(storyline [a-z]+(?: [a-z]+)?)\b", line)
        if m:
            rows[m.group(1)] = line
    return rows


COMMANDS = commands()


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_and_option_is_in_the_reference(path: str, cmd: Any) -> None:
    rows = reference_rows()
    row = rows.get(path)
    assert row is not None, f"the README's command reference has no row for '{path}'"
    for param in cmd.params:
        if param.param_type_name == "option" and not param.hidden and param.name != "help":
            assert any(re.search(rf"{re.escape(o)}\b", row) for o in param.opts), (
                f"'{path}' has {'/'.join(param.opts)} but its README row does not mention it"
            )
    assert "Example: " + path in (cmd.help or ""), f"'{path} --help' has no example"


def test_the_reference_lists_no_command_that_does_not_exist() -> None:
    assert set(reference_rows()) == {p for p, _ in COMMANDS}


def test_quick_start_is_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("```")[1]
    assert [line.split()[:2] for line in quick.strip().splitlines()] == [["make", "demo"], ["make", "test"]]


def python_example() -> str:
    """The README's Python example, as written."""
    return README.split("## Python API", 1)[1].split("```python", 1)[1].split("```", 1)[0]


def test_the_python_example_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.export.dossier  # noqa: F401  (binds the package as ``storyline.export``, as any build does)

    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile(python_example(), "README.md", "exec"), {})
    dossier = json.loads((tmp_path / "dossier.json").read_text(encoding="utf-8"))
    assert dossier["schema"] == "storyline.dossier/1" and len(dossier["documents"]) == 5


def test_the_readme_says_how_to_run_the_command_line_after_make_demo() -> None:
    after = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert ".venv/bin/storyline" in after and "source .venv/bin/activate" in after


def documented_invocations() -> list[str]:
    """Every ``storyline ...`` the README shows in code (the reference's cells, the prose's examples),
    one command each (a span chaining commands with ``&&`` gives each)."""
    out = []
    for span in re.findall(r"`([^`]+)`", README.replace("```", "")):
        for part in span.split("&&"):
            m = re.search(r"(?:^|\s|/)(storyline(?: [a-z][a-z-]*)+.*)", " ".join(part.split()))
            if m:
                out.append(m.group(1))
    return out


INVOCATIONS = documented_invocations()


@pytest.mark.parametrize("line", INVOCATIONS)
def test_every_command_the_readme_shows_exists_with_the_options_it_shows(line: str) -> None:
    known = dict(COMMANDS)
    words = line.split()
    path = next((p for p in (" ".join(words[:3]), " ".join(words[:2])) if p in known), None)
    assert path is not None, f"the README shows '{line}', and storyline has no such command"
    opts = {o for param in known[path].params for o in getattr(param, "opts", [])}
    shown = re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", line.replace("\\|", " "))
    missing = [o for o in shown if o not in opts]
    assert not missing, f"the README shows '{path}' with {missing}, which it does not take"


def test_the_readme_shows_the_commands_it_documents() -> None:
    assert len(INVOCATIONS) >= len(COMMANDS)
    assert {"storyline files --failed", "storyline build DIR --model en_core_web_trf"} <= set(INVOCATIONS)
