"""Mentions from one parse: tidy spans, roles, demonyms, owner + organisation, short forms."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Span

from storyline.model import Mention
from storyline.nlp.entities import _capitals_as_places, extract_mentions
from storyline.nlp.names import load_lexicon


def mentions(nlp: Language, text: str) -> list[Mention]:
    return extract_mentions(nlp(text))


def find(ms: list[Mention], text: str) -> tuple[int, Mention]:
    hits = [(i, m) for i, m in enumerate(ms) if m.text == text]
    assert hits, f"no mention {text!r} in {[m.text for m in ms]}"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "span", "label"),
    [
        ("Russian Defense Minister Sergei Shoigu arrived in Pyongyang on Tuesday.", "Sergei Shoigu", "PERSON"),
        ("He travelled to Moscow as Kim Jong-un\u2019s special envoy last year.", "Kim Jong-un", "PERSON"),
        ("The talks were held in Moscow, and the United States was not invited.", "United States", "GPE"),
        ("State Department Spokesperson Matthew Miller said the talks were worrying.", "Matthew Miller", "PERSON"),
    ],
)
def test_mention_span_is_the_name_alone(nlp: Language, text: str, span: str, label: str) -> None:
    ms = mentions(nlp, text)
    _, m = find(ms, span)
    assert m.label == label
    assert text[m.start : m.end] == span
    assert not any(x.text.lower().startswith("the ") or x.text.endswith(("'s", "\u2019s")) for x in ms)


def test_a_name_ends_where_a_clause_begins(nlp: Language) -> None:
    """A tagger's span run on into the clause after it ("... Awards after Adele performed") is cut there."""
    doc = nlp("Ann Lee sang at the Grammy Awards after Adele performed her new song.")
    start = next(t.i for t in doc if t.text == "Grammy")
    end = next(t.i for t in doc if t.text == "Adele") + 1
    doc.ents = [Span(doc, start, end, label="ORG")]
    assert [m.text for m in extract_mentions(doc)] == ["Grammy Awards"]


def test_a_street_is_a_place_whatever_the_tagger_said(nlp: Language) -> None:
    doc = nlp("A man was shot on Maple Ave on Friday, near Church Street.")
    doc.ents = [Span(doc, 5, 7, label="PERSON"), Span(doc, 11, 13, label="ORG")]
    assert [(m.text, m.label) for m in extract_mentions(doc)] == [("Maple Ave", "FAC"), ("Church Street", "FAC")]


def test_a_title_case_headline_is_no_person(nlp: Language) -> None:
    doc = nlp(
        "Protests Spread Following Death of Ohio Farmer Killed By Police\n\n"
        "The protests spread following the death of a farmer shot by police on Saturday."
    )
    doc.ents = [Span(doc, 0, 4, label="PERSON")]  # the tagger's error: "Protests Spread Following Death"
    assert not [m for m in extract_mentions(doc) if m.label == "PERSON"]
    text = "Martin Luther King spoke in Memphis.\n\nThe king of the blues was there too."
    assert [m.text for m in mentions(nlp, text) if m.label == "PERSON"] == ["Martin Luther King"]


@pytest.mark.parametrize(
    ("text", "span", "role_word"),
    [
        ("Russian Defense Minister Sergei Shoigu arrived in Pyongyang on Tuesday.", "Sergei Shoigu", "Minister"),
        ("State Department Spokesperson Matthew Miller said the talks failed.", "Matthew Miller", "Spokesperson"),
        ("North Korean leader Kim Jong Un met the delegation on Wednesday.", "Kim Jong Un", "leader"),
    ],
)
def test_title_is_kept_as_role_not_name(nlp: Language, text: str, span: str, role_word: str) -> None:
    _, m = find(mentions(nlp, text), span)
    assert m.name == span
    assert m.role is not None and role_word in m.role


def test_person_span_reaches_the_head_noun_the_tagger_left_out(nlp: Language) -> None:
    text = "Shoigu also held talks with North Korean Defense Minister Kang Sun Nam that were aimed at peace."
    _, m = find(mentions(nlp, text), "Kang Sun Nam")
    assert m.label == "PERSON"


@pytest.mark.parametrize(
    ("text", "demonym", "place"),
    [
        ("North Korean soldiers aimed their weapons during the exercises.", "North Korean", "North Korea"),
        ("A Russian delegation arrived in Pyongyang on Tuesday.", "Russian", "Russia"),
    ],
)
def test_demonym_names_its_country(nlp: Language, text: str, demonym: str, place: str) -> None:
    _, m = find(mentions(nlp, text), demonym)
    assert m.demonym and m.name == place


