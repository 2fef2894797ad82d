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
