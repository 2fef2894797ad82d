"""The per-Doc view the extractors share: what Doc gives, made once, for the Doc asked about."""

from __future__ import annotations

from spacy.language import Language

from storyline.nlp.docview import view


def test_a_view_holds_what_the_doc_gives(nlp: Language) -> None:
    doc = nlp("Kim Jong Un met Vladimir Putin on Wednesday.\n\nThe Kremlin said the talks went well.")
    v = view(doc)
    assert v.text == doc.text
    assert v.tokens == tuple(doc)
    assert v.words == tuple(t.text for t in doc)
    assert [(s.start, s.end) for s in v.sents] == [(s.start, s.end) for s in doc.sents]


def test_the_same_doc_gets_the_same_view_and_another_doc_its_own(nlp: Language) -> None:
    a, b = nlp("Putin spoke."), nlp("Kim listened to him.")
    va = view(a)
    assert view(a) is va
    vb = view(b)
    assert vb is not va and vb.text == b.text
    assert view(a) is not va and view(a).text == a.text  # one entry: made again, alike


def test_a_retokenized_doc_gets_a_new_view(nlp: Language) -> None:
    doc = nlp("Vladimir Putin spoke in Moscow.")
    before = view(doc)
    with doc.retokenize() as retok:
        retok.merge(doc[0:2])
    after = view(doc)
    assert after is not before
    assert after.tokens == tuple(doc) and after.words[0] == "Vladimir Putin" and after.text == doc.text
