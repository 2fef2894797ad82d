"""Event coreference: which event mentions are one real-world event, within and across documents.

One pairwise scorer over general features (``FEATURES``: trigger lemma and class, PLOVER type
agreement, participants by entity id and by name, participants that conflict in one role, dates
weighed by precision, place, sentence and document similarity, derivational stems, and how often the two
trigger lemmas were one event in training: the lemma-pair table ``models/event_lemmas.json``; whether
they can tell one kind of event: the frame lexicon ``nlp/data/event_frames.tsv``), a logistic
model fitted on ECB+ (``models/events.json``; both refitted by ``models/train_events.py``), and one
clustering used by the product and by its evaluation alike:

1. inside each document, average-link agglomerative clustering of its mentions: one document event
   carrying every sentence that tells it (mentions of two different known PLOVER types stay apart,
   so an exported event has one type);
2. across documents, inside a block, document events are placed in date order: each joins the
   story whose document events it links to best on average (a link is the best pair of their first
   mentions; a story is compared through a sample of its events), when that average reaches the
   threshold and the story has no event of its document yet;
   candidates come from an inverted index over lemmas, types and entities, so a thread of thousands
   of reports is not compared all against all.

The mention is a :class:`MentionView`: what the scorer reads, built from storyline's own events in
a build and from the gold mentions of ECB+ (with storyline's parse of their sentences) in the
evaluation, so the same features serve both.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from storyline.resolve.dates import dates_agree, same_date
from storyline.resolve.sparse import dot

FEATURES = (
    "same_doc",
    "lemma_same",
    "lemma_close",
    "type_same",
    "type_conflict",
    "actor_overlap",
    "actor_conflict",
    "target_overlap",
    "target_conflict",
    "entity_overlap",
    "name_overlap",
    "date_same",
    "date_conflict",
    "place_same",
    "place_conflict",
    "sentence_similarity",
    "document_similarity",
    "negation_mismatch",
    "both_reporting",
    "same_thread",
    "lemma_same_x_document",
    "lemma_same_x_entities",
    "lemma_same_x_same_doc",
    "stem_same",
    "lemma_pair_rate",
    "lemma_pair_seen",
    "lemma_same_x_thread",
    "lemma_close_x_thread",
    "stem_same_x_thread",
    "lemma_pair_rate_x_thread",
    "frame_same",
    "frame_same_x_thread",
    "same_sentence",
)
PAIR_TABLE_FEATURES = ("lemma_pair_rate", "lemma_pair_seen", "lemma_pair_rate_x_thread")  # read the lemma-pair table
# ``frame_same`` (and its thread interaction): two different lemmas that can tell one kind of event by the frame
# lexicon. ECB+ LOTO CoNLL on gold mentions 0.724 -> 0.730 (weighted 0.731 -> 0.737); within one document, where
# the same event is retold in other words ("the acquisition", "the deal"), pairwise recall was 0.38, and gold
# within-document chains would lift the figure to 0.785. Tried, not kept: one lemma the tail of the other
# ("quake"/"earthquake") 0.724; a frame interaction with ``same_doc`` 0.729; a separate within-document model
# 0.726; exact average-link over a block's document events instead of placement 0.723; gradient boosting 0.726.
# ``same_sentence``: two mentions of one sentence of one document are rarely one event (within a document, pairs of
# different lemmas are one event at 1.2% in one sentence against 5.2% across sentences; pairs sharing a frame 9%
# against 43%); ``sentence_similarity`` is 1 for them and counted for them. LOTO CoNLL 0.734 -> 0.739 (weighted
# 0.739 -> 0.746). Tried beside it, not kept: the frame interaction with other sentences of one document 0.735;
# a within-document threshold grid of 0.25/0.3/0.4 0.738; ``EVENT_MENTIONS`` 1 0.738 or 6, ``SAMPLE_EVENTS`` 16
# both 0.739 (unchanged). The document's seminal event, measured on top of ``same_sentence`` (not kept, within
# fold noise): the thread salience of a mention's kinds (its frames and stem, the share of the thread's documents
# telling one) times a shared kind 0.741 (weighted 0.748); both mentions of the kind of their document's first
# annotated sentence, times a shared kind 0.740 (0.748), within one document only 0.738; both together 0.738;
# salience alone beside it 0.739.
SAMPLE_EVENTS = 8  # document events of a story a new one is compared with: its first ones and its latest ones
EVENT_MENTIONS = 3  # mentions of a document event compared (its first ones: the lead states an event best)
MAX_CANDIDATES = 12  # stories an event is scored against, those sharing most of its lemmas, types and entities
# (Tried: a pass moving each document event to its best story once all are placed, as threads do: ECB+ LOTO
# CoNLL 0.729 against 0.731 without, dev/events and the seeds unchanged; not kept.)
ONE_EVENT_PER_DOCUMENT = False  # a story takes one document event of each document (the within-document decision)
MAX_POSTINGS = 256  # stories kept per index key (the latest): a key every story has finds the recent ones only
CLOSE_PREFIX = 5  # two trigger lemmas sharing this many first letters are close (attack/attacked, shoot/shooting)
# Derivational endings stripped (the first that fits, leaving 3 letters or more) before comparing two lemmas as
# one word family ("kill/killing", "bomb/bombing", "check/checks"; not "explode/explosion"). Chosen with the
# lemma-pair table and thread interactions, together LOTO CoNLL 0.721 -> 0.728 on gold mentions (the stem alone
# was not measured apart); see ``evaluation/ecb_events.py``.
DERIVATION_SUFFIXES = ("ations", "ation", "itions", "ition", "sions", "sion", "tions", "tion", "ions", "ion",
                       "ments", "ment", "ings", "ing", "ers", "er", "ed", "es", "s", "al", "ure", "y", "e")
PAIR_SMOOTHING = 2.0  # pseudo-pairs of the prior in a lemma pair's coreference rate (m-estimate); LOTO 1..4 alike
PAIR_SEEN = 20  # pairs of a lemma pair in training at which ``lemma_pair_seen`` is 1 (it is n / PAIR_SEEN below)
PAIR_KEEP = 5  # a lemma pair is kept in the shipped table when it corefers once or was seen this many times


@dataclass(slots=True)
class MentionView:
    """What the pairwise scorer reads of one event mention."""

    key: Hashable
    doc: str
    lemma: str
    type: str | None = None
    actors: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()  # entity ids named in its sentence
    names: frozenset[str] = frozenset()  # lowercased words of those names
    date: str | None = None  # its own date, from a TIMEX tied to it
    place: str | None = None
    negated: bool = False
    sentence: dict[int, float] = field(default_factory=dict)  # L2-normalised TF-IDF of its sentence
    when: int | None = None  # ordinal day used to order placement (own date, else the report's)
    thread: str | None = None  # the thread of its document
    headline: bool = False  # told in its report's headline
    irrealis: bool = False  # told as planned or hypothetical: it has not happened
    sentence_at: int | None = None  # where its sentence starts in its document (``same_sentence``)


@dataclass(frozen=True, slots=True)
class EventModel:
    weights: tuple[float, ...]
    bias: float
    threshold: float  # average probability a document event needs to join a story
    within_threshold: float  # probability (average link) two mentions of one document need to be one event
    features: tuple[str, ...] = FEATURES

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = x @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def load(cls, path: Path | None = None, setting: str = "events") -> EventModel:
        """The fitted model of a setting: ``product`` (the scorer a build runs), ``events`` (fitted on
        storyline's own events on gold triggers) or ``mentions`` (fitted on ECB+'s gold mentions, what the
        standard evaluation clusters). ``product`` is changed only on purpose (``train_events --product``):
        a refit is measured on the seeds and the dev sets before a build runs it."""
        data = json.loads(path.read_text(encoding="utf-8")) if path else _shipped()
        data = data.get(setting, data)
        return cls(
            weights=tuple(data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            within_threshold=float(data["within_threshold"]),
            features=tuple(data.get("features", FEATURES)),
        )


@lru_cache(maxsize=1)
def _shipped() -> dict:
    return json.loads(resources.files("storyline.resolve.models").joinpath("events.json").read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class LemmaPairs:
    """How often two trigger lemmas were one event in training: per unordered lemma pair, (coreferent pairs,
    pairs), and the prior rates of same-lemma and different-lemma pairs that an unseen pair falls back on."""

    counts: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    prior_same: float = 0.0
    prior_diff: float = 0.0

    @staticmethod
    def key(a: str, b: str) -> tuple[str, str]:
        return (a, b) if a <= b else (b, a)

    @classmethod
    def fit(cls, counts: Iterable[dict[tuple[str, str], tuple[int, int]]], keep: int = 0) -> LemmaPairs:
        """Sum per-topic counts; keep a pair that corefers once or was seen ``keep`` times (priors use all)."""
        total: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for c in counts:
            for k, (p, n) in c.items():
                total[k][0] += p
                total[k][1] += n
        sums = {True: [0, 0], False: [0, 0]}
        for (a, b), (p, n) in total.items():
            sums[a == b][0] += p
            sums[a == b][1] += n
        kept = {k: (p, n) for k, (p, n) in total.items() if p > 0 or n >= keep}
        rate = {s: p / n if n else 0.0 for s, (p, n) in sums.items()}
        return cls(kept, rate[True], rate[False])

    def features(self, a: str, b: str) -> tuple[float, float]:
        """(smoothed coreference rate of the pair, how much training saw it, 0..1)."""
        p, n = self.counts.get(self.key(a, b), (0, 0))
        prior = self.prior_same if a == b else self.prior_diff
        return (p + PAIR_SMOOTHING * prior) / (n + PAIR_SMOOTHING), min(1.0, n / PAIR_SEEN)

    def to_json(self) -> dict:
        rows = sorted([a, b, p, n] for (a, b), (p, n) in self.counts.items())
        return {"prior_same": round(self.prior_same, 5), "prior_diff": round(self.prior_diff, 5), "pairs": rows}

    @classmethod
    def from_json(cls, data: dict) -> LemmaPairs:
        return cls({(a, b): (int(p), int(n)) for a, b, p, n in data["pairs"]},
                   float(data["prior_same"]), float(data["prior_diff"]))


@lru_cache(maxsize=1)
def shipped_lemma_pairs() -> LemmaPairs:
    """The lemma-pair table fitted on ECB+'s gold mentions (``models/event_lemmas.json``, written by the trainer)."""
    f = resources.files("storyline.resolve.models").joinpath("event_lemmas.json")
    return LemmaPairs.from_json(json.loads(f.read_text(encoding="utf-8"))) if f.is_file() else LemmaPairs()


