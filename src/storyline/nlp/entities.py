"""Names in a parse: tidied NER spans, demonyms linked to countries, short forms to full names.

The NER spans of the parse are tidied (no leading "the", no possessive, a title such as
"Spokesperson" cut from a person's name and kept as the role), a few systematic tagger mistakes
are mended ("Kang Sun" + "Nam", "Defense" tagged ORG inside "Defense Minister", "Russia" + "'s" +
"Defense Ministry"), demonyms get the place they name, and short forms ("Kim", "KCNA", "the
North") point to the full name they stand for in the same document. Everything reads the one parse
token by token, so it costs little next to the parse itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from storyline.model import Mention
from storyline.nlp.docview import view
from storyline.nlp.names import NameLexicon, load_lexicon, plain

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
NICKNAME_MARKS = {"(": ")", "'": "'", '"': '"', "\u2018": "\u2019", "\u201c": "\u201d", "\u2019": "\u2019"}
COMPASS = frozenset({"north", "south", "east", "west"})
ROLE_DEPS = frozenset({"compound", "amod", "nmod", "nn", "npadvmod"})
MAX_ROLE_TOKENS = 10  # an appositive longer than this is a clause, not a role
HONORIFIC_IN_SPAN = True  # the events gold counts "Mr. Lopez" as a form: 0.881 vs 0.869 without


@dataclass(slots=True)
class _Cand:
    """A span being tidied: token range of the name, where its text starts (honorific), label."""

    s: int
    e: int
    label: str
    lead: int  # first token of the mention's text (an honorific before the name, else s)
    role: str | None = None
    name: str | None = None
    demonym: bool = False


def extract_mentions(sdoc: Doc) -> list[Mention]:
    """Mentions of PERSON, ORG, GPE, LOC, NORP and FAC names, in text order."""
    lex = load_lexicon()
    cands = []
    for ent in sdoc.ents:
        if ent.label_ in LABELS:
            c = _tidy(sdoc, _Cand(ent.start, ent.end, ent.label_, ent.start), lex)
            if c is not None:
                cands.append(c)
    cands = _join_owner_and_org(sdoc, cands, lex)
    cands = _extend_place_to_body(sdoc, cands, lex)
    cands = _join_nicknames(sdoc, cands)
    common = {t.text for t in view(sdoc).tokens if t.is_lower}  # words this document also writes in lower case
    cands = [c for c in cands if not _headline_words(sdoc, c, common, lex)]
    cands = _split_coordinated_people(sdoc, cands, common)
    cands = _join_nicknames(sdoc, _propagate(sdoc, cands, lex, common))
    cands = _untagged_acronyms(sdoc, cands, lex)
    mentions = []
    kin = [c.label == "PERSON" and _introduced_as_kin(sdoc, c, lex) for c in cands]
    for c in cands:
        first = sdoc[c.lead]
        text = sdoc[c.lead : c.e].text
        name = c.name or _name_text(sdoc, c)
        if c.label == "PERSON" and c.role is None:
            c.role = _role(sdoc, c, lex)
        mentions.append(
            Mention(
                start=first.idx, end=first.idx + len(text), text=text, label=c.label, name=name,
                role=c.role, demonym=c.demonym,
            )
        )
    sent_of = _sentence_index(sdoc, mentions)
    person_like = [m.label == "PERSON" and _person_like(m.name, common) for m in mentions]
    link_short_forms(mentions, sent_of, lex, person_like, kin)
    _capitals_as_places(mentions, lex)
    return mentions


HEADLINE_WORDS = 3  # a "person" of this many words or more, all but one written in lower case elsewhere, is a headline


def _headline_words(sdoc: Doc, c: _Cand, common: set[str], lex: NameLexicon) -> bool:
    """A person's name the tagger found in a title-case headline ("Riots Erupt Following Death"): at
    least ``HEADLINE_WORDS`` words, every one but at most one a word the document also writes in lower
    case, and none a known given name."""
    words = [sdoc[i].text for i in range(c.s, c.e) if sdoc[i].is_alpha]
    if c.label != "PERSON" or len(words) < HEADLINE_WORDS or any(lex.is_given_name(w) for w in words):
        return False
    return sum(w.lower() in common for w in words) >= len(words) - 1


def _introduced_as_kin(sdoc: Doc, c: _Cand, lex: NameLexicon) -> bool:
    """The name is given as someone's relative or agent: in apposition to a ``kin`` noun ("his sister,
    Ana Ruiz"; "Ana Ruiz, his sister") or right after one ("Ruiz's brother Tomas Ruiz")."""
    root = sdoc[c.s : c.e].root
    if root.dep_ == "appos" and lex.is_("kin", root.head.lemma_):
        return True
    if any(ch.dep_ == "appos" and lex.is_("kin", ch.lemma_) for ch in root.children):
        return True
    before = c.lead - 1
    if before >= 0 and sdoc[before].text == ",":
        before -= 1
    return before >= 0 and sdoc[before].pos_ == "NOUN" and lex.is_("kin", sdoc[before].lemma_)


