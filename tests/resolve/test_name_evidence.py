"""Corpus-level name evidence, types by evidence, name variants with evidence (invented articles)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from storyline.model import Analysis, Document, Entity, Mention, document_id
from storyline.nlp.entities import extract_mentions
from storyline.resolve.aliases import AliasRules, resolve_entities


def corpus(nlp: Language, texts: list[str]) -> tuple[list[Document], list[Analysis]]:
    docs = [Document(id=document_id(t), source=f"doc{i}.txt", text=t) for i, t in enumerate(texts)]
    analyses = [Analysis(doc=d.id, model="test", mentions=extract_mentions(nlp(d.text))) for d in docs]
    return docs, analyses


def holding(entities: list[Entity], docs: list[Document], surface: str, doc: int | None = None) -> list[Entity]:
    """The entities holding a mention whose text is `surface` (in document `doc` when given)."""
    text_of = {d.id: d.text for d in docs}
    wanted = None if doc is None else docs[doc].id
    return [
        e for e in entities
        if any(text_of[m.doc][m.start : m.end] == surface and wanted in (None, m.doc) for m in e.mentions)
    ]


def hand_made(docs_mentions: list[list[tuple[str, str]]], texts: list[str] | None = None):
    """Documents whose mentions are given by hand as (label, name), each at the start of its text."""
    docs, analyses = [], []
    for i, ms in enumerate(docs_mentions):
        text = texts[i] if texts else " ".join(n for _, n in ms)
        mentions, pos = [], 0
        for label, name in ms:
            at = text.index(name, pos)
            mentions.append(Mention(at, at + len(name), name, label, name))
            pos = at + len(name)
        d = Document(id=f"d{i}", source=f"doc{i}.txt", text=text)
        docs.append(d)
        analyses.append(Analysis(doc=d.id, model="test", mentions=mentions))
    return docs, analyses


def test_a_name_tagged_once_is_found_where_the_tagger_missed_it() -> None:
    texts = [
        "Mourners gathered for Delphine Okafor on Sunday.",
        "The vigil for Delphine Okafor drew hundreds of neighbours.",
        "Delphine Okafor was remembered by her teachers in Marlowe.",
    ]
    docs, analyses = hand_made([[("PERSON", "Delphine Okafor")], [], [("GPE", "Marlowe")]], texts)
    n_before = [len(a.mentions) for a in analyses]
    entities, entity_of = resolve_entities(docs, analyses, AliasRules())
    [okafor] = holding(entities, docs, "Delphine Okafor")
    assert {m.doc for m in okafor.mentions} == {"d0", "d1", "d2"}
    assert [len(a.mentions) for a in analyses] == [n_before[0], 1, 2]  # appended, never reordered
    added = analyses[1].mentions[0]
    assert added.found_by == "corpus" and added.label == "PERSON"
    assert entity_of[("d1", 0)] == okafor.id
    assert all(m.reason for m in okafor.mentions if m.doc != "d0")


def test_a_name_mostly_left_untagged_is_not_spread() -> None:
    texts = ["Harbour Lane closed.", "Harbour Lane again.", "Harbour Lane at dawn.", "Harbour Lane by night."]
    docs, analyses = hand_made([[("FAC", "Harbour Lane")], [], [], []], texts)
    resolve_entities(docs, analyses, AliasRules())
    assert [len(a.mentions) for a in analyses] == [1, 0, 0, 0]  # tagged at 1 of 4 occurrences


def test_an_untagged_name_inside_a_longer_name_is_not_it() -> None:
    texts = ["Police named Tessaly Brandt.", "Tessaly Brandt spoke.", "She studied at Tessaly Brandt Academy."]
    docs, analyses = hand_made([[("PERSON", "Tessaly Brandt")], [("PERSON", "Tessaly Brandt")], []], texts)
    resolve_entities(docs, analyses, AliasRules())
    assert analyses[2].mentions == []


def test_lone_surname_with_two_bearers_in_its_article_stays_unlinked(nlp: Language) -> None:
    docs, analyses = corpus(
        nlp,
        [
            "John Jenkin and his wife Kathryn Jenkin opened the bakery in Dunmore in 1998. "
            "Jenkin said the town had changed.",
            "Kathryn Jenkin said the bakery in Dunmore would close on Friday.",
        ],
    )
    entities, _ = resolve_entities(docs, analyses, AliasRules())
    john, kathryn = holding(entities, docs, "John Jenkin"), holding(entities, docs, "Kathryn Jenkin")
    assert john != kathryn
    bare = holding(entities, docs, "Jenkin")
    assert bare and bare != john and bare != kathryn


def test_lone_surname_joins_the_one_bearer_of_related_articles() -> None:
    docs, analyses = hand_made(
        [
            [("PERSON", "Orla Vantreese"), ("GPE", "Dunmore"), ("ORG", "Dunmore Council")],
            [("PERSON", "Vantreese"), ("GPE", "Dunmore"), ("ORG", "Dunmore Council")],
            [("PERSON", "Piet Vantreese"), ("GPE", "Kessling"), ("ORG", "Kessling Rowing Club")],
            [("PERSON", "Piet Vantreese"), ("GPE", "Kessling")],
        ]
    )
    _, entity_of = resolve_entities(docs, analyses, AliasRules())
    assert entity_of[("d1", 0)] == entity_of[("d0", 0)]  # the corpus has more Piet, the related article Orla


@pytest.mark.parametrize(
    ("label", "name", "typ"),
    [
        ("PERSON", "INS Marwar", "VESSEL"),
        ("ORG", "MV Kestrel Dawn", "VESSEL"),
        ("GPE", "Talvane Bank", "ORG"),
        ("PERSON", "Corvina Airlines", "ORG"),
    ],
)
def test_a_cue_in_the_name_gives_its_type_in_every_article(label: str, name: str, typ: str) -> None:
    docs, analyses = hand_made([[(label, name)], [("ORG", name)], [("PERSON", name)]])
    entities, entity_of = resolve_entities(docs, analyses, AliasRules())
    assert len({entity_of[(f"d{i}", 0)] for i in range(3)}) == 1
    assert [e.type for e in entities] == [typ]


def test_one_name_under_two_tags_is_one_entity_of_the_majority_type() -> None:
    docs, analyses = hand_made([[("ORG", "Quillfield")], [("ORG", "Quillfield")], [("PERSON", "Quillfield")]])
    entities, _ = resolve_entities(docs, analyses, AliasRules())
    assert [(e.name, e.type) for e in entities] == [("Quillfield", "ORG")]


def test_a_title_before_a_given_name_makes_a_person_with_a_role(nlp: Language) -> None:
    docs, analyses = corpus(nlp, ["Trooper William Castellan stopped the car on the highway near Dunmore."])
    entities, _ = resolve_entities(docs, analyses, AliasRules())
    people = [e for e in entities if e.type == "PERSON"]
    assert [e.name for e in people] == ["William Castellan"]
    assert people[0].roles == ["Trooper"]


def _with_context(names: list[str], context: list[str], role: str | None = None):
    docs, analyses = [], []
    for i, name in enumerate(names):
        ms = [Mention(0, len(name), name, "PERSON", name, role=role)]
        ms += [Mention(0, len(c), c, "GPE", c) for c in context]
        docs.append(Document(id=f"d{i}", source=f"doc{i}.txt", text=name))
        analyses.append(Analysis(doc=f"d{i}", model="test", mentions=ms))
    return docs, analyses


@pytest.mark.parametrize(
    ("names", "context", "role", "same"),
    [
        (["Louis Martel", "Luis Martel"], ["Lyon", "France"], None, False),  # two given names, not a typo
        (["Bruce Lee", "Bruce Li"], ["Hong Kong", "China"], None, False),  # Lee/Li are not folded
        (["Arkady Voloshyn", "Arkadi Voloshin"], ["Kyiv", "Ukraine"], None, True),  # romanisation + context
        (["Arkady Voloshyn", "Arkadi Voloshin"], [], "Defense Minister", True),  # romanisation + a shared role
        (["Arkady Voloshyn", "Arkadi Voloshin"], [], None, False),  # romanisation alone is not enough
        (["Bill Castellan", "William Castellan"], ["Dunmore", "Ohio"], None, True),
    ],
)
def test_variants_join_only_with_corroboration(
    names: list[str], context: list[str], role: str | None, same: bool
) -> None:
    docs, analyses = _with_context(names, context, role)
    entities, entity_of = resolve_entities(docs, analyses, AliasRules())
    assert (entity_of[("d0", 0)] == entity_of[("d1", 0)]) is same
    if same:
        [e] = [e for e in entities if e.type == "PERSON"]
        assert e.merge_scores and all(0 < s < 1 for s in e.merge_scores.values())
        assert set(e.merge_reasons) == set(e.merge_scores) and all(e.merge_reasons.values())


def test_two_spellings_in_one_article_are_two_people() -> None:
    docs, analyses = hand_made([[("PERSON", "Louis Martel"), ("PERSON", "Luis Martel"), ("GPE", "Lyon")]])
    _, entity_of = resolve_entities(docs, analyses, AliasRules())
    assert entity_of[("d0", 0)] != entity_of[("d0", 1)]


def test_shoygu_and_shoigu_still_join(nlp: Language) -> None:
    docs, analyses = corpus(
        nlp,
        [
            "Russian Defense Minister Sergey Shoygu arrived in Pyongyang on Tuesday for talks with North Korea.",
            "North Korea welcomed Defense Minister Sergei Shoigu, and Pyongyang held a parade.",
        ],
    )
    entities, _ = resolve_entities(docs, analyses, AliasRules())
    [a], [b] = holding(entities, docs, "Sergey Shoygu"), holding(entities, docs, "Sergei Shoigu")
    assert a.id == b.id and "romanisation" in " ".join(a.merge_reasons.values())
