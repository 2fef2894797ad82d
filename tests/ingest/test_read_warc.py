"""WARC archives built with warcio: HTML responses only, one record each, broken archives."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest
from ingest_builders import BODY, page
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest import read_file
from storyline.model import IngestError, RawRecord


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]], gz: bool) -> None:
    """records: (kind, url, content type, payload); kind "response" (200, or "404"), "request"."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for kind, url, ctype, payload in records:
            if kind == "request":
                headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "ex.org")], is_http_request=True)
                rec = writer.create_warc_record(url, "request", payload=BytesIO(b""), http_headers=headers)
            else:
                status = "404 Not Found" if kind == "404" else "200 OK"
                headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
                rec = writer.create_warc_record(url, "response", payload=BytesIO(payload), http_headers=headers)
            writer.write_record(rec)


ARTICLE_URL = "https://news.example.org/2023/07/26/harbour/"
OTHER_URL = "https://other.example.com/fish-story"


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_responses_become_records(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    second = page(title="Fishermen welcome delay", body=BODY[2:] + BODY[:1], url=None)
    write_warc(
        path,
        [
            ("request", ARTICLE_URL, "", b""),
            ("response", ARTICLE_URL, "text/html; charset=utf-8", page(url=None).encode("utf-8")),
            ("response", "https://ex.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
            ("404", "https://ex.org/missing", "text/html", b"<html><body>Not found</body></html>"),
            ("response", OTHER_URL, "text/html; charset=windows-1252", second.replace("’", "'").encode("cp1252")),
        ],
        gz,
    )
    out = list(read_file(path))
    assert all(isinstance(r, RawRecord) for r in out), out
    first, other = out
    assert first.format == "warc" and first.pre_cleaned and BODY[0] in first.raw
    assert first.url == ARTICLE_URL and first.site == "news.example.org"  # the WARC target URI
    assert first.published == "2023-07-26" and first.published_from == "url"
    assert first.source.startswith(f"{path}#urn:uuid:") and first.source != other.source
    assert other.url == OTHER_URL and other.title == "Fishermen welcome delay" and other.published is None
    assert first.html is not None and "<article>" in first.html


@pytest.mark.parametrize("cut", [0, 30])
def test_warc_gzipped_as_one_stream(tmp_path, cut):
    plain = tmp_path / "plain.warc"
    second = page(url=None, title="Second story", body=[p.upper() for p in BODY])
    write_warc(
        plain,
        [
            ("response", ARTICLE_URL, "text/html", page(url=None).encode()),
            ("response", OTHER_URL, "text/html", second.encode()),
        ],
        False,
    )
    path = tmp_path / "whole.warc.gz"
    data = gzip.compress(plain.read_bytes())
    path.write_bytes(data[: len(data) - cut])
    out = list(read_file(path))
    assert isinstance(out[0], RawRecord) and out[0].url == ARTICLE_URL
    if cut:
        assert isinstance(out[-1], IngestError) and "truncated" in out[-1].reason
    else:
        assert len(out) == 2 and all(isinstance(r, RawRecord) for r in out)


def test_warc_without_html_is_one_error(tmp_path):
    path = tmp_path / "images.warc.gz"
    write_warc(path, [("response", "https://ex.org/a.png", "image/png", b"\x89PNG\r\n\x1a\n")], True)
    out = list(read_file(path))
    assert out == [IngestError(str(path), "WARC holds no HTML response")]


def test_warc_html_page_without_article_is_reported_per_record(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path,
        [
            ("response", "https://ex.org/", "text/html", page(body=[], url=None).encode()),
            ("response", ARTICLE_URL, "text/html", page(url=None).encode()),
        ],
        True,
    )
    bad, good = list(read_file(path))
    assert isinstance(bad, IngestError) and bad.source.startswith(f"{path}#urn:uuid:")
    assert "https://ex.org/" in bad.reason and "no article text found in the HTML" in bad.reason
    assert isinstance(good, RawRecord) and good.url == ARTICLE_URL


@pytest.mark.parametrize("cut", [200, 1000])
def test_truncated_warc_gz_keeps_whole_records_and_reports_the_break(tmp_path, cut):
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path,
        [
            ("response", ARTICLE_URL, "text/html", page(url=None).encode()),
            ("response", OTHER_URL, "text/html", page(url=None, title="Second story").encode()),
        ],
        True,
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - cut])
    out = list(read_file(path))
    assert isinstance(out[0], RawRecord) and out[0].url == ARTICLE_URL
    assert len(out) == 2 and isinstance(out[1], IngestError)
    assert out[1].source.startswith(str(path)) and "truncated" in out[1].reason