def _capitals_as_places(mentions: list[Mention], lex: NameLexicon) -> None:
    """A capital the tagger called a person or a body ("Khartoum denied ...") is a place.

    A person only when the document names the capital's country and no person in it bears the
    word as a first or last name ("Paris Hilton", "Denzel Washington").
    """
    countries = {m.name if m.demonym else (lex.place(m.name) or ("",))[0] for m in mentions}
    person_words = {w for m in mentions if m.label == "PERSON" and " " in m.name.strip() for w in m.name.split()}
    for m in mentions:
        if m.label == "GPE" or m.demonym or m.antecedent is not None:
            continue
        country = lex.country_of_capital(m.name)
        if country is None:
            continue
        if m.label != "PERSON" or (country in countries and " " not in m.name.strip() and m.name not in person_words):
            m.label, m.role = "GPE", None


# --------------------------------------------------------------------------- tidying one span


def _is_junk(t: Token) -> bool:
    return t.is_punct or t.is_space or t.tag_ == "POS" or t.text in ("'s", "\u2019s", "'", "\u2019")


def _tidy(sdoc: Doc, c: _Cand, lex: NameLexicon) -> _Cand | None:
    """The span trimmed to the name itself, or None when nothing name-like is left."""
    for i in range(c.s, c.e):  # a span never runs across a line break
        if "\n" in sdoc[i].text or (i > c.s and "\n" in sdoc[i - 1].whitespace_):
            c.e = i
            break
    for i in range(c.s + 1, c.e):  # "the Grammy Awards after Adele sang": a clause begins at the subordinator
        if sdoc[i].is_lower and (sdoc[i].dep_ == "mark" or sdoc[i].pos_ == "SCONJ"):
            c.e = i
            break
    while c.s < c.e and (_is_junk(sdoc[c.s]) or sdoc[c.s].lower_ == "the"):
        c.s += 1
    while c.e > c.s and (_is_junk(sdoc[c.e - 1]) or sdoc[c.e - 1].tag_.startswith("VB")):
        c.e -= 1
    if c.e <= c.s:
        return None
    c.lead = c.s
    if c.e - c.s >= 2 and lex.is_("street", sdoc[c.e - 1].text):
        c.label = "FAC"  # "Snyder Ave", "Church Street": a thoroughfare, whatever the tagger said
        return c
    if c.label != "PERSON" and _titled_person(sdoc, c, lex):
        c.label = "PERSON"  # "Trooper William Hakim" tagged ORG: a title, then a given name
    if c.label == "PERSON":
        return _tidy_person(sdoc, c, lex)
    if c.label in ("NORP", "ORG"):
        c = _trim_demonym(sdoc, c, lex)
        if c is None:
            return None
    words = [plain(sdoc[i].text) for i in range(c.s, c.e) if not _is_junk(sdoc[i])]
    if not words or all(w in lex.kinds["modifier"] or w in lex.kinds["title"] for w in words):
        return None  # "Defense" in "Defense Minister", "Supreme" in "Supreme Leader"
    if all(w in lex.kinds.get("offence", ()) for w in words):
        return None  # "arrested on a DUI charge": the charge names no one
    if not any(sdoc[i].text[:1].isupper() or sdoc[i].text[:1].isdigit() for i in range(c.s, c.e)):
        return None
    name = _name_text(sdoc, c)
    place = lex.place(name)
    if place is not None and c.label in ("ORG", "GPE", "LOC", "NORP"):
        c.label = place[1]  # "DPRK" tagged ORG is a country
    elif c.label == "NORP" and (country := lex.demonym(name)) is not None:
        c.name, c.demonym = country, True
    elif c.label == "ORG" and (fixed := _owner_demonym(name, lex)) is not None:
        c.name = fixed  # "Russias Defense Ministry" (a lost apostrophe)
    return c


