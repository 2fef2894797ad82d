"""Decoding: strict UTF-8, legacy encodings, UTF-8 files with stray Windows-1252 bytes, UTF-16."""

from __future__ import annotations

import pytest

from storyline.ingest import read_file
from storyline.ingest.decode import ReadProblem, decode_bytes
from storyline.model import RawRecord

FRENCH = "Le café de la gare a rouvert ses portes à l'été, après des travaux très attendus.\n"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (FRENCH.encode("utf-8"), FRENCH),
        (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), FRENCH),  # BOM stripped
        (FRENCH.replace("\n", "\r\n").encode("utf-8") * 2, FRENCH * 2),  # CRLF → LF
        (b"one\rtwo\r", "one\ntwo\n"),  # old Mac line ends
        (FRENCH.encode("cp1252") * 5, FRENCH * 5),  # a legacy file throughout
        (FRENCH.encode("utf-16"), FRENCH),  # UTF-16 with its BOM (NUL bytes, yet text)
    ],
)
def test_decode_bytes(data, text):
    assert decode_bytes(data) == text


def test_utf8_file_with_stray_cp1252_bytes_keeps_both():
    data = "Zoë Smith’s report:\n".encode() + b"It\x92s the \x93best\x94 year\n" + "naïve café\n".encode()
    assert decode_bytes(data) == "Zoë Smith’s report:\nIt’s the “best” year\nnaïve café\n"


def test_mixed_encoding_text_file_is_read(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("Première ligne en UTF-8 — correcte.\n".encode() + b"Deuxi\xe8me ligne en Latin-1.\n")
    (rec,) = read_file(path)
    assert isinstance(rec, RawRecord)
    assert rec.raw == "Première ligne en UTF-8 — correcte.\nDeuxième ligne en Latin-1.\n"


def test_declared_charset_used_when_bytes_are_not_utf8():
    text = "Ελληνικά νέα από την Αθήνα σήμερα το πρωί.\n"
    assert decode_bytes(text.encode("iso-8859-7"), declared="iso-8859-7") == text


RANDOM_HIGH = bytes((i * 7919 + 13) % 128 + 128 for i in range(3000))  # no NULs, some valid UTF-8 by chance


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\x00\x00\x00text", bytes(range(1, 9)) * 100, RANDOM_HIGH])
def test_not_text_raises(data):
    with pytest.raises(ReadProblem):
        decode_bytes(data)
