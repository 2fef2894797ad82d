"""Direct and indirect quotes with their speakers.

Two passes, both linear in the document:

1. :func:`find_quote_spans` pairs quotation marks in the plain text (straight, curly, single,
   guillemets), tolerating what news text does to them: a closing mark that never comes (the quote
   ends with its paragraph), a quote running over paragraphs (a paragraph left open continues into
   the next one when that one opens with a quote mark), a lost opening mark (``…command," X said``).
2. :func:`find_quotes` reads the one spaCy parse to attribute each quote: the reporting verb that
   governs it or stands beside it (``"…," he said`` / ``X said: "…"`` / ``X said that … "…"``),
   ``according to X``, ``TASS quoted X as saying``, ``"X said that …," TASS reported``; pronoun
   speakers go to the last compatible person; a quote with no cue of its own continues the quote
   just before it. Clausal complements of reporting verbs are kept as indirect speech.

The cue words live in ``data/reporting_verbs.tsv`` and ``data/gender_cues.tsv``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from spacy.tokens import Doc, Span, Token

from storyline.model import Mention, Quote
from storyline.nlp.docview import view
from storyline.nlp.gender import gender_cues, gender_of

DATA = Path(__file__).resolve().parent / "data"

# A quote with no reporting cue of its own or inherited, of at most this many words, is a scare
# quote or a title ('a so-called "framework agreement"'), not speech: dropped. Tuned on the seeds:
# the unattributed quoted phrases there are 2-4 words, the shortest attributed fragment 3 words
# ("in one trench", which a reporting verb governs and so is kept).
SCARE_MAX_WORDS = 4
# How far up the dependency tree a reporting verb may govern a quoted fragment
# ("KCNA said Kim ... reached a consensus on “matters ...”" is five steps). Set by hand.
MAX_GOVERN_HOPS = 8
# Pronoun speakers: sentences searched back for a subject before settling for any person. Set by hand.
PRONOUN_WINDOW_SENTENCES = 3
# "It said": an organisation subject at most this many sentences back, else no speaker.
IT_WINDOW_SENTENCES = 2
# A quote left open at a line's end runs on when one of the next this-many lines closes it before
# anything opens (texts with one sentence a line). Set by hand on the events dev set's articles.
MAX_RUNON_PARAGRAPHS = 3
# '"…," said Uralsib analyst Chris Weafer': how far after a subjectless verb its speaker may be named.
NAME_AFTER_TOKENS = 6
# A quote in title case of at most this many words is a name (a book, a product, a nickname).
# Set by hand: the longest book title in the dev sets' quotes is 10 words.
TITLE_MAX_WORDS = 12
_TITLE_SMALL_WORDS = frozenset(
    "a an the of and or nor but in on at to for with by from as vs de del la le von van".split()
)
# Indirect speech shorter than this (tokens) is not worth keeping ("he said so").
MIN_INDIRECT_TOKENS = 4
# Indirect speech that is mostly a direct quote already found is not repeated.
MAX_DIRECT_SHARE = 0.5

SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_LABEL_RANK = {"PERSON": 0, "ORG": 1, "GPE": 2, "NORP": 2}
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_CLIMB_FOR_SUBJECT = frozenset({"conj", "xcomp", "advcl"})
_PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}

# --------------------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class Cue:
    """One row of ``reporting_verbs.tsv``."""

    cue: str
    kind: str  # verb | relay | prep | naming
    direct: bool
    indirect: bool

    @property
    def particle(self) -> str | None:
        """The particle a phrasal cue needs ("point out")."""
        return self.cue.split()[1] if self.kind in ("verb", "relay") and " " in self.cue else None


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    rows = [ln.split("\t") for ln in lines if ln.strip() and not ln.startswith("#")]
    return rows[1:]  # header


@cache
def reporting_cues() -> Mapping[str, Cue]:
    """Cue table keyed by verb lemma (first word) or by the whole preposition ("according to")."""
    table = {}
    for cue, kind, direct, indirect in _rows("reporting_verbs.tsv"):
        if kind == "text":
            continue  # read by document_nouns()
        key = cue if kind in ("prep", "naming") else cue.split()[0]
        table[key] = Cue(cue, kind, direct == "yes", indirect == "yes")
    return MappingProxyType(table)


@cache
def document_nouns() -> frozenset[str]:
    """Nouns for a written text that speaks for its author ("the statement read", "the letter said")."""
    return frozenset(row[0] for row in _rows("reporting_verbs.tsv") if row[1] == "text")


# --------------------------------------------------------------------------- quotation marks

DOUBLE_OPEN = "“„«‟"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹‚"
SINGLE_CLOSE = "’›"
DOUBLE = DOUBLE_OPEN + DOUBLE_CLOSE + '"'
SINGLE = SINGLE_OPEN + SINGLE_CLOSE + "'"
_MARKS = DOUBLE + SINGLE
_BEFORE_OPEN = "([{—–-/" + _MARKS
_AFTER_CLOSE = ".,;:!?)]}—–-…" + _MARKS
_END_OF_QUOTE = ",.!?…;"  # what stands before a closing mark whose opening mark was lost
_ELISIONS = ("em ", "til ", "cause ", "n ", "tis ", "twas ")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """Quoted text between marks (marks excluded); ``closed`` False when the mark never came."""

    start: int
    end: int
    opened: bool = True
    closed: bool = True
    single: bool = False


def _can_open(text: str, i: int) -> bool:
    left = text[i - 1] if i > 0 else "\n"
    right = text[i + 1] if i + 1 < len(text) else "\n"
    return not right.isspace() and (left.isspace() or left in _BEFORE_OPEN)


def _can_close(text: str, i: int) -> bool:
    left = text[i - 1] if i > 0 else "\n"
    right = text[i + 1] if i + 1 < len(text) else "\n"
    return not left.isspace() and (right.isspace() or right in _AFTER_CLOSE)


def _double_role(text: str, i: int) -> str:
    """The role ("open", "close" or "either") of a double mark, from its glyph and then its neighbours."""
    ch = text[i]
    opens, closes = _can_open(text, i), _can_close(text, i)
    if ch in DOUBLE_OPEN:
        return "close" if closes and not opens else "open"
    if ch in DOUBLE_CLOSE:
        return "open" if opens and not closes else "close"
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _single_opens(text: str, i: int) -> bool:
    ch, nxt = text[i], text[i + 1 : i + 8].lower()
    if ch in SINGLE_CLOSE or not _can_open(text, i) or nxt[:1].isdigit():
        return False  # ’90s
    if ch == "'" and (nxt + " ").startswith(_ELISIONS):
        return False  # 'em, 'til
    return ch in SINGLE_OPEN or ch == "'"


def _single_closes(text: str, i: int) -> bool:
    right = text[i + 1] if i + 1 < len(text) else "\n"
    return text[i] not in SINGLE_OPEN and _can_close(text, i) and not right.isalnum()


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, surrounding spaces excluded."""
    out, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            s = pos + len(line) - len(line.lstrip())
            out.append((s, s + len(stripped)))
        pos += len(line) + 1
    return out


