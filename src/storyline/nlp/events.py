"""Typed events (PLOVER) from the dependency parse and a predicate lexicon.

One linear pass over the parse: a word is a trigger when the lexicon (``data/plover_predicates.tsv``)
lists its lemma and its condition holds; its participants are read from the dependency arcs around
it (subjects, agents of passives, objects, "with/to/against Y"), mapped to the document's mention
indices. Those arcs are spaCy DependencyMatcher patterns kept as data (``data/role_patterns.yaml``,
matched by :mod:`storyline.nlp.roles`, whose docstring says what stays code here and why).
A noun trigger governed by a support verb ("held talks", "conduct exercises") takes that
verb's subject and modifiers. The date is a timex attached to the trigger's clause (or to a clause
that governs it, never a reporting verb's), else None: the report's own date is never used.
Events with neither a participant nor a date are dropped, so the briefing is not crowded by every
verb in the text.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from spacy.attrs import IDX, POS
from spacy.symbols import NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from storyline.model import Event, Mention, Mode, Quote, Timex
from storyline.nlp.docview import view
from storyline.nlp.gender import gender_of
from storyline.nlp.names import load_lexicon as load_name_lexicon
from storyline.nlp.roles import Roles
from storyline.nlp.timex import first_day, verb_tense

PLOVER_TYPES = frozenset(
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST "
    "ACCUSE REJECT THREATEN PROTEST SANCTION MOBILIZE COERCE ASSAULT".split()
)
LEXICON_FILE = "plover_predicates.tsv"
PERSON_NOUNS_FILE = "person_nouns.tsv"
PRONOUN_LOOKBACK_SENTENCES = 2  # how far back "he"/"she" looks for a person (checked on the seeds)
MAX_ANCESTOR_STEPS = 4  # how far up the tree a mode cue or a governing clause's date is looked for

_SUBJ = {"nsubj", "csubj"}
_OBJ = {"dobj", "obj", "attr", "oprd"}
# role patterns (data/role_patterns.yaml) that code handles further, by name
_SUBJECT_PATTERNS = ("subject", "passive_subject")  # a clause that has one names its own doer or undergoer
_OBJECT_PATTERNS = ("object", "dative_object")  # an object's own prepositions add targets and places
_UNDERGOER_PATTERNS = ("object", "passive_subject")  # the one a verb is done to, active or passive
_NP_MODS = {"compound", "amod", "nmod", "poss", "appos"}
_MODIFIER_DEPS = ("compound", "amod", "nmod", "poss")  # the words of a noun phrase that only modify its head
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_REPORTING = {
    "say",
    "tell",
    "report",
    "announce",
    "state",
    "add",
    "note",
    "confirm",
    "quote",
    "write",
    "claim",
    "explain",
}
_PRONOUNS = {"he", "she", "him", "her", "his"}
_FIRST_PERSON = {"i", "me", "my"}
_OTHER_GENDER = {"he": "f", "him": "f", "his": "f", "she": "m", "her": "m"}  # the gender a pronoun rules out
_RELATIVE = {"who", "which", "that", "whom"}
_SPEECH_VERBS = {"talk", "speak", "say", "tell", "describe", "explain", "testify", "recount"}
_ANAPHORIC_CONTENT = {
    "claim",
    "claims",
    "accusation",
    "allegation",
    "charge",
    "report",
    "it",
    "this",
    "that",
    "them",
    "those",
}


_SLOTS = frozenset(  # the conditions of a predicate row (plover_predicates.tsv)
    {"obj", "subj", "prep", "prt", "mod", "comp", "clause", "someone", "agent", "partner", "about", "says", "denied",
     "intransitive", "context"}
)


@dataclass(frozen=True, slots=True)
class Predicate:
    lemma: str
    pos: str
    type: str
    when: tuple[tuple[str, bool, frozenset[str]], ...]  # (slot, negated, lemmas)
    flags: frozenset[str]


@dataclass(frozen=True, slots=True)
class Lexicon:
    predicates: dict[tuple[str, str], tuple[Predicate, ...]]
    light: frozenset[str]
    cues: dict[str, str]
    classes: dict[str, frozenset[str]] = field(default_factory=dict)


def parse_lexicon(text: str) -> Lexicon:
    """Parse the predicate table (format in the file's header); raises ValueError on a bad row."""
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    classes: dict[str, frozenset[str]] = {}
    for r in rows:
        if r[0] == "class":
            classes[r[3]] = frozenset(r[4].split("|"))
    preds: dict[tuple[str, str], list[Predicate]] = {}
    light, cues = set(), {}
    for n, r in enumerate(rows, 1):
        if len(r) > 6:
            raise ValueError(f"lexicon row {n}: more than six columns: {r}")
        r = r + [""] * (6 - len(r))
        kind, lemma, pos, value, when, flags = (x.strip() for x in r[:6])
        if kind == "pred":
            if value not in PLOVER_TYPES or pos not in ("VERB", "NOUN"):
                raise ValueError(f"lexicon row {n}: bad type or part of speech: {r}")
            conds = []
            for c in filter(None, when.split(",")):
                slot, _, members = c.partition("=")
                if slot not in _SLOTS:
                    raise ValueError(f"lexicon row {n}: unknown condition {slot!r}: {r}")
                neg = members.startswith("-")
                members = members.lstrip("-")
                names: set[str] = set()
                for m in filter(None, members.split("|")):
                    if m.startswith("@"):
                        if m[1:] not in classes:
                            raise ValueError(f"lexicon row {n}: unknown class {m}")
                        names |= classes[m[1:]]
                    else:
                        names.add(m)
                conds.append((slot, neg, frozenset(names)))
            preds.setdefault((lemma, pos), []).append(
                Predicate(lemma, pos, value, tuple(conds), frozenset(filter(None, flags.split(","))))
            )
        elif kind == "light":
            light.add(lemma)
        elif kind == "cue":
            if value not in ("planned", "hypothetical", "negated"):
                raise ValueError(f"lexicon row {n}: a cue sets 'planned', 'hypothetical' or 'negated': {r}")
            cues[lemma] = value
        elif kind != "class":
            raise ValueError(f"lexicon row {n}: unknown kind {kind!r}")
    for (lemma, pos), ps in list(preds.items()):
        if pos == "VERB" and any(not p.when for p in ps):
            p = next(p for p in ps if not p.when)
            for form in _gerunds(lemma):
                preds.setdefault((form, "NOUN"), [Predicate(form, "NOUN", p.type, (), p.flags | {"patient"})])
    return Lexicon({k: tuple(v) for k, v in preds.items()}, frozenset(light), cues, classes)


def _gerunds(verb: str) -> set[str]:
    """The -ing nouns a verb may make ("stab" → "stabbing", "strike" → "striking"): an unconditional
    verb trigger's gerund is the same deed named as a noun, its "of X" the one it is done to. Spellings
    that are not words never match a token, so every plausible one is listed."""
    forms = {verb + "ing"}
    if verb.endswith("e") and not verb.endswith("ee"):
        forms.add(verb[:-1] + "ing")
    if len(verb) >= 3 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        forms.add(verb + verb[-1] + "ing")
    return forms


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped predicate table, parsed once per process."""
    text = resources.files("storyline.nlp").joinpath("data", LEXICON_FILE).read_text(encoding="utf-8")
    return parse_lexicon(text)


@lru_cache(maxsize=1)
def load_person_nouns() -> tuple[frozenset[str], tuple[str, ...]]:
    """(nouns, suffixes) that describe one person: "the teen", "the 16-year-old"."""
    text = resources.files("storyline.nlp").joinpath("data", PERSON_NOUNS_FILE).read_text(encoding="utf-8")
    return parse_person_nouns(text)


def parse_person_nouns(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    words = [w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    words = [w for w in words if w != "noun"]  # the header
    return frozenset(w for w in words if not w.startswith("*")), tuple(w[1:] for w in words if w.startswith("*"))


def _person_noun(t: Token) -> bool:
    nouns, suffixes = load_person_nouns()
    if t.pos_ not in ("NOUN", "ADJ"):
        return False
    lemma = _lemma(t)
    if lemma in nouns or t.lower_ in nouns:
        return True
    # "16-year-old" may be one token or four (16 - year - old): match the phrase up to the head
    phrase = "".join(x.lower_ for x in t.doc[t.left_edge.i : t.i + 1] if x.dep_ != "det")
    return phrase.endswith(suffixes)


# --------------------------------------------------------------------------- parse helpers


def _pos(t: Token) -> str | None:
    if t.pos_ == "VERB":
        return "VERB"
    if t.pos_ in ("NOUN", "PROPN"):
        return "NOUN"
    return None


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


def _object(t: Token) -> Token | None:
    for c in t.children:
        if c.dep_ in _OBJ or c.dep_ == "nsubjpass":
            return c
    return None


def _subject(t: Token) -> Token | None:
    for c in t.children:
        if c.dep_ in _SUBJ:
            return c
    return None


def _holds(pred: Predicate, t: Token, skip: str | None = None) -> bool:
    for slot, neg, names in pred.when:
        if slot == skip:
            continue
        if slot == "obj":
            o = _object(t)
            ok = o is not None and (_lemma(o) in names or o.lower_ in names)
        elif slot == "subj":
            s = _subject(t)
            ok = s is not None and (_lemma(s) in names or s.lower_ in names)
        elif slot == "prep":
            ok = any(c.dep_ == "prep" and c.lower_ in names for c in t.children)
        elif slot == "prt":
            ok = any(c.dep_ == "prt" and c.lower_ in names for c in t.children)
        elif slot == "mod":
            ok = any(c.dep_ in ("compound", "amod") and _lemma(c) in names for c in t.children)
        elif slot == "comp":
            ok = any(c.dep_ in ("oprd", "acomp", "xcomp", "ccomp") and _lemma(c) in names for c in t.children)
        elif slot == "someone":  # "charged him", "hosted the minister"; not "charged the phone"
            o = _object(t)
            if o is None and t.dep_ == "conj":
                o = _object(t.head)  # "X was held and charged"
            if o is None and t.dep_ == "acl" and t.tag_ == "VBN":
                o = t.head  # "the man charged with fraud"
            ok = o is not None and _someone(o)
        elif slot == "agent":  # "the army killed", "a missile killed"; not "the crash killed", "printers that support"
            a = _doer(t)
            ok = a is None or _someone(a) or _lemma(a) in names or a.lower_ in names
        elif slot == "partner":  # "met Kim", "met with officials"; not "met with silence", "met the deadline"
            o = next(iter(_prep_objects(t, {"with"})), None) or _object(t)
            ok = o is not None and (_lemma(o) in names or o.lower_ in names)
        elif slot == "about":  # "warned it would strike", "a warning of retaliation"; not "warned prices may rise"
            ok = any(_lemma(w) in names or w.lower_ in names for w in _content(t))
        elif slot == "context":  # "a rally of farmers"; not "a four day rally" in a sentence on stock indexes
            ok = any(w.pos_ in ("NOUN", "PROPN") and (_lemma(w) in names or w.lower_ in names) for w in _vicinity(t))
        elif slot == "denied":  # "disputed X's claim that ...": a claim someone denies alleges something
            h = t.head
            ok = t.dep_ in _OBJ | {"nsubjpass"} and any(
                "denial" in p.flags for key in ((_lemma(h), "VERB"),) for p in load_lexicon().predicates.get(key, ())
            )
        elif slot == "intransitive":  # "students demonstrated"; not "demonstrated a product", "the app demonstrated"
            ok = t.dep_ not in ("acl", "amod", "relcl") and not any(
                c.dep_ in ("dobj", "nsubjpass", "ccomp") for c in t.children
            )
        elif slot == "clause":  # "claimed that ...", "the claim that ..." (a noun's "that" clause)
            ok = bool(_clauses(t))
        elif slot == "says":  # "claimed Y was planning ...", "claimed it was a fraud"; not "claimed the phone is fast"
            lex = load_lexicon()
            ok = any(
                ((s := _subject(c)) is not None and _party(s))
                or any(_lemma(w) in names or w.lower_ in names or _match(w, lex) is not None for w in c.subtree)
                for c in _clauses(t)
            )
        else:
            ok = False
        if ok == neg:
            return False
    return True


def _clauses(t: Token) -> list[Token]:
    """The heads of a word's clausal complements: a verb's ("claimed that ..."), a noun's "that" clause
    ("the claim that ...")."""
    return [
        c for c in t.children
        if c.dep_ in ("ccomp", "xcomp")
        or (c.dep_ == "acl" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children))
    ]


_ABOUT_PREPS = {"of", "against", "about", "over"}
CONTEXT_SENTENCES = 3  # the ``context`` condition reads the trigger's sentence and the two before it


def _vicinity(t: Token) -> list[Token]:
    """The words of ``t``'s sentence and of the sentences just before it ("The rally began ..." after a
    sentence on indexes)."""
    sent = t.sent
    out = list(sent)
    for _ in range(CONTEXT_SENTENCES - 1):
        if sent.start == 0:
            break
        sent = t.doc[sent.start - 1].sent
        out += list(sent)
    return out


def _content(t: Token) -> list[Token]:
    """What a word of saying or warning is about: the head of its clausal complement (and the verbs
    coordinated with it), and the objects of its of / against / about / over phrase, or of one on
    its direct object (a parse hangs "warned X of Y" on X)."""
    out = _prep_objects(t, _ABOUT_PREPS)
    for c in t.children:
        if c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "acl" and t.pos_ in ("NOUN", "PROPN")):
            out += [c, *(x for x in c.children if x.dep_ == "conj")]
        elif c.dep_ == "dobj":
            out += _prep_objects(c, _ABOUT_PREPS)
    return out


def _prep_objects(t: Token, preps: set[str]) -> list[Token]:
    """The objects of ``t``'s prepositional phrases headed by one of ``preps``."""
    return [x for c in t.children if c.dep_ == "prep" and c.lower_ in preps for x in c.children
            if x.dep_ in ("pobj", "pcomp")]  # fmt: skip


