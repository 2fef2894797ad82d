"""Entities across documents: spelling variants merge, namesakes stay apart, rules apply, ids hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from storyline.model import Analysis, Document, Entity, Mention, content_id, document_id
from storyline.nlp.entities import extract_mentions
from storyline.nlp.names import load_lexicon
from storyline.resolve.aliases import AliasRules, given_names_compatible, resolve_entities


def corpus(nlp: Language, texts: list[str]) -> tuple[list[Document], list[Analysis]]:
    docs = [Document(id=document_id(t), source=f"doc{i}.txt", text=t) for i, t in enumerate(texts)]
    analyses = [Analysis(doc=d.id, model="test", mentions=extract_mentions(nlp(d.text))) for d in docs]
    return docs, analyses


def entity_with(entities: list[Entity], docs: list[Document], surface: str) -> Entity:
    """The entity that holds a mention whose text is `surface`."""
    text_of = {d.id: d.text for d in docs}
    hits = [e for e in entities if any(text_of[m.doc][m.start : m.end] == surface for m in e.mentions)]
    assert len(hits) == 1, f"{surface!r} is in {[e.name for e in hits]}"
    return hits[0]


@pytest.mark.parametrize(
    ("first", "second", "a", "b"),
    [
        (
            "Russian Defense Minister Sergey Shoygu arrived in Pyongyang on Tuesday.",
            "The delegation was led by Defense Minister Sergei Shoigu, officials said.",
            "Sergey Shoygu",
            "Sergei Shoigu",
        ),
        (
            "Choe Ryong-hae traveled to Moscow as Kim Jong-un\u2019s special envoy.",
            "North Korean leader Kim Jong Un met the Russian delegation on Wednesday.",
            "Kim Jong-un",
            "Kim Jong Un",
        ),
        (
            "North Korea sees U.S. confrontations with China as an opportunity.",
            "Officials in Seoul said the United States had been told about the visit.",
            "U.S.",
            "United States",
        ),
        (
            "Officials met in Moscow, Russia's Defense Ministry said in a statement.",
            "The talks were described as productive by the Russian Defense Ministry on Monday.",
            "Russia's Defense Ministry",
            "Russian Defense Ministry",
        ),
    ],
)
def test_spelling_variants_across_documents_are_one_entity(
    nlp: Language, first: str, second: str, a: str, b: str
) -> None:
    docs, analyses = corpus(nlp, [first, second])
    entities, _ = resolve_entities(docs, analyses, AliasRules())
    ea, eb = entity_with(entities, docs, a), entity_with(entities, docs, b)
    assert ea.id == eb.id
    assert all(0 < s <= 1 for s in ea.merge_scores.values())


def test_people_sharing_a_family_name_stay_apart(nlp: Language) -> None:
    docs, analyses = corpus(
        nlp,
        [
            "North Korean leader Kim Jong Un met the Russian delegation on Wednesday.",
            "His sister Kim Yo-jong said on Friday that the drills were a provocation.",
            "Defense Minister Kim Il-chol visited Moscow in 2001.",
        ],
    )
    entities, _ = resolve_entities(docs, analyses, AliasRules())
    ids = {entity_with(entities, docs, n).id for n in ("Kim Jong Un", "Kim Yo-jong", "Kim Il-chol")}
    assert len(ids) == 3


def test_short_form_joins_the_full_name_it_stands_for(nlp: Language) -> None:
    docs, analyses = corpus(
        nlp,
        [
            "North Korean leader Kim Jong Un met Russian Defense Minister Sergei Shoigu. Later, Kim said it went well.",
            "President Joe Biden said on Monday that sanctions would follow.",
            "Washington is watching, Biden told reporters on Tuesday.",
        ],
    )
    entities, entity_of = resolve_entities(docs, analyses, AliasRules())
    kim = entity_with(entities, docs, "Kim Jong Un")
    assert entity_with(entities, docs, "Kim").id == kim.id
    assert entity_with(entities, docs, "Biden").id == entity_with(entities, docs, "Joe Biden").id
    assert kim.name == "Kim Jong Un" and "Kim" in kim.aliases
    assert all(entity_of[(a.doc, i)] for a in analyses for i in range(len(a.mentions)))


def test_canonical_name_is_the_most_frequent_full_form(nlp: Language) -> None:
    docs, analyses = corpus(
        nlp,
        [
            "Officials in Seoul said the United States had been told. The US later confirmed it.",
            "The US Navy sent a submarine, and the United States said more would follow.",
            "Talks with the United States broke down in June.",
        ],
    )
    entities, _ = resolve_entities(docs, analyses, AliasRules())
    us = entity_with(entities, docs, "United States")
    assert us.name == "United States"
    assert us.type == "GPE"
    assert "US" in us.aliases


@pytest.mark.parametrize("order", [[0, 1, 2], [2, 0, 1]])
def test_entity_ids_are_stable_and_derived_from_content(nlp: Language, order: list[int]) -> None:
    texts = [
        "Vladimir Putin met Kim Jong Un in Vladivostok on Wednesday.",
        "Putin said Russia would help North Korea build satellites.",
        "Russian President Vladimir Putin hosted the talks.",
    ]
    docs, analyses = corpus(nlp, texts)
    first, _ = resolve_entities(docs, analyses, AliasRules())
    docs2, analyses2 = corpus(nlp, [texts[i] for i in order])
    again, _ = resolve_entities(docs2, analyses2, AliasRules())
    assert [(e.id, e.name, [(m.doc, m.start) for m in e.mentions]) for e in first] == [
        (e.id, e.name, [(m.doc, m.start) for m in e.mentions]) for e in again
    ]
    putin = entity_with(first, docs, "Vladimir Putin")
    assert putin.id == content_id("e", "PERSON", "Vladimir Putin")


def test_yaml_rules_force_and_forbid_merges(nlp: Language, tmp_path: Path) -> None:
    rules_file = tmp_path / "aliases.yaml"
    rules_file.write_text(
        "merge:\n  - [Kremlin, Russia]\nkeep_apart:\n  - [Sergey Shoygu, Sergei Shoigu]\n", encoding="utf-8"
    )
    rules = AliasRules.load(rules_file)
    docs, analyses = corpus(
        nlp,
        [
            "Russian Defense Minister Sergey Shoygu arrived in Pyongyang. The Kremlin said the visit went well.",
            "The delegation was led by Defense Minister Sergei Shoigu, officials in Russia said.",
        ],
    )
    plain, _ = resolve_entities(docs, analyses, AliasRules())
    assert entity_with(plain, docs, "Sergey Shoygu").id == entity_with(plain, docs, "Sergei Shoigu").id
    ruled, _ = resolve_entities(docs, analyses, rules)
    assert entity_with(ruled, docs, "Sergey Shoygu").id != entity_with(ruled, docs, "Sergei Shoigu").id
    assert entity_with(ruled, docs, "Kremlin").id == entity_with(ruled, docs, "Russia").id


def test_every_mention_carries_its_document_span_and_a_score(nlp: Language) -> None:
    text = "The Korean Central News Agency reported the visit on Thursday. KCNA said the talks were friendly."
    docs, analyses = corpus(nlp, [text])
    entities, _ = resolve_entities(docs, analyses, AliasRules())
    for e in entities:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text
            assert 0 < m.score <= 1
    assert entity_with(entities, docs, "KCNA").id == entity_with(entities, docs, "Korean Central News Agency").id


def hand_made(names: list[tuple[str, str]]) -> tuple[list[Document], list[Analysis]]:
    """One document per (label, name), the name being the whole text: no tagger involved."""
    docs, analyses = [], []
    for i, (label, name) in enumerate(names):
        d = Document(id=f"d{i}", source=f"doc{i}.txt", text=name)
        docs.append(d)
        analyses.append(Analysis(doc=d.id, model="test", mentions=[Mention(0, len(name), name, label, name)]))
    return docs, analyses


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("PERSON", "A. J. Smith"), ("PERSON", "A.J. Smith"), True),
        (("PERSON", "George W. Bush"), ("PERSON", "George Bush"), True),
        (("PERSON", "Jermayne Timmons"), ("PERSON", "Jerymayne Timmons"), True),
        (("PERSON", "Jamal Williams"), ("PERSON", "Jumaane Williams"), False),
        (("ORG", "Gazprom Bank"), ("ORG", "Gazprombank"), True),
        (("ORG", "Unity State"), ("GPE", "Unity State"), True),
        (("ORG", "U.N. Security Council"), ("ORG", "United Nations Security Council"), True),
        (("ORG", "Apple Inc."), ("ORG", "Apple"), True),
        (("ORG", "Apple Corps"), ("ORG", "Apple"), False),
        (("GPE", "North Korea"), ("GPE", "South Korea"), False),
        (("ORG", "GB"), ("ORG", "Gazprom Bank"), False),
        (("ORG", "NYSE"), ("ORG", "New York Stock Exchange"), True),
    ],
)
def test_names_merge_only_when_they_can_be_one_entity(
    a: tuple[str, str], b: tuple[str, str], same: bool
) -> None:
    docs, analyses = hand_made([a, b])
    entities, entity_of = resolve_entities(docs, analyses, AliasRules())
    assert (entity_of[("d0", 0)] == entity_of[("d1", 0)]) is same
    assert len(entities) == (1 if same else 2)


def _with_context(names: list[str], context: list[str]) -> tuple[list[Document], list[Analysis]]:
    """One document per person name, each also naming the `context` places (hand-made mentions)."""
    docs, analyses = [], []
    for i, name in enumerate(names):
        ms = [Mention(0, len(name), name, "PERSON", name)]
        ms += [Mention(0, len(c), c, "GPE", c) for c in context]
        d = Document(id=f"d{i}", source=f"doc{i}.txt", text=name)
        docs.append(d)
        analyses.append(Analysis(doc=d.id, model="test", mentions=ms))
    return docs, analyses


@pytest.mark.parametrize(
    ("names", "context", "same"),
    [
        (["Alexis Petrakis", "Alexandros Petrakis"], ["Athens", "Greece"], True),
        (["Bill Hendry", "William Hendry"], ["Ohio", "Columbus"], True),
        (["Dan Morrow", "Daniel Morrow"], ["Ohio", "Columbus"], True),
        (["Alexis Petrakis", "Alexandros Petrakis"], [], False),  # nothing says it is one story
        (["Alexander Petrakis", "Alexandra Petrakis"], ["Athens", "Greece"], False),
        (["Dan Morrow", "Dana Morrow"], ["Ohio", "Columbus"], False),
        (["Andrew Lopez", "Kristian Lopez"], ["Brooklyn", "New York"], False),
    ],
)
def test_given_name_variants_merge_only_with_shared_context(names: list[str], context: list[str], same: bool) -> None:
    docs, analyses = _with_context(names, context)
    _, entity_of = resolve_entities(docs, analyses, AliasRules())
    assert (entity_of[("d0", 0)] == entity_of[("d1", 0)]) is same


def test_given_name_variants_in_one_article_are_two_people() -> None:
    docs, analyses = _with_context(["Alexis Petrakis", "Alexandros Petrakis"], ["Athens", "Greece"])
    both = [*analyses[0].mentions, Mention(0, 19, "Alexandros Petrakis", "PERSON", "Alexandros Petrakis")]
    analyses = [Analysis(doc="d0", model="test", mentions=both), analyses[1]]
    _, entity_of = resolve_entities(docs, analyses, AliasRules())
    assert entity_of[("d0", 0)] != entity_of[("d0", 3)]


def test_given_name_variant_is_not_merged_when_the_surname_has_a_third_bearer() -> None:
    docs, analyses = _with_context(["Alexis Petrakis", "Alexandros Petrakis", "Nikos Petrakis"], ["Athens", "Greece"])
    _, entity_of = resolve_entities(docs, analyses, AliasRules())
    assert len({entity_of[(f"d{i}", 0)] for i in range(3)}) == 3


@pytest.mark.parametrize(("a", "b"), [("bill", "viliam"), ("dan", "daniel"), ("chris", "christopher")])
def test_given_names_compatible(a: str, b: str) -> None:
    assert given_names_compatible(a, b, load_lexicon())


@pytest.mark.parametrize(("a", "b"), [("chris", "christina"), ("dan", "danielle"), ("jon", "jo"), ("mark", "marko")])
def test_given_names_incompatible(a: str, b: str) -> None:
    assert not given_names_compatible(a, b, load_lexicon())