def _trimmed(text: str, start: int, end: int, **kw: bool) -> QuoteSpan | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1  # the comma before "he said" is the attribution's, not the speaker's
    return QuoteSpan(start, end, **kw) if end > start else None


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quoted passages of ``text`` in order; a pure function of the string.

    Single quotes count only outside double quotes (inside they are a quote within the quote),
    and only when they close within their paragraph (else they were apostrophes).
    """
    out: list[QuoteSpan | None] = []
    paras = _paragraphs(text)
    carry: int | None = None  # content start of a quote running on from the paragraph before
    skip = False  # the paragraph's first character is the mark that reopens it
    for k, (p0, p1) in enumerate(paras):
        dq, sq, floor = carry, None, p0
        i = p0 + 1 if carry is not None and skip else p0
        carry, skip = None, False
        while i < p1:
            ch = text[i]
            if ch in DOUBLE:
                role = _double_role(text, i)
                if dq is None:
                    if role != "close":
                        dq = i + 1
                    elif i > floor and text[i - 1] in _END_OF_QUOTE:  # the opening mark was lost
                        out.append(_trimmed(text, floor, i, opened=False))
                        floor = i + 1
                elif role != "open" or _stray_close(text, i, p1):
                    out.append(_trimmed(text, dq, i))
                    dq, floor = None, i + 1
                else:  # a new quote opens: the last one's closing mark was lost
                    out.append(_trimmed(text, dq, i, closed=False))
                    dq = i + 1
            elif ch in "’'" and dq is not None and text[i + 1 : i + 2] == ch and _can_close(text, i + 1):
                out.append(_trimmed(text, dq, i))  # ’’ typed for a closing double mark
                dq, floor = None, i + 2
                i += 1
            elif ch in SINGLE and dq is None:
                if sq is None:
                    if _single_opens(text, i):
                        sq = i + 1
                elif _single_closes(text, i):
                    out.append(_trimmed(text, sq, i, single=True))
                    sq, floor = None, i + 1
            i += 1
        if dq is not None:
            nxt = paras[k + 1][0] if k + 1 < len(paras) else None
            if nxt is not None and text[nxt] in DOUBLE and _double_role(text, nxt) != "close":
                carry, skip = dq, True  # news convention: the next paragraph reopens the same quote
            elif _closes_soon(text, paras[k + 1 : k + 1 + MAX_RUNON_PARAGRAPHS]):
                carry, skip = dq, False  # one sentence a line: the quote closes a line or two later
            else:
                out.append(_trimmed(text, dq, p1, closed=False))
    return [s for s in out if s is not None]


def _closes_soon(text: str, paras: list[tuple[int, int]]) -> bool:
    """Whether the first double mark in these paragraphs closes a quote (none opens before it)."""
    for p0, p1 in paras:
        for i in range(p0, p1):
            if text[i] in DOUBLE:
                return _double_role(text, i) == "close" or _stray_close(text, i, p1)
    return False


def _stray_close(text: str, i: int, p1: int) -> bool:
    """A closing mark typed after a space while a quote is open ('a lot to answer, "Mr Deng said.'):
    it follows the quote's last punctuation and no other mark follows in its paragraph."""
    return (
        text[i] == '"'
        and i >= 2
        and text[i - 1] == " "
        and text[i - 2] in _END_OF_QUOTE
        and not any(c in DOUBLE for c in text[i + 1 : p1])
    )


