"""Sniffing: content first, suffix second; files whose suffix lies are read by what they hold."""

from __future__ import annotations

import gzip
import json

import pytest
from ingest_builders import BODY, page

from storyline.ingest import read_file
from storyline.ingest.sniff import sniff
from storyline.model import RawRecord

RSS = (
    '<?xml version="1.0"?>\n<!-- a comment -->\n<rss version="2.0"><channel><title>T</title>'
    f"<item><title>A</title><link>https://ex.org/a</link><description>{' '.join(BODY)}</description></item>"
    "</channel></rss>"
)


@pytest.mark.parametrize(
    ("head", "suffix", "fmt"),
    [
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", ".txt", "html"),
        (b"\n\n  <html lang=en><head><title>x</title></head>", "", "html"),
        (b"<div><p>one</p><p>two</p><p>three</p><a href=x>y</a><br></div>", ".txt", "html"),
        (b'{"title": "x", "text": "y"}\n{"title": "z"}\n', ".json", "jsonl"),
        (b'[\n  {"title": "x"}\n]', ".txt", "jsonl"),
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", ".gz", "warc"),
        (RSS.encode(), ".html", "feed"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', ".xml", "feed"),
        (b" date 2023-07-26 https://ex.org/a\nHeadline\n\nBody text.", ".html", "text"),
        (b"Plain article text, no markup at all.\n", ".html", "text"),
        (b"I think a < b and b > c in this text.\n", ".txt", "text"),
        (b"{Update} The minister resigned on Friday.\n", ".txt", "text"),
        (b"title: not JSON at all\n", ".jsonl", "jsonl"),  # nothing else fits: the name decides
        (b"\x00\x01\x02\x03", ".txt", None),
    ],
)
def test_sniff(head, suffix, fmt):
    assert sniff(head, suffix) == fmt


def test_html_saved_as_txt_is_extracted(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(page(), encoding="utf-8")
    (rec,) = read_file(path)
    assert isinstance(rec, RawRecord) and rec.format == "html" and BODY[0] in rec.raw.split("\n")
    assert "<p>" not in rec.raw


def test_jsonl_saved_as_json(tmp_path):
    path = tmp_path / "dump.json"
    path.write_text("".join(json.dumps({"title": f"t{i}", "text": b}) + "\n" for i, b in enumerate(BODY)), "utf-8")
    out = list(read_file(path))
    assert [r.title for r in out] == ["t0", "t1", "t2", "t3"] and all(r.format == "jsonl" for r in out)


def test_gzip_without_gz_suffix(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(gzip.compress(page().encode()))
    (rec,) = read_file(path)
    assert isinstance(rec, RawRecord) and BODY[2] in rec.raw


def test_text_file_stays_text_with_header_line(tmp_path):
    raw = " date 2023-07-26 https://ex.org/2023/07/26/a\r\nHarbour terminal delayed\r\n\r\n" + BODY[0] + "\r\n"
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"))
    (rec,) = read_file(path)
    assert rec.format == "text" and not rec.pre_cleaned and rec.site is None
    assert rec.raw == raw.replace("\r\n", "\n")  # header kept for the cleaning stage, BOM and CR gone
    assert rec.source == str(path) and rec.published is None
