"""Events resolved to entity ids and grouped into stories across documents."""

from __future__ import annotations

import time

import pytest

from storyline.model import Analysis, Document, Entity, Event, Mention, ResolvedEvent
from storyline.resolve.stories import (
    build_stories,
    cluster_events,
    dates_agree,
    pair_score,
    resolve_events,
    story_date,
)


def _ev(eid, doc, kind="CONSULT", actors=("kim",), targets=("putin",), date=None, mode="asserted", location=None):
    return ResolvedEvent(
        id=eid,
        doc=doc,
        type=kind,
        start=0,
        end=10,
        trigger="meet",
        actors=list(actors),
        targets=list(targets),
        location=location,
        date=date,
        mode=mode,
    )


def _docs(*ids):
    return [Document(id=i, source=f"{i}.txt", text="x" * 50, site=f"site-{i}") for i in ids]


def _stories(events):
    docs = _docs(*sorted({e.doc for e in events}))
    return build_stories(events, docs, [Entity(id="kim", name="Kim", type="PERSON")])


def _together(stories, *ids):
    return any(set(ids) <= set(s.events) for s in stories)


def test_same_event_in_two_documents_is_one_story():
    a = _ev("a", "d1", date="2023-09-13")
    b = _ev("b", "d2", date="2023-09-13")
    (story,) = _stories([a, b])
    assert set(story.events) == {"a", "b"} and story.date == "2023-09-13"
    assert a.story == b.story == story.id
    assert 0 < story.score <= 1


def test_undated_report_joins_the_story_when_everything_else_agrees():
    stories = _stories([_ev("a", "d1", date="2023-09-13"), _ev("b", "d2", actors=("putin",), targets=("kim",))])
    (story,) = stories
    assert story.date == "2023-09-13"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"date": "2023-07-26"}, {"date": "2023-09-13"}),  # same people, different meetings
        ({}, {"kind": "ACCUSE"}),  # different types
        ({}, {"actors": ("lee",), "targets": ("moon",)}),  # nobody in common
        ({}, {"mode": "negated"}),  # "did not meet" is not the meeting
        ({"actors": ("kim",), "targets": ("shoigu",)}, {"actors": ("kim",), "targets": ("russia",)}),  # one of three
    ],
)
def test_different_events_stay_apart(a, b):
    stories = _stories([_ev("a", "d1", **a), _ev("b", "d2", **b)])
    assert len(stories) == 2


def test_events_naming_nobody_join_on_an_exact_date():
    a = _ev("a", "d1", kind="AGREE", actors=(), targets=(), date="1953-07-27")
    b = _ev("b", "d2", kind="AGREE", actors=(), targets=(), date="1953-07-27")
    c = _ev("c", "d3", kind="AGREE", actors=(), targets=())
    stories = _stories([a, b, c])
    assert _together(stories, "a", "b") and not _together(stories, "a", "c")


def test_date_disagreement_within_a_day_is_recorded_not_hidden():
    events = [_ev("a", "d1", date="2008-12-06"), _ev("b", "d2", date="2008-12-06"), _ev("c", "d3", date="2008-12-05")]
    (story,) = _stories(events)
    assert story.date == "2008-12-06"
    assert story.dates == {"2008-12-06": 2, "2008-12-05": 1}
    assert story.date_conflict


def test_coarser_date_is_not_a_conflict():
    assert story_date(["2023-07-26", "2023-07"]) == ("2023-07-26", False)
    assert story_date([]) == (None, False)


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


def test_yearless_and_full_reports_of_one_day_are_one_story():
    a = _ev("a", "d1", date="XXXX-12-06")
    b = _ev("b", "d2", date="2008-12-06")
    (story,) = _stories([a, b])
    assert story.date == "2008-12-06"
    assert pair_score(a, b) == pair_score(_ev("c", "d1", date="2008-12-06"), b)


