"""Events from the parse: participants, passives, modes, dates from the clause, evidence spans."""

from __future__ import annotations

import pytest

from storyline.model import Mention, Timex
from storyline.nlp.events import find_events
from storyline.nlp.quotes import find_quotes


def _mentions(sdoc) -> list[Mention]:
    out = []
    for e in sdoc.ents:
        if e.label_ in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"):
            text = e.text[4:] if e.text.lower().startswith("the ") else e.text
            start = e.end_char - len(text)
            out.append(Mention(start, e.end_char, text, e.label_, name=text))
    return out


def _timexes(text: str, dates: dict[str, str | None]) -> list[Timex]:
    out = []
    for surface, value in dates.items():
        i = text.index(surface)
        out.append(Timex(i, i + len(surface), surface, value))
    return sorted(out, key=lambda t: t.start)


def _run(nlp, text: str, dates: dict[str, str | None] | None = None):
    sdoc = nlp(text)
    mentions = _mentions(sdoc)
    events = find_events(sdoc, mentions, _timexes(text, dates or {}), [])

    def names(idx):
        return {mentions[i].name for i in idx}

    return events, names


def _one(events, kind):
    found = [e for e in events if e.type == kind]
    assert found, f"no {kind} event in {[(e.type, e.trigger) for e in events]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "kind", "actors", "targets"),
    [
        ("Vladimir Putin met Kim Jong Un in Vladivostok.", "CONSULT", {"Vladimir Putin"}, {"Kim Jong Un"}),
        (
            "Sergei Shoigu and Kang Sun Nam held talks in Pyongyang.",
            "CONSULT",
            {"Sergei Shoigu", "Kang Sun Nam"},
            set(),
        ),
        ("Sergei Shoigu held talks with Kang Sun Nam.", "CONSULT", {"Sergei Shoigu"}, {"Kang Sun Nam"}),
        ("Kim Il Sung visited Moscow last spring.", "CONSULT", {"Kim Il Sung"}, {"Moscow"}),
        ("France accused Germany of spying.", "ACCUSE", {"France"}, {"Germany"}),
        ("Brazil imposed sanctions on Venezuela.", "SANCTION", {"Brazil"}, {"Venezuela"}),
    ],
)
def test_participants_from_subjects_objects_and_prepositions(nlp, text, kind, actors, targets):
    events, names = _run(nlp, text)
    ev = _one(events, kind)
    assert names(ev.actors) == actors
    assert names(ev.targets) == targets


@pytest.mark.parametrize(
    ("text", "actors", "targets"),
    [
        ("Peter Walsh was shot by John Carter outside a bar.", {"John Carter"}, {"Peter Walsh"}),
        ("John Carter shot Peter Walsh outside a bar.", {"John Carter"}, {"Peter Walsh"}),
    ],
)
def test_passive_voice_swaps_roles_back(nlp, text, actors, targets):
    events, names = _run(nlp, text)
    ev = _one(events, "ASSAULT")
    assert (names(ev.actors), names(ev.targets)) == (actors, targets)


def test_name_inside_a_description_is_the_actor(nlp):
    events, names = _run(nlp, "The Biden administration has accused North Korea of providing arms to Russia.")
    ev = _one(events, "ACCUSE")
    assert names(ev.actors) == {"Biden"}
    assert names(ev.targets) == {"North Korea"}
    assert not [e for e in events if e.type == "AID"]  # what is claimed is not an event of its own


@pytest.mark.parametrize(
    ("text", "kind", "mode"),
    [
        ("Kim Jong Un did not sign an agreement with Vladimir Putin.", "AGREE", "negated"),
        ("Russia plans to conduct joint military exercises with Cuba.", "COOPERATE", "planned"),
        ("Vladimir Putin will visit Beijing.", "CONSULT", "planned"),
        ("The Kremlin is expected to send a delegation to Pyongyang.", "CONSULT", "planned"),
        ("Iran could attack Israel.", "ASSAULT", "hypothetical"),
        ("According to Reuters, Israel attacked Gaza.", "ASSAULT", "reported"),
        ("Vladimir Putin met Kim Jong Un.", "CONSULT", "asserted"),
        ("Kenya warned of an Ethiopian pending invasion of Somalia.", "ASSAULT", "planned"),
        ("Ethiopia carried out the invasion of Somalia.", "ASSAULT", "asserted"),
        # an infinitive of purpose, or of what a noun proposes, is meant, not done; one ranking who did it is done
        ("Finland postponed the vote to negotiate with Norway.", "CONSULT", "planned"),
        ("The senate approved a plan to impose sanctions on Venezuela.", "SANCTION", "planned"),
        ("Kim Il Sung was the first leader to visit Moscow.", "CONSULT", "asserted"),
        ("Evidence suggests Russia attacked Ukraine.", "ASSAULT", "hypothetical"),
        # a support verb that is itself a cue; an event during a future one; a clause inverted as a condition
        ("Egypt proposed talks between Israel and Hamas.", "CONSULT", "planned"),
        ("Egypt held talks with Israel.", "CONSULT", "asserted"),
        ("Investors had anticipated the trial of Tom Baxter for fraud.", "ACCUSE", "planned"),
        ("Anna Berg will speak during a meeting with Tom Baxter on Friday.", "CONSULT", "planned"),
        ("Tom Baxter proposed a truce during a meeting with Sam Reed in July.", "CONSULT", "asserted"),
        ("How would voters have reacted had Tom Baxter met Sam Reed?", "CONSULT", "hypothetical"),
        ("Had Tom Baxter attacked Sam Reed, the war would have started.", "ASSAULT", "hypothetical"),
        ("Tom Baxter had attacked Sam Reed before the war.", "ASSAULT", "asserted"),
        # a refused or failed deed was not done; what a refusal is about was
        ("Tom Baxter refused to meet Sam Reed.", "CONSULT", "negated"),
        ("Police failed to arrest Tom Baxter on Friday.", "COERCE", "negated"),
        ("Tom Baxter refused to hold talks with Sam Reed.", "CONSULT", "negated"),
        ("Tom Baxter declined to comment on the shooting of Sam Reed.", "ASSAULT", "asserted"),
        ("Norway drafted a plan that would include a ceasefire as well as meetings between Chad and Sudan.",
         "CONSULT", "hypothetical"),
    ],
)
def test_mode(nlp, text, kind, mode):
    events, _ = _run(nlp, text)
    assert _one(events, kind).mode == mode


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Russia refused to recognise Kosovo.", {"Kosovo"}),
        ("The Bank of Ruritania refused to rescue Acme Corporation on Sunday.", {"Acme Corporation"}),
        ("Shares fell after the refusal of the Bank of Ruritania to bail out Acme Corporation.", {"Acme Corporation"}),
    ],
)
def test_a_refusal_is_aimed_at_whom_the_refused_deed_is_done_to(nlp, text, target):
    events, names = _run(nlp, text)
    assert names(_one(events, "REJECT").targets) == target


