"""HTML pages: article body through trafilatura, metadata, dates in order of trust."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from ingest_builders import BODY, FOOTER, NAV, RELATED

from storyline.ingest import read_file
from storyline.model import IngestError, RawRecord


def read_one(path: Path) -> RawRecord:
    out = list(read_file(path))
    assert len(out) == 1 and isinstance(out[0], RawRecord), out
    return out[0]


def test_html_page_gives_article_paragraphs_one_a_line_without_menus_or_footer(tmp_path, make_page):
    path = tmp_path / "page.html"
    path.write_text(make_page(), encoding="utf-8")
    rec = read_one(path)
    lines = rec.raw.split("\n")
    for para in BODY:
        assert para in lines
    for junk in [*NAV[:3], FOOTER, *RELATED]:
        assert junk not in rec.raw
    assert rec.format == "html" and rec.pre_cleaned
    assert rec.html is not None and "<nav>" in rec.html  # the markup is kept whole
    assert rec.title == "Harbour terminal delayed by two years"


def test_html_url_and_site_from_canonical_link(tmp_path, make_page):
    path = tmp_path / "page.html"
    path.write_text(make_page(url="https://www.news.example.org/world/harbour-story"), encoding="utf-8")
    rec = read_one(path)
    assert rec.url == "https://www.news.example.org/world/harbour-story"
    assert rec.site == "news.example.org"


@pytest.mark.parametrize(
    ("url", "meta", "published", "source"),
    [
        ("https://ex.org/2023/07/26/story/", None, "2023-07-26", "url"),
        ("https://ex.org/news/20230726/story", None, "2023-07-26", "url"),
        # markup stamped in UTC, a day after the local date the URL keeps
        ("https://ex.org/2023/07/26/story/", "2023-07-27T02:10:00+00:00", "2023-07-26", "url"),
        ("https://ex.org/2023/07/26/story/", "2023-07-26T09:00:00+00:00", "2023-07-26", "html-meta"),
        ("https://ex.org/story/", "2023-07-25T09:00:00+00:00", "2023-07-25", "html-meta"),
        ("https://ex.org/story/", None, None, None),
    ],
)
def test_html_publication_date_and_where_it_came_from(tmp_path, make_page, url, meta, published, source):
    path = tmp_path / "page.html"
    path.write_text(make_page(url=url, meta_date=meta), encoding="utf-8")
    rec = read_one(path)
    assert (rec.published[:10] if rec.published else None) == published
    assert rec.published_from == source


def test_html_date_never_from_file_time_or_copyright_year(tmp_path, make_page):
    path = tmp_path / "page.html"
    path.write_text(make_page(url="https://ex.org/story/"), encoding="utf-8")  # footer says "Copyright 2023"
    os.utime(path, (1_000_000_000, 1_000_000_000))  # 2001-09-09
    rec = read_one(path)
    assert rec.published is None and rec.published_from is None


def test_gzipped_html_is_read_through(tmp_path, make_page):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(make_page().encode("utf-8")))
    rec = read_one(path)
    assert BODY[0] in rec.raw and rec.format == "html"


def test_html_in_declared_legacy_charset(tmp_path, make_page):
    body = [p.replace("harbour authority", "harbour’s authority café") for p in BODY]
    path = tmp_path / "page.html"
    path.write_bytes(make_page(body=body, charset="windows-1252").encode("cp1252"))
    rec = read_one(path)
    assert "harbour’s authority café" in rec.raw


@pytest.mark.parametrize(
    "body",
    [[], ["Short."], ["Read more", "Share this story", "Sign up for our newsletter"]],
)
def test_html_without_article_is_one_error(tmp_path, make_page, body):
    path = tmp_path / "index.html"
    path.write_text(make_page(body=body), encoding="utf-8")
    out = list(read_file(path))
    assert len(out) == 1 and isinstance(out[0], IngestError)
    assert out[0].source == str(path)
    assert out[0].reason == "no article text found in the HTML"