# --------------------------------------------------------------------------- features


REPORTING = "REPORT"  # the class of a reporting verb ("said", "told"): reports of anything, rarely one event


@lru_cache(maxsize=65536)
def trigger_class(lemma: str) -> str | None:
    """The class of a trigger lemma: its PLOVER type in the predicate table (the type of its row with
    no condition, when it has one: "attack" is an ASSAULT, an ACCUSE only on a plan or a remark),
    ``REPORT`` for a reporting verb of the quote cues, else None (an event of no type storyline knows)."""
    from storyline.nlp.events import load_lexicon
    from storyline.nlp.quotes import reporting_cues

    lex = load_lexicon()
    for pos in ("VERB", "NOUN"):
        preds = lex.predicates.get((lemma, pos))
        if preds:
            return next((p for p in preds if not p.when), preds[0]).type
    cue = reporting_cues().get(lemma)
    return REPORTING if cue is not None and cue.kind == "verb" else None


def is_travel(lemma: str) -> bool:
    """A trigger that tells someone going somewhere (the lexicon's ``move`` flag: visit, trip, travel)."""
    from storyline.nlp.events import load_lexicon

    lex = load_lexicon()
    return any("move" in p.flags for pos in ("VERB", "NOUN") for p in lex.predicates.get((lemma, pos), ()))