def _tidy_person(sdoc: Doc, c: _Cand, lex: NameLexicon) -> _Cand | None:
    role_start = c.s
    while c.e - c.s > 1 and _title_word(sdoc[c.s], lex):  # "Spokesperson Matthew Miller"
        c.s += 1
    while c.e - c.s > 1 and lex.is_("caption", sdoc[c.e - 1].text):  # "Kim Jong Un Image"
        c.e -= 1
    if c.s > role_start:
        c.role = sdoc[role_start : c.s].text
    c.lead = c.s
    first = sdoc[c.s]
    if not first.text[:1].isupper() or lex.is_("honorific", first.text):
        if lex.is_("honorific", first.text) and c.e - c.s > 1:
            c.s += 1
        else:
            return None
    if c.e - c.s == 1 and sdoc[c.s].is_upper and len(sdoc[c.s].text) <= 4:
        return None  # "GB", "CEO": an abbreviation, not a person
    for i in range(c.s, c.e):
        t = sdoc[i]
        after_hyphen = i > c.s and sdoc[i - 1].text in ("-", "\u2010")
        if t.is_alpha and not t.text[:1].isupper() and not after_hyphen and not lex.is_("particle", t.text):
            return None  # "hypersonic missiles"
    last = sdoc[c.e - 1]
    if c.e < len(sdoc):  # "Kang Sun" + "Nam": the tagger stopped one word short of the head noun
        nxt = sdoc[c.e]
        if (
            last.dep_ == "compound" and last.head.i == c.e and nxt.tag_ == "NNP" and nxt.is_alpha
            and nxt.text[:1].isupper() and not nxt.ent_type_ and not nxt.is_stop
            and not lex.is_("caption", nxt.text) and not _title_word(nxt, lex)
            and not (c.e + 1 < len(sdoc) and sdoc[c.e + 1].tag_ == "NNP" and nxt.dep_ == "compound")
        ):
            c.e += 1
    while (  # "Moon Jae" + "-in": a hyphenated part the tagger left out
        c.e + 1 < len(sdoc) and sdoc[c.e].text in ("-", "\u2010") and not sdoc[c.e - 1].whitespace_
        and not sdoc[c.e].whitespace_ and sdoc[c.e + 1].is_alpha and sdoc[c.e + 1].is_lower
    ):
        c.e += 2
    _honorific_lead(sdoc, c, lex)
    return c


def _titled_person(sdoc: Doc, c: _Cand, lex: NameLexicon) -> bool:
    """A span that opens with titles ("Trooper", "Sgt.", "Minister") followed by a known given name
    and a capitalised word names a person, whatever label the tagger gave it."""
    i = c.s
    while i < c.e and (_title_word(sdoc[i], lex) or sdoc[i].text == "."):
        i += 1
    if i == c.s or c.e - i < 2 or not lex.is_("title", sdoc[c.s].text):
        return False
    return lex.is_given_name(sdoc[i].text) and sdoc[i].is_title and sdoc[c.e - 1].is_title


def _honorific_lead(sdoc: Doc, c: _Cand, lex: NameLexicon) -> None:
    """"Mr." / "Mrs" before a person's name belongs to the mention's text when HONORIFIC_IN_SPAN."""
    if not HONORIFIC_IN_SPAN:
        c.lead = c.s
        return
    if c.lead == c.s and c.s > 0:
        j = c.s - 1
        if sdoc[j].text == "." and j > 0:
            j -= 1
        if lex.is_("honorific", sdoc[j].text) and sdoc[j].text[:1].isupper():
            c.lead = j