def test_he_after_an_unnamed_subject_is_that_person(nlp):
    events, names = _run(nlp, "Tom Baxter was shot on Friday. A clerk was beaten; he refused to attack Sam Reed.")
    assert names(_one(events, "REJECT").actors) == set()
    text = "Mark Jones, a police officer, shot John Smith on Friday. The officer said he would attack Sam Reed."
    events, names = _run(nlp, text)
    assert any(names(e.actors) == {"Mark Jones"} and names(e.targets) == {"Sam Reed"} for e in events)


def test_he_in_what_an_unnamed_speaker_says_is_that_speaker(nlp):
    text = "John Smith was shot on Friday. The guard who fired says he killed the thief to save himself."
    events, names = _run(nlp, text)
    assert all("John Smith" not in names(e.actors) for e in events)
    events, names = _run(nlp, "John Smith was shot on Friday. His father said he was killed by police.")
    assert names(_one(events, "ASSAULT").targets) == {"John Smith"}  # a relative speaks of someone else
    events, names = _run(nlp, "John Smith was shot on Friday. Mark Jones says he killed the boy in self-defence.")
    assert any(names(e.actors) == {"Mark Jones"} for e in events)


@pytest.mark.parametrize(
    "text",
    [
        "Tom Baxter said his client did not attack Sam Reed.",
        "Tom Baxter said his uncle had attacked Sam Reed.",
        "Tom Baxter said his cousin had attacked Sam Reed.",
    ],
)
def test_a_persons_relative_or_agent_is_someone_else(nlp, text):
    events, names = _run(nlp, text)
    ev = _one(events, "ASSAULT")
    assert "Tom Baxter" not in names(ev.actors) and names(ev.targets) == {"Sam Reed"}


def test_a_question_is_no_statement_of_its_event(nlp):
    events, names = _run(nlp, "The crowd asked when Tom Baxter will meet Sam Reed, and will Sam Reed meet Anna Berg?")
    modes = {frozenset(names(e.actors) | names(e.targets)): e.mode for e in events if e.type == "CONSULT"}
    assert modes == {
        frozenset({"Tom Baxter", "Sam Reed"}): "planned",
        frozenset({"Sam Reed", "Anna Berg"}): "hypothetical",
    }


def test_a_purpose_that_names_its_own_clauses_deed_again_is_that_deed(nlp):
    """ "met ... to discuss": the talks are the meeting, told as it happened, not a planned second one."""
    events, _ = _run(nlp, "Ines Moreau met with Paolo Brandt to discuss the border.")
    consults = [e for e in events if e.type == "CONSULT"]
    assert len(consults) == 2 and {e.mode for e in consults} == {"asserted"}


def test_reported_event_names_its_source(nlp):
    events, _ = _run(nlp, "According to Reuters, Israel attacked Gaza.")
    sdoc = nlp("According to Reuters, Israel attacked Gaza.")
    ev = _one(events, "ASSAULT")
    assert ev.source is not None and _mentions(sdoc)[ev.source].name == "Reuters"


def test_date_from_a_timex_in_the_clause(nlp):
    text = "On July 26, Sergei Shoigu held talks with Kang Sun Nam."
    events, _ = _run(nlp, text, {"July 26": "2023-07-26"})
    ev = _one(events, "CONSULT")
    assert ev.date == "2023-07-26" and ev.timex == 0


def test_date_of_the_report_is_not_the_events(nlp):
    text = "Kim Jong Un met Sergei Shoigu to discuss security, state media said Thursday."
    events, _ = _run(nlp, text, {"Thursday": "2023-07-27"})
    ev = _one(events, "CONSULT")
    assert ev.date is None and ev.timex is None


def test_undated_event_keeps_no_date(nlp):
    events, _ = _run(nlp, "Vladimir Putin met Kim Jong Un in Vladivostok.")
    assert _one(events, "CONSULT").date is None


def test_date_of_a_meeting_frames_what_was_proposed_there(nlp):
    text = "Sergei Shoigu proposed joint drills with China during a July meeting with Kim Jong Un."
    events, _ = _run(nlp, text, {"July": "2023-07"})
    assert _one(events, "COOPERATE").date == "2023-07"


def test_next_sentence_dating_the_same_speakers_statement(nlp):
    text = "Kim Yo Jong hailed the Russian army. She stated in January 2023 that the people stood with Russia."
    events, _ = _run(nlp, text, {"January 2023": "2023-01"})
    assert _one(events, "SUPPORT").date == "2023-01"


@pytest.mark.parametrize(
    "text",
    [
        "Vladimir Putin ate lunch with Kim Jong Un.",  # not an event predicate
        "The meeting was long.",  # an event word with no participant and no date
        "Kim Jong Un signed autographs.",  # 'sign' needs an accord as its object
    ],
)
def test_no_event_without_predicate_or_participant(nlp, text):
    events, _ = _run(nlp, text)
    assert events == []


def test_pronoun_subject_resolves_to_earlier_person(nlp):
    text = "Sergei Lavrov traveled to Pyongyang, where he met with Kim Jong Un."
    events, names = _run(nlp, text)
    meet = next(e for e in events if e.trigger == "meet")
    assert names(meet.actors) == {"Sergei Lavrov"}
    assert names(meet.targets) == {"Kim Jong Un"}


def test_evidence_is_the_sentence_and_trigger_is_inside_it(nlp):
    text = "It rained. Vladimir Putin met Kim Jong Un in Vladivostok. Then it snowed."
    events, _ = _run(nlp, text)
    ev = _one(events, "CONSULT")
    assert text[ev.start : ev.end] == "Vladimir Putin met Kim Jong Un in Vladivostok."
    assert text[ev.trigger_start : ev.trigger_end] == "met"


def test_claim_and_denial_polarity(nlp):
    text = (
        "The Biden administration has accused North Korea of providing arms, although the North has denied the claim."
    )
    events, _ = _run(nlp, text)
    claim, denial = _one(events, "ACCUSE"), _one(events, "REJECT")
    assert claim.polarity == "claim" and claim.proposition and "arm" in claim.proposition
    assert denial.polarity == "denial" and denial.proposition is None  # it only points back


def test_military_arrival_is_a_mobilization_with_its_place(nlp):
    text = "A US submarine arrived in South Korea on Monday."
    events, names = _run(nlp, text, {"Monday": "2023-07-24"})
    ev = _one(events, "MOBILIZE")
    assert "US" in names(ev.actors) and names(ev.targets) == {"South Korea"}
    assert ev.date == "2023-07-24"


def test_headline_glued_above_is_not_the_subject(nlp):
    text = (
        "Russia Reinvigorating Ties With North Korea\n\n"
        "A Russian delegation led by Defense Minister Sergei Shoigu embarked on a trip to Cuba on July 25-27."
    )
    events, names = _run(nlp, text, {"July 25-27": "2023-07-25/2023-07-27"})
    ev = _one(events, "CONSULT")
    assert "Sergei Shoigu" in names(ev.actors) and names(ev.targets) == {"Cuba"}
    assert text[ev.start : ev.end].startswith("A Russian delegation")
    assert ev.date == "2023-07-25/2023-07-27"


