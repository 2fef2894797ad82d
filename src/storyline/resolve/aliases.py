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
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from storyline.model import Analysis, Document, Entity, EntityMention, Mention, content_id
from storyline.nlp.names import NameLexicon, load_lexicon, plain

MentionKey = tuple[str, int]  # (document id, index in that document's mentions)

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
DOMINANCE = 0.8  # a bare surname joins a person holding this share of that surname's mentions
GIVEN_VARIANT_SCORE = 0.75  # "Alexis Smith" / "Alexandros Smith": one person named two ways, less sure
MIN_SHARED_CONTEXT = 2  # ... and only when their articles share this many other entities (places,
#                         bodies, people): tuned on the events dev set, where the riot articles share 3+
FEMININE_ENDINGS = ("a", "e")  # "Alex" may be short for "Alexander", not for "Alexandra" or "Alexandrie"
MAX_BLOCK = 2000  # fuzzy comparisons are skipped inside a block of more forms (equal keys still merge)
CLASS_OF = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "FAC", "NORP": "NORP"}


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


class _Clusters:
    """Union-find over form keys, refusing merges a keep-apart rule forbids; scores on the way."""

    def __init__(self, keys: list[str], tags: dict[str, set[tuple[int, int]]]) -> None:
        self.parent = {k: k for k in keys}
        self.tags = {k: set(tags.get(k, ())) for k in keys}
        self.score = dict.fromkeys(keys, 1.0)  # how sure the form's merge into its cluster is
        self.members = {k: [k] for k in keys}  # root -> the keys of its cluster

    def find(self, k: str) -> str:
        root = k
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[k] != root:
            self.parent[k], k = root, self.parent[k]
        return root

    def union(self, a: str, b: str, score: float, force: bool = False) -> bool:
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
            self.score[k] = min(self.score[k], score) if self.score[k] < 1.0 else score
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
        return _Form(folded.cls, f"{folded.cls}|={plain(name)}", folded.words, folded.acronym, folded.owned)
    place = lex.place(name) if cls != "PERSON" else None
    if place is not None:
        canonical, typ = place
        cls = CLASS_OF.get(typ, "ORG")
        words = tuple(plain(canonical).split())
        return _Form(cls, f"{cls}|{' '.join(words)}", words, canonical=canonical)
    if cls == "PERSON":
        words = _join_initials([w for w in lex.fold(name) if w not in lex.kinds["honorific"]])
        return _Form(cls, f"{cls}|{' '.join(words)}", words)
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