@lru_cache(maxsize=1)
def _frames() -> dict[str, frozenset[str]]:
    from storyline.nlp.names import read_tsv

    out: dict[str, set[str]] = defaultdict(set)
    for row in read_tsv("event_frames.tsv"):
        for lemma in row["lemmas"].split("|"):
            out[lemma].add(row["frame"])
    return {k: frozenset(v) for k, v in out.items()}


def frames_of(lemma: str) -> frozenset[str]:
    """The kinds of event a trigger lemma can tell (``nlp/data/event_frames.tsv``), empty when unknown."""
    return _frames().get(lemma.lower(), frozenset())


def frames_shared(a: str, b: str) -> bool:
    """Two different lemmas that can tell one kind of event ("acquisition" / "purchase"): lexical
    knowledge the lemma-pair table lacks for pairs its training topics never saw."""
    return a != b and bool(frames_of(a) & frames_of(b))


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _conflict(a: frozenset, b: frozenset, b_other: frozenset, a_other: frozenset) -> float:
    """Both name someone in this role and neither's is among the other's participants at all (a swap of
    roles, "X met Y" / "Y met X", is no conflict)."""
    return float(bool(a and b and not a & (b | b_other) and not b & (a | a_other)))


def lemmas_close(a: str, b: str) -> bool:
    """Different lemmas of one word family: a shared beginning of ``CLOSE_PREFIX`` letters."""
    return a != b and len(a) >= CLOSE_PREFIX and len(b) >= CLOSE_PREFIX and a[:CLOSE_PREFIX] == b[:CLOSE_PREFIX]


