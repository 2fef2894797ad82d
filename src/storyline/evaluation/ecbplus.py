"""Reader for the ECB+ event-coreference corpus (Cybulska & Vossen 2014) as released.

Layout under the corpus root (the ``ecbplus`` folder): ``xml/<topic>/<topic>_<n>ecb.xml`` and
``<topic>_<n>ecbplus.xml``, and ``ECBplus_coreference_sentences.csv``. Each XML file holds the article's
``<token t_id sentence number>`` elements, then ``<Markables>`` and ``<Relations>``:

* a markable with ``token_anchor`` children is a *mention*; its tag is its kind;
* a markable without anchors is an *instance* (the real-world thing), with ``TAG_DESCRIPTOR`` and, for
  cross-document ones, ``instance_id``;
* ``CROSS_DOC_COREF`` links source mentions to an instance markable; its ``note`` is the instance id (equal
  to the target's ``instance_id`` in every file of the release);
* ``INTRA_DOC_COREF`` links source mentions to an instance markable that has no ``instance_id`` (often an
  ``UNKNOWN_INSTANCE_TAG`` with an empty descriptor): a chain local to the document.

No mention is the source of more than one relation in the release; should one be, the cross-document link
wins.

Sentence numbering, checked on the 17 topics shipped here (397 files): the XML ``sentence`` attribute starts
at 0 and runs 0..n-1 without gaps in *both* halves, and the CSV's ``Sentence Number`` is that same attribute,
with no offset in either half. What differs between the halves is the content of sentence 0: in every
``ecbplus`` file it is the article's URL (tokenised as ``http : / / www . ...``), which the CSV never lists,
while in ``ecb`` files sentence 0 is the first sentence of the text and is listed for most of them. The
alignment was checked by counting event mentions linked by ``CROSS_DOC_COREF``: with the numbers taken as
they are, 95% of the linked ``ecb`` mentions fall in listed sentences (against 24% and 27% with the numbers
shifted by -1 or +1), and in ``ecbplus`` 58% (against 23% and 13%); every (file, sentence) pair of the CSV
exists in the XML.

Mention kinds found (with anchors): events ``ACTION_OCCURRENCE``, ``ACTION_STATE``, ``ACTION_REPORTING``,
``ACTION_ASPECTUAL``, ``ACTION_CAUSATIVE``, ``ACTION_PERCEPTION``, ``ACTION_GENERIC`` and their negated
``NEG_ACTION_*`` forms (OCCURRENCE, STATE, REPORTING, ASPECTUAL, CAUSATIVE, PERCEPTION); times ``TIME_DATE``,
``TIME_OF_THE_DAY``, ``TIME_DURATION``, ``TIME_REPETITION``; locations ``LOC_GEO``, ``LOC_FAC``,
``LOC_OTHER``; participants ``HUMAN_PART_PER``, ``HUMAN_PART_ORG``, ``HUMAN_PART_GPE``,
``HUMAN_PART_GENERIC``, ``HUMAN_PART_MET``, ``HUMAN_PART_VEH``, ``HUMAN_PART``, ``NON_HUMAN_PART``,
``NON_HUMAN_PART_GENERIC``. ``UNKNOWN_INSTANCE_TAG`` occurs only as an instance, never as a mention.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "COREF_SENTENCES_CSV",
    "EcbDocument",
    "EcbMention",
    "event_mentions",
    "gold_clusters",
    "is_event",
    "read_corpus",
    "read_document",
    "selected_sentences",
]

COREF_SENTENCES_CSV = "ECBplus_coreference_sentences.csv"
"""File name, under the corpus root, of the list of sentences whose annotation is complete."""

EVENT_PREFIXES = ("ACTION_", "NEG_ACTION_")
"""Markable tags that start with one of these are event (action) mentions."""

_STEM = re.compile(r"^(?P<topic>\d+)_(?P<number>\d+)(?P<half>ecbplus|ecb)$")


@dataclass(slots=True)
class EcbMention:
    """One annotated markable with token anchors (an event, time, location or participant mention)."""

    id: str  # "<doc>#<m_id>", unique in the corpus
    doc: str  # file stem, e.g. "1_10ecbplus"
    topic: str  # "1"
    half: str  # "ecb" or "ecbplus"
    sentence: int  # XML sentence number of the first anchored token
    kind: str  # the markable tag, e.g. "ACTION_OCCURRENCE"
    start: int  # character offset into EcbDocument.text of the first anchored token
    end: int  # end (exclusive) of the last anchored token
    text: str  # EcbDocument.text[start:end]
    instance: str  # gold chain id: cross-doc instance id, "INTRA:<doc>#<m_id>", or "SINGLETON:<id>"
    m_id: str = ""  # the markable's m_id in its file
    token_ids: tuple[int, ...] = ()  # the anchored t_ids in text order (may be discontinuous)
    descriptor: str = ""  # TAG_DESCRIPTOR of the linked instance markable, "" for singletons


@dataclass(slots=True)
class EcbDocument:
    """One ECB+ file: its text rebuilt from the tokens, with exact offsets, and all its mentions."""

    name: str  # file stem, e.g. "1_10ecbplus"
    topic: str
    half: str
    text: str  # one sentence per line, lightly detokenised
    sentences: list[tuple[int, int]]  # (start, end) of each sentence in text, in text order
    sentence_numbers: list[int]  # XML sentence number of each entry of `sentences`
    tokens: list[tuple[int, int, int]]  # (t_id, start, end) of each token, in text order
    mentions: list[EcbMention]  # every markable with token anchors, in text order
    sentence_index: dict[int, int] = field(default_factory=dict)  # XML sentence number -> index in `sentences`
    number: int = 0  # the document number within its topic and half ("1_10ecbplus" -> 10)

    def sentence_text(self, number: int) -> str:
        """The text of the sentence with XML number `number` (KeyError if the document has none)."""
        start, end = self.sentences[self.sentence_index[number]]
        return self.text[start:end]


def parse_stem(stem: str) -> tuple[str, int, str]:
    """Split a file stem ``<topic>_<n><half>`` into (topic, n, half); ValueError if it is not one."""
    match = _STEM.match(stem)
    if match is None:
        raise ValueError(f"not an ECB+ document name: {stem!r}")
    return match["topic"], int(match["number"]), match["half"]


# --- detokenisation -----------------------------------------------------------------------------

_NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "''", "”", "'", "’"})
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "``", "“", "‘"})
_CLITICS = frozenset({"'s", "'re", "'ve", "'ll", "'d", "'m", "n't", "’s", "’re", "’ve", "’ll", "’d", "’m", "n’t"})
_APOSTROPHE_TAILS = frozenset({"s", "t", "re", "ve", "ll", "d", "m"})


def _is_url_sentence(words: list[str]) -> bool:
    return len(words) >= 2 and words[0].lower() in {"http", "https"} and words[1] == ":"


def _join_sentence(words: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join one sentence's tokens; return the text and each token's (start, end) in it.

    A URL sentence (``http : / / ...``) is glued back without spaces. Otherwise tokens are separated by one
    space except: none before closing punctuation and clitics (``, . ; : ! ? % ) '' ” ' ’ 's n't``...), none
    after opening brackets, ``$`` and opening quotes (`````, ``“``, ``‘``, and a bare ``"`` that opens a
    quotation, told by parity within the sentence), none around an apostrophe token split out of a word
    (``AMD ’ s`` -> ``AMD’s``, ``don ’ t`` -> ``don’t``).
    """
    glue_all = _is_url_sentence(words)
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    quote_open = False  # inside a quotation opened by a bare or attached '"'
    glue_next = False  # the previous token asked for no space after it
    for i, word in enumerate(words):
        space = bool(parts) and not glue_all and not glue_next
        glue_next = False
        if word == '"':
            if quote_open:
                space = False
            else:
                glue_next = True
            quote_open = not quote_open
        else:
            if word.startswith('"') and not word.endswith('"'):
                quote_open = True
            elif word.endswith('"') and not word.startswith('"'):
                quote_open = False
            if word in _NO_SPACE_BEFORE or word.lower() in _CLITICS:
                space = False
            if word in _NO_SPACE_AFTER:
                glue_next = True
            if (
                word in {"'", "’"}
                and i > 0
                and words[i - 1][-1:].isalnum()
                and i + 1 < len(words)
                and words[i + 1].lower() in _APOSTROPHE_TAILS
            ):
                glue_next = True
        if space:
            parts.append(" ")
            pos += 1
        parts.append(word)
        offsets.append((pos, pos + len(word)))
        pos += len(word)
    return "".join(parts), offsets


