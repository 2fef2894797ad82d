"""Date expressions: what is found, and the TIMEX3 value each gets against the publication date."""

from __future__ import annotations

import itertools

import pytest
from spacy.language import Language

from storyline.model import Timex
from storyline.nlp.timex import find_timexes, load_lexicon

WEDNESDAY = "2024-03-13"  # a Wednesday: Monday before it is 03-11, Friday after it 03-15


def timexes(nlp: Language, text: str, published: str | None) -> list[Timex]:
    return find_timexes(nlp(text), published)


def timex_at(nlp: Language, text: str, surface: str, published: str | None) -> Timex | None:
    """The timex whose span overlaps the first occurrence of ``surface``."""
    i = text.index(surface)
    hits = [t for t in timexes(nlp, text, published) if t.start < i + len(surface) and i < t.end]
    assert len(hits) <= 1, hits
    return hits[0] if hits else None


def value_at(nlp: Language, text: str, surface: str, published: str | None) -> str | None:
    t = timex_at(nlp, text, surface, published)
    assert t is not None, f"no timex over {surface!r}"
    return t.value


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("The minister arrived in Paris on Monday.", "Monday", "2024-03-11"),
        ("Officials said Tuesday that the talks had failed.", "Tuesday", "2024-03-12"),
        ("The council met on Wednesday to discuss the budget.", "Wednesday", "2024-03-13"),
        ("The minister will arrive in Paris on Friday.", "Friday", "2024-03-15"),
        ("On Monday, the delegation will visit the port.", "Monday", "2024-03-18"),
        ("The talks are expected to resume on Monday.", "Monday", "2024-03-18"),
        ("The trial is set to begin on Tuesday.", "Tuesday", "2024-03-19"),
        ("Prices fell sharply last Friday.", "last Friday", "2024-03-08"),
        ("The board meets again next Monday.", "next Monday", "2024-03-18"),
    ],
)
def test_timex_weekday_follows_the_tense_of_its_verb(nlp: Language, text: str, surface: str, expected: str) -> None:
    assert value_at(nlp, text, surface, WEDNESDAY) == expected


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("Kim and the minister on Saturday (September 16) discussed military cooperation.", "Saturday", "2023-09-16"),
        ("The band played Monday night (Sept. 11) at the arena.", "Monday", "2023-09-11"),
        ("The report, dated Friday, September 8, was leaked.", "Friday", "2023-09-08"),
    ],
)
def test_timex_weekday_with_explicit_date_takes_the_date(nlp: Language, text: str, surface: str, expected: str) -> None:
    assert value_at(nlp, text, surface, "2023-09-17") == expected


@pytest.mark.parametrize(
    ("text", "surface", "published", "expected"),
    [
        ("The deal was signed on February 2.", "February 2", WEDNESDAY, "2024-02-02"),
        ("The summit will be held on April 9.", "April 9", WEDNESDAY, "2024-04-09"),
        ("The vote took place on December 28.", "December 28", "2024-01-05", "2023-12-28"),
        ("The next vote will take place on December 28.", "December 28", "2024-01-05", "2024-12-28"),
        ("According to a March 2nd report, sales rose.", "March 2nd", WEDNESDAY, "2024-03-02"),
        ("The rebels seized the town on 4 January.", "4 January", WEDNESDAY, "2024-01-04"),
    ],
)
def test_timex_month_day_without_year_takes_the_year_the_tense_allows(
    nlp: Language, text: str, surface: str, published: str, expected: str
) -> None:
    assert value_at(nlp, text, surface, published) == expected


@pytest.mark.parametrize(
    ("text", "surface", "published", "expected"),
    [
        ("The forum was held on May 3–5, 2019, in Vladivostok.", "May 3–5, 2019", None, "2019-05-03/2019-05-05"),
        ("The forum was held on May 3-5, 2019, in Vladivostok.", "May 3-5, 2019", None, "2019-05-03/2019-05-05"),
        ("The delegation visited the capital on June 10-12.", "June 10-12", "2024-06-20", "2024-06-10/2024-06-12"),
        ("Talks took place on 26–28 April 2001 in Moscow.", "26–28 April 2001", None, "2001-04-26/2001-04-28"),
        ("The fair ran from April 29 to May 2, 2001.", "April 29 to May 2, 2001", None, "2001-04-29/2001-05-02"),
    ],
)
def test_timex_day_ranges_with_dash_or_to(
    nlp: Language, text: str, surface: str, published: str | None, expected: str
) -> None:
    assert value_at(nlp, text, surface, published) == expected


