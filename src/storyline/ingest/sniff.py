"""Which reader a file needs: its first bytes decide, its suffix only breaks ties.

Suffixes lie (a page saved as ``.txt``, JSON Lines named ``.json``, a gzip without ``.gz``),
so the content is looked at first. gzip is recognised by its magic number and read through.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Literal, cast

from storyline.ingest.decode import ReadProblem, bom_encoding, looks_binary, utf16_without_bom

Format = Literal["text", "html", "jsonl", "warc", "feed"]

STREAM_CHUNK = 1 << 20  # bytes read at a time when a file is streamed rather than read whole
HEAD_BYTES = 65536  # enough to get past a long <head> of scripts to the first <body> or <item>
GZIP_MAGIC = b"\x1f\x8b"

SUFFIX_FORMATS: dict[str, Format] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".jl": "jsonl",
    ".warc": "warc", ".arc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".rdf": "feed",
}  # fmt: skip

_JSON_START = re.compile(r'\[?\s*\{\s*["}]|\[\s*\]')  # an object's first key (or {}), maybe in a list
# The XML declaration, comments and a doctype, with its internal subset (``<!DOCTYPE rss [ ... ]>``)
_XML_PROLOGUE = re.compile(r"^(?:\s|<\?[^>]*\?>|<!--.*?-->|<!doctype(?:[^>\[]|\[.*?\])*>)*", re.I | re.S)
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)\b", re.I)
_HTML_MARK = re.compile(r"<!doctype\s+html|<html\b|<head\b|<body\b", re.I)
_HTML_TAG = re.compile(r"</?(?:p|div|span|a|br|meta|title|article|section|script|h[1-6]|ul|li|table)\b[^>]*>", re.I)
MIN_HTML_TAGS = 5  # a text with this many HTML tags in its head is markup (a fragment, no <html>)


def is_gzip(head: bytes) -> bool:
    return head.startswith(GZIP_MAGIC)


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes as a stream, decompressed when it is gzip (whatever its name)."""
    with path.open("rb") as fh:
        magic = fh.read(2)
    return cast(IO[bytes], gzip.open(path, "rb")) if is_gzip(magic) else path.open("rb")