def _doer(t: Token) -> Token | None:
    """The word in the subject slot of an active trigger: its subject, or for a relative clause whose
    subject is the relative pronoun the noun the clause modifies; None when the clause has none."""
    s = _subject(t)
    if s is not None and s.lower_ in _RELATIVE and t.dep_ == "relcl":
        return t.head
    return s


_PERSONAL = {"him", "her", "them", "us", "me", "you", "he", "she", "they", "we", "i", "whom", "who"}
_ACTOR_LABELS = {"PERSON", "ORG", "NORP", "GPE"}


def _someone(t: Token) -> bool:
    """A word that can name a party to an event: a name, a personal pronoun, a person noun, a title or an
    institution ("the army", "the ministry")."""
    return (
        t.pos_ == "PROPN" or t.ent_type_ in _ACTOR_LABELS or t.lower_ in _PERSONAL or _person_noun(t)
        or load_name_lexicon().is_("title", t.text) or load_name_lexicon().is_("institution", t.text)
    )


def _party(t: Token) -> bool:
    """:func:`_someone` without the bare proper noun: a name the tagger gave a party's label, a personal
    pronoun, a person noun, a title or an institution (not "the iPhone", "Windows")."""
    return t.ent_type_ in _ACTOR_LABELS or (t.pos_ != "PROPN" and _someone(t))


def _claim_word(t: Token, lex: Lexicon) -> bool:
    """A word of claiming in its claiming sense, whatever the claim tells ("denied X's claims that ..."
    answers X even when the claim accuses no one): a claim row whose conditions hold but for ``says``."""
    pos = _pos(t)
    return pos is not None and any(
        "claim" in p.flags and _holds(p, t, skip="says")
        for key in ((_lemma(t), pos), (t.lower_, pos)) for p in lex.predicates.get(key, ())
    )


def _match(t: Token, lex: Lexicon) -> Predicate | None:
    pos = _pos(t)
    if pos is None:
        return None
    for key in ((_lemma(t), pos), (t.lower_, pos)):
        for p in lex.predicates.get(key, ()):
            if _holds(p, t):
                return p
    return None


# "be in talks": the copula's subject does it; "be under attack": the subject undergoes it
_STATE_PREPS = {"in": "actor", "under": "patient"}


def _governor(noun: Token, lex: Lexicon) -> Token | None:
    """The support verb a noun trigger is the object of: held *talks*, embarked on a *trip*."""
    h = noun.head
    if noun.dep_ in _OBJ | {"nsubjpass"} and h.pos_ in ("VERB", "AUX") and _lemma(h) in lex.light:
        return h
    if (
        noun.dep_ == "pobj"
        and h.dep_ == "prep"
        and h.head.pos_ == "VERB"
        and _lemma(h.head) in lex.light
    ):
        return h.head  # "embarked on a trip"
    if noun.dep_ == "dobj" and h.pos_ == "VERB" and h.dep_ == "xcomp" and _lemma(h) in lex.light:
        return h
    if noun.dep_ == "pobj" and h.dep_ == "prep" and h.lower_ in _STATE_PREPS and _lemma(h.head) == "be":
        return h.head  # "X is in talks with Y", "X was under attack": the copula's subject takes part
    return None


# --------------------------------------------------------------------------- the document context