def test_headline_on_the_line_above_without_a_blank_line_is_its_own_sentence(nlp):
    text = "Vigil ends in violence\nJohn Carter attacked Peter Walsh outside a bar."
    events, names = _run(nlp, text)
    ev = _one(events, "ASSAULT")
    assert text[ev.start : ev.end] == "John Carter attacked Peter Walsh outside a bar."
    assert names(ev.actors) == {"John Carter"}


@pytest.mark.parametrize(
    "text",
    [
        "Jurors heard testimony on Tuesday in the trial of Peter Walsh, the teen accused of robbing a shopkeeper.",
        "Emotional testimony and lies are what jurors heard in the trial of Peter Walsh, the man accused of fraud.",
    ],
)
def test_description_beside_a_name_stands_for_that_name(nlp, text):
    events, names = _run(nlp, text)
    ev = _one(events, "ACCUSE")
    assert "Peter Walsh" in names(ev.actors) | names(ev.targets)


def test_found_without_guilty_is_no_event(nlp):
    events, _ = _run(nlp, "Peter Walsh found the keys in the car.")
    assert not events


def test_pronoun_prefers_a_name_conjoined_with_the_subject_over_a_later_name(nlp):
    text = (
        "Politician and diplomat Anna Berg, the sister of the leader John Berg, praised the army. "
        "She stated in January 2023 that the country stands with the army."
    )
    events, names = _run(nlp, text, {"January 2023": "2023-01"})
    ev = _one(events, "SUPPORT")
    assert "Anna Berg" in names(ev.actors)
    assert ev.date == "2023-01"


@pytest.mark.parametrize(
    "text",
    [
        "The navy sent an attack submarine to the port.",
        "The murder trial of Peter Walsh opened.",
    ],
)
def test_trigger_noun_modifying_another_noun_is_no_event(nlp, text):
    events, _ = _run(nlp, text)
    assert not [e for e in events if e.type == "ASSAULT"]


def test_shooting_death_is_still_an_attack(nlp):
    events, names = _run(nlp, "The city mourned the shooting death of Peter Walsh.")
    assert "Peter Walsh" in names(_one(events, "ASSAULT").targets)


def test_place_of_a_person_noun_is_not_a_participant(nlp):
    events, names = _run(nlp, "Jurors heard from a Boston teen accused in the robbery.")
    assert all("Boston" not in names(e.actors) | names(e.targets) for e in events)


def test_a_subject_naming_nobody_does_not_borrow_the_main_clauses(nlp):
    events, names = _run(nlp, "At a summit John Carter hosted, the three nations agreed to cooperate.")
    assert all("John Carter" not in names(e.actors) for e in events if e.type == "AGREE")


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Peter Walsh was shot and killed on Saturday night after a quarrel.", {"Saturday night": "2013-03-09"}),
        (
            "John Carter was arrested after being pulled over on Sunday.",
            {"Sunday": "2009-02-01"},
        ),
    ],
)
def test_event_takes_the_date_of_a_clause_coordinate_or_subordinate_to_it(nlp, text, dates):
    events, _ = _run(nlp, text, dates)
    ev = next(e for e in events if e.type in ("ASSAULT", "COERCE") and e.trigger in ("shoot", "arrest"))
    assert ev.date == next(iter(dates.values()))


def test_a_noun_event_takes_the_date_of_the_clause_saying_when_it_took_place(nlp):
    text = "Neighbours still talk about the shooting that took place last Friday."
    events, _ = _run(nlp, text, {"last Friday": "2011-10-21"})
    assert _one(events, "ASSAULT").date == "2011-10-21"


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # the date of what the talk was about, of a clause of another time, of the report
        ("Mary Berg met them, talking about what led John Carter to the park on May 29.", {"May 29": "XXXX-05-29"}),
        (
            "The EU warned Israel of sanctions, while Israeli forces on Tuesday killed 40 people.",
            {"Tuesday": "2009-01-06"},
        ),
        ("John Carter was shot and killed, police said on Monday.", {"Monday": "2013-03-11"}),
    ],
)
def test_no_date_from_a_clause_about_something_else(nlp, text, dates):
    events, _ = _run(nlp, text, dates)
    ev = next(e for e in events if e.type in ("CONSULT", "THREATEN") or e.trigger == "shoot")
    assert ev.date is None


def _with_quotes(nlp, text):
    from storyline.nlp.quotes import find_quotes

    sdoc = nlp(text)
    mentions = _mentions(sdoc)
    events = find_events(sdoc, mentions, [], find_quotes(sdoc, mentions))
    return events, lambda idx: {mentions[i].name for i in idx}


@pytest.mark.parametrize(
    ("text", "kind", "actors", "targets"),
    [
        ("Tom Smith issued a statement on Vernon Jacobs's arrest.", "COERCE", set(), {"Vernon Jacobs"}),
        ("Mourners marked Peter Walsh's murder with a vigil.", "ASSAULT", set(), {"Peter Walsh"}),
        ("John Carter's killing of Peter Walsh shocked the town.", "ASSAULT", {"John Carter"}, {"Peter Walsh"}),
        ("Germany's attack on Poland began the war.", "ASSAULT", {"Germany"}, {"Poland"}),
        ("Vernon Jacobs had an arrest for robbery in Ohio.", "COERCE", set(), {"Vernon Jacobs"}),
        ("Tom Smith had talks with Vernon Jacobs.", "CONSULT", {"Tom Smith"}, {"Vernon Jacobs"}),
    ],
)
def test_the_possessor_of_an_arrest_or_murder_undergoes_it(nlp, text, kind, actors, targets):
    events, names = _run(nlp, text)
    ev = _one(events, kind)

    def bare(idx):  # this test's mentions keep the entity's "'s"
        return {n.removesuffix("'s") for n in names(idx)}

    assert (bare(ev.actors), bare(ev.targets)) == (actors, targets)


def test_disputing_something_other_than_a_claim_is_no_denial(nlp):
    events, _ = _run(nlp, "The two families disputed the ownership of the farm in Texas.")
    assert not [e for e in events if e.type == "REJECT"]


def test_a_claim_noun_without_its_content_is_no_event(nlp):
    events, _ = _run(nlp, "Israel's claims were dismissed by the United Nations.")
    assert not [e for e in events if e.type == "ACCUSE"]


@pytest.mark.parametrize(
    "text",
    [
        "The trial against 16-year-old Jerome Tillman started a bit late.",
        "Jurors heard testimony in the trial of Jerome Tillman on Tuesday.",
    ],
)
def test_a_trial_is_an_accusation_against_the_defendant(nlp, text):
    events, names = _run(nlp, text)
    ev = _one(events, "ACCUSE")
    assert not ev.actors and names(ev.targets) == {"Jerome Tillman"}


def test_a_support_verb_still_takes_the_event_it_embarks_on(nlp):
    events, names = _run(nlp, "Kim Jong Un embarked on a visit to Russia.")
    assert names(_one(events, "CONSULT").actors) == {"Kim Jong Un"}


def test_the_possessor_of_a_group_still_acts_through_it(nlp):
    events, names = _run(nlp, "Kim Jong Un's delegation met Russian officials.")
    assert "Kim Jong Un" in {n.removesuffix("'s") for n in names(_one(events, "CONSULT").actors)}


