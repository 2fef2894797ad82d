"""Who takes part in an event, by role, from dependency patterns kept as data.

The patterns (``data/role_patterns.yaml``: active and passive subjects, the passive agent, objects,
small clauses, an event noun's possessor, "of X", "by X", "between X", prepositional targets and
places) are spaCy ``DependencyMatcher`` patterns. One matcher holds them all; it runs once over a
document, the first time a role is asked for, and :meth:`Roles.of` answers "the role-bearing words
hanging on this word, by role" from an index of the matches.

Data, here and in the file, is what one dependency arc or chain of arcs from the trigger says: which
relation, which words, which role it yields, and the attributes that change the role (a lexicon
flag, the event type, a place name left out). Code, in :mod:`storyline.nlp.events`, is what no
dependency pattern can say:

* conditions on what is absent: a bare past participle with no auxiliary or object (a headline's
  passive), a noun with no "of" phrase of its own; the DependencyMatcher only matches what is there;
* what a noun phrase names (pronouns resolved to an earlier person, "I" in a quote to its speaker,
  descriptions standing for a name, coordination, "the X-led delegation"): reference, not a role,
  and read from mentions and quotes the parse does not hold;
* climbing to the clause a verb depends on ("X plans to visit", "the school bombed by X"), the
  culpability of "accused X of ...", support verbs ("held talks"), claims and denials (which need
  the predicate lexicon), modes, dates and sources.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import yaml
from spacy.attrs import DEP, HEAD, LEMMA, ORTH, POS, TAG
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from storyline.nlp.docview import view

PATTERNS_FILE = "role_patterns.yaml"
ROLES = frozenset({"actor", "patient", "target", "place"})
FORMS = frozenset({"clause", "nominal", "prepositional"})
TRIGGER_POS = frozenset({"VERB", "NOUN"})
_KEYS = {
    "name", "form", "applies_to", "role", "bearer", "comment", "pattern",
    "flag_roles", "reduced_passive", "when_flags", "needs_mention", "prepositions",
}  # fmt: skip

# what a copied sentence keeps of its parse: all a pattern may ask about (LOWER, TEXT, ORTH come
# with the words); parse_patterns refuses a pattern reading any other attribute
COPIED = (POS, TAG, DEP, HEAD, LEMMA)
MATCHED_ATTRS = frozenset({"POS", "TAG", "DEP", "LEMMA", "LOWER", "ORTH", "TEXT"})

Form = Literal["clause", "nominal", "prepositional"]


@dataclass(frozen=True, slots=True)
class Preposition:
    """What the object of one preposition of a prepositional pattern is."""

    roles: tuple[str, ...]
    types: frozenset[str] = frozenset()  # the event types it applies to; empty: every type
    except_places: bool = False  # as a target, names of places are left out


@dataclass(frozen=True, slots=True)
class RolePattern:
    """One pattern of the file (format in its header)."""

    name: str
    form: str
    applies_to: frozenset[str]
    role: str | None  # None: by preposition
    pattern: tuple[dict[str, Any], ...]
    bearer: int  # index of the node whose phrase names the participants
    comment: str
    flag_roles: Mapping[str, str] = field(default_factory=dict)
    reduced_passive: str | None = None
    when_flags: frozenset[str] = frozenset()
    needs_mention: bool = False
    prepositions: Mapping[str, Preposition] = field(default_factory=dict)  # by the first node's word

    def role_for(self, flags: Iterable[str]) -> str | None:
        """The role the pattern yields for a trigger with these lexicon flags (None: by preposition)."""
        for flag in flags:
            if flag in self.flag_roles:
                return self.flag_roles[flag]
        return self.role


@dataclass(frozen=True, slots=True)
class RoleMatch:
    """One match: the pattern, the word hanging on the asked word (``arc``) and the bearer."""

    pattern: RolePattern
    arc: Token
    token: Token
    nodes: tuple[Token, ...]  # every node, in the pattern's order

    def node(self, right_id: str) -> Token:
        """The token matched by the node named ``right_id``."""
        ids = [n["RIGHT_ID"] for n in self.pattern.pattern]
        return self.nodes[ids.index(right_id)]

    @property
    def preposition(self) -> Preposition | None:
        """A prepositional pattern's entry for the preposition matched (its first node)."""
        return self.pattern.prepositions.get(self.arc.lower_)


def _scalar_values(value: Any) -> bool:
    """A token attribute's value as the matcher takes it here: a string, or {IN/NOT_IN: [strings]}."""
    if isinstance(value, str):
        return True
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("IN", "NOT_IN"):
        members = next(iter(value.values()))
        return isinstance(members, list) and bool(members) and all(isinstance(m, str) for m in members)
    return False


