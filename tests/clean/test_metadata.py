from __future__ import annotations

import pytest

from storyline.clean import clean_text, date_from_url, dateline_date
from storyline.clean.metadata import find_dates


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://news.example.com/20230726/ties-grow-1112164615.html", "2023-07-26"),
        ("https://www.example.co.uk/sport/2019/11/19/cup-final/", "2019-11-19"),
        ("https://example.com/story/2019-11-19-cup-final", "2019-11-19"),
        ("https://example.com/2019/11/cup-final", None),  # the month alone is no day
        ("https://example.com/story/cup-final-1112164615.html", None),  # an article number, not a date
        ("https://example.com/20231399/x", None),  # not a calendar day
        (None, None),
    ],
)
def test_date_from_url(url: str | None, day: str | None) -> None:
    assert date_from_url(url) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2019-04-10", "2019-04-10"),
        ("27-07-2023", "2023-07-27"),
        ("11/19/2019", "2019-11-19"),
        ("Nov. 19, 2019", "2019-11-19"),
        ("September 3rd, 2010", "2010-09-03"),
        ("6 December 2008", "2008-12-06"),
    ],
)
def test_find_dates_formats(text: str, day: str) -> None:
    assert [d for _, _, d in find_dates(text)] == [day]


@pytest.mark.parametrize(
    ("lines", "day"),
    [
        (["Wire | Lisbon | Updated: 28-07-2023 12:00 | Created: 27-07-2023 11:12"], "2023-07-27"),
        (["Posted by Ana Reis on November 19, 2019, 6:21 AM EST"], "2019-11-19"),
        (["By ANA REIS - 2019-04-10"], "2019-04-10"),
        (["Published 7:07 PM EST Nov 19, 2019"], "2019-11-19"),
        (["The two countries established relations on October 12, 1948 after a long war of words."], None),
        ([], None),
    ],
)
def test_dateline_date(lines: list[str], day: str | None) -> None:
    assert dateline_date(lines) == day


def test_byline_date_dates_an_article_without_header() -> None:
    raw = (
        "Harbour reopens after repairs\n"
        "By Ana Reis | March 4, 2021\n"
        "The old harbour reopened to cargo ships on Thursday after two years of repairs, officials said.\n"
        "It was first opened on October 12, 1948, when the town still lived from fishing alone.\n"
    )
    c = clean_text(raw)
    assert (c.published, c.published_from) == ("2021-03-04", "dateline")
    assert "By Ana Reis" not in c.text


def test_date_in_body_text_is_not_the_publication_date() -> None:
    raw = (
        "Harbour reopens after repairs\n\n"
        "The old harbour reopened to cargo ships on Thursday after two years of repairs, officials said.\n"
        "It was first opened on October 12, 1948, when the town still lived from fishing alone.\n"
        "On April 26, 2001, a storm destroyed the northern quay and most of the fishing fleet.\n"
    )
    c = clean_text(raw)
    assert c.published is None and c.published_from is None
