"""JSON Lines of scraped articles (news-please / CC-News fields), JSON arrays, broken lines."""

from __future__ import annotations

import gzip
import json

import pytest
from ingest_builders import BODY, page, records_and_peak

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


# --------------------------------------------------------------------------- streamed line by line

_GOOD = json.dumps({"title": "One", "text": BODY[0]})
_BAD_THEN_GOOD = '{"text": "cut\n' + json.dumps({"title": "Two", "text": BODY[1]}) + "\n"
_UNO = _GOOD.replace("One", "Uno")
_WRAPPER = json.dumps({"articles": [{"text": BODY[0]}, {"text": BODY[1]}]})
_ACCENT = (json.dumps({"text": BODY[0] + " caf"}) + "\n").encode().replace(b"caf", b"caf\xe9")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param((_GOOD + "\r\n" + _BAD_THEN_GOOD + "\r\n").encode(), id="crlf-and-a-broken-line"),
        pytest.param((_GOOD + "\r" + _UNO + "\n\n\n" + _GOOD).encode(), id="lone-cr-blank-lines"),
        pytest.param(b"\xef\xbb\xbf" + (_GOOD + "\n").encode() * 2, id="utf8-bom"),
        pytest.param(("\n" + _WRAPPER + "\n").encode(), id="one-wrapper-line"),
        pytest.param((_WRAPPER + "\n" + _GOOD + "\n").encode(), id="wrapper-among-lines"),
        pytest.param(_ACCENT + (_GOOD + "\n").encode(), id="a-line-with-a-cp1252-byte"),
        pytest.param((_GOOD + "\n").encode() * 3 + b'{"text": 1' + b"9" * 5000 + b"}\n", id="a-5000-digit-number"),
        pytest.param(json.dumps([{"text": BODY[0]}, {"text": BODY[1]}]).encode(), id="array"),
        pytest.param(json.dumps({"text": BODY[0], "title": "P"}, indent=2).encode(), id="pretty-printed"),
        pytest.param(("\n".join(_GOOD for _ in range(3))).encode("utf-16"), id="utf-16"),
        pytest.param(b"\n".join(b"{not json %d" % i for i in range(30)), id="many-broken-lines"),
    ],
)
def test_streamed_file_gives_what_the_whole_bytes_give(tmp_path, data: bytes) -> None:
    from storyline.ingest.jsonl import read_jsonl, read_jsonl_file

    def seen(items):
        return [(x.source, x.reason) if isinstance(x, IngestError) else (x.source, x.title, x.raw) for x in items]

    path = tmp_path / "dump.jsonl"
    path.write_bytes(data)
    whole = seen(read_jsonl(data, "dump.jsonl"))
    assert whole  # every case gives records or errors
    assert seen(read_jsonl_file(path, "dump.jsonl", 1 << 20)) == whole
    gz = tmp_path / "dump.jsonl.gz"
    gz.write_bytes(gzip.compress(data))
    assert seen(read_jsonl_file(gz, "dump.jsonl", 1 << 20)) == whole


def test_jsonl_dump_is_read_in_the_memory_of_its_largest_record(tmp_path) -> None:

    record = json.dumps({"title": "T", "text": " ".join(BODY) * 20}) + "\n"  # about 13 KB
    path = tmp_path / "dump.jsonl"
    path.write_text(record * 1000, encoding="utf-8")  # about 13 MB
    assert path.stat().st_size > 1000 * len(record) - 1
    count, peak = records_and_peak(path)
    assert count == 1000
    assert peak < 2 << 20  # read whole, the bytes alone would be 13 MB, and their text as much again


def test_broken_gzip_jsonl_is_one_line_and_gives_no_record(tmp_path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(lines(NEWS_PLEASE, CC_NEWS).encode() * 50)[:-40])
    got = list(read_file(path))
    assert [str(x) for x in got] == [f"{path}: truncated gzip stream"]