class _Doc:
    """Token-level indexes over one parse: mention, timex, quote of each token."""

    def __init__(self, sdoc: Doc, mentions: list[Mention], timexes: list[Timex], quotes: list[Quote]):
        self.sdoc = sdoc
        self.published: int | None = None  # the article's date (an ordinal day), when known
        self.mentions = mentions
        self.mention_of: list[int] = [-1] * len(sdoc)
        for i, m in enumerate(mentions):
            span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in span:
                if self.mention_of[tok.i] < 0:
                    self.mention_of[tok.i] = i
        self.timexes = timexes
        self.timex_anchor: list[tuple[int, int]] = []  # (timex index, anchor token index)
        self.vague_anchors: set[int] = set()  # anchors of date phrases no calendar date can be given
        self.quotes = sorted(quotes, key=lambda q: q.start)
        self.quote_starts = [q.start for q in self.quotes]
        self.sents = [seg for sent in view(sdoc).sents for seg in _segments(sent)]
        self.sent_starts = [s.start for s in self.sents]
        self.described = _descriptions(sdoc, mentions, self.mention_of)
        self.roles = Roles(sdoc)  # the role patterns' matches (data/role_patterns.yaml), made when first asked
        # a name glued by a hyphen to a noun only names that noun ("a Los Angeles-class submarine", "the
        # Ohio-class"): it takes no part in the event; glued to a participle it is that verb's agent
        # ("a UN-run school", "an Egypt-brokered truce") and stays
        text = view(sdoc).text
        self.modifier_only = set()
        self.glued: set[int] = set()  # every name glued by a hyphen to the word after it
        self.paired: set[int] = set()  # every name glued by a hyphen to another name: one side of a pair
        offsets: list[int] | None = None  # each token's first character, made when a name is glued
        for i, m in enumerate(mentions):
            if text[m.end : m.end + 1] != "-":
                continue
            if offsets is None:
                offsets = sdoc.to_array(IDX).tolist()
            j = bisect.bisect_left(offsets, m.end + 1)
            after = sdoc[j] if j < len(offsets) and offsets[j] == m.end + 1 else None
            glued = after is not None and after.is_alpha
            if glued and self.mention_of[after.i] >= 0 and self.mention_of[after.i] != i:
                self.paired.add(i)  # two names joined by a hyphen are the two sides of a pair ("Russia-Ukraine")
                continue
            if glued:
                self.glued.add(i)
            if glued and after.tag_ not in ("VBN", "VBD", "VBG"):
                self.modifier_only.add(i)

    def anchor_timexes(self, noun_triggers: set[int]) -> None:
        """Attach every calendar timex to the verb or event noun it modifies."""
        for i, tx in enumerate(self.timexes):
            if tx.kind not in ("DATE", "TIME"):
                continue
            span = self.sdoc.char_span(tx.start, tx.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            if tx.value is None:  # "Saturday" in an undated article: it situates, it does not date
                self.vague_anchors.add(_anchor(span, noun_triggers).i)
            else:
                self.timex_anchor.append((i, _anchor(span, noun_triggers).i))

    def quote_at(self, char: int) -> Quote | None:
        i = bisect.bisect_right(self.quote_starts, char) - 1
        while i >= 0:
            q = self.quotes[i]
            if q.start <= char < q.end:
                return q
            if q.end < char - 2000:  # quotes are short: stop looking far back
                break
            i -= 1
        return None

    def sent_index(self, t: Token) -> int:
        return bisect.bisect_right(self.sent_starts, t.i) - 1


def _descriptions(sdoc: Doc, mentions: list[Mention], mention_of: list[int]) -> dict[str, dict[str, int]]:
    """The names a document describes with a common noun, by the noun's lemma: the noun beside the
    name as a modifier or an apposition ("receiver Vincent Jackson", "the Yida refugee camp", "X, a
    teacher"). Each name by its full form, with the index of its first such mention."""
    out: dict[str, dict[str, int]] = {}
    placekind = load_lexicon().classes.get("placekind", frozenset())

    def add(noun: Token, m: int) -> None:
        if noun.pos_ != "NOUN" or mention_of[noun.i] >= 0:
            return
        a = mentions[m].antecedent
        full = mentions[a].name if a is not None and 0 <= a < len(mentions) else mentions[m].name
        out.setdefault(_lemma(noun), {}).setdefault(full, m)

    for i, m in enumerate(mention_of):
        if m < 0:
            continue
        t = sdoc[i]
        if mention_of[t.head.i] == m and t.head is not t:
            continue  # only the head word of a mention
        if t.dep_ == "appos":
            add(t.head, m)
        elif t.dep_ in ("compound", "amod", "nmod"):
            # a name modifying a noun is what that noun describes only when the noun is a kind of place
            # ("the Yida refugee camp"); on another noun it says whose or where ("the Osun State election")
            noun = t.head
            while True:
                if _lemma(noun) in placekind:
                    add(noun, m)
                if noun.dep_ != "compound" or noun.head.pos_ != "NOUN":
                    break
                noun = noun.head
        for c in t.children:
            if c.dep_ in ("compound", "amod", "appos"):
                add(c, m)
    return out


def _described(ctx: _Doc, h: Token) -> list[int]:
    """The one name the document describes with ``h``'s noun ("the camp" where it names "the Yida
    camp" and no other camp); a person noun only for a person. Nothing when it describes two names, nor
    for a plural ("film studios", "the two companies"): a plural names more than the one name."""
    if h.tag_ in ("NNS", "NNPS"):
        return []
    names = {n: m for n, m in ctx.described.get(_lemma(h), {}).items() if m not in ctx.modifier_only}
    if _person_noun(h):
        names = {n: m for n, m in names.items() if ctx.mentions[m].label == "PERSON"}
    elif _lemma(h) not in load_lexicon().classes.get("placekind", frozenset()):
        # a place on a noun that is no kind of place says where it is ("a Brooklyn jury"), not what it is
        names = {n: m for n, m in names.items() if ctx.mentions[m].label not in _PLACE_LABELS}
    return list(names.values()) if len(names) == 1 else []


def _segments(sent: Span) -> list[Span]:
    """A sentence without the line breaks around it (the model's line-break component already
    starts a sentence after a line that ends one, so a headline is a sentence of its own)."""
    start, end = sent.start, sent.end
    while start < end and sent.doc[start].is_space:
        start += 1
    while end > start and sent.doc[end - 1].is_space:
        end -= 1
    return [sent.doc[start:end]] if end > start else []


def _anchor(span: Span, noun_triggers: set[int]) -> Token:
    """The verb or event noun a date expression modifies: its nearest such ancestor."""
    t = span.root
    for _ in range(8):
        if t.head is t:
            return t
        t = t.head
        if t.pos_ in ("VERB", "AUX") or t.i in noun_triggers:
            return t
    return t


# --------------------------------------------------------------------------- participants


def _pronoun(ctx: _Doc, t: Token, exclude: set[int]) -> list[int]:
    """he/she/him/her: the nearest earlier person, a subject preferred (same or previous sentences);
    when that subject is a person the text describes without naming (:func:`_unnamed_subject`), whom that
    description names, else nobody."""
    si = ctx.sent_index(t)
    lo = ctx.sents[max(0, si - PRONOUN_LOOKBACK_SENTENCES)].start
    other = _OTHER_GENDER.get(t.lower_)
    best_subj = best_any = None
    subj_at = any_at = -1
    for j in range(t.i - 1, lo - 1, -1):
        if best_subj is None and _unnamed_subject(ctx, ctx.sdoc[j], other):
            # "a manager was assaulted; he refused", "the officer says he fired": the person that subject
            # describes (a name given with that noun: "Officer Mark Jones"), else nobody; not a name further back
            return [m for m in _described(ctx, ctx.sdoc[j]) if m not in exclude]
        m = ctx.mention_of[j]
        if m < 0 or m in exclude or ctx.mentions[m].label != "PERSON":
            continue
        if other is not None and _person_gender(ctx, m) == other:
            continue  # "she" never stands for a man named Ford, nor "he" for a woman named Anna
        if best_any is None:
            best_any, any_at = m, j
        tok = ctx.sdoc[j]
        if (best_subj is None and tok.dep_ in ("nsubj", "nsubjpass")) or (
            tok.head.dep_ in ("nsubj", "nsubjpass") and tok.dep_ in ("compound", "appos", "conj")
        ):  # "the diplomat X hailed": a name beside or conjoined with the subject's head is the subject
            best_subj, subj_at = m, j
            break
    pick = best_subj if best_subj is not None else best_any
    if best_subj not in (None, best_any) and best_any is not None and _told_about(ctx, subj_at, any_at, t):
        pick = best_any  # a clause the subject only reports is about the person it names (_told_about)
    return [pick] if pick is not None else []


def _unnamed_subject(ctx: _Doc, tok: Token, other: str | None) -> bool:
    """A singular subject that is a person the text describes without naming ("a manager", "the officer who
    fired"), not of the gender a pronoun rules out (``other``). A relative or agent ("his father") is
    left out: a pronoun after one speaks of the person it is the relative of."""
    if tok.dep_ not in ("nsubj", "nsubjpass") or tok.tag_ in ("NNS", "NNPS") or ctx.mention_of[tok.i] >= 0:
        return False  # a plural ("officers pulled him over") is never "he" or "she"
    if not _person_noun(tok):
        return False
    if load_name_lexicon().is_("kin", _lemma(tok)) or any(ctx.mention_of[c.i] >= 0 for c in tok.children):
        return False  # "his father said he ...", "the officer, Tom Baxter, said he ..."
    return other is None or gender_of("", tok.text) != other


def _told_about(ctx: _Doc, subj_at: int, near_at: int, pronoun: Token) -> bool:
    """A nearer person and the pronoun lie in one clause that tells what the subject says ("X said that
    ...", "X began, talking about ..."): that clause talks about the nearer person, the subject only tells it."""
    subj = ctx.sdoc[subj_at]
    verb = subj.head if subj.dep_ in ("nsubj", "nsubjpass") else subj.head.head
    for c in verb.children:
        if c.dep_ == "ccomp" or (c.dep_ in ("advcl", "xcomp") and _lemma(c) in _SPEECH_VERBS):
            lo, hi = c.left_edge.i, c.right_edge.i
            if lo <= near_at <= hi and lo <= pronoun.i <= hi:
                return True
    return False


def _person_gender(ctx: _Doc, m: int) -> str | None:
    """m/f told by a mention's role or given name, or by those of the full name it shortens."""
    seen = set()
    while m is not None and m not in seen and 0 <= m < len(ctx.mentions):
        seen.add(m)
        g = gender_of(ctx.mentions[m].name, ctx.mentions[m].role)
        if g:
            return g
        m = ctx.mentions[m].antecedent  # type: ignore[assignment]
    return None


def _names(
    ctx: _Doc, h: Token, exclude: set[int] | None = None, depth: int = 0, describes: bool = True
) -> list[int]:
    """Mention indices a noun phrase headed by ``h`` names (coordinated names included). A noun that
    only modifies another (``describes`` False: "refugee" in "refugee camp") refers to nobody by itself."""
    exclude = exclude or set()
    out: list[int] = []
    if h.lower_ in _PRONOUNS and h.pos_ == "PRON":
        out += _pronoun(ctx, h, exclude)
    elif h.lower_ in _FIRST_PERSON and h.pos_ == "PRON":
        q = ctx.quote_at(h.idx)  # "I", "my" inside a direct quote: its speaker
        if q is not None and q.direct and q.speaker is not None and q.speaker not in exclude:
            out.append(q.speaker)
    elif h.lower_ in _RELATIVE and h.head.dep_ == "relcl":
        return _names(ctx, h.head.head, exclude, depth + 1) if depth < 3 else []
    elif ctx.mention_of[h.i] >= 0:
        if ctx.mention_of[h.i] not in ctx.modifier_only:
            out.append(ctx.mention_of[h.i])
        out += _list_hung_on_name(ctx, h, exclude, depth)
    elif (named := _named_before_comma(ctx, h)) is not None:
        out.append(named)  # the same, when the parse hung the description on another word
    elif depth < 3:
        # a name inside a description: "the Biden administration", "a Russian delegation led by X"
        person = _person_noun(h)
        body = _body_of_state(h)
        kin = load_name_lexicon().is_("kin", _lemma(h))
        title = load_name_lexicon().is_("title", h.text)  # "the Russian defense minister" acts for Russia
        for c in h.children:
            if c.dep_ in _NP_MODS:
                names = _names(ctx, c, exclude, depth + 1, describes=c.dep_ not in ("compound", "amod"))
                if c.dep_ in _MODIFIER_DEPS:
                    # a name glued to a participle says who did that ("a UN-run school"): not what the noun is
                    names = [m for m in names if m not in ctx.glued]
                if c.dep_ in ("compound", "amod", "nmod") and not body and h.pos_ == "NOUN":
                    # "a Brooklyn jury", "the Gaza school", "Greek rioters", "an Albany teen": a place or a
                    # people on a common noun says where, or where they are from, not who: only a state's
                    # body acts for its place ("Greek police", "the US delegation"), and a people is who
                    # did a deed or holds a stance named by the noun ("the Israeli bombing", "the Russian plan")
                    drop = _PLACE_LABELS if _deed_or_stance(h) or title else _PLACE_LABELS | {"NORP"}
                    names = [m for m in names if ctx.mentions[m].label not in drop]
                if c.dep_ == "poss" and (person or title or kin):
                    # "her daughter", "Finch's lawyer": a person's relative or agent is someone else
                    names = [m for m in names if ctx.mentions[m].label != "PERSON"]
                out += names
            elif c.dep_ == "acl" and _lemma(c) in ("lead", "head"):
                for a in c.children:
                    if a.dep_ == "agent":
                        out += [m for p in a.children if p.dep_ == "pobj" for m in _names(ctx, p, exclude, depth + 1)]
            elif c.dep_ == "prep" and c.lower_ == "of" and not out:
                out += [m for p in c.children if p.dep_ == "pobj" for m in _names(ctx, p, exclude, depth + 1)]
        if person:
            # "an Albany teen", "a Greek officer": where a person is from is not who acts
            out = [m for m in out if ctx.mentions[m].label == "PERSON"]
        if not out and h.pos_ == "NOUN" and describes and (said_of := _predicated_of(h)) is not None:
            out += _names(ctx, said_of, exclude, depth + 1)
        if not out and h.pos_ == "NOUN" and describes:
            out += _described(ctx, h)
    for c in h.children:
        if c.dep_ == "conj":
            out += _names(ctx, c, exclude, depth + 1)
    return _unique(out)


def _list_hung_on_name(ctx: _Doc, h: Token, exclude: set[int], depth: int) -> list[int]:
    """The names of a coordination the parse hung on a name as its modifier ("X and his brother Y"
    read as a Y described by "X and his brother"), or of a pair joined by a hyphen ("X-Y" read as a Y
    described by X): a modifier that is itself coordinated with "and", or glued to ``h`` by a hyphen,
    and names a party other than ``h`` lists that party beside ``h``, never describes it."""
    if depth >= 3:
        return []
    own = ctx.mention_of[h.i]
    out: list[int] = []
    for c in h.children:
        if c.dep_ not in ("nmod", "compound") or c.i > h.i:
            continue
        m = ctx.mention_of[c.i]
        if m not in ctx.paired and not any(x.dep_ == "cc" and x.lower_ in ("and", "&") for x in c.children):
            continue
        if m >= 0 and m != own and ctx.mentions[m].label in _ACTOR_LABELS:
            out += _names(ctx, c, exclude, depth + 1)
    return out


def _deed_or_stance(t: Token) -> bool:
    """A noun for a deed (an event noun of the lexicon: "bombing", "talks") or for a stance ("plan")."""
    lex = load_lexicon()
    lemma = _lemma(t)
    return (
        (lemma, "NOUN") in lex.predicates
        or (t.lower_, "NOUN") in lex.predicates
        or any(lemma in lex.classes.get(c, frozenset()) for c in ("stances", "assaultnoun"))
    )


def _thing(t: Token) -> bool:
    """A common noun the lexicons know as no one: not a person noun, a title, a relative or agent, nor a
    body that acts (an institution, a military word, a delegation): "a store", "the contract"."""
    return (
        t.pos_ == "NOUN"
        and not _person_noun(t)
        and not _body_of_state(t)
        and not load_name_lexicon().is_("title", t.text)
        and not load_name_lexicon().is_("kin", _lemma(t))
        and t.lower_ not in _PERSONAL
    )


def _country(m: Mention) -> str | None:
    """The country a mention names, by its name or its text ("US", "Russia"), else None."""
    lex = load_name_lexicon()
    return lex.country(m.name) or lex.country(m.text)


def _body_of_state(t: Token) -> bool:
    """A noun for a body that acts for its place: an institution ("government", "army"), a military
    word ("troops", "warship") or a delegation of the state ("the US delegation", "Chinese officials")."""
    lemma = _lemma(t)
    return (
        load_name_lexicon().is_("institution", t.text)
        or lemma in load_lexicon().classes.get("military", frozenset())
        or lemma in load_lexicon().classes.get("envoys", frozenset())
    )


def _predicated_of(h: Token) -> Token | None:
    """What a predicative noun is said of: the subject of a copula ("X was the man who", "X was among
    the teens"), the object of a verb it describes through "as" ("identified X as the gunman who")."""
    v = h.head
    if h.dep_ == "attr" and v.pos_ in ("AUX", "VERB") and _lemma(v) == "be":
        return _subject(v)
    if h.dep_ == "pobj" and v.lower_ == "as" and v.dep_ == "prep" and v.head.pos_ == "VERB":
        return next((c for c in v.head.children if c.dep_ == "dobj"), None)
    if h.dep_ == "pobj" and v.lower_ == "among" and v.head.pos_ in ("AUX", "VERB") and _lemma(v.head) == "be":
        return _subject(v.head)  # "X was among the teens arrested": X is one of them
    if h.dep_ == "oprd" and v.pos_ == "VERB":
        return next((c for c in v.children if c.dep_ == "dobj"), None)
    return None


def _named_before_comma(ctx: _Doc, h: Token) -> int | None:
    """The name a definite description stands beside: "X, the teen accused of ..." → X.

    Only a description that starts with "the" right after "Name ," and is parsed as an apposition
    or a modified noun (the parse often attaches it to an earlier word than the name)."""
    if h.pos_ != "NOUN" or h.dep_ not in ("appos", "conj", "npadvmod"):
        return None
    first = h.left_edge
    if first.lower_ != "the" or first.i < 2:
        return None
    comma, name = ctx.sdoc[first.i - 1], ctx.sdoc[first.i - 2]
    m = ctx.mention_of[name.i]
    if comma.text != "," or m < 0 or ctx.mentions[m].label not in ("PERSON", "ORG"):
        return None
    return m


_TERMINAL = {".", "!", "?", "…", '"', "'", "”", "’", ":", ";", ")"}


def _in_headline(ctx: _Doc, t: Token) -> bool:
    """``t`` is in a headline: a line of its own that ends with no sentence-final punctuation."""
    sent = ctx.sents[ctx.sent_index(t)]
    text = view(ctx.sdoc).text
    if sent[-1].text in _TERMINAL or any(tok.text in _TERMINAL for tok in sent if tok.is_punct and tok.i > t.i):
        return False
    after = text[sent.end_char : sent.end_char + 2]
    before = text[max(0, sent.start_char - 1) : sent.start_char]
    return (after == "" or after.startswith("\n")) and (before in ("", "\n"))


def _unique(xs: Iterable[int]) -> list[int]:
    seen: set[int] = set()
    return [x for x in xs if not (x in seen or seen.add(x))]


def _subject_names(ctx: _Doc, v: Token, depth: int = 0) -> tuple[list[int], list[int]]:
    """(actors, patients) from a verb's subject, its passive agent (the clause patterns), or the clause
    it depends on (code: climbing the tree)."""
    actors: list[int] = []
    patients: list[int] = []
    # a past participle with a subject and no auxiliary or object is a passive with its "was" left out,
    # as headlines write it ("X arrested on DUI charge", "X killed in crash"): the subject undergoes it
    # a headline tells what happened in the present tense ("Police arrest man"), so a past form there with no
    # auxiliary is that passive too, whichever of VBN and VBD the tagger chose ("Minister arrested on charge")
    reduced_passive = (v.tag_ == "VBN" or (v.tag_ == "VBD" and _in_headline(ctx, v))) and not any(
        c.dep_ in ("aux", "auxpass") or c.dep_ in _OBJ for c in v.children
    )
    clause = ctx.roles.of(v, "clause")
    for r in clause:
        role = r.pattern.reduced_passive if reduced_passive and r.pattern.reduced_passive else r.pattern.role
        if role == "actor":
            actors += _names(ctx, r.token)
        elif role == "patient":
            patients += _names(ctx, r.token)
    if actors and not patients and v.dep_ == "acl" and v.tag_ == "VBN" and v.head.pos_ in ("NOUN", "PROPN"):
        patients = _names(ctx, v.head)  # "the school bombed by X": the noun is what X bombed
    if actors or patients or depth > 3 or v.head is v:
        return actors, patients
    if any(r.pattern.name in _SUBJECT_PATTERNS for r in clause):
        return actors, patients  # "his client did not kill X": a subject naming nobody is still the subject
    h = v.head
    if v.dep_ == "conj" and h.pos_ in ("VERB", "AUX"):
        return _subject_names(ctx, h, depth + 1)
    if v.dep_ == "xcomp" and h.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        controller = next((c for c in h.children if c.dep_ in ("dobj", "obj") and c.i < v.i), None)
        if controller is not None:
            # "X ordered Y to shoot", "X asked Y to leave": the object of the verb above does what its
            # infinitive says (object control); the one who ordered it is not who shot
            return _names(ctx, controller), []
    if v.dep_ in ("xcomp", "advcl") and h.pos_ in ("VERB", "AUX", "ADJ"):
        a, p = _subject_names(ctx, h, depth + 1)
        if v.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in v.children):
            return [], a + p  # "X faces prison if convicted", "X was freed once cleared": X undergoes it
        return a + p, []  # "X is expected to send", "X plans to conduct": X does it
    if v.dep_ in ("acl", "relcl") and h.pos_ in ("NOUN", "PROPN", "PRON"):
        names = _names(ctx, h)
        return ([], names) if v.tag_ == "VBN" else (names, [])
    if v.dep_ == "pcomp" and h.head.pos_ == "VERB":
        g = h.head
        if _lemma(g) in load_lexicon().classes.get("culpability", frozenset()):
            held = [m for r in ctx.roles.of(g, "clause") if r.pattern.name in _UNDERGOER_PATTERNS
                    for m in _names(ctx, r.token)]
            if held:
                return held, []  # "accused X of carrying out", "X was charged with planning": X does it
        return _subject_names(ctx, g, depth + 1)
    return actors, patients