# --- reading ------------------------------------------------------------------------------------


def read_document(path: Path) -> EcbDocument:
    """Read one ECB+ XML file into an :class:`EcbDocument`.

    The text is the tokens joined back (see ``_join_sentence``), one sentence per line in the order the
    sentences first appear; every token's (start, end) is exact: ``text[start:end]`` is the token as in the
    XML. Each mention spans its first to its last anchored token; its ``instance`` is the cross-document
    instance id if a ``CROSS_DOC_COREF`` names it as a source, else ``INTRA:<doc>#<target m_id>`` if an
    ``INTRA_DOC_COREF`` does, else ``SINGLETON:<mention id>``.
    """
    path = Path(path)
    stem = path.stem
    topic, number, half = parse_stem(stem)
    root = ET.parse(path).getroot()

    # Tokens grouped by sentence, keeping the order of first appearance.
    by_sentence: dict[int, list[tuple[int, str]]] = {}
    for tok in root.iter("token"):
        by_sentence.setdefault(int(tok.get("sentence", "0")), []).append((int(tok.get("t_id", "0")), tok.text or ""))

    pieces: list[str] = []
    sentences: list[tuple[int, int]] = []
    sentence_numbers: list[int] = []
    tokens: list[tuple[int, int, int]] = []
    token_pos: dict[int, tuple[int, int, int]] = {}  # t_id -> (index in tokens, start, end)
    token_sentence: dict[int, int] = {}
    offset = 0
    for sent_no, sent_tokens in by_sentence.items():
        if pieces:
            pieces.append("\n")
            offset += 1
        line, spans = _join_sentence([word for _, word in sent_tokens])
        for (t_id, _), (start, end) in zip(sent_tokens, spans, strict=True):
            token_pos[t_id] = (len(tokens), offset + start, offset + end)
            token_sentence[t_id] = sent_no
            tokens.append((t_id, offset + start, offset + end))
        sentences.append((offset, offset + len(line)))
        sentence_numbers.append(sent_no)
        pieces.append(line)
        offset += len(line)
    text = "".join(pieces)

    # Markables: anchored ones are mentions, the others instances.
    anchored: dict[str, tuple[str, list[int]]] = {}
    instances: dict[str, ET.Element] = {}
    markables = root.find("Markables")
    for mark in markables if markables is not None else ():
        m_id = mark.get("m_id", "")
        anchors = [int(a.get("t_id", "0")) for a in mark.iter("token_anchor")]
        anchors = [t for t in anchors if t in token_pos]
        if anchors:
            anchored[m_id] = (mark.tag, sorted(anchors, key=lambda t: token_pos[t][0]))
        else:
            instances[m_id] = mark

    chain: dict[str, tuple[str, str]] = {}  # mention m_id -> (instance, descriptor)
    relations = root.find("Relations")
    rels = list(relations) if relations is not None else []
    for rel in sorted(rels, key=lambda r: r.tag != "CROSS_DOC_COREF"):  # cross-doc links first: they win
        target = rel.find("target")
        target_id = target.get("m_id", "") if target is not None else ""
        inst = instances.get(target_id)
        descriptor = inst.get("TAG_DESCRIPTOR", "") if inst is not None else ""
        if rel.tag == "CROSS_DOC_COREF":
            instance = (inst.get("instance_id") if inst is not None else None) or rel.get("note") or ""
            if not instance:
                instance = f"INTRA:{stem}#{target_id}"
        elif rel.tag == "INTRA_DOC_COREF":
            instance = f"INTRA:{stem}#{target_id}"
        else:
            continue
        for src in rel.iter("source"):
            chain.setdefault(src.get("m_id", ""), (instance, descriptor))

    mentions: list[EcbMention] = []
    for m_id, (kind, anchors) in anchored.items():
        start = token_pos[anchors[0]][1]
        end = token_pos[anchors[-1]][2]
        mention_id = f"{stem}#{m_id}"
        instance, descriptor = chain.get(m_id, (f"SINGLETON:{mention_id}", ""))
        mentions.append(
            EcbMention(
                id=mention_id,
                doc=stem,
                topic=topic,
                half=half,
                sentence=token_sentence[anchors[0]],
                kind=kind,
                start=start,
                end=end,
                text=text[start:end],
                instance=instance,
                m_id=m_id,
                token_ids=tuple(anchors),
                descriptor=descriptor,
            )
        )
    mentions.sort(key=lambda m: (m.start, m.end, m.id))

    return EcbDocument(
        name=stem,
        topic=topic,
        half=half,
        text=text,
        sentences=sentences,
        sentence_numbers=sentence_numbers,
        tokens=tokens,
        mentions=mentions,
        sentence_index={n: i for i, n in enumerate(sentence_numbers)},
        number=number,
    )


