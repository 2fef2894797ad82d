"""Finding files: folders recursively, sorted, hidden files and folders skipped, no repeats."""

from __future__ import annotations

import pytest

from storyline.ingest import iter_files


def test_folders_recursively_sorted_without_hidden(tmp_path):
    for rel in ["b.txt", "a/z.html", "a/b/c.jsonl", "a/.cache/x.txt", ".hidden.txt", "c.txt", "a/y.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert found == ["a/b/c.jsonl", "a/y.txt", "a/z.html", "b.txt", "c.txt"]


def test_files_and_folders_mixed_each_file_once(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "one.txt").write_text("x", encoding="utf-8")
    (tmp_path / "two.txt").write_text("x", encoding="utf-8")
    found = list(iter_files([tmp_path / "two.txt", str(tmp_path / "d"), tmp_path / "d" / "one.txt"]))
    assert [p.name for p in found] == ["two.txt", "one.txt"]


def test_missing_path_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        list(iter_files([tmp_path / "nope"]))
