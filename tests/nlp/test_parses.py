"""Stored parses: every extractor reads the same from the stored bytes as from the parse itself."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest
from spacy.language import Language

from storyline.config import BuildConfig
from storyline.errors import UnreadableParse
from storyline.model import Document
from storyline.nlp.analyze import analyze_parsed, analyze_stored, parse_and_analyze
from storyline.nlp.parses import PARSE_ATTRS, parse_from_bytes, parse_to_bytes
from storyline.pipeline import build
from storyline.store import Store


@pytest.fixture(scope="module")
def demo_documents(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> list[Document]:
    with Store(tmp_path_factory.mktemp("parses") / "s.db") as store:
        build([demo_corpus], store, BuildConfig(analyse=False))
        return store.documents(with_raw=False)


def test_every_extractor_reads_the_same_from_a_stored_parse(nlp: Language, demo_documents: list[Document]) -> None:
    for (sdoc, document), (analysis, data) in zip(
        nlp.pipe(((d.text, d) for d in demo_documents), as_tuples=True),
        parse_and_analyze(demo_documents, nlp, "m"),
        strict=True,
    ):
        assert analysis == analyze_parsed(sdoc, document, "m")
        again = analyze_stored(data, document, nlp.vocab, "m")
        assert asdict(again) == asdict(analysis)
        assert again.mentions and again.sentences


def test_a_stored_parse_keeps_only_what_the_extractors_read(nlp: Language) -> None:
    sdoc = nlp("Sergei Shoigu met Kim Jong Un in Pyongyang on Wednesday. They talked.")
    back = parse_from_bytes(parse_to_bytes(sdoc), nlp.vocab, sdoc.text)
    assert [(t.text, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in back] == [
        (t.text, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in sdoc
    ]
    assert [s.text for s in back.sents] == [s.text for s in sdoc.sents]
    assert not back.has_annotation("MORPH") and sdoc.has_annotation("MORPH")
    assert "MORPH" not in PARSE_ATTRS


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b"",
        lambda b: b"not a parse at all",
        lambda b: b[: len(b) // 2],
        lambda b: b[:20] + bytes(255 - x for x in b[20:]),
    ],
    ids=["empty", "junk", "truncated", "flipped"],
)
def test_a_damaged_parse_is_unreadable_not_a_crash(nlp: Language, damage) -> None:
    data = parse_to_bytes(nlp("Kim met Putin."))
    with pytest.raises(UnreadableParse):
        parse_from_bytes(damage(data), nlp.vocab, "Kim met Putin.")


def test_a_parse_of_another_text_is_unreadable(nlp: Language) -> None:
    data = parse_to_bytes(nlp("Kim met Putin."))
    with pytest.raises(UnreadableParse, match="another text"):
        parse_from_bytes(data, nlp.vocab, "Putin met Kim.")


def test_the_store_writes_an_analysis_as_asdict_would(nlp: Language, demo_documents: list[Document]) -> None:
    import json

    from storyline.store.db import _plain

    analyses = [a for a, _ in parse_and_analyze(demo_documents, nlp, "m")]
    assert any(a.events and a.quotes and a.timexes for a in analyses)  # nested dataclasses, tuples, lists
    for a in analyses:
        assert json.dumps(_plain(a)) == json.dumps(asdict(a))
        assert _plain(a) == asdict(a)