# --------------------------------------------------------------------------- the parse


@dataclass(slots=True)
class _Attribution:
    speaker: int | None
    via: int | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    last_sent: int  # sentence index the attribution reaches (for continuation quotes)
    addressee: int | None = None  # who a question was put to ("Lynch asked Coleman, “…”")
    replier: bool = False  # a pronoun answers ("“Yes,” he responded"): the last addressee speaks


_ASKING = frozenset({"ask", "question"})
_ANSWERING = frozenset({"answer", "reply", "respond"})


class _Context:
    """Per-document lookups built in one pass: token → quote, mention, sentence."""

    def __init__(self, sdoc: Doc, mentions: list[Mention], spans: list[QuoteSpan]) -> None:
        self.sdoc = sdoc
        seen = view(sdoc)
        self.text = seen.text
        self.all_tokens = seen.tokens  # list(sdoc), made once
        self.mentions = mentions
        self.spans = sorted(spans, key=lambda q: q.start)
        self.span_starts = [q.start for q in self.spans]
        self.cues = reporting_cues()
        self.genders = gender_cues()
        self.documents = document_nouns()
        starts = [t.idx for t in self.all_tokens]
        self.starts = starts
        n = len(sdoc)
        self.quote_of: list[int | None] = [None] * n
        for qi, s in enumerate(spans):
            for ti in range(bisect_left(starts, s.start), bisect_left(starts, s.end)):
                self.quote_of[ti] = qi
        self.sent_of = [0] * n
        self.sents = list(seen.sents)
        for si, sent in enumerate(self.sents):
            for ti in range(sent.start, sent.end):
                self.sent_of[ti] = si
        self.mention_of: list[int | None] = [None] * n
        self.mention_root: list[Token | None] = []
        for mi, m in enumerate(mentions):
            span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                self.mention_root.append(None)
                continue
            for t in span:
                self.mention_of[t.i] = mi
            self.mention_root.append(span.root)
        self.by_end = sorted(range(len(mentions)), key=lambda mi: mentions[mi].end)
        self.mention_ends = [mentions[mi].end for mi in self.by_end]
        self.learned_gender: dict[str, str] = {}  # mention name → gender told by a resolved pronoun
        # the name each clause subject stands for ("Minister of X Alexander Kozlov wrote": Kozlov)
        self.subjects = {
            mi
            for t in self.all_tokens
            if t.dep_ in _SUBJECT_DEPS and t.pos_ != "PRON" and not self.in_quote(t)
            for mi in [self.mention_for(t)]
            if mi is not None
        }

    # ---- tokens
    def sent_tokens(self, si: int) -> tuple[Token, ...]:
        """The tokens of sentence ``si``, as ``list(self.sents[si])`` holds them."""
        sent = self.sents[si]
        return self.all_tokens[sent.start : sent.end]

    def tokens(self, start: int, end: int) -> range:
        return range(bisect_left(self.starts, start), bisect_left(self.starts, end))

    def in_quote(self, tok: Token) -> bool:
        return self.quote_of[tok.i] is not None

    def cue_at(self, tok: Token) -> Cue | None:
        """The cue a token starts, if it is one (outside quotes)."""
        if self.in_quote(tok):
            return None
        low = tok.lower_
        if low == "according" and any(c.lower_ == "to" for c in tok.children):
            return self.cues.get("according to")
        if low == "per" and tok.i > 0 and self.sdoc[tok.i - 1].lower_ == "as":
            return self.cues.get("as per")
        if tok.lemma_.lower() == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in tok.children):
            return self.cues.get("put")  # "As Gaiman put it, “…”"
        if tok.pos_ != "VERB":
            return None
        cue = self.cues.get(tok.lemma_.lower())
        if cue is not None and cue.kind == "written":  # "the statement read", not "the sign read"
            return cue if any(c.dep_ == "nsubj" and self.is_document(c) for c in tok.children) else None
        if cue is None or cue.kind not in ("verb", "relay"):
            return None
        if cue.particle and not any(c.dep_ == "prt" and c.lower_ == cue.particle for c in tok.children):
            return None
        return cue

    def cue_chars(self, tok: Token, cue: Cue) -> tuple[int, int]:
        if cue.kind == "prep":
            first = self.sdoc[tok.i - 1] if tok.lower_ == "per" else tok
            last = self.sdoc[min(first.i + 1, len(self.sdoc) - 1)]
            return first.idx, last.idx + len(last)
        return tok.idx, tok.idx + len(tok)

    def is_document(self, tok: Token) -> bool:
        return tok.pos_ == "NOUN" and tok.lemma_.lower() in self.documents

    def document_author(self, noun: Token) -> int | None:
        """Who wrote "the statement" that speaks: the named subject of the verb that issued, wrote or
        said something "in" such a text in this sentence or the few before ("X issued a statement",
        "X wrote a letter", "X said in a statement"), else the agent of "was issued by X"."""
        here = self.sent_of[noun.i]
        for si in range(here, max(-1, here - 1 - PRONOUN_WINDOW_SENTENCES), -1):
            for t in reversed(self.sent_tokens(si)):
                if t.i > noun.i or t.lemma_.lower() != noun.lemma_.lower() or self.in_quote(t):
                    continue
                verb = t.head.head if t.dep_ == "pobj" else t.head
                if verb.pos_ not in ("VERB", "AUX"):
                    continue
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                who = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                if who is None:
                    who = self.subject_of(verb)
                if who is None or who.i == t.i or self.is_document(who):
                    continue
                mi = self.mention_for(who)
                if mi is not None:
                    return mi
        return None

    # ---- mentions and speakers
    def is_subject(self, mi: int) -> bool:
        return mi in self.subjects

    def gender(self, mi: int) -> str | None:
        """m/f from a title before the name or a role noun beside it, else from the name itself
        (its full form's given name: "Ford" after "Harrison Ford"), else from an earlier pronoun."""
        m = self.mentions[mi]
        root = self.mention_root[mi]
        if root is None:
            return self.name_gender(mi) or self.learned_gender.get(m.name)
        near = []
        first = self.sdoc.char_span(m.start, m.end, alignment_mode="expand")[0]
        if first.i > 0:
            near.append(self.sdoc[first.i - 1])
        near += [c for c in root.children if c.dep_ in ("appos", "compound") and self.mention_of[c.i] != mi]
        if root.dep_ in ("appos", "compound"):
            near.append(root.head)
        for t in near:
            g = self.genders.get(t.lower_)
            if g:
                return g
        return self.name_gender(mi) or self.learned_gender.get(m.name)

    def name_gender(self, mi: int) -> str | None:
        """m/f told by the mention's role or given name, or by those of the full name it shortens."""
        seen = set()
        while mi is not None and mi not in seen and 0 <= mi < len(self.mentions):
            seen.add(mi)
            m = self.mentions[mi]
            g = gender_of(m.name, m.role)
            if g:
                return g
            mi = m.antecedent
        return None

    def name_after(self, verb: Token) -> int | None:
        """'"…," said Uralsib analyst Chris Weafer commenting …' parsed with no subject: the name
        right after the verb (a person first), before any punctuation."""
        found = []
        for t in self.sdoc[verb.i + 1 : min(verb.i + 1 + NAME_AFTER_TOKENS, verb.sent.end)]:
            if t.is_punct:
                break
            mi = self.mention_of[t.i]
            if mi is not None and self.mentions[mi].label in SPEAKER_LABELS:
                found.append(mi)
        people = [mi for mi in found if self.mentions[mi].label == "PERSON"]
        return (people or found or [None])[0]

    def name_before(self, verb: Token) -> int | None:
        """'"…," team general manager A.J. Smith said' with the name misparsed into the quote: the
        name right before the verb, back to the closing mark or a punctuation (a person first)."""
        if verb.tag_ not in ("VBD", "VBZ", "VBP"):
            return None  # "… in a letter to the board stating": no one named stands before it
        found, closed = [], False
        for t in reversed(self.sdoc[max(0, verb.i - NAME_AFTER_TOKENS) : verb.i]):
            if t.is_punct or self.in_quote(t):
                closed = self.in_quote(t) or t.text[0] in _MARKS
                break
            mi = self.mention_of[t.i]
            if mi is not None and self.mentions[mi].label in SPEAKER_LABELS:
                found.append(mi)
        if not closed:
            return None  # only a name standing between the quote and its verb
        people = [mi for mi in found if self.mentions[mi].label == "PERSON"]
        return (people or found or [None])[0]

    def mention_for(self, tok: Token) -> int | None:
        """The name a subject token stands for: its own mention, a pronoun's antecedent, or the
        best name inside its phrase (a person before an organisation before a place)."""
        mi = self.mention_of[tok.i]
        if mi is not None and self.mentions[mi].label in SPEAKER_LABELS:
            return mi
        if tok.dep_ == "appos":  # "X, a management expert at Y, who stated": X
            mi = self.mention_of[tok.head.i]
            if mi is not None and self.mentions[mi].label in SPEAKER_LABELS:
                return mi
        if tok.pos_ == "PRON":
            return self.resolve_pronoun(tok)
        best, best_key = None, None
        for t in tok.subtree:
            mi = self.mention_of[t.i]
            if mi is None or self.in_quote(t) or self.mentions[mi].label not in SPEAKER_LABELS:
                continue
            if self.mentions[mi].label in ("GPE", "NORP") and self.behind_preposition(t, tok):
                continue  # "a woman from Albany said": a place, not who spoke ("Russian officials" is kept)
            key = (_LABEL_RANK.get(self.mentions[mi].label, 3), abs(t.i - tok.i))
            if best_key is None or key < best_key:
                best, best_key = mi, key
        return best

    @staticmethod
    def behind_preposition(t: Token, head: Token) -> bool:
        """Whether ``t`` hangs from ``head`` through a preposition or a clause."""
        while t.i != head.i and t.head.i != t.i:
            if t.dep_ in ("prep", "pobj", "relcl", "acl", "advcl"):
                return True
            t = t.head
        return False

    def resolve_pronoun(self, tok: Token) -> int | None:
        """he/she → the last compatible person before (subjects first); it → a recent organisation.

        Walks the names backwards from the pronoun and stops at the first subject it can use.
        """
        low = tok.lower_
        want = "it" if low == "it" else _PRONOUN_GENDER.get(low)
        if want is None:
            return None
        here = self.sent_of[tok.i]
        best: list[int | None] = [None] * 4  # near subject, near name, far subject, far name
        for k in range(bisect_right(self.mention_ends, tok.idx) - 1, -1, -1):
            mi = self.by_end[k]
            root = self.mention_root[mi]
            if root is None or self.in_quote(root):
                continue
            near = here - self.sent_of[root.i] <= (IT_WINDOW_SENTENCES if want == "it" else PRONOUN_WINDOW_SENTENCES)
            label = self.mentions[mi].label
            if want == "it":
                if not near:
                    break
                if label == "ORG" and self.is_subject(mi):
                    return mi
                continue
            if label != "PERSON" or self.gender(mi) not in (want, None):
                continue
            slot = (0 if near else 2) + (0 if self.is_subject(mi) else 1)
            if best[slot] is None:
                best[slot] = mi
            if slot in (0, 2):
                break
        mi = next((b for b in best if b is not None), None)
        if mi is not None:
            self.learned_gender.setdefault(self.mentions[mi].name, want)
        return mi

    # ---- cues → speaker
    def subject_of(self, verb: Token) -> Token | None:
        tok = verb
        for _ in range(4):
            for c in tok.children:
                if c.dep_ in _SUBJECT_DEPS:
                    if c.lower_ in _RELATIVE and tok.dep_ == "relcl":
                        return self.who_antecedent(tok.head) if c.lower_ in ("who", "whom") else tok.head
                    return c
            if tok.dep_ == "pcomp" and tok.head.dep_ == "prep":  # "he began by saying": he
                tok = tok.head.head
                continue
            if tok.dep_ not in _CLIMB_FOR_SUBJECT or tok.head.i == tok.i:
                return None
            tok = tok.head
        return None

    def who_antecedent(self, noun: Token) -> Token:
        """ "who" wants a person: "X, an expert at Y University, who stated" → X, not Y."""
        t = noun
        for _ in range(5):
            mi = self.mention_of[t.i]
            if mi is not None and self.mentions[mi].label == "PERSON":
                return t
            if t.head.i == t.i:
                break
            t = t.head
        return noun

    def prep_object(self, tok: Token) -> int | None:
        """X in "according to X" / "as per X"."""
        obj = None
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        else:
            obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if obj is None and tok.i + 1 < len(self.sdoc):
                obj = self.sdoc[tok.i + 1]
        return self.mention_for(obj) if obj is not None else None

    def relay(self, verb: Token) -> tuple[int | None, int | None]:
        """("TASS quoted X as saying") → (X, TASS); passive "X was quoted by TASS as saying" too."""
        speaker = via = None
        for c in verb.children:
            if c.dep_ in ("dobj", "nsubjpass"):
                speaker = self.mention_for(c)
            elif c.dep_ == "nsubj":
                via = self.mention_for(c)
            elif c.dep_ == "agent":
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                via = self.mention_for(obj) if obj is not None else None
        return speaker, via

    def lift_relay(self, tok: Token, cue: Cue) -> tuple[Token, Cue]:
        """ "saying" in "TASS quoted X as saying" → the relaying verb, which names both."""
        head = tok.head
        if cue.kind == "verb" and head.lower_ == "as" and head.head.i != head.i:
            outer = self.cue_at(head.head)
            if outer is not None and outer.kind == "relay":
                return head.head, outer
        return tok, cue

    def speaker_from(self, tok: Token, cue: Cue) -> tuple[int | None, int | None]:
        """(speaker, via) a cue token gives."""
        if cue.kind == "prep":
            return self.prep_object(tok), None
        if cue.kind == "relay":
            return self.relay(tok)
        subj = self.subject_of(tok)
        speaker = self.mention_for(subj) if subj is not None else self.name_after(tok)
        if subj is None and speaker is None and tok.dep_ == "acl" and self.is_document(tok.head):
            speaker = self.document_author(tok.head)  # "X resigned in a letter stating, “…”"
        if subj is None and speaker is None:
            speaker = self.name_before(tok)
        elif speaker is None and self.is_document(subj):
            speaker = self.document_author(subj)
        via = None
        if speaker is not None:  # "X said ..., according to Newsweek": the outlet relays
            for t in self.sent_tokens(self.sent_of[tok.i]):
                c = self.cue_at(t)
                if c is not None and c.kind == "prep":
                    v = self.prep_object(t)
                    if v is not None and v != speaker:
                        via = v
                        break
        return speaker, via


