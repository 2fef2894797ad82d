"""A parse as the store keeps it: the token attributes the extractors read, as DocBin bytes.

A stored parse lets a change of extractor code or lexicons re-run the extractors without the
model; it is made again only when the model changes (:func:`storyline.nlp.model.model_fingerprint`).
"""

from __future__ import annotations

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from storyline.errors import UnreadableParse

# What the extractors read of a parse, beside the words and their spacing (ORTH and SPACY, which
# DocBin always keeps): lemma_, pos_, tag_, dep_ and head (so children, subtree, noun phrases and
# sentences), entities (ents, ent_type_) and sentence starts (a pipeline with no parser still has
# them). Lexical flags (lower_, is_stop, like_num, ...) come from the vocabulary. Left out, since no
# extractor reads them: MORPH, NORM, ENT_KB_ID, ENT_ID, the tensor and user data (DocBin's default
# attributes take 9,116 bytes an article of the demo corpus, these 7,738). tests/nlp/test_parses.py
# checks that every extractor's output from a stored parse equals its output from the parse itself.
PARSE_ATTRS = ("LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START")


def parse_to_bytes(sdoc: Doc) -> bytes:
    """The parse's :data:`PARSE_ATTRS` as the bytes of a one-document DocBin (zlib-compressed)."""
    box = DocBin(attrs=list(PARSE_ATTRS), store_user_data=False)
    box.add(sdoc)
    return box.to_bytes()


def parse_from_bytes(data: bytes, vocab: Vocab, text: str | None = None) -> Doc:
    """The parse stored by :func:`parse_to_bytes`, over ``vocab`` (the model's, for its lexical flags).

    Raises :class:`UnreadableParse` when the bytes are not one stored parse, or not a parse of
    ``text`` when a text is given.
    """
    try:
        docs = list(DocBin().from_bytes(data).get_docs(vocab))
    except Exception as exc:  # zlib, msgpack or spaCy errors: any of them means the blob is unusable
        raise UnreadableParse(f"{type(exc).__name__}: {exc}") from exc
    if len(docs) != 1:
        raise UnreadableParse(f"{len(docs)} parses where one was stored")
    if text is not None and docs[0].text != text:
        raise UnreadableParse("the stored parse is of another text")
    return docs[0]