@pytest.mark.parametrize(
    "text",
    [
        "Officials met in Moscow, Russia's Defense Ministry said in a statement.",
        "Officials met in Moscow, the Russian Defense Ministry said in a statement.",
    ],
)
def test_owner_and_ministry_are_one_organisation_named_with_the_demonym(nlp: Language, text: str) -> None:
    orgs = [m for m in mentions(nlp, text) if m.label == "ORG"]
    assert [m.name for m in orgs] == ["Russian Defense Ministry"]
    assert text[orgs[0].start : orgs[0].end] in ("Russia's Defense Ministry", "Russian Defense Ministry")


def test_country_tagged_as_organisation_is_a_place(nlp: Language) -> None:
    ms = mentions(nlp, "Delegates from the DPRK arrived in Moscow on Monday for the talks.")
    _, m = find(ms, "DPRK")
    assert m.label == "GPE"


@pytest.mark.parametrize(
    ("text", "short", "full"),
    [
        ("Vladimir Putin met reporters in Moscow on Friday. Putin said it went well.", "Putin", "Vladimir Putin"),
        (
            "Kim Jong Un visited Russia in September. In May, Kim Yo-jong visited Beijing with officials. "
            "Kim praised the city.",
            "Kim",
            "Kim Yo-jong",
        ),
        (
            "The Korean Central News Agency reported the visit on Thursday. KCNA said the talks were friendly.",
            "KCNA",
            "Korean Central News Agency",
        ),
    ],
)
def test_short_form_links_to_closest_earlier_full_name(nlp: Language, text: str, short: str, full: str) -> None:
    ms = mentions(nlp, text)
    i, m = find(ms, short)
    assert m.antecedent is not None
    assert ms[m.antecedent].text == full
    assert m.antecedent < i


def test_short_form_with_two_equal_candidates_stays_unlinked(nlp: Language) -> None:
    text = "Kim Jong Un and his sister Kim Yo-jong arrived in Moscow on Tuesday. Kim said the visit was a success."
    ms = mentions(nlp, text)
    shorts = [m for m in ms if m.text == "Kim"]
    assert shorts and all(m.antecedent is None for m in shorts)


@pytest.mark.parametrize(("introduced", "means"), [("His sister, Laura Ruiz,", 0), ("Laura Ruiz, a neighbour,", 2)])
def test_a_bare_surname_stays_with_the_principal_not_a_relative(nlp: Language, introduced: str, means: int) -> None:
    """A relative introduced as such shares the surname; the later bare surname is the principal's."""
    text = (
        "Daniel Ortega Ruiz was shot on Saturday. Officers hit Ruiz twice. "
        f"{introduced} told reporters she doubted it. Witnesses said that Ruiz did not have a gun."
    )
    ms = mentions(nlp, text)
    assert [m.name for m in ms][:3] == ["Daniel Ortega Ruiz", "Ruiz", "Laura Ruiz"]
    assert ms[-1].text == "Ruiz" and ms[-1].antecedent == means


def test_untagged_repeat_of_a_found_surname_is_a_mention(nlp: Language) -> None:
    text = (
        "Prosecutors said Jermayne Timmons fired the shot. Timmons told police he fired at a rival group. "
        "Timmons faces a long sentence."
    )
    ms = mentions(nlp, text)
    full, _ = find(ms, "Jermayne Timmons")
    shorts = [m for m in ms if m.text == "Timmons"]
    assert len(shorts) == 2
    assert all(m.antecedent == full for m in shorts)


def test_mentions_are_in_text_order_and_within_the_text(nlp: Language) -> None:
    text = "Vladimir Putin met Kim Jong Un in Vladivostok. Putin and Kim discussed Ukraine and the United States."
    ms = mentions(nlp, text)
    assert [m.start for m in ms] == sorted(m.start for m in ms)
    assert all(text[m.start : m.end] == m.text for m in ms)


@pytest.mark.parametrize(
    "text",
    [
        "Police struggled to control a crowd at a vigil for Kimani (Kiki) Gray, 16, killed by police on Saturday.",
        "A vigil for Kimani 'Kiki' Gray was held in Brooklyn on Monday.",
    ],
)
def test_nickname_inside_a_name_is_one_person_named_without_it(nlp: Language, text: str) -> None:
    people = [m for m in mentions(nlp, text) if m.label == "PERSON"]
    assert [m.name for m in people] == ["Kimani Gray"]
    assert "Kiki" in people[0].text


def test_the_north_points_to_the_one_north_country_named_before(nlp: Language) -> None:
    text = (
        "North Korea has been aligning with Russia over the war in Ukraine. "
        "The Biden administration has accused North Korea of providing arms, although the North has denied it."
    )
    ms = mentions(nlp, text)
    north = [m for m in ms if m.text == "North"]
    assert north and north[0].label == "GPE"
    assert north[0].antecedent is not None and ms[north[0].antecedent].name == "North Korea"