# --------------------------------------------------------------------------- attribution


def _governing_cue(ctx: _Context, toks: range) -> Token | None:
    """The nearest reporting verb outside the quote that governs one of its top tokens."""
    best, best_hops = None, MAX_GOVERN_HOPS + 1
    for ti in toks:
        t = ctx.all_tokens[ti]
        if t.head.i != t.i and t.head.i in toks:
            continue
        h, hops = t.head, 1
        while h.i != t.i and hops < best_hops:
            if h.i not in toks:
                cue = ctx.cue_at(h)
                if cue is not None and cue.direct and cue.kind != "prep":
                    best, best_hops = h, hops
                    break
            if h.head.i == h.i:
                break
            h, hops = h.head, hops + 1
    return best


def _nearby_cue(ctx: _Context, qi: int, toks: range) -> Token | None:
    """A reporting cue in the quote's sentences (or the one it opens after / closes before)."""
    span = ctx.spans[qi]
    first, last = ctx.sent_of[toks[0]], ctx.sent_of[toks[-1]]
    sents = list(range(first, last + 1))
    colon = False
    if first > 0:
        ending = ctx.sents[first - 1].text.rstrip(_MARKS + " \n")
        colon = ending.endswith(":")
        if colon or ending.endswith(","):
            sents.insert(0, first - 1)  # X said: / X said, — then the quote as a sentence of its own
    if last + 1 < len(ctx.sents) and not ctx.text[span.end : ctx.sents[last + 1].start_char].strip(_MARKS + " "):
        sents.append(last + 1)
    best, best_dist = None, None
    for si in sents:
        for t in ctx.sent_tokens(si):
            cue = ctx.cue_at(t)
            if cue is None or not cue.direct:
                continue
            lo, hi = (t.idx, span.start) if t.idx < span.start else (span.end, t.idx)
            if bisect_left(ctx.span_starts, hi) - bisect_left(ctx.span_starts, lo) > 0:
                continue  # another quote stands between: the cue is that one's
            if "\n" in ctx.text[lo:hi] and not (colon and si == first - 1):
                continue  # another paragraph (only "X said:" may stand above its quote)
            if si not in range(first, last + 1) and cue.kind in ("verb", "written") and _no_active_subject(ctx, t):
                continue  # "… ." It was not disclosed whether …: no one there says the quote
            if si == last + 1 and cue.kind in ("verb", "written") and not _may_follow(ctx, t, qi):
                continue
            dist = hi - lo
            if best_dist is None or dist < best_dist:
                best, best_dist = t, dist
    return best


