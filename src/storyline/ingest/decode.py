"""Bytes → text: strict UTF-8 first, a charset guess second, mixed files byte by byte.

Saved pages and scraped dumps are often not clean UTF-8: a legacy-encoded file, or a UTF-8 file
with a few Windows-1252 bytes pasted in. Failing on those loses an article for a curly quote, so
a file that is UTF-8 almost everywhere keeps its UTF-8 and has only its bad bytes read as
Windows-1252. Binary files (NUL bytes, or mostly control characters once decoded) are refused.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# A decoded text with more than this share of control or replacement characters is not text.
# Tuned by hand: real pages and articles stay under 0.1%; PDFs, images and archives score above 10%.
BINARY_RATIO = 0.05
# A file is "UTF-8 with stray legacy bytes" when it has well-formed UTF-8 sequences and at least
# this share of its non-UTF-8 bytes stand alone between ASCII bytes, as a Windows-1252 accent or
# curly quote in an English or French word does ("caf\xe9 ", "It\x92s"). Random or binary bytes,
# and whole texts in a legacy alphabet (Greek, Cyrillic), come in runs and score near 0; they go
# to charset-normalizer, which refuses noise. Set by hand between those two cases.
MIXED_MIN_ISOLATED = 0.5
SNIFF_BYTES = 8192  # NUL bytes in the first 8 KiB mark a binary file (what `file` and git do)
_MIXED = "storyline-cp1252"  # codec error handler: a byte that is not UTF-8 is read as Windows-1252
# The WHATWG rule: pages that declare Latin-1 or ASCII are decoded as Windows-1252.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# UTF-16 without a byte-order mark: at least this share of one byte position of the pairs is NUL
# (Latin-script text: nearly all), at most this share of the other (a NUL character is rare), over
# at least this many pairs. Set by hand: English in UTF-16 scores 1.0 / 0.0, binary formats mix both.
UTF16_NUL_SHARE = 0.6
UTF16_STRAY_NULS = 0.02
UTF16_MIN_PAIRS = 16
_AFTER_LETTER = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f]")
_WESTERN_PUNCTUATION = frozenset(
    "\u2019\u2018\u201c\u201d\u201e\u2013\u2014\u2026\u2122\u00ae\u00a9\u20ac\u00b0\u00ab\u00bb\u00b7\u2022\u00a0"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_LONE_HIGH_BYTE = re.compile(rb"(?<![\x80-\xff])[\x80-\xff](?![\x80-\xff])")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x7fELF", b"SQLite format")


class ReadProblem(Exception):
    """A file or record that cannot be read; ``reason`` is the short phrase reported to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(bytes([b]).decode("cp1252", errors="replace") for b in bad), exc.end


try:
    codecs.lookup_error(_MIXED)
except LookupError:  # registered once per process; the handler is a pure function
    codecs.register_error(_MIXED, _cp1252_bytes)


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, if the data starts with one."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` for UTF-16 text that has no byte-order mark, told by its NULs.

    Text in a Latin script written as UTF-16 has a NUL as the high byte of nearly every character,
    so one byte position of each pair is mostly NUL and the other almost never is. Binary data that
    happens to look so is refused later by :data:`BINARY_RATIO` (control characters).
    """
    head = data[: SNIFF_BYTES - SNIFF_BYTES % 2]
    pairs = len(head) // 2
    if pairs < UTF16_MIN_PAIRS:
        return None
    even, odd = head[0::2].count(0) / pairs, head[1::2].count(0) / pairs
    if odd >= UTF16_NUL_SHARE and even <= UTF16_STRAY_NULS:
        return "utf-16-le"
    if even >= UTF16_NUL_SHARE and odd <= UTF16_STRAY_NULS:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes (outside UTF-16/32) or a known binary signature in the first bytes."""
    head = data[:SNIFF_BYTES]
    if bom_encoding(head) in ("utf-16", "utf-32") or utf16_without_bom(head):
        return False
    return b"\x00" in head or head.startswith(_BINARY_MAGIC)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = _ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _has_utf8_multibyte(data: bytes) -> bool:
    """Whether the data holds at least one well-formed non-ASCII UTF-8 sequence."""
    return re.search(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}", data) is not None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode a file's bytes to text with "\\n" line ends and no BOM, or raise :class:`ReadProblem`.

    ``declared`` is an encoding the container names (an HTTP header, a ``<meta charset>``); it is
    used only when the bytes are not valid UTF-8, since declarations are often wrong.
    """
    if not data.strip():
        raise ReadProblem("empty file")
    if looks_binary(data):
        raise ReadProblem("binary file, not text")
    bom = bom_encoding(data) or utf16_without_bom(data)
    text: str | None = None
    if bom:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError:
            text = None
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_not_utf8(data, declared)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadProblem("empty file")
    if len(_CONTROL.findall(text)) > BINARY_RATIO * len(text):
        raise ReadProblem("binary file, not text")
    return text


def _decode_not_utf8(data: bytes, declared: str | None) -> str:
    bad = len(data) - len(data.decode("utf-8", errors="ignore").encode("utf-8"))
    isolated = len(_LONE_HIGH_BYTE.findall(data))  # a lone high byte is never valid UTF-8
    if _has_utf8_multibyte(data) and isolated >= MIXED_MIN_ISOLATED * bad:
        return data.decode("utf-8", errors=_MIXED)  # UTF-8 with some stray legacy bytes: mend those only
    codec = _codec(declared)
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise ReadProblem("undecodable text (no character encoding fits)")
    # Among the guesses that fit as well as the best, Windows-1252 first: a newsroom's legacy text
    # is Western far more often than Baltic or Central European ("François", not "Franēois"),
    # unless its reading puts a non-letter inside words ("spotka³"); then the first tie that does not.
    ties = [m for m in results if m.chaos <= best.chaos]
    if any("cp1252" in m.could_be_from_charset for m in ties):
        try:
            western = data.decode("cp1252")
        except UnicodeDecodeError:
            western = None
        if western is not None and not _misread_inside_words(western):
            return western
    for m in ties:
        text = str(m)
        if not _misread_inside_words(text):
            return text
    return str(best)


def _misread_inside_words(text: str) -> bool:
    """Whether a letter is followed by a character no word has after a letter ("spotka³", "mo¿e"):
    the sign of a Central European or Baltic text read as Windows-1252."""
    return any(not c.isalpha() and c not in _WESTERN_PUNCTUATION for c in _AFTER_LETTER.findall(text))
