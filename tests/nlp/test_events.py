"""Events from the parse: participants, passives, modes, dates from the clause, evidence spans."""

from __future__ import annotations

import pytest

from storyline.model import Mention, Timex
from storyline.nlp.events import find_events


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
    ],
)
def test_mode(nlp, text, kind, mode):
    events, _ = _run(nlp, text)
    assert _one(events, kind).mode == mode


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


@pytest.mark.parametrize(
    "text",
    [
        "Peter Walsh was found guilty of second-degree murder.",
        "The jury found Peter Walsh guilty of fraud on Monday.",
    ],
)
def test_a_guilty_finding_is_an_accusation_against_the_defendant(nlp, text):
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


@pytest.mark.parametrize(
    ("text", "actors", "targets"),
    [
        (
            "A witness pointed at John Carter in court. He called him the gunman who killed Peter Walsh.",
            {"John Carter"},
            {"Peter Walsh"},
        ),
        (
            "It was a year ago that a stray bullet killed Mary Walsh. The 10-year-old was shot on a Friday.",
            set(),
            {"Mary Walsh"},
        ),
    ],
)
def test_definite_description_stands_for_the_one_person_named_before(nlp, text, actors, targets):
    events, names = _run(nlp, text)
    ev = [e for e in events if e.type == "ASSAULT"][-1]
    assert actors <= names(ev.actors) and targets <= names(ev.targets)


def test_definite_description_with_two_people_in_reach_names_nobody(nlp):
    text = "John Carter argued with Peter Walsh. The teen was shot outside a bar."
    events, _ = _run(nlp, text)
    assert all(not e.targets for e in events if e.type == "ASSAULT")


def test_description_is_not_the_person_already_in_the_event(nlp):
    events, names = _run(nlp, "Peter Walsh was shot by the gunman outside a bar.")
    ev = _one(events, "ASSAULT")
    assert names(ev.targets) == {"Peter Walsh"} and not ev.actors


def test_place_of_a_person_noun_is_not_a_participant(nlp):
    events, names = _run(nlp, "Jurors heard from a Boston teen accused in the robbery.")
    assert all("Boston" not in names(e.actors) | names(e.targets) for e in events)


@pytest.mark.parametrize(
    "text",
    [
        "John Carter confessed to the murder of Peter Walsh.",
        "A jury returned a guilty verdict for John Carter for the murder of Peter Walsh.",
        "John Carter was arrested for the killing of Peter Walsh.",
    ],
)
def test_who_is_held_to_have_done_a_named_attack_is_its_actor(nlp, text):
    events, names = _run(nlp, text)
    ev = next(e for e in events if e.type == "ASSAULT")
    assert names(ev.actors) == {"John Carter"} and names(ev.targets) == {"Peter Walsh"}


def test_a_subject_naming_nobody_does_not_borrow_the_main_clauses(nlp):
    events, names = _run(nlp, "At a summit John Carter hosted, the three nations agreed to cooperate.")
    assert all("John Carter" not in names(e.actors) for e in events if e.type == "AGREE")


def test_among_the_people_arrested_names_the_subject(nlp):
    events, names = _run(nlp, "The suspect, John Carter, was among three teens arrested on Tuesday.")
    assert "John Carter" in names(_one(events, "COERCE").targets)


def test_speaking_out_against_is_an_accusation(nlp):
    events, names = _run(nlp, "Ban Ki-moon spoke out against Israel's attacks on the schools.")
    ev = _one(events, "ACCUSE")
    assert "Israel" in names(ev.targets)


def test_found_guilty_in_a_named_attack_makes_the_defendant_its_actor(nlp):
    events, names = _run(nlp, "The jury found John Carter guilty in the murder of Peter Walsh.")
    ev = _one(events, "ASSAULT")
    assert names(ev.actors) == {"John Carter"} and names(ev.targets) == {"Peter Walsh"}


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
    text = "John Carter was arrested for the shooting that took place last Friday."
    events, _ = _run(nlp, text, {"last Friday": "2011-10-21"})
    assert _one(events, "ASSAULT").date == "2011-10-21"


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # the date of what the talk was about, of a clause of another time, of the report
        ("Mary Berg spoke, talking about what led John Carter to the park on May 29.", {"May 29": "XXXX-05-29"}),
        ("The EU warned Israel, while Israeli forces on Tuesday killed 40 people.", {"Tuesday": "2009-01-06"}),
        ("John Carter was shot and killed, police said on Monday.", {"Monday": "2013-03-11"}),
    ],
)
def test_no_date_from_a_clause_about_something_else(nlp, text, dates):
    events, _ = _run(nlp, text, dates)
    ev = next(e for e in events if e.type in ("CONSULT", "THREATEN") or e.trigger == "shoot")
    assert ev.date is None


