"""JSON Lines of scraped articles (news-please / CC-News fields), JSON arrays, broken lines."""

from __future__ import annotations

import gzip
import json

import pytest
from ingest_builders import BODY, page

from storyline.ingest import read_file
from storyline.ingest.jsonl import iso_datetime
from storyline.model import IngestError, RawRecord

NEWS_PLEASE = {
    "title": "Harbour terminal delayed",
    "maintext": "\n".join(BODY[:2]),
    "date_publish": "2023-07-26 18:40:00",
    "date_download": "2023-08-01 00:00:00",
    "date_modify": "2023-07-30 10:00:00",
    "url": "https://www.news.example.org/harbour",
    "source_domain": "news.example.org",
    "authors": ["A. Writer"],
}
CC_NEWS = {
    "title": "Fishermen welcome delay",
    "text": BODY[2],
    "date": "2023-07-27T08:00:00Z",
    "url": "https://other.example.com/fish",
    "domain": "other.example.com",
}


def lines(*objs: object) -> str:
    return "".join(json.dumps(o) + "\n" for o in objs)


def test_news_please_and_cc_news_fields(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text(lines(NEWS_PLEASE, CC_NEWS), encoding="utf-8")
    first, second = list(read_file(path))
    assert isinstance(first, RawRecord) and isinstance(second, RawRecord)
    assert first.source == f"{path}#1" and second.source == f"{path}#2"
    assert first.raw == NEWS_PLEASE["maintext"] and first.pre_cleaned and first.format == "jsonl"
    assert first.title == NEWS_PLEASE["title"] and first.url == NEWS_PLEASE["url"]
    assert first.published == "2023-07-26T18:40:00" and first.published_from == "record"  # not download/modify
    assert first.site == "news.example.org"
    assert second.raw == BODY[2] and second.published.startswith("2023-07-27")
    assert second.site == "other.example.com"


def test_broken_line_is_reported_with_its_number_and_good_lines_come_through(tmp_path):
    path = tmp_path / "dump.jsonl"
    text = lines(NEWS_PLEASE) + '{"title": "cut off", "maintext": "half a rec\n' + lines(CC_NEWS)
    path.write_text(text, encoding="utf-8")
    out = list(read_file(path))
    good = [r for r in out if isinstance(r, RawRecord)]
    bad = [r for r in out if isinstance(r, IngestError)]
    assert [r.title for r in good] == [NEWS_PLEASE["title"], CC_NEWS["title"]]
    assert len(bad) == 1
    assert bad[0].source == f"{path}#2"
    assert bad[0].reason.startswith("line 2: invalid JSON (")


@pytest.mark.parametrize(
    ("obj", "reason"),
    [({"title": "no body here", "url": "https://ex.org/a"}, "no article text"), ([1, 2], "not a JSON object")],
)
def test_record_without_article_is_reported(tmp_path, obj, reason):
    path = tmp_path / "dump.jsonl"
    path.write_text(lines(CC_NEWS, obj), encoding="utf-8")
    out = list(read_file(path))
    assert isinstance(out[0], RawRecord)
    assert isinstance(out[1], IngestError) and reason in out[1].reason and out[1].reason.startswith("line 2: ")


def test_record_with_only_html_is_extracted(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text(lines({"url": "https://ex.org/2023/07/26/harbour", "html": page(url=None)}), encoding="utf-8")
    (rec,) = read_file(path)
    assert isinstance(rec, RawRecord)
    assert BODY[1] in rec.raw and rec.published == "2023-07-26" and rec.published_from == "url"


@pytest.mark.parametrize("indent", [None, 2])
def test_json_array_file(tmp_path, indent):
    path = tmp_path / "articles.json"
    path.write_text(json.dumps([NEWS_PLEASE, CC_NEWS], indent=indent), encoding="utf-8")
    out = list(read_file(path))
    assert [r.source for r in out] == [f"{path}#1", f"{path}#2"]
    assert all(isinstance(r, RawRecord) for r in out)


def test_pretty_printed_single_object(tmp_path):
    path = tmp_path / "article.json"
    path.write_text(json.dumps(CC_NEWS, indent=2), encoding="utf-8")
    (rec,) = read_file(path)
    assert isinstance(rec, RawRecord) and rec.source == str(path) and rec.raw == BODY[2]


def test_gzipped_jsonl(tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(gzip.compress(lines(NEWS_PLEASE, CC_NEWS).encode("utf-8")))
    assert [r.title for r in read_file(path)] == [NEWS_PLEASE["title"], CC_NEWS["title"]]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-07-26", "2023-07-26"),
        ("2023-07-26 18:40:00", "2023-07-26T18:40:00"),
        ("2023-07-26T23:30:00-04:00", "2023-07-26T23:30:00-04:00"),  # the writer's day, not UTC's
        ("Wed, 26 Jul 2023 23:30:00 -0400", "2023-07-26T23:30:00-04:00"),
        ("published 2023-07-26 by staff", "2023-07-26"),
        ({"$date": "2023-07-26T10:00:00Z"}, "2023-07-26T10:00:00+00:00"),
        (1690329600, "2023-07-26T00:00:00+00:00"),
        (1690329600000, "2023-07-26T00:00:00+00:00"),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_datetime(value, expected):
    assert iso_datetime(value) == expected
