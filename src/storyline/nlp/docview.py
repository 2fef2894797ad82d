"""What the extractors read of a parse again and again, made once per Doc: its text, tokens, sentences.

``Doc.text`` joins every token each time it is read, and each ``for t in doc`` or ``doc[i]`` makes
a new Token object (``doc.sents`` new Spans); the four extractors read them several times over one
document. :func:`view`
makes them once and hands the same ones to every caller until it is asked about another Doc.

The cache holds one entry, the last Doc asked about (and keeps it alive, so its identity cannot be
reused by another Doc). No extractor changes a parse: a view is of the Doc as it was when first
asked about. A Doc's text never changes; a retokenized Doc has another length, and an entry whose
length differs is made again; sentence starts set by hand after a view was made are not seen.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token


class DocView:
    """One parse's text (``Doc.text``), tokens (``tuple(doc)``), token texts and, when first asked
    for, sentences (``tuple(doc.sents)``), each made once."""

    __slots__ = ("_sents", "doc", "text", "tokens", "words")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.tokens: tuple[Token, ...] = tuple(doc)
        self.text = "".join(t.text_with_ws for t in self.tokens)
        self.words: tuple[str, ...] = tuple(t.text for t in self.tokens)  # tokens[i].text
        self._sents: tuple[Span, ...] | None = None

    @property
    def sents(self) -> tuple[Span, ...]:
        """``tuple(doc.sents)``, made when first read (it raises as ``Doc.sents`` does on a Doc with no
        sentence boundaries)."""
        if self._sents is None:
            self._sents = tuple(self.doc.sents)
        return self._sents


_last: DocView | None = None


def view(sdoc: Doc) -> DocView:
    """The :class:`DocView` of ``sdoc``: the cached one when ``sdoc`` was the last Doc asked about."""
    global _last
    seen = _last
    if seen is None or seen.doc is not sdoc or len(seen.tokens) != len(sdoc):
        seen = _last = DocView(sdoc)
    return seen