@pytest.mark.parametrize(
    ("text", "accused"),
    [
        ("Kiev claimed Moscow had killed civilians.", {"Moscow"}),
        ("France claimed that Germany had lied about the deal.", {"Germany"}),
        ("Samsung claimed that Apple copied its design.", {"Apple"}),
        ("Mark Jones claimed that Anna Berg was guilty of fraud.", {"Anna Berg"}),
        ("At the time, Mark Jones claimed Anna Berg was planning to leave the country.", {"Anna Berg"}),
        ("Israel claimed that militants were hiding in the hospital.", set()),
    ],
)
def test_a_claim_that_tells_a_deed_or_a_wrong_is_an_accusation(nlp, text, accused):
    events, names = _run(nlp, text)
    assert names(_one(events, "ACCUSE").targets) == accused


@pytest.mark.parametrize(
    "text",
    [
        "Mark Jones has claimed that the new phone from Acme will double the speed.",
        "Acme Corp claimed that the Nokia phone is slower.",
        "The website is claiming that there are people who have tested the new tablet.",
        "The company claimed the merger would create jobs in Ohio.",
    ],
)
def test_a_claim_of_anything_else_is_no_accusation(nlp, text):
    events, _ = _run(nlp, text)
    assert not [e for e in events if e.type == "ACCUSE"]


def test_what_a_claim_is_about_is_still_no_event(nlp):
    events, _ = _run(nlp, "France accused Germany of attacking Poland.")
    assert not [e for e in events if e.type == "ASSAULT"]



@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Saturday's protests turned violent.", {"Saturday": None}),
        ("Students announced new rallies on Sunday.", {"Sunday": None}),
        ("The town saw a third night of rioting.", {}),
        ("Shops stayed shut on the fifth day of demonstrations.", {}),
    ],
)
def test_an_event_placed_in_time_is_kept_without_participants_or_calendar_date(nlp, text, dates):
    events, _ = _run(nlp, text, dates)
    ev = _one(events, "PROTEST")
    assert (ev.actors, ev.targets, ev.date) == ([], [], None)


@pytest.mark.parametrize("text", ["The protests turned violent.", "Shops stayed shut because of the rioting."])
def test_an_event_with_no_participant_and_no_time_is_still_dropped(nlp, text):
    events, _ = _run(nlp, text)
    assert not [e for e in events if e.type == "PROTEST"]


@pytest.mark.parametrize(
    ("text", "actors", "targets"),
    [
        ("A jury found Paul Drake guilty of the killing of Ann Brown.", {"Paul Drake"}, {"Ann Brown"}),
        ("Tom Baxter confessed to the murder of Lisa Hart.", {"Tom Baxter"}, {"Lisa Hart"}),
        ("Police arrested Sam Reed for the shooting of Lisa Hart.", {"Sam Reed"}, {"Lisa Hart"}),
        ("Sam Reed is a suspect in the shooting of Lisa Hart.", {"Sam Reed"}, {"Lisa Hart"}),
    ],
)
def test_the_one_held_to_account_for_a_deed_is_its_doer(nlp, text, actors, targets):
    events, names = _run(nlp, text)
    ev = _one(events, "ASSAULT")
    assert (names(ev.actors), names(ev.targets)) == (actors, targets)


def test_a_denial_of_responsibility_names_no_doer(nlp):
    events, names = _run(nlp, "Police said Sam Reed was not responsible for the killing of Lisa Hart.")
    assert all("Sam Reed" not in names(e.actors) for e in events if e.type == "ASSAULT")


def test_an_event_noun_another_deed_is_about_keeps_its_own_time(nlp):
    text = "Ann Brown testified in the shooting of Lisa Hart on Thursday."
    events, _ = _run(nlp, text, {"Thursday": "2020-05-07"})
    assert _one(events, "ASSAULT").date is None


def test_an_event_noun_a_verb_turns_into_shares_its_time(nlp):
    text = "On Monday the vigil for Lisa Hart devolved into a riot."
    events, _ = _run(nlp, text, {"On Monday": "2020-05-04"})
    assert _one(events, "PROTEST").date == "2020-05-04"


def test_a_description_stands_for_the_one_name_the_article_describes_with_it(nlp):
    text = "Planes bombed the Yida refugee camp on Thursday. The camp was bombed again on Friday."
    events, names = _run(nlp, text, {"Thursday": "2020-04-30", "Friday": "2020-05-01"})
    again = [e for e in events if e.type == "ASSAULT" and e.date == "2020-05-01"]
    assert again and names(again[0].targets) == {"Yida"}


def test_a_description_of_two_names_stands_for_neither(nlp):
    text = ("The teacher Tom Baxter spoke on Monday. The teacher Sam Reed spoke on Tuesday. "
            "Police arrested the teacher for drunk driving.")
    events, names = _run(nlp, text)
    assert all(not names(e.targets) for e in events if e.trigger == "arrest")


def test_a_person_noun_never_stands_for_a_company(nlp):
    text = "The Acme Corp killer fled on Monday. Police arrested the killer in Ohio."
    events, names = _run(nlp, text)
    assert all("Acme Corp" not in names(e.targets) for e in events if e.trigger == "arrest")


def test_asserting_ones_innocence_is_a_denial(nlp):
    events, names = _run(nlp, "Tom Baxter proclaimed his innocence in a statement.")
    ev = _one(events, "REJECT")
    assert names(ev.actors) == {"Tom Baxter"} and ev.polarity == "denial"


def test_the_first_person_inside_a_direct_quote_is_its_speaker(nlp):
    text = '"I look forward to proving my innocence," Tom Baxter said.'
    sdoc = nlp(text)
    mentions = _mentions(sdoc)
    from storyline.nlp.quotes import find_quotes

    events = find_events(sdoc, mentions, [], find_quotes(sdoc, mentions))
    ev = _one(events, "REJECT")
    assert {mentions[i].name for i in ev.actors} == {"Tom Baxter"}


def test_what_a_nouns_modifying_clause_says_is_no_part_of_a_claim(nlp):
    text = "The UN denied claims that there were militants in the school bombed by Israel on Tuesday."
    events, names = _run(nlp, text, {"Tuesday": "2020-04-28"})
    ev = _one(events, "ASSAULT")
    assert names(ev.actors) == {"Israel"} and ev.date == "2020-04-28"


def test_the_noun_a_participle_modifies_is_what_its_agent_acted_on(nlp):
    events, names = _run(nlp, "Police sealed off the Acme school bombed by Tom Baxter.")
    ev = _one(events, "ASSAULT")
    assert names(ev.actors) == {"Tom Baxter"} and names(ev.targets) == {"Acme"}


def test_a_denial_answers_the_claimant_of_the_claim_it_denies(nlp):
    text = "The United Nations on Wednesday denied Acme Corp claims that there were militants in the school."
    events, names = _run(nlp, text)
    ev = _one(events, "REJECT")
    assert names(ev.actors) == {"United Nations"} and names(ev.targets) == {"Acme Corp"}
    events, names = _run(nlp, "Tom Baxter denied that Sam Reed attacked Lisa Hart.")
    assert not names(_one(events, "REJECT").targets)  # what is denied is no claimant


