"""Parse documents once (``nlp.pipe`` in batches) and run every extractor on that parse."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from storyline.model import Analysis, Document
from storyline.nlp.entities import extract_mentions
from storyline.nlp.events import find_events
from storyline.nlp.quotes import find_quotes
from storyline.nlp.timex import find_timexes

ANALYSIS_VERSION = "1"  # bump when an extractor changes, so stored analyses are redone


def analyze_parsed(sdoc: Doc, document: Document, model_name: str) -> Analysis:
    """All extractors over one parse: a pure function of the parse and the document."""
    mentions = extract_mentions(sdoc)
    timexes = find_timexes(sdoc, document.published)
    quotes = find_quotes(sdoc, mentions)
    events = find_events(sdoc, mentions, timexes, quotes)
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