def _prep_names(ctx: _Doc, t: Token, kind: str) -> tuple[list[int], list[int | None]]:
    """Targets ("with/to/against Y") and places ("in/at/to X") from a word's prepositions: the
    prepositional patterns, for an event of type ``kind``."""
    targets: list[int] = []
    places: list[int | None] = []
    named: dict[int, list[int]] = {}  # a preposition's object may bear a target and a place ("to X")
    for r in ctx.roles.of(t, "prepositional", event_type=kind):
        if r.token.i not in named:
            named[r.token.i] = _names(ctx, r.token)
        names = named[r.token.i]
        prep = r.preposition
        for role in prep.roles if prep is not None else (r.pattern.role,):
            if role == "place":
                places += [m for m in names if ctx.mentions[m].label in _PLACE_LABELS]
            elif prep is not None and prep.except_places:  # "fired at Y"; but "at X" only says where
                if _thing(r.token):
                    continue  # "assaulted a customer at a Rite Aid store": a thing named there is where, not whom
                targets += [m for m in names if ctx.mentions[m].label not in _PLACE_LABELS]
            elif role == "target":
                targets += names
    return targets, places


# --------------------------------------------------------------------------- modes and dates


def _clause_chain(t: Token) -> list[Token]:
    """The trigger and the words that govern it up to its clause's head (and a few beyond)."""
    out = [t]
    cur = t
    for _ in range(MAX_ANCESTOR_STEPS):
        if cur.head is cur:
            break
        cur = cur.head
        out.append(cur)
    return out