@pytest.mark.parametrize(
    ("text", "surface", "published", "expected"),
    [
        ("In November of last year, the envoy travelled to Moscow.", "November of last year", WEDNESDAY, "2023-11"),
        ("The index has not been this low since last September.", "last September", "2024-10-10", "2024-09"),
        ("The index has not been this low since last September.", "last September", WEDNESDAY, "2023-09"),
        ("The law was passed in January.", "January", "2024-09-07", "2024-01"),
        ("Exports rose in June of this year.", "June of this year", WEDNESDAY, "2024-06"),
        ("The envoy visited in September last year.", "September last year", WEDNESDAY, "2023-09"),
        ("She stated in January 2023 that the army would stand firm.", "January 2023", WEDNESDAY, "2023-01"),
        ("The company was founded in mid-2011.", "mid-2011", WEDNESDAY, "2011"),
        ("Sales slumped in early February.", "early February", WEDNESDAY, "2024-02"),
    ],
)
def test_timex_months(nlp: Language, text: str, surface: str, published: str, expected: str) -> None:
    assert value_at(nlp, text, surface, published) == expected


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("The company today announced a new phone.", "today", "2024-03-13"),
        ("Markets fell sharply yesterday.", "yesterday", "2024-03-12"),
        ("The results will be published tomorrow.", "tomorrow", "2024-03-14"),
        ("Profits fell last year.", "last year", "2023"),
        ("The plant will open next month.", "next month", "2024-04"),
        ("Sales have doubled this year.", "this year", "2024"),
        ("The minister resigned last week.", "last week", "2024-W10"),
        ("The tsunami hit the coast a week ago.", "a week ago", "2024-03-06"),
        ("The factory closed three years ago.", "three years ago", "2021"),
        ("The market fell for a third straight day.", "a third straight day", "2024-03-13"),
    ],
)
def test_timex_relative_to_the_publication_date(nlp: Language, text: str, surface: str, expected: str) -> None:
    t = timex_at(nlp, text, surface, WEDNESDAY)
    assert t is not None
    assert (t.value, t.relative) == (expected, True)


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("The two countries established relations on October 12, 1948.", "October 12, 1948", "1948-10-12"),
        ("The armistice was signed in 1953.", "1953", "1953"),
        ("The ties gained importance again during the 2000s.", "the 2000s", "200X"),
        ("Relations cooled in the 1990s.", "the 1990s", "199X"),
        ("The 1950-53 war ended in a truce.", "1950-53", "1950/1953"),
        ("He ruled from 1995 to 1999.", "1995 to 1999", "1995/1999"),
        ("The school opened in the summer of 2022.", "the summer of 2022", "2022-SU"),
        ("Losses mounted in the third quarter of 2009.", "the third quarter of 2009", "2009-Q3"),
    ],
)
def test_timex_absolute_dates_keep_their_value_in_an_undated_document(
    nlp: Language, text: str, surface: str, expected: str
) -> None:
    t = timex_at(nlp, text, surface, None)
    assert t is not None
    assert (t.value, t.relative) == (expected, False)


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("The delegation arrived on July 26.", "July 26", "XXXX-07-26"),
        ("The boy was killed by a police bullet on 6 December.", "6 December", "XXXX-12-06"),
        ("The suspect was arrested on Dec. 6 in the city.", "Dec. 6", "XXXX-12-06"),
        ("The talks opened on Saturday, December 13 in the capital.", "Saturday, December 13", "XXXX-12-13"),
        ("The fair runs every year on February 29 in leap years.", "February 29", "XXXX-02-29"),
        ("The minister proposed joint drills during a July meeting.", "July", "XXXX-07"),  # a bare month
        ("A delegation is expected in the capital in November.", "November", "XXXX-11"),
    ],
)
def test_timex_month_day_without_year_in_an_undated_document_leaves_the_year_unknown(
    nlp: Language, text: str, surface: str, expected: str
) -> None:
    t = timex_at(nlp, text, surface, None)
    assert t is not None
    assert (t.value, t.relative) == (expected, False)