def _person_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Similarity of two full person names, 0 when they cannot be one person."""
    if len(a) == len(b):
        if any(_gendered_pair(x, y, first=i == 0) for i, (x, y) in enumerate(zip(a, b, strict=True))):
            return 0.0  # "Alexander" / "Alexandra", "Ivanov" / "Ivanova": close spellings, two people
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
    documents: list[Document], analyses: list[Analysis], rules: AliasRules
) -> tuple[list[Entity], dict[MentionKey, str]]:
    """Entities across the corpus, and the entity id of every mention."""
    lex = load_lexicon()
    protected = {plain(n) for names in rules.keep_apart for n in names}  # spellings a rule tells apart
    forms: dict[str, _Form] = {}
    form_key: dict[MentionKey, str] = {}  # mention -> key of the form it is counted under
    linked: dict[MentionKey, float] = {}  # mention -> score of its in-document link (short forms)
    ambiguous: set[MentionKey] = set()
    memo: dict[tuple, _Form] = {}
    for a in analyses:
        own = []
        for m in a.mentions:
            probe = (m.name, m.label, m.demonym)
            if probe not in memo:
                memo[probe] = form_of(m, lex, plain(m.name) in protected)
            own.append(memo[probe])
        full_words = {w for f in own if f.cls == "PERSON" and len(f.words) > 1 for w in (f.words[0], f.words[-1])}
        for i in range(len(a.mentions)):
            root, steps = i, 0
            while a.mentions[root].antecedent is not None and steps < 8:
                root, steps = a.mentions[root].antecedent, steps + 1
            f = own[root]
            forms.setdefault(f.key, f).count += 1
            form_key[(a.doc, i)] = f.key
            if root != i:
                linked[(a.doc, i)] = SHORT_LINK_SCORE
            elif f.cls == "PERSON" and len(f.words) == 1 and f.words[0] in full_words:
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
                clusters.union(keys[0], k, 1.0)
    _spacing_and_label_merges(forms, clusters)
    _fuzzy_merges(forms, clusters)
    _given_name_merges(forms, clusters, lex, form_key)
    _acronym_merges(forms, clusters, lex)
    _owner_merges(forms, clusters)
    dominant = _dominant_people(forms, clusters)
    for names in rules.merge:
        keys = [k for n in names for k in _matching_keys(n, tails, lex)]
        for k in keys[1:]:
            clusters.union(keys[0], k, 1.0, force=True)

    members: dict[str, list[tuple[MentionKey, float]]] = defaultdict(list)
    for mk, key in form_key.items():
        score = linked.get(mk, 1.0) * clusters.score[key]
        if mk not in linked and mk not in ambiguous and key in dominant:
            target, share = dominant[key]
            key, score = target, share * SHORT_LINK_SCORE
        members[clusters.find(key)].append((mk, score))
    table_names = {
        root: min(n for k in clusters.members[root] if (n := forms[k].canonical))
        for root in members
        if any(forms[k].canonical for k in clusters.members[root])
    }
    return _entities(analyses, forms, members, table_names)


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


def _spacing_and_label_merges(forms: dict[str, _Form], clusters: _Clusters) -> None:
    """Names equal but for spaces, and one name under two non-person labels, are one entity."""
    by_letters: dict[tuple[bool, str], list[str]] = defaultdict(list)
    for k in sorted(forms):
        f = forms[k]
        by_letters[(f.cls == "PERSON", "".join(f.words))].append(k)
    for (person, _), keys in by_letters.items():
        for k in keys[1:]:
            same_words = forms[k].words == forms[keys[0]].words
            if person and not _conflicts(keys[0], k, forms, clusters):
                clusters.union(keys[0], k, SPACING_SCORE)
            elif not person and not (forms[k].acronym or forms[keys[0]].acronym):
                clusters.union(keys[0], k, LABEL_SCORE if same_words else SPACING_SCORE)


def _fuzzy_merges(forms: dict[str, _Form], clusters: _Clusters) -> None:
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
                    score = _person_compatible(a.words, b.words)
                    if score and not _conflicts(a.key, b.key, forms, clusters):
                        clusters.union(a.key, b.key, score)
                elif len(a.words) == len(b.words) and min(len(a.key), len(b.key)) >= MIN_FUZZY_LEN:
                    s = fuzz.ratio(a.key, b.key)
                    if s >= NAME_SIM:
                        clusters.union(a.key, b.key, s / 100)


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


def _given_name_merges(
    forms: dict[str, _Form], clusters: _Clusters, lex: NameLexicon, form_key: dict[MentionKey, str]
) -> None:
    """One person named with two forms of the given name in different articles.

    "Alexis Grigoropoulos" and "Alexandros Grigoropoulos" join when the rest of the name is the
    same, the given names are compatible, the surname belongs to no one else in the corpus, the two
    forms never meet in one article (there they would be two people), and their articles share
    other entities: the context says it is the same story.
    """
    by_tail: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in sorted(forms):
        f = forms[k]
        if f.cls == "PERSON" and len(f.words) > 1 and len("".join(f.words[1:])) >= 4:
            by_tail[f.words[1:]].append(k)
    if not any(len({forms[k].words[0] for k in keys}) > 1 for keys in by_tail.values()):
        return
    docs_of: dict[str, set[str]] = defaultdict(set)
    keys_in: dict[str, set[str]] = defaultdict(set)
    for (doc, _), key in form_key.items():
        docs_of[key].add(doc)
        keys_in[doc].add(key)

    def context(k: str, skip: set[str]) -> set[str]:
        roots = {clusters.find(x) for d in docs_of[k] for x in keys_in[d]}
        return roots - skip

    for keys in by_tail.values():
        roots = sorted({clusters.find(k) for k in keys})
        if len(roots) != 2:  # one name, or a family: "Andrew" and "Kristian" of one surname
            continue
        a = next(k for k in keys if clusters.find(k) == roots[0])
        b = next(k for k in keys if clusters.find(k) == roots[1])
        firsts_a = {forms[k].words[0] for k in keys if clusters.find(k) == roots[0]}
        firsts_b = {forms[k].words[0] for k in keys if clusters.find(k) == roots[1]}
        if not all(given_names_compatible(x, y, lex) for x in firsts_a for y in firsts_b):
            continue
        side_a = {k for k in keys if clusters.find(k) == roots[0]}
        side_b = {k for k in keys if clusters.find(k) == roots[1]}
        if {d for k in side_a for d in docs_of[k]} & {d for k in side_b for d in docs_of[k]}:
            continue  # named both ways in one article: two people
        surname = forms[a].words[-1:]
        namesakes = {clusters.find(k) for k, f in forms.items() if f.cls == "PERSON" and f.words[-1:] == surname}
        skip = set(roots) | namesakes
        shared = set.union(*(context(k, skip) for k in side_a)) & set.union(*(context(k, skip) for k in side_b))
        if len(shared) >= MIN_SHARED_CONTEXT:
            clusters.union(a, b, GIVEN_VARIANT_SCORE)


def _conflicts(a: str, b: str, forms: dict[str, _Form], clusters: _Clusters) -> bool:
    """Would joining the two clusters put two people with different given names in one?"""
    side_a, side_b = clusters.members[clusters.find(a)], clusters.members[clusters.find(b)]
    return any(
        not _person_compatible(forms[x].words, forms[y].words)
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
            clusters.union(k, min(hits), ACRONYM_SCORE)


def _owner_merges(forms: dict[str, _Form], clusters: _Clusters) -> None:
    owned: dict[str, set[str]] = defaultdict(set)
    for k, f in forms.items():
        if f.owned:
            owned[f.owned].add(k)
    for bare, keys in owned.items():
        if bare in forms and len({clusters.find(k) for k in keys}) == 1:
            clusters.union(bare, min(keys), OWNER_DROP_SCORE)


def _dominant_people(forms: dict[str, _Form], clusters: _Clusters) -> dict[str, tuple[str, float]]:
    """Bare surname/given-name form -> (full name key it most likely is, that person's share)."""
    by_word: dict[str, Counter[str]] = defaultdict(Counter)
    for k, f in forms.items():
        if f.cls == "PERSON" and len(f.words) > 1:
            for w in {f.words[0], f.words[-1]}:
                by_word[w][clusters.find(k)] += f.count
    out = {}
    for k, f in forms.items():
        if f.cls == "PERSON" and len(f.words) == 1 and f.words[0] in by_word:
            counts = by_word[f.words[0]]
            root, n = max(sorted(counts.items()), key=lambda kv: kv[1])
            share = n / sum(counts.values())
            if share >= DOMINANCE:
                out[k] = (root, share)
    return out


def _entities(
    analyses: list[Analysis],
    forms: dict[str, _Form],
    members: dict[str, list[tuple[MentionKey, float]]],
    table_names: dict[str, str],
) -> tuple[list[Entity], dict[MentionKey, str]]:
    mentions_of = {a.doc: a.mentions for a in analyses}
    entities, entity_of, used = [], {}, set()
    for root in sorted(members):
        ms = [(mk, mentions_of[mk[0]][mk[1]], score) for mk, score in members[root]]
        ms.sort(key=lambda x: (x[0][0], x[1].start, x[0][1]))
        name, typ = _canonical(ms, forms[root], table_names.get(root))
        eid = content_id("e", typ, name)
        if eid in used:  # two entities kept apart under one name: tell them apart by first mention
            mk0, m0, _ = ms[0]
            eid = content_id("e", typ, name, mk0[0], str(m0.start))
        used.add(eid)
        ent = Entity(id=eid, name=name, type=typ)
        roles: dict[str, int] = {}
        scores = ent.merge_scores
        for mk, m, score in ms:
            score = round(score, 3)
            ent.mentions.append(EntityMention(doc=mk[0], start=m.start, end=m.end, text=m.text, score=score))
            alias = m.text if m.demonym else m.name
            if alias != name and scores.get(alias, -1.0) < score:
                scores[alias] = score
            if m.role:
                roles[m.role] = roles.get(m.role, 0) + 1
            entity_of[mk] = eid
        ent.aliases = sorted(scores)
        ent.roles = sorted(roles, key=lambda r: (-roles[r], r))
        entities.append(ent)
    entities.sort(key=lambda e: (-len(e.mentions), e.name, e.id))
    return entities, entity_of


def _canonical(ms: list[tuple[MentionKey, Mention, float]], root: _Form, table: str | None) -> tuple[str, str]:
    """The most frequent full form: not a short form, not a demonym, spelled out rather than an acronym."""
    names: dict[str, list[int]] = {}  # name -> [full, count]
    types: dict[str, int] = {}
    for _, m, _ in ms:
        label = "GPE" if m.demonym else m.label
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
    return name, typ
