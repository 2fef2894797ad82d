"""Corpus-level name evidence: a name the tagger found somewhere is a mention wherever it appears.

The small model finds "Zurana Horton" in one sentence and misses her in the next article; it tags
"Asia" in nine reports and not in the tenth. One sense per discourse (Gale, Church & Yarowsky 1992)
says a name keeps its reading inside a document, and news threads extend that to the corpus: a
string the tagger reads as a name *most of the times it occurs* is a name at its other occurrences
too, with the label it carries in that document (else in the corpus).

The tokens are spaCy's own: ``spacy.blank("en")`` tokens of each document's clean text (tokenising
only; no model runs again), matched against the confident names' tokens as spaCy's
:class:`~spacy.matcher.PhraseMatcher` matches them (``ORTH``: every occurrence, overlapping ones
too). A document's tokens depend only on its text and the tokenizer, so they are kept between builds
(:class:`TokenCache`, stored as offsets by the store, keyed by :data:`TOKENS_VERSION`): a build that
adds a few documents tokenises only those. A match joins the document's mentions (appended, so
indices that events and quotes hold do not move) unless it overlaps a mention or is the start or the
tail of a longer capitalised name the tagger did not find. A one-word person name found this way
points at the one full name of the document it is part of; with two candidates it stays unlinked.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.util import filter_spans

from storyline.model import Analysis, Document, Mention
from storyline.nlp.names import NameLexicon, load_lexicon, plain

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
# A string is a confident name when, in some document, the tagger took it for a name at
# MIN_DOC_SHARE of its occurrences there (case-sensitive matches), and at MIN_CORPUS_SHARE of them
# in the corpus. Chosen leave-one-topic-out (entity_resolution on each held-out topic, the value
# fitted on the others): MIN_DOC_SHARE changes nothing from 0.25 to 1.0 on any topic, so it is the
# plain "more often than not" (0.5). MIN_CORPUS_SHARE: meantime fitted on apple is flat, held-out
# stock 0.987 for any value <= 0.5 and 0.931 at 0.6; fitted on stock (<= 0.5), held-out apple 1.000;
# the four events topics are flat (0.758/0.925/1.000/0.964); the seeds need <= 0.33 ("KCNA" tagged
# in one article at 1 of its 3 occurrences). 0.3 lies inside every plateau.
MIN_DOC_SHARE = 0.5
MIN_CORPUS_SHARE = 0.3
# A label needs this share of the name's tagged mentions (in its document, else the corpus) to be
# given to an untagged occurrence; below it the evidence is split ("Ford" the person and the firm).
# Not tuned: no dev-set name reaches the split (every value 0.5-1.0 gives the same figures).
MIN_LABEL_SHARE = 0.75
MIN_LETTERS = 2  # "A" or "I" tagged as a name never propagates
# What a stored document's tokens were made by: spaCy's blank English tokenizer of this spaCy version, and
# this module's encoding of them (bump the last part when either the tokenising or the encoding changes).
TOKENS_VERSION = f"spacy-{spacy.__version__}/blank-en/1"


@dataclass(frozen=True, slots=True)
class _Name:
    """A confident name: its surface, the resolution name, and its label votes (corpus, per doc)."""

    surface: str
    name: str
    labels: Counter[str]
    per_doc: dict[str, Counter[str]]
    share: float


@lru_cache(maxsize=1)
def _blank() -> Language:
    """A tokenizer-only English pipeline (no weights): the same tokens the model's tokenizer gives."""
    import spacy

    return spacy.blank("en")


@dataclass(slots=True)
class TokenCache:
    """Documents' token offsets (:func:`encode_tokens`), kept between builds: ``stored`` holds those read
    from the store (made under :data:`TOKENS_VERSION`), ``made`` those this run had to tokenise."""

    stored: Mapping[str, bytes] = field(default_factory=dict)
    made: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Tokens:
    """One document's tokens: their texts and character offsets in its clean text."""

    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]

    def whitespace(self, i: int) -> str:
        """What follows token ``i`` before the next token (spaCy's ``whitespace_``: a space or nothing)."""
        return self.text[self.ends[i] : self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)]


@dataclass(frozen=True, slots=True)
class _Match:
    """A name's occurrence: its tokens ``start:end`` and characters ``start_char:end_char`` (a Span's fields
    :func:`~spacy.util.filter_spans` reads)."""

    label_: str
    start: int
    end: int
    start_char: int
    end_char: int


def encode_tokens(starts: list[int], ends: list[int]) -> bytes:
    """Token offsets as stored: (gap before, length) pairs, little-endian uint32, zlib-compressed."""
    pairs = array("I")
    last = 0
    for s, e in zip(starts, ends, strict=True):
        pairs.append(s - last)
        pairs.append(e - s)
        last = e
    if sys.byteorder == "big":
        pairs.byteswap()
    return zlib.compress(pairs.tobytes(), 1)