def test_a_name_hyphened_to_a_noun_takes_no_part_in_the_event(nlp):
    events, names = _run(nlp, "The US Los Angeles-class submarine USS Annapolis arrived in South Korea on Monday.")
    ev = _one(events, "MOBILIZE")
    assert "Los Angeles" not in names(ev.actors) | names(ev.targets)
    assert "USS Annapolis" in names(ev.actors)


@pytest.mark.parametrize(
    ("text", "sides"),
    [
        ("The US-China trade talks resumed in Geneva on Monday.", {"US", "China"}),
        ("Negotiators said the Russia-Ukraine talks had stalled.", {"Russia", "Ukraine"}),
        ("Officials in Seoul expect India-Pakistan talks next week.", {"India", "Pakistan"}),
    ],
)
def test_two_names_joined_by_a_hyphen_are_both_sides(nlp, text, sides):
    events, names = _run(nlp, text)
    ev = _one(events, "CONSULT")
    assert names(ev.actors) | names(ev.targets) == sides


def test_a_headline_passive_without_its_auxiliary_keeps_the_roles(nlp):
    events, names = _run(nlp, "Tom Baxter killed in Ohio crash")
    ev = _one(events, "ASSAULT")
    assert not names(ev.actors) and names(ev.targets) == {"Tom Baxter"}
    events, names = _run(nlp, "Tom Baxter had killed Sam Reed.")  # an auxiliary: the active voice
    assert names(_one(events, "ASSAULT").actors) == {"Tom Baxter"}


@pytest.mark.parametrize(
    ("text", "doer"),
    [
        ("Harold Finch was detained and charged with the shooting.", "Harold Finch"),
        ("Police charged Harold Finch with the murder of a baker.", "Harold Finch"),
        ("Prosecutors accused Harold Finch of the attack on the depot.", "Harold Finch"),
    ],
)
def test_a_definite_deed_named_in_a_charge_happened_and_the_charged_did_it(nlp, text, doer):
    events, names = _run(nlp, text)
    deeds = [e for e in events if e.type == "ASSAULT"]
    assert any(doer in names(e.actors) for e in deeds), [(e.type, e.trigger, names(e.actors)) for e in events]


def test_an_indefinite_deed_in_an_accusation_stays_inside_the_claim(nlp):
    events, _ = _run(nlp, "Prosecutors accused Harold Finch of an attack on the depot.")
    assert not [e for e in events if e.type == "ASSAULT"]


@pytest.mark.parametrize("noun", ["stabbing", "wounding"])
def test_the_gerund_of_a_trigger_verb_names_the_same_deed(nlp, noun):
    events, names = _run(nlp, f"Harold Finch was charged with the {noun} of Mary Okafor.")
    ev = _one(events, "ASSAULT")
    assert ev.trigger == noun
    assert names(ev.actors) == {"Harold Finch"}
    assert names(ev.targets) == {"Mary Okafor"}


def test_a_guilty_verdict_is_a_conviction_of_the_one_found_guilty(nlp):
    events, names = _run(nlp, "A jury found Harold Finch guilty of the murder of Mary Okafor.")
    ev = _one(events, "ACCUSE")
    assert names(ev.targets) == {"Harold Finch"}
    assert names(_one(events, "ASSAULT").actors) == {"Harold Finch"}


@pytest.mark.parametrize(
    "text",
    [
        "Police named Harold Finch as the gunman who shot Mary Okafor.",
        "The witness said Harold Finch was the man who stabbed Mary Okafor.",
    ],
)
def test_a_predicative_noun_stands_for_what_it_is_said_of(nlp, text):
    events, names = _run(nlp, text)
    ev = _one(events, "ASSAULT")
    assert names(ev.actors) == {"Harold Finch"}
    assert names(ev.targets) == {"Mary Okafor"}


def test_a_definite_outcome_phrase_inside_a_charge_is_still_an_event(nlp):
    events, names = _run(nlp, "A teen accused in the shooting death of Mary Okafor went on trial.")
    assert "Mary Okafor" in names(_one(events, "ASSAULT").targets)


def test_a_participle_clause_borrowing_its_subject_is_undergone_by_it(nlp):
    events, names = _run(nlp, "Harold Finch faces ten years in prison if convicted of fraud.")
    ev = _one(events, "ACCUSE")
    assert names(ev.targets) == {"Harold Finch"} and not ev.actors


def test_speaking_out_against_something_is_a_condemnation(nlp):
    events, names = _run(nlp, "Mary Okafor spoke out against Freedonia's strikes on the port.")
    ev = _one(events, "ACCUSE")
    assert names(ev.actors) == {"Mary Okafor"}
    assert not [e for e in _run(nlp, "Mary Okafor spoke out in favour of the plan.")[0] if e.type == "ACCUSE"]


def test_an_institution_reporting_an_agentless_arrest_made_it(nlp):
    text = "Harold Finch was arrested on Sunday, the Ohio Highway Patrol said."
    sdoc = nlp(text)
    patrol = text.index("Ohio Highway Patrol")
    mentions = [Mention(0, 12, "Harold Finch", "PERSON", name="Harold Finch"),
                Mention(patrol, patrol + 19, "Ohio Highway Patrol", "ORG", name="Ohio Highway Patrol")]
    ev = _one(find_events(sdoc, mentions, [], find_quotes(sdoc, mentions)), "COERCE")
    assert ev.actors == [1] and ev.targets == [0]
    paper = text.replace("Ohio Highway Patrol", "Daily Courier Post")
    sdoc = nlp(paper)
    mentions[1] = Mention(patrol, patrol + 18, "Daily Courier Post", "ORG", name="Daily Courier Post")
    assert not _one(find_events(sdoc, mentions, [], find_quotes(sdoc, mentions)), "COERCE").actors


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("This lets you charge a phone while charging a laptop.", "ACCUSE"),
        ("Harold Finch demonstrated the new tablet on Sunday.", "PROTEST"),
        ("Among the games demonstrated were two puzzles.", "PROTEST"),
        ("Harold Finch talked about the gun on the stand.", "CONSULT"),
        ("The theatre will host the final show on Monday.", "CONSULT"),
        ("Harold Finch praised the screen of his new phone.", "SUPPORT"),
        ("The laptops support the newest software.", "SUPPORT"),
    ],
)
def test_a_trigger_in_a_sense_its_arguments_rule_out_is_no_event(nlp, text, kind):
    events, _ = _run(nlp, text)
    assert not [e for e in events if e.type == kind], [(e.type, e.trigger) for e in events]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Police charged Harold Finch with fraud on Monday.", "ACCUSE"),
        ("Harold Finch was detained and charged with fraud.", "ACCUSE"),
        ("Students demonstrated against Harold Finch in the capital.", "PROTEST"),
        ("Harold Finch talked with Mary Okafor on Monday.", "CONSULT"),
        ("Harold Finch hosted the prime minister on Monday.", "CONSULT"),
        ("Harold Finch praised Mary Okafor on Monday.", "SUPPORT"),
    ],
)
def test_the_same_triggers_in_their_political_sense_still_are(nlp, text, kind):
    events, _ = _run(nlp, text)
    _one(events, kind)


