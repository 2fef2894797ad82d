"""What the extractors read of a parse again and again, made once per Doc: its text and its tokens.

``Doc.text`` joins every token each time it is read, and each ``for t in doc`` or ``doc[i]`` makes
a new Token object; the four extractors read both several times over one document. :func:`view`
makes them once and hands the same ones to every caller until it is asked about another Doc.

The cache holds one entry, the last Doc asked about (and keeps it alive, so its identity cannot be
reused by another Doc). A Doc's text never changes; its tokens change only when it is
retokenized, which changes its length, so an entry whose length differs is made again.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token


@dataclass(frozen=True, slots=True)
class DocView:
    """One parse's text (``Doc.text``), tokens (``list(doc)``) and token texts, made once."""

    doc: Doc
    text: str
    tokens: tuple[Token, ...]
    words: tuple[str, ...]  # tokens[i].text


_last: DocView | None = None


def view(sdoc: Doc) -> DocView:
    """The :class:`DocView` of ``sdoc``: the cached one when ``sdoc`` was the last Doc asked about."""
    global _last
    seen = _last
    if seen is None or seen.doc is not sdoc or len(seen.tokens) != len(sdoc):
        tokens = tuple(sdoc)
        seen = DocView(sdoc, "".join(t.text_with_ws for t in tokens), tokens, tuple(t.text for t in tokens))
        _last = seen
    return seen
