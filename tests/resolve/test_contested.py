"""A claim and its denial by another actor are linked, with both evidence spans."""

from __future__ import annotations

from storyline.model import Analysis, Document, Event, Mention
from storyline.nlp.events import find_events
from storyline.resolve.contested import find_contested
from storyline.resolve.stories import resolve_events


def _raw(kind, start, polarity, proposition=None, actors=(0,), targets=(1,)):
    return Event(
        type=kind,
        start=start,
        end=start + 40,
        trigger_start=start + 5,
        trigger_end=start + 10,
        trigger=kind.lower(),
        actors=list(actors),
        targets=list(targets),
        polarity=polarity,
        proposition=proposition,
    )


def _resolve(doc, raws, entity_of, story=None):
    mentions = [Mention(0, 1, "A", "GPE", "A"), Mention(2, 3, "B", "GPE", "B"), Mention(4, 5, "C", "GPE", "C")]
    analysis = Analysis(doc=doc, model="m", mentions=mentions, events=raws)
    events = resolve_events([Document(id=doc, source="x", text="x" * 400)], [analysis], entity_of)
    for e in events:
        e.story = story
    return analysis, events


def _ents(doc):
    return {(doc, 0): "A", (doc, 1): "B", (doc, 2): "C"}


def test_denial_pointing_back_links_to_the_accusation_before_it():
    claim = _raw("ACCUSE", 0, "claim", "arm provide russia")
    denial = _raw("REJECT", 100, "denial", None, actors=(1,), targets=())
    analysis, events = _resolve("d1", [claim, denial], _ents("d1"))
    (pair,) = find_contested(events, [analysis])
    assert (pair.claim, pair.denial) == (events[0].id, events[1].id)
    assert pair.score > 0


def test_claimant_denying_its_own_claim_is_not_contested():
    claim = _raw("ACCUSE", 0, "claim", "arm provide")
    denial = _raw("REJECT", 100, "denial", None, actors=(0,), targets=())
    analysis, events = _resolve("d1", [claim, denial], _ents("d1"))
    assert find_contested(events, [analysis]) == []


def test_denial_before_any_claim_in_its_document_is_not_linked_by_pointing():
    denial = _raw("REJECT", 0, "denial", None, actors=(1,), targets=())
    claim = _raw("ACCUSE", 100, "claim", "arm provide")
    analysis, events = _resolve("d1", [denial, claim], _ents("d1"))
    assert find_contested(events, [analysis]) == []


def test_denial_in_another_report_of_the_story_links_by_content():
    a1, e1 = _resolve("d1", [_raw("ACCUSE", 0, "claim", "bomb camp refugee")], _ents("d1"), story="s1")
    a2, e2 = _resolve("d2", [_raw("REJECT", 0, "denial", "bomb camp", actors=(1,), targets=())], _ents("d2"), "s1")
    (pair,) = find_contested(e1 + e2, [a1, a2])
    assert (pair.claim, pair.denial) == (e1[0].id, e2[0].id)


def test_unrelated_denial_elsewhere_is_not_linked():
    a1, e1 = _resolve("d1", [_raw("ACCUSE", 0, "claim", "bomb camp refugee")], _ents("d1"), story="s1")
    a2, e2 = _resolve("d2", [_raw("REJECT", 0, "denial", "tax rise", actors=(1,), targets=())], _ents("d2"), "s2")
    assert find_contested(e1 + e2, [a1, a2]) == []


def test_accusation_and_denial_of_the_claim_from_the_parse(nlp):
    text = (
        "The Biden administration has accused North Korea of providing arms, although the North has denied the claim."
    )
    sdoc = nlp(text)
    mentions = [Mention(e.start_char, e.end_char, e.text, e.label_, e.text) for e in sdoc.ents]
    raws = find_events(sdoc, mentions, [], [])
    north = [i for i, m in enumerate(mentions) if m.text in ("North Korea", "North")]
    entity_of = {("d1", i): ("NK" if i in north else f"m{i}") for i in range(len(mentions))}
    analysis = Analysis(doc="d1", model="m", mentions=mentions, events=raws)
    events = resolve_events([Document(id="d1", source="x", text=text)], [analysis], entity_of)
    (pair,) = find_contested(events, [analysis])
    by_id = {e.id: e for e in events}
    assert by_id[pair.claim].type == "ACCUSE" and by_id[pair.denial].type == "REJECT"
    assert by_id[pair.claim].text == by_id[pair.denial].text == text  # both evidence spans
