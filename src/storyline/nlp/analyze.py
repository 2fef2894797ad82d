"""Parse documents once (``nlp.pipe`` in batches) and run every extractor on that parse.

A parse can be kept (:mod:`storyline.nlp.parses`) so that a change of extractor code or data
re-runs the extractors from the stored parse, without the model: :func:`parse_and_analyze`
gives each analysis with its parse's bytes, :func:`analyze_stored` runs the extractors on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from storyline.model import Analysis, Document
from storyline.nlp.docview import view
from storyline.nlp.entities import extract_mentions
from storyline.nlp.events import find_events
from storyline.nlp.parses import parse_from_bytes, parse_to_bytes
from storyline.nlp.quotes import find_quotes
from storyline.nlp.timex import find_timexes
from storyline.nlp.versions import EXTRACTORS, combined_version, extractor_versions, with_readers

# Each extractor's version (storyline.nlp.versions), and the one digest analyses are stored under:
# a change to an extractor's code or data redoes the stored analyses, from their stored parses.
EXTRACTOR_VERSIONS = extractor_versions()
ANALYSIS_VERSION = combined_version(EXTRACTOR_VERSIONS)


def analyze_parsed(
    sdoc: Doc,
    document: Document,
    model_name: str,
    *,
    earlier: Analysis | None = None,
    stale: Iterable[str] = (),
) -> Analysis:
    """All extractors over one parse: a pure function of the parse and the document.

    With ``earlier``, an analysis of this document made from this same parse, only the extractors
    in ``stale`` and those reading them run; the others' results are taken from ``earlier``.
    """
    run = set(EXTRACTORS) if earlier is None else with_readers(stale)
    old = earlier or Analysis(doc=document.id, model=model_name)
    mentions = extract_mentions(sdoc) if "entities" in run else old.mentions
    timexes = find_timexes(sdoc, document.published) if "timex" in run else old.timexes
    quotes = find_quotes(sdoc, mentions) if "quotes" in run else old.quotes
    events = find_events(sdoc, mentions, timexes, quotes, document.published) if "events" in run else old.events
    return Analysis(
        doc=document.id,
        model=model_name,
        mentions=mentions,
        timexes=timexes,
        quotes=quotes,
        events=events,
        sentences=[(s.start_char, s.end_char) for s in view(sdoc).sents],
    )


def _parsed(
    documents: Iterable[Document], nlp: Language, batch_size: int, workers: int
) -> Iterator[tuple[Doc, Document]]:
    pairs = ((d.text, d) for d in documents)
    yield from nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=workers)


def analyze_documents(
    documents: Iterable[Document], nlp: Language, model_name: str, batch_size: int = 32, workers: int = 1
) -> Iterator[Analysis]:
    """Parse with ``nlp.pipe`` in batches and yield one Analysis per document, in order."""
    for sdoc, document in _parsed(documents, nlp, batch_size, workers):
        yield analyze_parsed(sdoc, document, model_name)


def parse_and_analyze(
    documents: Iterable[Document], nlp: Language, model_name: str, batch_size: int = 32, workers: int = 1
) -> Iterator[tuple[Analysis, bytes]]:
    """As :func:`analyze_documents`, each Analysis with its parse as stored (:func:`parse_to_bytes`)."""
    for sdoc, document in _parsed(documents, nlp, batch_size, workers):
        yield analyze_parsed(sdoc, document, model_name), parse_to_bytes(sdoc)


def analyze_stored(
    data: bytes,
    document: Document,
    vocab: Vocab,
    model_name: str,
    *,
    earlier: Analysis | None = None,
    stale: Iterable[str] = (),
) -> Analysis:
    """The extractors over a stored parse of ``document`` (no model runs): all of them, or, with
    ``earlier`` (made from this parse), those in ``stale`` and their readers (:func:`analyze_parsed`).

    Raises :class:`storyline.errors.UnreadableParse` when ``data`` is not a parse of its text.
    """
    sdoc = parse_from_bytes(data, vocab, document.text)
    return analyze_parsed(sdoc, document, model_name, earlier=earlier, stale=stale)