def test_timex_month_day_without_year_takes_the_year_of_a_dated_report(nlp: Language) -> None:
    assert value_at(nlp, "The boy was killed on 6 December.", "6 December", "2008-12-13") == "2008-12-06"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("The general made the announcement on Saturday.", "Saturday"),
        ("Back in November of last year, the envoy travelled to Moscow.", "November of last year"),
        ("The minister resigned last week.", "last week"),
        ("The company today announced a new phone.", "today"),
    ],
)
def test_timex_relative_expressions_in_an_undated_document_are_null(nlp: Language, text: str, surface: str) -> None:
    t = timex_at(nlp, text, surface, None)
    assert t is not None
    assert (t.value, t.relative) == (None, True)


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("Kim ended his six-day state visit to Russia.", "six-day", "P6D"),
        ("Tensions have been rising over the past two years.", "the past two years", "P2Y"),
        ("The talks lasted several months.", "several months", "PXM"),
        ("The strike lasted 12 days.", "12 days", "P12D"),
        ("The crisis dragged on for a decade.", "a decade", "P10Y"),
    ],
)
def test_timex_durations_are_not_dates(nlp: Language, text: str, surface: str, expected: str) -> None:
    t = timex_at(nlp, text, surface, WEDNESDAY)
    assert t is not None
    assert (t.kind, t.value) == ("DURATION", expected)


@pytest.mark.parametrize(
    ("text", "surface", "published", "expected"),
    [
        ("The harvest was poor last summer.", "last summer", WEDNESDAY, "2023-SU"),
        ("The plant will open next spring.", "next spring", "2024-10-10", "2025-SP"),
        ("Prices rose in autumn 2004.", "autumn 2004", None, "2004-FA"),
    ],
)
def test_timex_seasons(nlp: Language, text: str, surface: str, published: str | None, expected: str) -> None:
    assert value_at(nlp, text, surface, published) == expected


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Protests preceded the fall of the military junta.", "fall"),
        ("Prices fall when demand weakens.", "fall"),
        ("The army fired 1500 shells at the town.", "1500"),
        ("March participants chanted slogans outside the station.", "March"),
        ("Microsoft is rolling out the Windows 10 November Update.", "10"),
        ("Subscribe now to read the full story.", "now"),
        ("Ford's now-deceased father told the story.", "now"),
    ],
)
def test_timex_words_that_only_look_like_dates_are_not_dates(nlp: Language, text: str, surface: str) -> None:
    t = timex_at(nlp, text, surface, WEDNESDAY)
    assert t is None or t.kind != "DATE" or surface not in t.text


def test_timex_named_day_is_not_this_weeks_day(nlp: Language) -> None:
    t = timex_at(nlp, "Traders recalled what is known as Black Monday.", "Monday", WEDNESDAY)
    assert t is None or t.value is None


def test_timex_the_day_refers_to_the_last_day_mentioned(nlp: Language) -> None:
    text = "Stocks fell sharply on Monday. The index ended the day down three percent."
    assert value_at(nlp, text, "the day", WEDNESDAY) == "2024-03-11"


def test_timex_two_years_joined_by_and_are_two_dates(nlp: Language) -> None:
    text = "In 2009 and 2010, the officer was sued three times."
    found = [(t.text, t.value) for t in timexes(nlp, text, WEDNESDAY)]
    assert ("2009", "2009") in found and ("2010", "2010") in found


def test_timex_spans_are_text_slices_and_never_overlap(nlp: Language) -> None:
    text = (
        "On April 26–28, 2001, the minister visited Moscow. Last week the president said on Monday "
        "that over the past two years ties had grown since January 2023, and the talks will resume next month."
    )
    sdoc = nlp(text)
    found = find_timexes(sdoc, WEDNESDAY)
    assert len(found) >= 5
    for t in found:
        assert text[t.start : t.end] == t.text
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


def test_timex_lexicon_tables_are_consistent() -> None:
    lx = load_lexicon()
    assert sorted(set(lx.months.values())) == list(range(1, 13))
    assert sorted(lx.weekdays.values()) == list(range(7))
    assert {code for code, _ in lx.seasons.values()} == {"SP", "SU", "FA", "WI"}
    assert all(1 <= month <= 12 for _, month in lx.seasons.values())
    assert lx.ambiguous_months <= set(lx.months)
    assert all(n > 0 for n in lx.numbers.values())