def _may_follow(ctx: _Context, verb: Token, qi: int) -> bool:
    """Whether a reporting verb in the sentence after a quote may be that quote's: the main verb
    ('"…." She said so twice'), not one in a subordinate clause ("When his editors would ask him
    …"), and not one that brings a quote of its own ("X told Y that “…”")."""
    if not (verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")):
        return False
    sent = verb.sent
    lo = bisect_left(ctx.span_starts, sent.start_char)
    hi = bisect_left(ctx.span_starts, sent.end_char)
    return all(k == qi for k in range(lo, hi))


def _no_active_subject(ctx: _Context, verb: Token) -> bool:
    """Whether a reporting verb has no subject, or is passive ("it was not disclosed")."""
    subj = ctx.subject_of(verb)
    return subj is None or subj.dep_ == "nsubjpass" or any(c.dep_ == "auxpass" for c in verb.children)


def _inner_speaker(ctx: _Context, toks: range) -> int | None:
    """A quote that opens by naming its own speaker ("“X said that …,” TASS reported") → X."""
    for ti in toks[:12]:
        t = ctx.sdoc[ti]
        cue = ctx.cues.get(t.lemma_.lower()) if t.pos_ == "VERB" else None
        if cue is None or cue.kind != "verb" or not cue.indirect:
            continue
        if not any(c.dep_ == "ccomp" for c in t.children):
            continue
        subj = next((c for c in t.children if c.dep_ in _SUBJECT_DEPS and c.i in toks), None)
        mi = ctx.mention_of[subj.i] if subj is not None else None
        if mi is not None and ctx.mentions[mi].label in SPEAKER_LABELS:
            return mi
    return None


def _is_title(text: str) -> bool:
    """'“Dealers of Lightning: Xerox PARC”', '"Mission Control"': two or more words, every one
    capitalised but the small function words — the name of a work or a thing, not speech."""
    words = [w.strip(_MARKS + ".,;:!?()[]—–-…") for w in text.split()]
    words = [w for w in words if w and w[0].isalpha()]
    if not 2 <= len(words) <= TITLE_MAX_WORDS or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w.lower() in _TITLE_SMALL_WORDS for w in words)