def test_caption_words_after_a_name_are_not_part_of_it(nlp: Language) -> None:
    ms = mentions(nlp, "North Korean leader Kim Jong Un Image Credit: ANI")
    people = [m for m in ms if m.label == "PERSON"]
    assert [m.text for m in people] == ["Kim Jong Un"]


@pytest.mark.parametrize("text", ["The phone has 16 GB of storage and sells for $199.", "He joined Apple as CEO."])
def test_short_all_caps_word_is_never_a_person(nlp: Language, text: str) -> None:
    assert not [m for m in mentions(nlp, text) if m.label == "PERSON" and m.text.isupper()]


@pytest.mark.parametrize(
    "text",
    [
        "The governor accused Khartoum of carrying out the attack. Sudan denied it.",
        "Refugees fled Sudan last week. The governor accused Khartoum of carrying out the attack.",
    ],
)
def test_capital_tagged_as_a_person_is_a_place_when_its_country_is_named(nlp: Language, text: str) -> None:
    _, m = find(mentions(nlp, text), "Khartoum")
    assert m.label == "GPE"


def _hand(name: str, label: str, antecedent: int | None = None) -> Mention:
    return Mention(0, len(name), name, label, name, antecedent=antecedent)


@pytest.mark.parametrize(
    ("others", "label"),
    [
        ([_hand("France", "GPE")], "GPE"),  # the capital's country is named: a place
        ([], "PERSON"),  # nothing says it is the city
        ([_hand("France", "GPE"), _hand("Paris Jones", "PERSON")], "PERSON"),  # someone is called Paris
    ],
)
def test_capital_read_as_a_person_needs_its_country_and_no_namesake(others: list[Mention], label: str) -> None:
    ms = [*others, _hand("Paris", "PERSON")]
    _capitals_as_places(ms, load_lexicon())
    assert ms[-1].label == label


@pytest.mark.parametrize(
    ("text", "people"),
    [
        (
            "The jury heard that Andrew Lopez and Jonathan Carrasquillo fired from a roof. "
            "Prosecutors said Lopez and Carrasquillo were targeting rival gang members.",
            ["Lopez", "Carrasquillo"],
        ),
        (
            "The trial of Mark Dunn and Peter Hale opened on Monday. The judge said Dunn and Hale would testify.",
            ["Dunn", "Hale"],
        ),
    ],
)
def test_two_surnames_joined_by_and_are_two_people(nlp: Language, text: str, people: list[str]) -> None:
    ms = mentions(nlp, text)
    for short in people:
        hits = [m for m in ms if m.text == short]
        assert hits and all(m.label == "PERSON" and m.antecedent is not None for m in hits), short
    assert not [m for m in ms if " and " in m.text]


def test_surname_the_tagger_also_called_an_organisation_is_still_found_untagged(nlp: Language) -> None:
    text = (
        "Mark Dunn was arrested. Carrasquillo allegedly ordered Lopez to shoot. "
        "Jonathan Carrasquillo and Andrew Lopez were charged. The verdict on Carrasquillo's case is due."
    )
    ms = mentions(nlp, text)
    full, _ = find(ms, "Jonathan Carrasquillo")
    shorts = [m for m in ms if m.text == "Carrasquillo"]
    assert len(shorts) == 2
    assert all(m.antecedent == full and m.label == "PERSON" for m in shorts)


@pytest.mark.parametrize(
    "text",
    [
        "He failed sobriety tests in San Diego, said California Highway Patrol Officer Ray Scheidnes.",
        "He failed sobriety tests on State Route 52 in San Diego, a California Highway Patrol officer said.",
    ],
)
def test_place_running_into_an_untagged_body_name_is_the_body(nlp: Language, text: str) -> None:
    _, m = find(mentions(nlp, text), "California Highway Patrol")
    assert m.label == "ORG"


def test_place_before_a_title_stays_a_place(nlp: Language) -> None:
    ms = mentions(nlp, "Moscow Mayor Sergei Sobyanin opened the new station on Monday.")
    _, m = find(ms, "Moscow")
    assert m.label == "GPE"


def test_untagged_acronym_of_a_body_named_in_full_is_its_mention(nlp: Language) -> None:
    text = (
        "According to a report by the state KCNA news agency, the leader left on Sunday. "
        "The Korean Central News Agency said the visit was friendly."
    )
    ms = mentions(nlp, text)
    full, _ = find(ms, "Korean Central News Agency")
    _, m = find(ms, "KCNA")
    assert m.label == "ORG" and m.antecedent == full


@pytest.mark.parametrize(
    "text",
    ["Charger Jamal Williams arrested on suspicion of DUI", "The DUI arrest of Vincent Jackson was his second."],
)
def test_the_short_name_of_a_charge_names_no_one(nlp: Language, text: str) -> None:
    names = [m.name for m in mentions(nlp, text)]
    assert "DUI" not in names and any("Williams" in n or "Jackson" in n for n in names), names
