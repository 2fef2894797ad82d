"""The data model every stage shares.

Everything storyline finds is a span of one document's clean text (``start``/``end`` are
character offsets into ``Document.text``, end exclusive) plus what was found there.
Document stages (ingest, clean, nlp) produce per-document records that refer to each other
by index within the document; the corpus stage (resolve) turns those indices into stable,
content-derived ids (entities, events, stories) that the store and the exports use.

All records are plain dataclasses so they serialise with :func:`dataclasses.asdict` and
travel between processes (a process pool, Dask workers) without a model attached.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

# --------------------------------------------------------------------------- ingest


@dataclass(slots=True)
class RawRecord:
    """One article as a reader found it, before cleaning.

    ``raw`` is the text the offsets of the clean text map back to: the file's decoded text for
    plain text, the extracted main text for HTML/JSONL/WARC/feeds (whose markup is kept in
    ``html``). ``pre_cleaned`` says a library already isolated the article body (trafilatura,
    a scraper's ``maintext``), so text cleaning only tidies it.
    """

    source: str  # file path, or "path#record" for one record of a multi-record file
    raw: str
    format: Literal["text", "html", "jsonl", "warc", "feed"]
    title: str | None = None
    published: str | None = None  # ISO date or datetime
    published_from: str | None = None  # "header", "html-meta", "url", "dateline", "record", ...
    url: str | None = None
    html: str | None = None
    pre_cleaned: bool = False
    site: str | None = None  # host name or folder: lines recurring within a site are boilerplate


@dataclass(slots=True)
class IngestError:
    """A file or record that could not be read: reported in one line, then skipped."""

    source: str
    reason: str  # in words; never an exception's type or message
    detail: str | None = None  # the internal exception behind it (traceback), shown by build --verbose only

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


# --------------------------------------------------------------------------- clean


@dataclass(slots=True)
class Removal:
    """A piece of the raw text that cleaning cut, and why (raw offsets)."""

    start: int
    end: int
    reason: str  # "navigation", "comments", "repeat", "footer", "header-line", ...


@dataclass(slots=True)
class Segment:
    """``text[clean_start:clean_start+length] == raw[raw_start:raw_start+length]``.

    The clean→raw offset map is a sorted list of these; characters of the clean text in no
    segment were inserted by cleaning (a newline that splits a glued heading).
    """

    clean_start: int
    raw_start: int
    length: int


@dataclass(slots=True)
class Cleaned:
    text: str
    segments: list[Segment]
    removed: list[Removal]
    title: str | None = None
    published: str | None = None
    published_from: str | None = None
    url: str | None = None


def raw_offset(segments: list[Segment], clean_offset: int) -> int:
    """Map a clean offset to the raw text (an inserted character maps to the next raw one)."""
    lo, hi = 0, len(segments)
    while lo < hi:  # last segment whose clean_start <= offset
        mid = (lo + hi) // 2
        if segments[mid].clean_start <= clean_offset:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return segments[0].raw_start if segments else clean_offset
    seg = segments[lo - 1]
    delta = clean_offset - seg.clean_start
    if delta <= seg.length:
        return seg.raw_start + delta
    if lo < len(segments):
        return segments[lo].raw_start
    return seg.raw_start + seg.length


# --------------------------------------------------------------------------- documents


@dataclass(slots=True)
class Document:
    id: str  # derived from the clean text: exact copies share it
    source: str
    text: str
    raw: str = ""
    format: str = "text"
    sources: list[str] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    published_from: str | None = None
    url: str | None = None
    site: str | None = None
    segments: list[Segment] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    group: str | None = None  # copy group id (near-duplicates, syndicated copies)
    group_score: float | None = None  # Jaccard with the group's first member
    # why the NLP stage leaves it alone (its text is in a script the English pipeline does not read),
    # or None: a document with a reason is stored and searchable but has no entities, quotes or events
    not_analysed: str | None = None
    # the ISO 639 code of its language as storyline.clean.language tells it ("en", "ru", …), or None
    # when the text is too short or too mixed to tell (it is then analysed as English)
    language: str | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


def content_id(prefix: str, *parts: str, length: int = 16) -> str:
    """A stable id from content, so an unchanged thing keeps its id across runs."""
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x1f")
    return f"{prefix}{h.hexdigest()[:length]}"


def document_id(clean_text: str) -> str:
    return content_id("d", " ".join(clean_text.split()))


# --------------------------------------------------------------------------- nlp (per document)

EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"]


@dataclass(slots=True)
class Mention:
    """A name in the clean text, tidied: no leading "the", no "'s", role kept apart.

    ``name`` is the form used for resolution ("North Korea" for the demonym "North Korean").
    ``antecedent`` is the index (in the document's mention list) of the full name a short form
    ("Kim", "Putin") refers to, or None when it is a full name or could not be told.
    """

    start: int
    end: int
    text: str
    label: str
    name: str
    role: str | None = None
    antecedent: int | None = None
    demonym: bool = False
    found_by: str | None = None  # None: the tagger; "corpus": a name tagged elsewhere, found here untagged


@dataclass(slots=True)
class Timex:
    """A date expression normalised to a TIMEX3 value (None when it cannot be fixed)."""

    start: int
    end: int
    text: str
    value: str | None
    kind: Literal["DATE", "DURATION", "SET", "TIME"] = "DATE"
    relative: bool = False  # value depends on the publication date


@dataclass(slots=True)
class Quote:
    """Something someone said; ``speaker`` is a mention index, None when it cannot be told."""

    start: int
    end: int
    text: str
    speaker: int | None = None
    cue: str | None = None  # the reporting verb or phrase ("said", "according to")
    direct: bool = True
    via: int | None = None  # mention index of an outlet that relays it ("TASS quoted X")
    cue_start: int | None = None
    cue_end: int | None = None


Mode = Literal["asserted", "planned", "hypothetical", "negated", "reported"]


@dataclass(slots=True)
class Event:
    """A typed event found in one sentence (PLOVER type), participants as mention indices."""

    type: str
    start: int  # evidence: the sentence
    end: int
    trigger_start: int
    trigger_end: int
    trigger: str  # lemma of the predicate
    actors: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    location: int | None = None
    timex: int | None = None  # index in the document's timexes
    date: str | None = None  # value of that timex; never the report's date
    mode: Mode = "asserted"
    source: int | None = None  # mention index of who reports it ("according to X")
    polarity: Literal["claim", "denial"] | None = None  # for contested-claim linking
    proposition: str | None = None  # lemmas of the claim's content, for contested-claim linking


@dataclass(slots=True)
class Analysis:
    """Everything the one spaCy parse of a document yields."""

    doc: str
    model: str
    mentions: list[Mention] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)


# --------------------------------------------------------------------------- corpus (resolved)


@dataclass(slots=True)
class EntityMention:
    doc: str
    start: int
    end: int
    text: str
    score: float = 1.0  # how sure the merge of this form into the entity is
    reason: str | None = None  # why the mention is in the entity when it is not its own full name


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[EntityMention] = field(default_factory=list)
    merge_scores: dict[str, float] = field(default_factory=dict)  # alias -> score
    roles: list[str] = field(default_factory=list)
    merge_reasons: dict[str, str] = field(default_factory=dict)  # alias -> why it was merged


@dataclass(slots=True)
class ResolvedQuote:
    doc: str
    start: int
    end: int
    text: str
    speaker: str | None  # entity id
    speaker_name: str | None = None
    cue: str | None = None
    direct: bool = True
    via: str | None = None  # entity id of a relaying outlet


@dataclass(slots=True)
class ResolvedEvent:
    id: str
    doc: str
    type: str
    start: int
    end: int
    trigger: str
    actors: list[str]
    targets: list[str]
    location: str | None
    date: str | None
    mode: str
    source: str | None = None
    story: str | None = None
    text: str = ""
    trigger_start: int | None = None
    trigger_end: int | None = None
    evidence: list[tuple[int, int]] = field(default_factory=list)  # every sentence of its document that tells it
    score: float = 1.0  # weakest within-document link that made it one event
    confidence: float | None = None  # how likely its type and participants are right (resolve.confidence)
    date_from: str | None = None  # when its report is undated and gave the date without a year (XXXX-07): the
    #                               day the year was read against, the latest publication date of the dated
    #                               reports it shares a story with (an inference, stated as one)


@dataclass(slots=True)
class Thread:
    """Documents that cover one real-world event or development (found from content and dates)."""

    id: str
    documents: list[str]
    start: str | None = None  # first and last publication date of its documents
    end: str | None = None
    score: float = 1.0  # lowest membership probability of a document placed in it
    terms: list[str] = field(default_factory=list)  # headline words most of its documents share


@dataclass(slots=True)
class Story:
    id: str
    date: str | None
    events: list[str]
    type: str = ""
    title: str = ""
    dates: dict[str, int] = field(default_factory=dict)  # every date its events give, counted
    date_conflict: bool = False
    sources: list[str] = field(default_factory=list)  # independent sources
    documents: list[str] = field(default_factory=list)
    score: float = 1.0  # weakest link that joined the story


@dataclass(slots=True)
class Contested:
    claim: str
    denial: str
    score: float = 1.0


@dataclass(slots=True)
class Resolution:
    """The corpus stage's output: what ``resolve`` computes from all analyses."""

    entities: list[Entity] = field(default_factory=list)
    quotes: list[ResolvedQuote] = field(default_factory=list)
    events: list[ResolvedEvent] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    contested: list[Contested] = field(default_factory=list)
    threads: list[Thread] = field(default_factory=list)