class GunzipStream:
    """Reads a gzip file (any number of members) and, unlike :mod:`gzip`, keeps what it could
    decompress when the file is cut short, setting ``truncated`` instead of raising EOFError."""

    CHUNK = 1 << 16

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._started = False
        self._pending = b""
        self._buf = b""
        self._done = False
        self.truncated = False

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all with -1); never inflates much more than asked (a bomb stays small)."""
        while not self._done and (size < 0 or len(self._buf) < size):
            data = self._pending or self._raw.read(self.CHUNK)
            self._pending = b""
            if not data:
                self.truncated = self._started and not self._inflate.eof
                self._done = True
                break
            if self._inflate.eof:  # the last member ended: the next bytes start a new one
                self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self._started = True
            room = self.CHUNK if size < 0 else max(size - len(self._buf), self.CHUNK)
            self._buf += self._inflate.decompress(data, room)
            # what is left: the next member's bytes after an end, else input held back by ``room``
            self._pending = self._inflate.unused_data if self._inflate.eof else self._inflate.unconsumed_tail
        cut = len(self._buf) if size < 0 else size
        out, self._buf = self._buf[:cut], self._buf[cut:]
        return out


def read_head(path: Path, limit: int = HEAD_BYTES) -> bytes:
    """The first ``limit`` bytes of the file, gunzipped; a gzip cut short still gives its start."""
    with path.open("rb") as fh:
        if not is_gzip(fh.read(2)):
            fh.seek(0)
            return fh.read(limit)
        fh.seek(0)
        try:
            return GunzipStream(fh).read(limit)
        except zlib.error as exc:
            raise ReadProblem(f"corrupt gzip stream ({exc})") from exc


@contextmanager
def gzip_problems() -> Iterator[None]:
    """A broken gzip stream read inside the block, as a ReadProblem in words."""
    try:
        yield
    except EOFError as exc:
        raise ReadProblem("truncated gzip stream") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise ReadProblem(f"corrupt gzip stream ({exc})") from exc


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """All (or the first ``limit``) bytes of the file, gunzipped; a broken gzip is a ReadProblem."""
    stream = open_binary(path)
    with gzip_problems(), stream:
        return stream.read(limit) if limit is not None else stream.read()


def check_size(path: Path, limit: int) -> None:
    """A ReadProblem when the file holds more than ``limit`` bytes once gunzipped, or is a broken gzip,
    found as :func:`read_capped` finds it but a chunk at a time: nothing of it is kept."""
    with path.open("rb") as fh:
        gz = is_gzip(fh.read(2))
    if not gz:
        if path.stat().st_size > limit:
            raise over_limit("is", limit)
        return
    total = 0
    stream = open_binary(path)
    with gzip_problems(), stream:
        while chunk := stream.read(STREAM_CHUNK):
            total += len(chunk)
            if total > limit:
                raise over_limit("decompresses to", limit)


def size_text(n: int) -> str:
    """A byte count for people: ``256 MiB``, ``1.5 KiB``, ``12 bytes``."""
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.4g} {unit}"
    return f"{n} bytes"


def over_limit(what: str, limit: int) -> ReadProblem:
    """The problem of an input over the ``max_file_bytes`` limit, in words."""
    return ReadProblem(f"{what} more than {size_text(limit)}, over the limit (max_file_bytes)")


def read_capped(path: Path, limit: int) -> bytes:
    """All bytes of the file, gunzipped, or a ReadProblem when there are more than ``limit``.

    Never holds more than ``limit + 1`` decompressed bytes, whatever the file (a gzip bomb stops
    there); a plain file over the limit is refused from its size without being read.
    """
    with path.open("rb") as fh:
        gz = is_gzip(fh.read(2))
    if not gz and path.stat().st_size > limit:
        raise over_limit("is", limit)
    data = read_bytes(path, limit + 1)
    if len(data) > limit:
        raise over_limit("decompresses to", limit)
    return data


def logical_suffix(path: Path) -> str:
    """The suffix that names the content: ``a.warc.gz`` → ``.warc``, ``a.html`` → ``.html``."""
    suffixes = [s.lower() for s in path.suffixes]
    while suffixes and suffixes[-1] in (".gz", ".gzip"):
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _head_text(head: bytes) -> str:
    bom = bom_encoding(head)
    codec = bom if bom in ("utf-16", "utf-32") else utf16_without_bom(head) or "utf-8"
    return head.decode(codec, errors="replace").lstrip("\ufeff")


def sniff(head: bytes, suffix: str = "") -> Format | None:
    """The format of a file from its first (decompressed) bytes and its suffix; None for binary."""
    if head.lstrip().startswith(b"WARC/"):  # before the binary test: WARC payloads may be images
        return "warc"
    if looks_binary(head):
        return None
    text = _head_text(head)
    s = text.lstrip()
    by_suffix = SUFFIX_FORMATS.get(suffix)
    if _JSON_START.match(s):
        return "jsonl"
    if s.startswith("<"):
        body = _XML_PROLOGUE.sub("", s[:4096], count=1)
        if _FEED_ROOT.match(body):
            return "feed"
        if _HTML_MARK.search(s[:4096]) or len(_HTML_TAG.findall(s[:4096])) >= MIN_HTML_TAGS:
            return "html"
        if by_suffix in ("html", "feed"):
            return by_suffix
        if s.lower().startswith("<?xml"):
            return "feed"
        return "html" if _HTML_TAG.search(s[:4096]) else "text"
    if _HTML_MARK.search(s[:1024]):  # a page with stray text before its doctype
        return "html"
    if by_suffix == "html" and len(_HTML_TAG.findall(text)) >= MIN_HTML_TAGS:
        return "html"
    if by_suffix in ("jsonl", "warc"):  # no positive sign of anything else: trust the name
        return by_suffix
    return "text"