_CUE_PATH = {"xcomp", "ccomp", "dobj", "pobj", "pcomp", "attr", "acomp", "oprd", "nsubjpass"}
# prepositions through which an event noun takes the mode of the clause it hangs on: what is called for, planned
# on or to, and what something else will happen during ("will speak during a meeting": the meeting is ahead too)
_CUE_PREPS = {"on", "for", "to", "during"}
# an auxiliary before its subject: a condition ("had X known", "were X to attack", "should X attack") or a
# question ("will you attack", "did X meet Y")
_INVERTING_AUX = {"had", "were", "should", "will", "would", "shall", "can", "could", "may", "might", "must",
                  "did", "do", "does", "has", "have", "is", "are", "was"}  # fmt: skip


def _inverted(verb: Token) -> bool:
    """A clause whose auxiliary comes before its subject ("had X met Y", "were X to attack"): a condition
    or a question, never a statement that the event happened."""
    aux = [c.i for c in verb.children if c.dep_ == "aux" and c.lower_ in _INVERTING_AUX]
    subj = [c.i for c in verb.children if c.dep_ in _SUBJ | {"nsubjpass"}]
    return bool(aux and subj) and min(aux) < min(subj)
_RANK_WORDS = {"first", "last", "only"}  # "the first leader to visit": a rank among those who did it


def _intended(v: Token, lex: Lexicon) -> bool:
    """``v`` heads a bare infinitive of purpose or of a noun's content ("went there to meet them", "a
    plan to send troops"): the clause says what someone means to do, not that it was done. An
    infinitive ranking who did something ("the first to arrive") is not one, nor a purpose that
    names the deed of its own clause again ("met to discuss", "marched to protest": one event)."""
    if v.pos_ not in ("VERB", "AUX") or v.dep_ not in ("advcl", "acl", "relcl"):
        return False
    kids = list(v.children)
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in kids) or any(c.dep_.startswith("nsubj") for c in kids):
        return False
    if v.dep_ == "advcl":
        own, above = _match(v, lex), _match(v.head, lex)
        return own is None or above is None or own.type != above.type
    noun = v.head  # a common noun whose content the clause is ("a plan to"), not a party ("X, to issue")
    return noun.pos_ == "NOUN" and not any(
        c.lower_ in _RANK_WORDS or c.tag_ == "JJS" for c in noun.children if c.dep_ == "amod"
    )