def test_a_name_parsed_as_a_modifier_of_a_coordinated_name_is_named_too(nlp):
    # the parse the model gives "X and his co-defendant Y" in some contexts: X hangs on Y as nmod
    from spacy.tokens import Doc

    words = "Martinez and his co-defendant Robert Dawson were arrested .".split()
    heads = [5, 0, 3, 0, 5, 7, 7, 7, 7]
    deps = ["nmod", "cc", "poss", "conj", "compound", "nsubjpass", "auxpass", "ROOT", "punct"]
    pos = ["PROPN", "CCONJ", "PRON", "NOUN", "PROPN", "PROPN", "AUX", "VERB", "PUNCT"]
    lemmas = ["Martinez", "and", "his", "co-defendant", "Robert", "Dawson", "be", "arrest", "."]
    ents = ["B-PERSON", "O", "O", "O", "B-PERSON", "I-PERSON", "O", "O", "O"]
    sdoc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas, ents=ents)
    mentions = _mentions(sdoc)
    ev = _one(find_events(sdoc, mentions, [], []), "COERCE")
    assert {mentions[i].name for i in ev.targets} == {"Martinez", "Robert Dawson"}
    # without "and" the modifier is part of one name's description, not another participant
    deps2 = [*deps]
    words2 = ["Martinez", "'s", *words[2:]]
    lemmas2 = ["Martinez", "'s", *lemmas[2:]]
    deps2[1] = "case"
    pos2 = ["PROPN", "PART", *pos[2:]]
    sdoc2 = Doc(nlp.vocab, words=words2, heads=heads, deps=deps2, pos=pos2, lemmas=lemmas2, ents=ents)
    mentions2 = _mentions(sdoc2)
    ev2 = _one(find_events(sdoc2, mentions2, [], []), "COERCE")
    assert {mentions2[i].name for i in ev2.targets} == {"Robert Dawson"}


def _with_quotes(nlp, text):
    from storyline.nlp.quotes import find_quotes

    sdoc = nlp(text)
    mentions = _mentions(sdoc)
    events = find_events(sdoc, mentions, [], find_quotes(sdoc, mentions))
    return events, lambda idx: {mentions[i].name for i in idx}


@pytest.mark.parametrize(
    "text",
    [
        "Jamal Williams was pulled over for speeding early Sunday on a freeway, the California Highway Patrol said.",
        "According to the California Highway Patrol, Jamal Williams was arrested on suspicion of drunken driving.",
    ],
)
def test_a_police_body_reporting_an_arrest_without_agent_made_it(nlp, text):
    events, names = _with_quotes(nlp, text)
    ev = _one(events, "COERCE")
    assert names(ev.actors) == {"California Highway Patrol"} and names(ev.targets) == {"Jamal Williams"}


def test_another_body_reporting_an_arrest_is_not_its_actor(nlp):
    events, names = _with_quotes(nlp, "Jamal Williams was arrested on Sunday, the State Department said.")
    ev = _one(events, "COERCE")
    assert not ev.actors and names(ev.targets) == {"Jamal Williams"}


@pytest.mark.parametrize(
    ("text", "kind", "actors", "targets"),
    [
        ("Tom Smith issued a statement on Vernon Jacobs's arrest.", "COERCE", set(), {"Vernon Jacobs"}),
        ("Mourners marked Peter Walsh's murder with a vigil.", "ASSAULT", set(), {"Peter Walsh"}),
        ("John Carter's killing of Peter Walsh shocked the town.", "ASSAULT", {"John Carter"}, {"Peter Walsh"}),
        ("Germany's attack on Poland began the war.", "ASSAULT", {"Germany"}, {"Poland"}),
    ],
)
def test_the_possessor_of_an_arrest_or_murder_undergoes_it(nlp, text, kind, actors, targets):
    events, names = _run(nlp, text)
    ev = _one(events, kind)

    def bare(idx):  # this test's mentions keep the entity's "'s"
        return {n.removesuffix("'s") for n in names(idx)}

    assert (bare(ev.actors), bare(ev.targets)) == (actors, targets)