def decode_tokens(data: bytes) -> tuple[list[int], list[int]]:
    """The (starts, ends) :func:`encode_tokens` stored."""
    pairs = array("I")
    pairs.frombytes(zlib.decompress(data))
    if sys.byteorder == "big":
        pairs.byteswap()
    bounds = list(accumulate(pairs))  # start, end, start, end, ...: each a gap or a length past the last
    return bounds[0::2], bounds[1::2]


def _tokens(doc_id: str, text: str, nlp: Language, cache: TokenCache | None) -> _Tokens:
    """The document's tokens: from the cache when it has them, else tokenised (and put in ``cache.made``)."""
    data = None if cache is None else cache.stored.get(doc_id) or cache.made.get(doc_id)
    if data is not None:
        starts, ends = decode_tokens(data)
    else:
        tdoc = nlp.make_doc(text)
        starts = [t.idx for t in tdoc]
        ends = [t.idx + len(t) for t in tdoc]
        if cache is not None:
            cache.made[doc_id] = encode_tokens(starts, ends)
    return _Tokens(text, starts, ends, [text[s:e] for s, e in zip(starts, ends, strict=True)])


def _matches(toks: _Tokens, first: dict[str, list[tuple[tuple[str, ...], str]]]) -> list[_Match]:
    """Every occurrence of the patterns (by first token: the pattern's tokens and its name), as the
    PhraseMatcher finds them: each start, shorter patterns first, overlapping occurrences too."""
    words = toks.words
    out = []
    for i, w in enumerate(words):
        for pattern, label in first.get(w, ()):
            n = len(pattern)
            if n == 1 or tuple(words[i : i + n]) == pattern:
                out.append(_Match(label, i, i + n, toks.starts[i], toks.ends[i + n - 1]))
    return out


def _spacy_matches(toks: _Tokens, matcher: PhraseMatcher, nlp: Language) -> list[_Match]:
    """The PhraseMatcher's own matches over the document's tokens (when two names have the same tokens,
    their order among equal spans is the matcher's)."""
    from spacy.tokens import Doc

    spaces = [bool(toks.whitespace(i)) for i in range(len(toks.words))]
    tdoc = Doc(nlp.vocab, words=toks.words, spaces=spaces)
    return [
        _Match(sp.label_, sp.start, sp.end, toks.starts[sp.start], toks.ends[sp.end - 1])
        for sp in matcher(tdoc, as_spans=True)
    ]


def _surface(m: Mention) -> str:
    """The name as written, without an honorific the span keeps ("Mr Deng" -> "Deng")."""
    return m.name if m.name != m.text and m.text.endswith(m.name) else m.text


def _eligible(surface: str, lex: NameLexicon) -> bool:
    words = plain(surface).split()
    if sum(c.isalpha() for c in surface) < MIN_LETTERS or not words:
        return False
    if not any(w[:1].isupper() for w in surface.split()):
        return False
    kinds = ("title", "modifier", "honorific", "caption", "connector", "org_suffix")
    return not all(any(w in lex.kinds.get(k, ()) for k in kinds) for w in words)


