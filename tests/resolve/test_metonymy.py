"""A capital or a state body named as an event's participant brings in its country when the corpus names it."""

from __future__ import annotations

import pytest

from storyline.model import Analysis, Document, Event, Mention
from storyline.resolve.aliases import AliasRules, resolve_entities
from storyline.resolve.stories import resolve_events


def _events(names: list[tuple[str, str]], etype: str, actor: int, target: int) -> tuple[list[str], list[str], dict]:
    """One document whose mentions are `names` (name, label) and one event between two of them."""
    text = " ".join(n for n, _ in names)
    ms, at = [], 0
    for name, label in names:
        demonym = label == "NORP"  # as entities.py marks "Russian": named by its country
        key = name.removesuffix("n") if demonym else name
        ms.append(Mention(at, at + len(name), name, label, key, demonym=demonym))
        at += len(name) + 1
    ev = Event(type=etype, start=0, end=len(text), trigger_start=0, trigger_end=1, trigger="x",
               actors=[actor], targets=[target])
    docs = [Document(id="d0", source="d0.txt", text=text)]
    analyses = [Analysis(doc="d0", model="test", mentions=ms, events=[ev])]
    entities, entity_of = resolve_entities(docs, analyses, AliasRules())
    (res,) = resolve_events(docs, analyses, entity_of)
    names_of = {e.id: e.name for e in entities}
    return [names_of[x] for x in res.actors], [names_of[x] for x in res.targets], names_of


@pytest.mark.parametrize(
    ("names", "etype", "actors", "targets"),
    [
        # "Kim accused Washington ...": the United States is what he accused
        (
            [("Kim Jong Un", "PERSON"), ("Washington", "GPE"), ("U.S.", "GPE")],
            "ACCUSE",
            ["Kim Jong Un"],
            ["United States"],
        ),
        # "Khartoum denied ...": Sudan acts
        ([("Khartoum", "GPE"), ("Yida", "GPE"), ("Sudan", "GPE")], "REJECT", ["Sudan"], ["Yida"]),
        # the country is never named: the city stays
        ([("Kim Jong Un", "PERSON"), ("Washington", "GPE")], "ACCUSE", ["Kim Jong Un"], ["Washington"]),
        # a capital that was bombed is the city itself
        ([("Russia", "GPE"), ("Kyiv", "GPE"), ("Ukraine", "GPE")], "ASSAULT", ["Russia"], ["Kyiv"]),
        # a country's demonym names it too
        ([("Moscow", "GPE"), ("Kyiv", "GPE"), ("Russian", "NORP")], "ACCUSE", ["Russia"], ["Kyiv"]),
        # a state body acts for its state: both are participants
        (
            [("Sudan Armed Forces", "ORG"), ("Yida", "GPE"), ("Sudan", "GPE")],
            "ASSAULT",
            ["Sudan Armed Forces", "Sudan"],
            ["Yida"],
        ),
        # a seat of government speaks for the government that sits there: both are participants
        (
            [("Kremlin", "ORG"), ("Pyongyang", "GPE"), ("Russia", "GPE"), ("North Korea", "GPE")],
            "CONSULT",
            ["Kremlin", "Russia"],
            ["North Korea"],
        ),
        ([("White House", "FAC"), ("Tehran", "GPE")], "ACCUSE", ["White House"], ["Tehran"]),  # no country named
        # a body that is no institution of the state does not
        ([("Sudan Airways", "ORG"), ("Yida", "GPE"), ("Sudan", "GPE")], "ASSAULT", ["Sudan Airways"], ["Yida"]),
    ],
)
def test_capital_as_participant_stands_for_its_country(
    names: list[tuple[str, str]], etype: str, actors: list[str], targets: list[str]
) -> None:
    got_actors, got_targets, _ = _events(names, etype, 0, 1)
    assert got_actors == actors
    assert got_targets == targets


def _with_role(text: str, people: dict[str, str], places: list[str], etype: str) -> tuple[list[str], list[str]]:
    """One event in ``text``: the first person named acts on the second; ``people`` maps a name to its role."""
    ms = []
    for name, role in people.items():
        k = text.index(name)
        ms.append(Mention(k, k + len(name), name, "PERSON", name, role=role or None))
    for place in places:
        k = text.index(place)
        ms.append(Mention(k, k + len(place), place, "GPE", place))
    ms.sort(key=lambda m: m.start)  # as a document lists them
    actor, target = (next(i for i, m in enumerate(ms) if m.name == p) for p in list(people)[:2])
    ev = Event(type=etype, start=0, end=len(text), trigger_start=0, trigger_end=1, trigger="x")
    ev.actors, ev.targets = [actor], [target]
    docs = [Document(id="d0", source="d0.txt", text=text)]
    analyses = [Analysis(doc="d0", model="test", mentions=ms, events=[ev])]
    entities, entity_of = resolve_entities(docs, analyses, AliasRules())
    (res,) = resolve_events(docs, analyses, entity_of)
    names_of = {e.id: e.name for e in entities}
    return [names_of[x] for x in res.actors], [names_of[x] for x in res.targets]


@pytest.mark.parametrize(
    ("text", "people", "places", "etype", "targets"),
    [
        # the head of a state named in the role personifies it
        ("Governor Ana Ruiz blamed the Greek Prime Minister Ivo Lend; Greece said nothing.",
         {"Ana Ruiz": "Governor", "Ivo Lend": "Greek Prime Minister"}, ["Greece"], "ACCUSE", ["Ivo Lend", "Greece"]),
        # no country named in the corpus: the person alone
        ("Ana Ruiz blamed the Greek Prime Minister Ivo Lend.",
         {"Ana Ruiz": "", "Ivo Lend": "Greek Prime Minister"}, [], "ACCUSE", ["Ivo Lend"]),
        # the country as a possessive mention of its own before the office
        ("Ana Ruiz accused Sudan's President Omar Halim of the raid.",
         {"Ana Ruiz": "", "Omar Halim": "President"}, ["Sudan"], "ACCUSE", ["Omar Halim", "Sudan"]),
        ("Ana Ruiz accused the President of Sudan Omar Halim; Sudan denied it.",
         {"Ana Ruiz": "", "Omar Halim": "President of Sudan"}, ["Sudan"], "ACCUSE", ["Omar Halim", "Sudan"]),
        # a meeting is between the persons
        ("Ana Ruiz met Sudan's President Omar Halim.",
         {"Ana Ruiz": "", "Omar Halim": "President"}, ["Sudan"], "CONSULT", ["Omar Halim"]),
        # a minister, a deputy or the president of another body is no head of the state
        ("Ana Ruiz accused the Sudanese Defence Minister Omar Halim; Sudan denied it.",
         {"Ana Ruiz": "", "Omar Halim": "Sudanese Defence Minister"}, ["Sudan"], "ACCUSE", ["Omar Halim"]),
        ("Ana Ruiz accused the Sudanese Deputy President Omar Halim; Sudan denied it.",
         {"Ana Ruiz": "", "Omar Halim": "Sudanese Deputy President"}, ["Sudan"], "ACCUSE", ["Omar Halim"]),
        ("Ana Ruiz accused Sudanese Football Federation president Omar Halim; Sudan denied it.",
         {"Ana Ruiz": "", "Omar Halim": "Sudanese Football Federation president"}, ["Sudan"], "ACCUSE",
         ["Omar Halim"]),
    ],
)
def test_a_head_of_state_brings_in_the_country(
    text: str, people: dict[str, str], places: list[str], etype: str, targets: list[str]
) -> None:
    _, got = _with_role(text, people, places, etype)
    assert got == targets