@pytest.mark.parametrize(
    ("text", "actors", "targets"),
    [
        # the parse reads "Israel Defense Forces claims that ..." as a clause: its subject made the claim
        (
            "The United Nations on Wednesday denied Israel Defense Forces claims that militants were in the school.",
            {"United Nations"},
            {"Israel Defense Forces"},
        ),
        ("John Gale disputed Israel's claim that mortars were fired from inside.", {"John Gale"}, {"Israel"}),
        ("The United Nations denied that Israel attacked the school.", {"United Nations"}, set()),
    ],
)
def test_a_denial_is_about_whoever_made_the_denied_claim(nlp, text, actors, targets):
    events, names = _run(nlp, text)
    ev = _one(events, "REJECT")
    assert ev.polarity == "denial"
    assert (names(ev.actors), names(ev.targets)) == (actors, targets)


def test_disputing_something_other_than_a_claim_is_no_denial(nlp):
    events, _ = _run(nlp, "The two families disputed the ownership of the farm in Texas.")
    assert not [e for e in events if e.type == "REJECT"]


@pytest.mark.parametrize(
    "text",
    [
        "Vernon Jacobs proffered his innocence in a statement released yesterday afternoon.",
        'Vernon Jacobs issued a statement. "I look forward to proving my innocence," Jacobs said.',
    ],
)
def test_claiming_innocence_is_a_denial_by_the_one_who_claims_it(nlp, text):
    events, names = _with_quotes(nlp, text)
    ev = _one(events, "REJECT")
    assert ev.polarity == "denial" and {n.split()[-1] for n in names(ev.actors)} == {"Jacobs"}


def test_first_person_outside_a_quote_names_nobody(nlp):
    events, _ = _with_quotes(nlp, "Vernon Jacobs was arrested. I think my innocence is clear, a fan wrote.")
    assert all(not e.actors for e in events if e.type == "REJECT")


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("John Gale disputed Israel's claim that mortars were fired from inside the school.", "Israel"),
        (
            "The United Nations denied Israel Defense Forces claims that militants were in the school.",
            "Israel Defense Forces",
        ),
        ("That does not contradict Israel's claim that the militants were operating close by.", "Israel"),
    ],
)
def test_a_claim_someone_denies_is_an_accusation_of_its_own(nlp, text, claimant):
    events, names = _run(nlp, text)
    claims = [e for e in events if e.type == "ACCUSE" and e.polarity == "claim"]
    assert claims and names(claims[0].actors) == {claimant}


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


@pytest.mark.parametrize("prep", ["before", "after", "during"])
def test_a_support_verb_does_not_take_an_event_named_in_a_time_phrase(nlp, prep):
    text = f"Samuel Kerr held a press conference on Thursday just hours {prep} the attack on the Yida camp."
    events, names = _run(nlp, text)
    attacks = [e for e in events if e.type == "ASSAULT"]
    assert all("Samuel Kerr" not in names(e.actors) for e in attacks)


def test_a_support_verb_still_takes_the_event_it_embarks_on(nlp):
    events, names = _run(nlp, "Kim Jong Un embarked on a visit to Russia.")
    assert names(_one(events, "CONSULT").actors) == {"Kim Jong Un"}


@pytest.mark.parametrize(
    "text",
    ["Andrew Lopez's brother was arrested on Monday.", "Peter Lyle said his client was arrested on Monday."],
)
def test_the_possessor_of_a_person_noun_is_someone_else(nlp, text):
    events, _ = _run(nlp, text)
    assert all(not e.targets for e in events if e.type == "COERCE")


def test_the_possessor_of_a_group_still_acts_through_it(nlp):
    events, names = _run(nlp, "Kim Jong Un's delegation met Russian officials.")
    assert "Kim Jong Un" in {n.removesuffix("'s") for n in names(_one(events, "CONSULT").actors)}


def test_an_attack_told_in_a_noun_modifier_inside_a_claim_is_the_writers_own_fact(nlp):
    text = "The United Nations denied claims that there were militants in the Gaza school bombed by Israel."
    events, names = _run(nlp, text)
    ev = _one(events, "ASSAULT")
    assert names(ev.actors) == {"Israel"} and names(ev.targets) == {"Gaza"}


def test_what_a_claim_is_about_is_still_no_event(nlp):
    events, _ = _run(nlp, "France accused Germany of attacking Poland.")
    assert not [e for e in events if e.type == "ASSAULT"]


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        ("Peter Walsh was killed when John Carter opened fire on the crowd.", {"John Carter"}),
        ("Peter Walsh was killed when John Carter was spraying bullets from a rooftop.", {"John Carter"}),
        ("Peter Walsh was killed when John Carter arrived at the bar.", set()),  # arriving fires nothing
    ],
)
def test_who_was_firing_when_someone_was_hit_is_the_attacker(nlp, text, actors):
    events, names = _run(nlp, text)
    ev = _one(events, "ASSAULT")
    assert names(ev.actors) == actors and names(ev.targets) == {"Peter Walsh"}
