"""Events resolved to entity ids, one event per document, and stories across documents."""

from __future__ import annotations

import pytest

from storyline.model import Analysis, Document, Entity, Event, Mention, ResolvedEvent
from storyline.resolve.events import EventModel
from storyline.resolve.stories import StoryRules, build_stories, resolve_events

SENTENCE = "Kim met Putin at the port on Tuesday."


def _ev(eid, doc, kind="CONSULT", actors=("kim",), targets=("putin",), date=None, mode="asserted", start=0,
        trigger="meet", text=SENTENCE):
    return ResolvedEvent(
        id=eid, doc=doc, type=kind, start=start, end=start + len(text), trigger=trigger, actors=list(actors),
        targets=list(targets), location=None, date=date, mode=mode, text=text, trigger_start=start + 4,
        trigger_end=start + 7, evidence=[(start, start + len(text))],
    )


def _docs(*ids, published=None):
    published = published or {}
    return [Document(id=i, source=f"{i}.txt", text="x" * 200, site=f"site-{i}", published=published.get(i))
            for i in ids]


PEOPLE = [Entity(id=p, name=p.title(), type="PERSON") for p in ("kim", "putin", "shoigu", "kang")]


def _stories(events, published=None, rules=None, model=None):
    docs = _docs(*sorted({e.doc for e in events}), published=published)
    return build_stories(events, docs, PEOPLE, rules=rules, model=model)


def _together(stories, *ids):
    return any(set(ids) <= set(s.events) for s in stories)


def test_same_event_in_two_documents_is_one_story():
    events, stories, _ = _stories([_ev("a", "d1", date="2023-09-13"), _ev("b", "d2", date="2023-09-13")])
    (story,) = stories
    assert set(story.events) == {"a", "b"} and story.date == "2023-09-13"
    assert {e.story for e in events} == {story.id}
    assert 0 < story.score <= 1
    assert story.sources == ["site-d1", "site-d2"]


def test_an_undated_report_joins_a_story_but_never_sets_its_date():
    _, stories, _ = _stories([_ev("a", "d1", date="2023-09-13"), _ev("b", "d2"), _ev("c", "d3", date="2023-09-13")])
    (story,) = stories
    assert story.date == "2023-09-13" and story.dates == {"2023-09-13": 2}


def test_events_with_other_participants_in_the_same_role_stay_apart():
    a = _ev("a", "d1", actors=("shoigu",), targets=("kang",), trigger="talk", date="2023-07-26",
            text="Shoigu held talks with Kang in the capital.")
    b = _ev("b", "d2", actors=("kim",), targets=("putin",), trigger="sign", date="2023-07-26",
            text="Kim and Putin signed a treaty at the port.")
    _, stories, _ = _stories([a, b])
    assert not _together(stories, "a", "b")


def test_events_whose_dates_disagree_are_never_one_story():
    _, stories, _ = _stories([_ev("a", "d1", date="2023-09-13"), _ev("b", "d2", date="2023-09-20")])
    assert not _together(stories, "a", "b")


def test_a_report_published_before_an_event_is_not_a_report_of_it():
    events = [_ev("a", "d1", date="2023-09-13"), _ev("b", "d2")]
    _, stories, _ = _stories(events, published={"d2": "2023-08-01"})
    assert not _together(stories, "a", "b")


def test_undated_reports_published_months_apart_stay_apart():
    events = [_ev("a", "d1"), _ev("b", "d2")]
    _, stories, _ = _stories(events, published={"d1": "2023-01-10", "d2": "2023-06-10"})
    assert not _together(stories, "a", "b")
    _, stories, _ = _stories(events, published={"d1": "2023-01-10", "d2": "2023-01-12"})
    assert _together(stories, "a", "b")


def test_mentions_of_one_event_in_one_article_become_one_event_with_all_its_evidence():
    first = _ev("a", "d1", date="2023-09-13")
    again = _ev("b", "d1", start=100, text="Kim met Putin at the port again.")
    events, stories, merged_into = _stories([first, again, _ev("c", "d2", date="2023-09-13")])
    one = next(e for e in events if e.doc == "d1")
    assert [e.doc for e in events].count("d1") == 1
    assert one.evidence == [(0, len(SENTENCE)), (100, 132)]
    assert set(one.actors + one.targets) == {"kim", "putin"}
    assert merged_into == {"a": one.id, "b": one.id, "c": "c"}
    assert len(stories) == 1