def test_yearless_reports_of_different_days_stay_apart():
    stories = _stories([_ev("a", "d1", date="XXXX-12-06"), _ev("b", "d2", date="2008-12-20")])
    assert not _together(stories, "a", "b")


def test_events_naming_nobody_join_a_yearless_date_of_the_same_day():
    a = _ev("a", "d1", kind="PROTEST", actors=(), targets=(), date="XXXX-12-13")
    b = _ev("b", "d2", kind="PROTEST", actors=(), targets=(), date="2008-12-13")
    (story,) = _stories([a, b])
    assert story.date == "2008-12-13"


def test_no_chaining_through_an_undated_event():
    # A (Kim, Putin) and C (Kim, Shoigu) differ; B (Kim) must not glue them into one story
    a = _ev("a", "d1", targets=("putin",), date="2023-09-13")
    b = _ev("b", "d2", targets=())
    c = _ev("c", "d3", targets=("shoigu",), date="2023-09-16")
    stories = _stories([a, b, c])
    assert not _together(stories, "a", "c")


def test_pair_score_prefers_exact_dates():
    same = pair_score(_ev("a", "d1", date="2023-09-13"), _ev("b", "d2", date="2023-09-13"))
    coarse = pair_score(_ev("a", "d1", date="2023-09-13"), _ev("b", "d2", date="2023-09"))
    assert same > coarse > 0


def test_story_ids_do_not_depend_on_input_order():
    def run(order):
        events = [_ev("a", "d1", date="2023-09-13"), _ev("b", "d2", date="2023-09-13"), _ev("c", "d3", kind="ACCUSE")]
        return sorted(s.id for s in _stories([events[i] for i in order]))

    assert run([0, 1, 2]) == run([2, 1, 0])


def test_clustering_many_events_is_blocked_not_all_pairs():
    events = [_ev(f"e{i}", f"d{i}", actors=(f"p{i}",), targets=(f"q{i}",), date="2023-01-01") for i in range(3000)]
    t0 = time.perf_counter()
    clusters = cluster_events(events)
    assert len(clusters) == 3000
    assert time.perf_counter() - t0 < 5


def _analysis():
    mentions = [
        Mention(0, 14, "Vladimir Putin", "PERSON", "Vladimir Putin"),
        Mention(19, 30, "Kim Jong Un", "PERSON", "Kim Jong Un"),
        Mention(40, 43, "Kim", "PERSON", "Kim", antecedent=1),
    ]
    events = [
        Event(
            type="CONSULT",
            start=0,
            end=35,
            trigger_start=15,
            trigger_end=18,
            trigger="meet",
            actors=[0],
            targets=[1],
            date="2023-09-13",
        ),
        Event(type="CONSULT", start=36, end=60, trigger_start=44, trigger_end=48, trigger="visit", actors=[2]),
    ]
    return Analysis(doc="d1", model="m", mentions=mentions, events=events)


def test_resolve_events_maps_mentions_to_entities_following_short_forms():
    entity_of = {("d1", 0): "e-putin", ("d1", 1): "e-kim"}  # the short form "Kim" has no key of its own
    docs = [
        Document(id="d1", source="a.txt", text="Vladimir Putin met Kim Jong Un in Vladivostok. Kim visited a base.")
    ]
    first, second = resolve_events(docs, [_analysis()], entity_of)
    assert (first.actors, first.targets, first.date) == (["e-putin"], ["e-kim"], "2023-09-13")
    assert second.actors == ["e-kim"]
    assert first.text == docs[0].text[0:35]


def test_resolved_event_ids_are_stable_and_distinct():
    docs = [Document(id="d1", source="a.txt", text="x" * 60)]
    ids1 = [e.id for e in resolve_events(docs, [_analysis()], {})]
    ids2 = [e.id for e in resolve_events(docs, [_analysis()], {})]
    assert ids1 == ids2 and len(set(ids1)) == 2 and all(i.startswith("v") for i in ids1)