def _prepositions(table: Any, nodes: Any, where: str) -> dict[str, Preposition]:
    """A pattern's prepositions table, whose words must be exactly those its first node matches."""
    if table is None:
        return {}
    if not isinstance(table, dict) or not table:
        raise ValueError(f"{where}: prepositions maps words to {{roles, types, except_places}}")
    out = {}
    for word, entry in table.items():
        roles = entry.get("roles") if isinstance(entry, dict) else None
        types = entry.get("types", []) if isinstance(entry, dict) else None
        if (
            not isinstance(word, str)
            or not isinstance(roles, list)
            or not roles
            or not set(roles) <= ROLES
            or set(entry) - {"roles", "types", "except_places"}
            or not isinstance(types, list)
            or not isinstance(entry.get("except_places", False), bool)
        ):
            raise ValueError(f"{where}: preposition {word!r}: bad entry {entry!r}")
        out[word] = Preposition(tuple(roles), frozenset(types), entry.get("except_places", False))
    first = nodes[0].get("RIGHT_ATTRS", {}).get("LOWER") if isinstance(nodes, list) and nodes else None
    words = {first} if isinstance(first, str) else set(first.get("IN", [])) if isinstance(first, dict) else set()
    if words != set(out):
        raise ValueError(f"{where}: the prepositions table lists {sorted(out)}, the first node matches {sorted(words)}")
    return out