def _mode(ctx: _Doc, t: Token, gov: Token | None, lex: Lexicon) -> tuple[Mode, int | None]:
    heads = [t] + ([gov] if gov is not None else [])
    for h in heads:
        for c in h.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no"):
                return "negated", None
    for c in t.children:  # a cue modifying an event noun: the event it names has not happened
        if c.dep_ == "amod" and (cue := lex.cues.get(_lemma(c)) or lex.cues.get(c.lower_)):
            return cue, None  # type: ignore[return-value]
    # a cue on the event's own clause, or on a word it is the complement of ("plans to conduct"), or on the
    # support verb that carries an event noun ("proposed talks")
    cur = gov if gov is not None else t
    carried = gov is not None and t.head.i == gov.i  # "proposed talks"; not "proposed a truce during a visit"
    for step in range(MAX_ANCESTOR_STEPS + 1):
        if step or carried:
            cue = lex.cues.get(_lemma(cur)) or lex.cues.get(cur.lower_)
            if cue and not (cue == "negated" and step > 1):  # a deed refused; not what it is about
                return cue, None  # type: ignore[return-value]
        if not step and _inverted(cur):  # a question or a condition, whatever its auxiliary says of time
            return "hypothetical", None
        for c in cur.children:
            if c.dep_ in ("aux", "mark") and c.lower_ in lex.cues:
                return lex.cues[c.lower_], None  # type: ignore[return-value]
        if not step and _intended(cur, lex):  # its own clause, not one it is the topic of ("came to mourn the bombing")
            return "planned", None
        if cur.head is cur or not (
            cur.dep_ in _CUE_PATH
            or (cur.dep_ == "prep" and cur.lower_ in _CUE_PREPS)
            or (cur.dep_ == "conj" and cur.pos_ in ("NOUN", "PROPN"))  # "would include a ceasefire and talks"
        ):
            break
        cur = cur.head
    q = ctx.quote_at(t.idx)
    if q is not None:
        return "reported", q.via if q.via is not None else q.speaker
    sent = ctx.sents[ctx.sent_index(t)]
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(ctx.sdoc) and ctx.sdoc[tok.i + 1].lower_ == "to":
            for p in ctx.sdoc[tok.i + 1].children:
                if p.dep_ == "pobj":
                    names = _names(ctx, p)
                    return "reported", names[0] if names else None
            return "reported", None
    return "asserted", None


_OCCURRENCE = {"report", "occur", "happen", "take", "break", "erupt", "begin", "start", "end", "come", "follow"}
_FRAME_PREPS = {"during", "at", "amid", "on"}  # "during a July meeting": the event happened then
_ASIDE_PREPS = {"in", "for", "over", "about", "with", "against", "after", "before", "since", "following"}


def _date(ctx: _Doc, t: Token, gov: Token | None) -> int | None:
    """A timex on the trigger's clause, else on a clause that governs it (not a reporting verb, and for an
    event noun not a verb of another deed: a noun hanging on a verb names an event of its own time)."""
    if not ctx.timex_anchor:
        return None
    own = {t.i} | ({gov.i} if gov is not None else set())
    sent = ctx.sents[ctx.sent_index(t)]
    in_sent = [(i, a) for i, a in ctx.timex_anchor if sent.start <= a < sent.end]
    if not in_sent:
        return None
    # an event noun (or gerund) another verb's deed is about, or comes after, has its own time: "testified in
    # the shooting on Thursday", "charged Monday in the killing", "arrested after the attack" (not one the verb
    # turns into or happens during: "devolved into a riot tonight", "killed during protests on Monday")
    aside = (
        gov is None
        and ((t.pos_ in ("NOUN", "PROPN") and t.dep_ == "pobj") or (t.pos_ == "VERB" and t.dep_ == "pcomp"))
        and t.head.lower_ in _ASIDE_PREPS
    )
    deed_above = aside and _another_deed(t.head)
    for i, a in in_sent:
        if a in own and not (deed_above and _through_preposition(ctx, i)):
            return i  # a date phrase after such a noun may hang on the deed's verb as well: no date
    if gov is None and t.dep_ in ("nsubj", "nsubjpass") and _lemma(t.head) in _OCCURRENCE:
        for i, a in in_sent:  # "riots were reported on Saturday", "the attack took place on Monday"
            if a == t.head.i:
                return i
    if gov is None:  # "the shooting that took place last Friday", "the attack carried out on Monday"
        clauses = {c.i for c in t.children if c.dep_ in ("relcl", "acl") and _lemma(c) in _OCCURRENCE | {"carry"}}
        for i, a in in_sent:
            if a in clauses:
                return i
    frames = {
        p.i
        for h in own
        for c in ctx.sdoc[h].children
        if c.dep_ == "prep" and c.lower_ in _FRAME_PREPS
        for p in c.children
        if p.dep_ == "pobj"
    }
    for i, a in in_sent:
        if a in frames:
            return i
    chain = _clause_chain(gov if gov is not None else t)[1:]
    below = gov if gov is not None else t
    for h in chain:
        if _lemma(h) in _REPORTING:
            break
        if below.dep_ in ("pobj", "pcomp") and h.lower_ in _ASIDE_PREPS and below.pos_ in ("NOUN", "PROPN", "VERB"):
            aside = True  # the clause being climbed is what a deed above is about ("went on trial for ...")
        if aside and h.pos_ in ("VERB", "AUX") and _lemma(h) not in _OCCURRENCE:
            break
        if below.dep_ in _EMBEDDED_CLAUSE and below.pos_ in ("VERB", "AUX") and _another_deed(h):
            break  # a relative or complement clause below another deed has its own time ("watched how X was shot")
        below = h
        for i, a in in_sent:
            if a == h.i:
                return i
    return _clause_date(ctx, gov if gov is not None else t, in_sent)


_LINKED_CLAUSE = {"conj", "advcl", "xcomp", "pcomp", "prep"}  # how a dated clause may hang below
_EMBEDDED_CLAUSE = {"relcl", "acl", "ccomp", "csubj"}  # a clause below a noun or a verb of another deed
_TIME_PREPS = {"after", "upon", "on", "by", "following", "during", "in"}  # "arrested after being stopped"
_OTHER_TIME = {"while", "whereas", "although", "though", "since", "before", "until", "unless", "if"}


def _through_preposition(ctx: _Doc, i: int) -> bool:
    """The timex ``i`` is a prepositional phrase ("on Thursday"), whose attachment a parse often guesses."""
    tx = ctx.timexes[i]
    span = ctx.sdoc.char_span(tx.start, tx.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span.root.dep_ == "pobj" and span.root.head.dep_ == "prep"


def _another_deed(h: Token) -> bool:
    """The first verb at or above ``h`` tells a deed (not "be" or a verb of occurrence, which only
    place what they govern: "tonight was a vigil that turned into a riot")."""
    for _ in range(MAX_ANCESTOR_STEPS):
        if h.pos_ in ("VERB", "AUX"):
            return _lemma(h) not in _OCCURRENCE | {"be"}
        if h.head is h:
            break
        h = h.head
    return False


def _clause_date(ctx: _Doc, t: Token, in_sent: list[tuple[int, int]]) -> int | None:
    """A date in a clause subordinate or coordinate to the event's clause (same sentence): "X was shot
    and killed on Saturday", "X was arrested ... after he was stopped on Sunday". Never a date on a
    reporting verb ("police said Monday"), nor one reached through a reporting verb."""
    head = t
    if head.pos_ not in ("VERB", "AUX") or _lemma(head) in _REPORTING:
        return None  # a noun event's clause is another event ("enraged over the shooting")
    tops = {head.i}
    if head.dep_ == "conj" and _lemma(head.head) not in _REPORTING and head.tag_ == head.head.tag_:
        tops.add(head.head.i)  # a sibling clause of the same coordination
    for i, a in in_sent:
        tok = ctx.sdoc[a]
        if _lemma(tok) in _REPORTING:
            continue
        cur = tok
        for _ in range(MAX_ANCESTOR_STEPS + 2):
            if cur.i in tops:
                if cur.i != head.i or tok.i != head.i:
                    return i
                break
            if cur.head is cur or cur.dep_ not in _LINKED_CLAUSE or _lemma(cur.head) in _REPORTING:
                break
            if cur.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _OTHER_TIME for c in cur.children):
                break  # "while forces on Tuesday killed ...": a clause of another time
            if cur.dep_ == "prep" and cur.lower_ not in _TIME_PREPS:
                break  # "talking about what led ... on May 29", "since ascending to power in 2011"
            if cur.dep_ == "conj" and (cur.tag_ != cur.head.tag_ or any(c.dep_ in _OBJ for c in cur.children)):
                break  # "X was shot and killed on Saturday", not "X shot ... and fueled a riot Monday"
            cur = cur.head
    return None


# --------------------------------------------------------------------------- events