def _stories_published(events, published):
    docs = [Document(id=d, source=f"{d}.txt", text="x", published=p) for d, p in published.items()]
    return build_stories(events, docs, [])


def test_undated_reports_published_months_apart_stay_apart():
    events = [_ev("a", "d1"), _ev("b", "d2")]
    assert len(_stories_published(events, {"d1": "2023-07-27", "d2": "2023-09-17"})) == 2
    assert len(_stories_published(events, {"d1": "2023-09-15", "d2": "2023-09-17"})) == 1


def test_report_published_before_an_event_is_not_a_report_of_it():
    events = [_ev("a", "d1", date="2023-09-13"), _ev("b", "d2")]
    assert len(_stories_published(events, {"d1": "2023-09-17", "d2": "2023-09-01"})) == 2
    events = [_ev("a", "d1", date="2023-09-13"), _ev("b", "d2", mode="planned")]
    assert len(_stories_published(events, {"d1": "2023-09-17", "d2": "2023-09-01"})) == 1


@pytest.mark.parametrize("when", ["2011", "2011-10", "2011-W44"])
def test_an_event_naming_nobody_does_not_join_on_a_shared_year_or_month(when):
    a = _ev("a", "d1", kind="ACCUSE", actors=(), targets=("cordova",), date=when)
    b = _ev("b", "d2", kind="ACCUSE", actors=(), targets=(), date=when)
    assert not _together(_stories([a, b]), "a", "b")


def test_an_event_naming_nobody_joins_on_a_shared_day():
    a = _ev("a", "d1", kind="PROTEST", actors=("greece",), targets=(), date="2008-12-13")
    b = _ev("b", "d2", kind="PROTEST", actors=(), targets=(), date="2008-12-13")
    assert _together(_stories([a, b]), "a", "b")


def _stories_people(events, published, people):
    docs = [Document(id=d, source=f"{d}.txt", text="x", published=p) for d, p in published.items()]
    return build_stories(events, docs, [Entity(id=p, name=p, type="PERSON") for p in people])


TRIAL = {"d1": "2011-10-25", "d2": "2013-04-23", "d3": "2013-04-24"}


def test_an_undated_report_naming_the_same_two_people_joins_a_story_years_back():
    a = _ev("a", "d1", kind="ASSAULT", actors=("lopez",), targets=("horton",), date="2011-10-21")
    b = _ev("b", "d2", kind="ASSAULT", actors=("lopez",), targets=("horton",))
    assert _together(_stories_people([a, b], TRIAL, ["lopez", "horton"]), "a", "b")


@pytest.mark.parametrize(
    "people", [["lopez"], []]  # one person in common, or two participants that are not people (countries)
)
def test_an_undated_report_naming_fewer_people_stays_within_the_window(people):
    a = _ev("a", "d1", kind="ASSAULT", actors=("lopez",), targets=("horton",), date="2011-10-21")
    b = _ev("b", "d2", kind="ASSAULT", actors=("lopez",), targets=("horton",))
    assert not _together(_stories_people([a, b], TRIAL, people), "a", "b")


def test_a_report_anchored_years_back_carries_the_story_it_is_in():
    # d1 reported the shooting (dated) and the murder; the trial reports name Lopez and Horton, and Lopez alone
    a = _ev("a", "d1", kind="ASSAULT", actors=("lopez",), targets=(), date="2011-10-21")
    b = _ev("b", "d1", kind="ASSAULT", actors=("lopez",), targets=("horton",))
    c = _ev("c", "d2", kind="ASSAULT", actors=("lopez",), targets=("horton",))
    d = _ev("d", "d3", kind="ASSAULT", actors=("lopez",), targets=())
    stories = _stories_people([a, b, c, d], TRIAL, ["lopez", "horton"])
    assert _together(stories, "a", "b", "c", "d")
    # without the two-person report nothing ties the trial report of Lopez alone to 2011
    stories = _stories_people([a, d], TRIAL, ["lopez", "horton"])
    assert not _together(stories, "a", "d")
