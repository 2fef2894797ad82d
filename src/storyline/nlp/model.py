"""Load a spaCy pipeline: the one place that knows which model storyline uses.

Every pipeline gets one small component of ours before its parser: ``storyline_line_breaks``
starts a sentence after a line break that ends a line, so a headline, a dateline or a caption
is never glued to the sentence below it for every extractor that reads the parse.

Its ``pipe`` parses a long text in pieces (see :func:`text_pieces`) and joins their parses into
one Doc of the whole text, so no text is refused for length (spaCy's E088) and every offset
still points into the document's own text.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from types import MethodType
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from storyline.config import DEFAULT_MODEL
from storyline.errors import ModelNotInstalled

__all__ = ["DEFAULT_MODEL", "ModelNotInstalled", "load_pipeline", "model_fingerprint", "text_pieces"]
LINE_BREAKS = "storyline_line_breaks"
# A text longer than this is parsed in pieces of at most this many characters, cut at a paragraph
# break, else a line break, a sentence end or a space. Far below spaCy's max_length (1,000,000),
# which guards the parser's memory, and far above any news article (the seeds and the evaluation
# sets have none over 40,000), whose parse is therefore never cut.
PIECE_CHARS = 100_000

# A document is hard-wrapped (its single line breaks are mostly inside sentences) when at least
# this many of its lines run on into a next line that starts in lower case. Two: one such line is
# a slip (a glued caption, a lower-case brand); the seeds and the events, meantime and aebtext sets,
# written one paragraph or sentence a line, have at most one.
HARD_WRAP_MIN_CONTINUATIONS = 2
_SENTENCE_END = frozenset(".!?:;\"'”’)]…")
_RUNS_ON = frozenset({",", "-", "–", "—", "(", "/", "&"})


def _next_word(doc: Doc, i: int) -> Token | None:
    while i < len(doc) and doc[i].is_space:
        i += 1
    return doc[i] if i < len(doc) else None


def _prev_word(doc: Doc, i: int) -> Token | None:
    while i >= 0 and doc[i].is_space:
        i -= 1
    return doc[i] if i >= 0 else None


def _continues(prev: Token, nxt: Token) -> bool:
    """The next line carries on the sentence: it starts in lower case, or this line ends on a comma."""
    return prev.text in _RUNS_ON or (nxt.text[:1].islower() and prev.text[-1:] not in _SENTENCE_END)


def line_break_starts(doc: Doc) -> list[int]:
    """Indices of the tokens that start a line which is not the rest of the sentence above.

    A blank line always ends a sentence. A single line break does unless the next line carries
    on the sentence (lower-case start, a comma or dash before it), or, in a hard-wrapped document,
    the line does not end on a sentence's final punctuation.
    """
    breaks: list[tuple[int, int, bool, bool]] = []  # (next word, line breaks, runs on, line ends a sentence)
    for t in doc:
        if not (t.is_space and "\n" in t.text):
            continue
        prev, nxt = _prev_word(doc, t.i - 1), _next_word(doc, t.i + 1)
        if prev is None or nxt is None or (breaks and breaks[-1][0] == nxt.i):
            continue
        breaks.append((nxt.i, t.text.count("\n"), _continues(prev, nxt), prev.text[-1:] in _SENTENCE_END))
    wrapped = sum(1 for _, n, runs_on, _ in breaks if n == 1 and runs_on) >= HARD_WRAP_MIN_CONTINUATIONS
    starts = []
    for i, n, runs_on, ends in breaks:
        if n > 1 or not (runs_on or (wrapped and not ends)):
            starts.append(i)
    return starts


@Language.component(LINE_BREAKS)
def line_breaks(doc: Doc) -> Doc:
    """Mark the sentence starts :func:`line_break_starts` finds; the parser keeps them."""
    for i in line_break_starts(doc):
        doc[i].is_sent_start = True
    return doc


def add_line_breaks(nlp: Language) -> Language:
    """Add the line-break component before the parser (or sentence recogniser), once."""
    if LINE_BREAKS in nlp.pipe_names:
        return nlp
    before = next((p for p in ("parser", "senter", "sentencizer") if p in nlp.pipe_names), None)
    if before is not None:
        nlp.add_pipe(LINE_BREAKS, before=before)
    else:
        nlp.add_pipe(LINE_BREAKS, first=True)
    return nlp


def text_pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` spans that cover ``text`` in order, each at most ``size`` characters.

    Each piece ends after the latest paragraph break past its window's middle, failing that the latest
    line break, sentence end (". ") or space past it, else at ``size`` (a text with no space at all).
    The empty text is one empty piece.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        lo, hi = start + size // 2, start + size
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            at = text.rfind(sep, lo, hi - len(sep) + 1)
            if at >= 0:
                cut = at + len(sep)
                break
        if cut < 0:
            cut = hi
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _pipe_in_pieces(self: Language, texts: Iterable[Any], *, as_tuples: bool = False, **kwargs: Any) -> Iterator[Any]:
    """``Language.pipe`` for texts of any length: long ones parsed in pieces, then joined."""
    size = min(PIECE_CHARS, self.max_length)
    items = texts if as_tuples else ((t, None) for t in texts)
    pending: deque[tuple[Any, int]] = deque()  # (context, number of pieces) per text, in order

    def pieces() -> Iterator[str]:
        for text, context in items:
            spans = text_pieces(text, size)
            pending.append((context, len(spans)))
            for a, b in spans:
                yield text[a:b]

    parts: list[Doc] = []
    for doc in Language.pipe(self, pieces(), **kwargs):
        parts.append(doc)
        context, count = pending[0]
        if len(parts) < count:
            continue
        pending.popleft()
        whole = parts[0] if count == 1 else Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])
        parts = []
        yield (whole, context) if as_tuples else whole


def _not_installed(name: str) -> ModelNotInstalled:
    return ModelNotInstalled(
        f"spaCy model {name!r} is not installed: install its package (pip install ...), "
        f"or use the default {DEFAULT_MODEL!r}"
    )


def model_fingerprint(name: str | None = None) -> str:
    """What a parse depends on, as a digest: the model's name, version, language and components
    (its ``meta.json``, read without loading the model), spaCy's version, and this module (the
    line-break component and the pieces). A stored parse with another fingerprint is parsed again.

    Raises :class:`ModelNotInstalled` as :func:`load_pipeline` does.
    """
    name = name or DEFAULT_MODEL
    try:
        path = spacy.util.get_package_path(name) if spacy.util.is_package(name) else Path(name)
        meta = spacy.util.get_model_meta(path)
    except (OSError, ValueError) as exc:
        raise _not_installed(name) from exc
    h = hashlib.blake2b(digest_size=8)
    made_of = (name, meta.get("lang"), meta.get("name"), meta.get("version"), meta.get("pipeline"), spacy.__version__)
    for value in made_of:
        h.update(f"{value}\0".encode())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Load an installed spaCy pipeline by package name (``en_core_web_trf`` works too).

    Cached per process, so each worker loads its model once.
    """
    name = name or DEFAULT_MODEL
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise _not_installed(name) from exc
    nlp.pipe = MethodType(_pipe_in_pieces, nlp)  # type: ignore[method-assign]
    return add_line_breaks(nlp)
