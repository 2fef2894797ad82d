"""Role patterns kept as data (nlp/data/role_patterns.yaml): the file loads, spaCy's DependencyMatcher
accepts every pattern, and each role form gives its participant through find_events, and no longer
does once its pattern is taken out of the file's set (so the pattern, not some other code, gives it)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import pytest
import yaml
from spacy.language import Language
from test_events import _mentions

from storyline.nlp import roles
from storyline.nlp.events import find_events
from storyline.nlp.roles import PATTERNS_FILE, ROLES, Roles, build_matcher, load_patterns, parse_patterns


def _raw() -> dict:
    return yaml.safe_load(resources.files("storyline.nlp").joinpath("data", PATTERNS_FILE).read_text("utf-8"))


def test_the_pattern_file_loads_and_every_pattern_is_valid_for_the_dependency_matcher(nlp: Language) -> None:
    patterns = load_patterns()
    assert len({p.name for p in patterns}) == len(patterns) == len(_raw()["patterns"])
    matcher = build_matcher(nlp.vocab, patterns)  # validate=True: spaCy checks each pattern's schema
    assert len(matcher) == len(patterns)
    for p in patterns:
        assert p.comment and p.applies_to <= {"VERB", "NOUN"}
        assert p.role in ROLES or (p.role is None and p.prepositions)
        one = build_matcher(nlp.vocab, [p])
        assert one.get(p.name) is not None


def test_the_forms_the_issue_names_are_all_there() -> None:
    by_name = {p.name: p for p in load_patterns()}
    assert by_name["subject"].role == "actor" and by_name["subject"].reduced_passive == "patient"
    assert by_name["object"].role == by_name["dative_object"].role == "target"
    assert by_name["passive_subject"].role == "patient"
    assert by_name["passive_agent"].role == "actor"
    assert by_name["possessor"].role_for({"possessed"}) == "patient"
    assert by_name["possessor"].role_for(set()) == "actor"
    assert by_name["nominal_of"].role_for({"patient"}) == "patient"
    assert by_name["nominal_of"].role_for(set()) == "actor"
    assert by_name["nominal_agent"].role == "actor"
    preps = by_name["prepositional_object"].prepositions
    assert preps["with"].roles == ("target",) and preps["in"].roles == ("place",)
    assert preps["at"].except_places and "SANCTION" in preps["on"].types and not preps["with"].types


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["patterns"][0].update(role="doer"), "role"),
        (lambda d: d["patterns"][0].update(comment=""), "comment"),
        (lambda d: d["patterns"][0].update(applies_to=["ADJ"]), "applies_to"),
        (lambda d: d["patterns"][0].update(bearer="nobody"), "bearer"),
        (lambda d: d["patterns"][1].update(name=d["patterns"][0]["name"]), "name"),
        (lambda d: d["patterns"][0]["pattern"][0]["RIGHT_ATTRS"].update(LOWER=True), "RIGHT_ATTRS"),
        (lambda d: d["patterns"][0]["pattern"][0]["RIGHT_ATTRS"].update(MORPH="Voice=Pass"), "not copied"),
        (lambda d: d["patterns"][-1]["prepositions"].pop("with"), "prepositions table"),
    ],
)
def test_a_bad_pattern_is_refused_naming_the_file_and_the_pattern(change, message: str) -> None:
    data = _raw()
    change(data)
    with pytest.raises(ValueError, match=message) as err:
        parse_patterns(data)
    assert PATTERNS_FILE in str(err.value)


@pytest.fixture
def without(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """Take one pattern out of the set the matcher is built from (the shipped file, minus that one)."""

    def drop(name: str) -> None:
        kept = tuple(p for p in load_patterns() if p.name != name)
        assert len(kept) == len(load_patterns()) - 1, name
        monkeypatch.setattr(roles, "load_patterns", lambda: kept)
        roles._matcher.cache_clear()

    yield drop
    roles._matcher.cache_clear()


def _event(nlp: Language, text: str, kind: str) -> tuple[set[str], set[str], str | None]:
    """(actors, targets, place) of the first ``kind`` event; nothing when there is none (an event naming
    nobody, with no date, is dropped)."""
    sdoc = nlp(text)
    mentions = _mentions(sdoc)
    events = [e for e in find_events(sdoc, mentions, [], []) if e.type == kind]
    if not events:
        return set(), set(), None
    e = events[0]

    def names(idx: list[int]) -> set[str]:
        return {mentions[i].name.removesuffix("'s") for i in idx}

    return names(e.actors), names(e.targets), (mentions[e.location].name if e.location is not None else None)


# (invented sentence, event type, role read, the name it holds, the pattern that gives it)
FORMS = [
    ("Chile attacked Peru.", "ASSAULT", "actor", "Chile", "subject"),
    ("Chile attacked Peru.", "ASSAULT", "target", "Peru", "object"),
    ("Peru was attacked by Chile.", "ASSAULT", "target", "Peru", "passive_subject"),
    ("Peru was attacked by Chile.", "ASSAULT", "actor", "Chile", "passive_agent"),
    ("The court found Maria Lopez guilty.", "ACCUSE", "target", "Maria Lopez", "small_clause"),
    ("Chile claimed Peru was planning an attack.", "ACCUSE", "target", "Peru", "complement_clause"),
    ("Chile's invasion surprised analysts.", "ASSAULT", "actor", "Chile", "possessor"),
    ("Maria Lopez's arrest surprised analysts.", "COERCE", "target", "Maria Lopez", "possessor"),
    ("A NATO attack hit the village.", "ASSAULT", "actor", "NATO", "name_modifier"),
    ("The visit of Maria Lopez ended on a good note.", "CONSULT", "actor", "Maria Lopez", "nominal_of"),
    ("The killing of Maria Lopez shocked the town.", "ASSAULT", "target", "Maria Lopez", "nominal_of"),
    ("An invasion by Chile followed the vote.", "ASSAULT", "actor", "Chile", "nominal_agent"),
    ("Talks between Chile and Peru resumed.", "CONSULT", "actor", "Peru", "nominal_between"),
    ("Chile signed an agreement with Peru.", "AGREE", "target", "Peru", "prepositional_object"),
    ("Chile imposed sanctions on Peru.", "SANCTION", "target", "Peru", "prepositional_object"),
    ("Chile protested in Lima.", "PROTEST", "place", "Lima", "prepositional_object"),
]


@pytest.mark.parametrize(("text", "kind", "role", "name", "pattern"), FORMS)
def test_each_role_form_comes_from_its_pattern(nlp, without, text, kind, role, name, pattern) -> None:
    actors, targets, place = _event(nlp, text, kind)
    held = {"actor": actors, "target": targets, "place": {place}}[role]
    assert name in held
    without(pattern)
    actors, targets, place = _event(nlp, text, kind)
    assert name not in {"actor": actors, "target": targets, "place": {place}}[role]


def test_on_names_a_target_only_for_deeds_that_fall_on_someone(nlp: Language) -> None:
    # the same phrase: a target of sanctions ("on" hangs on the object), nothing for a meeting
    assert "Peru" in _event(nlp, "Chile imposed sanctions on Peru.", "SANCTION")[1]
    sdoc = nlp("Chile imposed sanctions on Peru.")
    sanctions = next(t for t in sdoc if t.lower_ == "sanctions")
    assert Roles(sdoc).of(sanctions, "prepositional", event_type="CONSULT") == []
    assert [m.token.text for m in Roles(sdoc).of(sanctions, "prepositional", event_type="SANCTION")] == ["Peru"]


def test_a_headline_passive_makes_its_subject_undergo_it(nlp: Language) -> None:
    sdoc = nlp("Mayor arrested on fraud charge\n\nThe mayor of Lima was released.")
    verb = next(t for t in sdoc if t.lower_ == "arrested")
    matches = Roles(sdoc).of(verb, "clause")
    assert [(m.pattern.name, m.token.text) for m in matches][:1] == [("subject", "Mayor")]
    assert matches[0].pattern.reduced_passive == "patient"


def test_a_word_outside_the_named_sentences_is_matched_when_asked(nlp: Language) -> None:
    sdoc = nlp("Chile attacked Peru. Bolivia attacked Chile.")
    second = next(t for t in sdoc if t.lower_ == "attacked" and t.i > 3)
    first = next(t for t in sdoc if t.lower_ == "attacked")
    r = Roles(sdoc, around=[first.i])
    assert [m.token.text for m in r.of(second, "clause")] == ["Bolivia", "Chile"]
    assert [m.token.text for m in r.of(first, "clause")] == ["Chile", "Peru"]
