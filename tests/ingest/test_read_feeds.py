"""RSS and Atom feeds with full content: one record per entry; teaser-only feeds reported."""

from __future__ import annotations

from html import escape

import pytest
from ingest_builders import BODY

from storyline.ingest import read_file
from storyline.ingest.feeds import html_fragment_text
from storyline.model import IngestError, RawRecord

CONTENT = "".join(f"<p>{p}</p>" for p in BODY[:3])
OTHER = f"<h2>Background</h2><p>{BODY[3]}</p><ul><li>First point of the list</li><li>Second point</li></ul>"


def rss(items: list[tuple[str, str, str, str | None]]) -> str:
    """items: (title, link, pubDate, full content or None for a teaser-only item)."""
    out = []
    for title, link, date, content in items:
        full = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
        out.append(
            f"<item><title>{escape(title)}</title><link>{link}</link><pubDate>{date}</pubDate>"
            f"<description>A short teaser of the story.</description>{full}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Example Gazette</title><link>https://news.example.org/</link><description>News</description>"
        + "".join(out)
        + "</channel></rss>"
    )


def atom(entries: list[tuple[str, str, str, str]]) -> str:
    body = "".join(
        f'<entry><title>{escape(t)}</title><link href="{link}"/><id>{link}</id><published>{pub}</published>'
        f"<updated>2023-08-01T00:00:00Z</updated>"
        f'<content type="html">{escape(content)}</content></entry>'
        for t, link, pub, content in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Example</title><id>urn:x</id><updated>2023-08-01T00:00:00Z</updated>" + body + "</feed>"
    )


def test_rss_full_content_entries(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(
        rss(
            [
                ("Harbour terminal delayed", "https://news.example.org/a", "Wed, 26 Jul 2023 23:30:00 -0400", CONTENT),
                ("Background on the port", "https://news.example.org/b", "Thu, 27 Jul 2023 08:00:00 GMT", OTHER),
            ]
        ),
        encoding="utf-8",
    )
    first, second = list(read_file(path))
    assert isinstance(first, RawRecord) and isinstance(second, RawRecord)
    assert first.source == f"{path}#1" and second.source == f"{path}#2"
    assert first.raw.split("\n") == BODY[:3]  # one paragraph a line
    assert first.format == "feed" and first.pre_cleaned and first.title == "Harbour terminal delayed"
    assert first.url == "https://news.example.org/a" and first.site == "news.example.org"
    assert first.published.startswith("2023-07-26")  # the publisher's day, not UTC's 27th
    assert first.published_from == "record"
    assert second.raw.split("\n") == ["Background", BODY[3], "First point of the list", "Second point"]


def test_atom_entries_use_published_not_updated(tmp_path):
    path = tmp_path / "feed.atom"
    path.write_text(atom([("Harbour", "https://ex.org/h", "2023-07-26T10:00:00+02:00", CONTENT)]), encoding="utf-8")
    (rec,) = read_file(path)
    assert isinstance(rec, RawRecord)
    assert rec.published.startswith("2023-07-26") and rec.url == "https://ex.org/h"
    assert BODY[0] in rec.raw.split("\n")


def test_teaser_only_feed_is_one_error(tmp_path):
    path = tmp_path / "feed.xml"
    items = [(f"Story {i}", f"https://ex.org/{i}", "Wed, 26 Jul 2023 10:00:00 GMT", None) for i in range(5)]
    path.write_text(rss(items), encoding="utf-8")
    out = list(read_file(path))
    assert len(out) == 1 and isinstance(out[0], IngestError) and out[0].source == str(path)
    assert "no full text" in out[0].reason


def test_teaser_entry_among_full_ones_is_reported_by_number(tmp_path):
    path = tmp_path / "feed.xml"
    items = [
        ("Teaser", "https://ex.org/t", "Wed, 26 Jul 2023 10:00:00 GMT", None),
        ("Full", "https://ex.org/f", "Wed, 26 Jul 2023 11:00:00 GMT", CONTENT),
    ]
    path.write_text(rss(items), encoding="utf-8")
    bad, good = list(read_file(path))
    assert isinstance(bad, IngestError) and bad.source == f"{path}#1" and bad.reason.startswith("entry 1:")
    assert isinstance(good, RawRecord) and good.title == "Full"


def test_feed_without_entries_is_one_error(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(rss([]), encoding="utf-8")
    assert [type(r) for r in read_file(path)] == [IngestError]


@pytest.mark.parametrize(
    ("markup", "lines"),
    [
        ("<p>One  two</p><p>Three<br>four</p>", ["One two", "Three", "four"]),
        ("<div><h3>Head</h3>Text after <b>bold</b> word.</div>", ["Head", "Text after bold word."]),
        ("<p>Kept</p><script>var x = 1;</script><style>p {}</style>", ["Kept"]),
        ("plain text\nover two lines", ["plain text", "over two lines"]),
    ],
)
def test_html_fragment_text(markup, lines):
    assert html_fragment_text(markup).split("\n") == lines
