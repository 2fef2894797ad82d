"""The door every record passes: text any store accepts, names that print, URLs that parse.

Readers hand over what a file held, and a file can hold anything: a lone surrogate from a JSON
``"\\ud800"`` escape, a NUL after the sniffing window, a file name that is not UTF-8, a URL with an
unclosed ``[``. SQLite refuses the first and PostgreSQL the second, ``urllib`` raises on the last,
so each is settled once here, before cleaning, and the same input is stored alike in every store.
Replacements keep the text's length, so every offset into it stays right.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from storyline.model import IngestError, RawRecord

REPLACEMENT = "\ufffd"
# Lone surrogates (never valid in UTF-8) and NUL (refused by PostgreSQL text columns).
UNSTORABLE = re.compile("[\ud800-\udfff\x00]")
_TEXT_FIELDS = ("source", "raw", "title", "published", "published_from", "html", "site")


def display_path(path: str | Path) -> str:
    """A path as storable, printable text: bytes that are not UTF-8 shown as ``\\xff`` escapes.

    Python keeps such bytes of a file name as lone surrogates (``surrogateescape``); they cannot be
    encoded, so they are written out as escapes, which keeps two such names apart.
    """
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def storable(text: str) -> tuple[str, int]:
    """``text`` with lone surrogates and NULs replaced by U+FFFD, and how many were replaced."""
    fixed, n = UNSTORABLE.subn(REPLACEMENT, text)
    return fixed, n


def usable_url(url: str | None) -> str | None:
    """The URL when it parses (``urlsplit`` and its host), else None: a broken URL is not kept."""
    if not url:
        return None
    try:
        urlsplit(url).hostname  # noqa: B018 - the host is parsed lazily: "A://[" raises only here
    except ValueError:
        return None
    return url


def normalise_record(rec: RawRecord) -> int:
    """Make the record storable in place (see :func:`storable`, :func:`usable_url`); returns the
    number of characters replaced."""
    replaced = 0
    for name in _TEXT_FIELDS:
        value = getattr(rec, name)
        if isinstance(value, str):
            fixed, n = storable(value)
            if n:
                setattr(rec, name, fixed)
                replaced += n
    if rec.url is not None:
        url, n = storable(rec.url)
        replaced += n
        rec.url = usable_url(url)
    return replaced


def normalise_error(err: IngestError) -> IngestError:
    """An error whose source and reason are storable text (they name files and URLs)."""
    detail = storable(err.detail)[0] if err.detail is not None else None
    return IngestError(storable(err.source)[0], storable(err.reason)[0], detail)