def add_corpus_mentions(
    documents: list[Document], analyses: list[Analysis], tokens: TokenCache | None = None
) -> dict[tuple[str, int], float]:
    """Append to each analysis the untagged occurrences of the corpus's confident names.

    Returns the (document id, mention index) of every mention added, with the share of the name's
    occurrences the tagger itself found (how sure the evidence is). ``tokens``: documents' tokens kept
    from earlier runs; those tokenised here are added to its ``made`` (the result is the same either way).
    """
    lex = load_lexicon()
    text_of = {d.id: d.text for d in documents}
    nlp = _blank()
    tagged: dict[str, Counter[str]] = defaultdict(Counter)
    tagged_doc: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    name_of: dict[str, Counter[str]] = defaultdict(Counter)
    eligible: dict[str, bool] = {}  # surface -> _eligible, asked once per distinct name
    for a in analyses:
        for m in a.mentions:
            if m.label not in LABELS or m.found_by:
                continue
            s = _surface(m)
            ok = eligible.get(s)
            if ok is None:
                ok = eligible[s] = _eligible(s, lex)
            if not ok:
                continue
            label = "GPE" if m.demonym else m.label
            tagged[s][label] += 1
            tagged_doc[s][a.doc][label] += 1
            name_of[s][m.text if m.demonym else m.name] += 1
    if not tagged:
        return {}
    first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    names_of_shape: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for s in sorted(tagged):
        pattern = tuple(t.text for t in nlp.make_doc(s))
        if pattern:
            names_of_shape[pattern].append(s)
            first[pattern[0]].append((pattern, s))
    for cands in first.values():
        cands.sort(key=lambda c: len(c[0]))  # stable: names of one length stay in sorted order
    # Two names with the same tokens match the same spans; which of them comes first among equal spans
    # (what filter_spans keeps) is the PhraseMatcher's order, so a document holding one is matched by it.
    shared = {s for names in names_of_shape.values() if len(names) > 1 for s in names}
    matcher = None
    if shared:
        matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for s in sorted(tagged):
            matcher.add(s, [nlp.make_doc(s)])
    tokens_of: dict[str, _Tokens] = {}
    occurrences: Counter[str] = Counter()
    doc_occurrences: dict[str, Counter[str]] = defaultdict(Counter)
    hits: dict[str, list[_Match]] = {}
    for a in analyses:
        if a.doc not in text_of:
            continue
        toks = tokens_of[a.doc] = _tokens(a.doc, text_of[a.doc], nlp, tokens)
        spans = _matches(toks, first)
        if matcher is not None and any(sp.label_ in shared for sp in spans):
            spans = _spacy_matches(toks, matcher, nlp)
        hits[a.doc] = spans
        occurrences.update(sp.label_ for sp in spans)
        doc_occurrences[a.doc].update(sp.label_ for sp in spans)
    confident = {}
    for s, labels in tagged.items():
        n = sum(labels.values())
        share = n / max(occurrences[s], n)
        best = max(sum(c.values()) / max(doc_occurrences[d][s], 1) for d, c in tagged_doc[s].items())
        if best >= MIN_DOC_SHARE and share >= MIN_CORPUS_SHARE:
            confident[s] = _Name(s, name_of[s].most_common(1)[0][0], labels, tagged_doc[s], share)
    added: dict[tuple[str, int], float] = {}
    for a in analyses:
        if a.doc not in hits:
            continue
        toks, text = tokens_of[a.doc], text_of[a.doc]
        taken = sorted((m.start, m.end) for m in a.mentions)
        taken_starts = [s for s, _ in taken]
        reach = list(accumulate((e for _, e in taken), max))  # the furthest end of the mentions so far
        timexes = [(t.start, t.end) for t in a.timexes]
        starts = {s for s, _ in a.sentences} | {0}
        spans = filter_spans([sp for sp in hits[a.doc] if sp.label_ in confident])
        for sp in spans:
            evidence = confident[sp.label_]
            s0, e0 = sp.start_char, sp.end_char
            k = bisect_left(taken_starts, e0)  # the mentions that start before the match ends
            if k and reach[k - 1] > s0:  # one of them ends after it starts: they overlap
                continue
            if _runs_on(toks, sp, taken + timexes, starts, nlp):
                continue
            label = _label(evidence, a.doc)
            if label is None:
                continue
            m = Mention(start=s0, end=e0, text=text[s0:e0], label=label, name=evidence.name, found_by="corpus")
            if label == "GPE" and lex.demonym(m.text) is not None and lex.place(m.text) is None:
                m.name, m.demonym = lex.demonym(m.text) or m.name, True
            a.mentions.append(m)
            idx = len(a.mentions) - 1
            if label == "PERSON" and len(plain(m.name).split()) == 1:
                m.antecedent = _full_name(a.mentions, idx, lex)
            added[(a.doc, idx)] = round(evidence.share, 3)
    return added


def _label(evidence: _Name, doc: str) -> str | None:
    """The label the name carries in this document, else in the corpus, when the votes agree."""
    votes = evidence.per_doc.get(doc) or evidence.labels
    label, n = max(sorted(votes.items()), key=lambda kv: kv[1])
    return label if n / sum(votes.values()) >= MIN_LABEL_SHARE else None


def _covered(i: int, toks: _Tokens, spans: list[tuple[int, int]]) -> bool:
    idx = toks.starts[i]
    return any(s <= idx < e for s, e in spans)


def _runs_on(toks: _Tokens, sp: _Match, spans: list[tuple[int, int]], starts: set[int], nlp: Language) -> bool:
    """Is the match one piece of a longer capitalised name ("Thomas" in "Thomas Jefferson University")?

    A capitalised word right before it (not a sentence's first word, not a stop word) or right
    after it (not a stop word), on the same line and itself no mention or date, says so.
    """
    text, words = toks.text, toks.words
    for i, before in ((sp.start - 1, True), (sp.end, False)):
        if not 0 <= i < len(words):
            continue
        word, idx = words[i], toks.starts[i]
        gap = text[min(idx, sp.start_char) : max(idx, sp.end_char)]
        if "\n" in gap or not word[:1].isupper():
            continue
        lex = nlp.vocab[word]  # the token's lexical flags, as its Token would give them
        if not lex.is_alpha or lex.is_stop:
            continue
        first = idx in starts or i == 0 or "\n" in toks.whitespace(i - 1) or words[i - 1] in '.!?"\u201c'
        if before and first:
            continue
        if _covered(i, toks, spans):
            continue
        return True
    return False


def _full_name(mentions: list[Mention], i: int, lex: NameLexicon) -> int | None:
    """The one full person name of the document that a one-word name is part of (nearest mention)."""
    w = lex.fold(mentions[i].name)[0]
    keys: dict[str, list[int]] = defaultdict(list)
    for j, o in enumerate(mentions):
        if j == i or o.label != "PERSON" or o.antecedent is not None:
            continue
        words = lex.fold(o.name)
        if len(words) > 1 and w in (words[0], words[-1]):
            keys[" ".join(words)].append(j)
    if len(keys) != 1:
        return None
    js = next(iter(keys.values()))
    before = [j for j in js if mentions[j].start < mentions[i].start]
    return before[-1] if before else js[0]
