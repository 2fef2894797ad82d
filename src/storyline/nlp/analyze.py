"""Parse documents once (``nlp.pipe`` in batches) and run every extractor on that parse."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from storyline.model import Analysis, Document
from storyline.nlp.entities import extract_mentions
from storyline.nlp.events import find_events
from storyline.nlp.quotes import find_quotes
from storyline.nlp.timex import find_timexes


def _extractor_version() -> str:
    """A digest of the extractors' code and data: any change to them redoes stored analyses."""
    here = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=6)
    for path in sorted([*here.glob("*.py"), *(here / "data").glob("*")]):
        if path.is_file():
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


ANALYSIS_VERSION = _extractor_version()


def analyze_parsed(sdoc: Doc, document: Document, model_name: str) -> Analysis:
    """All extractors over one parse: a pure function of the parse and the document."""
    mentions = extract_mentions(sdoc)
    timexes = find_timexes(sdoc, document.published)
    quotes = find_quotes(sdoc, mentions)
    events = find_events(sdoc, mentions, timexes, quotes, document.published)
    return Analysis(
        doc=document.id,
        model=model_name,
        mentions=mentions,
        timexes=timexes,
        quotes=quotes,
        events=events,
        sentences=[(s.start_char, s.end_char) for s in sdoc.sents],
    )


def analyze_documents(
    documents: Iterable[Document], nlp: Language, model_name: str, batch_size: int = 32, workers: int = 1
) -> Iterator[Analysis]:
    """Parse with ``nlp.pipe`` in batches and yield one Analysis per document, in order."""
    pairs = ((d.text, d) for d in documents)
    for sdoc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=workers):
        yield analyze_parsed(sdoc, document, model_name)