def test_a_deed_told_in_the_past_is_never_dated_after_its_article(nlp):
    text = "Harold Finch attacked the depot on Friday."
    sdoc = nlp(text)
    friday = _timexes(text, {"Friday": "2020-05-08"})  # a Friday read as the coming one
    assert _one(find_events(sdoc, _mentions(sdoc), friday, []), "ASSAULT").date == "2020-05-08"
    assert _one(find_events(sdoc, _mentions(sdoc), friday, [], published="2020-05-04"), "ASSAULT").date is None
    planned = "Harold Finch will attack the depot on Friday."
    sdoc = nlp(planned)
    ev = _one(find_events(sdoc, _mentions(sdoc), _timexes(planned, {"Friday": "2020-05-08"}), [], "2020-05-04"),
              "ASSAULT")
    assert ev.date == "2020-05-08"


@pytest.mark.parametrize(
    "text",
    [
        "Harold Finch accused Freedonia of carrying out the attack.",
        "Freedonia was accused of carrying out the attack on the depot.",
    ],
)
def test_the_one_accused_of_carrying_out_a_deed_does_it_not_the_accuser(nlp, text):
    events, names = _run(nlp, text)
    assert names(_one(events, "ASSAULT").actors) == {"Freedonia"}


def test_a_noun_modifying_another_refers_to_nobody_by_itself(nlp):
    text = ("Freedonia bombed the Ulla refugee camp on Monday. The refugee Mary Okafor said the strike "
            "was heard far away. Freedonia denied it bombed refugee camps, and bombed refugee camp again.")
    events, names = _run(nlp, text)
    targets = set().union(*(names(e.targets) for e in events if e.type == "ASSAULT"))
    assert "Mary Okafor" not in targets


@pytest.mark.parametrize(
    ("text", "kind", "party"),
    [
        ("A Brooklyn jury convicted Harold Finch on Monday.", "ACCUSE", "Brooklyn"),
        ("Freedonia bombed the Ohio school on Monday.", "ASSAULT", "Ohio"),
    ],
)
def test_a_place_modifying_a_common_noun_says_where_not_who(nlp, text, kind, party):
    events, names = _run(nlp, text)
    ev = _one(events, kind)
    assert party not in names(ev.actors) | names(ev.targets)


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("The Ohio government sanctioned Freedonia on Monday.", "Ohio"),
        ("The Ohio delegation met Harold Finch on Monday.", "Ohio"),
        ("Ohio's claims were denied by Harold Finch on Monday.", "Ohio"),
    ],
)
def test_a_place_still_acts_through_its_bodies_and_its_possessions(nlp, text, party):
    events, names = _run(nlp, text)
    assert any(party in names(e.actors) | names(e.targets) for e in events), [(e.type, e.trigger) for e in events]


def test_the_victim_of_a_killing_by_someone_is_not_its_doer(nlp):
    text = "Crowds gathered after the killing by police of a teenager, Harold Finch, on Monday."
    events, names = _run(nlp, text)
    ev = _one(events, "ASSAULT")
    assert "Harold Finch" not in names(ev.actors)
    assert "Harold Finch" in names(ev.targets)


def test_a_place_flown_over_is_where_not_who(nlp):
    events, names = _run(nlp, "Harold Finch was shot down in his jet over Hanoi in 1967.", {"1967": "1967"})
    assert "Hanoi" not in names(_one(events, "ASSAULT").targets)


def test_a_persons_relative_is_someone_else(nlp):
    events, names = _run(nlp, "Mary Okafor said her daughter was shot on Monday.", {"Monday": "2020-05-04"})
    assert "Mary Okafor" not in names(_one(events, "ASSAULT").targets)


@pytest.mark.parametrize(
    ("text", "kind", "who", "inside"),
    [
        ("Harold Finch met with Okafor's family on Monday.", "CONSULT", "Okafor", False),
        ("Mary Okafor's shooting by an off-duty officer shocked the city on Monday.", "ASSAULT", "Mary Okafor", True),
        ("At the time, Freedonia claimed Harold Finch was planning an attack.", "ACCUSE", "Harold Finch", True),
        ("The suspect, Harold Finch, was among three teens arrested on Tuesday.", "COERCE", "Harold Finch", True),
    ],
)
def test_roles_from_relations_agents_claims_and_groups(nlp, text, kind, who, inside):
    dates = {d: "2020-05-04" for d in ("Monday", "Tuesday") if d in text}
    events, names = _run(nlp, text, dates)
    ev = _one(events, kind)
    targets = {n.removesuffix("'s") for n in names(ev.targets)}
    assert (who in targets) == inside, (names(ev.actors), names(ev.targets))
    assert who not in {n.removesuffix("'s") for n in names(ev.actors)}


@pytest.mark.parametrize(
    ("text", "kind", "actors", "targets"),
    [
        ("Troopers pulled Tom Brady over on the interstate.", "COERCE", set(), {"Tom Brady"}),
        ("Gunmen opened fire on Tom Brady outside his home.", "ASSAULT", set(), {"Tom Brady"}),
        ("Tom Brady fired three shots at Bill Jones.", "ASSAULT", {"Tom Brady"}, {"Bill Jones"}),
        ("Tom Brady was spraying bullets from a rooftop.", "ASSAULT", {"Tom Brady"}, set()),
    ],
)
def test_a_traffic_stop_is_coercion_and_gunfire_an_assault(nlp, text, kind, actors, targets):
    events, names = _run(nlp, text)
    ev = _one(events, kind)
    assert names(ev.actors) == actors and names(ev.targets) == targets


@pytest.mark.parametrize(
    "text",
    [
        "Tom Brady pulled over to let the ambulance pass.",  # the driver stops: nobody is stopped
        "The police opened an investigation into Tom Brady.",
        "Tom Brady opened the door for Bill Jones.",
    ],
)
def test_other_senses_of_those_verbs_are_no_such_event(nlp, text):
    events, _ = _run(nlp, text)
    assert not [e for e in events if e.type in ("COERCE", "ASSAULT")]


@pytest.mark.parametrize(
    ("text", "when", "trigger", "dated"),
    [
        # a relative or complement clause below another deed has its own time
        ("Jurors on Thursday watched a video of the moment Tom Brady was shot.", "on Thursday", "shoot", False),
        ("Witnesses recalled on Tuesday that gunmen opened fire on Tom Brady.", "on Tuesday", "open", False),
        # ... but a clause below "be" is placed by it
        ("Tonight was a vigil that turned into a riot against Tom Brady.", "Tonight", "riot", True),
        # what a deed above is about has its own time: "went on trial Wednesday for killing X"
        ("Two men went on trial Wednesday for killing Tom Brady.", "Wednesday", "kill", False),
        # a date phrase after such a noun may hang on the verb as well: no date, not a guess
        ("A witness was to testify in the shooting of Tom Brady on Thursday.", "on Thursday", "shooting", False),
        ("The shooting of Tom Brady on Thursday shocked the town.", "on Thursday", "shooting", True),
    ],
)
def test_a_date_dates_only_the_deed_it_is_tied_to(nlp, text, when, trigger, dated):
    events, _ = _run(nlp, text, {when: "2020-04-30"})
    ev = next(e for e in events if e.trigger == trigger)
    assert (ev.date == "2020-04-30") is dated


