"""Names clustered into entities across documents, transliteration-aware, every merge scored.

The unit is the *form*: a class (PERSON, ORG, PLACE, FAC, NORP) and a normalised key, so a
million mentions of a few thousand names cost a few thousand forms. Forms with the same key are
one entity (key folding does "Sergey Shoygu" = "Sergei Shoigu", "Kim Jong-un" = "Kim Jong Un",
"U.S." = "United States", "Russia's Defense Ministry" = "Russian Defense Ministry"). Then, inside
blocks that share a word, close spellings merge (rapidfuzz); acronyms join the one name whose
initials they are; a bare surname that no full name in its own document explains joins the
person who holds most of that surname's mentions. People who share a family name and not a
given name are never merged. A user's YAML file forces or forbids merges on every run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain
from pathlib import Path

from rapidfuzz import fuzz

from storyline.model import Analysis, Document, Entity, EntityMention, Mention, content_id
from storyline.nlp.names import NameLexicon, load_lexicon
from storyline.nlp.names import plain as _plain
from storyline.resolve.names import TokenCache, add_corpus_mentions

MentionKey = tuple[str, int]  # (document id, index in that document's mentions)
# ``plain`` is a pure function of its string, asked again for every mention of a name: kept per name
plain = lru_cache(maxsize=1 << 16)(_plain)

# Tuned on the seeds and the meantime/events dev sets (entity_distinct kept at 1.0):
PERSON_WORD_SIM = 80  # every word of two same-length person names at least this similar (0-100)
PERSON_NAME_SIM = 90  # ... and the whole names at least this similar ("Jerymayne"/"Jermayne" 94)
NAME_SIM = 94  # organisation / place names: one typo in a long name, never "North"/"South Korea"
MIN_FUZZY_LEN = 8  # shorter names only merge on equal keys
SPACING_SCORE = 0.95  # "Gazprom Bank" / "Gazprombank"
LABEL_SCORE = 0.8  # one name the tagger called ORG in one place and GPE/LOC/FAC in another
SHORT_LINK_SCORE = 0.9  # a short form linked in its own document to a full name
ACRONYM_SCORE = 0.85  # an acronym joined to the one name in the corpus with those initials
MIN_CORPUS_ACRONYM = 3  # "GB" is gigabytes more often than "Gazprom Bank": two letters join only in-document
OWNER_DROP_SCORE = 0.8  # "Federal Reserve" joined to the one "US Federal Reserve"
VOTE_CUE = 1000  # a cue in the name (vessel prefix, a body's head noun) outvotes any number of tags
DOMINANCE = 0.8  # a bare surname joins a person holding this share of that surname's mentions
ROMANISATION_SCORE = 0.85  # "Sergey Shoygu" / "Sergei Shoigu": one name by two romanisations, with context
MIN_FUZZY_WORD = 4  # a person-name word shorter than this never differs by a typo ("Lee" / "Li", "Ann" / "Anna")
GIVEN_VARIANT_SCORE = 0.75  # "Alexis Smith" / "Alexandros Smith": one person named two ways, less sure
MIN_SHARED_CONTEXT = 2  # ... and only when their articles share this many other entities (places,
#                         bodies, people): tuned on the events dev set, where the riot articles share 3+
FEMININE_ENDINGS = ("a", "e")  # "Alex" may be short for "Alexander", not for "Alexandra" or "Alexandrie"
MAX_CONTEXT_DOCS = 500  # an entity named in more documents than this (a country in a large corpus) says nothing about
#                         which articles are related: it is left out of that count, which stays linear in the corpus
MAX_BLOCK = 2000  # fuzzy comparisons are skipped inside a block of more forms (equal keys still merge)
CLASS_OF = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "FAC", "NORP": "NORP", "VESSEL": "VESSEL",
}
VESSEL = "VESSEL"  # the type of a ship named with its prefix ("INS Mysore", "MV Gibe"); FollowTheMoney's Vessel


@dataclass(slots=True)
class AliasRules:
    """A user's forced merges and forbidden merges (YAML file), applied on every run.

    ```yaml
    merge:        # each list is one entity
      - [Kim Jong Un, Kim Jong-un, Supreme Leader]
    keep_apart:   # the names of each list are never merged with one another
      - [Apple, Apple Corps]
    ```
    """

    merge: list[list[str]] = field(default_factory=list)
    keep_apart: list[list[str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> AliasRules:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(merge=data.get("merge", []) or [], keep_apart=data.get("keep_apart", []) or [])


@dataclass(slots=True)
class _Form:
    cls: str
    key: str
    words: tuple[str, ...]
    acronym: bool = False
    canonical: str | None = None  # the place table's name for it ("United States" for "U.S.")
    owned: str | None = None  # the key without its owner ("federal reserve" for "us federal reserve")
    count: int = 0
    folded: tuple[str, ...] = ()  # a person's words with romanisation variants folded (a candidate key)


class _Clusters:
    """Union-find over form keys, refusing merges a keep-apart rule forbids; scores on the way."""

    def __init__(self, keys: list[str], tags: dict[str, set[tuple[int, int]]]) -> None:
        self.parent = {k: k for k in keys}
        self.tags = {k: set(tags.get(k, ())) for k in keys}
        self.score = dict.fromkeys(keys, 1.0)  # how sure the form's merge into its cluster is
        self.members = {k: [k] for k in keys}  # root -> the keys of its cluster
        self.reason: dict[str, str] = {}  # key -> why it joined its cluster

    def find(self, k: str) -> str:
        root = k
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[k] != root:
            self.parent[k], k = root, self.parent[k]
        return root

    def union(self, a: str, b: str, score: float, reason: str, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and _forbidden(self.tags[ra], self.tags[rb]):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.tags[ra] |= self.tags.pop(rb)
        self.members[ra].extend(self.members.pop(rb))
        for k in (a, b):
            if self.score[k] >= 1.0 or score < self.score[k]:
                self.score[k] = score
                self.reason[k] = reason
        return True


def _forbidden(x: set[tuple[int, int]], y: set[tuple[int, int]]) -> bool:
    return any(g == h and i != j for g, i in x for h, j in y)


# --------------------------------------------------------------------------- keys


def form_of(m: Mention, lex: NameLexicon, exact: bool = False) -> _Form:
    """The class and normalised key a mention's name is compared by.

    ``exact`` keeps the spelling in the key (for names a keep-apart rule tells apart even though
    they fold to one key); the folded key is then only a candidate merge, which the rule can refuse.
    """
    cls = "PLACE" if m.demonym else CLASS_OF.get(m.label, "ORG")
    name = m.name
    if exact and not m.demonym:
        folded = form_of(m, lex)
        return _Form(
            folded.cls, f"{folded.cls}|={plain(name)}", folded.words, folded.acronym, folded.owned, folded=folded.folded
        )
    place = lex.place(name) if cls != "PERSON" else None
    if place is not None:
        canonical, typ = place
        cls = CLASS_OF.get(typ, "ORG")
        words = tuple(plain(canonical).split())
        return _Form(cls, f"{cls}|{' '.join(words)}", words, canonical=canonical)
    if cls == "PERSON":
        words = _join_initials([w for w in lex.spell(name) if w not in lex.kinds["honorific"]])
        folded = _join_initials([lex.fold_word(w) for w in words])
        return _Form(cls, f"{cls}|{' '.join(words)}", words, folded=folded)
    acronym = 2 <= len(name.replace(".", "")) <= 6 and name.replace(".", "").isalpha() and name.isupper()
    words = list(_join_initials(plain(name).split()))
    if cls == "ORG":
        while len(words) > 1 and words[-1] in lex.kinds["org_suffix"]:
            words.pop()
    owned = None
    for k in (3, 2, 1):  # a leading owner: "Russian" / "Russia" / "US" -> the place's name
        if len(words) > k:
            head = " ".join(words[:k])
            owner = lex.demonym(head) or (lex.place(head) or (None,))[0]
            if owner:
                owned = " ".join(words[k:])
                words = [*plain(owner).split(), *words[k:]]
                break
    return _Form(cls, f"{cls}|{' '.join(words)}", tuple(words), acronym=acronym, owned=owned and f"{cls}|{owned}")


def _join_initials(words: list[str]) -> tuple[str, ...]:
    """Runs of one-letter words are one initialism: "A. J. Smith" and "A.J. Smith" both give "aj smith"."""
    out: list[str] = []
    joinable = False
    for w in words:
        if len(w) == 1 and joinable:
            out[-1] += w
        else:
            out.append(w)
            joinable = len(w) == 1
    return tuple(out)


def _initials(words: tuple[str, ...], lex: NameLexicon) -> str:
    content = [w for w in words if w not in lex.kinds["connector"]]
    return "".join(w[0] for w in content) if len(content) >= 2 else ""


def _gendered_pair(x: str, y: str, first: bool) -> bool:
    """Two forms of a name word that differ in a feminine ending: "-a" anywhere, "-e" on a given name."""
    if x == y or x[-1:] == y[-1:]:
        return False
    endings = FEMININE_ENDINGS if first else FEMININE_ENDINGS[:1]
    return x.endswith(endings) or y.endswith(endings)


def _person_compatible(fa: _Form, fb: _Form, lex: NameLexicon) -> float:
    """Similarity of two full person names, 0 when they cannot be one person.

    A spelling that folds to the other by romanisation is compatible (whether it *is* the same
    person is for the context to say). Two different given names of the shipped table ("Louis",
    "Luis") or two different short words ("Lee", "Li") are two names, not a typo.
    """
    a, b = fa.words, fb.words
    if fa.folded and fa.folded == fb.folded:
        return ROMANISATION_SCORE
    if len(a) == len(b):
        if any(_gendered_pair(x, y, first=i == 0) for i, (x, y) in enumerate(zip(a, b, strict=True))):
            return 0.0  # "Alexander" / "Alexandra", "Ivanov" / "Ivanova": close spellings, two people
        for x, y in zip(a, b, strict=True):
            if x != y and (
                min(len(x), len(y)) < MIN_FUZZY_WORD
                or (lex.is_given_name(x) and lex.is_given_name(y) and not lex.same_given_name(x, y))
            ):
                return 0.0
        if all(fuzz.ratio(x, y) >= PERSON_WORD_SIM for x, y in zip(a, b, strict=True)):
            s = fuzz.ratio(" ".join(a), " ".join(b))
            return s / 100 if s >= PERSON_NAME_SIM else 0.0
        return 0.0
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(short) == 2 and short == (long_[0], long_[-1]) and all(len(w) <= 2 for w in long_[1:-1]):
        return 0.9  # "George Bush" / "George W. Bush"
    return 0.0


# --------------------------------------------------------------------------- resolution


def resolve_entities(
    documents: list[Document], analyses: list[Analysis], rules: AliasRules, tokens: TokenCache | None = None
) -> tuple[list[Entity], dict[MentionKey, str]]:
    """Entities across the corpus, and the entity id of every mention.

    Appends to the analyses the untagged occurrences of names the corpus tags elsewhere
    (:mod:`storyline.resolve.names`, with the documents' ``tokens`` kept from earlier runs); every
    mention gets one entity, every merge a score and a reason.
    """
    lex = load_lexicon()
    evidence = add_corpus_mentions(documents, analyses, tokens)  # untagged occurrences of confident names
    protected = {plain(n) for names in rules.keep_apart for n in names}  # spellings a rule tells apart
    label_of = _voted_labels(analyses, lex)
    forms: dict[str, _Form] = {}
    form_key: dict[MentionKey, str] = {}  # mention -> key of the form it is counted under
    linked: dict[MentionKey, float] = {}  # mention -> score of its in-document link (short forms)
    ambiguous: set[MentionKey] = set()
    roles: dict[str, set[str]] = defaultdict(set)  # form key -> title words of its mentions' roles
    memo: dict[tuple, _Form] = {}
    for a in analyses:
        own = []
        for i, m in enumerate(a.mentions):
            label = label_of.get((a.doc, i), m.label)
            probe = (m.name, label, m.demonym)
            if probe not in memo:
                memo[probe] = form_of(replace(m, label=label), lex, plain(m.name) in protected)
            own.append(memo[probe])
        full_words = {w for f in own if f.cls == "PERSON" and len(f.words) > 1 for w in (f.folded[0], f.folded[-1])}
        for i in range(len(a.mentions)):
            root, steps = i, 0
            while a.mentions[root].antecedent is not None and steps < 8:
                root, steps = a.mentions[root].antecedent, steps + 1
            f = own[root]
            forms.setdefault(f.key, f).count += 1
            form_key[(a.doc, i)] = f.key
            if a.mentions[i].role:
                roles[f.key] |= {w for w in plain(a.mentions[i].role).split() if w in lex.kinds["title"]}
            if root != i:
                linked[(a.doc, i)] = SHORT_LINK_SCORE
            elif f.cls == "PERSON" and len(f.words) == 1 and f.folded[0] in full_words:
                ambiguous.add((a.doc, i))  # its own document has people it could be: leave it alone

    tails: dict[str, list[str]] = defaultdict(list)  # key without its class -> keys, for the rules
    for k in sorted(forms):
        tails[k.split("|", 1)[1]].append(k)
    tags = _rule_tags(rules, tails, lex)
    clusters = _Clusters(sorted(forms), tags)
    if protected:  # a protected spelling still joins its variants unless a rule says no
        by_words: dict[tuple, list[str]] = defaultdict(list)
        for k in sorted(forms):
            by_words[(forms[k].cls, forms[k].words)].append(k)
        for keys in by_words.values():
            for k in keys[1:]:
                clusters.union(keys[0], k, 1.0, "the same name")
    context = _Context(form_key, clusters, roles)
    _spacing_and_label_merges(forms, clusters, lex)
    _romanisation_merges(forms, clusters, context)
    _fuzzy_merges(forms, clusters, lex)
    _given_name_merges(forms, clusters, lex, context)
    _acronym_merges(forms, clusters, lex)
    _owner_merges(forms, clusters)
    for names in rules.merge:
        keys = [k for n in names for k in _matching_keys(n, tails, lex)]
        for k in keys[1:]:
            clusters.union(keys[0], k, 1.0, "a merge rule of the user", force=True)
    bare = {mk for mk, key in form_key.items() if mk not in linked and mk not in ambiguous}
    targets = _bare_name_targets(forms, clusters, form_key, bare)

    mentions_of = {a.doc: a.mentions for a in analyses}
    members: dict[str, list[tuple[MentionKey, float, str | None]]] = defaultdict(list)
    for mk, key in form_key.items():
        score = linked.get(mk, 1.0) * clusters.score[key] * evidence.get(mk, 1.0)
        reason = clusters.reason.get(key)
        if mk in linked:
            ante = mentions_of[mk[0]][mentions_of[mk[0]][mk[1]].antecedent or 0]
            reason = f"short for {ante.name} in the same article" + (f"; {reason}" if reason else "")
        if mk in targets:
            key, share, where = targets[mk]
            score, reason = share * SHORT_LINK_SCORE * evidence.get(mk, 1.0), f"the one {where} full name it is part of"
        if mk in evidence:
            found = f"found untagged (the tagger reads it as a name at {evidence[mk]:.0%} of its occurrences)"
            reason = f"{found}; {reason}" if reason else found
        members[clusters.find(key)].append((mk, score, reason))
    table_names = {
        root: min(n for k in clusters.members[root] if (n := forms[k].canonical))
        for root in members
        if any(forms[k].canonical for k in clusters.members[root])
    }
    return _entities(analyses, forms, members, table_names, label_of)


def _voted_labels(analyses: list[Analysis], lex: NameLexicon) -> dict[MentionKey, str]:
    """One label per name across the corpus: a cue in the name, else the votes of its mentions.

    Every full mention (no antecedent, no demonym) of one spelled name votes with its tag; a
    vessel prefix ("INS", "MV", "HMS") makes the name a VESSEL and a head noun of a body ("Bank",
    "Airlines", "Corp") an ORG whatever the tagger said (a known place keeps its own type). The
    winner is the label of every such mention, so one name never splits into two entities by type.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    keys: dict[MentionKey, str] = {}
    cues: dict[tuple[str, str], str | None] = {}  # (name, label) -> its cue: a pure function of the two, asked once
    for a in analyses:
        for i, m in enumerate(a.mentions):
            if m.antecedent is not None or m.demonym:
                continue
            k = plain(m.name)
            keys[(a.doc, i)] = k
            probe = (m.name, m.label)
            if probe in cues:
                cue = cues[probe]
            else:
                cue = cues[probe] = _cue(m, lex)
            votes[k][cue or m.label] += VOTE_CUE if cue else 1
    winner = {k: max(sorted(v), key=v.__getitem__) for k, v in votes.items() if len(v) > 1 or _has_cue(v)}
    return {mk: winner[k] for mk, k in keys.items() if k in winner}


def _has_cue(v: Counter[str]) -> bool:
    return any(n >= VOTE_CUE for n in v.values())


def _cue(m: Mention, lex: NameLexicon) -> str | None:
    """The type a name's own words give: a vessel prefix, the head noun of a body."""
    words = m.name.split()
    if len(words) < 2:
        return None
    if words[0].replace(".", "").isupper() and lex.is_("vessel_prefix", words[0]):
        return VESSEL
    if m.label != "PERSON" and lex.is_("org_head", words[-1]) and lex.place(m.name) is None:
        return "ORG"
    return None


class _Context:
    """What the articles of a form speak of: the other entities they name, the roles it is given."""

    def __init__(self, form_key: dict[MentionKey, str], clusters: _Clusters, roles: dict[str, set[str]]) -> None:
        self.clusters = clusters
        self.roles = roles
        self.docs_of: dict[str, set[str]] = defaultdict(set)
        self.keys_in: dict[str, set[str]] = defaultdict(set)
        for (doc, _), key in form_key.items():
            self.docs_of[key].add(doc)
            self.keys_in[doc].add(key)

    def docs(self, keys: set[str]) -> set[str]:
        return {d for k in keys for d in self.docs_of[k]}

    def around(self, keys: set[str], skip: set[str]) -> set[str]:
        """Roots of the entities named in the articles of ``keys`` (minus ``skip``), and its roles."""
        found = {self.clusters.find(x) for d in self.docs(keys) for x in self.keys_in[d]}
        return (found - skip) | {f"role:{r}" for k in keys for r in self.roles.get(k, ())}

    def shared(self, side_a: set[str], side_b: set[str], skip: set[str]) -> set[str]:
        return self.around(side_a, skip) & self.around(side_b, skip)


def _romanisation_merges(forms: dict[str, _Form], clusters: _Clusters, context: _Context) -> None:
    """One person's name spelled by two romanisations ("Sergey Shoygu" / "Sergei Shoigu").

    The spellings fold alike (the table of romanisation variants), never meet in one article, and
    their articles share a role given to the name or MIN_SHARED_CONTEXT other entities.
    """
    by_fold: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in sorted(forms):
        f = forms[k]
        if f.cls == "PERSON" and len(f.folded) > 1:
            by_fold[f.folded].append(k)
    for keys in by_fold.values():
        roots = sorted({clusters.find(k) for k in keys})
        for other in roots[1:]:
            side_a = {k for k in keys if clusters.find(k) == clusters.find(roots[0])}
            side_b = {k for k in keys if clusters.find(k) == other}
            if context.docs(side_a) & context.docs(side_b):
                continue  # two spellings in one article: two people
            shared = context.shared(side_a, side_b, {clusters.find(roots[0]), other})
            roles = sorted(s[5:] for s in shared if s.startswith("role:"))
            if roles or len(shared) >= MIN_SHARED_CONTEXT:
                a, b = min(side_a), min(side_b)
                what = f"the role {roles[0]}" if roles else f"{len(shared)} entities named around them"
                spellings = f"{forms[a].key.split('|')[1]} / {forms[b].key.split('|')[1]}"
                clusters.union(a, b, ROMANISATION_SCORE, f"a romanisation variant ({spellings}); shared {what}")


def _rule_tags(rules: AliasRules, tails: dict[str, list[str]], lex: NameLexicon) -> dict[str, set[tuple[int, int]]]:
    tags: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for g, names in enumerate(rules.keep_apart):
        for i, n in enumerate(names):
            for k in _matching_keys(n, tails, lex):
                tags[k].add((g, i))
    return tags


def _matching_keys(name: str, tails: dict[str, list[str]], lex: NameLexicon) -> list[str]:
    """Keys of the forms a rule's name stands for (any class: the user did not say)."""
    probe = Mention(0, 0, name, "ORG", name)
    wanted = {form_of(probe, lex).key.split("|", 1)[1], " ".join(lex.fold(name)), "=" + plain(name)}
    return sorted(k for w in sorted(wanted) for k in tails.get(w, ()))


def _blocks(forms: dict[str, _Form]) -> dict[tuple, list[str]]:
    blocks: dict[tuple, list[str]] = defaultdict(list)
    for k, f in forms.items():
        if f.acronym or len(f.words) < (2 if f.cls == "PERSON" else 1):
            continue
        # one word spelled the same, the other starting alike: close spellings meet, blocks stay small
        blocks[(f.cls, len(f.words), "first", f.words[0], f.words[-1][:2])].append(k)
        blocks[(f.cls, len(f.words), "last", f.words[-1], f.words[0][:2])].append(k)
        if f.cls == "PERSON":  # "George W. Bush" meets "George Bush"
            blocks[(f.cls, "ends", f.words[0], f.words[-1])].append(k)
    return blocks


def _spacing_and_label_merges(forms: dict[str, _Form], clusters: _Clusters, lex: NameLexicon) -> None:
    """Names equal but for spaces, and one name under two non-person labels, are one entity."""
    by_letters: dict[tuple[bool, str], list[str]] = defaultdict(list)
    for k in sorted(forms):
        f = forms[k]
        by_letters[(f.cls == "PERSON", "".join(f.words))].append(k)
    for (person, _), keys in by_letters.items():
        for k in keys[1:]:
            same_words = forms[k].words == forms[keys[0]].words
            if person and not _conflicts(keys[0], k, forms, clusters, lex):
                clusters.union(keys[0], k, SPACING_SCORE, "the same letters but for spaces")
            elif not person and not (forms[k].acronym or forms[keys[0]].acronym):
                if same_words:
                    clusters.union(keys[0], k, LABEL_SCORE, "one name tagged as two kinds of thing")
                else:
                    clusters.union(keys[0], k, SPACING_SCORE, "the same letters but for spaces")


def _fuzzy_merges(forms: dict[str, _Form], clusters: _Clusters, lex: NameLexicon) -> None:
    """Close spellings inside blocks of forms that share a first or a last word."""
    seen: set[tuple[str, str]] = set()
    for block in _blocks(forms).values():
        if len(block) < 2 or len(block) > MAX_BLOCK:
            continue
        block.sort()
        for x in range(len(block)):
            a = forms[block[x]]
            for y in range(x + 1, len(block)):
                b = forms[block[y]]
                if (a.key, b.key) in seen:
                    continue
                seen.add((a.key, b.key))
                if a.cls == "PERSON":
                    if a.folded == b.folded:
                        continue  # a romanisation variant: joined only with context (_romanisation_merges)
                    score = _person_compatible(a, b, lex)
                    if score and not _conflicts(a.key, b.key, forms, clusters, lex):
                        clusters.union(a.key, b.key, score, f"a close spelling (similarity {score:.2f})")
                elif len(a.words) == len(b.words) and min(len(a.key), len(b.key)) >= MIN_FUZZY_LEN:
                    s = fuzz.ratio(a.key, b.key)
                    if s >= NAME_SIM:
                        clusters.union(a.key, b.key, s / 100, f"a close spelling (similarity {s / 100:.2f})")


def given_names_compatible(a: str, b: str, lex: NameLexicon) -> bool:
    """Can two (folded) given names name one person? Listed variants ("Bill"/"William"), or one a
    shortening of the other ("Dan"/"Daniel") that does not turn it feminine ("Dan"/"Dana")."""
    if a == b or lex.same_given_name(a, b):
        return True
    short, long_ = sorted((a, b), key=len)
    return (
        len(short) >= 3 and long_.startswith(short) and len(long_) > len(short) + 1
        and not (long_.endswith(FEMININE_ENDINGS) and not short.endswith(long_[-1]))
    )


def _given_name_merges(forms: dict[str, _Form], clusters: _Clusters, lex: NameLexicon, context: _Context) -> None:
    """One person named with two forms of the given name in different articles.

    "Alexis Grigoropoulos" and "Alexandros Grigoropoulos" join when the rest of the name is the
    same, the given names are compatible, the surname belongs to no one else in the corpus, the two
    forms never meet in one article (there they would be two people), and their articles share
    other entities (or a role given to both): the context says it is the same story.
    """
    by_tail: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in sorted(forms):
        f = forms[k]
        if f.cls == "PERSON" and len(f.folded) > 1 and len("".join(f.folded[1:])) >= 4:
            by_tail[f.folded[1:]].append(k)
    for keys in by_tail.values():
        roots = sorted({clusters.find(k) for k in keys})
        if len(roots) != 2:  # one name, or a family: "Andrew" and "Kristian" of one surname
            continue
        side_a = {k for k in keys if clusters.find(k) == roots[0]}
        side_b = {k for k in keys if clusters.find(k) == roots[1]}
        firsts_a = {forms[k].folded[0] for k in side_a}
        firsts_b = {forms[k].folded[0] for k in side_b}
        if not all(given_names_compatible(x, y, lex) for x in firsts_a for y in firsts_b):
            continue
        if context.docs(side_a) & context.docs(side_b):
            continue  # named both ways in one article: two people
        a, b = min(side_a), min(side_b)
        surname = forms[a].folded[-1:]
        namesakes = {clusters.find(k) for k, f in forms.items() if f.cls == "PERSON" and f.folded[-1:] == surname}
        shared = context.shared(side_a, side_b, set(roots) | namesakes)
        if len(shared) >= MIN_SHARED_CONTEXT:
            firsts = f"{forms[a].words[0]}/{forms[b].words[0]}"
            why = f"a given-name variant ({firsts}), the same surname, {len(shared)} things of context shared"
            clusters.union(a, b, GIVEN_VARIANT_SCORE, why)


def _conflicts(a: str, b: str, forms: dict[str, _Form], clusters: _Clusters, lex: NameLexicon) -> bool:
    """Would joining the two clusters put two people with different given names in one?"""
    side_a, side_b = clusters.members[clusters.find(a)], clusters.members[clusters.find(b)]
    return any(
        not _person_compatible(forms[x], forms[y], lex)
        for x in side_a for y in side_b
        if len(forms[x].words) > 1 and len(forms[y].words) > 1
    )


def _acronym_merges(forms: dict[str, _Form], clusters: _Clusters, lex: NameLexicon) -> None:
    by_initials: dict[str, set[str]] = defaultdict(set)
    for k, f in forms.items():
        if not f.acronym and f.cls in ("ORG", "PLACE", "FAC") and (ini := _initials(f.words, lex)):
            by_initials[ini].add(k)
    for k, f in forms.items():
        if not f.acronym or len(f.words[0]) < MIN_CORPUS_ACRONYM:
            continue
        hits = by_initials.get("".join(f.words), set())
        roots = {clusters.find(h) for h in hits}
        if len(roots) == 1:
            clusters.union(k, min(hits), ACRONYM_SCORE, "the acronym of the one name with these initials")


def _owner_merges(forms: dict[str, _Form], clusters: _Clusters) -> None:
    owned: dict[str, set[str]] = defaultdict(set)
    for k, f in forms.items():
        if f.owned:
            owned[f.owned].add(k)
    for bare, keys in owned.items():
        if bare in forms and len({clusters.find(k) for k in keys}) == 1:
            clusters.union(bare, min(keys), OWNER_DROP_SCORE, "the one body of that name, named without its owner")


def _bare_name_targets(
    forms: dict[str, _Form], clusters: _Clusters, form_key: dict[MentionKey, str], bare: set[MentionKey]
) -> dict[MentionKey, tuple[str, float, str]]:
    """A lone surname or given name its own article does not explain -> (person, share, where).

    The candidates are the full names sharing the word, counted first in the related articles
    (those naming MIN_SHARED_CONTEXT of the same other entities), else in the whole corpus; the
    name joins the person holding DOMINANCE of those mentions, and stays alone when two people
    share the word more evenly ("Jenkin" beside John and Kathryn Jenkin).
    """
    people = [f for f in forms.values() if f.cls == "PERSON"]
    full_words = {w for f in people if len(f.folded) > 1 for w in (f.folded[0], f.folded[-1])}
    wanted = {}
    for mk, key in form_key.items():
        f = forms[key]
        if mk in bare and f.cls == "PERSON" and len(f.folded) == 1 and f.folded[0] in full_words:
            wanted[mk] = f.folded[0]
    if not wanted:
        return {}
    holders: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)  # word -> doc -> root -> mentions
    roots_in: dict[str, set[str]] = defaultdict(set)
    # per form key, read once: its root, whether it counts as context (not a lone name), the words it holds
    of_key: dict[str, tuple[str, bool, tuple[str, ...]]] = {}
    for (doc, _), key in form_key.items():
        known = of_key.get(key)
        if known is None:
            f = forms[key]
            person = f.cls == "PERSON"
            words = tuple(dict.fromkeys((f.folded[0], f.folded[-1]))) if person and len(f.folded) > 1 else ()
            known = of_key[key] = (clusters.find(key), not (person and len(f.folded) == 1), words)
        root, context, words = known
        if context:
            roots_in[doc].add(root)
        for w in words:
            held = holders[w].setdefault(doc, {})
            held[root] = held.get(root, 0) + 1
    docs_with: dict[str, set[str]] = defaultdict(set)
    for doc, roots in roots_in.items():
        for r in roots:
            docs_with[r].add(doc)
    related: dict[str, set[str]] = {}  # document -> its related articles, counted once per document
    corpus: dict[str, dict[str, int]] = {}  # word -> root -> its mentions in the whole corpus, counted once per word
    decided: dict[tuple[str, str], tuple[str, float, str] | None] = {}  # (document, word) -> its target
    out = {}
    for mk, w in wanted.items():
        doc = mk[0]
        if (doc, w) not in decided:
            near = related.get(doc)
            if near is None:
                overlap: Counter[str] = Counter(
                    chain.from_iterable(docs_with[r] for r in roots_in[doc] if len(docs_with[r]) <= MAX_CONTEXT_DOCS)
                )
                overlap.pop(doc, None)
                near = related[doc] = {d for d, n in overlap.items() if n >= MIN_SHARED_CONTEXT}
            decided[(doc, w)] = _dominant(holders[w], near, corpus, w)
        target = decided[(doc, w)]
        if target is not None:
            out[mk] = target
    return out