def _sort_key(stem: str) -> tuple[int, str, int]:
    topic, number, half = parse_stem(stem)
    return int(topic), half, number


def read_corpus(root: Path, topics: Iterable[str] | None = None) -> list[EcbDocument]:
    """Read every ``xml/<topic>/*.xml`` under the corpus root (only the given topics, if any).

    Documents are sorted by (topic as a number, half with ``ecb`` before ``ecbplus``, document number).
    Files whose name is not ``<topic>_<n>ecb[plus].xml`` are ignored.
    """
    xml_root = Path(root) / "xml"
    wanted = {str(t) for t in topics} if topics is not None else None
    paths: list[Path] = []
    for topic_dir in xml_root.iterdir():
        if not topic_dir.is_dir() or (wanted is not None and topic_dir.name not in wanted):
            continue
        paths.extend(p for p in topic_dir.glob("*.xml") if _STEM.match(p.stem))
    paths.sort(key=lambda p: _sort_key(p.stem))
    return [read_document(p) for p in paths]


def selected_sentences(root: Path) -> set[tuple[str, int]]:
    """The (doc stem, XML sentence number) pairs listed in ``ECBplus_coreference_sentences.csv``.

    The CSV's ``Topic`` and ``File`` make the stem (``1`` and ``10ecbplus`` -> ``1_10ecbplus``); its
    ``Sentence Number`` is the XML ``sentence`` attribute unchanged (see the module docstring).
    """
    selected: set[tuple[str, int]] = set()
    with (Path(root) / COREF_SENTENCES_CSV).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            topic, name, number = (row.get(k, "").strip() for k in ("Topic", "File", "Sentence Number"))
            if topic and name and number:
                selected.add((f"{topic}_{name}", int(number)))
    return selected


def is_event(m: EcbMention) -> bool:
    """True for event (action) mentions: kinds ``ACTION_*`` and ``NEG_ACTION_*`` (see the module docstring)."""
    return m.kind.startswith(EVENT_PREFIXES)


def event_mentions(docs: Iterable[EcbDocument], selected: set[tuple[str, int]] | None = None) -> list[EcbMention]:
    """The event mentions of `docs` in document then text order; only those in `selected` sentences if given."""
    return [
        m for doc in docs for m in doc.mentions if is_event(m) and (selected is None or (m.doc, m.sentence) in selected)
    ]


def gold_clusters(mentions: Iterable[EcbMention]) -> list[set[Hashable]]:
    """The gold clustering of `mentions`: their ids grouped by ``instance``, in order of first appearance."""
    clusters: dict[str, set[Hashable]] = {}
    for m in mentions:
        clusters.setdefault(m.instance, set()).add(m.id)
    return list(clusters.values())