def test_a_coordination_the_parse_hung_on_the_last_name_lists_every_name(nlp):
    """A parse can read "X and his partner Y were arrested" as a Y described by "X and his partner";
    the event is still the arrest of both (a real spaCy Doc with that parse, built by hand)."""
    from spacy.tokens import Doc

    words = ["Gomez", "and", "his", "partner", "Walsh", "were", "arrested", "."]
    heads = [4, 0, 3, 0, 6, 6, 6, 6]
    deps = ["nmod", "cc", "poss", "conj", "nsubjpass", "auxpass", "ROOT", "punct"]
    pos = ["PROPN", "CCONJ", "PRON", "NOUN", "PROPN", "AUX", "VERB", "PUNCT"]
    tags = ["NNP", "CC", "PRP$", "NN", "NNP", "VBD", "VBN", "."]
    lemmas = ["Gomez", "and", "his", "partner", "Walsh", "be", "arrest", "."]
    ents = ["B-PERSON", "O", "O", "O", "B-PERSON", "O", "O", "O"]
    sdoc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas, ents=ents,
               spaces=[True] * 6 + [False, False], sent_starts=[True] + [False] * 7)
    mentions = _mentions(sdoc)
    (arrest,) = [e for e in find_events(sdoc, mentions, [], []) if e.type == "COERCE"]
    assert {mentions[i].name for i in arrest.targets} == {"Gomez", "Walsh"}
    # a name that only modifies another, with no "and" of its own, still describes it
    words2 = ["Gomez", "Walsh", "was", "arrested", "."]
    deps2 = ["compound", "nsubjpass", "auxpass", "ROOT", "punct"]
    sdoc2 = Doc(nlp.vocab, words=words2, heads=[1, 3, 3, 3, 3], deps=deps2,
                pos=["PROPN", "PROPN", "AUX", "VERB", "PUNCT"], tags=["NNP", "NNP", "VBD", "VBN", "."],
                lemmas=["Gomez", "Walsh", "be", "arrest", "."], ents=["B-PERSON", "I-PERSON", "O", "O", "O"],
                spaces=[True, True, True, False, False], sent_starts=[True] + [False] * 4)
    m2 = _mentions(sdoc2)
    (arrest2,) = [e for e in find_events(sdoc2, m2, [], []) if e.type == "COERCE"]
    assert {m2[i].name for i in arrest2.targets} == {"Gomez Walsh"}


@pytest.mark.parametrize(
    ("text", "accuser"),
    [
        ("Governor Maria Okafor said President John Bell should be held responsible.", {"Maria Okafor"}),
        ("Maria Okafor said John Bell must be held accountable for the deaths.", {"Maria Okafor"}),
        ("Maria Okafor said John Bell was accused of fraud.", set()),  # she reports another's act
        ("Maria Okafor said John Bell should be charged by prosecutors.", set()),  # the doer is named
    ],
)
def test_who_says_someone_ought_to_be_held_to_account_accuses_them(nlp, text, accuser):
    sdoc = nlp(text)
    mentions = _mentions(sdoc)
    ev = _one(find_events(sdoc, mentions, [], find_quotes(sdoc, mentions)), "ACCUSE")  # the speaker from the quote
    assert {mentions[i].name for i in ev.actors} == accuser and {mentions[i].name for i in ev.targets} == {"John Bell"}


@pytest.mark.parametrize(
    "text",
    [
        "Police arrested a member of the Harbor Lions in Portland.",
        "Police arrested a Harbor Lions employee in Portland.",
        "A gunman shot a Delta Air Lines passenger at the gate.",
    ],
)
def test_someone_of_a_body_is_not_the_body(nlp, text):
    """A member, employee or passenger of a body is a person in it: the body is not who underwent it."""
    events, names = _run(nlp, text)
    assert all(not names(e.targets) & {"Harbor Lions", "Delta Air Lines"} for e in events), [
        (e.type, names(e.targets)) for e in events]


def test_a_denied_claim_is_the_claimants_own_event(nlp):
    """ "X disputed Y's claim that ..." tells two events: Y's claim and X's denial of it; a noun under a
    verb of the same deed ("signed an agreement") stays the verb's one event."""
    events, names = _run(nlp, "Harold Finch disputed Mary Okafor's claim that the shells came from the school.")
    assert names(_one(events, "REJECT").actors) == {"Harold Finch"}
    assert {n.removesuffix("'s") for n in names(_one(events, "ACCUSE").actors)} == {"Mary Okafor"}
    events, _ = _run(nlp, "Harold Finch signed an agreement with Mary Okafor.")
    assert [e.trigger for e in events if e.type == "AGREE"] == ["sign"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Harold Finch attacked the governor's budget plan on Monday.", "ACCUSE"),  # words attack words
        ("Harold Finch attacked Mary Okafor's remarks on the radio.", "ACCUSE"),
        ("Harold Finch attacked the depot on Friday.", "ASSAULT"),
    ],
)
def test_attacking_what_someone_says_or_proposes_is_criticism(nlp, text, kind):
    events, names = _run(nlp, text)
    ev = next(e for e in events if e.trigger == "attack")
    assert ev.type == kind and names(ev.actors) == {"Harold Finch"}


# --------------------------------------------------------------------------- participants (issue 9)


@pytest.mark.parametrize(
    ("text", "kind", "actors", "targets"),
    [
        # a people on a noun for people who are not a body of its state says where they are from
        ("Greek rioters attacked a ministry building in Athens.", "ASSAULT", set(), set()),
        # a state's body acts for it, and a people is who did the deed its noun names
        ("Russian troops shelled the town.", "ASSAULT", {"Russian"}, set()),
        ("Brussels condemned the Israeli bombing of a UN school.", "ACCUSE", {"Brussels"}, {"Israeli"}),
        # a name glued to a participle ran the school; it is not the school, nor those killed in it
        ("Soldiers killed 40 people during an attack on a United Nations-run school.", "ASSAULT", set(), set()),
        # a thing named after "at" is where it happened, not whom it was aimed at
        ("At a Walgreens drug store, a rioter assaulted a customer.", "ASSAULT", set(), set()),
    ],
)
def test_a_name_that_only_modifies_a_noun_is_no_party(nlp, text, kind, actors, targets):
    events, names = _run(nlp, text)
    got = [(names(e.actors), names(e.targets)) for e in events if e.type == kind]
    assert got == ([(actors, targets)] if actors or targets else [])  # an event naming nobody is dropped


def test_a_town_on_an_event_noun_is_where_it_happened_a_people_who_did_it(nlp):
    events, names = _run(nlp, "John Carter confessed to the Brooklyn shooting of Peter Walsh.")
    ev = _one(events, "ASSAULT")
    assert "Brooklyn" not in names(ev.actors) and names(ev.targets) == {"Peter Walsh"}
    events, names = _run(nlp, "A Ruritanian air strike hit the port.")
    assert names(_one(events, "ASSAULT").actors) == {"Ruritanian"}