def _title_word(t: Token, lex: NameLexicon) -> bool:
    return lex.is_("title", t.text) or lex.is_("modifier", t.text)


def _trim_demonym(sdoc: Doc, c: _Cand, lex: NameLexicon) -> _Cand | None:
    """ "North Korean Supreme" -> "North Korean": a demonym with role words stuck to it."""
    for k in range(min(c.e, c.s + 3), c.s, -1):
        if lex.demonym(sdoc[c.s : k].text) is None:
            continue
        rest = [sdoc[i] for i in range(k, c.e)]
        if rest and all(_title_word(t, lex) for t in rest):
            c.e, c.label = k, "NORP"
        break
    return c


def _name_text(sdoc: Doc, c: _Cand) -> str:
    return sdoc[c.s : c.e].text


def _owner_demonym(name: str, lex: NameLexicon) -> str | None:
    words = name.split()
    if len(words) < 2:
        return None
    head = words[0]
    owner = head[:-1] if head.endswith("s") else None
    place = lex.place(owner) if owner else None
    if place and place[0] in lex.demonym_of and lex.place(head) is None:
        return " ".join([lex.demonym_of[place[0]], *words[1:]])
    return None


def _join_owner_and_org(sdoc: Doc, cands: list[_Cand], lex: NameLexicon) -> list[_Cand]:
    """ "Russia" + "'s" + "Defense Ministry" and "Russian" + "Defense Ministry" are one ORG.

    Its name takes the demonym ("Russian Defense Ministry") so both spellings meet.
    """
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if prev is not None and c.label == "ORG" and prev.label in ("GPE", "NORP") and not prev.role:
            gap = sdoc[prev.e : c.s]
            possessive = len(gap) == 1 and gap[0].tag_ == "POS" and prev.label == "GPE"
            body = lex.is_("institution", sdoc[c.e - 1].text)
            if body and (possessive or (len(gap) == 0 and prev.demonym)):
                country = prev.name if prev.demonym else (lex.place(_name_text(sdoc, prev)) or (None,))[0]
                adjective = lex.demonym_of.get(country or "")
                owner = adjective or sdoc[prev.s : prev.e].text
                out[-1] = _Cand(prev.s, c.e, "ORG", prev.lead, name=f"{owner} {c.name or _name_text(sdoc, c)}")
                continue
        out.append(c)
    return out


def _role(sdoc: Doc, c: _Cand, lex: NameLexicon) -> str | None:
    """The title before a person's name ("North Korean leader") or in apposition to it."""
    j = c.lead - 1
    while j >= 0:
        t = sdoc[j]
        if t.is_punct or t.is_space or t.pos_ == "DET" or t.ent_type_ == "PERSON":
            break
        if t.dep_ not in ROLE_DEPS or not (j < t.head.i < c.e):
            break
        j -= 1
    if j + 1 < c.lead:
        words = sdoc[j + 1 : c.lead]
        if any(_title_word(t, lex) or t.lower_ == "leader" for t in words):
            return words.text
    head = max((sdoc[i] for i in range(c.s, c.e)), key=lambda t: not (c.s <= t.head.i < c.e) and t.head != t)
    if head.dep_ == "appos" and lex.is_("title", head.head.text):  # "the defense minister, Sergey Shoygu"
        h = head.head
        toks = [t for t in sdoc[h.left_edge.i : h.i + 1] if t.pos_ != "DET" and not t.is_punct]
        if 0 < len(toks) <= MAX_ROLE_TOKENS:
            return sdoc[toks[0].i : toks[-1].i + 1].text
    for child in head.children:  # "Valery Gerasimov, the chief of staff of the Russian military"
        if child.dep_ == "appos" and child.i >= c.e and lex.is_("title", child.text):
            span = sdoc[child.left_edge.i : child.right_edge.i + 1]
            toks = [t for t in span if not (t.pos_ == "DET" and t.i < child.i)]
            while toks and toks[-1].is_punct:
                toks.pop()
            if 0 < len(toks) <= MAX_ROLE_TOKENS:
                return sdoc[toks[0].i : toks[-1].i + 1].text
    return None


