"""Calendar values: agreement of two dates and the date a story's events agree on."""

from __future__ import annotations

import pytest

from storyline.resolve.dates import dates_agree, story_date


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("2023-07-26", "2023-07", True),
        ("2023-07-26", "2023-07-25/2023-07-27", True),
        ("2023-07-26", "2023-07-27", True),
        ("2023-07-26", "2023-07-29", False),
        ("2023-07", "2023-09", False),
        (None, "2023-07-26", True),
        ("XXXX-12-06", "2008-12-06", True),  # a yearless date agrees with any year
        ("XXXX-12-06", "2011-12-07", True),
        ("XXXX-12-06", "2008-12-20", False),  # but not with another day
        ("XXXX-12-06", "2008-12", True),
        ("XXXX-12-06", "2008-11", False),
        ("XXXX-12-06", "2008", True),
        ("XXXX-12-31", "2009-01-01", True),  # across New Year
        ("XXXX-12-31", "XXXX-01-01", True),
        ("XXXX-12-06", "XXXX-12-06", True),
        ("XXXX-12-06", "XXXX-05-29", False),
        ("XXXX-02-29", "2008-02-28", True),
    ],
)
def test_dates_agree(a, b, agree):
    assert dates_agree(a, b) is agree
    assert dates_agree(b, a) is agree


def test_yearless_date_takes_the_year_a_report_gives_as_the_story_date():
    assert story_date(["XXXX-12-06", "XXXX-12-06", "2008-12-06"]) == ("2008-12-06", False)
    assert story_date(["XXXX-12-06", "XXXX-12-06"]) == ("XXXX-12-06", False)
    assert story_date(["XXXX-12-06", "2008-12-20"])[1]  # a day apart from the full date: a conflict


def test_coarser_date_is_not_a_conflict():
    assert story_date(["2023-07-26", "2023-07"]) == ("2023-07-26", False)
    assert story_date([]) == (None, False)


def test_disagreeing_dates_are_recorded_as_a_conflict():
    assert story_date(["2023-07-26", "2023-07-26", "2023-07-27"]) == ("2023-07-26", True)
