"""Readers: files of any supported format → RawRecord (or IngestError, one per bad file/record).

The format is sniffed from the content first and the suffix second (see :mod:`.sniff`); gzip is
read through whatever the file is called. One module per format: :mod:`.text`, :mod:`.html`,
:mod:`.jsonl`, :mod:`.warc`, :mod:`.feeds`; :mod:`.decode` turns bytes into text for all of them.
A problem with a file or a record is yielded as an :class:`IngestError` and reading goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from storyline.ingest.decode import ReadProblem
from storyline.ingest.feeds import read_feed
from storyline.ingest.html import read_html
from storyline.ingest.jsonl import read_jsonl
from storyline.ingest.sniff import HEAD_BYTES, logical_suffix, read_bytes, read_head, sniff
from storyline.ingest.text import read_text
from storyline.ingest.warc import read_warc
from storyline.model import IngestError, RawRecord

__all__ = ["iter_files", "read_file", "read_paths"]


def _hidden(name: str) -> bool:
    return name.startswith(".")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and every file under the folders named (recursively, sorted, no hidden ones).

    A file is yielded once even when named twice; a path that does not exist raises
    FileNotFoundError, since silently reading less than was asked for would hide a typo.
    """
    seen: set[Path] = set()
    for given in paths:
        for f in _files_under(Path(given)):
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                yield f


def _files_under(p: Path) -> list[Path]:
    if p.is_dir():
        found: list[Path] = []
        for root, dirs, files in os.walk(p):
            dirs[:] = [d for d in dirs if not _hidden(d)]
            found.extend(Path(root, f) for f in files if not _hidden(f))
        return [f for f in sorted(found, key=lambda f: f.relative_to(p).parts) if f.is_file()]
    if p.exists():
        return [p]
    raise FileNotFoundError(f"no such file or folder: {p}")


def read_file(path: Path) -> Iterator[RawRecord | IngestError]:
    """Every article in one file; each problem (the file's, or one record's) as an IngestError."""
    path = Path(path)
    source = str(path)
    try:
        yield from _dispatch(path, source)
    except ReadProblem as exc:
        yield IngestError(source, exc.reason)
    except OSError as exc:
        yield IngestError(source, f"cannot be read ({exc.strerror or exc})")
    except Exception as exc:  # a reader bug must not stop the run: report the file and go on
        yield IngestError(source, f"could not be read ({type(exc).__name__}: {exc})")


def read_paths(paths: Iterable[str | Path]) -> Iterator[RawRecord | IngestError]:
    """Every article in the files and folders named (see :func:`iter_files` and :func:`read_file`).

    Unlike :func:`iter_files`, a missing path is reported as an IngestError and reading goes on.
    """
    seen: set[Path] = set()
    for given in paths:
        try:
            files = _files_under(Path(given))
        except FileNotFoundError:
            yield IngestError(str(given), "no such file or folder")
            continue
        for path in files:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                yield from read_file(path)


def _dispatch(path: Path, source: str) -> Iterator[RawRecord | IngestError]:
    head = read_head(path, HEAD_BYTES)
    if not head.strip():
        raise ReadProblem("empty file")
    fmt = sniff(head, logical_suffix(path))
    if fmt is None:
        raise ReadProblem("binary file, not text")
    if fmt == "warc":
        yield from read_warc(path, source)
        return
    data = read_bytes(path)
    if fmt == "html":
        yield read_html(data, source)
    elif fmt == "jsonl":
        yield from read_jsonl(data, source)
    elif fmt == "feed":
        yield from read_feed(data, source)
    else:
        yield read_text(data, source)
