"""A command imports what it runs: the console's start, and a build, leave the rest of storyline unloaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

RUN = """
import json, sys
from storyline.cli import main
sys.argv = ["storyline", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _loaded(*args: str, cwd: Path) -> tuple[int, set[str]]:
    """The exit code of ``storyline args`` run in a fresh interpreter, and the modules it had imported."""
    proc = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(args)], capture_output=True, text=True, cwd=cwd, check=True
    )
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out["code"], set(out["modules"])


def _any(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


def test_help_imports_neither_the_store_nor_the_nlp(tmp_path: Path) -> None:
    code, modules = _loaded("--help", cwd=tmp_path)
    assert code == 0
    assert not _any(modules, "spacy", "sqlalchemy", "sklearn", "scipy", "datasketch", "fastapi", "storyline.pipeline")
    assert not _any(modules, "storyline.store", "storyline.resolve", "storyline.export", "storyline.evaluation")


def test_build_of_text_files_imports_no_web_desk_evaluation_or_other_readers(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Title\n\nA short article about a port that reopened on Monday.\n")
    db = str(tmp_path / "s.db")
    code, modules = _loaded("build", "in", "--db", db, "--no-nlp", "--quiet", cwd=tmp_path)
    assert code == 0
    assert "storyline.pipeline" in modules  # the build did run
    assert not _any(modules, "storyline.web.app", "storyline.web.desk", "fastapi", "starlette", "uvicorn")
    assert not _any(modules, "storyline.evaluation", "storyline.export.csv", "storyline.export.graph")
    assert not _any(modules, "trafilatura", "htmldate", "feedparser", "warcio")  # no page, feed or archive read
    code, modules = _loaded("build", "in", "--db", db, "--no-nlp", "--quiet", cwd=tmp_path)  # nothing new
    assert code == 0
    assert not _any(modules, "datasketch")  # no document to fingerprint, no copies to look for