def parse_patterns(data: Any, source: str = PATTERNS_FILE) -> tuple[RolePattern, ...]:
    """The patterns of a loaded file; raises ValueError naming the file and the pattern at fault."""
    if not isinstance(data, dict) or not isinstance(data.get("patterns"), list):
        raise ValueError(f"{source}: expected a mapping with a list under 'patterns'")
    out: list[RolePattern] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["patterns"], 1):
        where = f"{source}: pattern {n}"
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: not a mapping")
        name = raw.get("name")
        where = f"{source}: pattern {name!r}" if isinstance(name, str) else where
        if not isinstance(name, str) or name in seen:
            raise ValueError(f"{where}: missing or repeated name")
        seen.add(name)
        if unknown := set(raw) - _KEYS:
            raise ValueError(f"{where}: unknown fields {sorted(unknown)}")
        form, role, applies = raw.get("form"), raw.get("role"), raw.get("applies_to")
        if form not in FORMS:
            raise ValueError(f"{where}: form must be one of {sorted(FORMS)}, not {form!r}")
        preps = _prepositions(raw.get("prepositions"), raw.get("pattern"), where)
        if (role not in ROLES) if not preps else (role is not None):
            raise ValueError(f"{where}: a role (one of {sorted(ROLES)}) or a prepositions table, not both")
        if not isinstance(applies, list) or not applies or not set(applies) <= TRIGGER_POS:
            raise ValueError(f"{where}: applies_to must list VERB and/or NOUN, not {applies!r}")
        if not isinstance(raw.get("comment"), str) or not raw["comment"].strip():
            raise ValueError(f"{where}: a comment saying what the pattern covers is required")
        nodes = raw.get("pattern")
        if not isinstance(nodes, list) or not nodes:
            raise ValueError(f"{where}: 'pattern' must be a non-empty list of nodes")
        for node in nodes:
            attrs = node.get("RIGHT_ATTRS") if isinstance(node, dict) else None
            if not isinstance(attrs, dict) or not attrs or not all(_scalar_values(v) for v in attrs.values()):
                # a YAML 1.1 boolean (an unquoted on/off/yes/no) lands here, not as a silent non-match
                raise ValueError(f"{where}: every node needs RIGHT_ATTRS of strings or IN/NOT_IN lists: {node!r}")
            if unread := set(attrs) - MATCHED_ATTRS:
                raise ValueError(f"{where}: attributes {sorted(unread)} are not copied for matching")
        ids = [node.get("RIGHT_ID") for node in nodes]
        bearer = raw.get("bearer", ids[-1])
        if bearer not in ids:
            raise ValueError(f"{where}: bearer {bearer!r} is no node of the pattern")
        flag_roles = raw.get("flag_roles", {})
        if not isinstance(flag_roles, dict) or not set(flag_roles.values()) <= ROLES:
            raise ValueError(f"{where}: flag_roles maps lexicon flags to roles")
        reduced = raw.get("reduced_passive")
        if reduced is not None and reduced not in ROLES:
            raise ValueError(f"{where}: reduced_passive must be a role, not {reduced!r}")
        when_flags = raw.get("when_flags", [])
        if not isinstance(when_flags, list) or not all(isinstance(x, str) for x in when_flags):
            raise ValueError(f"{where}: when_flags is a list of lexicon flags")
        if not isinstance(needs_mention := raw.get("needs_mention", False), bool):
            raise ValueError(f"{where}: needs_mention is true or false")
        out.append(
            RolePattern(
                name=name,
                form=form,
                applies_to=frozenset(applies),
                role=role,
                pattern=tuple(nodes),
                bearer=ids.index(bearer),
                comment=raw["comment"].strip(),
                flag_roles=dict(flag_roles),
                reduced_passive=reduced,
                when_flags=frozenset(when_flags),
                needs_mention=needs_mention,
                prepositions=preps,
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def load_patterns() -> tuple[RolePattern, ...]:
    """The shipped patterns, parsed once per process."""
    text = resources.files("storyline.nlp").joinpath("data", PATTERNS_FILE).read_text(encoding="utf-8")
    return parse_patterns(yaml.safe_load(text))


def build_matcher(vocab: Vocab, patterns: Iterable[RolePattern]) -> DependencyMatcher:
    """A DependencyMatcher holding every pattern under its name (spaCy validates each one)."""
    matcher = DependencyMatcher(vocab, validate=True)
    for p in patterns:
        matcher.add(p.name, [list(p.pattern)])
    return matcher


@lru_cache(maxsize=4)
def _matcher(vocab: Vocab) -> tuple[DependencyMatcher, dict[int, tuple[int, RolePattern]]]:
    """The matcher over ``vocab`` (one a process and vocabulary), and each key's (file order, pattern)."""
    patterns = load_patterns()
    return build_matcher(vocab, patterns), {vocab.strings.add(p.name): (n, p) for n, p in enumerate(patterns)}


class Roles:
    """The role patterns' matches over the sentences of one parse that are asked about, indexed by the
    word each match's first node hangs on.

    The matcher runs once over the sentences named when the index is made (``around``: the triggers),
    copied into one small Doc with the attributes the patterns read: spaCy's matcher costs about the
    same for every word it is given, and half the words of an article are in sentences with no trigger
    (dev/events: 8,747 of 17,294). A word of another sentence has its sentence matched when first asked.
    """

    def __init__(self, doc: Doc, around: Iterable[int] = ()) -> None:
        self.doc = doc
        self._around = list(around)
        self._at: dict[int, list[RoleMatch]] = {}
        self._sents: list[tuple[int, int]] | None = None  # every sentence's (start, end)
        self._done: set[int] = set()  # the sentences matched, by index

    def _sentence(self, i: int) -> int:
        if self._sents is None:
            self._sents = [(s.start, s.end) for s in view(self.doc).sents]
            self._starts = [a for a, _ in self._sents]
        return bisect.bisect_right(self._starts, i) - 1

    def _match(self, sentences: set[int]) -> None:
        """Run the matcher over these sentences (not matched before) and add their matches to the index."""
        assert self._sents is not None
        self._done |= sentences
        if not self.doc.has_annotation("DEP"):
            return  # a pipeline without a parser: no arcs, no roles
        ranges = [self._sents[n] for n in sorted(sentences)]
        index = np.concatenate([np.arange(a, b) for a, b in ranges])
        array = self.doc.to_array(list(COPIED))[index]
        heads = index + array[:, COPIED.index(HEAD)].astype(np.int64)  # HEAD is an offset: to absolute
        if not np.isin(heads, index).all():
            # an arc leaving its sentence (no parser does that; a hand-set boundary might): the whole doc
            self._done = set(range(len(self._sents)))
            index = np.arange(len(self.doc))
            small = self.doc
        else:
            words = self.doc.to_array([ORTH])  # the words' hashes, as the vocabulary knows them
            small = Doc(
                self.doc.vocab,
                words=[self.doc.vocab.strings[int(h)] for h in words[index]],
                spaces=[bool(self.doc[int(i)].whitespace_) for i in index],
            )
            small.from_array(list(COPIED), array)
        matcher, by_key = _matcher(self.doc.vocab)
        found: list[tuple[int, int, int, int, RoleMatch]] = []
        for key, ids in matcher(small):
            n, p = by_key[key]
            nodes = tuple(self.doc[int(index[i])] for i in ids)
            arc = nodes[0]
            head = arc.head.i
            if head != arc.i:  # the sentence's root hangs on nothing
                found.append((head, arc.i, nodes[p.bearer].i, n, RoleMatch(p, arc, nodes[p.bearer], nodes)))
        found.sort(key=lambda f: f[:4])  # by the word asked about, then the arcs' order, as the words stand
        for head, *_, match in found:
            self._at.setdefault(head, []).append(match)

    def of(
        self,
        word: Token,
        form: Form,
        *,
        event_type: str | None = None,
        flags: Iterable[str] = (),
    ) -> list[RoleMatch]:
        """The matches of ``form``'s patterns on ``word``, in the order of the arcs leaving it (then of
        their bearers); a pattern limited to some event types or lexicon flags only when they hold."""
        n = self._sentence(word.i)
        if n not in self._done:
            todo = {n} | {self._sentence(i) for i in self._around}
            self._around = []
            self._match(todo - self._done)
        flags = frozenset(flags)
        out = []
        for m in self._at.get(word.i, ()):
            p = m.pattern
            if p.form != form or (p.when_flags and not p.when_flags & flags):
                continue
            if p.prepositions and (prep := p.prepositions[m.arc.lower_]).types and event_type not in prep.types:
                continue
            out.append(m)
        return out
