from __future__ import annotations

import pytest

from storyline.clean import clean_text
from storyline.clean.header import parse_header


@pytest.mark.parametrize(
    ("line", "published", "url", "title"),
    [
        (" date 2021-03-04 https://example.org/a/b.html", "2021-03-04", "https://example.org/a/b.html", None),
        (" date 2021-03-04 Ministers meet in Lisbon", "2021-03-04", None, "Ministers meet in Lisbon"),
        (" date 2021-03-04 wikinews:12345", "2021-03-04", None, None),
        ("date 2021-03-04", "2021-03-04", None, None),
    ],
)
def test_header_line_parsed(line: str, published: str, url: str | None, title: str | None) -> None:
    h = parse_header(line + "\nBody text.")
    assert h is not None
    assert (h.published, h.url, h.title) == (published, url, title)
    assert h.end == len(line)


@pytest.mark.parametrize("first", ["Ministers meet in Lisbon", "The date 2021-03-04 was set.", " updated 2021-03-04"])
def test_no_header_line(first: str) -> None:
    assert parse_header(first + "\nMore text.") is None


def test_header_line_removed_and_dates_the_document() -> None:
    raw = (
        " date 2022-05-06 https://news.example.com/world/ministers-meet\n"
        "Ministers meet in Lisbon\n\n"
        "The foreign ministers of the two countries met in Lisbon on Friday to discuss trade.\n"
        "They agreed to meet again in the autumn, officials said after the talks ended.\n"
    )
    c = clean_text(raw)
    assert "date 2022" not in c.text and "https://" not in c.text
    assert (c.published, c.published_from) == ("2022-05-06", "header")
    assert c.url == "https://news.example.com/world/ministers-meet"
    assert c.title == "Ministers meet in Lisbon"
    assert c.removed[0].reason == "header-line" and c.removed[0].start == 0
