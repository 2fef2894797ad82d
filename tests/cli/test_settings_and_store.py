"""Settings checked before the build, one build per store, read-only stores read (issue 10)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lockout import run_storyline_locked_out
from storyline.cli import app
from storyline.config import BuildConfig
from storyline.pipeline import build
from storyline.store import Store
from storyline.store.db import StoreBusy

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "examples" / "ru-dprk-2023").glob("*.txt"))[:2]
runner = CliRunner()


def _seeded(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    return folder


def _build(tmp_path: Path, *extra: str) -> tuple[int, list[str]]:
    args = ["build", str(_seeded(tmp_path)), "--db", str(tmp_path / "s.db"), "--no-nlp", "--quiet", *extra]
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output.strip().splitlines()


def _documents(tmp_path: Path) -> int:
    db = tmp_path / "s.db"
    if not db.exists():
        return 0
    with Store(db, readonly=True) as store:
        return store.count_documents()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[build]\nworkers = 1\nbogus = 3\n", "{path}, line 3: unknown setting 'bogus' in [build] (known: "),
        (
            "[build]\nfile_batch = 'many'\n",
            "{path}, line 2: file_batch must be a whole number of at least 1, not 'many'",
        ),
        ("[build]\nmax_file_bytes = 0\n", "{path}, line 2: max_file_bytes must be a whole number of at least 1, not 0"),
        ("[build]\nanalyse = 'no'\n", "{path}, line 2: analyse must be true or false, not 'no'"),
        (
            "[biuld]\nworkers = 2\n",
            "{path}: unknown table or key 'biuld' (settings go in [build], upload limits in [desk])",
        ),
        ("[build\nworkers = 2\n", "{path}: not valid TOML (Expected ']' at the end of a table declaration (at line 1"),
    ],
)
def test_bad_config_is_one_line_naming_file_and_key(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(toml, encoding="utf-8")
    code, lines = _build(tmp_path, "--config", str(path))
    assert code == 1
    (line,) = lines
    assert line.startswith("error: " + message.format(path=path))
    assert _documents(tmp_path) == 0


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    code, lines = _build(tmp_path, "--config", str(tmp_path / "nope.toml"))
    assert (code, lines) == (1, [f"error: {tmp_path / 'nope.toml'}: no such settings file"])


def test_config_limits_are_used(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[build]\nmax_file_bytes = 1000\n", encoding="utf-8")
    code, lines = _build(tmp_path, "--config", str(path))
    assert code == 1
    assert sorted(line.rsplit("/", 1)[-1] for line in lines) == [
        f"{seed.name}: is more than 1000 bytes, over the limit (max_file_bytes)" for seed in SEEDS
    ]


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        (None, "{path}: no such aliases file"),
        ("merge:\n  - [Kim Jong Un, Kim\n", "{path}: not valid YAML ("),
        (
            "merge:\n  - [Kim Jong Un, Kim Jong-un]\nkeep_appart:\n  - [A, B]\n",
            "{path}, line 3: unknown key 'keep_appart'",
        ),
        ("stories:\n  merge: [[v1, v2]]\n  split: [[v3, v4]]\n", "{path}, line 3: unknown key 'stories.split'"),
        ("merge:\n  - Kim Jong Un\n", "{path}, line 1: merge must be a list of lists of names"),
        ("- [a, b]\n", "{path}, line 1: the file must be a mapping of merge, keep_apart, stories"),
    ],
)
def test_bad_aliases_stop_the_build_before_it_reads(tmp_path: Path, yaml: str | None, message: str) -> None:
    path = tmp_path / "aliases.yaml"
    if yaml is not None:
        path.write_text(yaml, encoding="utf-8")
    code, lines = _build(tmp_path, "--aliases", str(path))
    assert code == 1
    (line,) = lines
    assert line.startswith("error: " + message.format(path=path))
    assert _documents(tmp_path) == 0  # nothing was read: the check came first


def test_good_aliases_pass_the_check(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text(
        "merge:\n  - [Kim Jong Un, Kim Jong-un]\nkeep_apart: []\nstories:\n  merge: [[v1, v2]]\n", encoding="utf-8"
    )
    assert _build(tmp_path, "--aliases", str(path)) == (0, [])
    assert _documents(tmp_path) == len(SEEDS)


def test_second_build_on_a_busy_store_stops_with_one_line(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    db = tmp_path / "s.db"
    with Store(db) as first:
        with first.build_lock():
            with Store(db) as second, pytest.raises(StoreBusy, match="another build is writing to this store"):
                build([folder], second, BuildConfig(analyse=False))
            result = runner.invoke(app, ["build", str(folder), "--db", str(db), "--no-nlp", "--quiet"])
            assert result.exit_code == 1
            assert result.output.strip().splitlines() == [
                f"error: {db}: another build is writing to this store; wait for it to finish, then build again"
            ]
            assert first.count_documents() == 0
        report = build([folder], first, BuildConfig(analyse=False))  # the lock is gone with its holder
        assert report.documents_added == len(SEEDS)


def _without_override(*args: str) -> subprocess.CompletedProcess[str]:
    return run_storyline_locked_out(*args)


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_read_only_store_is_read_and_not_built(tmp_path: Path, locked: str) -> None:
    folder = _seeded(tmp_path)
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    db = store_dir / "s.db"
    assert runner.invoke(app, ["build", str(folder), "--db", str(db), "--no-nlp", "--quiet"]).exit_code == 0
    before = db.read_bytes()
    db.chmod(0o444)
    if locked == "folder":
        store_dir.chmod(0o555)
    try:
        docs = _without_override("docs", "--db", str(db))
        export = _without_override("export", "--db", str(db), "--format", "json", "-o", str(tmp_path / "d.json"))
        again = _without_override("build", str(folder), "--db", str(db), "--no-nlp")
    finally:
        store_dir.chmod(0o755)
        db.chmod(0o644)
    assert docs.returncode == 0, docs.stderr
    assert all(seed.name in docs.stdout for seed in SEEDS)
    assert export.returncode == 0, export.stderr
    assert len(json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))["documents"]) == len(SEEDS)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stderr.strip() == (
        f"error: {db}: the store is read-only (its file or folder cannot be written), so it cannot be built"
    )
    assert db.read_bytes() == before
    if locked == "folder":  # nothing could be written beside it: read as an immutable file
        assert not [p.name for p in store_dir.iterdir() if p.name.endswith(("-wal", "-shm"))]