def _is_named_phrase(ctx: _Context, span: QuoteSpan, named_end: int | None = None) -> bool:
    """'so-called "…"', 'dubbed "…"': the marks name something rather than quote anyone; so does
    the next quote coordinated with such a name ('dubbed "A" and "B"', ``named_end`` = A's end)."""
    if named_end is not None:
        between = ctx.text[named_end : span.start].strip(_MARKS + " ").lower()
        if between in ("", ",", "and", "or", ", and", ", or"):
            return True
    before = ctx.text[max(0, span.start - 25) : span.start].lower().rstrip(_MARKS + " ")
    words = before.replace("-", " ").split()
    for n in (1, 2):
        phrase = " ".join(words[-n:])
        cue = ctx.cues.get(phrase)
        if cue is not None and cue.kind == "naming":
            return True
    return False


def _introduced(ctx: _Context, qi: int, toks: range) -> _Attribution | None:
    """'Jobs left this farewell, "…"' / 'The ministry issued a statement: "…"': a quote that ends its
    sentence after a comma or colon belongs to the named subject of the clause that introduces it."""
    span = ctx.spans[qi]
    before = ctx.text[max(0, span.start - 4) : span.start].rstrip(_MARKS + " \n")
    if not span.opened or not before.endswith((",", ":")):
        return None
    qsent = sent = ctx.sents[ctx.sent_of[toks[0]]]

    def verbs_of(sent: Span) -> list[Token]:
        return [t for t in sent if t.idx < span.start and t.pos_ in ("VERB", "AUX") and not ctx.in_quote(t)]

    verbs = verbs_of(sent)  # the main one is the highest (the parser may hang it under the quote)
    if not verbs and before.endswith(":") and sent.start > 0 and sent.start_char >= span.start - 2:
        # 'X issued the following statement:' as a sentence of its own, the quote opening the next
        sent = ctx.sents[ctx.sent_of[toks[0]] - 1]
        verbs = verbs_of(sent)
    if not verbs:
        return _labelled(ctx, sent, span, toks) if before.endswith(":") else None
    root = min(verbs, key=lambda t: sum(1 for _ in t.ancestors))
    if ctx.text[span.end : qsent.end_char].strip(_MARKS + " .\n"):
        return None  # the sentence goes on after the quote: not an introduced quote
    subj = ctx.subject_of(root)
    speaker = ctx.mention_for(subj) if subj is not None and subj.pos_ != "PRON" else None
    if speaker is None or ctx.mentions[speaker].label not in ("PERSON", "ORG"):
        return None
    cs, ce = root.idx, root.idx + len(root)
    return _Attribution(speaker, None, root.text, cs, ce, ctx.sent_of[toks[-1]])