@lru_cache(maxsize=65536)
def stem(lemma: str) -> str:
    """A lemma without its derivational ending (``DERIVATION_SUFFIXES``) and a doubled last letter."""
    w = lemma.lower()
    for suffix in DERIVATION_SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w[:-1] if len(w) > 3 and w[-1] == w[-2] else w


def stems_same(a: str, b: str) -> bool:
    """Different lemmas of one word family by their stems ("kill/killing", "murder/murders")."""
    return a != b and stem(a) == stem(b)


def pair_table_features(a: str, b: str, same_thread: float, pairs: LemmaPairs) -> list[float]:
    """The ``PAIR_TABLE_FEATURES`` of two trigger lemmas, in that order."""
    rate, seen = pairs.features(a, b)
    return [rate, seen, rate * same_thread]


def pair_features(
    a: MentionView, b: MentionView, document_similarity: float, pairs: LemmaPairs | None = None
) -> list[float]:
    """The feature vector of a pair, in ``FEATURES`` order (each in 0..1); ``pairs`` is the lemma-pair
    table (default: the shipped one)."""
    ca, cb = a.type or trigger_class(a.lemma), b.type or trigger_class(b.lemma)
    typed = ca is not None and cb is not None
    both_dated = a.date is not None and b.date is not None
    lemma_same = float(a.lemma == b.lemma)
    same_doc = float(a.doc == b.doc)
    entities = _jaccard(a.entities, b.entities)
    close = float(lemmas_close(a.lemma, b.lemma))
    stems = float(stems_same(a.lemma, b.lemma))
    thread = float(a.thread is not None and a.thread == b.thread)
    rate, seen, rate_thread = pair_table_features(a.lemma, b.lemma, thread, pairs or shipped_lemma_pairs())
    frame = float(frames_shared(a.lemma, b.lemma))
    return [
        same_doc,
        lemma_same,
        close,
        float(typed and ca == cb),
        float(typed and ca != cb),
        _jaccard(a.actors, b.actors),
        _conflict(a.actors, b.actors, b.targets, a.targets),
        _jaccard(a.targets, b.targets),
        _conflict(a.targets, b.targets, b.actors, a.actors),
        entities,
        _jaccard(a.names, b.names),
        float(both_dated and same_date(a.date, b.date)),
        float(both_dated and not dates_agree(a.date, b.date)),
        float(a.place is not None and a.place == b.place),
        float(a.place is not None and b.place is not None and a.place != b.place),
        dot(a.sentence, b.sentence),
        document_similarity,
        float(a.negated != b.negated),
        float(ca == cb == REPORTING),
        thread,
        lemma_same * document_similarity,
        lemma_same * entities,
        lemma_same * same_doc,
        stems,
        rate,
        seen,
        lemma_same * thread,
        close * thread,
        stems * thread,
        rate_thread,
        frame,
        frame * thread,
        float(same_doc == 1.0 and a.sentence_at is not None and a.sentence_at == b.sentence_at),
    ]


