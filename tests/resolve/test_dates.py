"""Calendar values: agreement of two dates and the date a story's events agree on."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.resolve.dates import complete_year, dates_agree, gap_days, story_date


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


@pytest.mark.parametrize(
    ("value", "anchor", "latest", "expected"),
    [
        ("XXXX-07", date(2023, 9, 17), None, "2023-07"),  # two months before its report
        ("XXXX-11", date(2023, 9, 17), None, "2023-11"),  # two months after: a plan
        ("XXXX-12-28", date(2024, 1, 5), None, "2023-12-28"),  # across New Year
        ("XXXX-01-03", date(2023, 12, 30), date(2023, 12, 31), None),  # told as done: never after its window
        ("XXXX-02-29", date(2023, 9, 1), None, "2024-02-29"),  # only a leap year has it
        ("XXXX-03", date(2023, 9, 17), None, "2024-03"),  # the nearest, if ahead of its report
        ("XXXX-03", date(2023, 9, 17), date(2023, 10, 8), "2023-03"),  # ... unless told as done
    ],
)
def test_a_yearless_date_takes_the_year_nearest_its_anchor(value, anchor, latest, expected):
    assert complete_year(value, anchor, latest) == expected


@pytest.mark.parametrize(
    ("a", "b", "gap"),
    [
        ("2023-07-25/2023-07-27", "2023-07-26", 0),
        ("2023-07", "2023-08-10", 10),
        ("XXXX-11", "2023-07-25/2023-07-27", 97),  # nearest November: 2023-11-01
        ("XXXX-12-30", "2024-01-02", 3),  # across New Year
        ("XXXX-07-01", "XXXX-07-20", 19),
        ("2023", "nonsense", 0),
    ],
)
def test_the_gap_between_two_dates_intervals(a, b, gap):
    assert gap_days(a, b) == gap == gap_days(b, a)


@pytest.mark.parametrize(
    ("a", "b", "gap", "agree"),
    [
        ("XXXX-02-29", "XXXX-03-01", 1, True),  # compared in a leap year, never in a year without the day
        ("XXXX-02-29", "2003-03-01", 365, False),  # only 2004 has the day: a year from 2003's 1 March
        ("XXXX-12-31", "2009-01-01", 1, True),  # across New Year
        ("XXXX-02-30", "2009-03", 0, False),  # no year makes it a date: it agrees with nothing, walls nothing
        ("2009-01-06", "soon", 0, True),  # no calendar date: unknown, so no conflict
    ],
)
def test_gap_and_agreement_read_a_yearless_date_the_same_way(a: str, b: str, gap: int, agree: bool) -> None:
    assert gap_days(a, b) == gap_days(b, a) == gap
    assert dates_agree(a, b) == dates_agree(b, a) == agree