def _dominant(
    held: dict[str, dict[str, int]], near: set[str], corpus: dict[str, dict[str, int]], w: str
) -> tuple[str, float, str] | None:
    """The person holding DOMINANCE of the word's full-name mentions in the related articles (``near``)
    when they name anyone of that name, else in the whole corpus (``corpus`` memoises that count per word).

    The related articles holding the word are found by walking the smaller of the two sets, so a
    common surname costs what its holders cost once per word, not once per mention.
    """
    small, large = (near, held) if len(near) < len(held) else (held, near)
    counts = _summed(held[d] for d in small if d in large)
    where = "related articles'"
    if not counts:
        counts = corpus.get(w) or {}
        if not counts:
            counts = corpus[w] = _summed(held.values())
        where = "corpus's"
    if not counts:
        return None
    root, n = max(sorted(counts.items()), key=lambda kv: kv[1])
    share = n / sum(counts.values())
    return (root, share, where) if share >= DOMINANCE else None


def _summed(counters: Iterable[dict[str, int]]) -> dict[str, int]:
    """Counts added up key by key."""
    out: dict[str, int] = {}
    for c in counters:
        for k, n in c.items():
            out[k] = out.get(k, 0) + n
    return out


def _entities(
    analyses: list[Analysis],
    forms: dict[str, _Form],
    members: dict[str, list[tuple[MentionKey, float, str | None]]],
    table_names: dict[str, str],
    label_of: dict[MentionKey, str],
) -> tuple[list[Entity], dict[MentionKey, str]]:
    mentions_of = {a.doc: a.mentions for a in analyses}
    entities, entity_of, used = [], {}, set()
    for root in sorted(members):
        ms = [(mk, mentions_of[mk[0]][mk[1]], score, reason) for mk, score, reason in members[root]]
        ms.sort(key=lambda x: (x[0][0], x[1].start, x[0][1]))
        name, typ = _canonical(ms, forms[root], table_names.get(root), label_of)
        eid = content_id("e", typ, name)
        if eid in used:  # two entities kept apart under one name: tell them apart by first mention
            mk0, m0 = ms[0][0], ms[0][1]
            eid = content_id("e", typ, name, mk0[0], str(m0.start))
        used.add(eid)
        ent = Entity(id=eid, name=name, type=typ)
        roles: dict[str, int] = {}
        scores = ent.merge_scores
        for mk, m, score, reason in ms:
            score = round(score, 3)
            ent.mentions.append(
                EntityMention(doc=mk[0], start=m.start, end=m.end, text=m.text, score=score, reason=reason)
            )
            alias = m.text if m.demonym else m.name
            if alias != name and scores.get(alias, -1.0) < score:
                scores[alias] = score
                ent.merge_reasons[alias] = reason or ("a demonym of the place" if m.demonym else "the same name")
            if m.role:
                roles[m.role] = roles.get(m.role, 0) + 1
            entity_of[mk] = eid
        ent.aliases = sorted(scores)
        ent.roles = sorted(roles, key=lambda r: (-roles[r], r))
        entities.append(ent)
    entities.sort(key=lambda e: (-len(e.mentions), e.name, e.id))
    return entities, entity_of