# --------------------------------------------------------------------------- clustering

PairProbability = Callable[[int, int], float]


def scorer(
    views: Sequence[MentionView], model: EventModel, doc_similarity: Callable[[str, str], float]
) -> PairProbability:
    """A memoised pairwise probability over ``views`` by index: for each pair, the same float as
    ``model.probability`` gives its feature row.

    One pair is one row, so the row's dot product with the weights is NumPy's 1-D ``dot`` (the kernel
    ``probability``'s one-row product runs) and the sigmoid NumPy's ``exp``, with the weights made an
    array once: the last bits stay those of ``probability`` (a Python sum or ``math.exp`` would not),
    without its array of one row and its conversion of the weights per pair.
    """
    cache: dict[tuple[int, int], float] = {}
    weights, bias = np.asarray(model.weights), model.bias
    array, dot_, exp = np.array, np.dot, np.exp

    def prob(i: int, j: int) -> float:
        k = (i, j) if i < j else (j, i)
        p = cache.get(k)
        if p is None:
            a, b = views[k[0]], views[k[1]]
            x = array(pair_features(a, b, 1.0 if a.doc == b.doc else doc_similarity(a.doc, b.doc)))
            p = cache[k] = float(1.0 / (1.0 + exp(-(dot_(x, weights) + bias))))
        return p

    return prob


def within_document(
    idx: list[int],
    views: Sequence[MentionView],
    prob: PairProbability,
    threshold: float,
    must_link: Callable[[MentionView, list[MentionView]], bool] | None = None,
) -> list[list[int]]:
    """Average-link agglomerative clustering of one document's mentions (two known types never join).

    ``must_link(mention, group)`` joins a mention to a group first, whatever the scorer says: the
    product's definition of one typed event (see :func:`storyline.resolve.stories.one_event`).
    """
    clusters = [[i] for i in idx]
    if must_link is not None:
        groups: list[list[int]] = []
        for i in idx:  # in text order: each mention joins the first group it is one event with
            for g in groups:
                if must_link(views[i], [views[j] for j in g]) and all(prob(i, j) != float("-inf") for j in g):
                    g.append(i)
                    break
            else:
                groups.append([i])
        clusters = groups
    while len(clusters) > 1:
        best, pair = threshold, None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                ca, cb = clusters[x], clusters[y]
                ta = {views[i].type for i in ca} - {None}
                tb = {views[i].type for i in cb} - {None}
                if ta and tb and ta != tb:
                    continue
                s = sum(prob(i, j) for i in ca for j in cb) / (len(ca) * len(cb))
                if s >= best:
                    best, pair = s, (x, y)
        if pair is None:
            break
        x, y = pair
        clusters[x] = sorted(clusters[x] + clusters[y])
        del clusters[y]
    return clusters


EventRule = Callable[[list[int], list[int]], float]  # two document events, as lists of view indices
APART = -1.0  # an event rule's answer for two document events that are two events whatever their words share


def event_link(a: list[int], b: list[int], prob: PairProbability, floor: float = 0.0) -> float:
    """How likely two document events are one event: their best mention pair, over the first
    ``EVENT_MENTIONS`` mentions of each; a ``floor`` (two events known one by their parts) is raised by
    that evidence toward 1 (any wall between their mentions keeps them apart); a ``floor`` of
    ``APART`` makes the link 0, and one of ``-inf`` a wall."""
    if floor == APART:
        return 0.0
    if floor == float("-inf"):
        return floor
    best = 0.0
    for i in a[:EVENT_MENTIONS]:
        for j in b[:EVENT_MENTIONS]:
            p = prob(i, j)
            if p == float("-inf"):
                return p
            best = max(best, p)
    return floor + (1.0 - floor) * best if floor > 0 else best


