"""Readers: files of any supported format → RawRecord (or IngestError, one per bad file/record).

The format is sniffed from the content first and the suffix second (see :mod:`.sniff`); gzip is
read through whatever the file is called. One module per format: :mod:`.text`, :mod:`.html`,
:mod:`.jsonl`, :mod:`.warc`, :mod:`.feeds`; :mod:`.decode` turns bytes into text for all of them.
A problem with a file or a record is yielded as an :class:`IngestError` and reading goes on.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from storyline.config import MAX_FILE_BYTES, MAX_RECORD_CHARS
from storyline.errors import bug
from storyline.ingest.decode import ReadProblem
from storyline.ingest.feeds import read_feed
from storyline.ingest.html import read_html
from storyline.ingest.jsonl import read_jsonl_file
from storyline.ingest.normalise import display_path, normalise_error, normalise_record
from storyline.ingest.sniff import HEAD_BYTES, logical_suffix, read_capped, read_head, sniff
from storyline.ingest.text import read_text
from storyline.ingest.warc import read_warc
from storyline.model import IngestError, RawRecord

__all__ = [
    "ReadStats", "file_sha256", "iter_files", "list_file_names", "list_files", "read_file", "read_paths",
    "walk_file_names",
]  # fmt: skip

HASH_CHUNK = 1 << 20  # files are hashed a MiB at a time, never read whole


@dataclass(slots=True)
class ReadStats:
    """What the door changed while reading: characters replaced to make texts storable."""

    replaced: int = 0


def _hidden(name: str) -> bool:
    return name.startswith(".")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and every file under the folders named (recursively, sorted, no hidden ones).

    A file is yielded once even when named twice; a path that does not exist raises
    FileNotFoundError, since silently reading less than was asked for would hide a typo.
    Folders and files that cannot be listed are left out (see :func:`list_files`, which says so).
    """
    seen: set[Path] = set()
    for given in paths:
        for name in _files_under(Path(given), [], []):
            f = Path(name)
            key = _key(f)
            if key not in seen:
                seen.add(key)
                yield f


def list_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestError]]:
    """Like :func:`iter_files`, with one IngestError per path that does not exist, folder that
    cannot be listed, entry that cannot be looked at, or named path that is not a regular file."""
    names, problems = list_file_names(paths)
    return [Path(name) for name in names], problems


def list_file_names(paths: Iterable[str | Path]) -> tuple[list[str], list[IngestError]]:
    """:func:`list_files` as path strings (``str(Path)`` of each), for a build of many files: a string
    costs about a sixth of a :class:`Path`'s memory (which holds its parts)."""
    seen: set[str] = set()
    files: list[str] = []
    problems: list[IngestError] = []
    for f in walk_file_names(paths, problems):
        key = str(_key(Path(f)))
        if key not in seen:
            seen.add(key)
            files.append(f)
    return files, problems


def walk_file_names(paths: Iterable[str | Path], problems: list[IngestError]) -> Iterator[str]:
    """The names :func:`list_file_names` gives, lazily and with their repeats (a file named twice comes
    twice): one folder's listing is held at a time. Each path's problems are added to ``problems`` once
    its files are given (the folders that cannot be listed first), a missing path's when it is reached."""
    for given in paths:
        unlistable: list[IngestError] = []
        others: list[IngestError] = []
        try:
            yield from _files_under(Path(given), unlistable, others)
        except FileNotFoundError:
            others.append(IngestError(display_path(given), "no such file or folder"))
        problems += unlistable + others