def test_a_deed_of_the_law_never_falls_on_a_country(nlp):
    events, names = _run(nlp, "Greek police charged over boy's death on Monday", {"Monday": "2008-12-08"})
    ev = _one(events, "ACCUSE")
    assert names(ev.targets) == set()  # officers are charged, not Greece
    events, names = _run(nlp, "Russia accused Ukrainian forces of shelling the plant.")
    assert names(_one(events, "ACCUSE").targets) == {"Ukrainian"}  # an accusation may fall on a state


def test_a_plural_description_names_none_of_the_names_it_might_describe(nlp):
    text = "Pixar, the studio behind Toy Story, is a hit. Apple executives are in talks with film studios."
    events, names = _run(nlp, text)
    ev = _one(events, "CONSULT")
    assert names(ev.actors) == {"Apple"} and "Pixar" not in names(ev.targets)


@pytest.mark.parametrize(
    ("text", "kind", "actors", "targets"),
    [
        ("Sony is in talks with Microsoft.", "CONSULT", {"Sony"}, {"Microsoft"}),
        ("Elizabeth Warren was under attack last month.", "ASSAULT", set(), {"Elizabeth Warren"}),
    ],
)
def test_a_copula_with_in_or_under_an_event_noun_gives_its_subject_a_role(nlp, text, kind, actors, targets):
    events, names = _run(nlp, text)
    ev = _one(events, kind)
    assert (names(ev.actors), names(ev.targets)) == (actors, targets)


def test_a_headline_past_form_without_auxiliary_is_a_passive(nlp):
    text = "Jackson arrested on DUI charge\nVincent Jackson was stopped by the police."
    events, names = _run(nlp, text)
    ev = next(e for e in events if e.trigger == "arrest")
    assert names(ev.actors) == set() and names(ev.targets) == {"Jackson"}
    # a sentence of running text keeps its active past
    events, names = _run(nlp, "Police officers arrested John Carter. Carter arrested two men later, they said.")
    assert any(names(e.actors) == {"Carter"} for e in events if e.trigger == "arrest")


@pytest.mark.parametrize(
    ("text", "shooter"),
    [
        ("John Carter allegedly ordered Peter Walsh to shoot the guard.", "Peter Walsh"),
        ("John Carter told Peter Walsh to attack the convoy.", "Peter Walsh"),
    ],
)
def test_the_object_of_an_order_does_what_its_infinitive_says(nlp, text, shooter):
    events, names = _run(nlp, text)
    ev = _one(events, "ASSAULT")
    assert names(ev.actors) == {shooter}


def test_a_pronoun_in_what_a_speaker_says_stands_for_the_person_that_clause_names(nlp):
    text = (
        "Officer Brian Pennings said that the test came long after Jamal Williams' arrest, "
        "meaning he could have been drunk when officers pulled him over."
    )
    events, names = _run(nlp, text)
    ev = next(e for e in events if e.trigger == "pull")
    assert {n.rstrip("'") for n in names(ev.targets)} == {"Jamal Williams"}
    # the speaker himself, when the clause names nobody else
    events, names = _run(nlp, "John Carter said he would sue Peter Walsh.")
    assert names(_one(events, "ACCUSE").actors) == {"John Carter"}


def test_reaching_an_agreement_is_the_subjects_agreement(nlp):
    events, names = _run(nlp, "The union said that Sony had reached an agreement with Microsoft on Monday.")
    ev = _one(events, "AGREE")
    assert (names(ev.actors), names(ev.targets)) == ({"Sony"}, {"Microsoft"})


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        # a thing that causes or allows is no party (``agent``): an attack needs someone, or a weapon
        ("Gunmen killed Mayor John Smith in Oaxaca.", "ASSAULT", True),
        ("A bomb killed Maria Lopez.", "ASSAULT", True),
        ("The storm killed Maria Lopez.", "ASSAULT", False),
        ("A broken turbine blade killed Ana Fielding on the flight.", "ASSAULT", False),
        ("Canada supports Ukraine.", "SUPPORT", True),
        ("Old printers that support Linux are cheap.", "SUPPORT", False),
        # a warning threatens when it warns of force or its consequences (``about``), not as a caution
        ("Iran warned Israel that it would retaliate.", "THREATEN", True),
        ("Russia warned the United States of serious consequences.", "THREATEN", True),
        ("North Korea issued a warning of military action against South Korea.", "THREATEN", True),
        ("Governor Ilse Marov warned that hopes of a quick recovery might be premature.", "THREATEN", False),
        ("Senator Dana Whitby warned voters against drifting to the left.", "THREATEN", False),
        ("Brevik Motors issued a warning that profits would fall.", "THREATEN", False),
        # a meeting is between parties (``partner``): what a proposal "meets" is no meeting
        ("Vladimir Putin met with Kim Jong Un in Vladivostok.", "CONSULT", True),
        ("Putin and Kim met in Vladivostok on Wednesday.", "CONSULT", True),
        ("Tom Baird's refusal to answer was met with loud laughter.", "CONSULT", False),
        ("The proposal by Ada Quist met fierce resistance from Labour.", "CONSULT", False),
    ],
)
def test_a_trigger_counts_only_in_the_sense_its_arguments_fit(nlp, text, kind, found):
    events, _ = _run(nlp, text)
    assert any(e.type == kind for e in events) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a rally is a protest, not a market's rise (``context``: no word of markets in its sentence)
        ("Thousands of farmers joined a rally in Lyon against the new tax on Monday.", True),
        (
            "Tokyo shares ended the week higher on Monday after a five day rally,"
            " with the main index posting its best gain in a year.",
            False,
        ),
        ("The yen fell on Monday as a rally in bonds faded.", False),
        ("Stocks in Tokyo rose 4 percent on Monday. Traders were relieved. The rally began after the vote.", False),
        ("Farmers marched against the tax in Lyon. The rally ended peacefully on Monday.", True),
        # people of a market, or a market as the place, are no sign of the market's rise
        ("Thousands of market traders held a rally in Accra against the new tax on Monday.", True),
        ("Students marched against the tax to the market square. The rally ended peacefully on Monday.", True),
        ("Shareholders held a rally outside the bank on Monday against the merger.", True),
    ],
)
def test_a_rally_in_a_sentence_on_markets_is_no_protest(nlp, text, found):
    events, _ = _run(nlp, text, {"Monday": "2020-03-02"})
    assert any(e.type == "PROTEST" for e in events) is found


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        # what a stance is on is its topic, not the one it falls on; a deed's "on X" still is
        ("Ana Soler and Tom Baird attacked each other's plans on NAFTA, taxes and schools.", set()),
        ("Senator Ana Soler criticized the policy on Medicare.", set()),
        ("Brazil imposed sanctions on Venezuela.", {"Venezuela"}),
    ],
)
def test_the_topic_of_a_stance_is_no_target(nlp, text, targets):
    events, names = _run(nlp, text)
    assert names(events[0].targets) == targets