def test_two_types_in_one_article_stay_two_events():
    events, _, _ = _stories([_ev("a", "d1"), _ev("b", "d1", kind="ASSAULT", start=100)])
    assert len(events) == 2


def test_story_rules_force_and_forbid_merges():
    a = _ev("a", "d1", date="2023-09-13")
    b = _ev("b", "d2", date="2023-09-13")
    _, stories, _ = _stories([a, b], rules=StoryRules(keep_apart=[["a", "b"]]))
    assert not _together(stories, "a", "b")
    c = _ev("c", "d3", actors=("shoigu",), targets=("kang",), date="2023-09-13", trigger="talk",
            text="Shoigu held talks with Kang.")
    _, stories, _ = _stories([_ev("a", "d1", date="2023-09-13"), c], rules=StoryRules(merge=[["a", "c"]]))
    assert _together(stories, "a", "c")


def test_story_rules_load_from_the_alias_yaml(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("merge: [[Kim, Kim Jong Un]]\nstories:\n  merge: [[a, b]]\n  keep_apart: [[c, d]]\n")
    rules = StoryRules.load(path)
    assert rules.merge == [["a", "b"]] and rules.keep_apart == [["c", "d"]]


def test_story_ids_do_not_depend_on_input_order():
    events = [_ev("a", "d1", date="2023-09-13"), _ev("b", "d2", date="2023-09-13"), _ev("c", "d3", kind="ASSAULT")]
    ids1 = sorted(s.id for s in _stories(events)[1])
    events = [_ev("c", "d3", kind="ASSAULT"), _ev("b", "d2", date="2023-09-13"), _ev("a", "d1", date="2023-09-13")]
    assert sorted(s.id for s in _stories(events)[1]) == ids1


def test_a_story_id_survives_a_new_report_joining_it():
    before = _stories([_ev("a", "d1", date="2023-09-13"), _ev("b", "d2", date="2023-09-13")])[1]
    after = _stories([_ev("a", "d1", date="2023-09-13"), _ev("b", "d2", date="2023-09-13"),
                      _ev("z", "d9", date="2023-09-13")])[1]
    assert [s.id for s in before] == [s.id for s in after] and len(after[0].events) == 3


def test_thousands_of_reports_of_one_event_are_placed_against_a_sample_not_all_pairs():
    calls = []
    model = EventModel.load(setting="mentions")

    class Counting(EventModel):
        def probability(self, x):
            calls.append(len(x))
            return super().probability(x)

    counting = Counting(model.weights, model.bias, model.threshold, model.within_threshold, model.features)
    n = 1500
    events = [_ev(f"e{i:04d}", f"d{i:04d}", date="2023-09-13") for i in range(n)]
    _, stories, _ = _stories(events, model=counting)
    assert len(stories) == 1 and len(stories[0].events) == n
    assert sum(calls) < n * 20  # a bounded sample per report, not n * (n - 1) / 2 pairs


@pytest.mark.parametrize("shared", [True, False])
def test_a_pair_is_scored_on_a_shared_participant(shared):
    a = _ev("a", "d1", actors=("kim",), targets=("putin",), date="2023-09-13")
    b = _ev("b", "d2", actors=("kim",) if shared else ("shoigu",), targets=("putin",) if shared else ("kang",),
            date="2023-09-13")
    _, stories, _ = _stories([a, b])
    assert _together(stories, "a", "b") is shared


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


def test_one_article_naming_the_doer_and_the_victim_in_different_sentences_tells_one_event():
    shot = _ev("a", "d1", kind="ASSAULT", actors=("shoigu",), targets=(), trigger="shoot",
               text="Shoigu opened fire.")
    killed = _ev("b", "d1", kind="ASSAULT", actors=(), targets=("kang",), start=100, trigger="kill",
                 text="Kang was killed.")
    events, _, _ = _stories([shot, killed])
    assert len(events) == 1 and (events[0].actors, events[0].targets) == (["shoigu"], ["kang"])


@pytest.mark.parametrize(
    ("actors", "targets"),
    [(("kim",), ("kang",)), ((), ("putin",)), (("kang",), ())],  # another doer; another victim; victim as doer
)
def test_casts_that_differ_in_a_role_are_two_events_of_one_article(actors, targets):
    first = _ev("a", "d1", kind="ASSAULT", actors=("shoigu",), targets=("kang",), trigger="shoot")
    other = _ev("b", "d1", kind="ASSAULT", actors=actors, targets=targets, start=100, trigger="attack")
    events, _, _ = _stories([first, other])
    assert len(events) == 2


def test_an_accusation_and_the_counter_accusation_in_one_article_stay_two_events():
    said = "Kim accused Putin of the raid."
    answer = "Putin accused Kim and Kang of the raid."
    first = _ev("a", "d1", kind="ACCUSE", actors=("kim",), targets=("putin",), trigger="accuse", text=said)
    other = _ev("b", "d1", kind="ACCUSE", actors=("putin",), targets=("kim", "kang"), start=100,
                trigger="accuse", text=answer)
    events, _, _ = _stories([first, other])
    assert len(events) == 2


def test_a_meeting_told_from_either_side_in_one_article_is_one_event():
    again = _ev("b", "d1", actors=("putin",), targets=("kim",), start=100, text="Putin met Kim at the port.")
    events, _, _ = _stories([_ev("a", "d1"), again])
    assert len(events) == 1


def test_an_accusation_and_its_answer_from_two_outlets_are_two_stories():
    said = "Kim accused Putin of the raid."
    answer = "Putin accused Kim of the raid."
    first = _ev("a", "d1", kind="ACCUSE", actors=("kim",), targets=("putin",), trigger="accuse", text=said)
    other = _ev("b", "d2", kind="ACCUSE", actors=("putin",), targets=("kim",), trigger="accuse", text=answer)
    _, stories, _ = _stories([first, other])
    assert not _together(stories, "a", "b")


def test_two_reports_sharing_someone_in_each_role_are_one_typed_event():
    one = _ev("a", "d1", kind="REJECT", actors=("kim",), targets=("putin", "kang"), trigger="deny",
              text="Kim denied the claims of Putin and Kang.")
    two = _ev("b", "d2", kind="REJECT", actors=("kim", "shoigu"), targets=("putin",), trigger="dispute",
              text="Kim and Shoigu disputed what Putin said.")
    _, stories, _ = _stories([one, two])
    assert _together(stories, "a", "b")


def _threaded(events, threads):
    from storyline.model import Thread

    docs = _docs(*sorted({e.doc for e in events}))
    return build_stories(events, docs, PEOPLE, threads=[Thread(id=t, documents=list(ds)) for t, ds in threads.items()])


def test_reports_naming_other_victims_are_two_events_even_in_one_thread():
    one = _ev("a", "d1", kind="ASSAULT", actors=(), targets=("kang",), trigger="shoot", text="Kang was shot.")
    two = _ev("b", "d2", kind="ASSAULT", actors=("kim",), targets=("putin",), trigger="shoot",
              text="Kim shot Putin.")
    _, stories, _ = _threaded([one, two], {"t1": ["d1", "d2"]})
    assert not _together(stories, "a", "b")


def test_one_naming_only_the_doer_and_one_only_the_victim_are_not_tied_by_that_across_threads():
    doer = _ev("a", "d1", kind="ASSAULT", actors=("kim",), targets=(), trigger="shoot", text="Kim opened fire.")
    victim = _ev("b", "d2", kind="ASSAULT", actors=(), targets=("putin",), trigger="shoot", text="Putin was shot.")
    _, stories, _ = _threaded([doer, victim], {"t1": ["d1"], "t2": ["d2"]})
    assert not _together(stories, "a", "b")


def test_across_threads_only_a_shared_cast_ties_two_reports():
    said = "Kim met Putin at the port."
    same_words = [_ev("a", "d1", actors=(), targets=(), text=said), _ev("b", "d2", actors=(), targets=(), text=said)]
    _, apart, _ = _threaded(same_words, {"t1": ["d1"], "t2": ["d2"]})
    _, within, _ = _threaded(same_words, {"t1": ["d1", "d2"]})
    assert not _together(apart, "a", "b") and _together(within, "a", "b")
    cast = [_ev("a", "d1", text=said), _ev("b", "d2", text=said)]
    _, shared, _ = _threaded(cast, {"t1": ["d1"], "t2": ["d2"]})
    assert _together(shared, "a", "b")


def test_one_article_telling_the_arrests_of_two_people_keeps_two_events():
    first = _ev("a", "d1", kind="COERCE", actors=(), targets=("kim",), trigger="arrest", text="Kim was arrested.")
    second = _ev("b", "d1", kind="COERCE", actors=(), targets=("kang",), trigger="arrest", start=100,
                 text="Kang was arrested last month too.")
    events, _, _ = _stories([first, second])
    assert len(events) == 2


def test_a_later_report_may_tell_a_dated_event_again_when_its_cast_is_the_same():
    shooting = _ev("a", "d1", kind="ASSAULT", actors=("kim",), targets=("kang",), trigger="shoot",
                   date="2021-10-21", text="Kim shot Kang on Thursday.")
    trial = _ev("b", "d2", kind="ASSAULT", actors=("kim",), targets=("kang",), trigger="murder",
                text="Kim went on trial for the murder of Kang.")
    published = {"d1": "2021-10-22", "d2": "2023-04-11"}
    _, stories, _ = _stories([shooting, trial], published=published)
    assert _together(stories, "a", "b")
    other = _ev("c", "d2", kind="ASSAULT", actors=("shoigu",), targets=("putin",), trigger="murder",
                text="Shoigu went on trial for the murder of Putin.")
    _, stories, _ = _stories([shooting, other], published=published)
    assert not _together(stories, "a", "c")


PARTIES = [*PEOPLE, Entity(id="lavrov", name="Lavrov", type="PERSON"), Entity(id="moscow", name="Moscow", type="GPE")]
SAID = "They met in the capital on Tuesday and talked for hours."


def _met(eid, doc, actors, targets, trigger="meet", date="2023-09-13"):
    return _ev(eid, doc, actors=actors, targets=targets, trigger=trigger, date=date, text=SAID)


def _one_thread(events):
    from storyline.model import Thread

    docs = _docs(*sorted({e.doc for e in events}))
    return build_stories(events, docs, PARTIES, threads=[Thread(id="t", documents=[d.id for d in docs])])[1]


def test_two_meetings_each_naming_someone_the_other_does_not_are_two_events():
    one = _met("a", "d1", ("kim",), ("putin",))
    other = _met("b", "d2", ("shoigu",), ("putin", "lavrov"))
    assert not _together(_one_thread([one, other]), "a", "b")
    fuller = _met("c", "d2", ("kim",), ("putin", "lavrov"))  # the same meeting, one more person named
    assert _together(_one_thread([one, fuller]), "a", "c")


def test_a_journey_and_a_meeting_held_during_it_are_two_events():
    trip = _met("a", "d1", ("shoigu",), ("kim", "moscow"), trigger="visit")
    talks = _met("b", "d2", ("shoigu",), ("kim",), trigger="meet")
    again = _met("c", "d3", ("shoigu",), ("moscow",), trigger="trip")
    stories = _one_thread([trip, talks, again])
    assert not _together(stories, "a", "b") and _together(stories, "a", "c")


def _headlined(title, body, published):
    return Document(id="h1", source="h1.txt", text=f"{title}\n\n{body}", site="site-h1", title=title,
                    published=published)


@pytest.mark.parametrize(
    ("recalled_cast", "recalled_date", "joined"),
    [
        ((), "2019", False),  # an older event nobody is named in: the report recalls another one
        ((), "2023-03-10", True),  # within the window before publication: may be the headline's news
        (("kang",), "2019", True),  # a participant in common outweighs the presumption
    ],
)
def test_an_undated_headline_event_is_the_news_not_an_older_event_the_report_recalls(
    recalled_cast, recalled_date, joined
):
    title = "Lighthouse keeper Kang detained at the harbour"
    body = "Kang was detained on a pier. Two other keepers were detained in that year as well."
    doc = _headlined(title, body, "2023-03-14")
    news = _ev("n", "h1", kind="COERCE", actors=(), targets=("kang",), trigger="detain", text=title)
    older = _ev("o", "h1", kind="COERCE", actors=(), targets=recalled_cast, trigger="detain", date=recalled_date,
                start=len(title) + 32, text="Two other keepers were detained in that year as well.")
    events, _, merged_into = build_stories([news, older], [doc], PEOPLE)
    assert (merged_into["n"] == merged_into["o"]) is joined
    news_event = next(e for e in events if e.id == merged_into["n"])
    assert news_event.date == (recalled_date if joined else None)


def test_an_event_told_as_planned_is_not_one_with_the_one_that_happened():
    done = _ev("a", "d1", kind="ASSAULT", actors=("kim",), targets=(), trigger="bomb", date="2023-09-13")
    pending = _ev("b", "d1", kind="ASSAULT", actors=("kim",), targets=(), trigger="invasion", mode="planned",
                  start=100, text="Kim spoke of a pending invasion.")
    again = _ev("c", "d1", kind="ASSAULT", actors=("kim",), targets=(), trigger="bomb", start=200,
                text="Kim bombed the port again.")
    _, _, merged_into = _stories([done, pending, again], published={"d1": "2023-09-14"})
    assert merged_into["a"] == merged_into["c"] != merged_into["b"]


def test_a_month_and_a_day_inside_it_are_never_too_far_apart():
    """The window is the gap between two dates' intervals: "in October" holds the 25th, whatever the
    distance from the 1st; a day far outside the month stays apart."""
    month = _ev("a", "d1", kind="COERCE", actors=(), targets=("kim",), trigger="arrest", date="2011-10")
    day = _ev("b", "d2", kind="COERCE", actors=(), targets=("kim",), trigger="arrest", date="2011-10-28")
    _, stories, _ = _stories([month, day])
    assert _together(stories, "a", "b")
    far = _ev("c", "d3", kind="COERCE", actors=(), targets=("kim",), trigger="arrest", date="2011-12-20")
    _, stories, _ = _stories([month, far])
    assert not _together(stories, "a", "c")


def test_an_undated_report_gets_the_year_of_the_dated_reports_it_shares_a_story_with():
    """Its yearless date ("a July meeting", XXXX-07) is read against the latest publication date of the
    dated reports beside it, and says so (``date_from``); a report beside none keeps the year unknown."""
    a = _ev("a", "d1", date="2023-09-13")
    b = _ev("b", "d2")  # the same meeting, told by an undated report
    c = _ev("c", "d2", kind="COOPERATE", actors=("shoigu",), targets=("kang",), trigger="drill", date="XXXX-07",
            start=100, text="Shoigu proposed drills to Kang during a July meeting.")
    lone = _ev("x", "d3", kind="COOPERATE", actors=("shoigu",), targets=("kang",), trigger="drill",
               date="XXXX-07", text="Shoigu proposed drills to Kang during a July meeting.")
    events, _, _ = _stories([a, b, c, lone], published={"d1": "2023-09-17"})
    by_id = {e.id: e for e in events}
    assert _together(_stories([a, b], published={"d1": "2023-09-17"})[1], "a", "b")
    assert (by_id["c"].date, by_id["c"].date_from) == ("2023-07", "2023-09-17")
    assert (by_id["x"].date, by_id["x"].date_from) == ("XXXX-07", None)


def test_a_yearless_date_as_far_from_another_as_the_window_in_any_year_is_another_event():
    july = _ev("a", "d1", date="2023-07-25/2023-07-27", text="Kim met Putin at the port in late July.")
    november = _ev("b", "d2", date="XXXX-11", mode="planned", text="Kim will meet Putin at the port in November.")
    _, stories, _ = _stories([july, november], published={"d1": "2023-07-28"})
    assert not _together(stories, "a", "b")