def _labelled(ctx: _Context, sent: Span, span: QuoteSpan, toks: range) -> _Attribution | None:
    """'District Attorney David Soares: "…"' (no verb): the name that labels the quote."""
    names = [
        mi
        for t in sent
        if t.idx < span.start
        and (mi := ctx.mention_of[t.i]) is not None
        and ctx.mentions[mi].label in ("PERSON", "ORG")
    ]
    if not names:
        return None
    speaker = min(names, key=lambda mi: (ctx.mentions[mi].label != "PERSON", -ctx.mentions[mi].start))
    colon = ctx.text.rfind(":", 0, span.start)
    return _Attribution(speaker, None, ":", colon, colon + 1, ctx.sent_of[toks[-1]])


def _attribute(ctx: _Context, qi: int, toks: range) -> _Attribution | None:
    tok = _governing_cue(ctx, toks) or _nearby_cue(ctx, qi, toks)
    if tok is None:
        return _introduced(ctx, qi, toks)
    cue = ctx.cue_at(tok)
    assert cue is not None
    tok, cue = ctx.lift_relay(tok, cue)
    speaker, via = ctx.speaker_from(tok, cue)
    inner = _inner_speaker(ctx, toks)
    if inner is not None and inner != speaker:
        speaker, via = inner, speaker
    cs, ce = ctx.cue_chars(tok, cue)
    att = _Attribution(speaker, via, ctx.text[cs:ce], cs, ce, max(ctx.sent_of[tok.i], ctx.sent_of[toks[-1]]))
    lemma = tok.lemma_.lower()
    if lemma in _ASKING:
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "dative") and not ctx.in_quote(c)), None)
        att.addressee = ctx.mention_for(obj) if obj is not None and obj.pos_ == "PROPN" else None
    elif lemma in _ANSWERING:
        subj = ctx.subject_of(tok)
        att.replier = subj is not None and subj.pos_ == "PRON"
    return att


