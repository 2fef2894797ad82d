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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

PATTERNS_FILE = "role_patterns.yaml"
ROLES = frozenset({"actor", "patient", "target", "place"})
FORMS = frozenset({"clause", "nominal", "prepositional"})
TRIGGER_POS = frozenset({"VERB", "NOUN"})
_KEYS = {
    "name", "form", "applies_to", "role", "bearer", "comment", "pattern",
    "flag_roles", "reduced_passive", "when_flags", "types", "except_places", "needs_mention",
}  # fmt: skip

Form = Literal["clause", "nominal", "prepositional"]


@dataclass(frozen=True, slots=True)
class RolePattern:
    """One pattern of the file (format in its header)."""

    name: str
    form: str
    applies_to: frozenset[str]
    role: str
    pattern: tuple[dict[str, Any], ...]
    bearer: int  # index of the node whose phrase names the participants
    comment: str
    flag_roles: Mapping[str, str] = field(default_factory=dict)
    reduced_passive: str | None = None
    when_flags: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()  # empty: every type
    except_places: bool = False
    needs_mention: bool = False

    def role_for(self, flags: Iterable[str]) -> str:
        """The role the pattern yields for a trigger with these lexicon flags."""
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


def _scalar_values(value: Any) -> bool:
    """A token attribute's value as the matcher takes it here: a string, or {IN/NOT_IN: [strings]}."""
    if isinstance(value, str):
        return True
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("IN", "NOT_IN"):
        members = next(iter(value.values()))
        return isinstance(members, list) and bool(members) and all(isinstance(m, str) for m in members)
    return False


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
        if role not in ROLES:
            raise ValueError(f"{where}: role must be one of {sorted(ROLES)}, not {role!r}")
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
        lists = {k: raw.get(k, []) for k in ("when_flags", "types")}
        if not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in lists.values()):
            raise ValueError(f"{where}: when_flags and types are lists of words")
        flags = {k: raw.get(k, False) for k in ("except_places", "needs_mention")}
        if not all(isinstance(v, bool) for v in flags.values()):
            raise ValueError(f"{where}: except_places and needs_mention are true or false")
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
                when_flags=frozenset(lists["when_flags"]),
                types=frozenset(lists["types"]),
                except_places=flags["except_places"],
                needs_mention=flags["needs_mention"],
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
def _matcher(vocab: Vocab) -> tuple[DependencyMatcher, dict[int, RolePattern]]:
    patterns = load_patterns()
    return build_matcher(vocab, patterns), {vocab.strings.add(p.name): p for p in patterns}


class Roles:
    """The role patterns' matches over one parse, indexed by the word the first node hangs on."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._at: dict[int, list[RoleMatch]] | None = None

    def _index(self) -> dict[int, list[RoleMatch]]:
        at: dict[int, list[RoleMatch]] = {}
        if not self.doc.has_annotation("DEP"):
            return at  # a pipeline without a parser: no arcs, no roles
        matcher, by_key = _matcher(self.doc.vocab)
        order = {p.name: n for n, p in enumerate(load_patterns())}
        for key, ids in matcher(self.doc):
            p = by_key[key]
            nodes = tuple(self.doc[i] for i in ids)
            arc = nodes[0]
            if arc.head is arc:
                continue  # the sentence's root hangs on nothing
            at.setdefault(arc.head.i, []).append(RoleMatch(p, arc, nodes[p.bearer], nodes))
        for matches in at.values():  # the arcs' order, as the words stand
            matches.sort(key=lambda m: (m.arc.i, m.token.i, order[m.pattern.name]))
        return at

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
        if self._at is None:
            self._at = self._index()
        flags = frozenset(flags)
        return [
            m
            for m in self._at.get(word.i, ())
            if m.pattern.form == form
            and (not m.pattern.types or event_type in m.pattern.types)
            and (not m.pattern.when_flags or m.pattern.when_flags & flags)
        ]
