"""The PLOVER predicate table is data: it must parse, cover the ontology and reject bad rows."""

from __future__ import annotations

import pytest

from storyline.nlp.events import PLOVER_TYPES, load_lexicon, parse_lexicon


def test_lexicon_covers_every_plover_type():
    lex = load_lexicon()
    types = {p.type for preds in lex.predicates.values() for p in preds}
    assert types == PLOVER_TYPES


@pytest.mark.parametrize(
    ("lemma", "pos", "expected"),
    [
        ("talks", "NOUN", "CONSULT"),
        ("visit", "NOUN", "CONSULT"),
        ("meeting", "NOUN", "CONSULT"),
        ("agreement", "NOUN", "AGREE"),
        ("exercise", "NOUN", "COOPERATE"),
        ("drill", "NOUN", "COOPERATE"),
        ("sanction", "NOUN", "SANCTION"),
        ("supply", "VERB", "AID"),
        ("deny", "VERB", "REJECT"),
        ("launch", "VERB", "THREATEN"),
        ("accuse", "VERB", "ACCUSE"),
        ("arrest", "VERB", "COERCE"),
        ("shoot", "VERB", "ASSAULT"),
        ("riot", "NOUN", "PROTEST"),
    ],
)
def test_issue_predicates_map_to_their_type(lemma, pos, expected):
    preds = load_lexicon().predicates[(lemma, pos)]
    assert expected in {p.type for p in preds}


def test_claims_and_denials_are_flagged_for_contested_linking():
    lex = load_lexicon()
    assert "claim" in lex.predicates[("accuse", "VERB")][0].flags
    assert "denial" in lex.predicates[("deny", "VERB")][0].flags


def test_support_verbs_and_mode_cues_load():
    lex = load_lexicon()
    assert {"hold", "conduct"} <= lex.light
    assert lex.cues["plan"] == "planned"
    assert lex.cues["would"] == "hypothetical"


def test_class_condition_expands_to_its_members():
    text = "class\t-\t-\tpaper\tdeal|pact\npred\tsign\tVERB\tAGREE\tobj=@paper\n"
    (pred,) = parse_lexicon(text).predicates[("sign", "VERB")]
    assert pred.when == (("obj", False, frozenset({"deal", "pact"})),)


def test_negated_condition_is_read():
    (pred,) = parse_lexicon("pred\tbeat\tVERB\tASSAULT\tobj=-team\n").predicates[("beat", "VERB")]
    assert pred.when == (("obj", True, frozenset({"team"})),)


@pytest.mark.parametrize(
    "row",
    [
        "pred\tmeet\tVERB\tGREET",  # not a PLOVER type
        "pred\tmeet\tADJ\tCONSULT",  # not a verb or noun
        "pred\tsign\tVERB\tAGREE\tobj=@nowhere",  # unknown class
        "pred\tmeet\tVERB\tCONSULT\t\t\tmove",  # a tab too many shifts the flags
        "cue\tplan\t-\tsoon",  # a cue sets planned or hypothetical
        "verb\tmeet\tVERB\tCONSULT",  # unknown kind
        "pred\tfind\tVERB\tACCUSE\tcomplement=guilty",  # unknown condition
    ],
)
def test_bad_rows_are_rejected(row):
    with pytest.raises(ValueError):
        parse_lexicon(row + "\n")


def test_complement_condition_is_read():
    (pred,) = parse_lexicon("pred\tfind\tVERB\tACCUSE\tcomp=guilty\n").predicates[("find", "VERB")]
    assert pred.when == (("comp", False, frozenset({"guilty"})),)


def test_comments_and_blank_lines_are_ignored():
    lex = parse_lexicon("# a comment\n\npred\tmeet\tVERB\tCONSULT\n")
    assert [k for k in lex.predicates if k[1] == "VERB"] == [("meet", "VERB")]


def test_outcome_class_loads():
    assert "death" in load_lexicon().classes["outcome"]


def test_person_nouns_load_with_suffixes():
    from storyline.nlp.events import load_person_nouns, parse_person_nouns

    nouns, suffixes = load_person_nouns()
    assert {"teen", "victim", "suspect"} <= nouns and "-year-old" in suffixes
    assert "president" not in nouns  # an office names a country's side, not a person named before
    assert parse_person_nouns("# c\nnoun\nboy\n*-year-old\n") == (frozenset({"boy"}), ("-year-old",))



def test_an_unconditional_verb_trigger_lends_its_type_to_its_gerund_and_a_listed_noun_wins():
    lex = parse_lexicon(
        "pred\tstab\tVERB\tASSAULT\n"
        "pred\tstrike\tVERB\tASSAULT\tobj=-x\n"
        "pred\tmeet\tVERB\tCONSULT\n"
        "pred\tmeeting\tNOUN\tAGREE\n"
    )
    assert [p.type for p in lex.predicates[("stabbing", "NOUN")]] == ["ASSAULT"]
    assert "patient" in lex.predicates[("stabbing", "NOUN")][0].flags
    assert ("striking", "NOUN") not in lex.predicates  # a verb that needs a condition lends nothing
    assert [p.type for p in lex.predicates[("meeting", "NOUN")]] == ["AGREE"]


def test_argument_conditions_parse_and_an_unknown_one_is_refused():
    lex = parse_lexicon("pred\tcharge\tVERB\tACCUSE\tsomeone\tclaim\npred\tdemonstrate\tVERB\tPROTEST\tintransitive\n")
    assert lex.predicates[("charge", "VERB")][0].when == (("someone", False, frozenset()),)
    with pytest.raises(ValueError, match="unknown condition"):
        parse_lexicon("pred\tcharge\tVERB\tACCUSE\tanyone\n")