def _canonical(
    ms: list[tuple[MentionKey, Mention, float, str | None]], root: _Form, table: str | None,
    label_of: dict[MentionKey, str],
) -> tuple[str, str]:
    """The most frequent full form: not a short form, not a demonym, spelled out rather than an acronym.

    The type is the vote of all the entity's mentions (with the corpus's label of each name).
    """
    names: dict[str, list[int]] = {}  # name -> [full, count]
    types: dict[str, int] = {}
    for mk, m, _, _ in ms:
        label = "GPE" if m.demonym else label_of.get(mk, m.label)
        types[label] = types.get(label, 0) + 1
        if m.demonym:
            continue
        full = m.antecedent is None and (m.label != "PERSON" or " " in m.name.strip() or "-" in m.name)
        entry = names.setdefault(m.name, [0, 0])
        entry[0] |= full
        entry[1] += 1
    if not names:
        names = {ms[0][1].name: [1, len(ms)]}

    def rank(n: str) -> tuple:
        full, count = names[n]
        return (not n.replace(".", "").isupper(), full, count, len(n), n)

    name = max(names, key=rank)
    if table and name.replace(".", "").isupper():  # only "U.S." and "US" in the text: say "United States"
        name = table
    typ = max(sorted(types), key=types.get)
    if root.cls == "PLACE" and typ not in ("GPE", "LOC", "FAC"):
        typ = "GPE"
    if root.cls in ("PERSON", VESSEL):
        typ = root.cls
    return name, typ