def _average_link(
    members: list[int], sample: list[list[int]], prob: PairProbability, event_rule: EventRule | None, best: float
) -> float:
    """The average ``event_link`` of a document event with a story's sampled document events, or a
    value below ``best`` as soon as the average can no longer reach it (every link is at most 1)."""
    total, n = 0.0, len(sample)
    for k, d in enumerate(sample):
        total += event_link(members, d, prob, event_rule(members, d) if event_rule else 0.0)
        if total + (n - k - 1) < best * n:
            return float("-inf") if total == float("-inf") else total / n
    return total / n


def _placed_when(views: Sequence[MentionView], members: list[int]) -> float:
    """Dated events are placed first, in date order; undated ones after them: they join, never found."""
    days = [views[i].when for i in members if views[i].when is not None]
    return min(days) if days else float("inf")


def _index_keys(views: Sequence[MentionView], members: list[int]) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for i in members:
        v = views[i]
        keys.add(("l", v.lemma[:CLOSE_PREFIX]))
        if v.type:
            keys.add(("t", v.type))
        keys.update(("e", e) for e in v.entities | v.actors | v.targets)
    return keys


def cluster_mentions(
    views: Sequence[MentionView],
    prob: PairProbability,
    model: EventModel,
    block_of: Callable[[MentionView], Hashable],
    threshold: float | None = None,
    within_threshold: float | None = None,
    must_link: Callable[[MentionView, list[MentionView]], bool] | None = None,
    event_rule: EventRule | None = None,
) -> tuple[list[list[list[int]]], list[float]]:
    """Stories as lists of document events (lists of view indices), and each story's weakest link.

    ``block_of`` gives the block a view's document belongs to; stories never cross blocks. A document
    event joins the story whose sampled document events it links to best on average (``event_link``);
    ``event_rule(a, b)`` gives a floor for the link of two document events (their view indices).
    """
    threshold = model.threshold if threshold is None else threshold
    within_threshold = model.within_threshold if within_threshold is None else within_threshold
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(views):
        by_doc[v.doc].append(i)
    doc_events: list[list[int]] = []
    for idx in by_doc.values():
        doc_events += within_document(idx, views, prob, within_threshold, must_link)
    blocks: dict[Hashable, list[int]] = defaultdict(list)
    for k, members in enumerate(doc_events):
        blocks[block_of(views[members[0]])].append(k)

    stories: list[list[list[int]]] = []
    weakest: list[float] = []
    for block in blocks.values():
        block.sort(key=lambda k: (_placed_when(views, doc_events[k]), views[doc_events[k][0]].doc, k))
        docs: dict[int, set[str]] = {}
        postings: dict[tuple[str, str], list[int]] = defaultdict(list)
        for k in block:
            members = doc_events[k]
            doc = views[members[0]].doc
            keys = _index_keys(views, members)
            hits: dict[int, int] = defaultdict(int)
            for key in keys:
                for s in postings.get(key, ()):
                    hits[s] += 1
            cands = sorted((s for s in hits if ONE_EVENT_PER_DOCUMENT is False or doc not in docs[s]),
                           key=lambda s: (-hits[s], s))[:MAX_CANDIDATES]
            best, choice = threshold, None
            for s in cands:
                des = stories[s]
                sample = des if len(des) <= SAMPLE_EVENTS else des[: SAMPLE_EVENTS // 2] + des[-SAMPLE_EVENTS // 2 :]
                score = _average_link(members, sample, prob, event_rule, best)
                if score >= best:
                    best, choice = score, s
            if choice is None:
                choice = len(stories)
                stories.append([])
                weakest.append(1.0)
                docs[choice] = set()
            else:
                weakest[choice] = min(weakest[choice], best)
            stories[choice].append(members)
            docs[choice].add(doc)
            for key in keys:
                post = postings[key]
                if choice not in post:
                    post.append(choice)
                    if len(post) > MAX_POSTINGS:
                        del post[0]
    return stories, weakest
