"""Bad files: each gives one line naming the file and the problem, and reading goes on."""

from __future__ import annotations

import gzip
import json
import os

import pytest
from ingest_builders import BODY

from storyline.ingest import read_file, read_paths
from storyline.model import IngestError, RawRecord


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\r\n\t\n", "empty file"),
        ("empty.html.gz", gzip.compress(b""), "empty file"),
        ("nul.txt", b"Some text\x00\x00\x01\x02 more text" * 20, "binary file, not text"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary file, not text"),
        ("doc.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4, "binary file, not text"),
        ("noise.txt", bytes(range(1, 32)) * 40, "binary file, not text"),
        ("cut.txt.gz", gzip.compress(" ".join(BODY * 40).encode())[:-300], "truncated gzip stream"),
    ],
)
def test_bad_file_is_one_error_naming_it(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    out = list(read_file(path))
    assert out == [IngestError(str(path), reason)]
    assert str(out[0]) == f"{path}: {reason}"


def test_run_goes_on_past_bad_files(tmp_path):
    (tmp_path / "a.txt").write_text(BODY[0], encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.jsonl").write_text('{"text": "one"}\n{broken\n{"text": "two"}\n', encoding="utf-8")
    (tmp_path / "d.html").write_bytes(b"\x00\x01binary")
    (tmp_path / "e.txt").write_text(BODY[1], encoding="utf-8")
    out = list(read_paths([tmp_path]))
    good = [r.raw for r in out if isinstance(r, RawRecord)]
    bad = [r.source.rsplit("/", 1)[-1] for r in out if isinstance(r, IngestError)]
    assert good == [BODY[0], "one", "two", BODY[1]]
    assert bad == ["b.txt", "c.jsonl#2", "d.html"]


def test_missing_path_and_folder_given_as_file_are_errors_not_exceptions(tmp_path):
    (tmp_path / "a.txt").write_text(BODY[0], encoding="utf-8")
    out = list(read_paths([tmp_path / "nope.txt", tmp_path / "a.txt"]))
    assert out[0] == IngestError(str(tmp_path / "nope.txt"), "no such file or folder")
    assert isinstance(out[1], RawRecord) and out[1].raw == BODY[0]
    (err,) = read_file(tmp_path)  # a folder is not a file
    assert isinstance(err, IngestError) and err.source == str(tmp_path)


def test_unreadable_file_is_an_error_not_an_exception(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("text", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads anything: nothing to test
            pytest.skip("running as a user who can read a mode-000 file")
        (err,) = read_file(path)
        assert isinstance(err, IngestError) and err.source == str(path)
    finally:
        path.chmod(0o644)


def test_too_many_broken_jsonl_lines_are_summarised(tmp_path):
    path = tmp_path / "junk.jsonl"
    path.write_text(json.dumps({"text": "good"}) + "\n" + "{nope\n" * 50, encoding="utf-8")
    out = list(read_file(path))
    errors = [r for r in out if isinstance(r, IngestError)]
    assert isinstance(out[0], RawRecord)
    assert len(errors) < 50 and "more lines of invalid JSON" in errors[-1].reason