def _direct_quotes(ctx: _Context) -> list[Quote]:
    out: list[Quote] = []
    last: _Attribution | None = None
    named_end: int | None = None  # end of the last quoted name, for the one coordinated with it
    for qi, span in enumerate(ctx.spans):
        toks = ctx.tokens(span.start, span.end)
        if not len(toks):
            continue
        att = _attribute(ctx, qi, toks)
        if (
            att is not None
            and att.replier
            and last is not None
            and last.addressee not in (None, last.speaker)
            and ctx.sent_of[toks[0]] <= last.last_sent + 1
        ):
            att.speaker = last.addressee  # the one just asked answers
        if att is None and last is not None and ctx.sent_of[toks[0]] <= last.last_sent + 1:
            att = _Attribution(last.speaker, last.via, last.cue, last.cue_start, last.cue_end, last.last_sent)
        words = len(ctx.text[span.start : span.end].split())
        if _is_named_phrase(ctx, span, named_end) or _is_title(ctx.text[span.start : span.end]):
            named_end = span.end
            continue  # a name in marks ('a so-called "framework agreement"', "Mission Control")
        if words <= SCARE_MAX_WORDS and att is None:
            continue  # a scare quote
        if att is not None:
            att.last_sent = max(att.last_sent, ctx.sent_of[toks[-1]])
            last = att
        out.append(
            Quote(
                start=span.start,
                end=span.end,
                text=ctx.text[span.start : span.end],
                speaker=att.speaker if att else None,
                cue=att.cue if att else None,
                direct=True,
                via=att.via if att else None,
                cue_start=att.cue_start if att else None,
                cue_end=att.cue_end if att else None,
            )
        )
    return out


def _content_chars(ctx: _Context, clause: list[Token], head: Token, p0: int, p1: int) -> tuple[int, int] | None:
    """Character span of a clause, without a leading "that", surrounding punctuation, an
    "according to X" inside it, or what lies beyond the cue's paragraph (a missed sentence break)."""
    keep = {t.i for t in clause if p0 <= t.idx < p1}
    for t in clause:
        cue = ctx.cue_at(t)
        if cue is not None and cue.kind == "prep":
            keep -= {u.i for u in t.subtree} | {t.i - 1}
    if head.i not in keep:
        return None
    lo = hi = head.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    toks = list(ctx.sdoc[lo : hi + 1])
    while toks and (toks[0].dep_ == "mark" or toks[0].is_punct):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if len(toks) < MIN_INDIRECT_TOKENS:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _indirect_quotes(ctx: _Context, direct: list[Quote]) -> list[Quote]:
    """ "X said (that) …" and "according to X, …": the complement, kept with ``direct=False``."""
    out = []
    starts = [q.start for q in direct]  # in text order, never overlapping
    cued: dict[int, list[Quote]] = {}  # cue offset → the direct quotes it introduces
    for q in direct:
        if q.cue_start is not None:
            cued.setdefault(q.cue_start, []).append(q)
    for tok in ctx.all_tokens:
        cue = ctx.cue_at(tok)
        if cue is None or not cue.indirect:
            continue
        if cue.kind == "prep":
            head = tok.head
            if (
                head.i == tok.i
                or ctx.in_quote(head)
                or any(
                    ctx.cue_at(t) is not None and ctx.cue_at(t).kind == "verb"
                    for t in ctx.sent_tokens(ctx.sent_of[tok.i])
                )
            ):
                continue  # a verb in the sentence attributes it (the outlet is its "via")
            clauses = [(list(head.subtree), head)]
        else:
            clauses = [(list(c.subtree), c) for c in tok.children if c.dep_ == "ccomp" and not ctx.in_quote(c)]
        p0 = ctx.text.rfind("\n", 0, tok.idx) + 1
        p1 = ctx.text.find("\n", tok.idx) % (len(ctx.text) + 1)
        for clause, head in clauses:
            chars = _content_chars(ctx, clause, head, p0, p1)
            if chars is None:
                continue
            s, e = chars
            near = direct[max(0, bisect_left(starts, s) - 1) : bisect_left(starts, e)]  # direct ones don't overlap
            quoted = sum(max(0, min(e, q.end) - max(s, q.start)) for q in near)
            if quoted > MAX_DIRECT_SHARE * (e - s):
                continue
            if any(not s <= q.start < e for q in cued.get(tok.idx, ())):
                continue  # the verb introduces a direct quote elsewhere: this "clause" is a misparse
            cue_tok, cue = ctx.lift_relay(tok, cue)
            speaker, via = ctx.speaker_from(cue_tok, cue)
            cs, ce = ctx.cue_chars(cue_tok, cue)
            out.append(
                Quote(
                    start=s,
                    end=e,
                    text=ctx.text[s:e],
                    speaker=speaker,
                    cue=ctx.text[cs:ce],
                    direct=False,
                    via=via,
                    cue_start=cs,
                    cue_end=ce,
                )
            )
    return out


def find_quotes(sdoc: Doc, mentions: list[Mention]) -> list[Quote]:
    """Quotes in text order; ``speaker`` is an index into ``mentions`` or None."""
    if not len(sdoc):
        return []
    ctx = _Context(sdoc, mentions, find_quote_spans(view(sdoc).text))
    direct = _direct_quotes(ctx)
    quotes = direct + _indirect_quotes(ctx, direct)
    quotes.sort(key=lambda q: (q.start, -q.end))
    return quotes