def _inside_claim(t: Token, lex: Lexicon) -> bool:
    """A word inside what an accusation or denial is about ("accused X of *providing* arms").

    Not a claim that a denial is about: "denied Israeli army claims that ..." reports that claim; nor
    what a noun's own modifying clause says ("denied that militants were in the school bombed on
    Tuesday"): a description is what both sides take as given; nor a definite event noun ("charged
    with the robbery", "blamed for the blast"): a definite description presupposes
    that its event happened, and what is claimed is who did it."""
    if _definite(_phrase_head(t, lex)):
        return False
    child = t
    for _ in range(6):
        h = child.head
        if h is child or child.dep_ in ("acl", "relcl"):
            return False
        if h.pos_ == "VERB" and child.dep_ in ("ccomp", "xcomp", "prep", "advcl") and child.dep_ != "advcl":
            p = _match(h, lex)
            if p is not None and ("claim" in p.flags or "denial" in p.flags):
                return True
        child = h
    return False


def _definite(t: Token) -> bool:
    """A noun phrase with a definite determiner or a possessor ("the attack", "Friday's attack")."""
    return t.pos_ == "NOUN" and any(
        (c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or c.dep_ == "poss" for c in t.children
    )


def _phrase_head(t: Token, lex: Lexicon) -> Token:
    """The noun a trigger's phrase is headed by: its outcome noun when it modifies one ("the shooting
    death"), else the trigger itself."""
    if t.dep_ in ("compound", "amod") and _lemma(t.head) in lex.classes.get("outcome", frozenset()):
        return t.head
    return t


def _proposition(t: Token, gov: Token | None) -> str | None:
    """Content lemmas of what is claimed or denied; None when it only points back ("the claim")."""
    head = gov if gov is not None else t
    parts: list[Token] = []
    for c in head.children:
        if (
            c.dep_ in ("ccomp", "xcomp")
            or (c.dep_ == "prep" and c.lower_ in ("of", "that", "for"))
            or (c.dep_ in _OBJ and c.lemma_.lower() not in _ANAPHORIC_CONTENT)
        ):
            parts += list(c.subtree)
    words = sorted(
        {w.lemma_.lower() for w in parts if w.is_alpha and not w.is_stop and w.pos_ in ("NOUN", "VERB", "PROPN", "ADJ")}
    )
    return " ".join(words) if words else None


_SPEECH_ACTS = {"ACCUSE", "SUPPORT", "REJECT", "THREATEN", "REQUEST", "CONCEDE"}


def _elaboration_date(ctx: _Doc, t: Token, actors: list[int]) -> int | None:
    """The date of the next sentence when it only elaborates a speech act by the same speaker.

    "X hailed Y. She stated in January 2023 that ...": the statement dated there is the event.
    """
    si = ctx.sent_index(t)
    if si + 1 >= len(ctx.sents):
        return None
    nxt = ctx.sents[si + 1]
    root = nxt.root
    if _lemma(root) not in _REPORTING:
        return None
    subj = _subject(root)
    if subj is None or not set(_names(ctx, subj)) & set(actors):
        return None
    for i, a in ctx.timex_anchor:
        if a == root.i:
            return i
    return None


def find_events(
    sdoc: Doc, mentions: list[Mention], timexes: list[Timex], quotes: list[Quote], published: str | None = None
) -> list[Event]:
    """Events in text order, participants as indices into ``mentions``; ``published`` (the article's date)
    bounds when a past-tense event can have happened."""
    if not len(sdoc):
        return []
    lex = load_lexicon()
    ctx = _Doc(sdoc, mentions, timexes, quotes)
    ctx.published = day.toordinal() if (day := first_day(published and published[:10])) else None
    found: list[tuple[Token, Predicate]] = []
    pos = sdoc.to_array(POS)
    tokens = view(sdoc).tokens
    for i in np.flatnonzero((pos == VERB) | (pos == NOUN) | (pos == PROPN)).tolist():  # the words _match reads
        t = tokens[i]
        p = _match(t, lex)
        if p is not None and not (p.pos == "NOUN" and _modifies_noun(t, lex)):
            found.append((t, p))
    verb_triggers = {t.i for t, p in found if p.pos == "VERB"}
    denials = {t.i for t, p in found if p.pos == "VERB" and "denial" in p.flags}
    ctx.anchor_timexes({t.i for t, p in found if p.pos == "NOUN"})
    kept: list[tuple[Token, Predicate, Token | None]] = []
    for t, p in found:
        if _inside_claim(t, lex):
            continue
        gov = _governor(t, lex) if p.pos == "NOUN" else None
        if p.pos == "NOUN":
            h = t.head
            if t.dep_ in _OBJ | {"nsubjpass"} and h.i in verb_triggers and not ("claim" in p.flags and h.i in denials):
                continue  # "signed an agreement", "threatened sanctions": the verb's event; but a denied
                #           claim is the claimant's own event ("disputed the ministry's claim that ...")
            if (
                t.dep_ == "pobj"
                and h.head.i in verb_triggers
                and h.lower_ in ("on", "for", "in", "over")
                and _lemma(h.head) not in lex.classes.get("culpability", frozenset())
            ):
                continue  # "called for talks", "agreed on a truce"; but "arrested for the shooting" is two deeds
        kept.append((t, p, gov))
    ctx.roles = Roles(sdoc, around=(t.i for t, _, _ in kept))  # the events' sentences, matched at once
    events: list[Event] = []
    for t, p, gov in kept:
        ev = _event(ctx, t, p, gov, lex)
        if ev is not None:
            events.append(ev)
    events.sort(key=lambda e: (e.trigger_start, e.type))
    return events


def _modifies_noun(t: Token, lex: Lexicon) -> bool:
    """A trigger noun that only modifies another noun ("attack submarine", "murder trial") names no
    event, unless that noun is the event's outcome ("the shooting death of X": class ``outcome``)."""
    h = t.head
    return (
        t.dep_ in ("compound", "amod")
        and h.pos_ in ("NOUN", "PROPN")
        and h.i > t.i
        and _lemma(h) not in lex.classes.get("outcome", frozenset())
    )




def _participants(
    ctx: _Doc, t: Token, p: Predicate, gov: Token | None, lex: Lexicon
) -> tuple[list[int], list[int], list[int | None]]:
    """(actors, targets, places) of a trigger from the arcs around it."""
    actors: list[int] = []
    targets: list[int] = []
    places: list[int | None] = []
    if p.pos == "VERB":
        actors, patients = _subject_names(ctx, t)
        targets += patients
        for r in ctx.roles.of(t, "clause", flags=p.flags):
            if r.pattern.role != "target":
                continue
            c = r.token
            if r.pattern.name == "complement_clause":
                if "denial" in p.flags and _claim_word(c, lex):
                    targets += _subject_names(ctx, c)[0]  # "X denied Y claims that ...": a denial answers its claimant
                elif "claim" in p.flags and p.type == "ACCUSE" and c.pos_ in ("VERB", "AUX"):
                    targets += _subject_names(ctx, c)[0]  # "X claimed Y was planning ...": Y is the one accused
                continue
            targets += _names(ctx, c)
            if r.pattern.name in _OBJECT_PATTERNS and _lemma(c) not in lex.classes.get("stances", frozenset()):
                # "threatened sanctions on X"; but "attacked the plan on NAFTA": what a stance is on is its topic
                tg, pl = _prep_names(ctx, c, p.type)
                targets += tg
                places += pl
        tg, pl = _prep_names(ctx, t, p.type)
        targets += tg
        places += pl
        if t.dep_ == "amod" and _lemma(t.head) in lex.classes.get("outcome", frozenset()):
            # "the shooting death of X" (shooting tagged as a verb): X is on the outcome noun
            targets += [m for r in ctx.roles.of(t.head, "nominal") if r.pattern.name == "nominal_of"
                        for m in _names(ctx, r.token)]
    else:
        own_actors, own_patients = [], []
        heads = [t]
        if t.dep_ in ("compound", "amod") and _lemma(t.head) in lex.classes.get("outcome", frozenset()):
            heads.append(t.head)  # "the shooting death of X": X is on the outcome noun
        # whether the noun has an "of" or a "by" phrase at all (a condition on the whole phrase, code)
        has_of = any(c.dep_ == "prep" and c.lower_ == "of" for h in heads for c in h.children)
        has_by = any(c.dep_ == "prep" and c.lower_ == "by" for h in heads for c in h.children)
        for h in heads:
            nominal = ctx.roles.of(h, "nominal", flags=p.flags)
            # "the arrest by guards of X": the parse may hang the deed's "of" on its agent
            strayed: dict[int, list[int]] = {}
            for r in nominal:
                if r.pattern.name == "nominal_agent_stray_of" and not has_of:
                    strayed.setdefault(r.node("agent").i, []).extend(_names(ctx, r.token))
            for r in nominal:
                name = r.pattern.name
                if name == "nominal_agent_stray_of" or (r.pattern.needs_mention and ctx.mention_of[r.token.i] < 0):
                    continue
                role = r.pattern.role_for(p.flags)
                if name == "possessor":  # "X's arrest": X is arrested; beside "by Y" too; beside "of Y" X does it
                    role = "patient" if ("possessed" in p.flags or has_by) and not has_of else "actor"
                if name == "nominal_agent":
                    gone = strayed.get(r.token.i, [])
                    own_patients += gone
                    own_actors += [m for m in _names(ctx, r.token) if m not in gone]
                elif role == "patient":
                    own_patients += _names(ctx, r.token)
                elif role == "actor" and r.pattern.needs_mention:
                    # "a Ruritanian air strike", "the US raid": a people or a country does it; a town or a
                    # region named on the event noun ("the Brooklyn shooting") says where it happened
                    for m in _names(ctx, r.token):
                        local = ctx.mentions[m].label in _PLACE_LABELS and _country(ctx.mentions[m]) is None
                        (places if local else own_actors).append(m)
                elif role == "actor":
                    own_actors += _names(ctx, r.token)
        tg, pl = _prep_names(ctx, t, p.type)
        tg = [m for m in tg if m not in own_actors]
        if gov is not None and _lemma(gov) == "have" and "possessed" in p.flags:
            # "X had an arrest" is X's arrest: the possessor of such a deed is who underwent it
            a, pt = _subject_names(ctx, gov)
            actors = own_actors
            targets = a + pt + own_patients + tg
        elif gov is not None:
            a, pt = _subject_names(ctx, gov)
            if _lemma(gov) == "be" and _STATE_PREPS.get(t.head.lower_) == "patient":
                a, pt = [], a + pt  # "X was under attack": X is attacked
            actors = a or own_actors
            targets = pt + own_patients + tg
            if a and own_actors:
                targets += own_actors
            tg2, pl2 = _prep_names(ctx, gov, p.type)
            targets += tg2
            places += pl2
        else:
            actors = own_actors
            targets = own_patients + tg
            if t.dep_ in _SUBJ and t.head.pos_ in ("VERB", "AUX"):
                tg2, pl2 = _prep_names(ctx, t.head, p.type)  # "Kim's trip to Russia came ..."
                places += pl2
        places += pl
    if not actors:
        actors = _culpable(ctx, _phrase_head(t, lex), lex)
    if "move" in p.flags:
        if p.pos == "VERB":
            # "visited Moscow", "arrived in South Korea": the place is who is visited
            obj = next((r.token for r in ctx.roles.of(t, "clause") if r.pattern.name in _UNDERGOER_PATTERNS), None)
            if obj is not None:
                places += [m for m in _names(ctx, obj) if ctx.mentions[m].label in _PLACE_LABELS]
        targets += [m for m in places if m is not None]
    return actors, targets, places


_CULPABLE_PREPS = {"of", "with", "for", "to", "in"}


def _culpable(ctx: _Doc, t: Token, lex: Lexicon) -> list[int]:
    """Who a word of the ``culpability`` class holds to account for the deed ``t`` hanging below it by
    a preposition: the object or passive subject of a verb ("charged X with", "arrested X for"), else
    its subject ("X confessed to"); the one an adjective is said of ("found X guilty of", "X pleaded
    guilty to"); the person a noun of the class names ("X, a suspect in"). Nobody otherwise."""
    prep = t.head
    if t.dep_ not in ("pobj", "pcomp") or prep.dep_ != "prep" or prep.lower_ not in _CULPABLE_PREPS:
        return []
    h = prep.head
    culpability = lex.classes.get("culpability", frozenset())
    if h.pos_ in ("NOUN", "PROPN") and h.dep_ in _OBJ | {"nsubjpass"} and _lemma(h.head) in culpability:
        return _names(ctx, h)  # "accused the rebels of shelling": the preposition hangs on the object
    if _lemma(h) not in culpability or _negated(h) or _negated(h.head):
        return []  # "X was not responsible for": a denial names no doer
    if h.pos_ == "ADJ":
        subject = [r.token for r in ctx.roles.of(h, "clause") if r.pattern.name == "subject"]
        if subject:
            return _names(ctx, subject[0])  # "finds X guilty in": a small clause
        if h.dep_ == "amod":
            return _names(ctx, h.head)
        if h.dep_ in ("oprd", "acomp", "ccomp", "xcomp") and h.head.pos_ in ("VERB", "AUX"):
            h = h.head  # "found X guilty of", "X was found guilty of", "X pleaded guilty to"
        else:
            return []
    if h.pos_ in ("VERB", "AUX"):
        clause = ctx.roles.of(h, "clause")
        for held in (_UNDERGOER_PATTERNS, ("subject",)):  # who is charged, else who confesses
            for r in clause:
                if r.pattern.name in held and (names := _names(ctx, r.token)):
                    return names
        actors, patients = _subject_names(ctx, h)  # "X was held and charged with": the shared subject
        return patients or actors
    if h.pos_ == "NOUN":
        names = _names(ctx, h)
        if not names and h.dep_ == "attr" and (s := _subject(h.head)) is not None:
            names = _names(ctx, s)  # "X is a suspect in"
        return names
    return []


_ENFORCEMENT_TYPES = {"COERCE"}  # arrests, detentions, seizures: acts an authority does and reports itself


def _institution(m: Mention) -> bool:
    """An organisation named as a body of the state or an agency ("... Police", "... Ministry", "... Patrol")."""
    words = m.name.split()
    return m.label == "ORG" and bool(words) and load_name_lexicon().is_("institution", words[-1])


def _after_its_report(ctx: _Doc, t: Token, value: str | None) -> bool:
    """A verb told in the past tense whose date starts more than a day after the article's: impossible."""
    if ctx.published is None or t.pos_ != "VERB" or verb_tense(t) != "past":
        return False
    day = first_day(value)
    return day is not None and day.toordinal() > ctx.published + 1


def _negated(t: Token) -> bool:
    return any(c.dep_ == "neg" for c in t.children)


def _situated(ctx: _Doc, t: Token, gov: Token | None, lex: Lexicon) -> bool:
    """An event the text places in time even when no calendar date can be given: a date phrase tied
    to the trigger or its support verb ("Saturday's protests", "announced rallies on Sunday"), or an
    event noun counted in units of time (an ordinal or a number of days, nights or weeks, then "of" and the noun)."""
    if t.i in ctx.vague_anchors or (gov is not None and gov.i in ctx.vague_anchors):
        return True
    h = t.head
    return (
        t.pos_ == "NOUN"
        and t.dep_ == "pobj"
        and h.lower_ == "of"
        and _lemma(h.head) in lex.classes.get("timeunit", frozenset())
    )


_DEONTIC = {"should", "must", "ought"}


def _ought_to_be_done(t: Token) -> bool:
    """A verb in the passive with no agent, under a modal of obligation ("should be held", "must be
    condemned"): the speaker who says so takes the stance; "X said Y was accused" reports another's act."""
    children = list(t.children)
    return (
        t.pos_ == "VERB"
        and any(c.dep_ == "auxpass" for c in children)
        and not any(c.dep_ == "agent" for c in children)
        and any(c.dep_ == "aux" and c.lower_ in _DEONTIC for c in children)
    )


def _event(ctx: _Doc, t: Token, p: Predicate, gov: Token | None, lex: Lexicon) -> Event | None:
    actors, targets, places = _participants(ctx, t, p, gov, lex)
    actors = _unique(actors)
    targets = [m for m in _unique(targets) if m not in actors]
    if _lemma(t) in lex.classes.get("personal", frozenset()):
        # a deed of the law falls on persons: a nationality on "police charged" charges officers, not the country
        targets = [m for m in targets if ctx.mentions[m].label not in _PLACE_LABELS | {"NORP"}]
    location = next((m for m in places if m is not None), None)
    tx = _date(ctx, t, gov)
    if tx is not None and _after_its_report(ctx, t, ctx.timexes[tx].value):
        tx = None  # a date after the article for a deed told in the past is another expression's
    if tx is None and p.type in _SPEECH_ACTS and actors:
        tx = _elaboration_date(ctx, t, actors)
    if not actors and not targets and tx is None and not _situated(ctx, t, gov, lex):
        return None
    mode, source = _mode(ctx, t, gov, lex)
    if not actors and p.type in _ENFORCEMENT_TYPES and source is not None and _institution(ctx.mentions[source]):
        actors = [source]  # "X was arrested, the highway patrol said": an institution reports its own act of force
        targets = [m for m in targets if m != source]
    if not actors and p.type in _SPEECH_ACTS and source is not None and _ought_to_be_done(t):
        actors = [source]  # "X said Y should be held responsible": who says it ought to be done does it
        targets = [m for m in targets if m != source]
    sent = ctx.sents[ctx.sent_index(t)]
    polarity = "claim" if "claim" in p.flags else "denial" if "denial" in p.flags else None
    return Event(
        type=p.type,
        start=sent.start_char,
        end=sent.end_char,
        trigger_start=t.idx,
        trigger_end=t.idx + len(t.text),
        trigger=_lemma(t),
        actors=actors,
        targets=targets,
        location=location,
        timex=tx,
        date=ctx.timexes[tx].value if tx is not None else None,
        mode=mode,
        source=source,
        polarity=polarity,
        proposition=_proposition(t, gov) if polarity else None,
    )