def _join_nicknames(sdoc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """ "Kimani 'Kiki' Gray", "Kimani (Kiki) Gray": one person whose name is "Kimani Gray"."""
    out = cands
    seen = view(sdoc)
    tokens, words = seen.tokens, seen.words
    for i in range(1, len(sdoc) - 3):
        close = NICKNAME_MARKS.get(words[i])
        if close is None or words[i + 2] != close:
            continue
        first, nick, last = tokens[i - 1], tokens[i + 1], tokens[i + 3]
        if not all(t.is_title and t.is_alpha and t.tag_.startswith("NNP") for t in (first, nick, last)):
            continue
        s, e = i - 1, i + 4
        overlap = [c for c in out if c.s < e and s < c.e]
        if not overlap or not any(c.label in ("PERSON", "ORG") for c in overlap):
            continue
        joined = _Cand(s, e, "PERSON", s, name=f"{first.text} {last.text}")
        out = sorted([c for c in out if not (c.s < e and s < c.e)] + [joined], key=lambda c: c.s)
    return out


def _person_like(name: str, common: set[str]) -> bool:
    """Two to four capitalised words, none an acronym or a word the text also writes in lower case.

    The tagger calls "Mac App Store" a person; its words must not then become people elsewhere.
    """
    words = name.replace("-", " ").split()
    return 2 <= len(words) <= 4 and all(
        w[:1].isupper() and not (len(w) > 1 and w.isupper()) and w.lower() not in common for w in words[:1] + words[-1:]
    )


def _extend_place_to_body(sdoc: Doc, cands: list[_Cand], lex: NameLexicon) -> list[_Cand]:
    """ "California" + "Highway Patrol": a place the tagger found at the start of a body's name.

    The place runs on, as a compound, into untagged capitalised words ending in an institution
    noun (police, patrol, agency, ...); a title ("Officer") ends the name.
    """
    out = []
    for c in cands:
        e = c.e
        while (
            c.label in ("GPE", "LOC") and e < len(sdoc) and sdoc[e - 1].dep_ == "compound"
            and sdoc[e].tag_ == "NNP" and sdoc[e].is_title and not sdoc[e].ent_type_ and not _title_word(sdoc[e], lex)
            and sdoc[e - 1].whitespace_ == " "
        ):
            e += 1
        if e > c.e and lex.is_("institution", sdoc[e - 1].text):
            c = _Cand(c.s, e, "ORG", c.lead)
        out.append(c)
    return out


def _untagged_acronyms(sdoc: Doc, cands: list[_Cand], lex: NameLexicon) -> list[_Cand]:
    """ "the state KCNA news agency": an acronym of a body this document names in full, left untagged."""
    initials = {_initials(sdoc[c.s : c.e].text, lex) for c in cands if c.label in ("ORG", "FAC") and c.e - c.s > 1}
    initials.discard("")
    if not initials:
        return cands
    covered = bytearray(len(sdoc))
    for c in cands:
        covered[c.lead : c.e] = b"\x01" * (c.e - c.lead)
    found = [
        _Cand(t.i, t.i + 1, "ORG", t.i)
        for t in view(sdoc).tokens
        if not covered[t.i] and t.is_alpha and t.is_upper and 3 <= len(t.text) <= 6 and t.tag_ == "NNP"
        and t.text.lower() in initials
    ]
    return sorted([*cands, *found], key=lambda c: c.s) if found else cands


def _person_words(sdoc: Doc, cands: list[_Cand], common: set[str]) -> set[str]:
    """First and last words of the person-like full names the tagger found in this document."""
    out = set()
    for c in cands:
        if c.label == "PERSON" and c.e - c.s > 1 and _person_like(sdoc[c.s : c.e].text, common):
            out |= {w for w in (sdoc[c.s].text, sdoc[c.e - 1].text) if w[:1].isupper() and len(w) > 1}
    return out


def _split_coordinated_people(sdoc: Doc, cands: list[_Cand], common: set[str]) -> list[_Cand]:
    """ "Lopez and Carrasquillo" tagged as one name: two people the document names in full elsewhere."""
    people = _person_words(sdoc, cands, common)
    full = {tuple(t.text for t in sdoc[c.s : c.e]) for c in cands if c.label == "PERSON" and c.e - c.s > 1}
    out: list[_Cand] = []
    for c in cands:
        toks = [t.text for t in sdoc[c.s : c.e]]
        k = next((i for i, w in enumerate(toks) if w in ("and", "&")), None)
        if k is not None and 0 < k < len(toks) - 1:
            sides = (toks[:k], toks[k + 1 :])
            if all((len(p) == 1 and p[0] in people) or tuple(p) in full for p in sides):
                out.append(_Cand(c.s, c.s + k, "PERSON", c.s))
                out.append(_Cand(c.s + k + 1, c.e, "PERSON", c.s + k + 1))
                continue
        out.append(c)
    return out


def _propagate(sdoc: Doc, cands: list[_Cand], lex: NameLexicon, common: set[str]) -> list[_Cand]:
    """Untagged repeats of a name the tagger found elsewhere in the document ("Timmons" alone).

    The tagger often finds a name once and misses it later; a proper noun spelled exactly like a
    found name (or like a found person's first or last word) is that name again.
    """
    seqs: dict[str, set[tuple[tuple[str, ...], str]]] = {}
    people = _person_words(sdoc, cands, common)
    seen = view(sdoc)
    tokens, words = seen.tokens, seen.words
    for c in cands:
        if c.demonym:
            continue
        toks = words[c.s : c.e]
        label = c.label
        if len(toks) == 1 and toks[0] in people and lex.place(toks[0]) is None:
            label = "PERSON"  # a surname the tagger also called ORG once: short forms will make it a person
        seqs.setdefault(toks[0], set()).add((toks, label))
        if c.label == "PERSON" and c.e - c.s > 1 and _person_like(sdoc[c.s : c.e].text, common):
            for w in (toks[0], toks[-1]):
                if w[:1].isupper() and len(w) > 1:
                    seqs.setdefault(w, set()).add(((w,), "PERSON"))
    covered = bytearray(len(sdoc))
    for c in cands:
        covered[c.lead : c.e] = b"\x01" * (c.e - c.lead)
    found = []
    i = 0
    while i < len(sdoc):
        t = tokens[i]
        options = seqs.get(t.text) if not covered[i] and t.text[:1].isupper() else None
        if options:
            for toks, label in sorted(options, key=lambda o: (-len(o[0]), o[1])):
                n = len(toks)
                if words[i : i + n] != toks or any(covered[i : i + n]):
                    continue
                if n == 1 and not (t.tag_ in ("NNP", "NNPS") or (t.tag_ in ("NN", "NNS") and t.lower_ not in common)):
                    continue  # sentence-initial "Timmons" is tagged NNS; "Rice" beside "rice" is not a name
                if label in ("PERSON", "ORG") and len({lb for tk, lb in options if tk == toks}) > 1:
                    break  # the same words carry two labels in this document: leave them
                c = _Cand(i, i + n, label, i)
                if label == "PERSON":
                    _honorific_lead(sdoc, c, lex)
                found.append(c)
                i += n - 1
                break
        i += 1
    if not found:
        return cands
    return sorted([*cands, *found], key=lambda c: c.s)


def _sentence_index(sdoc: Doc, mentions: list[Mention]) -> list[int]:
    starts = [s.start_char for s in view(sdoc).sents]
    out, k = [], 0
    for m in mentions:
        while k + 1 < len(starts) and starts[k + 1] <= m.start:
            k += 1
        out.append(k)
    return out


# --------------------------------------------------------------------------- short forms


def _initials(name: str, lex: NameLexicon) -> str:
    words = [w for w in plain(name).split() if w not in lex.kinds["connector"]]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def link_short_forms(
    mentions: list[Mention],
    sent_of: list[int],
    lex: NameLexicon,
    person_like: list[bool] | None = None,
    kin: list[bool] | None = None,
) -> None:
    """Point each short form at the full name it stands for in this document (``antecedent``).

    A short person name ("Kim") takes the nearest earlier full name sharing its first or last
    word; when the two nearest candidates are last named in the same sentence it is left unlinked.
    Otherwise one introduced as a relative or agent of someone (``kin``: "his sister, Ana Ruiz") is
    passed over when another person of that name came before: a relative shares the surname of the
    one the article is about, and the bare surname stays that person's. Acronyms take the name whose initials they
    are; an organisation named without its owner ("Defense Ministry") takes the owned one; "the
    North" takes the nearest "North ...".
    """
    words = [lex.fold(m.name) for m in mentions]
    if person_like is None:
        person_like = [m.label == "PERSON" for m in mentions]
    initials = [_initials(m.name, lex) if m.label in ("ORG", "GPE", "LOC", "FAC") else "" for m in mentions]
    for i, m in enumerate(mentions):
        if m.demonym or len(words[i]) != 1:
            continue
        w = words[i][0]
        if m.label == "PERSON":
            j = _person_antecedent(i, w, mentions, words, sent_of, kin)
        elif m.label in ("ORG", "NORP", "LOC", "GPE") and lex.place(m.name) is None:  # a surname mistagged
            j = _person_antecedent(i, w, mentions, words, sent_of, kin)
            j = j if j is not None and person_like[j] else None
        else:
            j = None
        if j is not None:
            m.antecedent, m.label = j, "PERSON"
            continue
        if _is_acronym(m.text):
            j = _acronym_antecedent(i, m, mentions, initials)
            if j is not None:
                m.antecedent = j
                continue
        if w in COMPASS and m.label in ("LOC", "GPE"):
            cands = [j for j in range(i) if mentions[j].label == "GPE" and words[j][:1] == [w] and len(words[j]) > 1]
            if cands and len({" ".join(words[j]) for j in cands}) == 1:
                m.antecedent, m.label = cands[-1], "GPE"
    for i, m in enumerate(mentions):  # "Defense Ministry" after "Russia's Defense Ministry"
        if m.label != "ORG" or m.antecedent is not None or len(words[i]) < 2:
            continue
        for j in range(i - 1, -1, -1):
            o = mentions[j]
            longer = o.label == "ORG" and o.antecedent is None and len(words[j]) > len(words[i])
            if longer and words[j][-len(words[i]) :] == words[i]:
                owner = " ".join(o.name.split()[: len(o.name.split()) - len(m.name.split())])
                if lex.demonym(owner) or lex.place(owner):
                    m.antecedent = j
                break


def _person_antecedent(
    i: int, w: str, mentions: list[Mention], words: list[list[str]], sent_of: list[int], kin: list[bool] | None = None
) -> int | None:
    latest: dict[str, int] = {}  # full name key -> its last mention before i
    later: dict[str, int] = {}
    relatives: set[str] = set()  # full names ever introduced as someone's relative or agent
    for j, o in enumerate(mentions):
        if j == i or o.label != "PERSON" or o.antecedent is not None or len(words[j]) < 2:
            continue
        if w not in (words[j][0], words[j][-1]):
            continue
        key = " ".join(words[j])
        if kin is not None and kin[j]:
            relatives.add(key)
        if j < i:
            latest[key] = j
        else:
            later.setdefault(key, j)
    if latest:
        ranked = sorted(latest.values(), reverse=True)
        if len(ranked) > 1 and sent_of[ranked[0]] == sent_of[ranked[1]]:
            return None  # two people fit equally well
        principal = [j for j in ranked if " ".join(words[j]) not in relatives]
        return principal[0] if principal else ranked[0]
    if len(later) == 1:  # a headline's "Kim" before the article names him in full
        return next(iter(later.values()))
    return None


def _acronym_antecedent(i: int, m: Mention, mentions: list[Mention], initials: list[str]) -> int | None:
    letters = plain(m.text).replace(" ", "")
    hits = [j for j, o in enumerate(mentions) if j != i and o.antecedent is None and initials[j] == letters]
    keys = {plain(mentions[j].name) for j in hits}
    if len(keys) != 1:
        return None
    before = [j for j in hits if j < i]
    return before[-1] if before else hits[0]