def _key(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the path itself is the key
        return path.absolute()


def _files_under(p: Path, unlistable: list[IngestError], problems: list[IngestError]) -> Iterator[str]:
    """The regular files at ``p`` (itself, or under the folder), as ``str(Path)``, in order of their parts."""
    if p.is_dir():
        yield from (f for f in _walk(p, p, unlistable) if _regular(Path(f), problems))
        return
    if p.is_symlink() and not p.exists():
        problems.append(IngestError(display_path(p), "broken symbolic link"))
        return
    if p.exists():
        if _regular(p, problems, named=True):
            yield str(p)
        return
    raise FileNotFoundError(f"no such file or folder: {p}")


def _walk(top: Path, folder: Path, unlistable: list[IngestError]) -> Iterator[str]:
    """What ``os.walk(top)`` finds under ``folder`` (no hidden names, a linked folder not entered nor
    given), each folder's names sorted and its subfolders entered in their place: the order of the parts."""
    try:
        with os.scandir(folder) as it:
            names = sorted((e.name, _entered(e)) for e in it if not _hidden(e.name))
    except OSError as exc:
        where = display_path(exc.filename) if exc.filename else display_path(top)
        unlistable.append(IngestError(where, f"folder cannot be read ({exc.strerror or exc})"))
        return
    for name, entered in names:
        if entered is None:
            yield str(Path(folder, name))
        elif entered:
            yield from _walk(top, Path(folder, name), unlistable)


def _entered(entry: os.DirEntry[str]) -> bool | None:
    """None for a file (anything ``os.walk`` lists as one), True for a folder to enter, False for a link to one."""
    try:
        is_dir = entry.is_dir()
    except OSError:
        is_dir = False
    if not is_dir:
        return None
    try:
        return not entry.is_symlink()
    except OSError:
        return False


def _regular(path: Path, problems: list[IngestError], *, named: bool = False) -> bool:
    """Whether to read the path: a regular file. Named paths that are not, entries that cannot be
    looked at, and broken links are problems; a folder's sockets and pipes are passed over."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        problems.append(IngestError(display_path(path), "broken symbolic link"))
        return False
    except OSError as exc:
        problems.append(IngestError(display_path(path), f"cannot be read ({exc.strerror or exc})"))
        return False
    if stat.S_ISREG(mode):
        return True
    if named:
        problems.append(IngestError(display_path(path), "not a regular file (a pipe, socket or device)"))
    return False


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file's bytes, read a chunk at a time (memory stays flat for any size)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def read_file(
    path: Path,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_chars: int = MAX_RECORD_CHARS,
    stats: ReadStats | None = None,
) -> Iterator[RawRecord | IngestError]:
    """Every article in one file; each problem (the file's, or one record's) as an IngestError.

    Records come out normalised (:mod:`.normalise`: storable text, parseable URLs, the source a
    printable path); a file over ``max_bytes`` once decompressed, or a record text over
    ``max_chars`` characters, is an error naming the limit.
    """
    path = Path(path)
    source = display_path(path)
    try:
        for item in _dispatch(path, source, max_bytes):
            if isinstance(item, IngestError):
                yield normalise_error(item)
                continue
            replaced = normalise_record(item)
            if stats is not None:
                stats.replaced += replaced
            if len(item.raw) > max_chars:
                yield IngestError(
                    item.source,
                    f"text of {len(item.raw):,} characters is over the limit of {max_chars:,} (max_record_chars)",
                )
                continue
            yield item
    except ReadProblem as exc:
        yield normalise_error(IngestError(source, exc.reason))
    except OSError as exc:
        yield IngestError(source, f"cannot be read ({exc.strerror or exc})")
    except Exception as exc:  # a reader bug must not stop the run: report the file and go on
        yield normalise_error(bug(source, "could not be read", exc))


def read_paths(paths: Iterable[str | Path]) -> Iterator[RawRecord | IngestError]:
    """Every article in the files and folders named (see :func:`list_files` and :func:`read_file`).

    Unlike :func:`iter_files`, a missing path or an unreadable folder is reported as an
    IngestError and reading goes on.
    """
    files, problems = list_files(paths)
    yield from problems
    for path in files:
        yield from read_file(path)


def _dispatch(path: Path, source: str, max_bytes: int) -> Iterator[RawRecord | IngestError]:
    head = read_head(path, HEAD_BYTES)
    if not head.strip():
        raise ReadProblem("empty file")
    fmt = sniff(head, logical_suffix(path))
    if fmt is None:
        raise ReadProblem("binary file, not text")
    if fmt == "warc":
        yield from read_warc(path, source, max_bytes)
        return
    if fmt == "jsonl":  # streamed: a dump costs the memory of its largest record
        yield from read_jsonl_file(path, source, max_bytes)
        return
    data = read_capped(path, max_bytes)
    if fmt == "html":
        yield read_html(data, source)
    elif fmt == "feed":
        yield from read_feed(data, source)
    else:
        yield read_text(data, source)
